package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"iel/internal/auth"
	"iel/internal/domain"
)

// checkRecipientsRule fails t unless every training type has a recipient
// in the CT ctID, both by Store.Recipients and by the domain's rule.
func checkRecipientsRule(t testing.TB, s *Store, ctID int64) {
	t.Helper()
	types, err := s.ListTrainingTypes(testCtx())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range domain.Codes(types) {
		got, err := s.Recipients(testCtx(), ctID, tt)
		if err != nil {
			t.Errorf("Recipients(%s): %v", tt, err)
			continue
		}
		if len(got) == 0 {
			t.Errorf("no recipient for %s", tt)
		}
	}
	if derr := domain.CheckRecipients(types, ctAccounts(t, s, ctID)); derr != nil {
		t.Errorf("CheckRecipients: %v", derr)
	}
}

func TestSaveOwnAccountRecipientsRule(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		// Neither counts: not active.
		createOperator(t, s, pc, "Ines", "Inactive", ouiOui, s.Now().Add(linkTTL))
		addOperatorRefused(t, s, pc, "Rene", "Refuse")
		_, accepted := createOperator(t, s, pc, "Anna", "Acceptee", ouiOui, s.Now().Add(linkTTL))
		if _, _, err := answerInvitation(s, accepted, true, ""); err != nil {
			t.Fatal(err)
		}
		newFiche := pc.principal.Fiche
		newFiche.Function, newFiche.Phone = "Directrice générale des services", "0600000000"

		steps := []struct {
			name   string
			before func()
			prefs  domain.MailPrefs
			want   string // words of the conflict; "" for none
		}{
			{name: "opting out of integration alone", prefs: domain.MailPrefs{domain.Inter: true}, want: "formation d'intégration"},
			{name: "opting out of inter alone", prefs: domain.MailPrefs{domain.Integration: true}, want: "formation inter"},
			{name: "opting out of both", prefs: domain.MailPrefs{}, want: "formation d'intégration"},
			{name: "keeping both", prefs: ouiOui},
			{
				name: "opting out of integration once an active operator receives it",
				before: func() {
					addActiveOperator(t, s, pc, "Alice", "Active", domain.MailPrefs{domain.Integration: true})
				},
				prefs: domain.MailPrefs{domain.Inter: true},
			},
			{name: "then out of inter too, which the operator does not receive", prefs: domain.MailPrefs{}, want: "formation inter"},
			{name: "then back to both", prefs: ouiOui},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				if st.before != nil {
					st.before()
				}
				before, err := s.GetAccount(ctx, pc.ct.ID, pc.principal.ID)
				if err != nil {
					t.Fatal(err)
				}
				prefs := st.prefs
				err = s.SaveOwnAccount(ctx, pc.ct.ID, pc.principal.ID, OwnAccountChange{Fiche: newFiche, Prefs: &prefs})
				after, _ := s.GetAccount(ctx, pc.ct.ID, pc.principal.ID)
				if st.want != "" {
					wantDomainError(t, err, domain.Conflict, st.want)
					if diff := cmp.Diff(before, after); diff != "" {
						t.Fatalf("a refused change saved something (-before +after):\n%s", diff)
					}
					return
				}
				if err != nil {
					t.Fatalf("SaveOwnAccount: %v", err)
				}
				want := before
				want.Fiche, want.Prefs = newFiche, st.prefs
				if diff := cmp.Diff(want, after); diff != "" {
					t.Fatalf("saved account (-want +got):\n%s", diff)
				}
				checkRecipientsRule(t, s, pc.ct.ID)
			})
		}
	})
}

