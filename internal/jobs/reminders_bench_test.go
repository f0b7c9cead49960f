package jobs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"iel/internal/domain"
	"iel/internal/jobs"
	"iel/internal/mail"
	"iel/internal/store"
)

// BenchmarkRemindersPass measures one pass of the reminders over 1,000
// due reminders (10 sessions starting in 7 days, 100 accepted agents
// each), on SQLite: per reminder, the claim, the real "rappel" with its
// .ics to the CT's recipients and the agent, and the journal. Each
// iteration seeds a fresh database through the store, the timer stopped.
// The figure per reminder is ns/reminder; docs/performance.md has them.
func BenchmarkRemindersPass(b *testing.B) {
	letters, err := mail.NewLetters("http://portal.test")
	if err != nil {
		b.Fatal(err)
	}
	const sessions, agents = 10, 100
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c := &clock{t: time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)}
		s := openBench(b, c)
		seedDue(b, s, sessions, agents, letters)
		r := &jobs.Reminders{Store: s, Letters: letters, Holder: "portail-a", Interval: time.Hour}
		c.Add(14 * 24 * time.Hour) // sessions start on day 20: 6 days ahead
		b.StartTimer()
		if _, sent, err := r.Pass(cli); err != nil || sent != sessions*agents {
			b.Fatalf("pass: %d sent, %v; want %d", sent, err, sessions*agents)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*sessions*agents), "ns/reminder")
}

func openBench(b *testing.B, c *clock) *store.Store {
	b.Helper()
	s, err := store.Open(context.Background(), b.TempDir()+"/iel.db")
	if err != nil {
		b.Fatalf("store.Open: %v", err)
	}
	b.Cleanup(func() { s.Close() })
	s.Now = c.Now
	return s
}

// seedDue creates a CT of agents, sessions starting 20 days after the
// clock, and accepts every agent to each.
func seedDue(b *testing.B, s *store.Store, sessions, agents int, letters store.TrainingLetters) {
	b.Helper()
	ct, acc, err := s.CreateCollectivity(cli, store.NewCollectivity{Name: "Commune de Cholet", Email: "mairie@cholet.example.fr",
		ManagerActive: true, PasswordHash: "hash", ManagerFiche: domain.Fiche{Civility: domain.Madame, LastName: "Durand", FirstName: "Claire",
			Function: "Responsable formation", Email: "rh@cholet.example.fr", Phone: "0241000000"}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, agents)
	for i := range agents {
		birth := time.Date(1980, 1, 1+i, 0, 0, 0, 0, time.UTC)
		a, err := s.CreateAgent(cli, ct.ID, domain.Agent{Civility: domain.Madame, LastName: fmt.Sprintf("Agent%03d", i), FirstName: "Léa",
			BirthDate: birth, Email: fmt.Sprintf("agent%03d@cholet.example.fr", i), Category: domain.CategoryC, Status: domain.Titulaire,
			Grade: "Adjoint administratif", AppointedOn: birth.AddDate(25, 0, 0)})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = a.ID
	}
	ctx := store.WithActor(context.Background(), domain.AccountActor(acc, "192.0.2.1"))
	start := time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC)
	for i := range sessions {
		sess, err := s.CreateSession(staff, domain.Session{Code: fmt.Sprintf("R%02d", i), Title: "Accueil du public", Type: domain.Inter,
			StartsOn: start, EndsOn: start.AddDate(0, 0, 1), Hours: "9 h 00 – 17 h 00", Place: "CNFPT Angers, 2 rue de la Paix, 49000 Angers",
			Capacity: agents, Deadline: start.AddDate(0, 0, -3), Audience: "Agents d'accueil"})
		if err != nil {
			b.Fatal(err)
		}
		regs, err := s.Register(ctx, ct.ID, sess.ID, ids, letters)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range regs {
			if _, err := s.AcceptRegistration(staff, r.ID, letters); err != nil {
				b.Fatal(err)
			}
		}
	}
}
