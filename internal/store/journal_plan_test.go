package store

import (
	"strings"
	"testing"

	"iel/internal/domain"
)

// TestJournalPageSeeksItsCursor checks, on SQLite, that a page of the
// journal older than a cursor is found by seeking (collectivity_id, id)
// in the index (with account_id between them when one account's entries
// are asked), whatever the filters: with "id < $2 OR $2 = 0", SQLite
// read every newer entry of the CT first, and a page deep in a journal of
// 10,000 entries cost 3.5× the newest (BenchmarkJournalPage).
func TestJournalPageSeeksItsCursor(t *testing.T) {
	s, _ := openTest(t, sqliteTestDSN(t))
	for _, f := range []JournalFilter{{}, {AccountID: 3}, {Kind: domain.JournalRegistration}, {AccountID: 3, Kind: domain.JournalRegistration}} {
		q, args := journalQuery(7, f, 9000, 51)
		rows, err := s.db.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		got := strings.Join(plan, "; ")
		// One account's entries seek (collectivity_id, account_id, id).
		want := "USING INDEX journal_collectivity (collectivity_id=? AND id<?)"
		if f.AccountID != 0 {
			want = "USING INDEX journal_collectivity_account (collectivity_id=? AND account_id=? AND id<?)"
		}
		if !strings.Contains(got, want) {
			t.Errorf("filter %+v: plan %q does not seek the cursor: want %q", f, got, want)
		}
	}
}
