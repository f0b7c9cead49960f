package mail

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/mail/mailtest"
)

// memQueue is an in-memory outbox with the semantics the store gives the
// real one.
type memQueue struct {
	mu     sync.Mutex
	nextID int64
	rows   map[int64]*memRow
	claims int // ClaimDue calls, to know a pass has run
}

type memRow struct {
	msg      Message
	attempts int
	next     time.Time
	sentAt   time.Time
	failedAt time.Time
	reason   string
}

func newMemQueue() *memQueue { return &memQueue{rows: map[int64]*memRow{}} }

func (q *memQueue) add(m Message, due time.Time) int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.nextID++
	m.ID = q.nextID
	q.rows[m.ID] = &memRow{msg: m, next: due}
	return m.ID
}

func (q *memQueue) row(id int64) memRow {
	q.mu.Lock()
	defer q.mu.Unlock()
	return *q.rows[id]
}

func (q *memQueue) claimCount() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.claims
}

func (q *memQueue) ClaimDue(_ context.Context, now time.Time, n int, lease time.Duration) ([]Pending, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.claims++
	var ids []int64
	for id, r := range q.rows {
		if r.sentAt.IsZero() && r.failedAt.IsZero() && !r.next.After(now) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var out []Pending
	for _, id := range ids[:min(n, len(ids))] {
		r := q.rows[id]
		r.next = now.Add(lease)
		out = append(out, Pending{Message: r.msg, Attempts: r.attempts})
	}
	return out, nil
}

func (q *memQueue) MarkSent(_ context.Context, id int64, at time.Time) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.rows[id].sentAt = at
	return nil
}

func (q *memQueue) MarkRetry(_ context.Context, id int64, next time.Time, reason string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	r := q.rows[id]
	r.attempts++
	r.next, r.reason = next, reason
	return nil
}

func (q *memQueue) MarkFailed(_ context.Context, id int64, at time.Time, reason string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	r := q.rows[id]
	r.attempts++
	r.failedAt, r.reason = at, reason
	return nil
}

// clock is a settable time for the worker.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// countingSender counts the messages handed to the real sender.
type countingSender struct {
	Sender
	mu sync.Mutex
	n  int
}

func (s *countingSender) Send(ctx context.Context, m Message) error {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	return s.Sender.Send(ctx, m)
}

func (s *countingSender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// workerFixture is a worker over a memQueue, sending to srv, on a clock
// that moves only when told.
type workerFixture struct {
	srv    *mailtest.Server
	queue  *memQueue
	clock  *clock
	sender *countingSender
	logs   *syncBuffer
	w      *Worker
}

func newWorkerFixture(t *testing.T) *workerFixture {
	t.Helper()
	srv := mailtest.NewServer(t)
	f := &workerFixture{
		srv:    srv,
		queue:  newMemQueue(),
		clock:  &clock{now: time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)},
		sender: &countingSender{Sender: newTestSender(t, srv, "")},
		logs:   &syncBuffer{},
	}
	f.w = &Worker{
		Queue:  f.queue,
		Sender: f.sender,
		Log:    slog.New(slog.NewTextHandler(f.logs, nil)),
		Now:    f.clock.Now,
	}
	return f
}

// syncBuffer is a bytes.Buffer safe for the logger and the test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// linkMessage is a message carrying a secret link, as the Composer makes.
func linkMessage(to string) Message {
	m := testMessage()
	m.To = to
	m.Text = "Votre lien : https://iel.example/mot-de-passe?jeton=SECRETTOKEN\n"
	m.HTML = `<p><a href="https://iel.example/mot-de-passe?jeton=SECRETTOKEN">lien</a></p>`
	return m
}

func deliver(t *testing.T, f *workerFixture) int {
	t.Helper()
	n, err := f.w.DeliverDue(t.Context())
	if err != nil {
		t.Fatalf("DeliverDue: %v", err)
	}
	return n
}

func TestWorkerDelivers(t *testing.T) {
	f := newWorkerFixture(t)
	var ids []int64
	var want [][]string
	// More than a batch, to cover claiming again within one pass.
	for i := range claimBatch + 2 {
		m := linkMessage(fmt.Sprintf("agent%02d@mairie.example", i))
		m.ExpiresAt = f.clock.Now().Add(time.Hour)
		ids = append(ids, f.queue.add(m, f.clock.Now()))
		want = append(want, []string{m.To})
	}
	if n := deliver(t, f); n != len(ids) {
		t.Errorf("DeliverDue sent %d, want %d", n, len(ids))
	}
	var got [][]string
	for _, r := range f.srv.Messages() {
		got = append(got, r.To)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("recipients, in queue order (-want +got):\n%s", diff)
	}
	for _, id := range ids {
		if r := f.queue.row(id); !r.sentAt.Equal(f.clock.Now()) || r.attempts != 0 {
			t.Errorf("row %d: sent at %v after %d failures, want sent now", id, r.sentAt, r.attempts)
		}
	}
	if n := deliver(t, f); n != 0 {
		t.Errorf("second pass sent %d, want 0", n)
	}
	logs := f.logs.String()
	if strings.Contains(logs, "SECRETTOKEN") || strings.Contains(logs, "Votre lien") {
		t.Errorf("logs show the body or the link:\n%s", logs)
	}
	if !strings.Contains(logs, "outbox_id=1 ") || !strings.Contains(logs, "outcome=sent") {
		t.Errorf("logs lack the outbox id or the outcome:\n%s", logs)
	}
}

