package store

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func fail(t *testing.T, s *Store, login, addr string, n int) {
	t.Helper()
	for range n {
		if err := s.RecordLoginFailure(testCtx(), login, addr); err != nil {
			t.Fatalf("RecordLoginFailure: %v", err)
		}
	}
}

func loginWait(t *testing.T, s *Store, login, addr string) time.Duration {
	t.Helper()
	d, err := s.LoginWait(testCtx(), login, addr)
	if err != nil {
		t.Fatalf("LoginWait: %v", err)
	}
	return d
}

// The throttle works the same whether the identifiant exists or not, so
// that its answers reveal nothing.
func TestLoginThrottlePerLogin(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		known := createCT(t, s, "Commune de Cholet", true).acc.Login
		for _, tt := range []struct{ name, login string }{{"existing login", known}, {"unknown login", "NOBODY2345"}} {
			t.Run(tt.name, func(t *testing.T) {
				addr := "198.51.100." + fmt.Sprint(len(tt.name)) // an address of its own per case
				if d := loginWait(t, s, tt.login, addr); d != 0 {
					t.Fatalf("fresh login: wait %v, want 0", d)
				}
				steps := []struct {
					failures int // in total
					want     time.Duration
				}{
					{4, 0},
					{5, 15 * time.Second},
					{6, 30 * time.Second},
					{7, time.Minute},
					{10, 8 * time.Minute},
					{11, 15 * time.Minute},
					{40, 15 * time.Minute},
				}
				done := 0
				for _, st := range steps {
					fail(t, s, tt.login, addr, st.failures-done)
					done = st.failures
					if d := loginWait(t, s, tt.login, addr); d != st.want {
						t.Errorf("after %d failures: wait %v, want %v", st.failures, d, st.want)
					}
					// The typed form of the identifiant does not matter.
					if d := loginWait(t, s, " "+strings.ToLower(tt.login)+" ", "203.0.113.9"); d != st.want {
						t.Errorf("after %d failures, typed in lower case from elsewhere: wait %v, want %v", st.failures, d, st.want)
					}
				}
				// The wait counts from the last failure.
				c.Add(10 * time.Minute)
				if d := loginWait(t, s, tt.login, addr); d != 5*time.Minute {
					t.Errorf("10 min after the last failure: wait %v, want 5m", d)
				}
				c.Add(5 * time.Minute)
				if d := loginWait(t, s, tt.login, addr); d != 0 {
					t.Errorf("15 min after the last failure: wait %v, want 0", d)
				}
				// A day later every failure is forgotten, and a new one starts afresh.
				c.Add(24*time.Hour - 15*time.Minute)
				if d := loginWait(t, s, tt.login, addr); d != 0 {
					t.Errorf("a day later: wait %v, want 0", d)
				}
				fail(t, s, tt.login, addr, 4)
				if d := loginWait(t, s, tt.login, addr); d != 0 {
					t.Errorf("4 failures a day after 40: wait %v, want 0", d)
				}
				fail(t, s, tt.login, addr, 1)
				if d := loginWait(t, s, tt.login, addr); d != 15*time.Second {
					t.Errorf("5 failures a day after 40: wait %v, want 15s", d)
				}
			})
		}
	})
}

