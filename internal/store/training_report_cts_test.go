package store

import (
	"testing"

	"iel/internal/domain"
)

func TestListBilanCollectivities(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		saumur := newRegCT(t, s, "Commune de Saumur", 1)
		newRegCT(t, s, "Commune d'Angers", 1) // registers nobody
		cholet := newRegCT(t, s, "Commune de Cholet", 1)
		sess := mustCreateSession(t, s, sessionAt("BIL", domain.Inter, 10, 10))
		mustRegister(t, s, saumur.fixture, sess.ID, saumur.agents...)
		regs := mustRegister(t, s, cholet.fixture, sess.ID, cholet.agents...)
		// A cancelled registration still counts in the bilan (an inscription).
		ok(t)(s.CancelRegistration(ctCtx(cholet.acc), cholet.ct.ID, regs[0].ID, testLetters{}))
		got, err := s.ListBilanCollectivities(testCtx())
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, ct := range got {
			names = append(names, ct.Name)
		}
		if len(names) != 2 || names[0] != "Commune de Cholet" || names[1] != "Commune de Saumur" || got[0].ID != cholet.ct.ID {
			t.Errorf("collectivities = %v", names)
		}
	})
}
