package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"iel/internal/domain"
	"iel/internal/mail"
)

// accountColumns are the columns of an account that scanAccount reads, in its order.
const accountColumns = `id, collectivity_id, login, role, state, civility, last_name, first_name,
	function, email, phone, ` + prefsColumn + `, password_hash`

// scanAccount reads the accountColumns of row, then the columns the query
// selects after them into extra.
func scanAccount(row scanner, extra ...any) (domain.Account, error) {
	var a domain.Account
	var ct sql.NullInt64
	var prefs string
	dest := append([]any{&a.ID, &ct, &a.Login, &a.Role, &a.State, &a.Civility, &a.LastName, &a.FirstName,
		&a.Function, &a.Email, &a.Phone, &prefs, &a.PasswordHash}, extra...)
	err := row.Scan(dest...)
	a.CollectivityID, a.Prefs = ct.Int64, prefsOf(prefs)
	return a, err
}

// insertAccount inserts a, with its mail preferences, and returns its id.
func insertAccount(ctx context.Context, tx *sql.Tx, a domain.Account, now int64) (int64, error) {
	const q = `INSERT INTO accounts (collectivity_id, login, role, state, civility, last_name, first_name,
		function, email, phone, password_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`
	var ct sql.NullInt64
	if a.CollectivityID != 0 {
		ct = sql.NullInt64{Int64: a.CollectivityID, Valid: true}
	}
	var id int64
	if err := tx.QueryRowContext(ctx, q, ct, a.Login, a.Role, a.State, a.Civility, a.LastName, a.FirstName,
		a.Function, a.Email, a.Phone, a.PasswordHash, now).Scan(&id); err != nil {
		return 0, err
	}
	return id, writeAccountPrefs(ctx, tx, id, a.Prefs)
}

// listAccounts returns every account of the CT ctID, in the caller's
// transaction (after lockCollectivity when a rule is checked on them).
func listAccounts(ctx context.Context, tx *sql.Tx, ctID int64) ([]domain.Account, error) {
	const q = `SELECT ` + accountColumns + ` FROM accounts WHERE collectivity_id = $1 ORDER BY id`
	rows, err := tx.QueryContext(ctx, q, ctID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// holder returns the account that administers the CT: the open historical
// manager or the principal.
func holder(ctx context.Context, tx *sql.Tx, ctID int64) (domain.Account, error) {
	const q = `SELECT ` + accountColumns + ` FROM accounts WHERE collectivity_id = $1 AND state = 'active'
		AND role IN ('manager', 'principal')`
	return scanAccount(tx.QueryRowContext(ctx, q, ctID))
}

// requireHolder checks, in the transaction, that byID administers the CT.
func requireHolder(ctx context.Context, tx *sql.Tx, ctID, byID int64) error {
	h, err := holder(ctx, tx, ctID)
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && h.ID != byID):
		return domain.ErrNotHolder
	case err != nil:
		return fmt.Errorf("holder of collectivity %d: %w", ctID, err)
	}
	return nil
}

// requirePrincipal checks, in the transaction, that byID is the CT's principal.
func requirePrincipal(ctx context.Context, tx *sql.Tx, ctID, byID int64) error {
	var n int
	const q = `SELECT count(*) FROM accounts WHERE collectivity_id = $1 AND id = $2 AND role = 'principal' AND state = 'active'`
	if err := tx.QueryRowContext(ctx, q, ctID, byID).Scan(&n); err != nil {
		return err
	}
	if n != 1 {
		return domain.ErrNotPrincipal
	}
	return nil
}

// principalLocked takes the CT's lock, checks that byID is its principal,
// and returns the CT's accounts for a rule to be checked on them.
func principalLocked(ctx context.Context, tx *sql.Tx, ctID, byID int64) ([]domain.Account, error) {
	if err := lockCollectivity(ctx, tx, ctID); err != nil {
		return nil, err
	}
	if err := requirePrincipal(ctx, tx, ctID, byID); err != nil {
		return nil, err
	}
	return listAccounts(ctx, tx, ctID)
}

