package main

import (
	"strings"
	"testing"
	"time"

	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// TestE2ESessions: an agent of the CNFPT publishes a session through
// « Sessions » → « Publier une session » (refused once, then accepted);
// a collectivité registers an agent to it the day before it starts (the
// registration is made through the store, with its clock one day back);
// « Espace CNFPT » lists the session to decide; staff accept the
// registration (the convocation is sent) and, the session having begun,
// mark the agent « Présent » (the attestation is sent). axe-core checks
// every page.
func TestE2ESessions(t *testing.T) {
	t.Parallel()
	p, b := startE2E(t, "parcours-sessions.png")
	stdout, stderr, err := runCLI(t, "staff", "create", "--email", "marc.lefevre@cnfpt.fr", "--name", "Marc Lefèvre", "--db", p.DB, "--base-url", p.URL)
	if err != nil || !loginLine.MatchString(stdout) {
		t.Fatalf("staff create: %q, %v (stderr %q)", stdout, err, stderr)
	}
	login := strings.TrimSuffix(stdout, "\n")
	const pw = "Cnfpt-Lefevre-2026"
	b.setPassword(p.linkIn(t, p.mailTo(t, "marc.lefevre@cnfpt.fr", subjectCodes)), login, pw)
	b.wantPage(b.login(login, pw), 200, "/cnfpt", "Espace CNFPT")
	b.wantText("#inscriptions-a-decider + p", "Aucune inscription n'attend de décision.")

	// « Sessions » → « Publier une session »: refused, then published.
	b.wantPage(b.click(`#menu a[href="/cnfpt/sessions"]`), 200, "/cnfpt/sessions", "Sessions")
	b.wantPage(b.click(`main a[href="/cnfpt/sessions/nouvelle"]`), 200, "/cnfpt/sessions/nouvelle", "Publier une session")
	b.wantPage(b.submit("main form button[type=submit]"), 422, "/cnfpt/sessions", "Publier une session")
	b.wantText("#code-error", "Saisissez le code.")
	b.wantText("#type_formation-error", "Choisissez le type de formation.")
	today := domain.FormatDay(domain.ParisDay(time.Now()))
	b.fill("code", "INTER-E2E-01")
	b.fill("intitule", "Prévention des risques professionnels")
	b.choose("type_formation-inter")
	b.fill("date_debut", today)
	b.fill("date_fin", today)
	b.fill("horaires", "9 h 00 – 17 h 00")
	b.fill("lieu", "CNFPT Pays de la Loire, 15 rue de la Rame, 49000 Angers")
	b.fill("capacite", "12")
	b.fill("date_limite", today)
	b.fill("public", "Tous les agents")
	b.wantPage(b.submit("main form button[type=submit]"), 200, "/cnfpt/sessions/1", "Prévention des risques professionnels")
	b.wantText(".govuk-notification-banner--success", "La session INTER-E2E-01 – Prévention des risques professionnels est publiée")
	b.wantText("#session", "12")

	// A collectivité registers its agent, the day before.
	st := openStore(t, p.DB)
	st.Now = func() time.Time { return time.Now().AddDate(0, 0, -1) }
	ctx := store.WithActor(t.Context(), domain.CommandLine)
	ct, _, err := st.CreateCollectivity(ctx, store.NewCollectivity{Name: "Commune de Saumur", Email: "rh@saumur.fr", ManagerActive: true,
		ManagerFiche: domain.Fiche{Civility: domain.Madame, LastName: "Durand", FirstName: "Claire", Function: "DRH", Email: "rh@saumur.fr", Phone: "0241000000"},
		PasswordHash: "inutilisé"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	agent, err := st.CreateAgent(ctx, ct.ID, domain.Agent{Civility: domain.Monsieur, LastName: "Moreau", FirstName: "Julien",
		BirthDate: time.Date(1985, 4, 2, 0, 0, 0, 0, time.UTC), Category: domain.CategoryC, Status: domain.Titulaire, Grade: "Adjoint technique",
		AppointedOn: time.Date(2015, 9, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	letters, err := mail.NewLetters(p.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Register(ctx, ct.ID, 1, []int64{agent.ID}, letters); err != nil {
		t.Fatalf("Register: %v", err)
	}
	p.mailTo(t, "rh@saumur.fr", "inscription en ligne : accusé de réception de votre demande d'inscription")

	// « Espace CNFPT » lists it; staff accept, then mark the agent present.
	b.wantPage(b.click(`#menu a[href="/cnfpt"]`), 200, "/cnfpt", "Espace CNFPT")
	b.wantText("#inscriptions-a-decider + ul", "1 inscription à décider")
	b.wantPage(b.click(`a[href="/cnfpt/sessions/1"]`), 200, "/cnfpt/sessions/1", "Prévention des risques professionnels")
	b.wantText("#inscription-1", "Julien Moreau")
	b.wantText("#inscription-1", "transmise")
	b.wantPage(b.submit(`form[action="/cnfpt/inscriptions/1/accepter"] button`), 200, "/cnfpt/sessions/1", "Prévention des risques professionnels")
	b.wantText(".govuk-notification-banner--success", "L'inscription de Julien Moreau est acceptée ; la convocation est envoyée.")
	b.wantText("#inscription-1", "acceptée")
	b.wantText("#session", "11")
	convocation := p.mailTo(t, "rh@saumur.fr", "inscription en ligne : inscription acceptée – convocation")
	if len(convocation.Attachments) == 0 {
		t.Error("the convocation e-mail carries no document")
	}
	b.wantPage(b.submit(`form[action="/cnfpt/inscriptions/1/present"] button`), 200, "/cnfpt/sessions/1", "Prévention des risques professionnels")
	b.wantText(".govuk-notification-banner--success", "Julien Moreau est indiqué présent ; l'attestation de présence est envoyée.")
	b.wantText("#inscription-1", "présent")
	p.mailTo(t, "rh@saumur.fr", "inscription en ligne : attestation de présence")
}
