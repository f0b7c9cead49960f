package web_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
	"iel/internal/store"
)

// The agents' part of the authorization table: every account of a CT
// acts on its CT's agents; the import is its account's own.

// ourAgent: an action on an agent of the first CT, open to its principal
// and operator; the others do not find it.
func ourAgent(e expect) map[string]expect {
	return byRole(toLogin, e, e, notFound, notFound)
}

// principalsImport: the first CT's principal's import, which nobody else finds.
func principalsImport(e expect) map[string]expect {
	return byRole(toLogin, notFound, e, notFound, notFound)
}

// noAgents deletes the agents of every CT of the world, so that a form
// that creates or renames an agent is no duplicate of an earlier one.
func noAgents(t *testing.T, w *authzWorld) {
	t.Helper()
	ctx := cliCtx()
	for _, ct := range []int64{w.a.CT.ID, w.b.CT.ID, w.manager.CT.ID} {
		for _, a := range w.ts.agentsOf(t, ct) {
			if err := w.ts.Store.DeleteAgent(ctx, ct, a.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// agentTargets puts in path a fresh agent of the first CT for {agent}, and
// a fresh import of its principal for {import}. The check it returns
// fails the test when a visitor who may not act on them changed them.
func (w *authzWorld) agentTargets(t *testing.T, path string) (string, func(t *testing.T, who string)) {
	t.Helper()
	ctx := cliCtx()
	ct := w.a.CT.ID
	if strings.Contains(path, "{agent}") {
		w.agents++
		a := w.ts.seedAgent(t, ct, "Cible", fmt.Sprintf("Agent %d", w.agents), w.agents)
		return strings.ReplaceAll(path, "{agent}", fmt.Sprint(a.ID)), func(t *testing.T, who string) {
			if who == asPrincipal || who == asOperator {
				return
			}
			after, err := w.ts.Store.GetAgent(ctx, ct, a.ID)
			if err != nil {
				t.Errorf("%s: the agent of another CT: %v", who, err)
			} else if diff := cmp.Diff(a.Agent, after.Agent); diff != "" {
				t.Errorf("%s changed the agent of another CT (-before +after):\n%s", who, diff)
			}
		}
	}
	if strings.Contains(path, "{import}") {
		w.agents++
		id, err := w.ts.Store.CreateAgentImport(ctx, ct, w.a.Principal.ID, store.NewAgentImport{FileName: "agents.csv", Encoding: "UTF-8",
			Agents: []domain.Agent{{Civility: domain.Madame, LastName: "Importée", FirstName: fmt.Sprintf("Ida %d", w.agents),
				BirthDate: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), Category: domain.CategoryA, Status: domain.Stagiaire, Grade: "Attaché",
				AppointedOn: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}})
		if err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(path, "{import}", id), func(t *testing.T, who string) {
			if who == asPrincipal {
				return
			}
			imp, _, err := w.ts.Store.GetAgentImport(ctx, ct, w.a.Principal.ID, id)
			if err != nil || !imp.AppliedAt.IsZero() {
				t.Errorf("%s: the principal's import: %v, applied at %v", who, err, imp.AppliedAt)
			}
		}
	}
	return path, func(*testing.T, string) {}
}