// freeLogin draws identifiants until one is unused. The unique index stays
// the judge; this only keeps a clash from failing the whole change.
func freeLogin(ctx context.Context, tx *sql.Tx) (string, error) {
	for range 5 {
		login := domain.NewLogin()
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE login = $1`, login).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return login, nil
		}
	}
	return "", errors.New("no free identifiant")
}

// GetAccount returns the account id of the CT ctID.
func (s *Store) GetAccount(ctx context.Context, ctID, id int64) (domain.Account, error) {
	const q = `SELECT ` + accountColumns + ` FROM accounts WHERE collectivity_id = $1 AND id = $2`
	a, err := scanAccount(s.db.QueryRowContext(ctx, q, ctID, id))
	if err != nil {
		return a, fmt.Errorf("store: get account %d: %w", id, translate(err))
	}
	return a, nil
}

// GetAccountByLogin returns the account whose identifiant is login, in any
// CT: the login form is the one place that does not know the CT yet.
func (s *Store) GetAccountByLogin(ctx context.Context, login string) (domain.Account, error) {
	const q = `SELECT ` + accountColumns + ` FROM accounts WHERE login = $1`
	a, err := scanAccount(s.db.QueryRowContext(ctx, q, NormalizeLogin(login)))
	if err != nil {
		return a, fmt.Errorf("store: get account by login: %w", translate(err))
	}
	return a, nil
}

// NormalizeLogin is the stored form of a typed identifiant. A character
// no identifiant holds but that a database refuses (invalid UTF-8, a
// control) becomes U+FFFD: the lookup then finds nothing, as for any
// unknown identifiant, instead of failing.
func NormalizeLogin(login string) string {
	login = strings.ToUpper(strings.TrimSpace(login))
	if domain.IsPlainLine(login) {
		return login
	}
	return strings.Map(func(r rune) rune {
		if !domain.IsPlainLine(string(r)) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(login, string(utf8.RuneError)))
}

// AddressChangedMail renders the e-mail queued, in the transaction of the
// change, when an account's courriel changes: before and after are the
// account on either side of the change.
type AddressChangedMail func(before, after domain.Account) (mail.Message, error)

// OwnAccountChange is what a person saves on its own "Mon compte" page.
type OwnAccountChange struct {
	Fiche            domain.Fiche
	Prefs            *domain.MailPrefs // nil leaves them (the historical manager has none to set)
	PasswordHash     string            // "" keeps the password
	KeepLoginSession string            // the login session that stays open when the password changes
	// RenewLoginSession, with a new password, is the new id hash of the
	// kept login session, changed in the same transaction: whoever held the
	// old id is out with the old password.
	RenewLoginSession string
	AddressChanged    AddressChangedMail // nil: no e-mail when the courriel changes
}

// SaveOwnAccount saves c for the active account id of the CT ctID, all or
// nothing, under the CT's lock (so that concurrent changes cannot break a
// rule together): the fiche (a principal's nom, prénom and courriel
// excepted), refused when it would make the account the same person as
// another of the CT; the mail preferences, refused when a training type
// would be left without a recipient; the password, ending then the
// account's other login sessions. A new password or a new courriel ends
// every pending link of the account; a new courriel queues the e-mail
// c.AddressChanged renders.
func (s *Store) SaveOwnAccount(ctx context.Context, ctID, id int64, c OwnAccountChange) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if derr := domain.CheckFicheText(c.Fiche); derr != nil {
			return derr
		}
		if err := lockCollectivity(ctx, tx, ctID); err != nil {
			return err
		}
		accounts, err := listAccounts(ctx, tx, ctID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(accounts, func(a domain.Account) bool { return a.ID == id && a.State == domain.StateActive })
		if i < 0 {
			return ErrNotFound
		}
		before, a, f := accounts[i], &accounts[i], c.Fiche
		a.Civility, a.Function, a.Phone = f.Civility, f.Function, f.Phone
		// A principal's nom, prénom and courriel change only through a change of principal.
		if a.Role != domain.RolePrincipal {
			a.LastName, a.FirstName, a.Email = f.LastName, f.FirstName, domain.NormalizeEmail(f.Email)
		}
		if c.Prefs != nil {
			a.Prefs = *c.Prefs
			if err := checkRecipients(ctx, tx, accounts); err != nil {
				return err
			}
		}
		if derr := domain.CheckNoDuplicate(accounts); derr != nil {
			return derr
		}
		const q = `UPDATE accounts SET civility = $3, last_name = $4, first_name = $5, function = $6, email = $7, phone = $8,
			updated_at = $9
			WHERE collectivity_id = $1 AND id = $2 AND state = 'active'`
		if err := execOne(ctx, tx, q, ctID, id, a.Civility, a.LastName, a.FirstName, a.Function, a.Email, a.Phone,
			s.now()); err != nil {
			return err
		}
		if c.Prefs != nil {
			if err := writeAccountPrefs(ctx, tx, id, a.Prefs); err != nil {
				return err
			}
		}
		now := s.now()
		if err := s.addressChanged(ctx, tx, before, *a, c.AddressChanged, now); err != nil {
			return err
		}
		changed := domain.FicheChanges(before.Fiche, a.Fiche)
		if !before.Prefs.Equal(a.Prefs) {
			changed = append(changed, domain.FieldPrefs)
		}
		if c.PasswordHash != "" {
			changed = append(changed, domain.FieldPassword)
		}
		if len(changed) > 0 {
			what := "a modifié son compte"
			if len(changed) == 1 && changed[0] == domain.FieldPassword {
				what = "a changé son mot de passe"
			}
			if err := s.record(ctx, tx, ctID, domain.JournalAccount, what, fieldNames(changed)...); err != nil {
				return err
			}
		}
		if c.PasswordHash == "" {
			return nil
		}
		const pw = `UPDATE accounts SET password_hash = $3 WHERE collectivity_id = $1 AND id = $2`
		if _, err := tx.ExecContext(ctx, pw, ctID, id, c.PasswordHash); err != nil {
			return err
		}
		if err := killLinks(ctx, tx, id, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_sessions WHERE account_id = $1 AND id_hash <> $2`, id, c.KeepLoginSession); err != nil {
			return err
		}
		if c.RenewLoginSession == "" {
			return nil
		}
		return renewLoginSession(ctx, tx, c.KeepLoginSession, c.RenewLoginSession)
	})
	if err != nil {
		return fmt.Errorf("store: save own account %d: %w", id, err)
	}
	return nil
}

// addressChanged ends every pending link of the account when its courriel
// changed from before to after (case aside: one mailbox), and queues the
// e-mail compose renders, if any.
func (s *Store) addressChanged(ctx context.Context, tx *sql.Tx, before, after domain.Account, compose AddressChangedMail, now int64) error {
	if strings.EqualFold(before.Email, after.Email) {
		return nil
	}
	if err := killLinks(ctx, tx, after.ID, now); err != nil {
		return err
	}
	if compose == nil {
		return nil
	}
	m, err := compose(before, after)
	if err != nil {
		return err
	}
	return enqueue(ctx, tx, m, now)
}

// RehashPassword replaces a hash made with older costs, after a successful
// login; it changes nothing if the password changed in between.
func (s *Store) RehashPassword(ctx context.Context, id int64, oldHash, newHash string) error {
	const q = `UPDATE accounts SET password_hash = $3 WHERE id = $1 AND password_hash = $2`
	_, err := s.db.ExecContext(ctx, q, id, oldHash, newHash)
	if err != nil {
		return fmt.Errorf("store: rehash password: %w", translate(err))
	}
	return nil
}
