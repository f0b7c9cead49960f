package main

import (
	"io"
	"path/filepath"
	"testing"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
)

// TestDemoCTData: the demo's three CTs have their "PARAMÈTRES", each with
// a SIRET whose key holds, and Cholet and Maine-et-Loire their correspondants.
func TestDemoCTData(t *testing.T) {
	t.Parallel()
	st := openStore(t, filepath.Join(t.TempDir(), "iel.db"))
	letters, err := mail.NewLetters("http://127.0.0.1:8080")
	if err != nil {
		t.Fatal(err)
	}
	hasher := auth.NewHasher(auth.Params{Memory: 1024, Time: 1, Threads: 1}, 0)
	if err := seedDemo(t.Context(), st, hasher, letters, io.Discard); err != nil {
		t.Fatalf("seedDemo: %v", err)
	}
	for _, tt := range []struct {
		name     string
		contacts int
	}{
		{"Commune de Cholet", 2},
		{"Département de Maine-et-Loire", 3},
		{"Commune de la Roche-sur-Yon", 0},
	} {
		ct, err := st.GetCollectivityByName(t.Context(), tt.name)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		cs, err := st.GetCollectivitySettings(t.Context(), ct.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := domain.NormalizeSIRET(cs.SIRET); !ok || cs.Kind == "" || cs.City == "" || cs.Headcount == nil {
			t.Errorf("%s: paramètres %+v", tt.name, cs)
		}
		if n, err := st.CountTrainingContacts(t.Context(), ct.ID); err != nil || n != tt.contacts {
			t.Errorf("%s: %d correspondants, %v; want %d", tt.name, n, err, tt.contacts)
		}
	}
}
