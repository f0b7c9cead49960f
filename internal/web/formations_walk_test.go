package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"iel/internal/domain"
)

// walkFormations adds to the walk the pages of "Formations": the
// catalogue (empty, filled, refused), a session (open, closed, with
// registrations), "Inscrire des agents" with its refusal and its
// confirmation, "Mes inscriptions" and a registration in each state
// whose page differs, its cancellation, and "Accueil" with trainings.
func walkFormations(t *testing.T, w *pageWalk) {
	t.Helper()
	ts := w.watch(newTestServer(t))
	s := ts.seedCT(t)
	w.name(s.Account.Login, "Claire Durand")
	c := ts.loggedIn(t, s)

	w.add("formations-empty", 200, ts.get(t, c, "/formations"))
	w.add("registrations-empty", 200, ts.get(t, c, "/formations/inscriptions"))
	integ := ts.seedSession(t, "INT-2030-01", "Découvrir l'environnement territorial", domain.Integration, sessionDay, 20)
	inter := ts.seedSession(t, "INTER-2030-07", "Accueillir le public « difficile »", domain.Inter, laterDay, 2)
	cancelled := ts.seedSession(t, "INTER-2030-08", "Session annulée", domain.Inter, laterDay, 10)
	if err := ts.Store.CancelSession(cliCtx(), cancelled.ID, "Formateur indisponible", ts.letters(t)); err != nil {
		t.Fatal(err)
	}
	w.add("formations", 200, ts.get(t, c, "/formations"))
	w.add("formations-refused", 422, ts.get(t, c, "/formations?du=31/02/2030&au=01/01/2030&mots=accueil"))
	w.add("session-open", 200, ts.get(t, c, sessionPath(integ.ID)))
	w.add("formations-session-cancelled", 200, ts.get(t, c, sessionPath(cancelled.ID)))

	zoe := ts.stagiaire(t, s.CT.ID, "Émond", "Zoé", domain.ParisDay(time.Now()).AddDate(0, -1, 0))
	theo := ts.seedAgent(t, s.CT.ID, "Titulaire", "Théo", 1)
	jean := ts.seedAgent(t, s.CT.ID, "Lefèvre", "Jean", 2)
	w.add("register", 200, ts.get(t, c, sessionPath(integ.ID)+"/inscrire"))
	w.add("register-refused", 422, ts.postForm(t, c, sessionPath(integ.ID)+"/inscrire", url.Values{}))
	w.add("register-confirm", 200, ts.postForm(t, c, sessionPath(integ.ID)+"/inscrire", registerForm(zoe.ID, theo.ID)))
	form := registerForm(zoe.ID, theo.ID)
	form.Set("confirme", "1")
	wantStatus(t, ts.postForm(t, c, sessionPath(integ.ID)+"/inscrire", form), http.StatusSeeOther, sessionPath(integ.ID))
	w.add("session-registered", 200, ts.get(t, c, sessionPath(integ.ID)))
	w.add("register-conflict", 409, ts.postForm(t, c, sessionPath(integ.ID)+"/inscrire", registerForm(zoe.ID)))

	regs := ts.register(t, s.CT.ID, inter, zoe.ID, jean.ID)
	w.add("registration-sent", 200, ts.get(t, c, registrationPath(regs[0].ID)))
	w.add("registration-cancel", 200, ts.get(t, c, registrationPath(regs[0].ID)+"/annuler"))
	ts.accept(t, regs[0].ID)
	w.add("registration-accepted", 200, ts.get(t, c, registrationPath(regs[0].ID)))
	ts.markPresent(t, regs[0].ID, inter)
	w.add("registration-present", 200, ts.get(t, c, registrationPath(regs[0].ID)))
	if _, err := ts.Store.RefuseRegistration(cliCtx(), regs[1].ID, "La session est réservée aux agents de catégorie C.", ts.letters(t)); err != nil {
		t.Fatal(err)
	}
	w.add("registration-refused", 200, ts.get(t, c, registrationPath(regs[1].ID)))
	w.add("registration-cancel-refused", 409, ts.get(t, c, registrationPath(regs[1].ID)+"/annuler"))
	w.add("registrations", 200, ts.get(t, c, "/formations/inscriptions"))
	w.add("registrations-filtered", 200, ts.get(t, c, "/formations/inscriptions?etat=refused&type=inter&du=01/01/2030"))
	w.add("registrations-refused", 422, ts.get(t, c, "/formations/inscriptions?etat=perdu&au=hier"))
	w.add("home-trainings", 200, ts.get(t, c, "/accueil"))
}