func TestUpdateOperatorRecipientsRule(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		a := addActiveOperator(t, s, pc, "Alice", "Active", ouiOui)
		inactive, inactiveTok := createOperator(t, s, pc, "Ines", "Inactive", ouiOui, s.Now().Add(linkTTL))
		// The principal leaves integration to Alice.
		nonOui := domain.MailPrefs{domain.Inter: true}
		if err := s.SaveOwnAccount(ctx, pc.ct.ID, pc.principal.ID, OwnAccountChange{Fiche: pc.principal.Fiche, Prefs: &nonOui}); err != nil {
			t.Fatalf("SaveOwnAccount: %v", err)
		}
		steps := []struct {
			name   string
			before func()
			id     int64
			prefs  domain.MailPrefs
			want   string
		}{
			// Ines, inactive, says Oui/Oui: she does not count.
			{name: "the last integration recipient opts out", id: a.ID, prefs: nonOui, want: "formation d'intégration"},
			{name: "the last integration recipient opts out of both", id: a.ID, prefs: domain.MailPrefs{}, want: "formation d'intégration"},
			{name: "an inactive operator opts out of both", id: inactive.ID, prefs: domain.MailPrefs{}},
			{name: "an inactive operator opts back in", id: inactive.ID, prefs: ouiOui},
			{name: "the last recipient still cannot opt out", id: a.ID, prefs: nonOui, want: "formation d'intégration"},
			{
				name: "allowed once the other operator is active",
				before: func() {
					_, pw, err := answerInvitation(s, inactiveTok, true, "")
					if err != nil {
						t.Fatal(err)
					}
					if _, err := s.SetPasswordWithToken(ctx, pw.Hash, "hash-ines"); err != nil {
						t.Fatal(err)
					}
				},
				id: a.ID, prefs: nonOui,
			},
			{name: "the new last integration recipient opts out", id: inactive.ID, prefs: domain.MailPrefs{}, want: "formation d'intégration"},
			{name: "the new last integration recipient keeps integration only", id: inactive.ID, prefs: domain.MailPrefs{domain.Integration: true}},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				if st.before != nil {
					st.before()
				}
				before := ctAccounts(t, s, pc.ct.ID)
				op, err := s.GetOperator(ctx, pc.ct.ID, st.id)
				if err != nil {
					t.Fatal(err)
				}
				fiche := op.Fiche
				fiche.Function = "Assistante RH"
				err = s.UpdateOperator(ctx, pc.ct.ID, pc.principal.ID, st.id, OperatorChange{Fiche: fiche, Prefs: st.prefs})
				if st.want != "" {
					wantDomainError(t, err, domain.Conflict, st.want)
					if diff := cmp.Diff(before, ctAccounts(t, s, pc.ct.ID)); diff != "" {
						t.Fatalf("a refused change saved something (-before +after):\n%s", diff)
					}
					return
				}
				if err != nil {
					t.Fatalf("UpdateOperator: %v", err)
				}
				got, _ := s.GetOperator(ctx, pc.ct.ID, st.id)
				want := op
				want.Fiche, want.Prefs = fiche, st.prefs
				if !cmp.Equal(got, want) {
					t.Fatalf("operator = %+v, want %+v", got, want)
				}
				checkRecipientsRule(t, s, pc.ct.ID)
			})
		}
	})
}

func TestDeleteOperatorRecipientsRule(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		a := addActiveOperator(t, s, pc, "Alice", "Active", domain.MailPrefs{domain.Integration: true})
		nonOui := domain.MailPrefs{domain.Inter: true}
		if err := s.SaveOwnAccount(ctx, pc.ct.ID, pc.principal.ID, OwnAccountChange{Fiche: pc.principal.Fiche, Prefs: &nonOui}); err != nil {
			t.Fatalf("SaveOwnAccount: %v", err)
		}
		inactive, _ := createOperator(t, s, pc, "Ines", "Inactive", ouiOui, s.Now().Add(linkTTL))
		refused := addOperatorRefused(t, s, pc, "Rene", "Refuse")
		if err := s.CreateLoginSession(ctx, "alice-desk", a.ID); err != nil {
			t.Fatal(err)
		}

		steps := []struct {
			name   string
			before func()
			id     int64
			want   string
		}{
			{name: "the last integration recipient", id: a.ID, want: "formation d'intégration"},
			{name: "an inactive operator receiving both", id: inactive.ID},
			{name: "a refused operator", id: refused.ID},
			{name: "the last integration recipient, still", id: a.ID, want: "formation d'intégration"},
			{
				name:   "the former last recipient once another active operator receives integration",
				before: func() { addActiveOperator(t, s, pc, "Bruno", "Bis", domain.MailPrefs{domain.Integration: true}) },
				id:     a.ID,
			},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				if st.before != nil {
					st.before()
				}
				before := ctAccounts(t, s, pc.ct.ID)
				err := s.DeleteOperator(ctx, pc.ct.ID, pc.principal.ID, st.id, composeDeletedMail)
				if st.want != "" {
					wantDomainError(t, err, domain.Conflict, st.want)
					if diff := cmp.Diff(before, ctAccounts(t, s, pc.ct.ID)); diff != "" {
						t.Fatalf("a refused deletion changed accounts (-before +after):\n%s", diff)
					}
					if _, err := s.GetOperator(ctx, pc.ct.ID, st.id); err != nil {
						t.Fatalf("GetOperator after a refused deletion: %v", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("DeleteOperator: %v", err)
				}
				if _, err := s.GetOperator(ctx, pc.ct.ID, st.id); !errors.Is(err, ErrNotFound) {
					t.Fatalf("GetOperator after deletion = %v, want ErrNotFound", err)
				}
				if n := len(ctAccounts(t, s, pc.ct.ID)); n != len(before)-1 {
					t.Fatalf("%d accounts, want %d", n, len(before)-1)
				}
				if n := countWhere(t, s, `SELECT count(*) FROM tokens WHERE account_id = $1`, st.id); n != 0 {
					t.Fatalf("%d links left for a deleted operator", n)
				}
				checkRecipientsRule(t, s, pc.ct.ID)
			})
		}
		if _, _, err := s.GetLoginSession(ctx, "alice-desk"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("deleted operator's session = %v, want ErrNotFound", err)
		}
	})
}

