package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// TakeLease takes or renews the lease of the scheduled job for holder until
// now+ttl, and reports whether holder holds it: it does when nobody held it,
// when holder already did, or when the other holder's lease had expired at
// now. One statement decides, so that of two portals racing for an expired
// lease exactly one gets it.
func (s *Store) TakeLease(ctx context.Context, job, holder string, now time.Time, ttl time.Duration) (bool, error) {
	const q = `INSERT INTO job_leases (job, holder, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE job_leases.holder = excluded.holder OR job_leases.expires_at <= $4`
	held := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, q, job, holder, now.Add(ttl).Unix(), now.Unix())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		held = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: take lease %s: %w", job, err)
	}
	return held, nil
}

// ReleaseLease ends holder's lease of job at once, so that another portal
// takes the job at its next pass instead of waiting for the lease to
// expire; it does nothing when holder no longer holds it.
func (s *Store) ReleaseLease(ctx context.Context, job, holder string) error {
	const q = `UPDATE job_leases SET expires_at = 0 WHERE job = $1 AND holder = $2`
	if _, err := s.db.ExecContext(ctx, q, job, holder); err != nil {
		return fmt.Errorf("store: release lease %s: %w", job, translate(err))
	}
	return nil
}
