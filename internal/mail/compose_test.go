package mail

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.txt from the templates")

const testLink = "https://iel.cnfpt.example/lien?jeton=abc&x=1"

// composeCase is one e-mail as a handler asks for it.
type composeCase struct {
	name    string
	compose func(*Composer) (Message, error)
	subject string
}

// composeCases covers every method, and both answers with and without a
// comment.
func composeCases() []composeCase {
	answer := AnswerData{HolderName: "Marie Martin", FullName: "Jean Dupont", Collectivity: "Mairie d'Évry"}
	withComment := answer
	withComment.Accepted = true
	withComment.PreviousManager = true
	withComment.Comment = "Avec plaisir.\r\nÀ bientôt."
	fromPrincipal := withComment
	fromPrincipal.PreviousManager = false
	return []composeCase{
		{name: "codes", subject: "inscription en ligne : vos codes de connexion",
			compose: func(c *Composer) (Message, error) {
				return c.Codes("mairie@evry.example", CodesData{Collectivity: "Mairie d'Évry", Login: "C123456", Link: testLink})
			}},
		{name: "password_reset", subject: "inscription en ligne : mot de passe oublié",
			compose: func(c *Composer) (Message, error) {
				return c.PasswordReset("jean@evry.example", PasswordResetData{Login: "C123456", Link: testLink})
			}},
		{name: "designation", subject: "inscription en ligne : validation de votre compte gestionnaire principal CT",
			compose: func(c *Composer) (Message, error) {
				return c.Designation("jean@evry.example", DesignationData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Link: testLink})
			}},
		{name: "principal_account", subject: "inscription en ligne : votre compte gestionnaire principal CT",
			compose: func(c *Composer) (Message, error) {
				return c.PrincipalAccount("jean@evry.example", PrincipalAccountData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Login: "G654321", Link: testLink})
			}},
		{name: "operator_invitation", subject: "inscription en ligne : validation de votre compte opérateur CT",
			compose: func(c *Composer) (Message, error) {
				return c.OperatorInvitation("jean@evry.example", OperatorInvitationData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Link: testLink})
			}},
		{name: "operator_account", subject: "inscription en ligne : votre compte opérateur CT",
			compose: func(c *Composer) (Message, error) {
				return c.OperatorAccount("jean@evry.example", OperatorAccountData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Login: "K7MNPQRS23", Link: testLink})
			}},
		{name: "designation_withdrawn", subject: "inscription en ligne : annulation de votre désignation comme gestionnaire principal CT",
			compose: func(c *Composer) (Message, error) {
				return c.DesignationWithdrawn("jean@evry.example", WithdrawnData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry"})
			}},
		{name: "designation_replaced", subject: "inscription en ligne : annulation de votre désignation comme gestionnaire principal CT",
			compose: func(c *Composer) (Message, error) {
				return c.DesignationWithdrawn("jean@evry.example", WithdrawnData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Replaced: true})
			}},
		{name: "operator_deleted_active", subject: "inscription en ligne : suppression de votre compte opérateur CT",
			compose: func(c *Composer) (Message, error) {
				return c.OperatorDeleted("jean@evry.example", OperatorDeletedData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Login: "K7MNPQRS23", Active: true})
			}},
		{name: "operator_deleted_invited", subject: "inscription en ligne : suppression de votre compte opérateur CT",
			compose: func(c *Composer) (Message, error) {
				return c.OperatorDeleted("jean@evry.example", OperatorDeletedData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Login: "K7MNPQRS23"})
			}},
		{name: "address_changed_own", subject: "inscription en ligne : changement de l'adresse courriel de votre compte",
			compose: func(c *Composer) (Message, error) {
				return c.AddressChanged("jean@evry.example", AddressChangedData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Login: "K7MNPQRS23"})
			}},
		{name: "address_changed_own_manager", subject: "inscription en ligne : changement de l'adresse courriel de votre compte",
			compose: func(c *Composer) (Message, error) {
				return c.AddressChanged("marie@evry.example", AddressChangedData{FullName: "Marie Martin", Collectivity: "Mairie d'Évry", Login: "C123456789", Manager: true})
			}},
		{name: "address_changed_by_principal", subject: "inscription en ligne : changement de l'adresse courriel de votre compte",
			compose: func(c *Composer) (Message, error) {
				return c.AddressChanged("jean@evry.example", AddressChangedData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Login: "K7MNPQRS23", ByPrincipal: true})
			}},
		{name: "staff_codes", subject: "inscription en ligne : vos codes de connexion",
			compose: func(c *Composer) (Message, error) {
				return c.StaffCodes("claire.roux@cnfpt.example", StaffCodesData{FullName: "Claire Roux", Login: "S7MNPQRS23", Link: testLink})
			}},
		{name: "principal_change", subject: "inscription en ligne : changement du gestionnaire principal CT",
			compose: func(c *Composer) (Message, error) {
				return c.PrincipalChange("marie@evry.example", PrincipalChangeData{FullName: "Marie Martin", Collectivity: "Mairie d'Évry", Former: "Paul Durand", Designated: "Jean Dupont"})
			}},
		{name: "designation_answer_accepted", subject: "inscription en ligne : réponse à la désignation du gestionnaire principal CT",
			compose: func(c *Composer) (Message, error) { return c.DesignationAnswer("marie@evry.example", withComment) }},
		{name: "designation_answer_accepted_from_principal", subject: "inscription en ligne : réponse à la désignation du gestionnaire principal CT",
			compose: func(c *Composer) (Message, error) { return c.DesignationAnswer("marie@evry.example", fromPrincipal) }},
		{name: "designation_answer_refused", subject: "inscription en ligne : réponse à la désignation du gestionnaire principal CT",
			compose: func(c *Composer) (Message, error) { return c.DesignationAnswer("marie@evry.example", answer) }},
		{name: "operator_answer_accepted", subject: "inscription en ligne : réponse à l'invitation d'un opérateur CT",
			compose: func(c *Composer) (Message, error) { return c.OperatorAnswer("marie@evry.example", withComment) }},
		{name: "operator_answer_refused", subject: "inscription en ligne : réponse à l'invitation d'un opérateur CT",
			compose: func(c *Composer) (Message, error) { return c.OperatorAnswer("marie@evry.example", answer) }},
	}
}