func TestWorkerRetriesTemporaryFailure(t *testing.T) {
	f := newWorkerFixture(t)
	id := f.queue.add(linkMessage("a@mairie.example"), f.clock.Now())
	f.srv.SetReject(451)
	start := f.clock.Now()
	if n := deliver(t, f); n != 0 {
		t.Fatalf("DeliverDue sent %d while the server refuses", n)
	}
	r := f.queue.row(id)
	if r.attempts != 1 || !r.failedAt.IsZero() || !r.sentAt.IsZero() {
		t.Errorf("row after 451: %+v, want pending after 1 attempt", r)
	}
	if d := r.next.Sub(start); d < 24*time.Second || d > 36*time.Second {
		t.Errorf("next attempt in %v, want 30s ±20%%", d)
	}
	if !strings.Contains(r.reason, "451") {
		t.Errorf("reason %q lacks the SMTP code", r.reason)
	}

	f.srv.SetReject(0)
	f.clock.Add(20 * time.Second)
	if n := deliver(t, f); n != 0 {
		t.Errorf("DeliverDue sent %d before the backoff elapsed", n)
	}
	f.clock.Add(20 * time.Second)
	if n := deliver(t, f); n != 1 {
		t.Errorf("DeliverDue sent %d after the backoff, want 1", n)
	}
	if r := f.queue.row(id); r.sentAt.IsZero() {
		t.Errorf("row not marked sent: %+v", r)
	}
}

// TestWorkerKeepsMessageWithoutStartTLS: a relay without STARTTLS behind
// an smtp:// URL gets nothing; the message stays queued for a later
// attempt and the refusal is logged.
func TestWorkerKeepsMessageWithoutStartTLS(t *testing.T) {
	f := newWorkerFixture(t)
	f.sender.Sender = newTestSender(t, f.srv, "smtp://"+f.srv.Addr()) // no ?tls=none
	id := f.queue.add(linkMessage("a@mairie.example"), f.clock.Now())
	if n := deliver(t, f); n != 0 {
		t.Fatalf("DeliverDue sent %d to a server without STARTTLS", n)
	}
	if n := len(f.srv.Messages()); n != 0 {
		t.Errorf("server received %d messages, want 0", n)
	}
	r := f.queue.row(id)
	if r.attempts != 1 || !r.failedAt.IsZero() || !r.sentAt.IsZero() || !r.next.After(f.clock.Now()) {
		t.Errorf("row: %+v, want still queued, due again later, after 1 attempt", r)
	}
	if !strings.Contains(r.reason, "does not offer STARTTLS") {
		t.Errorf("reason %q does not say why", r.reason)
	}
	logs := f.logs.String()
	if !strings.Contains(logs, "outcome=retry") || !strings.Contains(logs, "does not offer STARTTLS") {
		t.Errorf("logs lack the refusal:\n%s", logs)
	}
}

func TestWorkerFailsPermanentError(t *testing.T) {
	f := newWorkerFixture(t)
	id := f.queue.add(linkMessage("nobody@mairie.example"), f.clock.Now())
	f.srv.SetReject(550)
	deliver(t, f)
	r := f.queue.row(id)
	if r.failedAt.IsZero() || !strings.Contains(r.reason, "550") {
		t.Errorf("row after 550: %+v, want failed with the SMTP code", r)
	}
	f.srv.SetReject(0)
	f.clock.Add(24 * time.Hour)
	if n := deliver(t, f); n != 0 || f.sender.count() != 1 {
		t.Errorf("a failed message was tried again: sent %d, %d attempts", n, f.sender.count())
	}
}

