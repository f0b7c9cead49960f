package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
	"iel/internal/mail"
)

// trainingSubjects are the subjects of PRODUCT.md, per kind.
var trainingSubjects = map[domain.TrainingMailKind]string{
	domain.MailReceived:         "inscription en ligne : accusé de réception de votre demande d'inscription",
	domain.MailAccepted:         "inscription en ligne : inscription acceptée – convocation",
	domain.MailRefused:          "inscription en ligne : inscription refusée",
	domain.MailWaiting:          "inscription en ligne : inscription en liste d'attente",
	domain.MailPromoted:         "inscription en ligne : inscription acceptée – convocation",
	domain.MailCancelled:        "inscription en ligne : annulation d'inscription",
	domain.MailSessionCancelled: "inscription en ligne : annulation de la session",
	domain.MailReminder:         "inscription en ligne : rappel – session du ",
	domain.MailAttendance:       "inscription en ligne : attestation de présence",
}

// testLetters is a small real composer: the subject of each kind, and a
// text that says whom and what it is about, with the kind first so that
// tests tell acceptance from promotion.
type testLetters struct{}

func (testLetters) Training(kind domain.TrainingMailKind, to string, d mail.TrainingMail) (mail.Message, error) {
	subject := trainingSubjects[kind]
	if kind == domain.MailReminder {
		subject += domain.FormatDay(d.Session.StartsOn)
	}
	copyOf := "ct"
	if d.ToAgent {
		copyOf = "agent"
	}
	return mail.Message{
		MessageID: fmt.Sprintf("<%s-%d-%s@test>", kind, d.Registration.ID, to),
		To:        to,
		Subject:   subject,
		Text: fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s\n", kind, copyOf, d.Agent.FullName(), d.Session.Code, d.Registration.State,
			d.Registration.Motif, d.Collectivity.Name, d.Registration.Reference()),
		HTML: "<p>" + subject + "</p>",
	}, nil
}

// staffCtx is a context whose changes are a staff account's.
func staffCtx() context.Context {
	return WithActor(context.Background(), domain.Actor{AccountID: 0, Name: "Camille Staff", Role: domain.RoleStaff})
}

// ctCtx is a context whose changes are the account acc's.
func ctCtx(acc domain.Account) context.Context {
	return WithActor(context.Background(), domain.AccountActor(acc, "192.0.2.1"))
}

// sessionAt is a valid session of type t starting days after the test
// clock's day (2025-03-10), for two days, its deadline three days before.
func sessionAt(code string, t domain.TrainingType, days, capacity int) domain.Session {
	start := day(2025, 3, 10).AddDate(0, 0, days)
	return domain.Session{Code: code, Title: "Accueil du public " + code, Type: t, StartsOn: start, EndsOn: start.AddDate(0, 0, 1),
		Hours: "9 h 00 – 17 h 00", Place: "CNFPT Angers, 2 rue de la Paix, 49000 Angers", Capacity: capacity,
		Deadline: start.AddDate(0, 0, -3), Audience: "Agents d'accueil"}
}

func mustCreateSession(t testing.TB, s *Store, sess domain.Session) domain.Session {
	t.Helper()
	sess, err := s.CreateSession(staffCtx(), sess)
	if err != nil {
		t.Fatalf("CreateSession(%s): %v", sess.Code, err)
	}
	return sess
}

func mustRegister(t testing.TB, s *Store, f fixture, sessionID int64, agents ...domain.Agent) []domain.Registration {
	t.Helper()
	var ids []int64
	for _, a := range agents {
		ids = append(ids, a.ID)
	}
	regs, err := s.Register(ctCtx(f.acc), f.ct.ID, sessionID, ids, testLetters{})
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	return regs
}

func regState(t testing.TB, s *Store, id int64) domain.RegistrationState {
	t.Helper()
	var st domain.RegistrationState
	if err := s.db.QueryRow(`SELECT state FROM registrations WHERE id = $1`, id).Scan(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// trainingOutbox is the queued training e-mails as "to|kind|copy|agent".
func trainingOutbox(t testing.TB, s *Store) []string {
	t.Helper()
	var out []string
	for _, r := range outboxRows(t, s) {
		parts := strings.Split(strings.TrimSpace(r.Text), "|")
		if len(parts) < 4 {
			continue
		}
		out = append(out, r.To+"|"+parts[0]+"|"+parts[1]+"|"+parts[2])
	}
	return out
}

func journalWhats(t testing.TB, s *Store, ctID int64, kind domain.JournalKind) []string {
	t.Helper()
	rows, err := s.db.Query(`SELECT what FROM journal WHERE COALESCE(collectivity_id, 0) = $1 AND kind = $2 ORDER BY id`, ctID, string(kind))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			t.Fatal(err)
		}
		out = append(out, w)
	}
	return out
}

func TestTrainingTypesAreData(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		got, err := s.ListTrainingTypes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []TrainingTypeRow{{Type: domain.Integration, Label: "Formation d'intégration"}, {Type: domain.Inter, Label: "Formation inter"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("types (-want +got):\n%s", diff)
		}
		if _, err := s.db.Exec(`INSERT INTO training_types (code, label, position) VALUES ('union', 'Formation union', 3)`); err != nil {
			t.Fatal(err)
		}
		sess := sessionAt("UNI-1", "union", 30, 5)
		if _, err := s.CreateSession(staffCtx(), sess); err != nil {
			t.Fatalf("a session of a third type, a row of training_types: %v", err)
		}
		_, err = s.CreateSession(staffCtx(), sessionAt("XXX-1", "nope", 30, 5))
		wantDomainError(t, err, domain.Invalid, "Ce type de formation n'existe pas.")
	})
}

