package store

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
	"iel/internal/sessioncsv"
)

func TestSessionImport(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := staffCtx()
		const staffID = 4242
		kept := mustCreateSession(t, s, sessionAt("KEEP", domain.Inter, 30, 10))
		full := mustCreateSession(t, s, sessionAt("FULL", domain.Inter, 30, 2))
		rc := newRegCT(t, s, "Commune de Cholet", 3)
		regs := mustRegister(t, s, rc.fixture, full.ID, rc.agents...)
		ok(t)(s.AcceptRegistration(ctx, regs[0].ID, testLetters{}))
		ok(t)(s.AcceptRegistration(ctx, regs[1].ID, testLetters{}))
		ok(t)(s.WaitlistRegistration(ctx, regs[2].ID, testLetters{}))

		file := func(lines ...string) []domain.Session {
			t.Helper()
			res := sessioncsv.Parse([]byte(sessioncsv.Columns.HeaderLine()+"\n"+strings.Join(lines, "\n")+"\n"), nil)
			if !res.OK() {
				t.Fatalf("file refused: %+v", res.Problems)
			}
			return res.Sessions
		}
		line := func(x domain.Session) string {
			return strings.Join([]string{x.Code, x.Title, string(x.Type), domain.FormatDay(x.StartsOn), domain.FormatDay(x.EndsOn), x.Hours,
				`"` + x.Place + `"`, strconv.Itoa(x.Capacity), domain.FormatDay(x.Deadline), x.Audience}, ";")
		}
		newOne := sessionAt("NEW", domain.Integration, 40, 8)
		raised := full
		raised.Capacity = 3
		id, err := s.CreateSessionImport(ctx, staffID, NewSessionImport{FileName: "sessions.csv", Encoding: "UTF-8", Sessions: file(line(kept), line(raised), line(newOne))})
		if err != nil {
			t.Fatal(err)
		}
		_, plan, err := s.GetSessionImport(ctx, staffID, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Created) != 1 || plan.Created[0].Code != "NEW" || len(plan.Updated) != 1 || plan.Updated[0].Session.Code != "FULL" ||
			plan.Unchanged != 1 || !cmp.Equal(plan.Updated[0].Changes, []domain.Field{domain.FieldCapacity}) {
			t.Fatalf("preview = %+v", plan)
		}
		if _, _, err := s.GetSessionImport(ctx, staffID+1, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("another account's import: %v", err)
		}
		if _, err := s.ApplySessionImport(ctx, staffID, id, testLetters{}); err != nil {
			t.Fatal(err)
		}
		if regState(t, s, regs[2].ID) != domain.RegistrationAccepted {
			t.Error("the import's rise of the capacity did not promote the waiting list")
		}
		_, err = s.ApplySessionImport(ctx, staffID, id, testLetters{})
		wantDomainError(t, err, domain.Gone, "déjà été confirmé")

		// All or nothing: a capacity below the places taken refuses the whole file.
		lowered := raised
		lowered.Capacity = 1
		other := sessionAt("OTHER", domain.Inter, 50, 5)
		id, err = s.CreateSessionImport(ctx, staffID, NewSessionImport{FileName: "b.csv", Encoding: "UTF-8", Sessions: file(line(other), line(lowered))})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.ApplySessionImport(ctx, staffID, id, testLetters{})
		wantDomainError(t, err, domain.Invalid, "Session FULL : La capacité ne peut pas être inférieure")
		if n := countWhere(t, s, `SELECT count(*) FROM sessions WHERE code = 'OTHER'`); n != 0 {
			t.Error("a refused import created a session")
		}
		// Expired previews apply nothing.
		id, err = s.CreateSessionImport(ctx, staffID, NewSessionImport{FileName: "c.csv", Encoding: "UTF-8", Sessions: file(line(other))})
		if err != nil {
			t.Fatal(err)
		}
		c.Add(SessionImportTTL + time.Second)
		_, err = s.ApplySessionImport(ctx, staffID, id, testLetters{})
		wantDomainError(t, err, domain.Gone, "expiré")
	})
}

