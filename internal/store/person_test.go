package store

import (
	"strings"
	"testing"

	"iel/internal/auth"
	"iel/internal/domain"
)

// sameSamePerson is the message of domain.ErrSamePerson, in part.
const sameSamePerson = "existe déjà pour cette personne"

// shouted is f as typed by someone else: names and address in other cases,
// with blanks around.
func shouted(f domain.Fiche) domain.Fiche {
	f.LastName, f.FirstName = " "+strings.ToUpper(f.LastName), strings.ToLower(f.FirstName)+" "
	f.Email = "  " + strings.ToUpper(f.Email) + " "
	f.Function, f.Phone = "Autre fonction", "0600000000"
	return f
}

func TestCreateOperatorSamePerson(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		active := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		inactive, _ := createOperator(t, s, pc, "Inès", "Attente", ouiOui, s.Now().Add(linkTTL))
		refused := addOperatorRefused(t, s, pc, "René", "Refus")
		create := func(f domain.Fiche) (domain.Account, error) {
			return s.CreateOperator(ctx, pc.ct.ID, pc.principal.ID, NewOperator{Fiche: f, Prefs: ouiOui,
				TokenHash: auth.NewToken().Hash, TokenExpiry: s.Now().Add(linkTTL)}, composeInvitationMail)
		}
		for _, tt := range []struct {
			name string
			same domain.Account
		}{
			{"the principal", pc.principal},
			{"an active operator", active},
			{"an invited operator", inactive},
			{"an operator who refused", refused},
		} {
			t.Run(tt.name, func(t *testing.T) {
				same := unchanged(t, s, pc.ct.ID)
				_, err := create(shouted(tt.same.Fiche))
				wantDomainError(t, err, domain.Conflict, sameSamePerson)
				same()
			})
		}
		// Another person: same names, another address; or one shared mailbox for two people.
		other := active.Fiche
		other.Email = "o.petit@cholet.fr"
		if _, err := create(other); err != nil {
			t.Errorf("same names, another address: %v", err)
		}
		sharedBox := active.Fiche
		sharedBox.FirstName = "Odile"
		if _, err := create(sharedBox); err != nil {
			t.Errorf("another prénom at the same address: %v", err)
		}
		// The same person in another CT is another account.
		angers := setupPrincipal(t, s, "Commune d'Angers")
		if _, err := s.CreateOperator(ctx, angers.ct.ID, angers.principal.ID, NewOperator{Fiche: active.Fiche, Prefs: ouiOui,
			TokenHash: auth.NewToken().Hash, TokenExpiry: s.Now().Add(linkTTL)}, composeInvitationMail); err != nil {
			t.Errorf("the same person in another CT: %v", err)
		}
	})
}

func TestUpdateOperatorSamePerson(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		a := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		b := addActiveOperator(t, s, pc, "Bruno", "Morel", ouiOui)
		for _, tt := range []struct {
			name string
			to   domain.Fiche
		}{
			{"another operator", a.Fiche},
			{"the principal", pc.principal.Fiche},
		} {
			t.Run(tt.name, func(t *testing.T) {
				same := unchanged(t, s, pc.ct.ID)
				err := s.UpdateOperator(ctx, pc.ct.ID, pc.principal.ID, b.ID, OperatorChange{Fiche: shouted(tt.to), Prefs: b.Prefs})
				wantDomainError(t, err, domain.Conflict, sameSamePerson)
				same()
			})
		}
		// Saving an operator as it is compares it with the others only.
		if err := s.UpdateOperator(ctx, pc.ct.ID, pc.principal.ID, b.ID, OperatorChange{Fiche: shouted(b.Fiche), Prefs: b.Prefs}); err != nil {
			t.Fatalf("UpdateOperator with its own fiche retyped: %v", err)
		}
	})
}

func TestSaveOwnAccountSamePerson(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		a := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		b := addActiveOperator(t, s, pc, "Bruno", "Morel", ouiOui)
		same := unchanged(t, s, pc.ct.ID)
		err := s.SaveOwnAccount(ctx, pc.ct.ID, b.ID, OwnAccountChange{Fiche: shouted(a.Fiche), Prefs: &b.Prefs})
		wantDomainError(t, err, domain.Conflict, sameSamePerson)
		same()
		if err := s.SaveOwnAccount(ctx, pc.ct.ID, b.ID, OwnAccountChange{Fiche: shouted(b.Fiche), Prefs: &b.Prefs}); err != nil {
			t.Fatalf("SaveOwnAccount with its own fiche retyped: %v", err)
		}
	})
}

func TestCreateDesignationSamePerson(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		active := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		inactive, _ := createOperator(t, s, pc, "Inès", "Attente", ouiOui, s.Now().Add(linkTTL))
		tests := []struct {
			name   string
			fiche  domain.Fiche
			target int64
			words  string
		}{
			{"the principal itself", pc.principal.Fiche, 0, "déjà le gestionnaire principal"},
			{"the principal itself, retyped", shouted(pc.principal.Fiche), 0, "déjà le gestionnaire principal"},
			{"the principal's fiche given to an operator", pc.principal.Fiche, active.ID, "déjà le gestionnaire principal"},
			{"an active operator as a new person", shouted(active.Fiche), 0, "choisissez-la parmi les opérateurs"},
			{"an invited operator as a new person", inactive.Fiche, 0, sameSamePerson},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				same := unchanged(t, s, pc.ct.ID)
				d := newDesignation(tt.fiche, ouiOui)
				d.TargetAccount = tt.target
				_, err := s.CreateDesignation(ctx, pc.ct.ID, pc.principal.ID, d, auth.NewToken().Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail)
				wantDomainError(t, err, domain.Conflict, tt.words)
				same()
			})
		}
		// The active operator chosen as itself is no duplicate.
		d := newDesignation(active.Fiche, ouiOui)
		d.TargetAccount = active.ID
		designate(t, s, pc.ct.ID, pc.principal.ID, d)
	})
}

