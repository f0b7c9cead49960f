package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"iel/internal/domain"
)

const accountColumns = `id, collectivity_id, login, role, state, civility, last_name, first_name,
	function, email, phone, mail_integration, mail_inter, password_hash`

type scanner interface{ Scan(dest ...any) error }

func scanAccount(row scanner) (domain.Account, error) {
	var a domain.Account
	var ct sql.NullInt64
	err := row.Scan(&a.ID, &ct, &a.Login, &a.Role, &a.State, &a.Civility, &a.LastName, &a.FirstName,
		&a.Function, &a.Email, &a.Phone, &a.Prefs.Integration, &a.Prefs.Inter, &a.PasswordHash)
	a.CollectivityID = ct.Int64
	return a, err
}

func insertAccount(ctx context.Context, tx *sql.Tx, a domain.Account, now int64) (int64, error) {
	const q = `INSERT INTO accounts (collectivity_id, login, role, state, civility, last_name, first_name,
		function, email, phone, mail_integration, mail_inter, password_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`
	var ct sql.NullInt64
	if a.CollectivityID != 0 {
		ct = sql.NullInt64{Int64: a.CollectivityID, Valid: true}
	}
	var id int64
	err := tx.QueryRowContext(ctx, q, ct, a.Login, a.Role, a.State, a.Civility, a.LastName, a.FirstName,
		a.Function, a.Email, a.Phone, a.Prefs.Integration, a.Prefs.Inter, a.PasswordHash, now).Scan(&id)
	return id, err
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

// NormalizeLogin is the stored form of a typed identifiant.
func NormalizeLogin(login string) string { return strings.ToUpper(strings.TrimSpace(login)) }

// OwnAccountChange is what a person saves on its own "Mon compte" page.
type OwnAccountChange struct {
	Fiche        domain.Fiche
	Prefs        *domain.MailPrefs // nil leaves them (the historical manager has none to set)
	PasswordHash string            // "" keeps the password
	KeepSession  string            // the session that stays open when the password changes
}

// SaveOwnAccount saves c for account id of the CT ctID, all or nothing: the
// fiche (a principal's nom, prénom and courriel excepted); the mail preferences, refused when a training type would be left
// without a recipient (checked under the CT's lock, so concurrent changes
// cannot break the rule together); the password, ending then the account's
// other login sessions.
func (s *Store) SaveOwnAccount(ctx context.Context, ctID, id int64, c OwnAccountChange) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if c.Prefs != nil {
			if err := lockCollectivity(ctx, tx, ctID); err != nil {
				return err
			}
			accounts, err := listAccounts(ctx, tx, ctID)
			if err != nil {
				return err
			}
			for i := range accounts {
				if accounts[i].ID == id {
					accounts[i].Prefs = *c.Prefs
				}
			}
			if derr := domain.CheckRecipients(accounts); derr != nil {
				return derr
			}
		}
		f := c.Fiche
		// A principal's nom, prénom and courriel change only through a change of principal.
		const q = `UPDATE accounts SET civility = $3, function = $6, phone = $8, updated_at = $9,
			last_name = CASE WHEN role = 'principal' THEN last_name ELSE $4 END,
			first_name = CASE WHEN role = 'principal' THEN first_name ELSE $5 END,
			email = CASE WHEN role = 'principal' THEN email ELSE $7 END
			WHERE collectivity_id = $1 AND id = $2 AND state = 'active'`
		res, err := tx.ExecContext(ctx, q, ctID, id, f.Civility, f.LastName, f.FirstName, f.Function, f.Email, f.Phone, s.now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrNotFound
		}
		if c.Prefs != nil {
			const pq = `UPDATE accounts SET mail_integration = $3, mail_inter = $4 WHERE collectivity_id = $1 AND id = $2`
			if _, err := tx.ExecContext(ctx, pq, ctID, id, c.Prefs.Integration, c.Prefs.Inter); err != nil {
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
		_, err = tx.ExecContext(ctx, `DELETE FROM login_sessions WHERE account_id = $1 AND id_hash <> $2`, id, c.KeepSession)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save own account %d: %w", id, err)
	}
	return nil
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
