package store

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
)

// A deleted operator is told, in the transaction of the deletion: active
// or invited, not one who refused the account; a refused deletion tells
// no one.
func TestDeleteOperatorTellsThePerson(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		active := addActiveOperator(t, s, pc, "Alice", "Active", domain.MailPrefs{domain.Integration: true})
		invited, _ := createOperator(t, s, pc, "Ines", "Invitée", ouiOui, s.Now().Add(linkTTL))
		refused := addOperatorRefused(t, s, pc, "René", "Refus")
		nonOui := domain.MailPrefs{domain.Inter: true}
		if err := s.SaveOwnAccount(ctx, pc.ct.ID, pc.principal.ID, OwnAccountChange{Fiche: pc.principal.Fiche, Prefs: &nonOui}); err != nil {
			t.Fatal(err)
		}

		mails := len(outboxRows(t, s))
		// Alice is the last integration recipient: refused, no one told.
		err := s.DeleteOperator(ctx, pc.ct.ID, pc.principal.ID, active.ID, composeDeletedMail)
		wantDomainError(t, err, domain.Conflict, "formation d'intégration")
		for _, id := range []int64{invited.ID, refused.ID} {
			if err := s.DeleteOperator(ctx, pc.ct.ID, pc.principal.ID, id, composeDeletedMail); err != nil {
				t.Fatalf("DeleteOperator(%d): %v", id, err)
			}
		}
		addActiveOperator(t, s, pc, "Bruno", "Bis", domain.MailPrefs{domain.Integration: true})
		mails2 := len(outboxRows(t, s))
		if err := s.DeleteOperator(ctx, pc.ct.ID, pc.principal.ID, active.ID, composeDeletedMail); err != nil {
			t.Fatalf("DeleteOperator(active): %v", err)
		}
		got := append(outboxRows(t, s)[mails:mails+1], outboxRows(t, s)[mails2:]...)
		want := []outboxRow{
			{To: invited.Email, Subject: subjectDeletedMail, Text: "Compte " + invited.Login + " (inactive) supprimé.\n"},
			{To: active.Email, Subject: subjectDeletedMail, Text: "Compte " + active.Login + " (active) supprimé.\n"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("queued mails (-want +got):\n%s", diff)
		}
		if n := len(withSubject(outboxRows(t, s), subjectDeletedMail)); n != 2 {
			t.Errorf("%d deletion e-mails, want 2 (none to the person who refused)", n)
		}
	})
}