func TestWorkerNeverSendsExpiredLink(t *testing.T) {
	tests := []struct {
		name     string
		expires  time.Duration // from now; 0 means no link
		wantSent bool
	}{
		{name: "expired", expires: -time.Second},
		{name: "expires now", expires: time.Nanosecond},
		{name: "valid", expires: time.Hour, wantSent: true},
		{name: "no link", wantSent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newWorkerFixture(t)
			m := linkMessage("a@mairie.example")
			if tt.expires != 0 {
				m.ExpiresAt = f.clock.Now().Add(tt.expires)
			}
			id := f.queue.add(m, f.clock.Now())
			if tt.name == "expires now" {
				f.clock.Add(time.Nanosecond)
			}
			deliver(t, f)
			r := f.queue.row(id)
			if sent := !r.sentAt.IsZero(); sent != tt.wantSent {
				t.Errorf("sent = %v, want %v (row %+v)", sent, tt.wantSent, r)
			}
			if !tt.wantSent {
				if r.failedAt.IsZero() || !strings.Contains(r.reason, "expired") {
					t.Errorf("row %+v, want failed as expired", r)
				}
				if n := f.sender.count(); n != 0 {
					t.Errorf("sender called %d times for an expired link", n)
				}
			}
		})
	}
}

func TestWorkerMaxAttempts(t *testing.T) {
	tests := []struct {
		name        string
		maxAttempts int
		want        int
	}{
		{name: "set", maxAttempts: 3, want: 3},
		{name: "default", maxAttempts: 0, want: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newWorkerFixture(t)
			f.w.MaxAttempts = tt.maxAttempts
			id := f.queue.add(linkMessage("a@mairie.example"), f.clock.Now())
			f.srv.SetReject(451)
			for range tt.want + 2 {
				deliver(t, f)
				f.clock.Add(2 * time.Hour)
			}
			r := f.queue.row(id)
			if r.failedAt.IsZero() || r.attempts != tt.want || f.sender.count() != tt.want {
				t.Errorf("after %d passes: row %+v, %d sends; want failed after %d attempts",
					tt.want+2, r, f.sender.count(), tt.want)
			}
		})
	}
}

func TestWorkerSurvivesOutage(t *testing.T) {
	f := newWorkerFixture(t)
	id := f.queue.add(linkMessage("a@mairie.example"), f.clock.Now())
	f.srv.Close()
	if n := deliver(t, f); n != 0 {
		t.Fatalf("DeliverDue sent %d with the server down", n)
	}
	if r := f.queue.row(id); !r.failedAt.IsZero() || !r.sentAt.IsZero() || r.attempts != 1 {
		t.Fatalf("row during the outage: %+v, want pending", r)
	}
	f.srv.Restart(t)
	f.clock.Add(time.Minute)
	if n := deliver(t, f); n != 1 {
		t.Errorf("DeliverDue sent %d after the restart, want 1", n)
	}
	got := f.srv.Messages()
	if len(got) != 1 || got[0].Subject != testMessage().Subject {
		t.Errorf("server received %+v", got)
	}
}

func TestWorkerRunAndWake(t *testing.T) {
	f := newWorkerFixture(t)
	f.w.Now = nil // real time: Run is driven by real timers
	f.w.Interval = time.Hour
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- f.w.Run(ctx) }()

	// The first pass runs at once; this message comes after it, and only
	// Wake can make the worker see it within the hour.
	for deadline := time.Now().Add(5 * time.Second); f.queue.claimCount() == 0; {
		if time.Now().After(deadline) {
			t.Fatal("Run made no first pass")
		}
		time.Sleep(5 * time.Millisecond)
	}
	f.queue.add(linkMessage("a@mairie.example"), time.Now())
	f.w.Wake()
	f.w.Wake() // never blocks, even with a wake-up pending
	f.srv.WaitFor(t, 1, 5*time.Second)

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestBackoff(t *testing.T) {
	tests := []struct {
		name     string
		attempts int
		base     time.Duration
	}{
		{name: "zero", attempts: 0, base: 30 * time.Second},
		{name: "first", attempts: 1, base: 30 * time.Second},
		{name: "second", attempts: 2, base: time.Minute},
		{name: "third", attempts: 3, base: 2 * time.Minute},
		{name: "fourth", attempts: 4, base: 4 * time.Minute},
		{name: "seventh", attempts: 7, base: 32 * time.Minute},
		{name: "capped", attempts: 8, base: time.Hour},
		{name: "huge", attempts: 1000, base: time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var seen []time.Duration
			for range 200 {
				d := Backoff(tt.attempts)
				if d < tt.base*8/10 || d > tt.base*12/10 {
					t.Fatalf("Backoff(%d) = %v, want %v ±20%%", tt.attempts, d, tt.base)
				}
				seen = append(seen, d)
			}
			slices.Sort(seen)
			if seen[0] == seen[len(seen)-1] {
				t.Errorf("Backoff(%d) has no jitter: always %v", tt.attempts, seen[0])
			}
		})
	}
}
