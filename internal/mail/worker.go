package mail

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// Worker defaults and batch sizing.
const (
	defaultInterval    = 2 * time.Second
	defaultMaxAttempts = 10
	// claimBatch messages are claimed at once and sent one after the other,
	// each within deliveryTimeout; the lease covers the whole batch so that
	// another worker does not take a message this one is about to send.
	claimBatch      = 10
	deliveryTimeout = 30 * time.Second
	claimLease      = claimBatch*deliveryTimeout + time.Minute
	firstBackoff    = 30 * time.Second
	maxBackoff      = time.Hour
)

// Queue is the outbox as the worker sees it (implemented by the store over
// its database).
type Queue interface {
	// ClaimDue returns up to n messages due at now (not sent, not failed, next attempt <= now) and pushes their next attempt to now+lease so another worker does not take them meanwhile.
	ClaimDue(ctx context.Context, now time.Time, n int, lease time.Duration) ([]Pending, error)
	// MarkSent records the delivery: the message is never claimed again.
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkRetry records one more failed attempt (Attempts+1) and its
	// reason, and makes the message due again at next.
	MarkRetry(ctx context.Context, id int64, next time.Time, reason string) error
	// MarkFailed records the last failed attempt and gives up: the message
	// is never claimed again.
	MarkFailed(ctx context.Context, id int64, at time.Time, reason string) error
}

// Pending is a claimed message with its delivery history.
type Pending struct {
	Message
	Attempts int // failed attempts so far, as counted by MarkRetry
}

// Worker delivers the outbox. It polls every Interval, or at once after
// Wake, and sends each due message: on success it marks it sent; on a
// permanent error, at the MaxAttempts-th attempt, or when the message's link
// has expired (an expired link is never sent), it marks it failed;
// otherwise it schedules a retry after Backoff. It logs one line per
// delivery, never the body nor the link. Its zero value needs only Queue
// and Sender; it must not be copied after first use.
type Worker struct {
	Queue       Queue
	Sender      Sender
	Log         *slog.Logger     // nil discards
	Interval    time.Duration    // 0 means 2s
	MaxAttempts int              // 0 means 10
	Now         func() time.Time // nil means time.Now

	wakeOnce sync.Once
	wake     chan struct{}
}

// Run delivers the outbox until ctx is cancelled, then returns nil. Errors
// of a pass (the database being away) are logged and the next pass tries
// again.
func (w *Worker) Run(ctx context.Context) error {
	interval := w.Interval
	if interval <= 0 {
		interval = defaultInterval
	}
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		if _, err := w.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			w.logger().Error("mail: outbox pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		case <-w.wakeChan():
		}
	}
}

// Wake makes Run look at the outbox now rather than at the next tick, so
// that an e-mail just queued leaves at once. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wakeChan() <- struct{}{}:
	default: // a pass is already pending: it will see the new message
	}
}

func (w *Worker) wakeChan() chan struct{} {
	w.wakeOnce.Do(func() { w.wake = make(chan struct{}, 1) })
	return w.wake
}

// DeliverDue claims and sends every message due now, batch after batch, and
// returns how many were sent. It stops at the first error of the queue, or
// when ctx ends; a message left claimed then becomes due again when its
// lease expires.
func (w *Worker) DeliverDue(ctx context.Context) (int, error) {
	sent := 0
	for {
		batch, err := w.Queue.ClaimDue(ctx, w.now(), claimBatch, claimLease)
		if err != nil {
			return sent, err
		}
		for _, p := range batch {
			ok, err := w.deliver(ctx, p)
			if ok {
				sent++
			}
			if err != nil {
				return sent, err
			}
		}
		// A short batch means nothing else is due; retried messages are due
		// later, so the loop cannot take them twice.
		if len(batch) < claimBatch {
			return sent, nil
		}
	}
}

// deliver sends one claimed message and records the outcome. It returns
// whether the message was sent, and an error only when the outcome could
// not be recorded or ctx ended.
func (w *Worker) deliver(ctx context.Context, p Pending) (bool, error) {
	log := w.logger().With("outbox_id", p.ID, "subject", p.Subject)
	attempt := p.Attempts + 1
	now := w.now()
	if !p.ExpiresAt.IsZero() && !now.Before(p.ExpiresAt) {
		log.Warn("mail: not sent, link expired", "attempts", p.Attempts, "outcome", "expired")
		return false, w.Queue.MarkFailed(ctx, p.ID, now, "link expired before delivery")
	}

	sendCtx, cancel := context.WithTimeout(ctx, deliveryTimeout)
	err := w.Sender.Send(sendCtx, p.Message)
	cancel()
	if ctx.Err() != nil {
		// Shutting down: this attempt says nothing about the message, so it
		// is not counted; the lease makes it due again.
		return false, ctx.Err()
	}
	now = w.now()
	if err == nil {
		log.Info("mail: sent", "attempts", attempt, "outcome", "sent")
		return true, w.Queue.MarkSent(ctx, p.ID, now)
	}

	reason := err.Error()
	switch {
	case Permanent(err):
		log.Error("mail: not sent, permanent failure", "attempts", attempt, "outcome", "failed", "err", reason)
		return false, w.Queue.MarkFailed(ctx, p.ID, now, reason)
	case attempt >= w.maxAttempts():
		log.Error("mail: not sent, too many attempts", "attempts", attempt, "outcome", "failed", "err", reason)
		return false, w.Queue.MarkFailed(ctx, p.ID, now, reason)
	}
	next := now.Add(Backoff(attempt))
	log.Warn("mail: not sent, will retry", "attempts", attempt, "outcome", "retry", "next", next, "err", reason)
	return false, w.Queue.MarkRetry(ctx, p.ID, next, reason)
}

func (w *Worker) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

func (w *Worker) maxAttempts() int {
	if w.MaxAttempts > 0 {
		return w.MaxAttempts
	}
	return defaultMaxAttempts
}

func (w *Worker) logger() *slog.Logger {
	if w.Log != nil {
		return w.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Backoff returns how long to wait after the given number of failed
// attempts: 30s, 1m, 2m, 4m… capped at 1h, each within ±20% so that
// messages failed together by an outage do not all come back together.
func Backoff(attempts int) time.Duration {
	d := maxBackoff
	if attempts < 1 {
		attempts = 1
	}
	// Past 7 doublings 30s exceeds the cap; stopping there also keeps the
	// shift from overflowing.
	if attempts <= 8 {
		d = min(firstBackoff<<(attempts-1), maxBackoff)
	}
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}
