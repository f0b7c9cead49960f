package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"iel/internal/domain"
	"iel/internal/store"
)

// walkStaff adds to the walk the pages of the CNFPT's back-office:
// "Espace CNFPT" empty and busy, the search, the creation of a CT, a CT's
// page, its renaming, the change of principal staff start.
func walkStaff(t *testing.T, w *pageWalk) {
	t.Helper()
	ts := w.watch(newTestServer(t))
	c := ts.staff(t).Client
	w.add("staff-home-empty", 200, ts.get(t, c, "/cnfpt"))
	w.add("staff-collectivities-empty", 200, ts.get(t, c, "/cnfpt/collectivites"))
	w.add("staff-collectivity-new", 200, ts.get(t, c, "/cnfpt/collectivites/nouvelle"))
	w.add("staff-collectivity-new-refused", 422, ts.postForm(t, c, "/cnfpt/collectivites", url.Values{"nom_collectivite": {" "}, "courriel": {"rh@saumur"}}))
	r := ts.postForm(t, c, "/cnfpt/collectivites", url.Values{"nom_collectivite": {"Commune de Saumur"}, "courriel": {"rh@saumur.example.fr"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create a CT: %v", r)
	}
	w.name(loginIn(t, ts.newestMail(t, subjectCodesMail, "rh@saumur.example.fr")), "gestionnaire de Saumur")
	w.add("staff-collectivity-created", 200, ts.get(t, c, r.Location))

	p := ts.principalCT(t)
	w.name(p.Account.Login, "Claire Durand")
	w.name(p.Login, "Paul Martin")
	op := ts.operator(t, p, operatorFiche, "oui", "oui")
	w.name(op.Login, "Sophie Bernard")
	ts.seedOperators(t, p, domain.Fiche{Civility: domain.Monsieur, LastName: "Invité", FirstName: "Ivan", Function: "Agent",
		Email: "ivan.invite@cholet.example.fr", Phone: "0241000055"})
	if _, err := ts.Store.CreateTrainingContact(store.WithActor(context.Background(), domain.CommandLine), p.CT.ID, domain.TrainingContact{Fiche: domain.Fiche{
		Civility: domain.Madame, LastName: "Lemoine", FirstName: "Lucie", Function: "Chargée de formation", Email: "l.lemoine@cholet.example.fr",
		Phone: "0241000012"}, Perimeter: "Filière technique"}); err != nil {
		t.Fatal(err)
	}
	ct := fmt.Sprintf("/cnfpt/collectivites/%d", p.CT.ID)
	w.add("staff-home", 200, ts.get(t, c, "/cnfpt"))
	w.add("staff-collectivities", 200, ts.get(t, c, "/cnfpt/collectivites?q=commune"))
	w.add("staff-collectivities-none", 200, ts.get(t, c, "/cnfpt/collectivites?q=zorglub"))
	w.add("staff-collectivity", 200, ts.get(t, c, ct))
	w.add("staff-collectivity-agents-empty", 200, ts.get(t, c, ct+"/agents"))
	w.add("staff-collectivity-registrations-empty", 200, ts.get(t, c, ct+"/inscriptions"))
	agent := ts.seedAgent(t, p.CT.ID, "Lefèvre", "Aurélie", 1)
	ts.register(t, p.CT.ID, ts.seedSession(t, "INTER-01", "Accueillir le public", domain.Inter, sessionDay, 12), agent.ID)
	w.add("staff-collectivity-agents", 200, ts.get(t, c, ct+"/agents"))
	w.add("staff-collectivity-registrations", 200, ts.get(t, c, ct+"/inscriptions"))
	w.add("staff-rename", 200, ts.get(t, c, ct+"/nom"))
	w.add("staff-rename-refused", 409, ts.postForm(t, c, ct+"/nom", url.Values{"nom_collectivite": {"commune de saumur"}}))
	w.add("staff-designation", 200, ts.get(t, c, ct+"/gestionnaire-principal"))
	w.add("staff-designation-operator", 200, ts.get(t, c, fmt.Sprintf("%s/gestionnaire-principal?operateur=%d", ct, op.Account.ID)))
	w.add("staff-designation-refused", 422, ts.postForm(t, c, ct+"/gestionnaire-principal",
		ficheValues(domain.Fiche{Civility: domain.Madame, LastName: "Nouvelle", Email: "nina@", Phone: "02 41"}, "oui", "")))
	wantStatus(t, ts.postForm(t, c, ct+"/gestionnaire-principal", designationValues), http.StatusSeeOther, ct)
	w.add("staff-collectivity-pending", 200, ts.get(t, c, ct))
	w.add("staff-error-403", 403, ts.get(t, c, "/compte"))
}