func TestSessionCreateUpdate(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := staffCtx()
		sess := mustCreateSession(t, s, sessionAt("INT-1", domain.Integration, 30, 10))
		got, err := s.GetSession(ctx, sess.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sess, got); diff != "" {
			t.Fatalf("session read back (-created +read):\n%s", diff)
		}
		if got.PlacesLeft() != 10 || got.Days() != 2 {
			t.Errorf("PlacesLeft, Days = %d, %d; want 10, 2", got.PlacesLeft(), got.Days())
		}
		_, err = s.CreateSession(ctx, sessionAt("INT-1", domain.Inter, 40, 10))
		wantDomainError(t, err, domain.Conflict, "Une session porte déjà ce code.")
		bad := sessionAt("INT-2", domain.Inter, 40, 0)
		_, err = s.CreateSession(ctx, bad)
		wantDomainError(t, err, domain.Invalid, "La capacité doit être comprise entre 1")
		if _, err := s.CreateSession(context.Background(), sessionAt("INT-3", domain.Inter, 40, 3)); !errors.Is(err, ErrNoActor) {
			t.Fatalf("CreateSession without an actor = %v, want ErrNoActor", err)
		}

		sess.Title, sess.Capacity = "Accueil et orientation", 12
		up, err := s.UpdateSession(ctx, sess.ID, sess, testLetters{})
		if err != nil {
			t.Fatal(err)
		}
		if up.Title != "Accueil et orientation" || up.Capacity != 12 {
			t.Fatalf("updated = %+v", up)
		}
		if diff := cmp.Diff([]string{"a publié la session INT-1 – Accueil du public INT-1", "a modifié la session INT-1 – Accueil et orientation"},
			journalWhats(t, s, 0, domain.JournalSession)); diff != "" {
			t.Errorf("journal (-want +got):\n%s", diff)
		}
	})
}

// regCT is a CT whose manager is active, with agents.
type regCT struct {
	fixture
	agents []domain.Agent
}

func newRegCT(t testing.TB, s *Store, name string, n int) regCT {
	t.Helper()
	f := createCT(t, s, name, true)
	rc := regCT{fixture: f}
	for i := range n {
		a := agentNamed(fmt.Sprintf("Agent%02d", i), "Léa", day(1980, 1, 1+i))
		a.Email = fmt.Sprintf("agent%02d@%s", i, ctDomain(f.ct))
		a, err := s.CreateAgent(testCtx(), f.ct.ID, a)
		if err != nil {
			t.Fatal(err)
		}
		rc.agents = append(rc.agents, a)
	}
	return rc
}

func TestRegisterRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		rc := newRegCT(t, s, "Commune de Cholet", 4)
		other := newRegCT(t, s, "Commune de Saumur", 1)
		ctx := ctCtx(rc.acc)
		open := mustCreateSession(t, s, sessionAt("OPEN", domain.Inter, 30, 5))
		late := mustCreateSession(t, s, sessionAt("LATE", domain.Inter, 2, 5)) // its deadline was yesterday
		soon := sessionAt("PAST", domain.Inter, 5, 5)
		soon.StartsOn, soon.EndsOn, soon.Deadline = day(2025, 3, 1), day(2025, 3, 2), day(2025, 2, 20)
		past := mustCreateSession(t, s, soon)
		gone := mustCreateSession(t, s, sessionAt("GONE", domain.Inter, 30, 5))
		if err := s.CancelSession(staffCtx(), gone.ID, "Formateur indisponible", testLetters{}); err != nil {
			t.Fatal(err)
		}
		leftAgent := rc.agents[3]
		if _, err := s.SetAgentLeft(ctx, rc.ct.ID, leftAgent.ID, true); err != nil {
			t.Fatal(err)
		}
		mustRegister(t, s, rc.fixture, open.ID, rc.agents[0])
		before := len(trainingOutbox(t, s))

		tests := []struct {
			name    string
			session int64
			agents  []int64
			kind    domain.Kind
			words   string
		}{
			{"after the deadline", late.ID, []int64{rc.agents[1].ID}, domain.Conflict, "La date limite d'inscription à cette session est passée."},
			{"cancelled session", gone.ID, []int64{rc.agents[1].ID}, domain.Conflict, "Cette session a été annulée"},
			{"past session", past.ID, []int64{rc.agents[1].ID}, domain.Conflict, "Cette session a déjà commencé"},
			{"archived agent", open.ID, []int64{rc.agents[1].ID, leftAgent.ID}, domain.Conflict, "a quitté la collectivité"},
			{"agent of another CT", open.ID, []int64{rc.agents[1].ID, other.agents[0].ID}, domain.NotFound, "Cet agent n'existe pas dans votre collectivité."},
			{"already registered", open.ID, []int64{rc.agents[1].ID, rc.agents[0].ID}, domain.Conflict, "Agent00 est déjà inscrit à cette session."},
			{"no agent", open.ID, nil, domain.Invalid, "Choisissez au moins un agent"},
			{"no such session", open.ID + 1000, []int64{rc.agents[1].ID}, domain.NotFound, "Cette session n'existe pas."},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.Register(ctx, rc.ct.ID, tt.session, tt.agents, testLetters{})
				wantDomainError(t, err, tt.kind, tt.words)
			})
		}
		// All or nothing: agents[1], first of several refused lists, was never registered.
		if n := countWhere(t, s, `SELECT count(*) FROM registrations WHERE agent_id = $1`, rc.agents[1].ID); n != 0 {
			t.Errorf("%d registrations of an agent whose lists were refused, want 0", n)
		}
		if after := len(trainingOutbox(t, s)); after != before {
			t.Errorf("refused registrations queued %d e-mails", after-before)
		}
		// The unique index is the last guard of one live registration per agent and session.
		_, err := s.db.Exec(`INSERT INTO registrations (session_id, collectivity_id, agent_id, state, created_at, decided_at) VALUES ($1, $2, $3, 'waiting', 1, 1)`,
			open.ID, rc.ct.ID, rc.agents[0].ID)
		if !errors.Is(translate(err), ErrConflict) {
			t.Errorf("second live registration inserted directly: %v, want a conflict", err)
		}
		// A cancelled registration frees the agent to register again.
		regs, err := s.ListRegistrations(ctx, rc.ct.ID, RegistrationFilter{AgentID: rc.agents[0].ID})
		if err != nil || len(regs.Registrations) != 1 {
			t.Fatalf("ListRegistrations = %+v, %v", regs, err)
		}
		if _, err := s.CancelRegistration(ctx, rc.ct.ID, regs.Registrations[0].ID, testLetters{}); err != nil {
			t.Fatal(err)
		}
		mustRegister(t, s, rc.fixture, open.ID, rc.agents[0])
		// The deadline day itself still takes registrations.
		c.Add(time.Duration(30-3) * 24 * time.Hour)
		mustRegister(t, s, rc.fixture, open.ID, rc.agents[2])
		c.Add(24 * time.Hour)
		_, err = s.Register(ctx, rc.ct.ID, open.ID, []int64{rc.agents[1].ID}, testLetters{})
		wantDomainError(t, err, domain.Conflict, "La date limite")
	})
}

