package web_test

import (
	"fmt"
	"html"
	"net/http"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// walkAgents adds to the walk the pages of the CT's agents: the list
// (empty, filled, searched, a second page), the form, the deletion, and
// the import's steps.
func walkAgents(t *testing.T, w *pageWalk) {
	t.Helper()
	ts := w.watch(newTestServer(t))
	s := ts.seedCT(t)
	w.name(s.Account.Login, "Claire Durand")
	c := ts.loggedIn(t, s)

	w.add("agents-empty", 200, ts.get(t, c, "/agents"))
	w.add("agent-new", 200, ts.get(t, c, "/agents/nouveau"))
	w.add("agent-new-refused", 422, ts.postForm(t, c, "/agents", agentValues(map[string]string{
		"civilite": "", "nom": "Durand", "date_naissance": "1980/05/17", "courriel": "h.durand@", "categorie": "", "statut": "stagiaire", "grade": "",
		"date_nomination": "31/02/2005"})))
	wantStatus(t, ts.postForm(t, c, "/agents", agentValues(nil)), http.StatusSeeOther, "/agents")
	ts.seedAgent(t, s.CT.ID, "Émond", "Zoé", 1)
	gone := ts.seedAgent(t, s.CT.ID, "Lefèvre", "Jean-Pierre", 2)
	wantStatus(t, ts.postForm(t, c, agentPath(gone.ID)+"/depart", nil), http.StatusSeeOther, "/agents")
	w.add("agents", 200, ts.get(t, c, "/agents"))
	w.add("agents-with-left", 200, ts.get(t, c, "/agents?anciens=1"))
	w.add("agents-search-none", 200, ts.get(t, c, "/agents?q=zorglub"))
	durand := ts.agentsOf(t, s.CT.ID)[0]
	w.add("agent-edit", 200, ts.get(t, c, agentPath(durand.ID)))
	w.add("agent-edit-left", 200, ts.get(t, c, agentPath(gone.ID)))
	w.add("agent-edit-conflict", 409, ts.postForm(t, c, "/agents", agentValues(map[string]string{"nom": "DURAND"})))
	w.add("agent-delete", 200, ts.get(t, c, agentPath(durand.ID)+"/supprimer"))

	w.add("agent-import", 200, ts.get(t, c, "/agents/import"))
	w.add("agent-import-refused", 422, ts.postFile(t, c, "/agents/import", "agents.csv", []byte(
		"Civilité;Nom;Prénom;Date de naissance;Courriel;Catégorie;Statut;Grade;Date de nomination\r\n"+
			"Mme;Lefèvre;Léa;17/05/1980;;B;Titulaire;Rédacteur;01/09/2005\r\n"+
			"Dr;Petit;Inès;1980-13-01;;B;vacataire;Rédacteur;01/09/2005\r\n"+
			"Mme;LEFEVRE;Lea;17/05/1980;;B;Titulaire;Rédacteur;01/09/2005\r\n")))
	w.add("agent-import-header-refused", 422, ts.postFile(t, c, "/agents/import", "agents.csv", []byte(
		"Civilité;Nom;Prénom;Date de naissance;Courriel;Catégorie;Statut;Date de nomination;Service\r\n")))
	w.add("agent-import-too-big", 413, ts.postFile(t, c, "/agents/import", "agents.csv", make([]byte, 3<<20)))
	file, err := charmap.Windows1252.NewEncoder().String(importFile() + "M.;Émond;Zoé;02/02/1961;;C;Titulaire;Adjoint technique principal de 2e classe;01/01/2020\r\n")
	if err != nil {
		t.Fatal(err)
	}
	r := ts.postFile(t, c, "/agents/import", "agents.csv", []byte(file))
	wantStatus(t, r, http.StatusSeeOther, "-")
	preview := r.Location
	w.add("agent-import-preview", 200, ts.get(t, c, preview))
	wantStatus(t, ts.postForm(t, c, preview, nil), http.StatusSeeOther, "/agents")
	w.add("agents-imported", 200, ts.get(t, c, "/agents"))
	w.add("agent-import-confirmed", 200, ts.get(t, c, preview))
	w.add("agent-import-again", 410, ts.postForm(t, c, preview, nil))
	r = ts.get(t, c, "/agents/export")
	wantStatus(t, ts.postFile(t, c, "/agents/import", "export.csv", []byte(r.Body)), http.StatusSeeOther, "-")
	w.add("agent-import-nothing", 200, ts.get(t, c, ts.postFile(t, c, "/agents/import", "export.csv", []byte(r.Body)).Location))

	// A second page.
	for i := range 50 {
		ts.seedAgent(t, s.CT.ID, "Zola", fmt.Sprintf("Agent %02d", i), i)
	}
	r = ts.get(t, c, "/agents")
	next := nextLink.FindStringSubmatch(r.Body)
	if next == nil {
		t.Fatalf("no second page:\n%s", excerpt(r.Text))
	}
	w.add("agents-page-2", 200, ts.get(t, c, html.UnescapeString(next[1])))
}

func agentPath(id int64) string { return fmt.Sprintf("/agents/%d", id) }
