package store

import (
	"errors"
	"testing"

	"iel/internal/domain"
)

// TestGetCollectivityAccounts: a collectivity is found by its name as
// names are kept unique, with its accounts only, oldest first.
func TestGetCollectivityAccounts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		cholet, manager, err := s.CreateCollectivity(ctx, NewCollectivity{Name: "Commune de Cholet", Email: "rh@cholet.fr"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.CreateCollectivity(ctx, NewCollectivity{Name: "Commune de Saumur", Email: "rh@saumur.fr"}, nil); err != nil {
			t.Fatal(err)
		}
		ct, accounts, err := s.GetCollectivityAccounts(ctx, "  commune DE   cholet ")
		if err != nil {
			t.Fatal(err)
		}
		if ct != cholet {
			t.Errorf("collectivity %+v, want %+v", ct, cholet)
		}
		if len(accounts) != 1 || accounts[0].ID != manager.ID || accounts[0].Role != domain.RoleManager || accounts[0].Login != manager.Login {
			t.Errorf("accounts %+v, want the manager %s alone", accounts, manager.Login)
		}
		if _, _, err := s.GetCollectivityAccounts(ctx, "Commune d'Angers"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown collectivity: %v, want ErrNotFound", err)
		}
	})
}