func TestRegistrationTransitions(t *testing.T) {
	type step func(s *Store, f fixture, id int64) error
	ct := func(s *Store, f fixture, id int64) error {
		_, err := s.CancelRegistration(ctCtx(f.acc), f.ct.ID, id, testLetters{})
		return err
	}
	accept := func(s *Store, _ fixture, id int64) error {
		_, err := s.AcceptRegistration(staffCtx(), id, testLetters{})
		return err
	}
	refuse := func(s *Store, _ fixture, id int64) error {
		_, err := s.RefuseRegistration(staffCtx(), id, "Public non prioritaire", testLetters{})
		return err
	}
	wait := func(s *Store, _ fixture, id int64) error {
		_, err := s.WaitlistRegistration(staffCtx(), id, testLetters{})
		return err
	}
	present := func(s *Store, _ fixture, id int64) error {
		_, err := s.MarkPresent(staffCtx(), id, testLetters{})
		return err
	}
	absent := func(s *Store, _ fixture, id int64) error { _, err := s.MarkAbsent(staffCtx(), id); return err }
	steps := map[domain.RegistrationState]step{
		domain.RegistrationAccepted: accept, domain.RegistrationRefused: refuse, domain.RegistrationWaiting: wait,
		domain.RegistrationCancelled: ct, domain.RegistrationPresent: present, domain.RegistrationAbsent: absent,
	}
	// paths reach each state from transmise.
	paths := map[domain.RegistrationState][]domain.RegistrationState{
		domain.RegistrationSent:      nil,
		domain.RegistrationAccepted:  {domain.RegistrationAccepted},
		domain.RegistrationRefused:   {domain.RegistrationRefused},
		domain.RegistrationWaiting:   {domain.RegistrationWaiting},
		domain.RegistrationCancelled: {domain.RegistrationCancelled},
		domain.RegistrationPresent:   {domain.RegistrationAccepted, domain.RegistrationPresent},
		domain.RegistrationAbsent:    {domain.RegistrationAccepted, domain.RegistrationAbsent},
	}
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		rc := newRegCT(t, s, "Commune de Cholet", 1)
		n := 0
		for _, from := range domain.RegistrationStates {
			for _, to := range domain.RegistrationStates {
				if to == domain.RegistrationSent {
					continue
				}
				t.Run(string(from)+"→"+string(to), func(t *testing.T) {
					n++
					// Each case on its own session, starting after the case's moves.
					sess := mustCreateSession(t, s, sessionAt(fmt.Sprintf("T%03d", n), domain.Inter, 10, 3))
					reg := mustRegister(t, s, rc.fixture, sess.ID, rc.agents[0])[0]
					started := false
					move := func(st domain.RegistrationState) error {
						if (st == domain.RegistrationPresent || st == domain.RegistrationAbsent) && !started {
							c.Add(10 * 24 * time.Hour)
							started = true
						}
						return steps[st](s, rc.fixture, reg.ID)
					}
					defer func() {
						if started {
							c.Add(-10 * 24 * time.Hour)
						}
					}()
					for _, st := range paths[from] {
						if err := move(st); err != nil {
							t.Fatalf("reaching %s: %s: %v", from, st, err)
						}
					}
					allowed := domain.CanMove(from, to, domain.MoverCT) || domain.CanMove(from, to, domain.MoverStaff)
					err := move(to)
					if allowed {
						if err != nil {
							t.Fatalf("%s → %s: %v", from, to, err)
						}
						if got := regState(t, s, reg.ID); got != to {
							t.Fatalf("state = %s, want %s", got, to)
						}
						return
					}
					var derr *domain.Error
					if !errors.As(err, &derr) || derr.Kind != domain.Conflict {
						t.Fatalf("%s → %s = %v, want a refusal", from, to, err)
					}
					if got := regState(t, s, reg.ID); got != from {
						t.Fatalf("state after a refused move = %s, want %s", got, from)
					}
				})
			}
		}
	})
}