func newTestComposer(t *testing.T) *Composer {
	t.Helper()
	c, err := NewComposer("iel.cnfpt.example")
	if err != nil {
		t.Fatalf("NewComposer: %v", err)
	}
	return c
}

func TestComposeRendersEveryEmail(t *testing.T) {
	c := newTestComposer(t)
	messageID := regexp.MustCompile(`^<[0-9a-f]{32}@iel\.cnfpt\.example>$`)
	for _, tt := range composeCases() {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.compose(c)
			if err != nil {
				t.Fatalf("compose: %v", err)
			}
			if m.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", m.Subject, tt.subject)
			}
			if m.To == "" || m.From != "" || m.ID != 0 || !m.ExpiresAt.IsZero() {
				t.Errorf("To %q, From %q, ID %d, ExpiresAt %v: want only To set", m.To, m.From, m.ID, m.ExpiresAt)
			}
			if !messageID.MatchString(m.MessageID) {
				t.Errorf("MessageID = %q", m.MessageID)
			}
			if !strings.HasSuffix(m.Text, "\n\nCordialement,\nLe CNFPT.\n") {
				t.Errorf("text does not end with the signature:\n%s", m.Text)
			}
			for _, want := range []string{`<html lang="fr">`, "<title>" + strings.ReplaceAll(tt.subject, "'", "&#39;") + "</title>", "Le CNFPT.</p>"} {
				if !strings.Contains(m.HTML, want) {
					t.Errorf("HTML lacks %q:\n%s", want, m.HTML)
				}
			}
			for _, banned := range []string{"<script", "src=", "<link", "@import", "url("} {
				if strings.Contains(m.HTML, banned) {
					t.Errorf("HTML holds %q:\n%s", banned, m.HTML)
				}
			}
			if strings.Contains(m.Text, "<") || strings.Contains(m.Text, "&#") {
				t.Errorf("text holds markup:\n%s", m.Text)
			}
		})
	}
}

