package store

import (
	"cmp"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"iel/internal/auth"
	"iel/internal/mail"
	"iel/internal/mail/mailtest"
)

// The Store is the worker's queue.
var _ mail.Queue = (*Store)(nil)

// queue writes m to the outbox as a change of the store would.
func queue(t testing.TB, s *Store, m mail.Message) int64 {
	t.Helper()
	ctx := testCtx()
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return enqueue(ctx, tx, m, s.now()) }); err != nil {
		t.Fatalf("enqueue: %v", err)
	}
	var id int64
	if err := s.db.QueryRow(`SELECT max(id) FROM outbox`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func testMessage(i int) mail.Message {
	return mail.Message{
		MessageID: fmt.Sprintf("<%d@test>", i),
		From:      "Inscription en ligne <ne-pas-repondre@cnfpt.fr>",
		To:        fmt.Sprintf("agent%d@cholet.fr", i),
		Subject:   fmt.Sprintf("inscription en ligne : message %d", i),
		Text:      "texte",
		HTML:      "<p>html</p>",
	}
}

func claimIDs(t *testing.T, s *Store, now time.Time, n int) []int64 {
	t.Helper()
	got, err := s.ClaimDue(testCtx(), now, n, 10*time.Minute)
	if err != nil {
		t.Fatalf("ClaimDue: %v", err)
	}
	ids := []int64{}
	for _, p := range got {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids) // RETURNING promises no order
	return ids
}

func TestClaimDue(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		t0 := c.Now()
		m := testMessage(1)
		m.ExpiresAt = t0.Add(time.Hour)
		a := queue(t, s, m)
		b := queue(t, s, testMessage(2))
		c.Add(time.Second)
		d := queue(t, s, testMessage(3))

		if ids := claimIDs(t, s, t0.Add(-time.Second), 10); len(ids) != 0 {
			t.Fatalf("claimed %v before they were due", ids)
		}
		got, err := s.ClaimDue(testCtx(), t0, 10, 10*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(got, func(x, y mail.Pending) int { return cmp.Compare(x.ID, y.ID) })
		want := []mail.Pending{{Message: m}, {Message: testMessage(2)}}
		want[0].ID, want[1].ID = a, b
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Fatalf("ClaimDue at t0 (-want +got):\n%s", diff)
		}
		if diff := gocmp.Diff([]int64{d}, claimIDs(t, s, t0.Add(time.Second), 10)); diff != "" {
			t.Fatalf("ClaimDue at t0+1s (-want +got):\n%s", diff)
		}
		if ids := claimIDs(t, s, t0.Add(10*time.Minute-time.Second), 10); len(ids) != 0 {
			t.Fatalf("claimed %v again within the lease", ids)
		}
		// The lease over (a worker died), they are due again, n at most.
		if diff := gocmp.Diff([]int64{a, b}, claimIDs(t, s, t0.Add(10*time.Minute), 2)); diff != "" {
			t.Fatalf("ClaimDue after the lease (-want +got):\n%s", diff)
		}
	})
}

func TestOutboxMarks(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		t0 := c.Now()
		sent := queue(t, s, testMessage(1))
		retried := queue(t, s, testMessage(2))
		failed := queue(t, s, testMessage(3))
		if ids := claimIDs(t, s, t0, 10); len(ids) != 3 {
			t.Fatalf("claimed %v, want 3", ids)
		}
		if err := s.MarkSent(ctx, sent, t0.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkRetry(ctx, retried, t0.Add(5*time.Minute), "451 try again"); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkFailed(ctx, failed, t0.Add(2*time.Second), "550 no such user"); err != nil {
			t.Fatal(err)
		}

		list, err := s.ListOutbox(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			ID                         int64
			SentAt, FailedAt           time.Time
			Attempts                   int
			LastError, Text, HTML, Sub string
		}
		var gotRows []row
		for _, m := range list {
			full, err := s.GetOutbox(ctx, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			gotRows = append(gotRows, row{m.ID, m.SentAt, m.FailedAt, m.Attempts, m.LastError, full.Text, full.HTML, m.Subject})
		}
		wantRows := []row{
			{failed, time.Time{}, t0.Add(2 * time.Second), 1, "550 no such user", "", "", "inscription en ligne : message 3"},
			{retried, time.Time{}, time.Time{}, 1, "451 try again", "texte", "<p>html</p>", "inscription en ligne : message 2"},
			{sent, t0.Add(time.Second), time.Time{}, 1, "", "", "", "inscription en ligne : message 1"},
		}
		if diff := gocmp.Diff(wantRows, gotRows); diff != "" {
			t.Fatalf("outbox after the marks, newest first (-want +got):\n%s", diff)
		}
		if ids := claimIDs(t, s, t0.Add(5*time.Minute-time.Second), 10); len(ids) != 0 {
			t.Fatalf("claimed %v before the retry time", ids)
		}
		got, err := s.ClaimDue(ctx, t0.Add(5*time.Minute), 10, time.Minute)
		if err != nil || len(got) != 1 || got[0].ID != retried || got[0].Attempts != 1 {
			t.Fatalf("ClaimDue at the retry time = %+v, %v; want message %d with 1 attempt", got, err, retried)
		}
		// Sent and failed messages are never due again.
		if ids := claimIDs(t, s, t0.Add(365*24*time.Hour), 10); !gocmp.Equal(ids, []int64{retried}) {
			t.Fatalf("a year later claimed %v, want only %d", ids, retried)
		}
		if _, err := s.GetOutbox(ctx, 999999); !errors.Is(err, ErrNotFound) {
			t.Fatalf("GetOutbox(unknown) = %v, want ErrNotFound", err)
		}
	})
}