func TestRegistrationTimeRules(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		rc := newRegCT(t, s, "Commune de Cholet", 3)
		sess := mustCreateSession(t, s, sessionAt("TIME", domain.Inter, 10, 3))
		regs := mustRegister(t, s, rc.fixture, sess.ID, rc.agents...)
		for _, r := range regs {
			if _, err := s.AcceptRegistration(staffCtx(), r.ID, testLetters{}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.MarkPresent(staffCtx(), regs[0].ID, testLetters{})
		wantDomainError(t, err, domain.Conflict, "à partir du premier jour")
		_, err = s.RefuseRegistration(staffCtx(), regs[0].ID, "  ", testLetters{})
		wantDomainError(t, err, domain.Invalid, "Saisissez le motif.")

		c.Add(10 * 24 * time.Hour) // the first day
		_, err = s.CancelRegistration(ctCtx(rc.acc), rc.ct.ID, regs[0].ID, testLetters{})
		wantDomainError(t, err, domain.Conflict, "l'inscription ne peut plus être annulée")
		before := len(trainingOutbox(t, s))
		if _, err := s.MarkPresent(staffCtx(), regs[0].ID, testLetters{}); err != nil {
			t.Fatal(err)
		}
		got := trainingOutbox(t, s)[before:]
		want := []string{"mairie@commune-de-cholet.fr|attendance|ct|Léa Agent00", "agent00@commune-de-cholet.fr|attendance|agent|Léa Agent00"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("attestation e-mails (-want +got):\n%s", diff)
		}
		if _, err := s.MarkAbsent(staffCtx(), regs[1].ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.MarkPresent(staffCtx(), regs[1].ID, testLetters{})
		wantDomainError(t, err, domain.Conflict, "« absent »")
		// Another CT reads nothing of these registrations.
		other := newRegCT(t, s, "Commune de Saumur", 0)
		if _, err := s.GetRegistration(context.Background(), other.ct.ID, regs[0].ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("GetRegistration of another CT = %v, want ErrNotFound", err)
		}
		_, err = s.CancelRegistration(ctCtx(other.acc), other.ct.ID, regs[2].ID, testLetters{})
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("CancelRegistration by another CT = %v, want ErrNotFound", err)
		}
		if _, err := s.GetRegistration(context.Background(), 0, regs[0].ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("GetRegistration of CT 0 = %v, want ErrNotFound", err)
		}
		if d, err := s.GetAnyRegistration(context.Background(), regs[0].ID); err != nil || d.Collectivity.ID != rc.ct.ID {
			t.Errorf("GetAnyRegistration = %+v, %v", d, err)
		}
		wantJournal := []string{
			"a inscrit Léa Agent00 à la session TIME – Accueil du public TIME",
			"a inscrit Léa Agent01 à la session TIME – Accueil du public TIME",
			"a inscrit Léa Agent02 à la session TIME – Accueil du public TIME",
			"a accepté l'inscription de Léa Agent00 à la session TIME – Accueil du public TIME",
			"a accepté l'inscription de Léa Agent01 à la session TIME – Accueil du public TIME",
			"a accepté l'inscription de Léa Agent02 à la session TIME – Accueil du public TIME",
			"a indiqué Léa Agent00 présente à la session TIME – Accueil du public TIME",
			"a indiqué Léa Agent01 absente à la session TIME – Accueil du public TIME",
		}
		if diff := cmp.Diff(wantJournal, journalWhats(t, s, rc.ct.ID, domain.JournalRegistration)); diff != "" {
			t.Errorf("journal of the CT (-want +got):\n%s", diff)
		}
		d, err := s.GetRegistration(context.Background(), rc.ct.ID, regs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Registration.State != domain.RegistrationPresent || d.Agent.FullName() != "Léa Agent00" || d.Session.Code != "TIME" ||
			d.Collectivity.Name != "Commune de Cholet" || d.Registration.Reference() != fmt.Sprintf("INS-%06d", regs[0].ID) {
			t.Errorf("GetRegistration = %+v", d)
		}
	})
}

func TestSessionCapacityAndWaitingList(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		rc := newRegCT(t, s, "Commune de Cholet", 4)
		sess := mustCreateSession(t, s, sessionAt("CAP", domain.Inter, 20, 2))
		regs := mustRegister(t, s, rc.fixture, sess.ID, rc.agents...)
		for _, r := range regs[:2] {
			if _, err := s.AcceptRegistration(staffCtx(), r.ID, testLetters{}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.AcceptRegistration(staffCtx(), regs[2].ID, testLetters{})
		wantDomainError(t, err, domain.Conflict, "La session est complète")
		for _, r := range regs[2:] {
			if _, err := s.WaitlistRegistration(staffCtx(), r.ID, testLetters{}); err != nil {
				t.Fatal(err)
			}
		}
		sess.Capacity = 1
		_, err = s.UpdateSession(staffCtx(), sess.ID, sess, testLetters{})
		wantDomainError(t, err, domain.Invalid, "La capacité ne peut pas être inférieure")
		// A rise of the capacity promotes the first of the waiting list.
		sess.Capacity = 3
		before := len(trainingOutbox(t, s))
		up, err := s.UpdateSession(staffCtx(), sess.ID, sess, testLetters{})
		if err != nil {
			t.Fatal(err)
		}
		if up.Accepted != 3 || regState(t, s, regs[2].ID) != domain.RegistrationAccepted || regState(t, s, regs[3].ID) != domain.RegistrationWaiting {
			t.Fatalf("after the rise: accepted %d, states %s %s", up.Accepted, regState(t, s, regs[2].ID), regState(t, s, regs[3].ID))
		}
		want := []string{"mairie@commune-de-cholet.fr|promoted|ct|Léa Agent02", "agent02@commune-de-cholet.fr|promoted|agent|Léa Agent02"}
		if diff := cmp.Diff(want, trainingOutbox(t, s)[before:]); diff != "" {
			t.Errorf("promotion e-mails (-want +got):\n%s", diff)
		}
		// A cancellation by the CT frees a place: the next waiting is promoted.
		before = len(trainingOutbox(t, s))
		if _, err := s.CancelRegistration(ctCtx(rc.acc), rc.ct.ID, regs[0].ID, testLetters{}); err != nil {
			t.Fatal(err)
		}
		want = []string{"mairie@commune-de-cholet.fr|cancelled|ct|Léa Agent00", "mairie@commune-de-cholet.fr|promoted|ct|Léa Agent03",
			"agent03@commune-de-cholet.fr|promoted|agent|Léa Agent03"}
		if diff := cmp.Diff(want, trainingOutbox(t, s)[before:]); diff != "" {
			t.Errorf("cancellation e-mails (-want +got):\n%s", diff)
		}
		// Cancelling the session cancels its live registrations, one e-mail each.
		before = len(trainingOutbox(t, s))
		err = s.CancelSession(staffCtx(), sess.ID, "", testLetters{})
		wantDomainError(t, err, domain.Invalid, "Saisissez le motif.")
		if err := s.CancelSession(staffCtx(), sess.ID, "Formateur indisponible", testLetters{}); err != nil {
			t.Fatal(err)
		}
		if n := len(trainingOutbox(t, s)[before:]); n != 3 {
			t.Errorf("%d e-mails for the session's cancellation, want 3 (one per live registration)", n)
		}
		for _, r := range regs {
			if st := regState(t, s, r.ID); st != domain.RegistrationCancelled {
				t.Errorf("registration %d = %s after the session's cancellation", r.ID, st)
			}
		}
		if got, _ := s.GetSession(context.Background(), sess.ID); got.Accepted != 0 || !got.IsCancelled() || got.Motif != "Formateur indisponible" {
			t.Errorf("cancelled session = %+v", got)
		}
		err = s.CancelSession(staffCtx(), sess.ID, "Encore", testLetters{})
		wantDomainError(t, err, domain.Conflict, "déjà annulée")

		// A session whose last day is past cannot be cancelled; on its last
		// day it still can.
		done := mustCreateSession(t, s, sessionAt("DONE", domain.Inter, 2, 5)) // two days, from the day after tomorrow
		c.Add(4 * 24 * time.Hour)
		err = s.CancelSession(staffCtx(), done.ID, "Trop tard", testLetters{})
		wantDomainError(t, err, domain.Conflict, "Cette session est terminée : elle ne peut plus être annulée.")
		c.Add(-24 * time.Hour)
		if err := s.CancelSession(staffCtx(), done.ID, "Formateur malade le second jour", testLetters{}); err != nil {
			t.Errorf("cancel on the session's last day: %v", err)
		}
		c.Add(-3 * 24 * time.Hour)
		whats := journalWhats(t, s, rc.ct.ID, domain.JournalRegistration)
		if last := whats[len(whats)-1]; !strings.Contains(last, "a annulé la session CAP") || !strings.Contains(last, "Léa Agent01, Léa Agent02, Léa Agent03") {
			t.Errorf("journal of the CT ends with %q", last)
		}
	})
}

func TestSessionCapacityConcurrent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		rc := newRegCT(t, s, "Commune de Cholet", 20)
		sess := mustCreateSession(t, s, sessionAt("RACE", domain.Inter, 20, 5))
		var regs []domain.Registration
		for _, a := range rc.agents { // one by one: distinct creation times order the waiting list
			regs = append(regs, mustRegister(t, s, rc.fixture, sess.ID, a)...)
			c.Add(time.Second)
		}
		var wg sync.WaitGroup
		errs := make([]error, len(regs))
		for i, r := range regs {
			wg.Go(func() { _, errs[i] = s.AcceptRegistration(staffCtx(), r.ID, testLetters{}) })
		}
		wg.Wait()
		var accepted []int
		for i, err := range errs {
			var derr *domain.Error
			switch {
			case err == nil:
				accepted = append(accepted, i)
			case errors.As(err, &derr) && derr == domain.ErrSessionFull:
			default:
				t.Fatalf("accept %d: %v", i, err)
			}
		}
		got, _ := s.GetSession(context.Background(), sess.ID)
		if len(accepted) != 5 || got.Accepted != 5 {
			t.Fatalf("%d accepted (%d taken) into a capacity of 5", len(accepted), got.Accepted)
		}
		if n := countWhere(t, s, `SELECT count(*) FROM registrations WHERE session_id = $1 AND state = 'accepted'`, sess.ID); n != 5 {
			t.Fatalf("%d accepted rows", n)
		}
		// The others on the waiting list, in the order they were sent.
		var waiting []int64
		for i, r := range regs {
			if !slices.Contains(accepted, i) {
				if _, err := s.WaitlistRegistration(staffCtx(), r.ID, testLetters{}); err != nil {
					t.Fatal(err)
				}
				waiting = append(waiting, r.ID)
			}
		}
		// Three cancellations at once promote the first three waiting.
		for _, i := range accepted[:3] {
			wg.Go(func() {
				if _, err := s.CancelRegistration(ctCtx(rc.acc), rc.ct.ID, regs[i].ID, testLetters{}); err != nil {
					t.Errorf("cancel: %v", err)
				}
			})
		}
		wg.Wait()
		var promoted []int64
		for _, id := range waiting {
			if regState(t, s, id) == domain.RegistrationAccepted {
				promoted = append(promoted, id)
			}
		}
		if diff := cmp.Diff(waiting[:3], promoted); diff != "" {
			t.Fatalf("promoted (-first three waiting +promoted):\n%s", diff)
		}
		got, _ = s.GetSession(context.Background(), sess.ID)
		if got.Accepted != 5 {
			t.Fatalf("taken = %d after the promotions, want 5", got.Accepted)
		}
	})
}

