package store

import (
	"sync"
	"testing"
	"time"
)

func TestJobLease(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		take := func(holder string) bool {
			t.Helper()
			held, err := s.TakeLease(ctx, "rappel", holder, s.Now(), time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return held
		}
		if !take("a") {
			t.Fatal("a did not take the free lease")
		}
		if take("b") {
			t.Fatal("b took a's lease before it expired")
		}
		c.Add(59 * time.Second)
		if !take("a") {
			t.Fatal("a could not renew its lease")
		}
		c.Add(59 * time.Second)
		if take("b") {
			t.Fatal("b took a's renewed lease")
		}
		c.Add(time.Second)
		if !take("b") {
			t.Fatal("b did not take the expired lease")
		}
		if take("a") {
			t.Fatal("a took back b's lease")
		}
		if held, err := s.TakeLease(ctx, "autre", "a", s.Now(), time.Minute); err != nil || !held {
			t.Errorf("another job's lease = %v, %v", held, err)
		}
		// Released, the lease is free at once; a release by another holder changes nothing.
		if err := s.ReleaseLease(ctx, "rappel", "a"); err != nil {
			t.Fatal(err)
		}
		if take("a") {
			t.Fatal("a's release freed b's lease")
		}
		if err := s.ReleaseLease(ctx, "rappel", "b"); err != nil {
			t.Fatal(err)
		}
		if !take("a") {
			t.Fatal("a did not take the released lease")
		}

		// Many holders race for an expired lease: exactly one gets it.
		c.Add(2 * time.Minute)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var winners []int
		for i := range 8 {
			wg.Go(func() {
				held, err := s.TakeLease(ctx, "rappel", string(rune('c'+i)), s.Now(), time.Minute)
				if err != nil {
					t.Errorf("TakeLease: %v", err)
				}
				if held {
					mu.Lock()
					winners = append(winners, i)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(winners) != 1 {
			t.Errorf("holders of the raced lease: %v, want one", winners)
		}
	})
}
