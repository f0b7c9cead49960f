package main

import (
	"bytes"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"iel/internal/auth"
	"iel/internal/docs"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// TestDemoTrainings: the demo publishes a catalogue of both types, past
// and to come, as the demo's agent of the CNFPT; Maine-et-Loire's agents
// hold registrations in every state, one session is full with its
// waiting list, and a past session gives an attestation de présence; the
// outbox holds the e-mails of each step with their documents; the
// store's clock is back to now; a rerun adds nothing.
func TestDemoTrainings(t *testing.T) {
	t.Parallel()
	st := openStore(t, filepath.Join(t.TempDir(), "iel.db"))
	letters, err := mail.NewLetters("http://127.0.0.1:8080")
	if err != nil {
		t.Fatal(err)
	}
	hasher := auth.NewHasher(auth.Params{Memory: 1024, Time: 1, Threads: 1}, 0)
	if err := seedDemo(t.Context(), st, hasher, letters, io.Discard); err != nil {
		t.Fatalf("seedDemo: %v", err)
	}
	if d := time.Since(st.Now()); d < -time.Minute || d > time.Minute {
		t.Errorf("the store's clock is %s off after the demo", d)
	}
	ctx := t.Context()
	today := domain.ParisDay(time.Now())

	// The catalogue.
	sessions, err := st.ListSessions(ctx, store.SessionFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(sessions.Sessions) != len(demoCatalogue) {
		t.Fatalf("%d sessions, want the %d of the catalogue", len(sessions.Sessions), len(demoCatalogue))
	}
	byType := map[domain.TrainingType]int{}
	past, coming := 0, 0
	var full *store.StaffSession
	for i, s := range sessions.Sessions {
		byType[s.Type]++
		if s.Started(today) {
			past++
		} else {
			coming++
		}
		if s.Waiting > 0 && s.PlacesLeft() == 0 {
			full = &sessions.Sessions[i]
		}
		if s.StartsOn.Weekday() == time.Saturday || s.StartsOn.Weekday() == time.Sunday {
			t.Errorf("session %s starts on a %s", s.Code, s.StartsOn.Weekday())
		}
	}
	if byType[domain.Integration] < 3 || byType[domain.Inter] < 3 || past < 2 || coming < 10 {
		t.Errorf("catalogue: %v by type, %d past, %d to come", byType, past, coming)
	}
	if full == nil || full.Code != demoFull {
		t.Errorf("no session full with a waiting list (want %s)", demoFull)
	}
	open, err := st.SearchCatalogue(ctx, store.SessionFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(open.Sessions) < 10 {
		t.Errorf("the CTs' catalogue shows %d sessions", len(open.Sessions))
	}

	// Maine-et-Loire's registrations, in every state.
	ct, err := st.GetCollectivityByName(ctx, demoMaine)
	if err != nil {
		t.Fatal(err)
	}
	regs, err := st.ListRegistrations(ctx, ct.ID, store.RegistrationFilter{Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	states := map[domain.RegistrationState]int{}
	var attended []store.RegistrationRow
	agents := map[int64]bool{}
	for _, r := range regs.Registrations {
		states[r.State]++
		agents[r.AgentID] = true
		if r.State == domain.RegistrationPresent {
			attended = append(attended, r)
		}
		if (r.Session.Type == domain.Integration) != (r.Agent.Status == domain.Stagiaire) {
			t.Errorf("%s (%s) registered to %s, a %s", r.Agent.FullName(), r.Agent.Status, r.Session.Code, r.Session.Type.Label())
		}
		if r.State == domain.RegistrationRefused && r.Motif == "" {
			t.Errorf("registration %s refused without a motif", r.Reference())
		}
	}
	for _, s := range domain.RegistrationStates {
		if states[s] == 0 {
			t.Errorf("no registration %s; the demo has %v", s.Label(), states)
		}
	}
	if len(agents) != len(regs.Registrations) {
		t.Errorf("%d registrations of %d agents: want each agent once", len(regs.Registrations), len(agents))
	}
	toDecide, err := st.RegistrationsToDecide(ctx, ct.ID)
	if err != nil || len(toDecide) == 0 {
		t.Errorf("registrations to decide on the CT's home: %d, %v", len(toDecide), err)
	}
	if next, err := st.NextSessions(ctx, ct.ID); err != nil || len(next) == 0 {
		t.Errorf("next sessions on the CT's home: %d, %v", len(next), err)
	}

	// An attestation to download, from the stored data.
	if len(attended) == 0 {
		t.Fatal("no registration présent")
	}
	r, err := st.GetRegistration(ctx, ct.ID, attended[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Session.Started(today) {
		t.Errorf("%s présent to a session not begun", r.Registration.Reference())
	}
	pdf, err := docs.Attestation(r.Collectivity, r.Session, r.Registration, r.Agent)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("attestation of %s: %v, %.8q", r.Registration.Reference(), err, pdf)
	}

	// The e-mails, with their documents.
	list, err := st.ListOutbox(ctx, 10000)
	if err != nil {
		t.Fatal(err)
	}
	subjects := map[string]int{}
	for _, m := range list {
		if !isTrainingMail(m.Subject) {
			continue
		}
		full, err := st.GetOutbox(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		subjects[m.Subject]++
		var files []string
		for _, a := range full.Attachments {
			files = append(files, a.ContentType)
		}
		got := strings.Join(files, " ")
		switch m.Subject {
		case "inscription en ligne : inscription acceptée – convocation":
			if !strings.Contains(got, docs.PDFType) || !strings.Contains(got, "text/calendar") {
				t.Errorf("convocation to %s carries %q, want the PDF and the .ics", m.To, got)
			}
		case "inscription en ligne : attestation de présence":
			if !strings.Contains(got, docs.PDFType) {
				t.Errorf("attestation to %s carries %q, want the PDF", m.To, got)
			}
		}
	}
	for _, s := range demoTrainingSubjects {
		if subjects[s] == 0 {
			t.Errorf("no e-mail %q; the outbox holds %v", s, subjects)
		}
	}

	// The journal tells who did what: the CNFPT's agent decides, the CT registers.
	j, err := st.ListJournal(ctx, ct.ID, store.JournalFilter{Kind: domain.JournalRegistration}, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	who := map[string]bool{}
	for _, e := range j.Entries {
		who[e.Actor.Label()+" "+strings.Fields(e.What)[1]] = true
	}
	for _, w := range []string{"Camille Leroux (agent du CNFPT) accepté", "Camille Leroux (agent du CNFPT) refusé",
		"Nathalie Moreau (gestionnaire principal CT) inscrit", "Sophie Énard (opérateur) inscrit", "Sophie Énard (opérateur) annulé"} {
		if !who[w] {
			t.Errorf("no journal entry %q in %v", w, who)
		}
	}

	// Run again: nothing more.
	if err := seedDemo(ctx, st, hasher, letters, io.Discard); err != nil {
		t.Fatal(err)
	}
	again, err := st.ListRegistrations(ctx, ct.ID, store.RegistrationFilter{Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	sessionsAgain, err := st.ListSessions(ctx, store.SessionFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	outboxAgain, err := st.ListOutbox(ctx, 10000)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Registrations) != len(regs.Registrations) || len(sessionsAgain.Sessions) != len(sessions.Sessions) || len(outboxAgain) != len(list) {
		t.Errorf("a rerun made %d registrations, %d sessions, %d e-mails; want %d, %d, %d", len(again.Registrations), len(sessionsAgain.Sessions),
			len(outboxAgain), len(regs.Registrations), len(sessions.Sessions), len(list))
	}
}

// demoTrainingSubjects are the subjects of the training e-mails the demo
// queues (PRODUCT.md): every one but the rappel and the annulation de la
// session, which the demo does not play.
var demoTrainingSubjects = []string{
	"inscription en ligne : accusé de réception de votre demande d'inscription",
	"inscription en ligne : inscription acceptée – convocation",
	"inscription en ligne : inscription refusée",
	"inscription en ligne : inscription en liste d'attente",
	"inscription en ligne : annulation d'inscription",
	"inscription en ligne : attestation de présence",
}

// isTrainingMail reports whether subject is one of a training e-mail.
func isTrainingMail(subject string) bool {
	return slices.Contains(demoTrainingSubjects, subject) || strings.HasPrefix(subject, "inscription en ligne : rappel – session du ") ||
		subject == "inscription en ligne : annulation de la session"
}

// TestDemoCatalogueAnyDay: whatever the day the demo runs, its sessions
// span no holiday nor weekend and pass the store's checks; the past ones
// are over a week ago, the others are to come.
func TestDemoCatalogueAnyDay(t *testing.T) {
	t.Parallel()
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for today := first; today.Before(first.AddDate(2, 0, 0)); today = today.AddDate(0, 0, 1) {
		for _, ds := range demoCatalogue {
			s := ds.sessionOf(today)
			if derr := domain.CheckSession(s); derr != nil {
				t.Fatalf("on %s, %s: %v", today.Format(time.DateOnly), s.Code, derr)
			}
			for d := s.StartsOn; !d.After(s.EndsOn); d = d.AddDate(0, 0, 1) {
				if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || spansHoliday(d, 1) {
					t.Fatalf("on %s, %s spans %s, a %s", today.Format(time.DateOnly), s.Code, d.Format(time.DateOnly), d.Weekday())
				}
			}
			if ds.start < 0 && !s.EndsOn.Before(today.AddDate(0, 0, -7)) || ds.start > 0 && !s.StartsOn.After(today) {
				t.Fatalf("on %s, %s runs %s – %s, deadline %s", today.Format(time.DateOnly), s.Code, s.StartsOn.Format(time.DateOnly),
					s.EndsOn.Format(time.DateOnly), s.Deadline.Format(time.DateOnly))
			}
		}
	}
	if !spansHoliday(time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), 1) || spansHoliday(time.Date(2026, 12, 21, 0, 0, 0, 0, time.UTC), 3) ||
		!spansHoliday(time.Date(2027, 7, 13, 0, 0, 0, 0, time.UTC), 2) {
		t.Error("spansHoliday misses Christmas or 14 July, or sees a holiday on 21–23 December")
	}
}

// TestDemoTrainingsOnDays: the demo's story plays on days around the
// holidays and the turn of the year, every registration in its state.
func TestDemoTrainingsOnDays(t *testing.T) {
	t.Parallel()
	for _, day := range []string{"2026-12-20", "2027-01-03", "2027-05-02", "2027-07-30"} {
		t.Run(day, func(t *testing.T) {
			t.Parallel()
			now, err := time.Parse(time.DateOnly, day)
			if err != nil {
				t.Fatal(err)
			}
			now = now.Add(7 * time.Hour)
			st := openStore(t, filepath.Join(t.TempDir(), "iel.db"))
			st.Now = func() time.Time { return now }
			letters, err := mail.NewLetters("http://127.0.0.1:8080")
			if err != nil {
				t.Fatal(err)
			}
			hasher := auth.NewHasher(auth.Params{Memory: 1024, Time: 1, Threads: 1}, 0)
			if err := seedDemo(t.Context(), st, hasher, letters, io.Discard); err != nil {
				t.Fatalf("seedDemo: %v", err)
			}
			if !st.Now().Equal(now) {
				t.Errorf("the store's clock is %s after the demo, want %s", st.Now(), now)
			}
			ct, err := st.GetCollectivityByName(t.Context(), demoMaine)
			if err != nil {
				t.Fatal(err)
			}
			regs, err := st.ListRegistrations(t.Context(), ct.ID, store.RegistrationFilter{Limit: -1})
			if err != nil {
				t.Fatal(err)
			}
			states := map[domain.RegistrationState]int{}
			for _, r := range regs.Registrations {
				states[r.State]++
			}
			for _, s := range domain.RegistrationStates {
				if states[s] == 0 {
					t.Errorf("no registration %s; the demo has %v", s.Label(), states)
				}
			}
		})
	}
}
