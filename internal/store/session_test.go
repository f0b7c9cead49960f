package store

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
)

func lastSeen(t *testing.T, s *Store, idHash string) time.Time {
	t.Helper()
	var seen int64
	if err := s.db.QueryRow(`SELECT last_seen_at FROM login_sessions WHERE id_hash = $1`, idHash).Scan(&seen); err != nil {
		t.Fatalf("last_seen_at of %s: %v", idHash, err)
	}
	return time.Unix(seen, 0)
}

func TestLoginSession(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		if err := s.CreateLoginSession(ctx, "sess", f.acc.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateLoginSession(ctx, "sess", f.acc.ID); !errors.Is(err, ErrConflict) {
			t.Errorf("second session with one id = %v, want ErrConflict", err)
		}
		a, ct, err := s.GetLoginSession(ctx, "sess")
		if err != nil {
			t.Fatalf("GetLoginSession: %v", err)
		}
		if diff := cmp.Diff(f.acc, a); diff != "" {
			t.Errorf("session account (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(f.ct, ct); diff != "" {
			t.Errorf("session collectivity (-want +got):\n%s", diff)
		}
		if _, _, err := s.GetLoginSession(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown session = %v, want ErrNotFound", err)
		}

		created := c.Now()
		c.Add(30 * time.Second)
		if _, _, err := s.GetLoginSession(ctx, "sess"); err != nil {
			t.Fatal(err)
		}
		if got := lastSeen(t, s, "sess"); !got.Equal(created) {
			t.Errorf("last_seen_at = %v after 30 s, want %v: touched more than once a minute", got, created)
		}
		c.Add(5 * time.Minute)
		if _, _, err := s.GetLoginSession(ctx, "sess"); err != nil {
			t.Fatal(err)
		}
		if got := lastSeen(t, s, "sess"); !got.Equal(c.Now()) {
			t.Errorf("last_seen_at = %v, want %v", got, c.Now())
		}

		if err := s.DeleteLoginSession(ctx, "sess"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.GetLoginSession(ctx, "sess"); !errors.Is(err, ErrNotFound) {
			t.Errorf("session after logout = %v, want ErrNotFound", err)
		}
	})
}

func TestLoginSessionIdle(t *testing.T) {
	tests := []struct {
		name  string
		idle  time.Duration
		alive bool
	}{
		{"idle 29 minutes", 29 * time.Minute, true},
		{"idle 29 min 59 s", 30*time.Minute - time.Second, true},
		{"idle 30 minutes", 30 * time.Minute, false},
		{"idle 31 minutes", 31 * time.Minute, false},
	}
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		for i, tt := range tests {
			id := fmt.Sprint("idle-", i)
			if err := s.CreateLoginSession(ctx, id, f.acc.ID); err != nil {
				t.Fatal(err)
			}
			c.Add(tt.idle)
			_, _, err := s.GetLoginSession(ctx, id)
			if alive := err == nil; alive != tt.alive || err != nil && !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: GetLoginSession = %v, want alive %v", tt.name, err, tt.alive)
			}
		}
	})
}

func TestLoginSessionAbsolute(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		if err := s.CreateLoginSession(ctx, "busy", f.acc.ID); err != nil {
			t.Fatal(err)
		}
		// Activity every 20 minutes keeps it alive until 12 hours, not past.
		for elapsed := 20 * time.Minute; elapsed < 12*time.Hour; elapsed += 20 * time.Minute {
			c.Add(20 * time.Minute)
			if _, _, err := s.GetLoginSession(ctx, "busy"); err != nil {
				t.Fatalf("after %v of activity: %v", elapsed, err)
			}
		}
		c.Add(20 * time.Minute)
		if _, _, err := s.GetLoginSession(ctx, "busy"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("after 12 hours = %v, want ErrNotFound", err)
		}
	})
}

func TestLoginSessionAccountNotActive(t *testing.T) {
	tests := []struct {
		name  string
		state domain.State
	}{
		{"inactive", domain.StateInactive},
		{"refused", domain.StateRefused},
		{"closed", domain.StateClosed},
	}
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		for i, tt := range tests {
			f := createCT(t, s, fmt.Sprint("Commune ", i), true)
			id := fmt.Sprint("s-", i)
			if err := s.CreateLoginSession(ctx, id, f.acc.ID); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.GetLoginSession(ctx, id); err != nil {
				t.Fatalf("%s: before: %v", tt.name, err)
			}
			if _, err := s.db.ExecContext(ctx, `UPDATE accounts SET state = $2 WHERE id = $1`, f.acc.ID, tt.state); err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.GetLoginSession(ctx, id); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: GetLoginSession = %v, want ErrNotFound", tt.name, err)
			}
		}
	})
}

