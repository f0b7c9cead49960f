package store

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/auth"
	"iel/internal/domain"
)

// invitationOf is the pending invitation of a as GetHome reads it.
func invitationOf(a domain.Account, sent, expires time.Time, expired bool) PendingInvitation {
	return PendingInvitation{AccountID: a.ID, Fiche: domain.Fiche{Civility: a.Civility, LastName: a.LastName, FirstName: a.FirstName, Email: a.Email},
		SentAt: sent, ExpiresAt: expires, Expired: expired}
}

// getHome reads the home of the CT ctID, failing the test on an error.
func getHome(t *testing.T, s *Store, ctID int64) Home {
	t.Helper()
	h, err := s.GetHome(testCtx(), ctID)
	if err != nil {
		t.Fatalf("GetHome: %v", err)
	}
	return h
}

func TestGetHome(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		other := setupPrincipal(t, s, "Commune d'Angers")

		// A CT just past its change of principal: the principal alone, the
		// closed historical manager counted nowhere.
		if diff := cmp.Diff(Home{Counts: HomeCounts{ActiveAccounts: 1}}, getHome(t, s, pc.ct.ID)); diff != "" {
			t.Errorf("home of a new principal (-want +got):\n%s", diff)
		}

		// Everything a home shows, in the other CT too, to prove that none of it crosses.
		for _, f := range []principalCT{pc, other} {
			addActiveOperator(t, s, f, "Sophie", "Bernard", ouiOui)
			addOperatorRefused(t, s, f, "Émilie", "Émond")
			_, tok := createOperator(t, s, f, "Hugo", "Attente", ouiOui, s.Now().Add(linkTTL))
			if _, _, err := answerInvitation(s, tok, true, ""); err != nil { // accepted, no password yet
				t.Fatalf("AnswerInvitation: %v", err)
			}
			if _, err := s.CreateTrainingContact(ctx, f.ct.ID, domain.TrainingContact{Fiche: personFiche("Anne", "Moreau", ctDomain(f.ct))}); err != nil {
				t.Fatalf("CreateTrainingContact: %v", err)
			}
		}
		// Agents: three in each CT, one of ours who left the CT and is not counted.
		gone := seedAgents(t, s, pc.ct.ID, 3)[0]
		seedAgents(t, s, other.ct.ID, 3)
		if _, err := s.SetAgentLeft(ctx, pc.ct.ID, gone.ID, true); err != nil {
			t.Fatalf("SetAgentLeft: %v", err)
		}
		theirs, _ := createOperator(t, s, other, "Igor", "Ailleurs", ouiOui, s.Now().Add(linkTTL))
		designate(t, s, other.ct.ID, other.principal.ID, newDesignation(personFiche("Nina", "Angevine", ctDomain(other.ct)), ouiOui))
		if _, err := s.CreateTrainingContact(ctx, other.ct.ID, domain.TrainingContact{Fiche: personFiche("Paul", "Roux", ctDomain(other.ct))}); err != nil {
			t.Fatalf("CreateTrainingContact: %v", err)
		}

		// Marc's link expires in an hour, Léa's in a week; two hours pass.
		sent := s.Now()
		marc, _ := createOperator(t, s, pc, "Marc", "Ancien", ouiOui, sent.Add(time.Hour))
		lea, _ := createOperator(t, s, pc, "Léa", "Petit", ouiOui, sent.Add(linkTTL))
		c.Add(2 * time.Hour)
		want := Home{
			Invitations: []PendingInvitation{
				invitationOf(marc, sent, sent.Add(time.Hour), true),
				invitationOf(lea, sent, sent.Add(linkTTL), false),
			},
			// The principal and Sophie; Hugo (accepted, no password), Marc and Léa; Émilie.
			Counts: HomeCounts{ActiveAccounts: 2, InactiveAccounts: 3, RefusedAccounts: 1, Contacts: 1, Agents: 2},
		}
		if diff := cmp.Diff(want, getHome(t, s, pc.ct.ID)); diff != "" {
			t.Errorf("home (-want +got):\n%s", diff)
		}

		// A resent invitation is listed once, with its new link; Émilie,
		// invited again after her refusal, awaits an answer too. The
		// caller sorts: the store lists in the order of creation.
		resent := s.Now()
		for _, a := range []domain.Account{marc, ctAccountNamed(t, s, pc.ct.ID, "Émond")} {
			if _, err := s.ResendInvitation(ctx, pc.ct.ID, pc.principal.ID, a.ID, auth.NewToken().Hash, resent.Add(linkTTL), composeInvitationMail); err != nil {
				t.Fatalf("ResendInvitation: %v", err)
			}
		}
		emilie := ctAccountNamed(t, s, pc.ct.ID, "Émond")
		want.Invitations = []PendingInvitation{
			invitationOf(emilie, resent, resent.Add(linkTTL), false),
			invitationOf(marc, resent, resent.Add(linkTTL), false),
			invitationOf(lea, sent, sent.Add(linkTTL), false),
		}
		want.Counts.InactiveAccounts, want.Counts.RefusedAccounts = 4, 0
		if diff := cmp.Diff(want, getHome(t, s, pc.ct.ID)); diff != "" {
			t.Errorf("home after resending (-want +got):\n%s", diff)
		}

		// The pending designation, until its link expires, and after.
		d, _ := designate(t, s, pc.ct.ID, pc.principal.ID, newDesignation(personFiche("Nina", "Nouvelle", ctDomain(pc.ct)), ouiOui))
		want.Designation = &PendingDesignation{Designation: d}
		if diff := cmp.Diff(want, getHome(t, s, pc.ct.ID)); diff != "" {
			t.Errorf("home with a designation (-want +got):\n%s", diff)
		}
		c.Add(linkTTL)
		want.Designation.Expired = true
		for i := range want.Invitations {
			want.Invitations[i].Expired = true
		}
		if diff := cmp.Diff(want, getHome(t, s, pc.ct.ID)); diff != "" {
			t.Errorf("home a week later (-want +got):\n%s", diff)
		}

		// An answered designation and a deleted operator leave the home.
		if _, err := s.CancelDesignation(ctx, pc.ct.ID, pc.principal.ID, composeWithdrawnMail); err != nil {
			t.Fatalf("CancelDesignation: %v", err)
		}
		if err := s.DeleteOperator(ctx, pc.ct.ID, pc.principal.ID, lea.ID, composeDeletedMail); err != nil {
			t.Fatalf("DeleteOperator: %v", err)
		}
		want.Designation = nil
		want.Invitations = want.Invitations[:2]
		want.Counts.InactiveAccounts = 3
		if diff := cmp.Diff(want, getHome(t, s, pc.ct.ID)); diff != "" {
			t.Errorf("home after cancelling and deleting (-want +got):\n%s", diff)
		}

		// The other CT reads its own, and nothing of the first.
		h := getHome(t, s, other.ct.ID)
		if h.Designation == nil || h.Designation.LastName != "Angevine" {
			t.Errorf("other CT's designation = %+v, want Nina Angevine's", h.Designation)
		}
		if len(h.Invitations) != 1 || h.Invitations[0].AccountID != theirs.ID {
			t.Errorf("other CT's invitations = %+v, want Igor Ailleurs' alone", h.Invitations)
		}
		if want := (HomeCounts{ActiveAccounts: 2, InactiveAccounts: 2, RefusedAccounts: 1, Contacts: 2, Agents: 3}); h.Counts != want {
			t.Errorf("other CT's counts = %+v, want %+v", h.Counts, want)
		}

		// A CT that does not exist has nothing.
		if diff := cmp.Diff(Home{}, getHome(t, s, other.ct.ID+1000)); diff != "" {
			t.Errorf("home of no CT (-want +got):\n%s", diff)
		}
	})
}

// ctAccountNamed returns the account of the CT ctID whose nom is last.
func ctAccountNamed(t *testing.T, s *Store, ctID int64, last string) domain.Account {
	t.Helper()
	for _, a := range ctAccounts(t, s, ctID) {
		if a.LastName == last {
			return a
		}
	}
	t.Fatalf("no account %s in CT %d", last, ctID)
	return domain.Account{}
}
