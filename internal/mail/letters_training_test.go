package mail

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/docs"
	"iel/internal/domain"
	"iel/internal/mail/mailtest"
)

func trainingSample() TrainingMail {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	return TrainingMail{
		Collectivity: domain.Collectivity{ID: 7, Name: "Mairie d'Évry-Courcouronnes", Email: "mairie@evry.example"},
		Session: domain.Session{ID: 3, Code: "INTER-2027-014", Title: "Accueillir le public en situation de handicap", Type: domain.Inter,
			StartsOn: day(2027, 1, 12), EndsOn: day(2027, 1, 13), Hours: "9 h 00 – 17 h 00", Place: "CNFPT, 10 rue de l’Église, 91000 Évry",
			Capacity: 12, Deadline: day(2027, 1, 5)},
		Registration: domain.Registration{ID: 42, SessionID: 3, CollectivityID: 7, AgentID: 5, State: domain.RegistrationAccepted,
			CreatedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), DecidedAt: time.Date(2026, 12, 3, 10, 15, 0, 0, time.UTC)},
		Agent: domain.Agent{ID: 5, CollectivityID: 7, Civility: domain.Madame, FirstName: "Éloïse", LastName: "Lefèvre", Email: "eloise.lefevre@evry.example"},
	}
}

// trainingCase is one training e-mail: its kind, the registration's state
// at that step, and whether it is the agent's copy.
type trainingCase struct {
	name    string
	kind    domain.TrainingMailKind
	state   domain.RegistrationState
	motif   string
	toAgent bool
	subject string
	files   []string // attachments: name and type
}

func trainingCases() []trainingCase {
	convocation := []string{"convocation-INS-000042.pdf application/pdf", "session-INS-000042.ics text/calendar; charset=utf-8; method=PUBLISH"}
	return []trainingCase{
		{"training_received", domain.MailReceived, domain.RegistrationSent, "", false,
			"inscription en ligne : accusé de réception de votre demande d'inscription", nil},
		{"training_accepted", domain.MailAccepted, domain.RegistrationAccepted, "", false,
			"inscription en ligne : inscription acceptée – convocation", convocation},
		{"training_accepted_agent", domain.MailAccepted, domain.RegistrationAccepted, "", true,
			"inscription en ligne : inscription acceptée – convocation", convocation},
		{"training_promoted", domain.MailPromoted, domain.RegistrationAccepted, "", false,
			"inscription en ligne : inscription acceptée – convocation", convocation},
		{"training_refused", domain.MailRefused, domain.RegistrationRefused, "Le public visé est la catégorie A.\nMerci de votre compréhension.", false,
			"inscription en ligne : inscription refusée", nil},
		{"training_waiting", domain.MailWaiting, domain.RegistrationWaiting, "", false,
			"inscription en ligne : inscription en liste d'attente", nil},
		{"training_cancelled", domain.MailCancelled, domain.RegistrationCancelled, "", false,
			"inscription en ligne : annulation d'inscription", nil},
		{"training_session_cancelled", domain.MailSessionCancelled, domain.RegistrationCancelled, "", false,
			"inscription en ligne : annulation de la session", nil},
		{"training_reminder", domain.MailReminder, domain.RegistrationAccepted, "", false,
			"inscription en ligne : rappel – session du 12 janvier 2027", []string{"session-INS-000042.ics text/calendar; charset=utf-8; method=PUBLISH"}},
		{"training_reminder_agent", domain.MailReminder, domain.RegistrationAccepted, "", true,
			"inscription en ligne : rappel – session du 12 janvier 2027", []string{"session-INS-000042.ics text/calendar; charset=utf-8; method=PUBLISH"}},
		{"training_attendance", domain.MailAttendance, domain.RegistrationPresent, "", false,
			"inscription en ligne : attestation de présence", []string{"attestation-INS-000042.pdf application/pdf"}},
		{"training_attendance_agent", domain.MailAttendance, domain.RegistrationPresent, "", true,
			"inscription en ligne : attestation de présence", []string{"attestation-INS-000042.pdf application/pdf"}},
	}
}

func (tc trainingCase) mail() TrainingMail {
	d := trainingSample()
	d.Registration.State, d.ToAgent = tc.state, tc.toAgent
	if tc.kind == domain.MailSessionCancelled {
		d.Session.Cancelled, d.Session.Motif = d.Registration.DecidedAt, "Formateur indisponible."
	} else {
		d.Registration.Motif = tc.motif
	}
	return d
}