func TestLoginThrottlePerAddress(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		const addr = "192.0.2.7"
		for i := range 19 {
			fail(t, s, fmt.Sprintf("GUESS%05d", i), addr, 1)
		}
		if d := loginWait(t, s, "ANYONE2345", addr); d != 0 {
			t.Fatalf("after 19 failures from one address: wait %v, want 0", d)
		}
		fail(t, s, "GUESS00019", addr, 1)
		if d := loginWait(t, s, "ANYONE2345", addr); d != 15*time.Second {
			t.Fatalf("after 20 failures from one address: wait %v, want 15s", d)
		}
		if d := loginWait(t, s, "ANYONE2345", "192.0.2.8"); d != 0 {
			t.Fatalf("another address: wait %v, want 0", d)
		}
		fail(t, s, "GUESS00020", addr, 1)
		if d := loginWait(t, s, "ANYONE2345", addr); d != 30*time.Second {
			t.Fatalf("after 21 failures from one address: wait %v, want 30s", d)
		}

		// A success clears the identifiant's count, not the address's.
		fail(t, s, "GUESS00020", addr, 4) // 5 on this login
		if d := loginWait(t, s, "GUESS00020", "192.0.2.9"); d != 15*time.Second {
			t.Fatalf("5 failures on one login: wait %v, want 15s", d)
		}
		if err := s.ClearLoginFailures(testCtx(), " guess00020 "); err != nil {
			t.Fatal(err)
		}
		if d := loginWait(t, s, "GUESS00020", "192.0.2.9"); d != 0 {
			t.Errorf("cleared login from elsewhere: wait %v, want 0", d)
		}
		if d := loginWait(t, s, "GUESS00020", addr); d != 8*time.Minute {
			t.Errorf("cleared login from the guessing address (25 failures): wait %v, want 8m", d)
		}
		c.Add(24 * time.Hour)
		if d := loginWait(t, s, "ANYONE2345", addr); d != 0 {
			t.Errorf("a day later: wait %v, want 0", d)
		}
	})
}

// A device cookie counts its own failures, apart from the identifiant's
// and the address's, and stops counting after freeDeviceFailures.
func TestDeviceThrottle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		trusted := func(id string) bool {
			t.Helper()
			ok, err := s.DeviceTrusted(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !trusted("nonce-a") {
			t.Fatal("a device without failures is not trusted")
		}
		for i := 1; i <= 10; i++ {
			ok, err := s.RecordDeviceFailure(ctx, "nonce-a")
			if err != nil {
				t.Fatal(err)
			}
			if want := i < 10; ok != want || trusted("nonce-a") != want {
				t.Fatalf("after %d failures: trusted %v, want %v", i, ok, want)
			}
		}
		if !trusted("nonce-b") {
			t.Error("another device lost its trust")
		}
		// The device's failures weigh on neither the identifiant nor the address.
		if d := loginWait(t, s, "CIBLE23456", "device:nonce-a"); d != 0 {
			t.Errorf("device failures slowed an identifiant or address: %v", d)
		}
		// Forgotten a day after the last one, or cleared by a login.
		c.Add(24 * time.Hour)
		if !trusted("nonce-a") {
			t.Error("a day later the device is still untrusted")
		}
		for range 10 {
			if _, err := s.RecordDeviceFailure(ctx, "nonce-b"); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.ClearDeviceFailures(ctx, "nonce-b"); err != nil {
			t.Fatal(err)
		}
		if !trusted("nonce-b") {
			t.Error("cleared device still untrusted")
		}
	})
}

// The device key is made once and shared by every process of the database.
func TestDeviceKey(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dsn := e.dsn(t)
			a, _ := openTest(t, dsn)
			b, _ := openTest(t, dsn)
			var wg sync.WaitGroup
			keys := make([][]byte, 8)
			for i := range keys {
				st := a
				if i%2 == 1 {
					st = b
				}
				wg.Go(func() {
					k, err := st.DeviceKey(testCtx())
					if err != nil {
						t.Errorf("DeviceKey: %v", err)
					}
					keys[i] = k
				})
			}
			wg.Wait()
			if len(keys[0]) != 32 {
				t.Fatalf("key of %d bytes, want 32", len(keys[0]))
			}
			for i, k := range keys {
				if !bytes.Equal(k, keys[0]) {
					t.Errorf("key %d differs from key 0", i)
				}
			}
			c, _ := openTest(t, dsn)
			if k, err := c.DeviceKey(testCtx()); err != nil || !bytes.Equal(k, keys[0]) {
				t.Errorf("after a restart: key differs (%v)", err)
			}
		})
	}
}