func TestSaveOwnAccount(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		for _, id := range []string{"mine", "phone", "laptop"} {
			if err := s.CreateLoginSession(ctx, id, f.acc.ID); err != nil {
				t.Fatal(err)
			}
		}
		fiche := domain.Fiche{Civility: domain.Madame, LastName: "Durand", FirstName: "Anne", Function: "DRH",
			Email: "anne.durand@cholet.fr", Phone: "0241000000"}

		// The fiche alone leaves sessions and password.
		if err := s.SaveOwnAccount(ctx, f.ct.ID, f.acc.ID, OwnAccountChange{Fiche: fiche, PasswordHash: "", KeepLoginSession: "mine"}); err != nil {
			t.Fatalf("SaveOwnAccount(fiche): %v", err)
		}
		got, _ := s.GetAccount(ctx, f.ct.ID, f.acc.ID)
		want := f.acc
		want.Fiche = fiche
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("after saving the fiche (-want +got):\n%s", diff)
		}
		if n := count(t, s, "login_sessions"); n != 3 {
			t.Fatalf("saving the fiche left %d sessions, want 3", n)
		}

		if err := s.SaveOwnAccount(ctx, f.ct.ID, f.acc.ID, OwnAccountChange{Fiche: fiche, PasswordHash: "new-hash", KeepLoginSession: "mine"}); err != nil {
			t.Fatalf("SaveOwnAccount(password): %v", err)
		}
		got, _ = s.GetAccount(ctx, f.ct.ID, f.acc.ID)
		if got.PasswordHash != "new-hash" {
			t.Fatalf("password hash = %q, want new-hash", got.PasswordHash)
		}
		if _, _, err := s.GetLoginSession(ctx, "mine"); err != nil {
			t.Errorf("the session that changed the password: %v, want kept", err)
		}
		for _, id := range []string{"phone", "laptop"} {
			if _, _, err := s.GetLoginSession(ctx, id); !errors.Is(err, ErrNotFound) {
				t.Errorf("other session %s = %v, want ErrNotFound", id, err)
			}
		}
	})
}

// A new password renews the login session that set it, in the same
// transaction: the session answers to its new id only and keeps its age;
// when that session is gone, nothing is saved.
func TestRenewLoginSession(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		if err := s.CreateLoginSession(ctx, "old", f.acc.ID); err != nil {
			t.Fatal(err)
		}
		for range 35 { // used every 20 minutes, up to 11h40 of age
			c.Add(20 * time.Minute)
			if _, _, err := s.GetLoginSession(ctx, "old"); err != nil {
				t.Fatal(err)
			}
		}
		fiche := domain.Fiche{Civility: domain.Madame, LastName: "Durand", FirstName: "Anne", Function: "DRH",
			Email: "anne.durand@cholet.fr", Phone: "0241000000"}
		change := OwnAccountChange{Fiche: fiche, PasswordHash: "new-hash", KeepLoginSession: "old", RenewLoginSession: "new"}
		if err := s.SaveOwnAccount(ctx, f.ct.ID, f.acc.ID, change); err != nil {
			t.Fatalf("SaveOwnAccount: %v", err)
		}
		if _, _, err := s.GetLoginSession(ctx, "old"); !errors.Is(err, ErrNotFound) {
			t.Errorf("old id after renewal: %v, want ErrNotFound", err)
		}
		if a, _, err := s.GetLoginSession(ctx, "new"); err != nil || a.ID != f.acc.ID {
			t.Errorf("new id: account %d, %v", a.ID, err)
		}

		// The session that asks is gone (ended elsewhere meanwhile): the
		// password stays as it was.
		change = OwnAccountChange{Fiche: fiche, PasswordHash: "other-hash", KeepLoginSession: "old", RenewLoginSession: "other"}
		if err := s.SaveOwnAccount(ctx, f.ct.ID, f.acc.ID, change); !errors.Is(err, ErrNotFound) {
			t.Errorf("renewing a dead id: %v, want ErrNotFound", err)
		}
		if got, _ := s.GetAccount(ctx, f.ct.ID, f.acc.ID); got.PasswordHash != "new-hash" {
			t.Errorf("password hash after a refused renewal = %q, want new-hash", got.PasswordHash)
		}

		c.Add(20 * time.Minute)
		if _, _, err := s.GetLoginSession(ctx, "new"); !errors.Is(err, ErrNotFound) {
			t.Errorf("renewed session past the absolute lifetime: %v, want ErrNotFound", err)
		}
	})
}