// TestTrainingMailRouting takes a CT with accounts in every combination
// of preferences, and checks that each kind of e-mail reaches exactly the
// expected addresses.
func TestTrainingMailRouting(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		pc := setupPrincipal(t, s, "Commune de Cholet") // principal Oui/Oui; the manager closed
		both := addActiveOperator(t, s, pc, "Bea", "Both", domain.MailPrefs{domain.Integration: true, domain.Inter: true})
		integ := addActiveOperator(t, s, pc, "Ines", "Integ", domain.MailPrefs{domain.Integration: true})
		inter := addActiveOperator(t, s, pc, "Ivan", "Inter", domain.MailPrefs{domain.Inter: true})
		none := addActiveOperator(t, s, pc, "Noe", "None", domain.MailPrefs{})
		pending, _ := createOperator(t, s, pc, "Paul", "Pending", ouiOui, s.Now().Add(linkTTL)) // inactive: nothing
		_ = none
		_ = pending
		a := agentNamed("Martin", "Léa", day(1990, 1, 1))
		a.Email = "lea.martin@cholet.fr"
		a = mustCreateAgent(t, s, pc.ct.ID, a)
		b := mustCreateAgent(t, s, pc.ct.ID, agentNamed("Petit", "Jean", day(1991, 1, 1))) // no address
		f := pc.fixture
		f.acc = pc.principal

		for _, typ := range domain.TrainingTypes {
			t.Run(string(typ), func(t *testing.T) {
				ct := []string{pc.principal.Email, both.Email}
				if typ == domain.Integration {
					ct = append(ct, integ.Email)
				} else {
					ct = append(ct, inter.Email)
				}
				sort.Strings(ct)
				sess := mustCreateSession(t, s, sessionAt("R-"+string(typ), typ, 20, 1))
				got := func(do func()) map[string][]string {
					t.Helper()
					before := len(trainingOutbox(t, s))
					do()
					out := map[string][]string{}
					for _, line := range trainingOutbox(t, s)[before:] {
						p := strings.Split(line, "|")
						out[p[1]+"/"+p[2]] = append(out[p[1]+"/"+p[2]], p[0])
					}
					for k := range out {
						sort.Strings(out[k])
					}
					return out
				}
				check := func(name string, gotMap map[string][]string, want map[string][]string) {
					t.Helper()
					if diff := cmp.Diff(want, gotMap); diff != "" {
						t.Errorf("%s: recipients (-want +got):\n%s", name, diff)
					}
				}
				var regs []domain.Registration
				twice := append(slices.Clone(ct), ct...)
				slices.Sort(twice)
				check("received", got(func() { regs = mustRegister(t, s, f, sess.ID, a, b) }),
					map[string][]string{"received/ct": twice})
				check("accepted", got(func() { ok(t)(s.AcceptRegistration(staffCtx(), regs[0].ID, testLetters{})) }),
					map[string][]string{"accepted/ct": ct, "accepted/agent": {a.Email}})
				check("waiting", got(func() { ok(t)(s.WaitlistRegistration(staffCtx(), regs[1].ID, testLetters{})) }),
					map[string][]string{"waiting/ct": ct})
				check("cancelled and promoted", got(func() { ok(t)(s.CancelRegistration(ctCtx(f.acc), f.ct.ID, regs[0].ID, testLetters{})) }),
					map[string][]string{"cancelled/ct": ct, "promoted/ct": ct}) // Jean Petit has no address
				c2 := mustRegister(t, s, f, sess.ID, a)[0]
				check("refused", got(func() { ok(t)(s.RefuseRegistration(staffCtx(), c2.ID, "Complet", testLetters{})) }),
					map[string][]string{"refused/ct": ct})
				check("session cancelled", got(func() { mustDoErr(t, s.CancelSession(staffCtx(), sess.ID, "Formateur absent", testLetters{})) }),
					map[string][]string{"session_cancelled/ct": ct})
			})
		}
	})
}

