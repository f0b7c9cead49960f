package mail

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
)

// TestLetters checks each e-mail as the web and the command line ask for
// it: its recipient, the link rooted at the base URL with the path of its
// page, and the values it draws from the domain, against the same e-mail
// composed by hand.
func TestLetters(t *testing.T) {
	l, err := NewLetters("https://inscription.example.fr/")
	if err != nil {
		t.Fatal(err)
	}
	c := newTestComposer(t)
	ct := domain.Collectivity{ID: 7, Name: "Mairie d'Évry", Email: "mairie@evry.example"}
	manager := domain.Account{Login: "C123456", Role: domain.RoleManager, Fiche: domain.Fiche{FirstName: "Marie", LastName: "Martin", Email: "marie@evry.example"}}
	principal := manager
	principal.Role = domain.RolePrincipal
	op := domain.Account{Login: "K7", Role: domain.RoleOperator, State: domain.StateInactive, Fiche: domain.Fiche{FirstName: "Luc", LastName: "Petit", Email: "luc@evry.example"}}
	activeOp := op
	activeOp.State = domain.StateActive
	d := domain.Designation{Fiche: domain.Fiche{FirstName: "Jean", LastName: "Dupont", Email: "jean@evry.example"}, State: domain.DesignationAccepted, Comment: "Avec plaisir."}
	refused := d
	refused.State, refused.Comment = domain.DesignationRefused, ""
	staff := domain.Account{Login: "S7", Role: domain.RoleStaff, Fiche: domain.Fiche{FirstName: "Claire", LastName: "Roux", Email: "claire.roux@cnfpt.example"}}
	const raw = "tok_EN-base64url"

	tests := []struct {
		name string
		got  func() (Message, error)
		want func() (Message, error)
	}{
		{"codes",
			func() (Message, error) { return l.Codes(ct, "C123456", raw) },
			func() (Message, error) {
				return c.Codes("mairie@evry.example", CodesData{Collectivity: "Mairie d'Évry", Login: "C123456", Link: "https://inscription.example.fr/mot-de-passe/" + raw})
			}},
		{"password reset",
			func() (Message, error) { return l.PasswordReset(op, raw) },
			func() (Message, error) {
				return c.PasswordReset("luc@evry.example", PasswordResetData{Login: "K7", Link: "https://inscription.example.fr/mot-de-passe/" + raw})
			}},
		{"designation",
			func() (Message, error) { return l.Designation(ct, d, raw) },
			func() (Message, error) {
				return c.Designation("jean@evry.example", DesignationData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Link: "https://inscription.example.fr/validationgestprin/" + raw})
			}},
		{"principal account",
			func() (Message, error) { return l.PrincipalAccount(ct, d, "G654321", raw) },
			func() (Message, error) {
				return c.PrincipalAccount("jean@evry.example", PrincipalAccountData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Login: "G654321", Link: "https://inscription.example.fr/mot-de-passe/" + raw})
			}},
		{"designation accepted, told to the manager",
			func() (Message, error) { return l.DesignationAnswer(ct, d, manager) },
			func() (Message, error) {
				return c.DesignationAnswer("marie@evry.example", AnswerData{HolderName: "Marie Martin", FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Comment: "Avec plaisir.", Accepted: true, PreviousManager: true})
			}},
		{"designation refused, told to the principal",
			func() (Message, error) { return l.DesignationAnswer(ct, refused, principal) },
			func() (Message, error) {
				return c.DesignationAnswer("marie@evry.example", AnswerData{HolderName: "Marie Martin", FullName: "Jean Dupont", Collectivity: "Mairie d'Évry"})
			}},
		{"operator invitation",
			func() (Message, error) { return l.OperatorInvitation(ct, op, raw) },
			func() (Message, error) {
				return c.OperatorInvitation("luc@evry.example", OperatorInvitationData{FullName: "Luc Petit", Collectivity: "Mairie d'Évry", Link: "https://inscription.example.fr/validationoperateur/" + raw})
			}},
		{"operator account",
			func() (Message, error) { return l.OperatorAccount(ct, op, raw) },
			func() (Message, error) {
				return c.OperatorAccount("luc@evry.example", OperatorAccountData{FullName: "Luc Petit", Collectivity: "Mairie d'Évry", Login: "K7", Link: "https://inscription.example.fr/mot-de-passe/" + raw})
			}},
		{"staff codes",
			func() (Message, error) { return l.StaffCodes(staff, raw) },
			func() (Message, error) {
				return c.StaffCodes("claire.roux@cnfpt.example", StaffCodesData{FullName: "Claire Roux", Login: "S7", Link: "https://inscription.example.fr/mot-de-passe/" + raw})
			}},
		{"principal change, told to the former principal",
			func() (Message, error) { return l.PrincipalChange(ct, d, principal, principal) },
			func() (Message, error) {
				return c.PrincipalChange("marie@evry.example", PrincipalChangeData{FullName: "Marie Martin", Collectivity: "Mairie d'Évry", Former: "Marie Martin", Designated: "Jean Dupont"})
			}},
		{"designation withdrawn",
			func() (Message, error) { return l.DesignationWithdrawn(ct, d) },
			func() (Message, error) {
				return c.DesignationWithdrawn("jean@evry.example", WithdrawnData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry"})
			}},
		{"designation replaced",
			func() (Message, error) { return l.DesignationReplaced(ct, d) },
			func() (Message, error) {
				return c.DesignationWithdrawn("jean@evry.example", WithdrawnData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Replaced: true})
			}},
		{"active operator deleted",
			func() (Message, error) { return l.OperatorDeleted(ct, activeOp) },
			func() (Message, error) {
				return c.OperatorDeleted("luc@evry.example", OperatorDeletedData{FullName: "Luc Petit", Collectivity: "Mairie d'Évry", Login: "K7", Active: true})
			}},
		{"invited operator deleted",
			func() (Message, error) { return l.OperatorDeleted(ct, op) },
			func() (Message, error) {
				return c.OperatorDeleted("luc@evry.example", OperatorDeletedData{FullName: "Luc Petit", Collectivity: "Mairie d'Évry", Login: "K7"})
			}},
		{"address changed by the operator",
			func() (Message, error) { return l.AddressChanged(ct, op, false) },
			func() (Message, error) {
				return c.AddressChanged("luc@evry.example", AddressChangedData{FullName: "Luc Petit", Collectivity: "Mairie d'Évry", Login: "K7"})
			}},
		{"address changed by the principal",
			func() (Message, error) { return l.AddressChanged(ct, op, true) },
			func() (Message, error) {
				return c.AddressChanged("luc@evry.example", AddressChangedData{FullName: "Luc Petit", Collectivity: "Mairie d'Évry", Login: "K7", ByPrincipal: true})
			}},
		{"address changed by the historical manager",
			func() (Message, error) { return l.AddressChanged(ct, manager, false) },
			func() (Message, error) {
				return c.AddressChanged("marie@evry.example", AddressChangedData{FullName: "Marie Martin", Collectivity: "Mairie d'Évry", Login: "C123456", Manager: true})
			}},
		{"operator accepted",
			func() (Message, error) { return l.OperatorAnswer(ct, op, principal, true, "Merci") },
			func() (Message, error) {
				return c.OperatorAnswer("marie@evry.example", AnswerData{HolderName: "Marie Martin", FullName: "Luc Petit", Collectivity: "Mairie d'Évry", Comment: "Merci", Accepted: true})
			}},
		{"operator refused",
			func() (Message, error) { return l.OperatorAnswer(ct, op, principal, false, "") },
			func() (Message, error) {
				return c.OperatorAnswer("marie@evry.example", AnswerData{HolderName: "Marie Martin", FullName: "Luc Petit", Collectivity: "Mairie d'Évry"})
			}},
	}
	messageID := regexp.MustCompile(`^<[0-9a-f]{32}@inscription\.example\.fr>$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.got()
			if err != nil {
				t.Fatal(err)
			}
			want, err := tt.want()
			if err != nil {
				t.Fatal(err)
			}
			if !messageID.MatchString(got.MessageID) {
				t.Errorf("MessageID = %q, want one @inscription.example.fr", got.MessageID)
			}
			got.MessageID, want.MessageID = "", ""
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("e-mail (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewLettersRefusesBadBaseURL(t *testing.T) {
	for _, u := range []string{"", "inscription.example.fr", "ftp://inscription.example.fr", "https://", "http://a b/"} {
		if _, err := NewLetters(u); err == nil || !strings.HasPrefix(err.Error(), "mail: ") {
			t.Errorf("NewLetters(%q) = %v, want a mail: error", u, err)
		}
	}
}
