package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"iel/internal/domain"
	"iel/internal/mail"
)

// Purposes of e-mailed links.
const (
	PurposePassword   = "password"   // set or reset a password
	PurposeInvitation = "invitation" // answer an operator's invitation ("validation de votre compte opérateur CT")
)

func insertToken(ctx context.Context, tx *sql.Tx, hash, purpose string, accountID, now, expires int64) error {
	const q = `INSERT INTO tokens (hash, purpose, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`
	_, err := tx.ExecContext(ctx, q, hash, purpose, accountID, now, expires)
	return err
}

// killTokens makes every unused link of purpose for the account useless:
// only the newest link sent works.
func killTokens(ctx context.Context, tx *sql.Tx, accountID int64, purpose string, now int64) error {
	const q = `UPDATE tokens SET used_at = $3 WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL`
	_, err := tx.ExecContext(ctx, q, accountID, purpose, now)
	return err
}

// killLinks makes every unused link of the account useless, whatever its
// purpose: its password or its address changed, so a link sent before
// may have gone where it no longer should.
func killLinks(ctx context.Context, tx *sql.Tx, accountID int64, now int64) error {
	const q = `UPDATE tokens SET used_at = $2 WHERE account_id = $1 AND used_at IS NULL`
	_, err := tx.ExecContext(ctx, q, accountID, now)
	return err
}

// linkError says why the link hash cannot be used (unknown, used or
// expired), as a rule of the domain.
func linkError(ctx context.Context, q queryer, hash, purpose string, now int64) error {
	const sel = `SELECT expires_at, used_at FROM tokens WHERE hash = $1 AND purpose = $2`
	var expires int64
	var used sql.NullInt64
	err := q.QueryRowContext(ctx, sel, hash, purpose).Scan(&expires, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return domain.ErrLinkUnknown
	case err != nil:
		return err
	case used.Valid:
		return domain.ErrLinkUsed
	case expires <= now:
		return domain.ErrLinkExpired
	}
	return nil
}

// GetPasswordToken returns the account a set-password link is for and its
// CT (none for CNFPT staff), or a domain error of kind Gone saying why the
// link cannot serve.
func (s *Store) GetPasswordToken(ctx context.Context, hash string) (domain.Account, domain.Collectivity, error) {
	now := s.now()
	if err := linkError(ctx, s.db, hash, PurposePassword, now); err != nil {
		return domain.Account{}, domain.Collectivity{}, fmt.Errorf("store: get password token: %w", err)
	}
	const q = `SELECT ` + accountColumns + ` FROM accounts WHERE id = (SELECT account_id FROM tokens WHERE hash = $1)`
	a, err := scanAccount(s.db.QueryRowContext(ctx, q, hash))
	if err != nil {
		return a, domain.Collectivity{}, fmt.Errorf("store: get password token: %w", translate(err))
	}
	if a.CollectivityID == 0 {
		return a, domain.Collectivity{}, nil
	}
	ct, err := getCollectivity(ctx, s.db, a.CollectivityID)
	if err != nil {
		return a, ct, fmt.Errorf("store: get password token: %w", translate(err))
	}
	return a, ct, nil
}

// SetPasswordWithToken uses the set-password link hash once: the account's
// password becomes passwordHash, an inactive account becomes active, its
// login sessions and its other links (of every purpose) end, its failed
// logins are forgotten. Two concurrent uses of one link: one wins, the other gets Gone.
func (s *Store) SetPasswordWithToken(ctx context.Context, hash, passwordHash string) (domain.Account, error) {
	var acc domain.Account
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		const use = `UPDATE tokens SET used_at = $3 WHERE hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING account_id`
		var id int64
		err := tx.QueryRowContext(ctx, use, hash, PurposePassword, now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			if lerr := linkError(ctx, tx, hash, PurposePassword, now); lerr != nil {
				return lerr
			}
		}
		if err != nil {
			return err
		}
		const upd = `UPDATE accounts SET password_hash = $2, updated_at = $3,
			state = CASE WHEN state = 'inactive' THEN 'active' ELSE state END
			WHERE id = $1 AND state IN ('inactive', 'active')
			RETURNING ` + accountColumns
		if acc, err = scanAccount(tx.QueryRowContext(ctx, upd, id, passwordHash, now)); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return domain.ErrAccountClosed
			}
			return err
		}
		if err := s.record(asPersonOf(ctx, acc), tx, acc.CollectivityID, domain.JournalAccount,
			"a choisi son mot de passe avec le lien reçu par courriel", domain.FieldLabel(domain.FieldPassword)); err != nil {
			return err
		}
		if err := killLinks(ctx, tx, id, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_sessions WHERE account_id = $1`, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, throttleLoginKey(acc.Login))
		return err
	})
	if err != nil {
		return domain.Account{}, fmt.Errorf("store: set password with token: %w", err)
	}
	return acc, nil
}

// RequestPasswordReset sends a set-password link to the account login when
// there is one that may use it (active, or a manager, a principal or an
// operator who accepted its invitation and has not set its password yet);
// otherwise it does nothing, and says nothing:
// the caller answers the same either way. A link sent less than cooldown
// ago is not replaced: repeated requests must not flood a mailbox.
func (s *Store) RequestPasswordReset(ctx context.Context, login, hash string, expiry time.Time, cooldown time.Duration, compose func(domain.Account) (mail.Message, error)) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		const q = `SELECT ` + accountColumns + ` FROM accounts WHERE login = $1
			AND (state = 'active' OR (state = 'inactive' AND (role IN ('manager', 'principal') OR accepted_at IS NOT NULL)))`
		acc, err := scanAccount(tx.QueryRowContext(ctx, q, NormalizeLogin(login)))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		now := s.now()
		var recent int
		const rq = `SELECT count(*) FROM tokens WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL AND created_at > $3`
		if err := tx.QueryRowContext(ctx, rq, acc.ID, PurposePassword, now-int64(cooldown/time.Second)).Scan(&recent); err != nil {
			return err
		}
		if recent > 0 {
			return nil
		}
		if err := killTokens(ctx, tx, acc.ID, PurposePassword, now); err != nil {
			return err
		}
		if err := insertToken(ctx, tx, hash, PurposePassword, acc.ID, now, expiry.Unix()); err != nil {
			return err
		}
		if err := s.record(asPersonOf(ctx, acc), tx, acc.CollectivityID, domain.JournalAccount,
			"a demandé un nouveau mot de passe (« Mot de passe oublié ? ») : un lien lui a été envoyé par courriel"); err != nil {
			return err
		}
		return enqueueLink(ctx, tx, compose, acc, expiry, now)
	})
	if err != nil {
		return fmt.Errorf("store: request password reset: %w", err)
	}
	return nil
}