func TestComposeSpecWording(t *testing.T) {
	// Word for word from the official notice, the link where it puts it.
	c := newTestComposer(t)
	tests := []struct {
		name     string
		compose  func() (Message, error)
		wantText string
		wantHTML string
	}{
		{
			name: "designation",
			compose: func() (Message, error) {
				return c.Designation("a@b.example", DesignationData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Link: testLink})
			},
			wantText: "Bonjour Jean Dupont\n\nVous avez été désigné(e) comme le gestionnaire principal de la Collectivité Mairie d'Évry\n\nVous pouvez accepter ou refuser en vous connectant au " + testLink + ".\n\nCordialement,\nLe CNFPT.\n",
			wantHTML: `Vous pouvez accepter ou refuser en vous connectant au <a href="https://iel.cnfpt.example/lien?jeton=abc&amp;x=1"`,
		},
		{
			name: "principal account",
			compose: func() (Message, error) {
				return c.PrincipalAccount("a@b.example", PrincipalAccountData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Login: "G654321", Link: testLink})
			},
			wantText: "Bonjour Jean Dupont\n\nVous avez accepté d'être gestionnaire principal de la collectivité Mairie d'Évry.\n\nVous pouvez vous connecter à l'Inscription en ligne du CNFPT avec votre login : G654321 et sur le lien suivant pour saisir votre mot de passe : " + testLink + "\n\nCordialement,\nLe CNFPT.\n",
			wantHTML: `pour saisir votre mot de passe : <a href="https://iel.cnfpt.example/lien?jeton=abc&amp;x=1"`,
		},
		{
			name: "operator invitation",
			compose: func() (Message, error) {
				return c.OperatorInvitation("a@b.example", OperatorInvitationData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Link: testLink})
			},
			wantText: "Bonjour Jean Dupont\n\nVous avez été désigné(e) comme opérateur de la Collectivité Mairie d'Évry.\n\nVous pouvez accepter ou refuser en vous connectant au " + testLink + ".\n\nCordialement,\nLe CNFPT.\n",
			wantHTML: `Vous avez été désigné(e) comme opérateur de la Collectivité Mairie d&#39;Évry.`,
		},
		{
			name: "operator account, the principal's e-mail for an operator",
			compose: func() (Message, error) {
				return c.OperatorAccount("a@b.example", OperatorAccountData{FullName: "Jean Dupont", Collectivity: "Mairie d'Évry", Login: "K7MNPQRS23", Link: testLink})
			},
			wantText: "Bonjour Jean Dupont\n\nVous avez accepté d'être opérateur de la collectivité Mairie d'Évry.\n\nVous pouvez vous connecter à l'Inscription en ligne du CNFPT avec votre login : K7MNPQRS23 et sur le lien suivant pour saisir votre mot de passe : " + testLink + "\n\nCordialement,\nLe CNFPT.\n",
			wantHTML: `avec votre login : <strong>K7MNPQRS23</strong> et sur le lien suivant pour saisir votre mot de passe : <a href="https://iel.cnfpt.example/lien?jeton=abc&amp;x=1"`,
		},
		{
			name: "codes",
			compose: func() (Message, error) {
				return c.Codes("a@b.example", CodesData{Collectivity: "Mairie d'Évry", Login: "C123456", Link: testLink})
			},
			wantText: "Bonjour,\n\nLa collectivité Mairie d'Évry dispose d'un accès à l'Inscription en ligne du CNFPT.\n\nVous pouvez vous connecter à l'Inscription en ligne du CNFPT avec votre login : C123456 et sur le lien suivant pour saisir votre mot de passe : " + testLink + "\n\nCe lien est valable 7 jours et ne peut servir qu'une fois.\n\nCordialement,\nLe CNFPT.\n",
			wantHTML: `avec votre login : <strong>C123456</strong>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.compose()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantText, m.Text); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
			if !strings.Contains(m.HTML, tt.wantHTML) {
				t.Errorf("HTML lacks %q:\n%s", tt.wantHTML, m.HTML)
			}
		})
	}
}

func TestComposeAnswers(t *testing.T) {
	c := newTestComposer(t)
	tests := []struct {
		name     string
		compose  func(string, AnswerData) (Message, error)
		data     AnswerData
		want     []string
		wantHTML []string
		absent   []string
	}{
		{
			name:    "designation accepted, holder was the previous manager",
			compose: c.DesignationAnswer,
			data:    AnswerData{HolderName: "Marie Martin", FullName: "Jean Dupont", Collectivity: "Évry", Comment: "  Ligne 1\r\nLigne 2  ", Accepted: true, PreviousManager: true},
			want: []string{
				"Bonjour Marie Martin\n\nJean Dupont a accepté le rôle de gestionnaire principal de la collectivité Évry.\n\n",
				"\n\nVotre compte gestionnaire CT est fermé ; le nouveau gestionnaire principal administre désormais les comptes de la collectivité.\n\n",
				"\n\nCommentaire : Ligne 1\nLigne 2\n\nCordialement,",
			},
			wantHTML: []string{"<p>Commentaire : Ligne 1<br>\nLigne 2</p>", "Votre compte gestionnaire CT est fermé"},
			absent:   []string{"Aucun commentaire", "\r", "compte opérateur"},
		},
		{
			name:    "designation accepted, holder was a principal",
			compose: c.DesignationAnswer,
			data:    AnswerData{HolderName: "Marie Martin", FullName: "Jean Dupont", Collectivity: "Évry", Accepted: true},
			want: []string{
				"Jean Dupont a accepté le rôle de gestionnaire principal de la collectivité Évry.\n\nVous n'êtes plus gestionnaire principal : votre compte devient un compte opérateur, avec le même identifiant et le même mot de passe.\n\nAucun commentaire n'a été laissé.\n\n",
			},
			wantHTML: []string{"votre compte devient un compte opérateur"},
			absent:   []string{"fermé"},
		},
		{
			name:     "designation refused without comment",
			compose:  c.DesignationAnswer,
			data:     AnswerData{HolderName: "Marie Martin", FullName: "Jean Dupont", Collectivity: "Évry", Comment: " \n "},
			want:     []string{"Jean Dupont a refusé le rôle de gestionnaire principal de la collectivité Évry.\n\nAucun commentaire n'a été laissé.\n\nCordialement,"},
			wantHTML: []string{"<p>Aucun commentaire n'a été laissé.</p>"},
			absent:   []string{"fermé", "compte opérateur", "Commentaire :"},
		},
		{
			name:     "operator accepted",
			compose:  c.OperatorAnswer,
			data:     AnswerData{HolderName: "Marie Martin", FullName: "Jean Dupont", Collectivity: "Évry", Comment: "Merci", Accepted: true},
			want:     []string{"Bonjour Marie Martin\n\nJean Dupont a accepté son compte opérateur de la collectivité Évry.\n\nCommentaire : Merci\n\nCordialement,\nLe CNFPT.\n"},
			wantHTML: []string{"<p>Commentaire : Merci</p>"},
			absent:   []string{"fermé"},
		},
		{
			name:    "operator refused",
			compose: c.OperatorAnswer,
			data:    AnswerData{HolderName: "Marie Martin", FullName: "Jean Dupont", Collectivity: "Évry"},
			want:    []string{"Jean Dupont a refusé son compte opérateur de la collectivité Évry.\n\nAucun commentaire n'a été laissé.\n\nCordialement,"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.compose("marie@evry.example", tt.data)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(m.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, m.Text)
				}
			}
			for _, w := range tt.wantHTML {
				if !strings.Contains(m.HTML, w) {
					t.Errorf("HTML lacks %q:\n%s", w, m.HTML)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(m.Text, a) {
					t.Errorf("text holds %q:\n%s", a, m.Text)
				}
			}
		})
	}
}

func TestComposeEscaping(t *testing.T) {
	c := newTestComposer(t)
	name := `Jean <b>"Dupont"</b> & Fils`
	tests := []struct {
		name    string
		compose func() (Message, error)
	}{
		{name: "designation", compose: func() (Message, error) {
			return c.Designation("a@b.example", DesignationData{FullName: name, Collectivity: name, Link: testLink})
		}},
		{name: "answer comment", compose: func() (Message, error) {
			return c.OperatorAnswer("a@b.example", AnswerData{HolderName: name, FullName: name, Collectivity: name, Comment: name})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.compose()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(m.HTML, "<b>") {
				t.Errorf("HTML does not escape the name:\n%s", m.HTML)
			}
			if !strings.Contains(m.HTML, "Jean &lt;b&gt;&#34;Dupont&#34;&lt;/b&gt; &amp; Fils") {
				t.Errorf("HTML lacks the escaped name:\n%s", m.HTML)
			}
			if !strings.Contains(m.Text, name) {
				t.Errorf("text does not hold the name as typed:\n%s", m.Text)
			}
		})
	}
}

func TestComposeUnsafeLink(t *testing.T) {
	c := newTestComposer(t)
	m, err := c.PasswordReset("a@b.example", PasswordResetData{Login: "C1", Link: "javascript:alert(1)"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.HTML, `href="javascript:`) {
		t.Errorf("HTML links to javascript:\n%s", m.HTML)
	}
}