// The historical manager's holder becomes the personal principal: the
// manager closes, so the same person twice is no duplicate there.
func TestDesignationOfTheManagerItself(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		me := personFiche("Claire", "Durand", "cholet.fr")
		if err := s.SaveOwnAccount(ctx, f.ct.ID, f.acc.ID, OwnAccountChange{Fiche: me}); err != nil {
			t.Fatalf("SaveOwnAccount(manager): %v", err)
		}
		_, tok := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(shouted(me), ouiOui))
		_, p, _ := acceptDesignation(t, s, tok, "")
		if !domain.SamePerson(p.Fiche, me) || p.Role != domain.RolePrincipal {
			t.Fatalf("new principal = %+v, want the manager's person", p)
		}
	})
}

// A person who got an account while the designation waited cannot get a
// second one by accepting it.
func TestAnswerDesignationRechecksSamePerson(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		newcomer := personFiche("Nadia", "Nouvelle", ctDomain(pc.ct))
		d, tok := designate(t, s, pc.ct.ID, pc.principal.ID, newDesignation(newcomer, ouiOui))
		createOperator(t, s, pc, "Nadia", "Nouvelle", ouiOui, s.Now().Add(linkTTL))
		same := unchanged(t, s, pc.ct.ID)
		_, _, err := s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: true, PasswordTokenHash: auth.NewToken().Hash,
			PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
		wantDomainError(t, err, domain.Conflict, "ont changé depuis la désignation")
		wantDomainError(t, err, domain.Conflict, sameSamePerson)
		same()
		if st := designationState(t, s, d.ID); st != domain.DesignationPending {
			t.Fatalf("designation is %q, want still pending", st)
		}
	})
}

// Every address the store keeps is trimmed, its domain in lower case,
// whichever way it comes in; e-mails go to that form.
func TestAddressesStoredNormalized(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		const typed, stored = "  Claire.Durand@Mairie-CHOLET.Fr ", "Claire.Durand@mairie-cholet.fr"
		ct, manager, err := s.CreateCollectivity(ctx, NewCollectivity{Name: "Commune de Cholet", Email: typed, ManagerActive: true, PasswordHash: "h"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetCollectivity(ctx, ct.ID); got.Email != stored || ct.Email != stored {
			t.Errorf("collectivity address = %q (returned %q), want %q", got.Email, ct.Email, stored)
		}
		if got, _ := s.GetAccount(ctx, ct.ID, manager.ID); got.Email != stored {
			t.Errorf("manager address = %q, want %q", got.Email, stored)
		}

		// The manager's own fiche.
		mine := personFiche("Claire", "Durand", "cholet.fr")
		mine.Email = " Claire@CHOLET.fr"
		if err := s.SaveOwnAccount(ctx, ct.ID, manager.ID, OwnAccountChange{Fiche: mine}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetAccount(ctx, ct.ID, manager.ID); got.Email != "Claire@cholet.fr" {
			t.Errorf("SaveOwnAccount stored %q, want Claire@cholet.fr", got.Email)
		}

		// A designation, and the principal it makes.
		p := personFiche("Paule", "Principale", "cholet.fr")
		p.Email = "Paule.Principale@CHOLET.FR "
		mails := len(outboxRows(t, s))
		d, tok := designate(t, s, ct.ID, manager.ID, newDesignation(p, ouiOui))
		if d.Email != "Paule.Principale@cholet.fr" {
			t.Errorf("designation address = %q", d.Email)
		}
		if got := outboxRows(t, s)[mails].To; got != "Paule.Principale@cholet.fr" {
			t.Errorf("designation e-mail to %q", got)
		}
		_, principal, pw := acceptDesignation(t, s, tok, "")
		if principal.Email != "Paule.Principale@cholet.fr" {
			t.Errorf("principal address = %q", principal.Email)
		}
		if _, err := s.SetPasswordWithToken(ctx, pw.Hash, "h"); err != nil {
			t.Fatal(err)
		}

		// An operator created, then changed.
		o := personFiche("Olivier", "Petit", "cholet.fr")
		o.Email = "\tOlivier.Petit@Cholet.FR"
		op, err := s.CreateOperator(ctx, ct.ID, principal.ID, NewOperator{Fiche: o, Prefs: ouiOui, TokenHash: auth.NewToken().Hash,
			TokenExpiry: s.Now().Add(linkTTL)}, composeInvitationMail)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetOperator(ctx, ct.ID, op.ID); got.Email != "Olivier.Petit@cholet.fr" || op.Email != got.Email {
			t.Errorf("operator address = %q (returned %q), want Olivier.Petit@cholet.fr", got.Email, op.Email)
		}
		if rows := outboxRows(t, s); rows[len(rows)-1].To != "Olivier.Petit@cholet.fr" {
			t.Errorf("invitation to %q", rows[len(rows)-1].To)
		}
		o.Email = "o.petit@AGGLO-Cholet.fr  "
		if err := s.UpdateOperator(ctx, ct.ID, principal.ID, op.ID, OperatorChange{Fiche: o, Prefs: ouiOui}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.GetOperator(ctx, ct.ID, op.ID); got.Email != "o.petit@agglo-cholet.fr" {
			t.Errorf("UpdateOperator stored %q, want o.petit@agglo-cholet.fr", got.Email)
		}
	})
}