// One CT's id with another CT's account finds nothing and changes nothing.
func TestUpdateOwnAccountScopedByCT(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		cholet := createCT(t, s, "Commune de Cholet", true)
		angers := createCT(t, s, "Commune d'Angers", true)
		for _, id := range []string{"a1", "a2"} {
			if err := s.CreateLoginSession(ctx, id, angers.acc.ID); err != nil {
				t.Fatal(err)
			}
		}
		fiche := domain.Fiche{Civility: domain.Monsieur, LastName: "Intrus", FirstName: "Jean", Function: "X",
			Email: "intrus@cholet.fr", Phone: "0241000000"}
		err := s.SaveOwnAccount(ctx, cholet.ct.ID, angers.acc.ID, OwnAccountChange{Fiche: fiche, PasswordHash: "stolen", KeepLoginSession: "a1"})
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("UpdateOwnAccount across CTs = %v, want ErrNotFound", err)
		}
		if _, err := s.GetAccount(ctx, cholet.ct.ID, angers.acc.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("GetAccount across CTs = %v, want ErrNotFound", err)
		}
		got, err := s.GetAccount(ctx, angers.ct.ID, angers.acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(angers.acc, got); diff != "" {
			t.Errorf("account changed through another CT (-want +got):\n%s", diff)
		}
		if n := count(t, s, "login_sessions"); n != 2 {
			t.Errorf("%d sessions left, want 2", n)
		}
	})
}

func TestUpdateOwnAccountInactive(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		f := createCT(t, s, "Commune de Cholet", false)
		err := s.SaveOwnAccount(testCtx(), f.ct.ID, f.acc.ID, OwnAccountChange{Fiche: domain.Fiche{LastName: "X"}, PasswordHash: "h", KeepLoginSession: ""})
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("UpdateOwnAccount of an inactive account = %v, want ErrNotFound", err)
		}
		if got, _ := s.GetAccount(testCtx(), f.ct.ID, f.acc.ID); got.LastName != "" || got.PasswordHash != "" {
			t.Fatalf("inactive account changed: %+v", got)
		}
	})
}

func TestPurgeExpired(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		now := c.Now().Unix()
		sessions := []struct {
			id            string
			created, seen int64
			live          bool
		}{
			{"live", now - 3600, now - 60, true},
			{"idle", now - 3600, now - 1800, false},
			{"old", now - 12*3600, now - 60, false},
			{"almost old", now - 12*3600 + 1, now - 1799, true},
		}
		for _, ls := range sessions {
			if _, err := s.db.ExecContext(ctx, `INSERT INTO login_sessions (id_hash, account_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)`,
				ls.id, f.acc.ID, ls.created, ls.seen); err != nil {
				t.Fatal(err)
			}
		}
		tokens := []struct {
			hash    string
			expires int64
			kept    bool
		}{
			{"expired long ago", now - 31*24*3600, false},
			{"expired lately", now - 29*24*3600, true},
		}
		for _, tk := range tokens {
			if err := s.inTx(ctx, func(tx *sql.Tx) error {
				return insertToken(ctx, tx, tk.hash, PurposePassword, f.acc.ID, now-40*24*3600, tk.expires)
			}); err != nil {
				t.Fatal(err)
			}
		}
		c.Add(-24 * time.Hour)
		if err := s.RecordLoginFailure(ctx, "OLDLOGIN22", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		c.Add(24*time.Hour - time.Second)
		if err := s.RecordLoginFailure(ctx, "NEWLOGIN22", "192.0.2.2"); err != nil {
			t.Fatal(err)
		}
		c.Add(time.Second)
		if err := s.PurgeExpired(ctx); err != nil {
			t.Fatalf("PurgeExpired: %v", err)
		}

		var wantSessions, wantTokens []string
		for _, ls := range sessions {
			if ls.live {
				wantSessions = append(wantSessions, ls.id)
			}
		}
		for _, tk := range tokens {
			if tk.kept {
				wantTokens = append(wantTokens, tk.hash)
			}
		}
		wantTokens = append(wantTokens, f.link.Hash) // the codes link, valid 7 days
		if diff := cmp.Diff(sortedStrings(wantSessions), column(t, s, `SELECT id_hash FROM login_sessions`)); diff != "" {
			t.Errorf("sessions after purge (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(sortedStrings(wantTokens), column(t, s, `SELECT hash FROM tokens`)); diff != "" {
			t.Errorf("tokens after purge (-want +got):\n%s", diff)
		}
		want := []string{throttleAddrKey("192.0.2.2"), throttleLoginKey("NEWLOGIN22")}
		if diff := cmp.Diff(sortedStrings(want), column(t, s, `SELECT key FROM login_throttle`)); diff != "" {
			t.Errorf("throttle after purge (-want +got):\n%s", diff)
		}
	})
}

// column returns the sorted values of a one-column query.
func column(t *testing.T, s *Store, q string) []string {
	t.Helper()
	rows, err := s.db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return sortedStrings(out)
}

func sortedStrings(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func BenchmarkGetLoginSession(b *testing.B) {
	s, _ := openTest(b, sqliteTestDSN(b))
	f := createCT(b, s, "Commune de Cholet", true)
	if err := s.CreateLoginSession(testCtx(), "bench", f.acc.ID); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := s.GetLoginSession(testCtx(), "bench"); err != nil {
			b.Fatal(err)
		}
	}
}
