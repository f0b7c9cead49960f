package store

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
)

// Words of linkError's three messages.
const (
	msgUsed    = "déjà servi"
	msgExpired = "expiré"
	msgUnknown = "pas valide"
)

func TestPasswordTokenFirstUse(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", false)
		got, _, err := s.GetPasswordToken(ctx, f.link.Hash)
		if err != nil || got.ID != f.acc.ID || got.Login != f.acc.Login {
			t.Fatalf("GetPasswordToken = %+v, %v; want account %d", got, err, f.acc.ID)
		}
		if err := s.RecordLoginFailure(ctx, f.acc.Login, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		c.Add(time.Hour)
		acc, err := s.SetPasswordWithToken(ctx, f.link.Hash, "new-hash")
		if err != nil {
			t.Fatalf("SetPasswordWithToken: %v", err)
		}
		if acc.ID != f.acc.ID || acc.State != domain.StateActive || acc.PasswordHash != "new-hash" {
			t.Fatalf("SetPasswordWithToken = %+v, want the account active with new-hash", acc)
		}
		stored, err := s.GetAccount(ctx, f.ct.ID, f.acc.ID)
		if err != nil || stored.State != domain.StateActive || stored.PasswordHash != "new-hash" || !stored.CanLogIn() {
			t.Fatalf("stored account = %+v, %v; want active with new-hash", stored, err)
		}
		var throttled int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM login_throttle WHERE key = $1`, throttleLoginKey(f.acc.Login)).Scan(&throttled); err != nil || throttled != 0 {
			t.Errorf("failed logins of the identifiant after a reset: %d, %v; want 0", throttled, err)
		}

		_, err = s.SetPasswordWithToken(ctx, f.link.Hash, "other-hash")
		wantDomainError(t, err, domain.Gone, msgUsed)
		_, _, err = s.GetPasswordToken(ctx, f.link.Hash)
		wantDomainError(t, err, domain.Gone, msgUsed)
		if stored, _ := s.GetAccount(ctx, f.ct.ID, f.acc.ID); stored.PasswordHash != "new-hash" {
			t.Fatalf("a used link changed the password to %q", stored.PasswordHash)
		}
	})
}

func TestPasswordTokenRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", false) // link valid 7 days
		tests := []struct {
			name    string
			advance time.Duration
			hash    string
			words   string
		}{
			{"unknown", 0, auth.NewToken().Hash, msgUnknown},
			{"raw token instead of hash", 0, f.link.Raw, msgUnknown},
			{"at expiry", 7 * 24 * time.Hour, f.link.Hash, msgExpired},
			{"past expiry", time.Second, f.link.Hash, msgExpired},
		}
		for _, tt := range tests {
			c.Add(tt.advance)
			_, _, err := s.GetPasswordToken(ctx, tt.hash)
			wantDomainError(t, err, domain.Gone, tt.words)
			_, err = s.SetPasswordWithToken(ctx, tt.hash, "new-hash")
			wantDomainError(t, err, domain.Gone, tt.words)
		}
		stored, err := s.GetAccount(ctx, f.ct.ID, f.acc.ID)
		if err != nil || stored.State != domain.StateInactive || stored.PasswordHash != "" {
			t.Fatalf("account after refused links = %+v, %v; want untouched", stored, err)
		}
	})
}

func TestPasswordTokenClosedAccount(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", false)
		if _, err := s.db.ExecContext(ctx, `UPDATE accounts SET state = 'closed' WHERE id = $1`, f.acc.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.SetPasswordWithToken(ctx, f.link.Hash, "new-hash")
		wantDomainError(t, err, domain.Gone, "fermé")
		if stored, _ := s.GetAccount(ctx, f.ct.ID, f.acc.ID); stored.PasswordHash != "" || stored.State != domain.StateClosed {
			t.Fatalf("closed account changed: %+v", stored)
		}
	})
}

func TestSetPasswordEndsSessions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		other := createCT(t, s, "Commune d'Angers", true)
		for _, id := range []string{"s1", "s2"} {
			if err := s.CreateLoginSession(ctx, id, f.acc.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateLoginSession(ctx, "other", other.acc.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetPasswordWithToken(ctx, f.link.Hash, "new-hash"); err != nil {
			t.Fatalf("SetPasswordWithToken: %v", err)
		}
		for _, id := range []string{"s1", "s2"} {
			if _, _, err := s.GetLoginSession(ctx, id); !errors.Is(err, ErrNotFound) {
				t.Errorf("session %s after a password reset: %v, want ErrNotFound", id, err)
			}
		}
		if a, _, err := s.GetLoginSession(ctx, "other"); err != nil || a.ID != other.acc.ID {
			t.Errorf("another CT's session = %d, %v; want it kept", a.ID, err)
		}
	})
}

func TestRequestPasswordReset(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		const cooldown = 5 * time.Minute
		var composed []string
		request := func(login, hash string) error {
			return s.RequestPasswordReset(ctx, login, hash, c.Now().Add(time.Hour), cooldown, func(a domain.Account) (mail.Message, error) {
				composed = append(composed, a.Login)
				return mail.Message{MessageID: "<" + hash[:8] + "@test>", To: a.Email, Subject: "inscription en ligne : mot de passe oublié", Text: "lien"}, nil
			})
		}
		mails := count(t, s, "outbox") // the codes e-mail
		// The codes link was sent within the cooldown: no new link yet.
		if err := request(f.acc.Login, auth.NewToken().Hash); err != nil || count(t, s, "outbox") != mails {
			t.Fatalf("reset right after the codes e-mail = %v, queued %d; want nil, nothing", err, count(t, s, "outbox")-mails)
		}
		c.Add(cooldown)

		if err := request("NOBODY2345", auth.NewToken().Hash); err != nil {
			t.Fatalf("reset for an unknown login = %v, want nil", err)
		}
		if n := count(t, s, "outbox"); n != mails || len(composed) != 0 {
			t.Fatalf("reset for an unknown login queued %d mails, composed %v", n-mails, composed)
		}

		first := auth.NewToken()
		if err := request(" "+f.acc.Login[:5]+strings.ToLower(f.acc.Login[5:])+" ", first.Hash); err != nil {
			t.Fatalf("first reset: %v", err)
		}
		if n := count(t, s, "outbox"); n != mails+1 {
			t.Fatalf("first reset queued %d mails, want 1", n-mails)
		}
		list, _ := s.ListOutbox(ctx, 1)
		if m, err := s.GetOutbox(ctx, list[0].ID); err != nil || !m.ExpiresAt.Equal(c.Now().Add(time.Hour)) || m.To != f.ct.Email {
			t.Fatalf("reset mail = %+v, %v; want to %s expiring in an hour", m, err, f.ct.Email)
		}
		// The codes link was replaced by the reset link.
		_, _, err := s.GetPasswordToken(ctx, f.link.Hash)
		wantDomainError(t, err, domain.Gone, msgUsed)

		c.Add(cooldown - time.Second)
		within := auth.NewToken()
		if err := request(f.acc.Login, within.Hash); err != nil {
			t.Fatalf("reset within the cooldown: %v", err)
		}
		if n := count(t, s, "outbox"); n != mails+1 {
			t.Fatalf("reset within the cooldown queued a mail")
		}
		_, _, err = s.GetPasswordToken(ctx, within.Hash)
		wantDomainError(t, err, domain.Gone, msgUnknown)
		if _, _, err := s.GetPasswordToken(ctx, first.Hash); err != nil {
			t.Fatalf("first link after a request within the cooldown: %v", err)
		}

		c.Add(2 * time.Second)
		second := auth.NewToken()
		if err := request(f.acc.Login, second.Hash); err != nil {
			t.Fatalf("second reset: %v", err)
		}
		if n := count(t, s, "outbox"); n != mails+2 || len(composed) != 2 {
			t.Fatalf("after the cooldown: %d mails queued, composed %d; want 2, 2", n-mails, len(composed))
		}
		_, _, err = s.GetPasswordToken(ctx, first.Hash)
		wantDomainError(t, err, domain.Gone, msgUsed)
		_, err = s.SetPasswordWithToken(ctx, first.Hash, "old-link")
		wantDomainError(t, err, domain.Gone, msgUsed)
		if acc, err := s.SetPasswordWithToken(ctx, second.Hash, "new-hash"); err != nil || acc.PasswordHash != "new-hash" {
			t.Fatalf("newest link = %+v, %v", acc, err)
		}
	})
}

func TestRequestPasswordResetAccountStates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		tests := []struct {
			name  string
			role  domain.Role
			state domain.State
			sent  bool
		}{
			{"inactive manager", domain.RoleManager, domain.StateInactive, true},
			{"active operator", domain.RoleOperator, domain.StateActive, true},
			{"inactive operator", domain.RoleOperator, domain.StateInactive, false},
			{"refused operator", domain.RoleOperator, domain.StateRefused, false},
			{"closed manager", domain.RoleManager, domain.StateClosed, false},
		}
		for i, tt := range tests {
			f := createCT(t, s, "Commune "+string(rune('A'+i)), false)
			const q = `UPDATE accounts SET role = $2, state = $3 WHERE id = $1`
			if _, err := s.db.ExecContext(ctx, q, f.acc.ID, tt.role, tt.state); err != nil {
				t.Fatal(err)
			}
			before := count(t, s, "outbox")
			c.Add(time.Minute) // past the cooldown of the codes e-mail
			err := s.RequestPasswordReset(ctx, f.acc.Login, auth.NewToken().Hash, c.Now().Add(time.Hour), time.Minute,
				func(a domain.Account) (mail.Message, error) {
					return mail.Message{MessageID: "<r@test>", To: a.Email, Subject: "s"}, nil
				})
			if err != nil {
				t.Fatalf("%s: RequestPasswordReset: %v", tt.name, err)
			}
			if sent := count(t, s, "outbox") > before; sent != tt.sent {
				t.Errorf("%s: mail queued = %v, want %v", tt.name, sent, tt.sent)
			}
		}
	})
}

// Fifty clicks on one link at once: exactly one sets the password.
func TestSetPasswordWithTokenRace(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", false)
		const n = 50
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				_, errs[i] = s.SetPasswordWithToken(ctx, f.link.Hash, "hash-"+strconv.Itoa(i))
			})
		}
		close(start)
		wg.Wait()
		won, gone := -1, 0
		for i, err := range errs {
			var derr *domain.Error
			switch {
			case err == nil:
				if won >= 0 {
					t.Fatalf("goroutines %d and %d both used the link", won, i)
				}
				won = i
			case errors.As(err, &derr) && derr.Kind == domain.Gone:
				gone++
			default:
				t.Errorf("goroutine %d: %v, want success or Gone", i, err)
			}
		}
		if won < 0 || gone != n-1 {
			t.Fatalf("winner %d, %d Gone; want one winner and %d Gone", won, gone, n-1)
		}
		stored, _ := s.GetAccount(ctx, f.ct.ID, f.acc.ID)
		if want := "hash-" + strconv.Itoa(won); stored.PasswordHash != want || stored.State != domain.StateActive {
			t.Fatalf("stored = %q %s, want the winner's %q, active", stored.PasswordHash, stored.State, want)
		}
	})
}
