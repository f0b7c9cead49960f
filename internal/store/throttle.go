package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
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
//
// Those waits are for unknown browsers only. A browser that once logged
// in to an identifiant carries a device cookie for it (OWASP, "Slow down
// online guessing attacks with device cookies"): its attempts on that
// identifiant are counted on the cookie alone, and only after
// freeDeviceFailures failures does the cookie stop counting, its browser
// becoming an unknown one again. Whoever hammers an identifiant from
// elsewhere thus slows down only the unknown browsers.
const (
	freeLoginFailures  = 5  // per identifiant before any wait
	freeAddrFailures   = 20 // per address: offices share one
	freeDeviceFailures = 10 // per device cookie, before it stops counting
	firstWait          = 15 * time.Second
	maxWait            = 15 * time.Minute
	throttleForget     = 24 * time.Hour
)

func throttleLoginKey(login string) string { return "login:" + NormalizeLogin(login) }
func throttleAddrKey(addr string) string   { return "addr:" + strings.ToLower(addr) }
func throttleDeviceKey(id string) string   { return "device:" + id }

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

// failures returns the failures counted on key and the time of the last
// one; failures older than throttleForget are none.
func (s *Store) failures(ctx context.Context, key string) (int, time.Time, error) {
	var failures, last int64
	err := s.db.QueryRowContext(ctx, `SELECT failures, last_failure_at FROM login_throttle WHERE key = $1`, key).Scan(&failures, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, translate(err)
	}
	at := time.Unix(last, 0)
	if s.Now().Sub(at) >= throttleForget {
		return 0, time.Time{}, nil
	}
	return int(failures), at, nil
}

// LoginWait returns how long a login attempt for login from addr, by an
// unknown browser, must still wait because of earlier failures (0: try now).
func (s *Store) LoginWait(ctx context.Context, login, addr string) (time.Duration, error) {
	now := s.Now()
	var longest time.Duration
	for _, k := range []struct {
		key  string
		free int
	}{{throttleLoginKey(login), freeLoginFailures}, {throttleAddrKey(addr), freeAddrFailures}} {
		failures, last, err := s.failures(ctx, k.key)
		if err != nil {
			return 0, fmt.Errorf("store: login wait: %w", err)
		}
		if failures == 0 {
			continue
		}
		longest = max(longest, last.Add(wait(failures, k.free)).Sub(now))
	}
	return longest, nil
}

// recordFailure counts one failure on key and returns the count.
func (s *Store) recordFailure(ctx context.Context, tx *sql.Tx, key string) (int, error) {
	const q = `INSERT INTO login_throttle (key, failures, last_failure_at) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE SET
		failures = CASE WHEN login_throttle.last_failure_at <= $3 THEN 1 ELSE login_throttle.failures + 1 END,
		last_failure_at = excluded.last_failure_at
		RETURNING failures`
	now := s.now()
	var n int
	err := tx.QueryRowContext(ctx, q, key, now, now-int64(throttleForget/time.Second)).Scan(&n)
	return n, err
}

// RecordLoginFailure counts a failed login of an unknown browser for login
// and for addr.
func (s *Store) RecordLoginFailure(ctx context.Context, login, addr string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, key := range []string{throttleLoginKey(login), throttleAddrKey(addr)} {
			if _, err := s.recordFailure(ctx, tx, key); err != nil {
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

// DeviceTrusted reports whether the device cookie id still spares its
// browser the waits of unknown ones: it has not failed freeDeviceFailures
// times since its failures were last forgotten.
func (s *Store) DeviceTrusted(ctx context.Context, id string) (bool, error) {
	n, _, err := s.failures(ctx, throttleDeviceKey(id))
	if err != nil {
		return false, fmt.Errorf("store: device trusted: %w", err)
	}
	return n < freeDeviceFailures, nil
}

// RecordDeviceFailure counts a failed login of the browser holding the
// device cookie id, and reports whether the cookie still counts.
func (s *Store) RecordDeviceFailure(ctx context.Context, id string) (trusted bool, err error) {
	var n int
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		n, err = s.recordFailure(ctx, tx, throttleDeviceKey(id))
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: record device failure: %w", err)
	}
	return n < freeDeviceFailures, nil
}

// ClearDeviceFailures forgets the failures of the device cookie id: its
// browser has just logged in, and gets a new cookie.
func (s *Store) ClearDeviceFailures(ctx context.Context, id string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, throttleDeviceKey(id)); err != nil {
		return fmt.Errorf("store: clear device failures: %w", translate(err))
	}
	return nil
}

// DeviceKey returns the key that signs device cookies. The first call on
// a database makes it; every process sharing the database reads the same.
func (s *Store) DeviceKey(ctx context.Context) ([]byte, error) {
	const name = "device_cookie_key"
	b := make([]byte, 32)
	rand.Read(b)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
			name, base64.StdEncoding.EncodeToString(b))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: device key: %w", err)
	}
	var v string
	if err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = $1`, name).Scan(&v); err != nil {
		return nil, fmt.Errorf("store: device key: %w", translate(err))
	}
	key, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(key) < 32 {
		return nil, errors.New("store: device key: the stored key is not 32 bytes of base64")
	}
	return key, nil
}
