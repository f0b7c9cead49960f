package jobs_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
	"iel/internal/jobs"
	"iel/internal/mail"
	"iel/internal/store"
)

// The reminders run on SQLite always, and on PostgreSQL when
// IEL_TEST_POSTGRES holds a DSN, each test in a schema of its own. Two
// workers are two portals: two stores opened on one database, sharing a
// clock the test moves.

func sqliteDSN(t *testing.T) string { return t.TempDir() + "/iel.db" }

func postgresDSN(t *testing.T) string {
	base := os.Getenv("IEL_TEST_POSTGRES")
	if base == "" {
		t.Skip("IEL_TEST_POSTGRES not set: PostgreSQL tests skipped")
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func forEachEngine(t *testing.T, fn func(t *testing.T, dsn string)) {
	for _, e := range []struct {
		name string
		dsn  func(*testing.T) string
	}{{"sqlite", sqliteDSN}, {"postgres", postgresDSN}} {
		t.Run(e.name, func(t *testing.T) { fn(t, e.dsn(t)) })
	}
}

// clock is the stores' and the workers' clock, moved by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func open(t *testing.T, dsn string, c *clock) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = c.Now
	return s
}

var (
	cli   = store.WithActor(context.Background(), domain.CommandLine)
	staff = store.WithActor(context.Background(), domain.Actor{Name: "Camille Staff", Role: domain.RoleStaff})
)

// world is a CT with agents, and sessions starting 9, 12 and 14 days after
// the clock's first day (Monday 10 March 2025).
type world struct {
	ct       domain.Collectivity
	agents   []domain.Agent
	sessions []domain.Session
}

func seed(t *testing.T, s *store.Store, letters store.TrainingLetters) world {
	t.Helper()
	first := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	ct, acc, err := s.CreateCollectivity(cli, store.NewCollectivity{Name: "Commune de Cholet", Email: "mairie@cholet.example.fr",
		ManagerActive: true, PasswordHash: "hash", ManagerFiche: domain.Fiche{Civility: domain.Madame, LastName: "Durand", FirstName: "Claire",
			Function: "Responsable formation", Email: "rh@cholet.example.fr", Phone: "0241000000"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w := world{ct: ct}
	for i := range 4 {
		birth := time.Date(1980, 1, 1+i, 0, 0, 0, 0, time.UTC)
		a, err := s.CreateAgent(cli, ct.ID, domain.Agent{Civility: domain.Madame, LastName: fmt.Sprintf("Agent%02d", i), FirstName: "Léa",
			BirthDate: birth, Email: fmt.Sprintf("agent%02d@cholet.example.fr", i), Category: domain.CategoryC, Status: domain.Titulaire,
			Grade: "Adjoint administratif", AppointedOn: birth.AddDate(25, 0, 0)})
		if err != nil {
			t.Fatal(err)
		}
		w.agents = append(w.agents, a)
	}
	ctx := store.WithActor(context.Background(), domain.AccountActor(acc, "192.0.2.1"))
	for i, days := range []int{9, 12, 14} {
		start := first.AddDate(0, 0, days)
		sess, err := s.CreateSession(staff, domain.Session{Code: fmt.Sprintf("S%d", i), Title: "Accueil du public", Type: domain.Inter,
			StartsOn: start, EndsOn: start.AddDate(0, 0, 1), Hours: "9 h 00 – 17 h 00", Place: "CNFPT Angers, 2 rue de la Paix, 49000 Angers",
			Capacity: 10, Deadline: start.AddDate(0, 0, -3), Audience: "Agents d'accueil"})
		if err != nil {
			t.Fatal(err)
		}
		w.sessions = append(w.sessions, sess)
	}
	accept := func(sess int, agents ...domain.Agent) {
		t.Helper()
		var ids []int64
		for _, a := range agents {
			ids = append(ids, a.ID)
		}
		regs, err := s.Register(ctx, ct.ID, w.sessions[sess].ID, ids, letters)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range regs {
			if _, err := s.AcceptRegistration(staff, r.ID, letters); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Session 0: three accepted, one left transmise (no reminder).
	accept(0, w.agents[:3]...)
	if _, err := s.Register(ctx, ct.ID, w.sessions[0].ID, []int64{w.agents[3].ID}, letters); err != nil {
		t.Fatal(err)
	}
	accept(1, w.agents[3])
	accept(2, w.agents[0])
	return w
}

// reminders counts the queued rappels per address.
func reminders(t *testing.T, s *store.Store) map[string]int {
	t.Helper()
	mails, err := s.ListOutbox(cli, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, m := range mails {
		if strings.HasPrefix(m.Subject, "inscription en ligne : rappel") {
			out[m.To]++
		}
	}
	return out
}

func TestRemindersTwoWorkers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, dsn string) {
		c := &clock{t: time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)}
		letters, err := mail.NewLetters("http://portal.test")
		if err != nil {
			t.Fatal(err)
		}
		s1, s2 := open(t, dsn, c), open(t, dsn, c)
		w := seed(t, s1, letters)
		a := &jobs.Reminders{Store: s1, Letters: letters, Holder: "portail-a", Interval: time.Minute}
		b := &jobs.Reminders{Store: s2, Letters: letters, Holder: "portail-b", Interval: time.Minute}
		if _, sent, err := a.Pass(cli); err != nil || sent != 0 {
			t.Fatalf("pass nine days before = %d, %v", sent, err)
		}
		if got := reminders(t, s1); len(got) != 0 {
			t.Fatalf("reminders nine days before: %v", got)
		}

		// Seven days before session 0: both portals pass at once, three times.
		c.Add(2 * 24 * time.Hour)
		var wg sync.WaitGroup
		var mu sync.Mutex
		held := map[string]int{}
		sent := 0
		for _, w := range []*jobs.Reminders{a, b} {
			wg.Go(func() {
				for range 3 {
					h, n, err := w.Pass(cli)
					if err != nil {
						t.Errorf("%s: %v", w.Holder, err)
					}
					mu.Lock()
					if h {
						held[w.Holder]++
					}
					sent += n
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(held) != 1 || sent != 3 {
			t.Fatalf("passes held %v, sent %d; want one holder, 3 reminders", held, sent)
		}
		want := map[string]int{"agent00@cholet.example.fr": 1, "agent01@cholet.example.fr": 1, "agent02@cholet.example.fr": 1, "mairie@cholet.example.fr": 3}
		if diff := cmp.Diff(want, reminders(t, s1)); diff != "" {
			t.Fatalf("rappels (-want +got):\n%s", diff)
		}
		// The journal says the portal sent them by itself, once each.
		page, err := s1.ListJournal(cli, w.ct.ID, store.JournalFilter{Kind: domain.JournalRegistration}, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		jobLines := 0
		for _, e := range page.Entries {
			if e.Actor.Job {
				jobLines++
				if got := e.Actor.Label(); got != "tâche planifiée (envoi automatique des rappels)" {
					t.Errorf("reminder's actor = %q", got)
				}
			}
		}
		if jobLines != 3 {
			t.Errorf("journal lines of the reminder job: %d, want 3", jobLines)
		}
		holder, other := a, b
		if held["portail-b"] > 0 {
			holder, other = b, a
		}

		// Three days later session 1 is due; the holder is gone: its
		// lease (three minutes) has expired, and the other takes over.
		c.Add(3 * 24 * time.Hour)
		if h, n, err := other.Pass(cli); err != nil || !h || n != 1 {
			t.Fatalf("the other portal's pass after the lease expired = %v, %d, %v; want held, 1", h, n, err)
		}
		if h, n, err := holder.Pass(cli); err != nil || h || n != 0 {
			t.Fatalf("the former holder's pass = %v, %d, %v; want not held", h, n, err)
		}
		want["agent03@cholet.example.fr"], want["mairie@cholet.example.fr"] = 1, 4
		if diff := cmp.Diff(want, reminders(t, s1)); diff != "" {
			t.Fatalf("rappels (-want +got):\n%s", diff)
		}

		// A restart (a new holder, the lease expired): nothing is sent twice.
		c.Add(time.Hour)
		again := &jobs.Reminders{Store: s1, Letters: letters, Holder: "portail-a-relance", Interval: time.Minute}
		if h, n, err := again.Pass(cli); err != nil || !h || n != 0 {
			t.Fatalf("pass after a restart = %v, %d, %v; want held, 0", h, n, err)
		}
		if diff := cmp.Diff(want, reminders(t, s1)); diff != "" {
			t.Fatalf("rappels after a restart (-want +got):\n%s", diff)
		}
	})
}

func TestRemindersRunStopsWithItsContext(t *testing.T) {
	forEachEngine(t, func(t *testing.T, dsn string) {
		c := &clock{t: time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)}
		letters, err := mail.NewLetters("http://portal.test")
		if err != nil {
			t.Fatal(err)
		}
		s1, s2 := open(t, dsn, c), open(t, dsn, c)
		seed(t, s1, letters)
		c.Add(7 * 24 * time.Hour) // seven days before session 2
		woken := make(chan struct{}, 10)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		run := &jobs.Reminders{Store: s1, Letters: letters, Holder: "portail-a", Interval: 10 * time.Millisecond, Lease: time.Hour,
			Wake: func() { woken <- struct{}{} }}
		done := make(chan error, 1)
		go func() { done <- run.Run(ctx) }()
		select {
		case <-woken:
		case <-time.After(10 * time.Second):
			t.Fatal("the running job sent no reminder")
		}
		// Session 0 (in two days), 1 (in five) and 2 (in seven) are due: five reminders.
		if got := reminders(t, s1); got["agent00@cholet.example.fr"] != 2 || got["mairie@cholet.example.fr"] != 5 {
			t.Errorf("rappels = %v", got)
		}
		other := &jobs.Reminders{Store: s2, Letters: letters, Holder: "portail-b", Interval: time.Minute}
		if h, _, err := other.Pass(cli); err != nil || h {
			t.Fatalf("another portal's pass while the job runs = %v, %v; want not held", h, err)
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run = %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not stop with its context")
		}
		// Stopped, it released its lease: the other portal takes over at
		// once, without waiting for the hour of the lease.
		if h, n, err := other.Pass(cli); err != nil || !h || n != 0 {
			t.Fatalf("the other portal's pass after the stop = %v, %d, %v; want held, 0", h, n, err)
		}
	})
}