func TestBilan(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		a := newRegCT(t, s, "Commune de Cholet", 4)
		b := newRegCT(t, s, "Commune de Saumur", 2)
		inter := mustCreateSession(t, s, sessionAt("BIL-INTER", domain.Inter, 10, 10)) // 2 days
		integ := sessionAt("BIL-INT", domain.Integration, 12, 10)
		integ.EndsOn = integ.StartsOn.AddDate(0, 0, 2) // 3 days
		integ = mustCreateSession(t, s, integ)
		ra := mustRegister(t, s, a.fixture, inter.ID, a.agents...)
		rb := mustRegister(t, s, b.fixture, inter.ID, b.agents...)
		ri := mustRegister(t, s, a.fixture, integ.ID, a.agents[0])
		st := staffCtx()
		for _, r := range []int64{ra[0].ID, ra[1].ID, ra[2].ID, rb[0].ID, ri[0].ID} {
			ok(t)(s.AcceptRegistration(st, r, testLetters{}))
		}
		ok(t)(s.RefuseRegistration(st, ra[3].ID, "Complet", testLetters{}))
		c.Add(13 * 24 * time.Hour)
		ok(t)(s.MarkPresent(st, ra[0].ID, testLetters{}))
		ok(t)(s.MarkPresent(st, ra[1].ID, testLetters{}))
		ok(t)(s.MarkAbsent(st, ra[2].ID))
		ok(t)(s.MarkPresent(st, rb[0].ID, testLetters{}))
		ok(t)(s.MarkAbsent(st, ri[0].ID))

		got, err := s.Bilan(ctx, BilanFilter{CT: a.ct.ID, Year: 2025})
		if err != nil {
			t.Fatal(err)
		}
		want := []BilanRow{
			{Year: 2025, Type: domain.Integration, Registrations: 1, Accepted: 1, Absent: 1},
			{Year: 2025, Type: domain.Inter, Registrations: 4, Accepted: 3, Refused: 1, Present: 2, Absent: 1, Days: 4},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("bilan of Cholet (-want +got):\n%s", diff)
		}
		if r := got[1].AttendanceRate(); r < 0.66 || r > 0.67 {
			t.Errorf("taux de présence = %v, want 2/3", r)
		}
		all, err := s.Bilan(ctx, BilanFilter{})
		if err != nil || len(all) != 2 || all[1].Registrations != 6 || all[1].Present != 3 || all[1].Days != 6 {
			t.Errorf("bilan of every CT = %+v, %v", all, err)
		}
		if none, err := s.Bilan(ctx, BilanFilter{CT: a.ct.ID, Year: 2024}); err != nil || len(none) != 0 {
			t.Errorf("bilan of 2024 = %+v, %v", none, err)
		}
	})
}

func TestReminders(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := WithActor(context.Background(), domain.CommandLine)
		rc := newRegCT(t, s, "Commune de Cholet", 4)
		soon := mustCreateSession(t, s, sessionAt("SOON", domain.Inter, 9, 10))
		later := mustCreateSession(t, s, sessionAt("LATER", domain.Inter, 30, 10))
		rs := mustRegister(t, s, rc.fixture, soon.ID, rc.agents...)
		rl := mustRegister(t, s, rc.fixture, later.ID, rc.agents[0])
		st := staffCtx()
		ok(t)(s.AcceptRegistration(st, rs[0].ID, testLetters{}))
		ok(t)(s.AcceptRegistration(st, rs[1].ID, testLetters{}))
		ok(t)(s.AcceptRegistration(st, rs[2].ID, testLetters{}))
		ok(t)(s.AcceptRegistration(st, rl[0].ID, testLetters{}))
		ok(t)(s.CancelRegistration(ctCtx(rc.acc), rc.ct.ID, rs[2].ID, testLetters{}))

		if due, err := s.DueReminders(ctx, s.Now()); err != nil || len(due) != 0 {
			t.Fatalf("due nine days before = %v, %v", due, err)
		}
		c.Add(2 * 24 * time.Hour) // seven days before SOON
		due, err := s.DueReminders(ctx, s.Now())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{rs[0].ID, rs[1].ID}, due); diff != "" {
			t.Fatalf("due (-want +got):\n%s", diff)
		}
		// Two workers race on every due reminder: each is sent once.
		before := len(trainingOutbox(t, s))
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := map[int64]int{}
		for range 2 {
			for _, id := range due {
				wg.Go(func() {
					won, err := s.MarkReminded(ctx, id, s.Now(), testLetters{})
					if err != nil {
						t.Errorf("MarkReminded: %v", err)
					}
					if won {
						mu.Lock()
						wins[id]++
						mu.Unlock()
					}
				})
			}
		}
		wg.Wait()
		if diff := cmp.Diff(map[int64]int{rs[0].ID: 1, rs[1].ID: 1}, wins); diff != "" {
			t.Fatalf("wins (-want +got):\n%s", diff)
		}
		want := []string{"mairie@commune-de-cholet.fr|reminder|ct|Léa Agent00", "agent00@commune-de-cholet.fr|reminder|agent|Léa Agent00",
			"mairie@commune-de-cholet.fr|reminder|ct|Léa Agent01", "agent01@commune-de-cholet.fr|reminder|agent|Léa Agent01"}
		got := trainingOutbox(t, s)[before:]
		if diff := cmp.Diff(slices.Sorted(slices.Values(want)), slices.Sorted(slices.Values(got))); diff != "" {
			t.Errorf("reminders (-want +got):\n%s", diff)
		}
		var subject string
		for _, r := range outboxRows(t, s) {
			if strings.Contains(r.Text, "reminder|") {
				subject = r.Subject
			}
		}
		if subject != "inscription en ligne : rappel – session du 19/03/2025" {
			t.Errorf("subject %q", subject)
		}
		// Across restarts: nothing due any more.
		if due, err := s.DueReminders(ctx, s.Now().Add(time.Hour)); err != nil || len(due) != 0 {
			t.Errorf("due after sending = %v, %v", due, err)
		}
		if won, err := s.MarkReminded(ctx, rs[0].ID, s.Now(), testLetters{}); err != nil || won {
			t.Errorf("MarkReminded again = %v, %v; want false", won, err)
		}
	})
}
