package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Failed logins slow the next attempts down, per submitted identifiant
// (whether it exists or not, so the answer reveals nothing) and per client
// address. The wait doubles from 15 s up to 15 min and never becomes a
// lock: a real user waits at most 15 minutes, or resets the password,
// which forgets the identifiant's failures.
const (
	freeLoginFailures = 5  // per identifiant before any wait
	freeAddrFailures  = 20 // per address: offices share one
	firstWait         = 15 * time.Second
	maxWait           = 15 * time.Minute
	throttleForget    = 24 * time.Hour
)

func throttleLoginKey(login string) string { return "login:" + NormalizeLogin(login) }
func throttleAddrKey(addr string) string   { return "addr:" + strings.ToLower(addr) }

// wait is how long to wait after failures, given the free ones.
func wait(failures, free int) time.Duration {
	if failures < free {
		return 0
	}
	d := firstWait
	for i := free; i < failures && d < maxWait; i++ {
		d *= 2
	}
	return min(d, maxWait)
}

// LoginWait returns how long a login attempt for login from addr must still
// wait because of earlier failures (0: try now).
func (s *Store) LoginWait(ctx context.Context, login, addr string) (time.Duration, error) {
	now := s.Now()
	var longest time.Duration
	for _, k := range []struct {
		key  string
		free int
	}{{throttleLoginKey(login), freeLoginFailures}, {throttleAddrKey(addr), freeAddrFailures}} {
		var failures, last int64
		err := s.db.QueryRowContext(ctx, `SELECT failures, last_failure_at FROM login_throttle WHERE key = $1`, k.key).Scan(&failures, &last)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("store: login wait: %w", translate(err))
		}
		if now.Sub(time.Unix(last, 0)) >= throttleForget {
			continue
		}
		until := time.Unix(last, 0).Add(wait(int(failures), k.free))
		longest = max(longest, until.Sub(now))
	}
	return longest, nil
}

// RecordLoginFailure counts a failed login for login and for addr.
func (s *Store) RecordLoginFailure(ctx context.Context, login, addr string) error {
	const q = `INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE SET
		failures = CASE WHEN login_throttle.last_failure_at <= $3 THEN 1 ELSE login_throttle.failures + 1 END,
		last_failure_at = excluded.last_failure_at`
	now := s.now()
	forget := now - int64(throttleForget/time.Second)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, key := range []string{throttleLoginKey(login), throttleAddrKey(addr)} {
			if _, err := tx.ExecContext(ctx, q, key, now, forget); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: record login failure: %w", err)
	}
	return nil
}

// ClearLoginFailures forgets the failures of login after a success. The
// address keeps its count: one right password must not let an address
// go on guessing others at full speed.
func (s *Store) ClearLoginFailures(ctx context.Context, login string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, throttleLoginKey(login)); err != nil {
		return fmt.Errorf("store: clear login failures: %w", translate(err))
	}
	return nil
}
