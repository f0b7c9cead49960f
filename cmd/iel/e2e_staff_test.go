package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"iel/internal/mail/mailtest"
)

// mailTo waits, at most mailDeadline, for an e-mail with this subject to
// the address to.
func (p *portal) mailTo(t *testing.T, to, subject string) mailtest.Received {
	t.Helper()
	deadline := time.Now().Add(mailDeadline)
	for {
		for _, m := range p.SMTP.Messages() {
			if m.Subject == subject && slices.Contains(m.To, to) {
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no e-mail %q to %s within %v", subject, to, mailDeadline)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestE2EStaff: an agent of the CNFPT, created by "iel staff create",
// chooses a password from its e-mail, lands on « Espace CNFPT », creates a
// collectivité, resends its codes, renames it, finds it, and starts the
// change of principal of a collectivité whose principal left; every page
// checked by axe-core.
func TestE2EStaff(t *testing.T) {
	t.Parallel()
	p, pb := startE2E(t, "parcours-cnfpt-principal.png")
	// A CT in multi-operator mode, its principal Anne Rousseau.
	anne := person{civility: "civilite-mme", last: "Rousseau", first: "Anne", function: "Directrice générale des services", email: "a.rousseau@cholet.fr", phone: "02 41 30 60 00"}
	becomePrincipal(t, p, pb, "Commune de Cholet", "gestion@cholet.fr", anne, "Principale-Cholet-49")

	stdout, stderr, err := runCLI(t, "staff", "create", "--email", "helene.garnier@cnfpt.fr", "--name", "Hélène Garnier", "--db", p.DB, "--base-url", p.URL)
	if err != nil || !loginLine.MatchString(stdout) {
		t.Fatalf("staff create: %q, %v (stderr %q)", stdout, err, stderr)
	}
	login := strings.TrimSuffix(stdout, "\n")
	b := newBrowser(t, p.URL)
	b.screenshotOnFailure("parcours-cnfpt.png")
	const pw = "Cnfpt-Garnier-2026"
	b.setPassword(p.linkIn(t, p.mailTo(t, "helene.garnier@cnfpt.fr", subjectCodes)), login, pw)
	b.wantPage(b.login(login, pw), 200, "/cnfpt", "Espace CNFPT")
	b.wantHeader("Hélène Garnier – CNFPT")
	b.wantText("#menu", "Collectivités")

	// « Créer une collectivité »: refused, then created.
	b.wantPage(b.click(`#menu a[href="/cnfpt/collectivites"]`), 200, "/cnfpt/collectivites", "Collectivités")
	b.wantPage(b.click(`main a[href="/cnfpt/collectivites/nouvelle"]`), 200, "/cnfpt/collectivites/nouvelle", "Créer une collectivité")
	b.fill("courriel", "rh@beaupreau")
	b.wantPage(b.submit("main form button[type=submit]"), 422, "/cnfpt/collectivites", "Créer une collectivité")
	b.wantText("#nom_collectivite-error", "Saisissez le nom de la collectivité.")
	b.wantText("#courriel-error", "Saisissez une adresse courriel valide")
	b.fill("nom_collectivite", "Commune de Beaupréau")
	b.fill("courriel", "rh@beaupreau.fr")
	b.wantPage(b.submit("main form button[type=submit]"), 200, "/cnfpt/collectivites/2", "Commune de Beaupréau")
	b.wantText(".govuk-notification-banner--success", "La collectivité Commune de Beaupréau est créée.")
	first := p.mailTo(t, "rh@beaupreau.fr", subjectCodes)
	b.wantText("#comptes", "Mot de passe à choisir : lien valable jusqu'au")
	if strings.Contains(b.bodyText(), "/mot-de-passe/") {
		t.Errorf("the CT's page shows a link")
	}

	// « Renvoyer les codes »: a second e-mail, a new link.
	b.wantPage(b.submit(`form[action="/cnfpt/collectivites/2/codes"] button`), 200, "/cnfpt/collectivites/2", "Commune de Beaupréau")
	b.wantText(".govuk-notification-banner--success", "Les codes de connexion du gestionnaire CT ont été renvoyés à rh@beaupreau.fr")
	deadline := time.Now().Add(mailDeadline)
	for n := 0; n < 2 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		n = 0
		for _, m := range p.SMTP.Messages() {
			if slices.Contains(m.To, "rh@beaupreau.fr") {
				n++
			}
		}
		if n == 2 {
			break
		}
	}
	var links []string
	for _, m := range p.SMTP.Messages() {
		if slices.Contains(m.To, "rh@beaupreau.fr") {
			links = append(links, p.linkIn(t, m))
		}
	}
	if len(links) != 2 || links[0] == links[1] || links[0] != p.linkIn(t, first) {
		t.Fatalf("codes e-mails to the manager: %q, want two different links", links)
	}

	// « Renommer », then the search finds the new name.
	b.wantPage(b.click(`a[href="/cnfpt/collectivites/2/nom"]`), 200, "/cnfpt/collectivites/2/nom", "Renommer la collectivité")
	b.fill("nom_collectivite", "Commune de Cholet")
	b.wantPage(b.submit("main form button[type=submit]"), 409, "/cnfpt/collectivites/2/nom", "Renommer la collectivité")
	b.wantText("#nom_collectivite-error", "Une collectivité porte déjà ce nom.")
	b.fill("nom_collectivite", "Commune de Beaupréau-en-Mauges")
	b.wantPage(b.submit("main form button[type=submit]"), 200, "/cnfpt/collectivites/2", "Commune de Beaupréau-en-Mauges")
	b.wantPage(b.open("/cnfpt/collectivites?q=mauges"), 200, "/cnfpt/collectivites?q=mauges", "Collectivités")
	b.wantText("#resultats", "1 collectivité a été trouvée.")

	// Cholet's principal left: staff designate her successor.
	b.wantPage(b.open("/cnfpt/collectivites/1"), 200, "/cnfpt/collectivites/1", "Commune de Cholet")
	b.wantText("#comptes", "Anne Rousseau")
	b.wantPage(b.click(`a[href="/cnfpt/collectivites/1/gestionnaire-principal"]`), 200, "/cnfpt/collectivites/1/gestionnaire-principal",
		"Nouveau gestionnaire principal CT : Commune de Cholet")
	b.fillDesignation(person{civility: "civilite", last: "Lambert", first: "Hugo", function: "Directeur général des services", email: "h.lambert@cholet.fr", phone: "02 41 30 60 01"})
	b.wantPage(b.submit(`form[method=post][action="/cnfpt/collectivites/1/gestionnaire-principal"] button[type=submit]`), 200, "/cnfpt/collectivites/1", "Commune de Cholet")
	b.wantText("#designation", "Hugo Lambert (h.lambert@cholet.fr) est désigné(e) comme gestionnaire principal CT")
	p.mailTo(t, "h.lambert@cholet.fr", subjectDesignationMail)
	told := p.mailTo(t, "a.rousseau@cholet.fr", "inscription en ligne : changement du gestionnaire principal CT")
	if !strings.Contains(told.Text, "Hugo Lambert a été désigné(e) comme nouveau gestionnaire principal CT.") {
		t.Errorf("the former principal reads:\n%s", told.Text)
	}

	// Staff reach no page of a CT.
	b.wantPage(b.open("/compte"), 403, "/compte", "Accès refusé")
}
