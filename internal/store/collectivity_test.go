package store

import (
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
)

var wantLogin = regexp.MustCompile(`^[A-Z2-9]{10}$`)

func TestCreateCollectivity(t *testing.T) {
	tests := []struct {
		name   string
		active bool
		want   domain.State
	}{
		{"codes to set", false, domain.StateInactive},
		{"demo codes working at once", true, domain.StateActive},
	}
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		for i, tt := range tests {
			tok := auth.NewToken()
			expiry := c.Now().Add(7 * 24 * time.Hour)
			nc := NewCollectivity{
				Name:          fmt.Sprintf("  Commune   de Cholet %d ", i),
				Email:         " mairie@cholet.fr ",
				TokenHash:     tok.Hash,
				TokenExpiry:   expiry,
				ManagerActive: tt.active,
			}
			if tt.active {
				nc.PasswordHash = "argon-hash"
			}
			var composed []string
			ct, acc, err := s.CreateCollectivity(ctx, nc, func(login string) (mail.Message, error) {
				composed = append(composed, login)
				return mail.Message{MessageID: "<m@test>", To: "mairie@cholet.fr", Subject: "inscription en ligne : vos codes de connexion",
					Text: "Identifiant : " + login, HTML: "<p>" + login + "</p>", ExpiresAt: expiry}, nil
			})
			if err != nil {
				t.Fatalf("%s: CreateCollectivity: %v", tt.name, err)
			}
			wantCT := domain.Collectivity{ID: ct.ID, Name: fmt.Sprintf("Commune de Cholet %d", i), Email: "mairie@cholet.fr"}
			if diff := cmp.Diff(wantCT, ct); diff != "" || ct.ID == 0 {
				t.Errorf("%s: collectivity (-want +got):\n%s", tt.name, diff)
			}
			if got, err := s.GetCollectivity(ctx, ct.ID); err != nil || got != wantCT {
				t.Errorf("%s: GetCollectivity = %+v, %v; want %+v", tt.name, got, err, wantCT)
			}
			if !wantLogin.MatchString(acc.Login) {
				t.Errorf("%s: login %q does not match %s", tt.name, acc.Login, wantLogin)
			}
			if diff := cmp.Diff([]string{acc.Login}, composed); diff != "" {
				t.Errorf("%s: compose called with (-want +got):\n%s", tt.name, diff)
			}
			stored, err := s.GetAccount(ctx, ct.ID, acc.ID)
			if err != nil {
				t.Fatalf("%s: GetAccount: %v", tt.name, err)
			}
			want := domain.Account{
				ID: acc.ID, CollectivityID: ct.ID, Login: acc.Login, Role: domain.RoleManager, State: tt.want,
				Fiche: domain.Fiche{Email: "mairie@cholet.fr"}, Prefs: domain.MailPrefs{domain.Integration: true, domain.Inter: true},
				PasswordHash: nc.PasswordHash,
			}
			if diff := cmp.Diff(want, stored); diff != "" {
				t.Errorf("%s: stored account (-want +got):\n%s", tt.name, diff)
			}
			if diff := cmp.Diff(want, acc); diff != "" {
				t.Errorf("%s: returned account (-want +got):\n%s", tt.name, diff)
			}
			byLogin, err := s.GetAccountByLogin(ctx, " "+acc.Login+" ")
			if err != nil || byLogin.ID != acc.ID {
				t.Errorf("%s: GetAccountByLogin = %d, %v; want %d", tt.name, byLogin.ID, err, acc.ID)
			}
			if got, _, err := s.GetPasswordToken(ctx, tok.Hash); err != nil || got.ID != acc.ID {
				t.Errorf("%s: GetPasswordToken = %d, %v; want account %d", tt.name, got.ID, err, acc.ID)
			}
			list, err := s.ListOutbox(ctx, 10)
			if err != nil || len(list) != i+1 {
				t.Fatalf("%s: ListOutbox = %d mails, %v; want %d", tt.name, len(list), err, i+1)
			}
			if list[0].To != "mairie@cholet.fr" || list[0].Subject != "inscription en ligne : vos codes de connexion" ||
				!list[0].CreatedAt.Equal(c.Now()) || !list[0].SentAt.IsZero() || !list[0].FailedAt.IsZero() {
				t.Errorf("%s: ListOutbox newest = %+v", tt.name, list[0])
			}
			m, err := s.GetOutbox(ctx, list[0].ID)
			if err != nil {
				t.Fatalf("%s: GetOutbox: %v", tt.name, err)
			}
			if !m.ExpiresAt.Equal(expiry) || m.Text != "Identifiant : "+acc.Login || m.HTML != "<p>"+acc.Login+"</p>" || m.MessageID != "<m@test>" {
				t.Errorf("%s: GetOutbox = %+v, want the composed mail expiring at %v", tt.name, m, expiry)
			}
		}
	})
}

func TestCreateCollectivityNameTaken(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		createCT(t, s, "Commune de Cholet", false)
		for _, name := range []string{"commune de  CHOLET", " COMMUNE DE CHOLET", "Commune\tde Cholet"} {
			called := false
			_, _, err := s.CreateCollectivity(ctx, NewCollectivity{Name: name, Email: "autre@cholet.fr", TokenHash: auth.NewToken().Hash,
				TokenExpiry: c.Now().Add(time.Hour)}, func(string) (mail.Message, error) {
				called = true
				return mail.Message{MessageID: "<x@test>", To: "autre@cholet.fr", Subject: "s"}, nil
			})
			wantDomainError(t, err, domain.Conflict, "Une collectivité porte déjà ce nom.")
			if called {
				t.Errorf("%q: compose called for a refused CT", name)
			}
		}
		for table, want := range map[string]int{"collectivities": 1, "accounts": 1, "tokens": 1, "outbox": 1} {
			if n := count(t, s, table); n != want {
				t.Errorf("%s: %d rows, want %d", table, n, want)
			}
		}
	})
}

func TestCreateCollectivityComposeFails(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		boom := errors.New("template broken")
		_, _, err := s.CreateCollectivity(ctx, NewCollectivity{Name: "Commune de Cholet", Email: "mairie@cholet.fr",
			TokenHash: auth.NewToken().Hash, TokenExpiry: c.Now().Add(time.Hour)},
			func(string) (mail.Message, error) { return mail.Message{}, boom })
		if !errors.Is(err, boom) {
			t.Fatalf("CreateCollectivity = %v, want the compose error", err)
		}
		for _, table := range []string{"collectivities", "accounts", "tokens", "outbox"} {
			if n := count(t, s, table); n != 0 {
				t.Errorf("%s: %d rows left by a failed creation, want 0", table, n)
			}
		}
		// The name is free again.
		createCT(t, s, "Commune de Cholet", false)
	})
}

func BenchmarkCreateCollectivity(b *testing.B) {
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			s, _ := openTest(b, e.dsn(b))
			i := 0
			for b.Loop() {
				i++
				createCT(b, s, fmt.Sprintf("Commune %d", i), false)
			}
		})
	}
}
