package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"iel/internal/domain"
	"iel/internal/store"
)

// The benchmarks of the pages where a user waits on trainings: each seeds
// its data once, through the store, then measures GET requests through
// the whole middleware chain (session lookup, CSRF, queries, rendering).
// Figures and ratios are in docs/performance.md.

// seedAgents creates n agents of the CT ctID, each with a distinct name.
func (ts *testServer) seedAgents(tb testing.TB, ctID int64, n int) []int64 {
	tb.Helper()
	ids := make([]int64, n)
	for i := range n {
		ids[i] = ts.stagiaire(tb, ctID, fmt.Sprintf("Agent%04d", i), "Léa", sessionDay.AddDate(-1, 0, 0)).ID
	}
	return ids
}

// seedRegistrations publishes sessions sessions of capacity places, from
// sessionDay a day apart, and registers every agent to each, through the
// store: len(agents) × sessions registrations, as many journal entries.
func (ts *testServer) seedRegistrations(tb testing.TB, ctID int64, agents []int64, sessions, capacity int) []domain.Session {
	tb.Helper()
	out := make([]domain.Session, sessions)
	for i := range sessions {
		out[i] = ts.seedSession(tb, fmt.Sprintf("B-%04d", i), fmt.Sprintf("Accueil du public %04d", i), domain.Inter, sessionDay.AddDate(0, 0, i), capacity)
		ts.register(tb, ctID, out[i], agents...)
	}
	return out
}

// getOK measures GET path by c, which must answer 200 with want in its body.
func (ts *testServer) getOK(b *testing.B, c *http.Client, path, want string) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		r := ts.get(b, c, path)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, want) {
			b.Fatalf("GET %s: %v, want 200 with %q", path, r, want)
		}
	}
}

// BenchmarkCatalogueSearch measures "Formations": a search by type whose
// first page holds 50 sessions (of 60), with its link to the next page.
func BenchmarkCatalogueSearch(b *testing.B) {
	ts := newTestServer(b)
	c := ts.loggedIn(b, ts.seedCT(b))
	for i := range store.SessionPageSize + 10 {
		ts.seedSession(b, fmt.Sprintf("P-%03d", i), fmt.Sprintf("Session %03d", i), domain.Inter, sessionDay.AddDate(0, 0, i), 20)
	}
	ts.getOK(b, c, "/formations?type=inter", "P-049")
}

// BenchmarkRegistrations measures "Mes inscriptions" of a CT holding 3,000
// registrations (100 agents, 30 sessions): its first page of 50 rows, a
// page further on (keyset paging), and the CSV export of all 3,000.
func BenchmarkRegistrations(b *testing.B) {
	ts := newTestServer(b)
	s := ts.seedCT(b)
	c := ts.loggedIn(b, s)
	ts.seedRegistrations(b, s.CT.ID, ts.seedAgents(b, s.CT.ID, 100), 30, 100)
	page, err := ts.Store.ListRegistrations(cliCtx(), s.CT.ID, store.RegistrationFilter{Limit: 2500})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("page=first", func(b *testing.B) { ts.getOK(b, c, "/formations/inscriptions", "Page suivante") })
	b.Run("page=51st", func(b *testing.B) {
		ts.getOK(b, c, "/formations/inscriptions?apres="+page.Next.String(), "Première page")
	})
	b.Run("export=3000", func(b *testing.B) {
		ts.getOK(b, c, "/formations/inscriptions/export", "Agent0099")
	})
}

// BenchmarkJournalPage measures a CT's journal, newest page and a page
// deep in the past, at 100 and at 10,000 entries: keyset paging keeps
// the cost of a page apart from the journal's length. Staff read it at
// /cnfpt/collectivites/{id}/journal, the principal at /compte/journal:
// one handler, serveJournal.
func BenchmarkJournalPage(b *testing.B) {
	for _, n := range []struct{ agents, sessions int }{{10, 9}, {100, 100}} {
		ts := newTestServer(b)
		s := ts.seedCT(b)
		ts.seedRegistrations(b, s.CT.ID, ts.seedAgents(b, s.CT.ID, n.agents), n.sessions, n.agents)
		staff := ts.staff(b)
		all, err := ts.Store.ListJournal(cliCtx(), s.CT.ID, store.JournalFilter{}, 0, 100_000)
		if err != nil {
			b.Fatal(err)
		}
		path := fmt.Sprintf("/cnfpt/collectivites/%d/journal", s.CT.ID)
		entries := len(all.Entries)
		deep := all.Entries[entries-60].ID // a page of 50 older entries remains
		b.Run(fmt.Sprintf("entries=%d/newest", entries), func(b *testing.B) { ts.getOK(b, staff.Client, path, "a inscrit") })
		b.Run(fmt.Sprintf("entries=%d/oldest", entries), func(b *testing.B) {
			ts.getOK(b, staff.Client, fmt.Sprintf("%s?avant=%d", path, deep), "Agent00")
		})
	}
}

// BenchmarkStaffSessionPage measures a session's page for staff with 200
// registrations (two CTs of 100 agents), every row with its actions.
func BenchmarkStaffSessionPage(b *testing.B) {
	ts := newTestServer(b)
	staff := ts.staff(b)
	sess := ts.seedSession(b, "S-200", "Accueil du public", domain.Inter, sessionDay, 150)
	for range 2 {
		s := ts.seedCT(b)
		ts.register(b, s.CT.ID, sess, ts.seedAgents(b, s.CT.ID, 100)...)
	}
	ts.getOK(b, staff.Client, sessPath(sess.ID), "Agent0099")
}

// BenchmarkConvocationDownload measures GET of a convocation: the
// registration's queries and the PDF made anew on each request.
func BenchmarkConvocationDownload(b *testing.B) {
	ts := newTestServer(b)
	s := ts.seedCT(b)
	c := ts.loggedIn(b, s)
	a := ts.stagiaire(b, s.CT.ID, "Martin", "Léa", sessionDay.AddDate(-1, 0, 0))
	sess := ts.seedSession(b, "C-001", "Accueil du public", domain.Inter, sessionDay, 10)
	reg := ts.register(b, s.CT.ID, sess, a.ID)[0]
	ts.accept(b, reg.ID)
	ts.getOK(b, c, registrationPath(reg.ID)+"/convocation", "%PDF")
}
