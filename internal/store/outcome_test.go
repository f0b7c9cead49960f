package store

import (
	"errors"
	"testing"
	"time"

	"iel/internal/auth"
	"iel/internal/domain"
)

// A link used by an answer shows what was answered; a link that died
// without one (replaced, cancelled, expired, sent again, or ended by a
// change of the account) has no outcome, and its page stays "Lien
// inutilisable".
func TestDesignationOutcome(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		noOutcome := func(what string, tok auth.Token) {
			t.Helper()
			if d, _, err := s.GetDesignationOutcome(ctx, tok.Hash); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: outcome %+v, %v; want ErrNotFound", what, d, err)
			}
		}
		noOutcome("unknown link", auth.NewToken())
		_, replaced := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Anne", "Remplacée", "cholet.fr"), ouiOui))
		_, cancelled := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Bruno", "Annulé", "cholet.fr"), ouiOui))
		noOutcome("replaced", replaced)
		noOutcome("pending", cancelled)
		if _, err := s.CancelDesignation(ctx, f.ct.ID, f.acc.ID, composeWithdrawnMail); err != nil {
			t.Fatal(err)
		}
		noOutcome("cancelled", cancelled)
		_, expired := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Chloé", "Expirée", "cholet.fr"), ouiOui))
		c.Add(linkTTL)
		noOutcome("expired", expired)

		_, refused := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Denis", "Refus", "cholet.fr"), ouiOui))
		c.Add(time.Hour)
		if _, _, err := s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: refused.Hash, Comment: "Non merci."}, designationMails()); err != nil {
			t.Fatal(err)
		}
		d, ct, err := s.GetDesignationOutcome(ctx, refused.Hash)
		if err != nil || d.State != domain.DesignationRefused || d.LastName != "Refus" || ct.ID != f.ct.ID || !d.AnsweredAt.Equal(s.Now()) {
			t.Errorf("refused: outcome %+v of %+v, %v", d, ct, err)
		}

		_, accepted := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Elise", "Accord", "cholet.fr"), ouiOui))
		acceptDesignation(t, s, accepted, "")
		// Months later, after another change of principal, the page still says what was answered.
		c.Add(90 * 24 * time.Hour)
		d, ct, err = s.GetDesignationOutcome(ctx, accepted.Hash)
		if err != nil || d.State != domain.DesignationAccepted || d.Email != "elise.accord@cholet.fr" || ct.Name != "Commune de Cholet" {
			t.Errorf("accepted: outcome %+v of %+v, %v", d, ct, err)
		}
	})
}

func TestInvitationOutcome(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		noOutcome := func(what string, tok auth.Token) {
			t.Helper()
			if o, err := s.GetInvitationOutcome(ctx, tok.Hash); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s: outcome %+v, %v; want ErrNotFound", what, o, err)
			}
		}
		noOutcome("unknown link", auth.NewToken())

		op, first := createOperator(t, s, pc, "Olivier", "Petit", ouiOui, s.Now().Add(linkTTL))
		noOutcome("pending", first)
		second := auth.NewToken()
		if _, err := s.ResendInvitation(ctx, pc.ct.ID, pc.principal.ID, op.ID, second.Hash, s.Now().Add(linkTTL), composeInvitationMail); err != nil {
			t.Fatal(err)
		}
		noOutcome("sent again", first)
		moved := op.Fiche
		moved.Email = "olivier.petit@ailleurs.fr"
		if err := s.UpdateOperator(ctx, pc.ct.ID, pc.principal.ID, op.ID, OperatorChange{Fiche: moved, Prefs: op.Prefs}); err != nil {
			t.Fatal(err)
		}
		noOutcome("the address changed", second)
		_, expired := createOperator(t, s, pc, "Xavier", "Expiré", ouiOui, s.Now().Add(time.Hour))
		c.Add(time.Hour)
		noOutcome("expired", expired)

		_, refused := createOperator(t, s, pc, "Rémi", "Refus", ouiOui, s.Now().Add(linkTTL))
		c.Add(time.Minute)
		if _, _, err := answerInvitation(s, refused, false, "Non."); err != nil {
			t.Fatal(err)
		}
		if o, err := s.GetInvitationOutcome(ctx, refused.Hash); err != nil || o.Accepted || o.Operator.LastName != "Refus" || !o.AnsweredAt.Equal(s.Now()) || o.Collectivity.ID != pc.ct.ID {
			t.Errorf("refused: outcome %+v, %v", o, err)
		}

		accepted, tok := createOperator(t, s, pc, "Anne", "Accord", ouiOui, s.Now().Add(linkTTL))
		_, pw, err := answerInvitation(s, tok, true, "")
		if err != nil {
			t.Fatal(err)
		}
		// Its password set, links of the account ended: the answer stays.
		if _, err := s.SetPasswordWithToken(ctx, pw.Hash, "hash-anne"); err != nil {
			t.Fatal(err)
		}
		if o, err := s.GetInvitationOutcome(ctx, tok.Hash); err != nil || !o.Accepted || o.Operator.ID != accepted.ID || o.Collectivity.Name != "Commune de Cholet" {
			t.Errorf("accepted: outcome %+v, %v", o, err)
		}
		// Deleted, the account takes its links along.
		if err := s.DeleteOperator(ctx, pc.ct.ID, pc.principal.ID, accepted.ID, composeDeletedMail); err != nil {
			t.Fatal(err)
		}
		noOutcome("account deleted", tok)
	})
}