// Workers of several processes share the outbox: none takes a message
// another holds.
func TestClaimDueConcurrent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		const messages, workers = 100, 20
		for i := range messages {
			queue(t, s, testMessage(i))
		}
		now := c.Now()
		claimed := make([][]int64, workers)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for w := range workers {
			wg.Go(func() {
				<-start
				for {
					batch, err := s.ClaimDue(testCtx(), now, 3, time.Hour)
					if err != nil {
						errs[w] = err
						return
					}
					if len(batch) == 0 {
						return
					}
					for _, p := range batch {
						claimed[w] = append(claimed[w], p.ID)
					}
				}
			})
		}
		close(start)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("ClaimDue: %v", err)
		}
		seen := map[int64]int{}
		for w, ids := range claimed {
			for _, id := range ids {
				if prev, dup := seen[id]; dup {
					t.Errorf("message %d claimed by workers %d and %d", id, prev, w)
				}
				seen[id] = w
			}
		}
		if len(seen) != messages {
			t.Fatalf("%d distinct messages claimed, want %d", len(seen), messages)
		}
		if ids := claimIDs(t, s, now, messages); len(ids) != 0 {
			t.Fatalf("left unclaimed: %v", ids)
		}
	})
}

// The codes e-mail goes through the real worker and SMTP client to an SMTP
// server; an outage delays it, losing and doubling nothing.
func TestOutboxDelivery(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		srv := mailtest.NewServer(t)
		sender, err := mail.NewSMTPSender(srv.URL(), "Inscription en ligne <ne-pas-repondre@cnfpt.fr>", nil)
		if err != nil {
			t.Fatal(err)
		}
		composer, err := mail.NewComposer("iel.test")
		if err != nil {
			t.Fatal(err)
		}
		w := &mail.Worker{Queue: s, Sender: sender, Now: c.Now}
		create := func(name, to string) string {
			tok := auth.NewToken()
			nc := NewCollectivity{Name: name, Email: to, TokenHash: tok.Hash, TokenExpiry: c.Now().Add(7 * 24 * time.Hour)}
			var login string
			_, _, err := s.CreateCollectivity(ctx, nc, func(l string) (mail.Message, error) {
				login = l
				m, err := composer.Codes(to, mail.CodesData{Collectivity: name, Login: l, Link: "https://iel.test/mot-de-passe/" + tok.Raw})
				m.ExpiresAt = nc.TokenExpiry
				return m, err
			})
			if err != nil {
				t.Fatalf("CreateCollectivity(%s): %v", name, err)
			}
			return login
		}
		deliver := func(want int) {
			t.Helper()
			n, err := w.DeliverDue(ctx)
			if err != nil || n != want {
				t.Fatalf("DeliverDue = %d, %v; want %d sent", n, err, want)
			}
		}

		cholet := create("Commune de Cholet", "mairie@cholet.fr")
		deliver(1)
		msgs := srv.Messages()
		if len(msgs) != 1 || msgs[0].Subject != "inscription en ligne : vos codes de connexion" ||
			!gocmp.Equal(msgs[0].To, []string{"mairie@cholet.fr"}) || !strings.Contains(msgs[0].Text, cholet) {
			t.Fatalf("received %+v, want the codes of %s for mairie@cholet.fr", msgs, cholet)
		}

		srv.Close()
		angers := create("Commune d'Angers", "mairie@angers.fr")
		deliver(0)
		list, err := s.ListOutbox(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || !list[0].SentAt.IsZero() || !list[0].FailedAt.IsZero() || list[0].Attempts != 1 || list[0].LastError == "" {
			t.Fatalf("after a failed delivery: %+v, want the message pending with 1 attempt and its error", list[0])
		}
		if full, _ := s.GetOutbox(ctx, list[0].ID); !strings.Contains(full.Text, angers) {
			t.Fatalf("the pending message lost its body: %q", full.Text)
		}

		srv.Restart(t)
		deliver(0) // the backoff (30 s ± 20 %) is not over
		c.Add(time.Minute)
		deliver(1)
		deliver(0)
		msgs = srv.Messages()
		if len(msgs) != 2 || msgs[1].Subject != "inscription en ligne : vos codes de connexion" ||
			!gocmp.Equal(msgs[1].To, []string{"mairie@angers.fr"}) || !strings.Contains(msgs[1].Text, angers) ||
			!strings.Contains(msgs[1].Text, "Commune d'Angers") {
			t.Fatalf("received %+v, want the codes of Cholet then of Angers, once each", msgs)
		}
		list, _ = s.ListOutbox(ctx, 10)
		for _, m := range list {
			if m.SentAt.IsZero() || !m.FailedAt.IsZero() {
				t.Errorf("outbox %d: sent %v, failed %v; want sent", m.ID, m.SentAt, m.FailedAt)
			}
		}
	})
}
