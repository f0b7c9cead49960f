package main

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The flows of issue 7 as people live them, each in a browser of their
// own, every page checked by axe-core: the principal cannot designate
// itself (point 1), an operator who accepts and closes the page is no dead
// end (point 2, with the answer pages of point 3), and a new courriel asks
// for the current password (point 7).

const (
	subjectResetMail   = "inscription en ligne : mot de passe oublié"
	subjectAddressMail = "inscription en ligne : changement de l'adresse courriel de votre compte"
)

// comeBackLater makes the links already sent d older in the portal's
// database, as if their person came back later: « Mot de passe oublié ? »
// sends at most one link a minute per account.
func (p *portal) comeBackLater(t *testing.T, d time.Duration) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+p.DB+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), `UPDATE tokens SET created_at = created_at - $1`, int64(d/time.Second)); err != nil {
		t.Fatalf("age the links: %v", err)
	}
}

func TestE2EFlows(t *testing.T) {
	longBrowserTest(t)
	t.Parallel()
	start := time.Now()
	p, mgr := startE2E(t, "parcours-gestionnaire.png")

	// The historical manager: the form of the change of principal starts
	// with its own values.
	const ct, mgrEmail = "Commune de Chemillé-en-Anjou", "gestion@chemille.fr"
	login := p.createCT(t, ct, mgrEmail)
	m, _ := p.waitMail(t, 1)
	mgr.setPassword(p.linkIn(t, m), login, "Gestion-Chemille-49")
	mgr.wantPage(mgr.login(login, "Gestion-Chemille-49"), 200, "/accueil", "Accueil")
	mgr.wantPage(mgr.open("/compte"), 200, "/compte", "Mon compte")
	mgr.wantPage(mgr.click(`a[href="/compte/gestionnaire-principal"]`), 200, "/compte/gestionnaire-principal", "Nouveau gestionnaire principal CT : "+ct)
	if got := mgr.value("courriel"); got != mgrEmail {
		t.Errorf("the manager's form starts with courriel %q, want its own %q", got, mgrEmail)
	}
	boss := person{civility: "civilite-mme", last: "Rousseau", first: "Anne", function: "Directrice générale des services", email: "a.rousseau@chemille.fr", phone: "02 41 30 60 00"}
	mgr.fillDesignation(boss)
	mgr.wantPage(mgr.submit(designationSubmit), 200, "/compte", "Mon compte")
	mgr.wantText("#designation-titre", "Désignation en attente")

	// « Annuler la désignation » asks first; the manager keeps it.
	mgr.wantPage(mgr.click(`a[href="/compte/gestionnaire-principal/annuler"]`), 200, "/compte/gestionnaire-principal/annuler",
		"Annuler la désignation d'Anne Rousseau ?")
	mgr.wantPage(mgr.click(`main form a[href="/compte"]`), 200, "/compte", "Mon compte")
	mgr.wantText("#designation-titre", "Désignation en attente")

	// The person designated accepts; the page then shows the answer, on
	// every visit, never a dead link.
	pb := mgr.otherPerson("parcours-principal.png")
	dm, _ := p.mailAfter(t, 1, subjectDesignationMail)
	link := p.mailedLink(t, dm, designationLinkRe)
	path := strings.TrimPrefix(link, p.URL)
	pb.wantPage(pb.open(link), 200, path, "Acceptation du rôle : gestionnaire principal CT")
	pb.choose("reponse")
	pb.wantPage(pb.submit("main form button[type=submit]"), 200, path, "Acceptation du rôle : gestionnaire principal CT")
	pb.wantText(".govuk-panel__title", "Votre réponse a été enregistrée")
	pb.wantText("main", "Un courriel a été envoyé à "+boss.email)
	pb.wantPage(pb.open(link), 200, path, "Acceptation du rôle : gestionnaire principal CT")
	pb.wantText("main", "Vous avez accepté le rôle de gestionnaire principal CT")

	pm, _ := p.mailAfter(t, 2, subjectPrincipalMail)
	sub := mailedLoginRe.FindStringSubmatch(pm.Text)
	if sub == nil {
		t.Fatalf("e-mail %q has no « votre login : »:\n%s", pm.Subject, pm.Text)
	}
	const bossPW = "Rousseau-Mauges-49"
	pb.setPassword(p.linkIn(t, pm), sub[1], bossPW)
	pb.wantPage(pb.login(sub[1], bossPW), 200, "/accueil", "Accueil")
	pb.wantPage(pb.open("/compte"), 200, "/compte", "Mon compte")

	// Point 1: the principal's form starts empty, and designating itself
	// is refused next to the address.
	pb.wantPage(pb.click(`a[href="/compte/gestionnaire-principal"]`), 200, "/compte/gestionnaire-principal", "Nouveau gestionnaire principal CT : "+ct)
	for _, id := range []string{"nom", "prenom", "fonction", "courriel", "telephone"} {
		if got := pb.value(id); got != "" {
			t.Errorf("#%s = %q on the principal's form, want it empty", id, got)
		}
	}
	pb.fillDesignation(boss)
	pb.wantPage(pb.submit(designationSubmit), 409, "/compte/gestionnaire-principal", "Nouveau gestionnaire principal CT : "+ct)
	const itself = "Cette personne est déjà le gestionnaire principal de la collectivité : désignez une autre personne."
	pb.wantText("#courriel-error", itself)
	pb.wantText(`.govuk-error-summary a[href="#courriel"]`, itself)
	if got := pb.value("courriel"); got != boss.email {
		t.Errorf("#courriel = %q after the refusal, want the typed %q", got, boss.email)
	}

	// Point 2: an operator accepts, then closes the page.
	sent := len(p.SMTP.Messages())
	pb.wantPage(pb.open("/compte/operateurs/nouveau"), 200, "/compte/operateurs/nouveau", "Créer un opérateur")
	opLogin, _ := pb.text("main form .govuk-summary-list__value")
	op := person{civility: "civilite", last: "Girard", first: "Hugo", function: "Gestionnaire formation", email: "h.girard@chemille.fr", phone: "02 41 30 60 01"}
	pb.choose(op.civility)
	pb.fill("nom", op.last)
	pb.fill("prenom", op.first)
	pb.fill("fonction", op.function)
	pb.fill("telephone", op.phone)
	pb.fill("courriel", op.email)
	pb.choose("courriel_integration-non")
	pb.choose("courriel_inter-non")
	pb.wantPage(pb.submit(`form[action="/compte/operateurs"] button[type=submit]`), 200, "/compte/operateurs", "Mon compte")
	pb.wantText(".govuk-notification-banner--success", "créé avec l'identifiant "+opLogin)

	ob := mgr.otherPerson("parcours-operateur.png")
	im, _ := p.mailAfter(t, sent, subjectInvitationMail)
	link = p.mailedLink(t, im, invitationLinkRe)
	path = strings.TrimPrefix(link, p.URL)
	ob.wantPage(ob.open(link), 200, path, "Acceptation du rôle : opérateur CT")
	ob.choose("reponse")
	ob.wantPage(ob.submit("main form button[type=submit]"), 200, path, "Acceptation du rôle : opérateur CT")
	ob.wantText(".govuk-panel__title", "Votre réponse a été enregistrée")
	ob.wantText("main", "Un courriel a été envoyé à "+op.email+" avec votre identifiant")
	am, _ := p.mailAfter(t, sent, subjectOperatorAccountMail)
	wantTo(t, am, op.email)
	if !strings.Contains(am.Text, "Vous avez accepté d'être opérateur de la collectivité "+ct+".") || !strings.Contains(am.Text, "votre login : "+opLogin) {
		t.Errorf("« votre compte opérateur CT »:\n%s", am.Text)
	}
	// The page closed, the link opened again: the answer, not a dead end.
	ob.wantPage(ob.open(link), 200, path, "Acceptation du rôle : opérateur CT")
	ob.wantText("main", "Vous avez accepté le rôle d'opérateur CT")
	ob.wantNo(`input[name="reponse"]`)

	pb.wantPage(pb.open("/compte/operateurs"), 200, "/compte/operateurs", "Mon compte")
	pb.wantOperatorRow(op.fullName(), "non", "non", "non", "inactif (mot de passe à choisir)")
	// JOURNAL: the answer is the operator's, given by its link.
	pb.wantPage(pb.click(`a[href="/compte/journal"]`), 200, "/compte/journal", "Mon compte")
	pb.wantText("main tbody tr:first-child", op.fullName()+" (opérateur)")
	pb.wantText("main tbody tr:first-child", "a accepté son compte opérateur")

	// The account e-mail lost, « Mot de passe oublié ? » serves the
	// account, a few minutes later.
	p.comeBackLater(t, 5*time.Minute)
	ob.wantPage(ob.open("/connexion"), 200, "/connexion", "Connexion")
	ob.wantPage(ob.load("follow the link", chromedp.Click(chromedp.CSS(`a[href^="/mot-de-passe-oublie"]`))), 200, "/mot-de-passe-oublie", "Mot de passe oublié")
	ob.fill("identifiant", opLogin)
	reset := len(p.SMTP.Messages())
	ob.wantPage(ob.submit(`form[action="/mot-de-passe-oublie"] button[type=submit]`), 200, "/mot-de-passe-oublie/envoye", "Mot de passe oublié")
	ob.wantText("main", "Demande enregistrée")
	rm, _ := p.mailAfter(t, reset, subjectResetMail)
	wantTo(t, rm, op.email)
	const opPW = "Girard-Layon-49"
	ob.setPassword(p.linkIn(t, rm), opLogin, opPW)
	ob.wantPage(ob.login(opLogin, opPW), 200, "/accueil", "Accueil")
	ob.wantPage(ob.open("/compte"), 200, "/compte", "Mon compte")
	ob.wantTab("Opérateur")
	ob.wantText("main", "Mes codes de connexion")
	ob.wantText("main", "Ma fiche opérateur")

	// Point 7: a new courriel asks for the current password.
	const moved = "hugo.girard@chemille.fr"
	ob.fill("courriel", moved)
	ob.fill("fonction", "Responsable formation")
	before := len(p.SMTP.Messages())
	ob.wantPage(ob.submit(`form[action="/compte"] button[type=submit]`), 422, "/compte", "Mon compte")
	const needed = "Saisissez votre mot de passe actuel pour changer votre adresse courriel."
	ob.wantText("#mot_de_passe_actuel-error", needed)
	ob.wantText(`.govuk-error-summary a[href="#mot_de_passe_actuel"]`, needed)
	for id, want := range map[string]string{"courriel": moved, "fonction": "Responsable formation"} {
		if got := ob.value(id); got != want {
			t.Errorf("#%s = %q after the refusal, want the typed %q", id, got, want)
		}
	}
	ob.fill("mot_de_passe_actuel", "Pas-le-bon-49")
	ob.wantPage(ob.submit(`form[action="/compte"] button[type=submit]`), 422, "/compte", "Mon compte")
	ob.wantText("#mot_de_passe_actuel-error", "Le mot de passe actuel est incorrect.")
	ob.fill("mot_de_passe_actuel", opPW)
	ob.wantPage(ob.submit(`form[action="/compte"] button[type=submit]`), 200, "/compte", "Mon compte")
	ob.wantText(".govuk-notification-banner--success", "Un courriel a informé votre ancienne adresse du changement.")
	if got := ob.value("courriel"); got != moved {
		t.Errorf("#courriel = %q after saving, want %q", got, moved)
	}
	xm, i := p.mailAfter(t, before, subjectAddressMail)
	wantTo(t, xm, op.email)
	if i != before {
		t.Errorf("the refused changes sent %d e-mails first", i-before)
	}

	pb.wantPage(pb.open("/compte/operateurs"), 200, "/compte/operateurs", "Mon compte")
	pb.wantOperatorRow(op.fullName(), "non", "non", "non", "actif")
	t.Logf("flows walked through in %v", time.Since(start).Round(time.Millisecond))
}
