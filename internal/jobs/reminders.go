// Package jobs runs the portal's scheduled work inside "iel serve".
//
// Several portals may serve one database. A job runs in every one of them,
// but each pass first takes the job's lease in the database (a row of
// job_leases, taken or renewed by one statement), so that only one portal
// at a time does the work; when that portal stops, or its lease expires,
// another takes over at its next pass. The work itself is idempotent too:
// the store claims each reminder once, whatever the leases did.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"iel/internal/domain"
	"iel/internal/store"
)

// ReminderJob is the name of the reminders' lease.
const ReminderJob = "rappel"

// Defaults of Reminders.
const (
	DefaultInterval = 5 * time.Minute
	// A lease outlives a few passes, so that a portal keeps the job while
	// it runs, and another takes it within minutes once it has stopped.
	defaultLeaseIntervals = 3
)

// Reminders sends the "rappel" ReminderDays before each session to its
// accepted registrations: to the CT's recipients for the session's type,
// and to the agent. Its zero value needs Store and Letters.
type Reminders struct {
	Store    *store.Store
	Letters  store.TrainingLetters
	Log      *slog.Logger     // nil discards
	Holder   string           // this portal's name in the lease; "" for the host, the process and a random part
	Interval time.Duration    // between passes; 0 means DefaultInterval
	Lease    time.Duration    // how long a pass's lease lasts; 0 means three intervals
	Now      func() time.Time // nil means the store's clock
	Wake     func()           // called after a pass queued e-mails: the outbox worker sends them at once; may be nil
}

// Run makes a pass every Interval until ctx is cancelled, then releases
// the lease, so that another portal takes over at once, and returns nil.
// A failed pass (the database away) is logged; the next one tries again.
func (r *Reminders) Run(ctx context.Context) error {
	r.init()
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	for {
		if _, _, err := r.Pass(ctx); err != nil && ctx.Err() == nil {
			r.Log.Error("jobs: reminders pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			release, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := r.Store.ReleaseLease(release, ReminderJob, r.Holder); err != nil {
				r.Log.Warn("jobs: release of the reminders' lease", "err", err)
			}
			return nil
		case <-t.C:
		}
	}
}

// Pass takes (or renews) the lease and, when it holds it, sends every
// reminder due now. It reports whether it held the lease and how many
// reminders it sent. It stops, keeping what it sent, when ctx ends or
// when its lease could not be renewed.
func (r *Reminders) Pass(ctx context.Context) (held bool, sent int, err error) {
	r.init()
	ctx = store.WithActor(ctx, domain.ReminderJob)
	taken := r.Now()
	if held, err = r.Store.TakeLease(ctx, ReminderJob, r.Holder, taken, r.Lease); err != nil || !held {
		return false, 0, err
	}
	defer func() {
		if sent > 0 && r.Wake != nil {
			r.Wake()
		}
	}()
	due, err := r.Store.DueReminders(ctx, taken)
	if err != nil {
		return true, 0, err
	}
	for _, id := range due {
		now := r.Now()
		// A long pass renews its lease halfway, and stops if another
		// portal has taken it meanwhile.
		if now.Sub(taken) >= r.Lease/2 {
			if renewed, err := r.Store.TakeLease(ctx, ReminderJob, r.Holder, now, r.Lease); err != nil || !renewed {
				return true, sent, err
			}
			taken = now
		}
		won, err := r.Store.MarkReminded(ctx, id, now, r.Letters)
		if err != nil {
			return true, sent, err
		}
		if won {
			sent++
		}
	}
	if sent > 0 {
		r.Log.Info("jobs: reminders sent", "count", sent)
	}
	return true, sent, nil
}

// init sets the defaults of the fields left zero.
func (r *Reminders) init() {
	if r.Interval <= 0 {
		r.Interval = DefaultInterval
	}
	if r.Lease <= 0 {
		r.Lease = defaultLeaseIntervals * r.Interval
	}
	if r.Now == nil {
		r.Now = func() time.Time { return r.Store.Now() }
	}
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
	if r.Holder == "" {
		r.Holder = Holder()
	}
}

// Holder names this process in a lease: its host, its process id and a
// random part, so that two portals never share a name.
func Holder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}
