package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// TestE2EFormations: a CT's manager searches the catalogue, registers an
// agent to a session, finds the registration in « Mes inscriptions » and
// on its page; once the CNFPT accepted it (through the store, as staff's
// page would), the convocation appears and downloads as a PDF. Every page
// checked by axe-core.
func TestE2EFormations(t *testing.T) {
	t.Parallel()
	p, b := startE2E(t, "formations.png")
	login := p.createCT(t, "Commune de Cholet", "gestion@cholet.fr")
	m, _ := p.waitMail(t, 1)
	b.setPassword(p.linkIn(t, m), login, "Gestion-Cholet-49")
	b.wantPage(b.login(login, "Gestion-Cholet-49"), 200, "/accueil", "Accueil")

	// Beside the portal, as the CNFPT and the CT's data would be: a session and an agent.
	ctx := store.WithActor(t.Context(), domain.CommandLine)
	st, err := store.Open(ctx, p.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	today := domain.ParisDay(time.Now())
	sess, err := st.CreateSession(ctx, domain.Session{Code: "INTER-E2E", Title: "Accueillir le public « difficile »", Type: domain.Inter,
		StartsOn: today.AddDate(0, 0, 30), EndsOn: today.AddDate(0, 0, 31), Hours: "9 h 00 – 17 h 00", Place: "CNFPT Angers, 49000 Angers",
		Capacity: 12, Deadline: today.AddDate(0, 0, 20), Audience: "Agents d'accueil"})
	if err != nil {
		t.Fatal(err)
	}
	agent, err := st.CreateAgent(ctx, 1, domain.Agent{Civility: domain.Madame, LastName: "Émond", FirstName: "Zoé", BirthDate: time.Date(1990, 5, 17, 0, 0, 0, 0, time.UTC),
		Category: domain.CategoryC, Status: domain.Titulaire, Grade: "Adjoint administratif", AppointedOn: time.Date(2015, 9, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}

	// « Rechercher une session ».
	b.wantPage(b.click(`#menu a[href="/formations"]`), 200, "/formations", "Formations")
	b.fill("mots", "accueillir")
	b.wantPage(b.submit(`form[action="/formations"] button[type=submit]`), 200, "/formations?type=&du=&au=&mots=accueillir&lieu=", "Formations")
	b.wantText("main table", "INTER-E2E")
	b.wantText("main table", "12")
	session := "/formations/sessions/" + strconv.FormatInt(sess.ID, 10)
	b.wantPage(b.click(`main table a[href="`+session+`"]`), 200, session, "Accueillir le public « difficile »")

	// « Inscrire des agents »: nobody checked, refused; then Zoé Émond.
	b.wantPage(b.click(`a[href="`+session+`/inscrire"]`), 200, session+"/inscrire", "Inscrire des agents")
	b.wantPage(b.submit(`main form[method=post] button[type=submit]`), 422, session+"/inscrire", "Inscrire des agents")
	b.wantText("#agents-error", "Choisissez au moins un agent à inscrire.")
	b.choose("agents")
	b.wantPage(b.submit(`main form[method=post] button[type=submit]`), 200, session, "Accueillir le public « difficile »")
	b.wantText(".govuk-notification-banner--success", "L'inscription a été transmise au CNFPT")
	b.wantText("main table", "Zoé Émond")
	p.mailTo(t, "gestion@cholet.fr", "inscription en ligne : accusé de réception de votre demande d'inscription")

	// « Mes inscriptions », then the registration's page.
	b.wantPage(b.open("/formations/inscriptions"), 200, "/formations/inscriptions", "Mes inscriptions")
	b.wantText("main table", "transmise")
	page, err := st.ListRegistrations(ctx, 1, store.RegistrationFilter{AgentID: agent.ID})
	if err != nil || len(page.Registrations) != 1 {
		t.Fatalf("registrations: %v %+v", err, page.Registrations)
	}
	reg := page.Registrations[0]
	path := "/formations/inscriptions/" + strconv.FormatInt(reg.ID, 10)
	b.wantPage(b.click(`main table a[href="`+path+`"]`), 200, path, "Inscription "+reg.Reference())
	b.wantText("#inscription", "transmise")
	b.wantNo("#documents")

	// The CNFPT accepts it: the convocation is there, a PDF.
	letters, err := mail.NewLetters(p.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AcceptRegistration(ctx, reg.ID, letters); err != nil {
		t.Fatal(err)
	}
	b.wantPage(b.open(path), 200, path, "Inscription "+reg.Reference())
	b.wantText("#inscription", "acceptée")
	b.wantText("#documents", "Convocation (PDF)")
	if strings.Contains(b.bodyText(), "Attestation de présence (PDF)") {
		t.Error("the attestation is offered before the session")
	}
	var head string
	b.eval(`fetch(`+jsString(path+"/convocation")+`).then(r => r.arrayBuffer().then(a => r.headers.get('content-type') + ' ' +
		String.fromCharCode(...new Uint8Array(a.slice(0, 5)))))`, &head, chromedp.EvalAwaitPromise)
	if head != "application/pdf %PDF-" {
		t.Errorf("the convocation downloads as %q", head)
	}
	p.mailTo(t, "gestion@cholet.fr", "inscription en ligne : inscription acceptée – convocation")

	// Accueil: the agent's next session.
	b.wantPage(b.click(`#menu a[href="/accueil"]`), 200, "/accueil", "Accueil")
	b.wantText("#prochaines-sessions", "Zoé Émond")
}
