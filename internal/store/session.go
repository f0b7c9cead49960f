package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"iel/internal/domain"
)

// Login session lifetimes.
const (
	LoginSessionIdle     = 30 * time.Minute
	LoginSessionAbsolute = 12 * time.Hour
	// touchEvery spares a write per request: last_seen_at moves once a minute at most.
	touchEvery = time.Minute
)

// CreateLoginSession opens a login session whose cookie hashes to idHash.
func (s *Store) CreateLoginSession(ctx context.Context, idHash string, accountID int64) error {
	const q = `INSERT INTO login_sessions (id_hash, account_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)`
	now := s.now()
	if _, err := s.db.ExecContext(ctx, q, idHash, accountID, now); err != nil {
		return fmt.Errorf("store: create login session: %w", translate(err))
	}
	return nil
}

// GetLoginSession returns the account and CT of a live login session
// (neither idle for 30 minutes nor older than 12 hours, its account still
// able to log in), and keeps it alive. ErrNotFound otherwise.
func (s *Store) GetLoginSession(ctx context.Context, idHash string) (domain.Account, domain.Collectivity, error) {
	now := s.now()
	const q = `SELECT ls.last_seen_at, a.id, a.collectivity_id, a.login, a.role, a.state, a.civility, a.last_name,
		a.first_name, a.function, a.email, a.phone,
		(SELECT COALESCE(string_agg(p.type_code, ','), '') FROM account_mail_prefs p WHERE p.account_id = a.id AND p.receives), a.password_hash,
		COALESCE(c.id, 0), COALESCE(c.name, ''), COALESCE(c.email, '')
		FROM login_sessions ls
		JOIN accounts a ON a.id = ls.account_id
		LEFT JOIN collectivities c ON c.id = a.collectivity_id
		WHERE ls.id_hash = $1 AND ls.last_seen_at > $2 AND ls.created_at > $3 AND a.state = 'active'`
	var a domain.Account
	var c domain.Collectivity
	var seen int64
	var ct sql.NullInt64
	var prefs string
	err := s.db.QueryRowContext(ctx, q, idHash, now-int64(LoginSessionIdle/time.Second), now-int64(LoginSessionAbsolute/time.Second)).Scan(
		&seen, &a.ID, &ct, &a.Login, &a.Role, &a.State, &a.Civility, &a.LastName, &a.FirstName, &a.Function,
		&a.Email, &a.Phone, &prefs, &a.PasswordHash, &c.ID, &c.Name, &c.Email)
	if err != nil {
		return a, c, fmt.Errorf("store: get login session: %w", translate(err))
	}
	a.CollectivityID, a.Prefs = ct.Int64, prefsOf(prefs)
	if now-seen >= int64(touchEvery/time.Second) {
		if _, err := s.db.ExecContext(ctx, `UPDATE login_sessions SET last_seen_at = $2 WHERE id_hash = $1`, idHash, now); err != nil {
			return a, c, fmt.Errorf("store: touch login session: %w", translate(err))
		}
	}
	return a, c, nil
}

// renewLoginSession gives the login session oldHash the id newHash,
// keeping its age: ErrNotFound when the session is gone.
func renewLoginSession(ctx context.Context, tx *sql.Tx, oldHash, newHash string) error {
	return execOne(ctx, tx, `UPDATE login_sessions SET id_hash = $2 WHERE id_hash = $1`, oldHash, newHash)
}

// DeleteLoginSession ends a login session (logout).
func (s *Store) DeleteLoginSession(ctx context.Context, idHash string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_sessions WHERE id_hash = $1`, idHash); err != nil {
		return fmt.Errorf("store: delete login session: %w", translate(err))
	}
	return nil
}

// PurgeExpired deletes login sessions and links that can no longer serve,
// and old failed-login counters; the server calls it now and then.
func (s *Store) PurgeExpired(ctx context.Context) error {
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_sessions WHERE last_seen_at <= $1 OR created_at <= $2`,
			now-int64(LoginSessionIdle/time.Second), now-int64(LoginSessionAbsolute/time.Second)); err != nil {
			return err
		}
		// Links are kept a month after their end, so a late click still says why it fails.
		if _, err := tx.ExecContext(ctx, `DELETE FROM tokens WHERE expires_at <= $1`, now-30*24*3600); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM login_throttle WHERE last_failure_at <= $1`, now-int64(throttleForget/time.Second))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: purge expired: %w", err)
	}
	return nil
}
