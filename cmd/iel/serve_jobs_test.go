package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/mail/mailtest"
	"iel/internal/store"
)

// TestServeSendsReminders: "iel serve" runs the reminders' job; an
// accepted registration to a session seven days ahead gets its rappel,
// to the CT and to the agent, delivered by the outbox worker.
func TestServeSendsReminders(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "iel.db")
	st := openStore(t, db)
	letters, err := mail.NewLetters("http://portal.test")
	if err != nil {
		t.Fatal(err)
	}
	cli := store.WithActor(t.Context(), domain.CommandLine)
	ct, acc, err := st.CreateCollectivity(cli, store.NewCollectivity{Name: "Commune de Cholet", Email: "mairie@cholet.example.fr",
		ManagerActive: true, PasswordHash: "hash"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	agent, err := st.CreateAgent(cli, ct.ID, domain.Agent{Civility: domain.Madame, LastName: "Martin", FirstName: "Léa",
		BirthDate: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), Email: "lea.martin@cholet.example.fr", Category: domain.CategoryC,
		Status: domain.Titulaire, Grade: "Adjoint administratif", AppointedOn: time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	start := domain.ParisDay(time.Now()).AddDate(0, 0, store.ReminderDays)
	staff := store.WithActor(t.Context(), domain.Actor{Name: "Camille Staff", Role: domain.RoleStaff})
	sess, err := st.CreateSession(staff, domain.Session{Code: "RAPPEL", Title: "Accueil du public", Type: domain.Inter,
		StartsOn: start, EndsOn: start, Hours: "9 h 00 – 17 h 00", Place: "CNFPT Angers, 2 rue de la Paix, 49000 Angers",
		Capacity: 10, Deadline: start.AddDate(0, 0, -3), Audience: "Agents d'accueil"})
	if err != nil {
		t.Fatal(err)
	}
	regs, err := st.Register(store.WithActor(t.Context(), domain.AccountActor(acc, "192.0.2.1")), ct.ID, sess.ID, []int64{agent.ID}, letters)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AcceptRegistration(staff, regs[0].ID, letters); err != nil {
		t.Fatal(err)
	}

	srv := mailtest.NewServer(t)
	runServe(t, "--addr", "127.0.0.1:0", "--db", db, "--smtp", srv.URL())
	// The accusé de réception, the acceptation to the CT and the agent, then the two rappels.
	var got []string
	for _, m := range srv.WaitFor(t, 5, 20*time.Second) {
		if strings.Contains(m.Subject, "rappel") {
			got = append(got, strings.Join(m.To, ","))
		}
	}
	slices.Sort(got)
	if want := []string{"lea.martin@cholet.example.fr", "mairie@cholet.example.fr"}; !slices.Equal(got, want) {
		t.Errorf("rappels received by %v, want %v", got, want)
	}
}
