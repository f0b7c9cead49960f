package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/agentcsv"
	"iel/internal/domain"
	"iel/internal/store"
)

// TestDemoAgents: the demo's agents are the same at every run, enough to
// page, valid by the rules of the form and of the CSV import, a few of
// them gone.
func TestDemoAgents(t *testing.T) {
	t.Parallel()
	ctx := store.WithActor(context.Background(), domain.CommandLine)
	var lists [2][]domain.Agent
	for run := range lists {
		st, err := store.Open(ctx, filepath.Join(t.TempDir(), "iel.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		ct, _, err := st.CreateCollectivity(ctx, store.NewCollectivity{Name: "Département de Maine-et-Loire", Email: "formation@maine-et-loire.example.fr"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := seedDemoAgents(ctx, st, ct); err != nil {
			t.Fatal(err)
		}
		all, err := st.ListAllAgents(ctx, ct.ID, store.AgentFilter{WithLeft: true})
		if err != nil {
			t.Fatal(err)
		}
		left := 0
		for _, a := range all {
			if a.Left() {
				left++
				a.Grade += " (parti)" // two runs compare who left, not when
			}
			a.ID, a.LeftAt = 0, time.Time{}
			lists[run] = append(lists[run], a.Agent)
		}
		if len(all) != demoAgents || left != len(demoAgentsLeft) {
			t.Fatalf("%d agents, %d gone; want %d, %d", len(all), left, demoAgents, len(demoAgentsLeft))
		}
		if n, _ := st.CountAgents(ctx, ct.ID); n <= 3*50 {
			t.Errorf("%d agents in the list: fewer than four pages", n)
		}
	}
	if diff := cmp.Diff(lists[0], lists[1]); diff != "" {
		t.Errorf("two runs of the demo differ (-first +second):\n%s", diff)
	}
	// Their export reads back under the import's rules, as of today.
	var b bytes.Buffer
	if err := agentcsv.Write(&b, lists[0]); err != nil { // "(parti)" is a grade like any other
		t.Fatal(err)
	}
	if res := agentcsv.Parse(b.Bytes(), domain.Day(time.Now())); !res.OK() || len(res.Agents) != demoAgents {
		t.Errorf("the demo's agents do not pass the import's rules: %v", res.Problems)
	}
	statuses := map[domain.AgentStatus]int{}
	for _, a := range lists[0] {
		statuses[a.Status]++
	}
	if statuses[domain.Titulaire] == 0 || statuses[domain.Stagiaire] == 0 || statuses[domain.Contractuel] == 0 {
		t.Errorf("statuses %v: want every one", statuses)
	}
}