// Many people change preferences and delete operators at once: the rule
// holds at every commit.
func TestRecipientsRuleConcurrent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		ops := make([]domain.Account, 5)
		for i := range ops {
			ops[i] = addActiveOperator(t, s, pc, "Agent", fmt.Sprintf("Numero%d", i), ouiOui)
		}
		const workers, rounds = 30, 8
		var ok, conflicts, notFound atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range workers {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(2025, uint64(w)))
				<-start
				for range rounds {
					// Oui one time in three: most changes take recipients away.
					prefs := domain.MailPrefs{domain.Integration: r.IntN(3) == 0, domain.Inter: r.IntN(3) == 0}
					var err error
					switch k := r.IntN(40); {
					case k < 1:
						err = s.DeleteOperator(ctx, pc.ct.ID, pc.principal.ID, ops[r.IntN(len(ops))].ID, composeDeletedMail)
					case k < 12:
						err = s.SaveOwnAccount(ctx, pc.ct.ID, pc.principal.ID, OwnAccountChange{Fiche: pc.principal.Fiche, Prefs: &prefs})
					default:
						op := ops[r.IntN(len(ops))]
						err = s.UpdateOperator(ctx, pc.ct.ID, pc.principal.ID, op.ID, OperatorChange{Fiche: op.Fiche, Prefs: prefs})
					}
					var derr *domain.Error
					switch {
					case err == nil:
						ok.Add(1)
						// One statement reads one committed state: it must obey the rule.
						accounts, err := listCTAccounts(s, pc.ct.ID)
						if err != nil {
							t.Errorf("listing accounts: %v", err)
						} else if derr := domain.CheckRecipients(noticeTypes, accounts); derr != nil {
							t.Errorf("after a successful change: %v", derr)
						}
					case errors.As(err, &derr) && derr.Kind == domain.Conflict:
						conflicts.Add(1)
					case errors.Is(err, ErrNotFound):
						notFound.Add(1)
					default:
						t.Errorf("unexpected error: %v", err)
					}
				}
			})
		}
		close(start)
		wg.Wait()
		t.Logf("%d changes saved, %d refused by the rule, %d on deleted operators", ok.Load(), conflicts.Load(), notFound.Load())
		if total := ok.Load() + conflicts.Load() + notFound.Load(); total != workers*rounds {
			t.Fatalf("%d outcomes, want %d", total, workers*rounds)
		}
		if ok.Load() == 0 {
			t.Fatal("no change saved")
		}
		checkRecipientsRule(t, s, pc.ct.ID)
		if n := countPrincipals(t, s, pc.ct.ID); n != 1 {
			t.Fatalf("%d principals, want 1", n)
		}
	})
}

