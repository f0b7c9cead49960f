package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"iel/internal/domain"
)

// The mail preferences live in account_mail_prefs and
// designation_mail_prefs: one row per owner and training type of the
// training_types table, receives Oui or Non. A type without a row is Non
// (the historical manager receives every type whatever its rows say).

// prefsColumn selects, in accountColumns, the codes of the types the
// account says Oui for, comma separated; the subquery names the account
// by its unqualified id, so that it works with or without a table alias.
const prefsColumn = `(SELECT COALESCE(string_agg(type_code, ','), '') FROM account_mail_prefs WHERE account_id = id AND receives)`

// designationPrefsColumn is prefsColumn for designationColumns.
const designationPrefsColumn = `(SELECT COALESCE(string_agg(type_code, ','), '') FROM designation_mail_prefs WHERE designation_id = id AND receives)`

// prefsOf reads a prefsColumn: Oui for each code listed.
func prefsOf(codes string) domain.MailPrefs {
	p := domain.MailPrefs{}
	for c := range strings.SplitSeq(codes, ",") {
		if c != "" {
			p[domain.TrainingType(c)] = true
		}
	}
	return p
}

// writePrefs replaces, in tx, the preference rows of the owner id in
// table (account_mail_prefs or designation_mail_prefs, owner column
// account_id or designation_id) with p, one row per type p names.
func writePrefs(ctx context.Context, tx *sql.Tx, table, owner string, id int64, p domain.MailPrefs) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE `+owner+` = $1`, id); err != nil {
		return err
	}
	types := make([]domain.TrainingType, 0, len(p))
	for t := range p {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, t := range types {
		q := `INSERT INTO ` + table + ` (` + owner + `, type_code, receives) VALUES ($1, $2, $3)`
		if _, err := tx.ExecContext(ctx, q, id, t, p[t]); err != nil {
			return err
		}
	}
	return nil
}

// writeAccountPrefs replaces the preferences of the account id with p.
func writeAccountPrefs(ctx context.Context, tx *sql.Tx, id int64, p domain.MailPrefs) error {
	return writePrefs(ctx, tx, "account_mail_prefs", "account_id", id, p)
}

// writeDesignationPrefs replaces the preferences a designation offers.
func writeDesignationPrefs(ctx context.Context, tx *sql.Tx, id int64, p domain.MailPrefs) error {
	return writePrefs(ctx, tx, "designation_mail_prefs", "designation_id", id, p)
}

// listTypes reads the training_types table, in the order the screens show it.
func listTypes(ctx context.Context, q rowsQueryer) ([]domain.TypeLabel, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, label FROM training_types ORDER BY position, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.TypeLabel
	for rows.Next() {
		var t domain.TypeLabel
		if err := rows.Scan(&t.Type, &t.Label); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// checkRecipients is domain.CheckRecipients for every type of the
// training_types table, read in tx.
func checkRecipients(ctx context.Context, tx *sql.Tx, accounts []domain.Account) error {
	types, err := listTypes(ctx, tx)
	if err != nil {
		return err
	}
	if derr := domain.CheckRecipients(types, accounts); derr != nil {
		return derr
	}
	return nil
}