// ok fails the test on the error of a registration's move.
func ok(t testing.TB) func(domain.Registration, error) {
	return func(_ domain.Registration, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func mustDoErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestCatalogueAndLists(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		var all []domain.Session
		for i := range 60 {
			typ := domain.Inter
			if i%3 == 0 {
				typ = domain.Integration
			}
			sess := sessionAt(fmt.Sprintf("C%02d", i), typ, 5+i/2, 10)
			if i == 7 {
				sess.Title, sess.Place = "Prévention des risques psychosociaux", "Mairie d'Angers, Hôtel de ville"
			}
			all = append(all, mustCreateSession(t, s, sess))
		}
		if err := s.CancelSession(staffCtx(), all[1].ID, "Annulée", testLetters{}); err != nil {
			t.Fatal(err)
		}
		// Paging: 50, then the rest, no session twice, the cancelled one absent.
		p1, err := s.SearchCatalogue(ctx, SessionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p1.Sessions) != 50 || p1.Next == nil {
			t.Fatalf("first page: %d sessions, next %v", len(p1.Sessions), p1.Next)
		}
		cur, err := ParseSessionCursor(p1.Next.String())
		if err != nil {
			t.Fatal(err)
		}
		p2, err := s.SearchCatalogue(ctx, SessionFilter{After: cur})
		if err != nil {
			t.Fatal(err)
		}
		if len(p2.Sessions) != 9 || p2.Next != nil {
			t.Fatalf("second page: %d sessions, next %v", len(p2.Sessions), p2.Next)
		}
		seen := map[int64]bool{}
		for _, x := range append(p1.Sessions, p2.Sessions...) {
			if seen[x.ID] || x.ID == all[1].ID {
				t.Fatalf("session %s twice or cancelled", x.Code)
			}
			seen[x.ID] = true
		}
		words, err := s.SearchCatalogue(ctx, SessionFilter{Words: "prevention PSYCHO", Place: "hotel"})
		if err != nil || len(words.Sessions) != 1 || words.Sessions[0].Code != "C07" {
			t.Fatalf("search by words and place = %+v, %v", words.Sessions, err)
		}
		typed, err := s.SearchCatalogue(ctx, SessionFilter{Type: domain.Integration, From: day(2025, 3, 20), To: day(2025, 3, 25), Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range typed.Sessions {
			if x.Type != domain.Integration || x.StartsOn.Before(day(2025, 3, 20)) || x.StartsOn.After(day(2025, 3, 25)) {
				t.Errorf("filtered catalogue holds %s (%s, %s)", x.Code, x.Type, x.StartsOn)
			}
		}
		if len(typed.Sessions) == 0 {
			t.Error("filtered catalogue empty")
		}
		// Staff's list holds the cancelled session, with counts to decide.
		rc := newRegCT(t, s, "Commune de Cholet", 2)
		regs := mustRegister(t, s, rc.fixture, all[10].ID, rc.agents...)
		ok(t)(s.WaitlistRegistration(staffCtx(), regs[1].ID, testLetters{}))
		staff, err := s.ListSessions(ctx, SessionFilter{Limit: 100})
		if err != nil || len(staff.Sessions) != 60 {
			t.Fatalf("ListSessions: %d, %v", len(staff.Sessions), err)
		}
		for _, x := range staff.Sessions {
			if x.ID == all[10].ID && (x.ToDecide != 1 || x.Waiting != 1) {
				t.Errorf("session C10: to decide %d, waiting %d; want 1, 1", x.ToDecide, x.Waiting)
			}
		}
		home, err := s.SessionsToDecide(ctx)
		if err != nil || len(home) != 1 || home[0].ID != all[10].ID {
			t.Errorf("SessionsToDecide = %+v, %v", home, err)
		}
		toDecide, err := s.RegistrationsToDecide(ctx, rc.ct.ID)
		if err != nil || len(toDecide) != 2 {
			t.Errorf("RegistrationsToDecide = %d, %v", len(toDecide), err)
		}
		ok(t)(s.AcceptRegistration(staffCtx(), regs[0].ID, testLetters{}))
		next, err := s.NextSessions(ctx, rc.ct.ID)
		if err != nil || len(next) != 1 || next[0].Agent.FullName() != "Léa Agent00" {
			t.Errorf("NextSessions = %+v, %v", next, err)
		}
		// ListRegistrations: filters, keyset, every row for the export.
		mustRegister(t, s, rc.fixture, all[0].ID, rc.agents[0]) // integration
		for _, tt := range []struct {
			name string
			f    RegistrationFilter
			want int
		}{
			{"all", RegistrationFilter{Limit: -1}, 3},
			{"agent", RegistrationFilter{AgentID: rc.agents[0].ID}, 2},
			{"state", RegistrationFilter{State: domain.RegistrationWaiting}, 1},
			{"type", RegistrationFilter{Type: domain.Integration}, 1},
			{"period", RegistrationFilter{From: all[10].StartsOn, To: all[10].StartsOn}, 2},
		} {
			p, err := s.ListRegistrations(ctx, rc.ct.ID, tt.f)
			if err != nil || len(p.Registrations) != tt.want {
				t.Errorf("%s: %d registrations, %v; want %d", tt.name, len(p.Registrations), err, tt.want)
			}
		}
		p, err := s.ListRegistrations(ctx, rc.ct.ID, RegistrationFilter{Limit: 2})
		if err != nil || len(p.Registrations) != 2 || p.Next == nil {
			t.Fatalf("page of 2: %+v, %v", p, err)
		}
		rest, err := s.ListRegistrations(ctx, rc.ct.ID, RegistrationFilter{Limit: 2, After: p.Next})
		if err != nil || len(rest.Registrations) != 1 || rest.Next != nil {
			t.Fatalf("second page: %+v, %v", rest, err)
		}
		other := newRegCT(t, s, "Commune de Saumur", 0)
		if p, _ := s.ListRegistrations(ctx, other.ct.ID, RegistrationFilter{Limit: -1}); len(p.Registrations) != 0 {
			t.Errorf("another CT lists %d registrations", len(p.Registrations))
		}
		byStaff, err := s.ListSessionRegistrations(ctx, all[10].ID)
		if err != nil || len(byStaff) != 2 || byStaff[0].CollectivityName != "Commune de Cholet" {
			t.Errorf("ListSessionRegistrations = %+v, %v", byStaff, err)
		}
	})
}

func TestNeedingConfirmation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		f := createCT(t, s, "Commune de Cholet", true)
		young := agentNamed("Neuf", "Léa", day(2000, 1, 1))
		young.Status, young.AppointedOn = domain.Stagiaire, day(2024, 11, 1)
		young = mustCreateAgent(t, s, f.ct.ID, young)
		old := agentNamed("Ancien", "Paul", day(1970, 1, 1)) // titulaire appointed in 1995
		old = mustCreateAgent(t, s, f.ct.ID, old)
		integ := mustCreateSession(t, s, sessionAt("INTEG", domain.Integration, 20, 5))
		inter := mustCreateSession(t, s, sessionAt("INTER", domain.Inter, 20, 5))
		got, err := s.NeedingConfirmation(ctx, f.ct.ID, integ.ID, []int64{young.ID, old.ID, 99999})
		if err != nil || len(got) != 1 || got[0].ID != old.ID {
			t.Errorf("NeedingConfirmation(integration) = %+v, %v; want Paul Ancien", got, err)
		}
		if got, err := s.NeedingConfirmation(ctx, f.ct.ID, inter.ID, []int64{young.ID, old.ID}); err != nil || len(got) != 0 {
			t.Errorf("NeedingConfirmation(inter) = %+v, %v; want none", got, err)
		}
	})
}

