package store

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/docs"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/mail/mailtest"
)

// TestTrainingMailsOverSMTP follows one registration from its sending to
// its attestation with the portal's real letters, delivered by the outbox
// worker to an in-process SMTP server: each e-mail reaches exactly the
// CT's accounts that said Oui for the session's type and, where due, the
// agent, with the convocation (PDF and .ics) or the attestation attached.
func TestTrainingMailsOverSMTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		pc := setupPrincipal(t, s, "Commune de Cholet") // principal Oui/Oui; the manager closed
		integ := addActiveOperator(t, s, pc, "Ines", "Integ", domain.MailPrefs{domain.Integration: true})
		addActiveOperator(t, s, pc, "Ivan", "Inter", domain.MailPrefs{domain.Inter: true})
		addActiveOperator(t, s, pc, "Noe", "None", domain.MailPrefs{})
		a := agentNamed("Martin", "Léa", day(1990, 1, 1))
		a.Email, a.Status, a.AppointedOn = "lea.martin@cholet.fr", domain.Stagiaire, day(2025, 1, 6)
		a = mustCreateAgent(t, s, pc.ct.ID, a)
		letters, err := mail.NewLetters("http://portal.test")
		if err != nil {
			t.Fatal(err)
		}

		sess := mustCreateSession(t, s, sessionAt("SMTP-1", domain.Integration, 20, 5))
		regs, err := s.Register(ctCtx(pc.principal), pc.ct.ID, sess.ID, []int64{a.ID}, letters)
		if err != nil {
			t.Fatal(err)
		}
		ok(t)(s.AcceptRegistration(staffCtx(), regs[0].ID, letters))
		c.Add(20 * 24 * time.Hour) // the session's first day
		ok(t)(s.MarkPresent(staffCtx(), regs[0].ID, letters))

		srv := mailtest.NewServer(t)
		sender, err := mail.NewSMTPSender(srv.URL(), "Inscription en ligne <ne-pas-repondre@portal.test>", nil)
		if err != nil {
			t.Fatal(err)
		}
		w := &mail.Worker{Queue: s, Sender: sender, Now: s.Now}
		if _, err := w.DeliverDue(testCtx()); err != nil {
			t.Fatal(err)
		}

		// Who received what, and with which files.
		got := map[string][]string{}
		for _, m := range srv.Messages() {
			if strings.Contains(m.Subject, "compte") || strings.Contains(m.Subject, "réponse à") {
				continue // the accounts' own e-mails, of the fixture
			}
			var files []string
			for _, f := range m.Attachments {
				files = append(files, f.Filename+" "+strings.SplitN(f.ContentType, ";", 2)[0])
				if len(f.Data) == 0 {
					t.Errorf("%s to %v: %s is empty", m.Subject, m.To, f.Filename)
				}
			}
			got[m.Subject] = append(got[m.Subject], fmt.Sprintf("%s %v", strings.Join(m.To, ","), files))
		}
		for k := range got {
			sort.Strings(got[k])
		}
		r := regs[0]
		mediaType := func(t string) string { return strings.SplitN(t, ";", 2)[0] }
		convocation := fmt.Sprintf("[%s %s %s %s]", docs.ConvocationFilename(r), docs.PDFType, docs.CalendarFilename(r), mediaType(docs.CalendarType))
		attestation := fmt.Sprintf("[%s %s]", docs.AttestationFilename(r), docs.PDFType)
		ct := []string{pc.principal.Email, integ.Email}
		sort.Strings(ct)
		each := func(files string, to ...string) []string {
			var out []string
			for _, a := range to {
				out = append(out, a+" "+files)
			}
			slices.Sort(out)
			return out
		}
		want := map[string][]string{
			"inscription en ligne : accusé de réception de votre demande d'inscription": each("[]", ct...),
			"inscription en ligne : inscription acceptée – convocation":                 each(convocation, append(slices.Clone(ct), a.Email)...),
			"inscription en ligne : attestation de présence":                            each(attestation, append(slices.Clone(ct), a.Email)...),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("e-mails received (-want +got):\n%s", diff)
		}
	})
}

// A third type is a row: its sessions carry its label from the table, and
// the e-mails and documents about them name it.
func TestThirdTypeNamedInMailsAndDocuments(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		if _, err := s.db.Exec(`INSERT INTO training_types (code, label, position) VALUES ('union', 'Formation union', 3)`); err != nil {
			t.Fatal(err)
		}
		sess := mustCreateSession(t, s, sessionAt("UNION-1", domain.TrainingType("union"), 20, 5))
		if sess.TypeName() != "Formation union" {
			t.Fatalf("created session's type = %q, want the table's label", sess.TypeName())
		}
		got, err := s.GetSession(testCtx(), sess.ID)
		if err != nil || got.TypeName() != "Formation union" {
			t.Fatalf("GetSession: type %q, %v", got.TypeName(), err)
		}
		letters, err := mail.NewLetters("http://portal.test")
		if err != nil {
			t.Fatal(err)
		}
		m, err := letters.Training(domain.MailReceived, "rh@cholet.fr", mail.TrainingMail{Session: got,
			Collectivity: domain.Collectivity{Name: "Commune de Cholet"}, Agent: agentNamed("Martin", "Léa", day(1990, 1, 1)),
			Registration: domain.Registration{ID: 1, State: domain.RegistrationSent, CreatedAt: s.Now(), DecidedAt: s.Now()}})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Text, "Formation union") {
			t.Errorf("the e-mail does not name the type:\n%s", m.Text)
		}
		if ics := string(docs.Calendar("portal.test", domain.Collectivity{Name: "Commune de Cholet"}, got, domain.Registration{ID: 1, DecidedAt: s.Now()}, domain.Agent{})); !strings.Contains(ics, "formation union") {
			t.Errorf("the calendar event does not name the type:\n%s", ics)
		}
	})
}
