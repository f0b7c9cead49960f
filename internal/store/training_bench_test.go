package store

import (
	"fmt"
	"sync/atomic"
	"testing"

	"iel/internal/domain"
	"iel/internal/mail"
)

// The benchmarks of the store's training work where the server works
// hard: the bilan over 10,000 registrations and acceptances racing for
// one session. Data is seeded once per benchmark through the store;
// figures are in docs/performance.md.

// BenchmarkBilan measures Bilan over 10,000 registrations: 10 CTs of 100
// agents, each agent registered to 10 sessions over two years, a tenth
// of them accepted. "staff" counts every CT, "ct" one CT (1,000 of the
// 10,000), as the CT's own "Bilan formation" does.
func BenchmarkBilan(b *testing.B) {
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			s, _ := openTest(b, e.dsn(b))
			var sessions []domain.Session
			for i := range 10 {
				typ := domain.Inter
				if i%2 == 1 {
					typ = domain.Integration
				}
				sessions = append(sessions, mustCreateSession(b, s, sessionAt(fmt.Sprintf("BIL-%02d", i), typ, 10+60*i, domain.MaxCapacity)))
			}
			var cts []regCT
			for c := range 10 {
				rc := newRegCT(b, s, fmt.Sprintf("Commune %02d", c), 100)
				cts = append(cts, rc)
				for _, sess := range sessions {
					regs := mustRegister(b, s, rc.fixture, sess.ID, rc.agents...)
					for _, r := range regs[:10] {
						if _, err := s.AcceptRegistration(staffCtx(), r.ID, testLetters{}); err != nil {
							b.Fatal(err)
						}
					}
				}
			}
			if n := count(b, s, "registrations"); n != 10_000 {
				b.Fatalf("%d registrations seeded, want 10,000", n)
			}
			for _, f := range []struct {
				name string
				f    BilanFilter
			}{
				{"staff", BilanFilter{}},
				{"staff-year", BilanFilter{Year: 2025}},
				{"ct", BilanFilter{CT: cts[4].ct.ID}},
				{"ct-year", BilanFilter{CT: cts[4].ct.ID, Year: 2025}},
			} {
				b.Run(f.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						rows, err := s.Bilan(testCtx(), f.f)
						if err != nil || len(rows) == 0 {
							b.Fatalf("Bilan: %d rows, %v", len(rows), err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkAcceptRegistration measures "Accepter" by 8 staff at once
// (SetParallelism on 2 cores), all on one session: each acceptance locks
// the session, checks its capacity, composes the real convocation (PDF
// and .ics) for the CT's recipients and the agent, queues it and writes
// the journal, in one transaction. The registrations to accept are sent
// before the timer starts, b.N of them, over sessions of MaxCapacity.
func BenchmarkAcceptRegistration(b *testing.B) {
	letters, err := mail.NewLetters("http://portal.test")
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			s, _ := openTest(b, e.dsn(b))
			rc := newRegCT(b, s, "Commune de Cholet", 500)
			sessions := 0
			b.ReportAllocs()
			b.SetParallelism(4)
			var ids []int64
			for len(ids) < b.N {
				sessions++
				sess := mustCreateSession(b, s, sessionAt(fmt.Sprintf("ACC-%04d", sessions), domain.Inter, 20, domain.MaxCapacity))
				for _, r := range mustRegister(b, s, rc.fixture, sess.ID, rc.agents[:min(len(rc.agents), b.N-len(ids))]...) {
					ids = append(ids, r.ID)
				}
			}
			var next atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					id := ids[next.Add(1)-1]
					if _, err := s.AcceptRegistration(staffCtx(), id, letters); err != nil {
						b.Errorf("AcceptRegistration(%d): %v", id, err)
						return
					}
				}
			})
		})
	}
}