// An agent once registered, even if the registration was cancelled, is
// never deleted: it can only leave the CT, and the list says it was
// registered.
func TestRegisteredAgentIsKept(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		rc := newRegCT(t, s, "Commune de Cholet", 2)
		ctx := ctCtx(rc.acc)
		sess := mustCreateSession(t, s, sessionAt("KEEP", domain.Inter, 30, 5))
		regs := mustRegister(t, s, rc.fixture, sess.ID, rc.agents[0])
		if _, err := s.CancelRegistration(ctx, rc.ct.ID, regs[0].ID, testLetters{}); err != nil {
			t.Fatal(err)
		}
		got, err := s.GetAgent(ctx, rc.ct.ID, rc.agents[0].ID)
		if err != nil || !got.Registered {
			t.Fatalf("GetAgent = %+v, %v; want Registered", got, err)
		}
		if err := s.DeleteAgent(ctx, rc.ct.ID, rc.agents[0].ID); !errors.Is(err, domain.ErrAgentRegistered) {
			t.Errorf("DeleteAgent(registered) = %v, want ErrAgentRegistered", err)
		}
		if err := s.DeleteAgent(ctx, rc.ct.ID, rc.agents[1].ID); err != nil {
			t.Errorf("DeleteAgent(never registered) = %v", err)
		}
	})
}