func TestComposeErrors(t *testing.T) {
	tests := []struct {
		name string
		host string
		to   string
	}{
		{name: "empty host", host: "", to: "a@b.example"},
		{name: "host with @", host: "a@b", to: "a@b.example"},
		{name: "host with >", host: "a>b", to: "a@b.example"},
		{name: "bad recipient", host: "iel.example", to: "pas une adresse"},
		{name: "header injection", host: "iel.example", to: "a@b.example\r\nBcc: c@d.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewComposer(tt.host)
			if err == nil {
				_, err = c.Codes(tt.to, CodesData{Collectivity: "X", Login: "C1", Link: testLink})
			}
			if err == nil || !strings.HasPrefix(err.Error(), "mail: ") {
				t.Errorf("got %v, want a mail: error", err)
			}
		})
	}
}

func TestComposeMessageIDsDiffer(t *testing.T) {
	c := newTestComposer(t)
	seen := map[string]bool{}
	for range 100 {
		m, err := c.PasswordReset("a@b.example", PasswordResetData{Login: "C1", Link: testLink})
		if err != nil {
			t.Fatal(err)
		}
		if seen[m.MessageID] {
			t.Fatalf("MessageID %s given twice", m.MessageID)
		}
		seen[m.MessageID] = true
	}
}

// TestGolden pins each e-mail's subject and text in testdata/<name>.txt,
// so that a change of wording shows in review. Run with -update to
// rewrite them after an intended change.
func TestGolden(t *testing.T) {
	c := newTestComposer(t)
	for _, tt := range composeCases() {
		t.Run(tt.name, func(t *testing.T) {
			m, err := tt.compose(c)
			if err != nil {
				t.Fatal(err)
			}
			got := "Subject: " + m.Subject + "\n\n" + m.Text
			path := filepath.Join("testdata", tt.name+".txt")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", path, diff)
			}
		})
	}
}