// TestTrainingLetters renders every kind of training e-mail against its
// golden text (go test -update rewrites them), with its subject, its
// recipient, its attachments, and the checks every e-mail passes.
func TestTrainingLetters(t *testing.T) {
	l, err := NewLetters("https://iel.cnfpt.example/")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[domain.TrainingMailKind]bool{}
	for _, tc := range trainingCases() {
		t.Run(tc.name, func(t *testing.T) {
			seen[tc.kind] = true
			d := tc.mail()
			to := "gestion@evry.example"
			if tc.toAgent {
				to = d.Agent.Email
			}
			m, err := l.Training(tc.kind, to, d)
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tc.subject || m.To != to {
				t.Errorf("Subject %q To %q, want %q %q", m.Subject, m.To, tc.subject, to)
			}
			var files []string
			for _, a := range m.Attachments {
				files = append(files, a.Filename+" "+a.ContentType)
			}
			if diff := cmp.Diff(tc.files, files); diff != "" {
				t.Errorf("attachments (-want +got):\n%s", diff)
			}
			for _, want := range []string{"Mes inscriptions", "https://iel.cnfpt.example/formations/inscriptions"} {
				if strings.Contains(m.Text, want) == tc.toAgent || strings.Contains(m.HTML, want) == tc.toAgent {
					t.Errorf("the %s copy %s %q", map[bool]string{true: "agent's", false: "CT's"}[tc.toAgent],
						map[bool]string{true: "has", false: "lacks"}[tc.toAgent], want)
				}
			}
			greeting := "Bonjour,\n"
			if tc.toAgent {
				greeting = "Bonjour Éloïse Lefèvre\n"
			}
			if !strings.HasPrefix(m.Text, greeting) {
				t.Errorf("text does not start with %q", greeting)
			}
			for _, want := range []string{"INTER-2027-014 – Accueillir le public en situation de handicap", "Du mardi 12 janvier 2027 au mercredi 13 janvier 2027",
				"9 h 00 – 17 h 00", "CNFPT, 10 rue de l’Église, 91000 Évry", "Formation inter", "INS-000042", "État de l'inscription : " + tc.state.Label()} {
				if !strings.Contains(m.Text, want) {
					t.Errorf("text lacks %q", want)
				}
			}
			if !strings.HasSuffix(m.Text, "\n\nCordialement,\nLe CNFPT.\n") || strings.Contains(m.Text, "\n\n\n") {
				t.Errorf("text is badly laid out:\n%s", m.Text)
			}
			for _, want := range []string{`<html lang="fr">`, "<title>" + strings.ReplaceAll(tc.subject, "'", "&#39;") + "</title>", "Le CNFPT.</p>",
				`<th scope="row"`, "Lefèvre"} {
				if !strings.Contains(m.HTML, want) {
					t.Errorf("HTML lacks %q:\n%s", want, m.HTML)
				}
			}

			got := "Subject: " + m.Subject + "\n\n" + m.Text
			for _, f := range files {
				got += "[pièce jointe : " + f + "]\n"
			}
			path := filepath.Join("testdata", tc.name+".txt")
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
	for _, k := range []domain.TrainingMailKind{domain.MailReceived, domain.MailAccepted, domain.MailRefused, domain.MailWaiting, domain.MailPromoted,
		domain.MailCancelled, domain.MailSessionCancelled, domain.MailReminder, domain.MailAttendance} {
		if !seen[k] {
			t.Errorf("no golden e-mail for %s", k)
		}
	}
}

// TestTrainingMotif: a refusal tells the registration's motif, a cancelled
// session the session's.
func TestTrainingMotif(t *testing.T) {
	l, _ := NewLetters("https://iel.cnfpt.example")
	for _, tc := range trainingCases() {
		m, err := l.Training(tc.kind, "gestion@evry.example", tc.mail())
		if err != nil {
			t.Fatal(err)
		}
		want := map[domain.TrainingMailKind]string{domain.MailRefused: "Motif : Le public visé est la catégorie A.\nMerci de votre compréhension.",
			domain.MailSessionCancelled: "Motif : Formateur indisponible."}[tc.kind]
		if want != "" && !strings.Contains(m.Text, want) {
			t.Errorf("%s: text lacks %q", tc.name, want)
		}
		if want == "" && strings.Contains(m.Text, "Motif") {
			t.Errorf("%s: a motif where none is due", tc.name)
		}
	}
}

func TestTrainingRefuses(t *testing.T) {
	l, _ := NewLetters("https://iel.cnfpt.example")
	d := trainingSample()
	if _, err := l.Training("bogus", "a@b.example", d); err == nil {
		t.Error("an unknown kind was composed")
	}
	// An attestation de présence for an agent who was not present.
	for _, st := range []domain.RegistrationState{domain.RegistrationAccepted, domain.RegistrationAbsent} {
		d.Registration.State = st
		if _, err := l.Training(domain.MailAttendance, "a@b.example", d); err == nil {
			t.Errorf("an attestation for a registration %s", st.Label())
		}
	}
	d.Registration.State = domain.RegistrationAccepted
	d.Registration.DecidedAt = time.Time{}
	if _, err := l.Training(domain.MailAccepted, "a@b.example", d); err == nil {
		t.Error("a convocation without a decision date, which dates it")
	}
	if _, err := l.Training(domain.MailReceived, "pas une adresse", trainingSample()); err == nil {
		t.Error("an invalid recipient was accepted")
	}
}

// TestTrainingOverSMTP sends the convocation through the SMTP sender and
// reads it back from the in-process server: the PDF and the calendar event
// arrive byte for byte as docs makes them.
func TestTrainingOverSMTP(t *testing.T) {
	l, _ := NewLetters("https://iel.cnfpt.example")
	d := trainingSample()
	d.ToAgent = true
	m, err := l.Training(domain.MailAccepted, d.Agent.Email, d)
	if err != nil {
		t.Fatal(err)
	}
	srv := mailtest.NewServer(t)
	if err := newTestSender(t, srv, "").Send(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	pdf, err := docs.Convocation(d.Collectivity, d.Session, d.Registration, d.Agent)
	if err != nil {
		t.Fatal(err)
	}
	ics := docs.Calendar("iel.cnfpt.example", d.Collectivity, d.Session, d.Registration, d.Agent)
	if len(got.Attachments) != 2 || !bytes.Equal(got.Attachments[0].Data, pdf) || !bytes.Equal(got.Attachments[1].Data, ics) {
		t.Fatalf("received %d attachments, not the convocation and the calendar event", len(got.Attachments))
	}
	if got.Attachments[0].Filename != "convocation-INS-000042.pdf" || !strings.HasPrefix(got.Attachments[1].ContentType, "text/calendar") {
		t.Errorf("attachments %q %q", got.Attachments[0].Filename, got.Attachments[1].ContentType)
	}
	if !strings.HasPrefix(got.Text, "Bonjour Éloïse Lefèvre\n") {
		t.Errorf("text %q", got.Text)
	}
}

// TestTrainingDocumentsFollowTheValues: the recipients of one change get
// the same convocation; another value (the agent's name, the decision
// date) gives the document docs makes of it, never a stale one.
func TestTrainingDocumentsFollowTheValues(t *testing.T) {
	l, _ := NewLetters("https://iel.cnfpt.example")
	d := trainingSample()
	first, err := l.Training(domain.MailAccepted, "gestion@evry.example", d)
	if err != nil {
		t.Fatal(err)
	}
	d.ToAgent = true
	second, err := l.Training(domain.MailAccepted, d.Agent.Email, d)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Attachments[0].Data, second.Attachments[0].Data) {
		t.Error("two recipients of one change got different convocations")
	}
	for _, change := range []func(*TrainingMail){
		func(d *TrainingMail) { d.Agent.LastName = "Martin" },
		func(d *TrainingMail) { d.Registration.DecidedAt = d.Registration.DecidedAt.Add(time.Minute) },
		func(d *TrainingMail) { d.Session.Place = "Autre lieu" },
	} {
		changed := trainingSample()
		change(&changed)
		m, err := l.Training(domain.MailAccepted, "gestion@evry.example", changed)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := docs.Convocation(changed.Collectivity, changed.Session, changed.Registration, changed.Agent)
		if !bytes.Equal(m.Attachments[0].Data, want) || bytes.Equal(m.Attachments[0].Data, first.Attachments[0].Data) {
			t.Error("a changed value did not give its own convocation")
		}
	}
}
