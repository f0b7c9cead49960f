package main

import (
	"io"
	"path/filepath"
	"slices"
	"testing"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// TestDemoJournal: the demo's journal tells its story, each change by
// the person the demo simulates, as the portal would have recorded it.
func TestDemoJournal(t *testing.T) {
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
	ct, err := st.GetCollectivityByName(t.Context(), demoMaine)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.ListJournal(t.Context(), ct.ID, store.JournalFilter{}, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var story []string
	for _, e := range slices.Backward(p.Entries) {
		if e.Kind != domain.JournalAgent {
			story = append(story, e.Actor.Label()+" "+e.What)
		}
	}
	want := []string{
		"ligne de commande a créé la collectivité « Département de Maine-et-Loire » et son compte gestionnaire CT",
		"Paul Martin (gestionnaire CT) a désigné Nathalie Moreau comme gestionnaire principal CT",
		"Nathalie Moreau (gestionnaire principal CT) a accepté d'être gestionnaire principal CT ; le compte gestionnaire CT de Paul Martin est fermé",
		"Nathalie Moreau (gestionnaire principal CT) a choisi son mot de passe avec le lien reçu par courriel",
		"Nathalie Moreau (gestionnaire principal CT) a créé l'opérateur Sophie Énard",
		"Sophie Énard (opérateur) a accepté son compte opérateur",
		"Sophie Énard (opérateur) a choisi son mot de passe avec le lien reçu par courriel",
		"Nathalie Moreau (gestionnaire principal CT) a créé l'opérateur Marc Leroy",
		"Nathalie Moreau (gestionnaire principal CT) a créé l'opérateur Julie Bernard",
		"Julie Bernard (opérateur) a refusé son compte opérateur",
		"Nathalie Moreau (gestionnaire principal CT) a modifié les paramètres de la collectivité",
		"Nathalie Moreau (gestionnaire principal CT) a ajouté le correspondant formation",
	}
	if len(story) < len(want) {
		t.Fatalf("journal of %s:\n%q", demoMaine, story)
	}
	for i, w := range want {
		if len(story[i]) < len(w) || story[i][:len(w)] != w {
			t.Errorf("entry %d = %q, want it to start with %q", i, story[i], w)
		}
	}
	agents, err := st.ListJournal(t.Context(), ct.ID, store.JournalFilter{Kind: domain.JournalAgent}, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	if len(agents.Entries) < 50 {
		t.Errorf("%d agent entries: the journal does not page", len(agents.Entries))
	}
	for _, e := range append(p.Entries, agents.Entries...) {
		if !e.Actor.IsCommandLine() && e.Actor.Addr != demoAddr {
			t.Errorf("entry %q from %q", e.What, e.Actor.Addr)
		}
	}
}
