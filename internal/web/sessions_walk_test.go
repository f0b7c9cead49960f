package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// walkSessions adds to the walk the sessions of the back-office: the list
// empty and busy, "Publier une session" refused and accepted, "Modifier",
// a session's page with registrations of two CTs to decide, a refused
// decision, "Refuser" and its motif, the waiting list, "Annuler la
// session", the CSV import refused, previewed and confirmed, and
// "Espace CNFPT" with sessions to decide.
func walkSessions(t *testing.T, w *pageWalk) {
	t.Helper()
	ts := w.watch(newTestServer(t))
	c := ts.staff(t).Client
	w.add("sessions-empty", 200, ts.get(t, c, "/cnfpt/sessions"))
	w.add("session-new", 200, ts.get(t, c, "/cnfpt/sessions/nouvelle"))
	w.add("session-new-refused", 422, ts.postForm(t, c, "/cnfpt/sessions", sessionValues(map[string]string{
		"code": "", "type_formation": "", "date_fin": "13/03/2030", "capacite": "0", "date_limite": "31/02/2030"})))
	r := ts.postForm(t, c, "/cnfpt/sessions", sessionValues(nil))
	wantRedirectUnder(t, r, "/cnfpt/sessions/")
	page := r.Location
	w.add("session-published", 200, ts.get(t, c, page))
	w.add("session-edit", 200, ts.get(t, c, page+"/modifier"))
	other := ts.seedStaffSession(t, "INTER-2030-002", 10, day(2030, 6, 10))
	w.add("session-edit-refused", 409, ts.postForm(t, c, page+"/modifier", sessionValues(map[string]string{"code": "INTER-2030-002"})))
	w.add("sessions", 200, ts.get(t, c, "/cnfpt/sessions"))
	w.add("sessions-search-refused", 422, ts.get(t, c, "/cnfpt/sessions?du=demain"))
	w.add("sessions-search-none", 200, ts.get(t, c, "/cnfpt/sessions?mots=zorglub"))

	a, b := ts.seedCT(t), ts.seedCT(t)
	regs := ts.registerAgents(t, a.CT.ID, other.ID, ts.seedAgent(t, a.CT.ID, "Martin", "Léa", 1), ts.seedAgent(t, a.CT.ID, "Petit", "Hugo", 2))
	rb := ts.registerAgents(t, b.CT.ID, other.ID, ts.seedAgent(t, b.CT.ID, "Roux", "Inès", 3))[0]
	w.add("staff-home-sessions", 200, ts.get(t, c, "/cnfpt"))
	sp := sessPath(other.ID)
	w.add("session-to-decide", 200, ts.get(t, c, sp))
	wantStatus(t, ts.postForm(t, c, regPath(regs[0].ID, "accepter"), url.Values{}), http.StatusSeeOther, sp)
	wantStatus(t, ts.postForm(t, c, regPath(regs[1].ID, "attente"), url.Values{}), http.StatusSeeOther, sp)
	w.add("session-decided", 200, ts.get(t, c, sp))
	w.add("session-decision-refused", 409, ts.postForm(t, c, regPath(regs[0].ID, "present"), url.Values{}))
	w.add("registration-refuse", 200, ts.get(t, c, regPath(rb.ID, "refuser")))
	w.add("registration-refuse-refused", 422, ts.postForm(t, c, regPath(rb.ID, "refuser"), url.Values{"motif": {""}}))
	wantStatus(t, ts.postForm(t, c, regPath(rb.ID, "refuser"), url.Values{"motif": {"Session réservée aux agents de catégorie C."}}), http.StatusSeeOther, sp)
	w.add("session-cancel", 200, ts.get(t, c, sp+"/annuler"))
	w.add("session-cancel-refused", 422, ts.postForm(t, c, sp+"/annuler", url.Values{"motif": {" "}}))
	wantStatus(t, ts.postForm(t, c, sp+"/annuler", url.Values{"motif": {"Formateur indisponible."}}), http.StatusSeeOther, sp)
	w.add("session-cancelled", 200, ts.get(t, c, sp))

	w.add("session-import", 200, ts.get(t, c, "/cnfpt/sessions/import"))
	w.add("session-import-refused", 422, ts.postFile(t, c, "/cnfpt/sessions/import", "sessions.csv", sessionsFile(
		"IMP-2;Accueil des nouveaux agents;Formation inter;01/04/2030;01/04/2030;9 h – 12 h;Nantes;beaucoup;15/03/2030;Tous")))
	r = ts.postFile(t, c, "/cnfpt/sessions/import", "sessions.csv", sessionsFile(
		"INT-2030-001;Intégration des agents de catégorie C;Formation d'intégration;14/03/2030;15/03/2030;9 h 00 – 17 h 00;Mairie de Cholet;2;28/02/2030;Agents stagiaires de catégorie C",
		"IMP-2;Accueil des nouveaux agents;Formation inter;01/04/2030;01/04/2030;9 h – 12 h;Nantes;12;15/03/2030;Tous"))
	wantRedirectUnder(t, r, "/cnfpt/sessions/import/")
	preview := r.Location
	w.add("session-import-preview", 200, ts.get(t, c, preview))
	wantStatus(t, ts.postForm(t, c, preview, url.Values{}), http.StatusSeeOther, "/cnfpt/sessions")
	w.add("sessions-imported", 200, ts.get(t, c, "/cnfpt/sessions"))
	w.add("session-import-confirmed", 200, ts.get(t, c, preview))
}
