package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"iel/internal/domain"
)

// TestStaffReadsCTAgents: staff read a CT's agents as its « Agents » list
// shows them, searched and paged, without any action, and never the
// agents of another CT.
func TestStaffReadsCTAgents(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.staff(t).Client
	ct, other := ts.seedCT(t), ts.seedCT(t)
	for i := range 52 {
		ts.seedAgent(t, ct.CT.ID, fmt.Sprintf("Agent%02d", i), "Paul", i)
	}
	ts.seedAgent(t, ct.CT.ID, "Lefèvre", "Aurélie", 60)
	ts.seedAgent(t, other.CT.ID, "Intrus", "Octave", 61)
	base := fmt.Sprintf("/cnfpt/collectivites/%d", ct.CT.ID)

	r := ts.get(t, c, base)
	wantMarkup(t, r, `href="`+base+`/agents"`, `href="`+base+`/inscriptions"`)

	r = ts.get(t, c, base+"/agents")
	wantStatus(t, r, http.StatusOK, "")
	wantVisible(t, r, "Rechercher un agent", "53 agents", "Nom", "Prénom", "Catégorie", "Statut", "Grade", "Agent00", "Retour à la collectivité")
	wantMarkup(t, r, `href="`+base+`"`, `action="`+base+`/agents"`, `href="`+base+`/agents?apres=`)
	wantNoText(t, r, "Intrus", "Ajouter un agent", "Importer des agents", "Exporter (CSV)", "Modifier", "Supprimer")
	wantNoMarkup(t, r, `href="/agents`)

	r = ts.get(t, c, base+"/agents?q=lefevre")
	wantVisible(t, r, "1 agent", "Lefèvre", "Aurélie")
	wantNoText(t, r, "Agent00")

	// The other CT's page lists its own agent, and only it.
	r = ts.get(t, c, fmt.Sprintf("/cnfpt/collectivites/%d/agents", other.CT.ID))
	wantVisible(t, r, "1 agent", "Intrus")
	wantNoText(t, r, "Lefèvre", "Agent00")

	wantStatus(t, ts.get(t, c, "/cnfpt/collectivites/999999/agents"), http.StatusNotFound, "")
	wantStatus(t, ts.get(t, c, "/cnfpt/collectivites/x/agents"), http.StatusNotFound, "")
}

// TestStaffReadsCTRegistrations: staff read a CT's registrations as its
// « Mes inscriptions » shows them, each row linking the session's page
// of the back-office, without cancel nor export, and never another CT's.
func TestStaffReadsCTRegistrations(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.staff(t).Client
	ct, other := ts.seedCT(t), ts.seedCT(t)
	mine := ts.seedAgent(t, ct.CT.ID, "Lefèvre", "Aurélie", 1)
	theirs := ts.seedAgent(t, other.CT.ID, "Intrus", "Octave", 2)
	sess := ts.seedSession(t, "INTER-01", "Accueillir le public", domain.Inter, sessionDay, 12)
	other2 := ts.seedSession(t, "INTER-02", "Gérer son temps", domain.Inter, sessionDay, 12)
	ts.register(t, ct.CT.ID, sess, mine.ID)
	ts.register(t, other.CT.ID, other2, theirs.ID)
	base := fmt.Sprintf("/cnfpt/collectivites/%d", ct.CT.ID)

	r := ts.get(t, c, base+"/inscriptions")
	wantStatus(t, r, http.StatusOK, "")
	wantVisible(t, r, "Inscriptions", "Aurélie Lefèvre", "INTER-01", "Accueillir le public", "transmise", "Voir la session", "Retour à la collectivité")
	wantMarkup(t, r, fmt.Sprintf(`href="/cnfpt/sessions/%d"`, sess.ID), `action="`+base+`/inscriptions"`)
	wantNoText(t, r, "Intrus", "INTER-02", "Annuler", "Exporter (CSV)", "Mes inscriptions")
	wantNoMarkup(t, r, `href="/formations/inscriptions`)

	// The same filters as « Mes inscriptions ».
	r = ts.get(t, c, base+"/inscriptions?etat=accepted")
	wantVisible(t, r, "Aucune inscription ne correspond à ces filtres.")
	wantStatus(t, ts.get(t, c, base+"/inscriptions?etat=zorglub"), http.StatusUnprocessableEntity, "")

	r = ts.get(t, c, fmt.Sprintf("/cnfpt/collectivites/%d/inscriptions", other.CT.ID))
	wantVisible(t, r, "Octave Intrus", "INTER-02")
	wantNoText(t, r, "Lefèvre", "INTER-01")

	wantStatus(t, ts.get(t, c, "/cnfpt/collectivites/999999/inscriptions"), http.StatusNotFound, "")
}