// A change of preferences applies to the next e-mail: the recipients are
// read by each change, in its transaction.
func TestTrainingMailPrefsApplyToTheNextMail(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op := addActiveOperator(t, s, pc, "Ivan", "Later", domain.MailPrefs{domain.Integration: true})
		a := mustCreateAgent(t, s, pc.ct.ID, agentNamed("Martin", "Léa", day(1990, 1, 1)))
		f := pc.fixture
		f.acc = pc.principal
		sess := mustCreateSession(t, s, sessionAt("PREFS", domain.Inter, 20, 5))
		reached := func(do func()) bool {
			t.Helper()
			before := len(trainingOutbox(t, s))
			do()
			for _, line := range trainingOutbox(t, s)[before:] {
				if strings.HasPrefix(line, op.Email+"|") {
					return true
				}
			}
			return false
		}
		var regs []domain.Registration
		if reached(func() { regs = mustRegister(t, s, f, sess.ID, a) }) {
			t.Fatal("an operator with Non for inter received the accusé de réception")
		}
		if err := s.UpdateOperator(ctCtx(pc.principal), pc.ct.ID, pc.principal.ID, op.ID,
			OperatorChange{Fiche: op.Fiche, Prefs: domain.MailPrefs{domain.Integration: true, domain.Inter: true}}); err != nil {
			t.Fatal(err)
		}
		if !reached(func() { ok(t)(s.AcceptRegistration(staffCtx(), regs[0].ID, testLetters{})) }) {
			t.Error("the operator who now says Oui for inter did not receive the convocation")
		}
	})
}