func TestRecipients(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		// A CT that never changed: its historical manager gets everything.
		saumur := createCT(t, s, "Commune de Saumur", true)
		// Not active yet, but open: the CT's address still gets everything.
		brissac := createCT(t, s, "Commune de Brissac", false)

		pc := setupPrincipal(t, s, "Commune de Cholet")
		nonOui := domain.MailPrefs{domain.Inter: true}
		integration := addActiveOperator(t, s, pc, "Ivan", "Integration", domain.MailPrefs{domain.Integration: true})
		if err := s.SaveOwnAccount(ctx, pc.ct.ID, pc.principal.ID, OwnAccountChange{Fiche: pc.principal.Fiche, Prefs: &nonOui}); err != nil {
			t.Fatal(err)
		}
		both := addActiveOperator(t, s, pc, "Bea", "Both", ouiOui)
		// An operator sharing the principal's address: one e-mail.
		sharedTok := auth.NewToken()
		sharedFiche := personFiche("Sam", "Shared", "cholet.fr")
		sharedFiche.Email = pc.principal.Email
		if _, err := s.CreateOperator(ctx, pc.ct.ID, pc.principal.ID, NewOperator{Fiche: sharedFiche, Prefs: ouiOui, TokenHash: sharedTok.Hash,
			TokenExpiry: s.Now().Add(linkTTL)}, composeInvitationMail); err != nil {
			t.Fatal(err)
		}
		_, pw, err := answerInvitation(s, sharedTok, true, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SetPasswordWithToken(ctx, pw.Hash, "hash-sam"); err != nil {
			t.Fatal(err)
		}
		addActiveOperator(t, s, pc, "Nina", "Nothing", domain.MailPrefs{})
		createOperator(t, s, pc, "Ines", "Inactive", ouiOui, s.Now().Add(linkTTL))
		addOperatorRefused(t, s, pc, "Rene", "Refuse")
		_, acceptedTok := createOperator(t, s, pc, "Anna", "Acceptee", ouiOui, s.Now().Add(linkTTL))
		if _, _, err := answerInvitation(s, acceptedTok, true, ""); err != nil {
			t.Fatal(err)
		}
		angers := setupPrincipal(t, s, "Commune d'Angers")
		alain := addActiveOperator(t, s, angers, "Alain", "Ailleurs", ouiOui)

		tests := []struct {
			name string
			ctID int64
			t    domain.TrainingType
			want []string
		}{
			{"manager alone, integration", saumur.ct.ID, domain.Integration, []string{saumur.ct.Email}},
			{"manager alone, inter", saumur.ct.ID, domain.Inter, []string{saumur.ct.Email}},
			{"manager not yet active, integration", brissac.ct.ID, domain.Integration, []string{brissac.ct.Email}},
			{"manager not yet active, inter", brissac.ct.ID, domain.Inter, []string{brissac.ct.Email}},
			{"principal mode, integration", pc.ct.ID, domain.Integration, []string{integration.Email, both.Email, pc.principal.Email}},
			{"principal mode, inter", pc.ct.ID, domain.Inter, []string{pc.principal.Email, both.Email}},
			{"another CT", angers.ct.ID, domain.Integration, []string{angers.principal.Email, alain.Email}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.Recipients(ctx, tt.ctID, tt.t)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(sortedCopy(tt.want), sortedCopy(got)); diff != "" {
					t.Fatalf("Recipients (-want +got):\n%s", diff)
				}
			})
		}
		// The closed manager's address (the CT's) is never among them.
		for _, tt := range domain.TrainingTypes {
			got, _ := s.Recipients(ctx, pc.ct.ID, tt)
			if slices.Contains(got, pc.ct.Email) {
				t.Errorf("Recipients(%s) = %v, includes the closed manager's %s", tt, got, pc.ct.Email)
			}
		}
	})
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// A principal's nom, prénom and courriel change only through a change of
// principal: saving its own fiche keeps them, whatever it is given.
func TestSaveOwnAccountKeepsPrincipalIdentity(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		f := pc.principal.Fiche
		f.LastName, f.FirstName, f.Email = "Usurpé", "Nom", "autre@ailleurs.fr"
		f.Function, f.Phone = "Directrice générale", "0241999999"
		if err := s.SaveOwnAccount(ctx, pc.ct.ID, pc.principal.ID, OwnAccountChange{Fiche: f}); err != nil {
			t.Fatalf("SaveOwnAccount: %v", err)
		}
		got, err := s.GetAccount(ctx, pc.ct.ID, pc.principal.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := pc.principal.Fiche
		want.Function, want.Phone = "Directrice générale", "0241999999"
		if diff := cmp.Diff(want, got.Fiche); diff != "" {
			t.Errorf("principal's fiche (-want +got):\n%s", diff)
		}
		// An operator's own fiche has no such reserve.
		op := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		g := op.Fiche
		g.LastName, g.Email = "Petit-Martin", "o.petit-martin@cholet.fr"
		if err := s.SaveOwnAccount(ctx, pc.ct.ID, op.ID, OwnAccountChange{Fiche: g}); err != nil {
			t.Fatalf("SaveOwnAccount(operator): %v", err)
		}
		if got, _ := s.GetAccount(ctx, pc.ct.ID, op.ID); got.Fiche != g {
			t.Errorf("operator's fiche = %+v, want %+v", got.Fiche, g)
		}
	})
}
