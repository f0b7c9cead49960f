package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"iel/internal/mail/mailtest"
)

// End-to-end tests of the roles: the change of principal (flow 1 of
// PRODUCT.md) and the operator accounts (flows 2 and 3), each person in a
// browser context of its own, every link taken from the e-mails the
// in-process SMTP server received, every page checked by axe-core.

const (
	subjectDesignationMail     = "inscription en ligne : validation de votre compte gestionnaire principal CT"
	subjectPrincipalMail       = "inscription en ligne : votre compte gestionnaire principal CT"
	subjectDesAnswerMail       = "inscription en ligne : réponse à la désignation du gestionnaire principal CT"
	subjectInvitationMail      = "inscription en ligne : validation de votre compte opérateur CT"
	subjectInvAnswerMail       = "inscription en ligne : réponse à l'invitation d'un opérateur CT"
	subjectOperatorAccountMail = "inscription en ligne : votre compte opérateur CT"

	phoneRule = "Le numéro de téléphone doit comporter 10 chiffres, par exemple 02 41 00 00 00."
)

var (
	designationLinkRe = regexp.MustCompile(`http://127\.0\.0\.1:\d+/validationgestprin/[A-Za-z0-9_-]{43}`)
	invitationLinkRe  = regexp.MustCompile(`http://127\.0\.0\.1:\d+/validationoperateur/[A-Za-z0-9_-]{43}`)
	mailedLoginRe     = regexp.MustCompile(`votre login : ([A-Z2-9]{10})\b`)
	shownLoginRe      = regexp.MustCompile(`^[A-Z2-9]{10}$`)
	deletePathRe      = regexp.MustCompile(`^/compte/operateurs/\d+/supprimer$`)
)

// mailAfter waits, at most mailDeadline, for an e-mail with this subject
// among those received after the first skip, and returns it with its index.
func (p *portal) mailAfter(t *testing.T, skip int, subject string) (mailtest.Received, int) {
	t.Helper()
	deadline := time.Now().Add(mailDeadline)
	for {
		msgs := p.SMTP.Messages()
		for i := skip; i < len(msgs); i++ {
			if msgs[i].Subject == subject {
				return msgs[i], i
			}
		}
		if time.Now().After(deadline) {
			var got []string
			for _, m := range msgs {
				got = append(got, m.Subject)
			}
			t.Fatalf("no e-mail %q after the first %d within %v; received %q", subject, skip, mailDeadline, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// mailedLink returns the link of m matching re, on the portal.
func (p *portal) mailedLink(t *testing.T, m mailtest.Received, re *regexp.Regexp) string {
	t.Helper()
	link := re.FindString(m.Text)
	if link == "" || !strings.HasPrefix(link, p.URL+"/") {
		t.Fatalf("e-mail %q has no link matching %s on %s:\n%s", m.Subject, re, p.URL, m.Text)
	}
	return link
}

// wantTo fails unless m went to the one address to.
func wantTo(t *testing.T, m mailtest.Received, to string) {
	t.Helper()
	if len(m.To) != 1 || m.To[0] != to {
		t.Fatalf("e-mail %q went to %q, want %s", m.Subject, m.To, to)
	}
}

// otherPerson opens a tab in a new browser context of b's Chromium: its own
// cookies, as another person on another computer.
func (b *browser) otherPerson(screenshot string) *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 1024)); err != nil {
		b.t.Fatalf("new browser context: %v", err)
	}
	o := &browser{t: b.t, ctx: ctx, base: b.base, axe: b.axe}
	o.screenshotOnFailure(screenshot)
	return o
}

// checked reports whether the radio button with this id is checked.
func (b *browser) checked(id string) bool {
	b.t.Helper()
	var c *bool
	b.eval(fmt.Sprintf(`(e => e ? e.checked : null)(document.getElementById(%s))`, jsString(id)), &c)
	if c == nil {
		b.t.Fatalf("no input #%s on %s", id, b.path())
	}
	return *c
}

// operatorRow returns the cells of the row of "COMPTES OPÉRATEURS" whose
// header shows name: Prénom / Nom, Fonction, Téléphone, Principal,
// Courriel Intégration, Courriel Inter, Etat, Actions.
func (b *browser) operatorRow(name string) []string {
	b.t.Helper()
	var cells []string
	b.eval(fmt.Sprintf(`(n => {
		for (const tr of document.querySelectorAll("main table tbody tr")) {
			const th = tr.querySelector("th");
			if (th && th.innerText.includes(n)) {
				return [...tr.querySelectorAll("th, td")].map(c => c.innerText.trim().split(/\s+/).join(" "));
			}
		}
		return null;
	})(%s)`, jsString(name)), &cells)
	if len(cells) != 8 {
		b.t.Fatalf("%s: no row of 8 cells for %q (got %q)\npage: %s", b.path(), name, cells, b.bodyText())
	}
	return cells
}

// wantOperatorRow checks the Principal, Courriel Intégration, Courriel Inter
// and Etat columns of name's row.
func (b *browser) wantOperatorRow(name, principal, integration, inter, state string) {
	b.t.Helper()
	c := b.operatorRow(name)
	if got, want := c[3:7], []string{principal, integration, inter, state}; strings.Join(got, "|") != strings.Join(want, "|") {
		b.t.Errorf("row of %s: Principal, Intégration, Inter, Etat = %q, want %q", name, got, want)
	}
}

// wantSource fails unless the element matching css has the text want in
// the source, whatever the style does to it (the tabs show in capitals).
func (b *browser) wantSource(css, want string) {
	b.t.Helper()
	var s *string
	b.eval(fmt.Sprintf(`(e => e ? e.textContent.trim().split(/\s+/).join(" ") : null)(document.querySelector(%s))`, jsString(css)), &s)
	if s == nil || *s != want {
		b.t.Fatalf("%s: %s has the text %v, want %q", b.path(), css, s, want)
	}
}

// wantTab fails unless the current tab of "Mon compte" is named want.
func (b *browser) wantTab(want string) {
	b.t.Helper()
	b.wantSource(".iel-tabs [aria-current=page]", want)
}

// click follows the link or submits the button matching css and returns
// the status of the page it leads to.
func (b *browser) click(css string) int64 {
	b.t.Helper()
	return b.load("click "+css, chromedp.Click(chromedp.CSS(css)))
}

// person is who is designated as principal, as the form asks.
type person struct {
	civility, last, first, function, email, phone string
}

func (pe person) fullName() string { return pe.first + " " + pe.last }

// fillDesignation fills "Nouveau gestionnaire principal CT" with pe, who
// receives the e-mails of both training types.
func (b *browser) fillDesignation(pe person) {
	b.t.Helper()
	b.choose(pe.civility)
	b.fill("nom", pe.last)
	b.fill("prenom", pe.first)
	b.fill("fonction", pe.function)
	b.fill("courriel", pe.email)
	b.fill("telephone", pe.phone)
	b.choose("courriel_integration")
	b.choose("courriel_inter")
}

const designationSubmit = `form[method=post][action="/compte/gestionnaire-principal"] button[type=submit]`

// becomePrincipal is flow 1 driven quickly in one browser: the CT is
// created, its manager sets a password and designates pe, who accepts from
// the same browser, sets the password pw and logs in. It returns the
// principal's identifiant; b is then on "Mon compte" as the principal.
func becomePrincipal(t *testing.T, p *portal, b *browser, ct, managerEmail string, pe person, pw string) string {
	t.Helper()
	login := p.createCT(t, ct, managerEmail)
	m, _ := p.waitMail(t, 1)
	b.setPassword(p.linkIn(t, m), login, "Gestion-"+pw)
	b.wantPage(b.login(login, "Gestion-"+pw), 200, "/accueil", "Accueil")
	b.wantPage(b.open("/compte"), 200, "/compte", "Mon compte")

	b.wantPage(b.click(`a[href="/compte/gestionnaire-principal"]`), 200, "/compte/gestionnaire-principal", "Nouveau gestionnaire principal CT : "+ct)
	b.fillDesignation(pe)
	b.wantPage(b.submit(designationSubmit), 200, "/compte", "Mon compte")
	b.wantText("#designation-titre", "Désignation en attente")

	m, _ = p.mailAfter(t, 1, subjectDesignationMail)
	wantTo(t, m, pe.email)
	link := p.mailedLink(t, m, designationLinkRe)
	b.wantPage(b.open(link), 200, strings.TrimPrefix(link, p.URL), "Acceptation du rôle : gestionnaire principal CT")
	b.choose("reponse")
	b.wantPage(b.submit("main form button[type=submit]"), 200, strings.TrimPrefix(link, p.URL), "Acceptation du rôle : gestionnaire principal CT")
	b.wantText(".govuk-panel__title", "Votre réponse a été enregistrée")

	m, _ = p.mailAfter(t, 2, subjectPrincipalMail)
	wantTo(t, m, pe.email)
	sub := mailedLoginRe.FindStringSubmatch(m.Text)
	if sub == nil {
		t.Fatalf("e-mail %q has no « votre login : »:\n%s", m.Subject, m.Text)
	}
	b.setPassword(p.linkIn(t, m), sub[1], pw)
	b.wantPage(b.login(sub[1], pw), 200, "/accueil", "Accueil")
	b.wantPage(b.open("/compte"), 200, "/compte", "Mon compte")
	b.wantTab("Gestionnaire principal CT")
	return sub[1]
}

func TestE2EChangeOfPrincipal(t *testing.T) {
	longBrowserTest(t)
	t.Parallel()
	start := time.Now()
	p, mgr := startE2E(t, "changement-gestionnaire.png")

	const ct, mgrEmail, mgrPW = "Commune de Saumur", "gestion@saumur.fr", "Gestion-Saumur-49"
	login := p.createCT(t, ct, mgrEmail)
	m, _ := p.waitMail(t, 1)
	mgr.setPassword(p.linkIn(t, m), login, mgrPW)
	mgr.wantPage(mgr.login(login, mgrPW), 200, "/accueil", "Accueil")
	mgr.wantPage(mgr.open("/compte"), 200, "/compte", "Mon compte")
	mgr.wantTab("Ma fiche gestionnaire CT")
	mgr.wantNo(`.iel-tabs a[href="/compte/operateurs"]`)

	// The manager's own fiche first, so that the form has values to show.
	mgr.choose("civilite-mme")
	mgr.fill("nom", "Durand")
	mgr.fill("prenom", "Claire")
	mgr.fill("fonction", "Secrétaire de mairie")
	mgr.fill("telephone", "02 41 40 20 60")
	mgr.wantPage(mgr.submit(`form[action="/compte"] button[type=submit]`), 200, "/compte", "Mon compte")
	mgr.wantText(".govuk-notification-banner--success", "Votre fiche est enregistrée.")

	// "Changer le compte Gestionnaire principal": the form holds the current values.
	mgr.wantPage(mgr.click(`a[href="/compte/gestionnaire-principal"]`), 200, "/compte/gestionnaire-principal", "Nouveau gestionnaire principal CT : "+ct)
	for id, want := range map[string]string{"nom": "Durand", "prenom": "Claire", "fonction": "Secrétaire de mairie", "courriel": mgrEmail, "telephone": "02 41 40 20 60"} {
		if got := mgr.value(id); got != want {
			t.Errorf("#%s prefilled with %q, want %q", id, got, want)
		}
	}
	for _, id := range []string{"civilite-mme", "courriel_integration", "courriel_inter"} {
		if !mgr.checked(id) {
			t.Errorf("#%s not prefilled", id)
		}
	}

	// "Tout effacer" empties it.
	mgr.wantPage(mgr.click(`a[href="/compte/gestionnaire-principal?vide=1"]`), 200, "/compte/gestionnaire-principal?vide=1", "Nouveau gestionnaire principal CT : "+ct)
	for _, id := range []string{"nom", "prenom", "fonction", "courriel", "telephone"} {
		if got := mgr.value(id); got != "" {
			t.Errorf("#%s = %q after « Tout effacer », want it empty", id, got)
		}
	}
	for _, id := range []string{"civilite", "civilite-mme", "courriel_integration", "courriel_integration-non", "courriel_inter", "courriel_inter-non"} {
		if mgr.checked(id) {
			t.Errorf("#%s still checked after « Tout effacer »", id)
		}
	}

	// Another person; a bad phone first: the message, the typed values kept.
	np := person{civility: "civilite", last: "Lefebvre", first: "Marc", function: "Directeur général des services", email: "m.lefebvre@saumur.fr", phone: "02 41 40 20"}
	mgr.fillDesignation(np)
	mgr.wantPage(mgr.submit(designationSubmit), 422, "/compte/gestionnaire-principal", "Nouveau gestionnaire principal CT : "+ct)
	mgr.wantText(".govuk-error-summary", phoneRule)
	mgr.wantText("#telephone-error", phoneRule)
	for id, want := range map[string]string{"nom": np.last, "prenom": np.first, "fonction": np.function, "courriel": np.email, "telephone": np.phone} {
		if got := mgr.value(id); got != want {
			t.Errorf("#%s = %q after the refusal, want the typed %q", id, got, want)
		}
	}
	for _, id := range []string{"civilite", "courriel_integration", "courriel_inter"} {
		if !mgr.checked(id) {
			t.Errorf("#%s no longer checked after the refusal", id)
		}
	}
	mgr.fill("telephone", "02 41 40 20 61")
	mgr.wantPage(mgr.submit(designationSubmit), 200, "/compte", "Mon compte")
	mgr.wantText(".govuk-notification-banner--success", "La désignation est enregistrée : un courriel a été envoyé à "+np.email)
	mgr.wantText("#designation-titre", "Désignation en attente")
	mgr.wantText(`[aria-labelledby="designation-titre"]`, "Marc Lefebvre ("+np.email+")")

	m, _ = p.mailAfter(t, 1, subjectDesignationMail)
	wantTo(t, m, np.email)
	first := p.mailedLink(t, m, designationLinkRe)

	// "Renvoyer le courriel": a new link, the first one dead.
	mgr.wantPage(mgr.submit(`form[action="/compte/gestionnaire-principal/renvoyer"] button`), 200, "/compte", "Mon compte")
	mgr.wantText(".govuk-notification-banner--success", "Le courriel de désignation a été renvoyé à "+np.email)
	m, _ = p.mailAfter(t, 2, subjectDesignationMail)
	wantTo(t, m, np.email)
	link := p.mailedLink(t, m, designationLinkRe)
	if link == first {
		t.Fatalf("the resent e-mail has the first link again")
	}

	nb := mgr.otherPerson("changement-designe.png")
	nb.wantPage(nb.open(first), 410, strings.TrimPrefix(first, p.URL), "Lien inutilisable")
	nb.wantText("main", "Ce lien n'est pas valide ou ne sert plus")

	// The new link: no answer chosen is refused, then "j'accepte" with a comment.
	path := strings.TrimPrefix(link, p.URL)
	nb.wantPage(nb.open(link), 200, path, "Acceptation du rôle : gestionnaire principal CT")
	nb.wantText("main", ct)
	nb.wantText(`main a[href="/conditions-generales"]`, "conditions générales d'utilisation")
	nb.wantText("main legend", "Pour le rôle de gestionnaire principal CT :")
	nb.wantPage(nb.submit("main form button[type=submit]"), 422, path, "Acceptation du rôle : gestionnaire principal CT")
	nb.wantText("#reponse-error", "Indiquez si vous acceptez ou refusez le rôle de gestionnaire principal CT.")
	nb.wantText(".govuk-error-summary", "Indiquez si vous acceptez ou refusez le rôle de gestionnaire principal CT.")
	const comment = "Merci Claire, je prends le relais dès lundi."
	nb.choose("reponse")
	nb.fill("commentaire", comment)
	nb.wantPage(nb.submit("main form button[type=submit]"), 200, path, "Acceptation du rôle : gestionnaire principal CT")
	nb.wantText(".govuk-panel__title", "Votre réponse a été enregistrée")
	nb.wantText("main", "Vous avez accepté le rôle de gestionnaire principal CT")
	nb.wantText("main", "Un courriel a été envoyé à "+np.email)

	// The new principal's login, and the answer to the manager with the comment.
	pm, _ := p.mailAfter(t, 3, subjectPrincipalMail)
	wantTo(t, pm, np.email)
	sub := mailedLoginRe.FindStringSubmatch(pm.Text)
	if sub == nil {
		t.Fatalf("e-mail %q has no « votre login : »:\n%s", pm.Subject, pm.Text)
	}
	principal := sub[1]
	if principal == login {
		t.Fatalf("the principal got the CT's identifiant %s, want a personal one", login)
	}
	am, _ := p.mailAfter(t, 3, subjectDesAnswerMail)
	wantTo(t, am, mgrEmail)
	for _, want := range []string{"Marc Lefebvre a accepté", "Commentaire : " + comment, "Votre compte gestionnaire CT est fermé"} {
		if !strings.Contains(am.Text, want) {
			t.Errorf("answer e-mail lacks %q:\n%s", want, am.Text)
		}
	}

	// The manager's session ended; its codes no longer open anything.
	mgr.wantPage(mgr.open("/compte"), 200, "/connexion?suite=%2Fcompte", "Connexion")
	mgr.wantPage(mgr.login(login, mgrPW), 401, "/connexion", "Connexion")
	mgr.wantText(".govuk-error-summary", "Identifiant ou mot de passe incorrect.")

	// The principal sets its password and logs in with its own identifiant.
	nb.setPassword(p.linkIn(t, pm), principal, "Lefebvre-Anjou-26")
	nb.wantPage(nb.login(principal, "Lefebvre-Anjou-26"), 200, "/accueil", "Accueil")
	nb.wantPage(nb.open("/compte"), 200, "/compte", "Mon compte")
	nb.wantTab("Gestionnaire principal CT")
	nb.wantSource(`.iel-tabs a[href="/compte/operateurs"]`, "Comptes opérateurs")
	nb.wantText("main", "Ma fiche gestionnaire principal CT")
	nb.wantNo("#designation-titre")
	fixed, _ := nb.text("main form .govuk-summary-list:nth-of-type(2)")
	for _, want := range []string{"Nom " + np.last, "Prénom " + np.first, "Adresse courriel du service " + np.email} {
		if !strings.Contains(fixed, want) {
			t.Errorf("the fiche shows %q, want %q read-only", fixed, want)
		}
	}
	for _, id := range []string{"#nom", "#prenom", "#courriel"} {
		nb.wantNo(id)
	}
	nb.fill("fonction", "Directeur général adjoint")
	nb.wantPage(nb.submit(`form[action="/compte"] button[type=submit]`), 200, "/compte", "Mon compte")
	nb.wantText(".govuk-notification-banner--success", "Votre fiche est enregistrée.")
	if got := nb.value("fonction"); got != "Directeur général adjoint" {
		t.Errorf("fonction after saving = %q", got)
	}
	if n := len(p.SMTP.Messages()); n != 5 {
		t.Errorf("SMTP server received %d e-mails, want 5 (codes, 2 designations, login, answer)", n)
	}
	t.Logf("change of principal walked through in %v", time.Since(start).Round(time.Millisecond))
}

func TestE2EOperators(t *testing.T) {
	longBrowserTest(t)
	t.Parallel()
	start := time.Now()
	p, pb := startE2E(t, "operateurs-principal.png")

	const ct = "Communauté de communes Loire Layon Aubance"
	boss := person{civility: "civilite-mme", last: "Bernard", first: "Sophie", function: "Responsable RH", email: "s.bernard@3la.fr", phone: "02 41 11 22 33"}
	becomePrincipal(t, p, pb, ct, "rh@3la.fr", boss, "Bernard-Anjou-26")
	sent := len(p.SMTP.Messages()) // codes, designation, login, answer

	// "COMPTES OPÉRATEURS": the principal alone.
	pb.wantPage(pb.click(`.iel-tabs a[href="/compte/operateurs"]`), 200, "/compte/operateurs", "Mon compte")
	pb.wantTab("Comptes opérateurs")
	pb.wantText("main h2:not(.govuk-notification-banner__title)", "1 opérateur a été trouvé")
	pb.wantOperatorRow(boss.fullName(), "oui", "oui", "oui", "gestionnaire")

	// "Créer un opérateur": the identifiant is shown; an empty form is refused.
	pb.wantPage(pb.click(`main a[href="/compte/operateurs/nouveau"]`), 200, "/compte/operateurs/nouveau", "Créer un opérateur")
	opLogin, _ := pb.text("main form .govuk-summary-list__value")
	if !shownLoginRe.MatchString(opLogin) {
		t.Fatalf("Identifiant shown = %q, want 10 characters of [A-Z2-9]", opLogin)
	}
	const create = `form[action="/compte/operateurs"] button[type=submit]`
	pb.wantPage(pb.submit(create), 422, "/compte/operateurs", "Créer un opérateur")
	for id, want := range map[string]string{
		"civilite": "Choisissez la civilité.", "nom": "Saisissez le nom.", "prenom": "Saisissez le prénom.",
		"fonction": "Saisissez la fonction.", "telephone": "Saisissez le numéro de téléphone.", "courriel": "Saisissez l'adresse courriel.",
		"courriel_integration": "formation d'intégration", "courriel_inter": "formation inter",
	} {
		pb.wantText("#"+id+"-error", want)
		pb.wantText(fmt.Sprintf(`.govuk-error-summary a[href="#%s"]`, id), want)
	}
	if got, _ := pb.text("main form .govuk-summary-list__value"); got != opLogin {
		t.Errorf("Identifiant after the refusal = %q, want %q kept", got, opLogin)
	}

	op := person{civility: "civilite", last: "Moreau", first: "Julien", function: "Gestionnaire formation", email: "j.moreau@3la.fr", phone: "02.41.22.33.44"}
	pb.choose(op.civility)
	pb.fill("nom", op.last)
	pb.fill("prenom", op.first)
	pb.fill("fonction", op.function)
	pb.fill("telephone", op.phone)
	pb.fill("courriel", op.email)
	pb.choose("courriel_integration-non")
	pb.choose("courriel_inter-non")
	pb.wantPage(pb.submit(create), 200, "/compte/operateurs", "Mon compte")
	pb.wantText(".govuk-notification-banner--success", "Le compte opérateur de Julien Moreau est créé avec l'identifiant "+opLogin)
	pb.wantText("main h2:not(.govuk-notification-banner__title)", "2 opérateurs ont été trouvés")
	pb.wantOperatorRow(op.fullName(), "non", "non", "non", "inactif")
	if c := pb.operatorRow(op.fullName()); !strings.Contains(c[0], opLogin) || c[2] != "02 41 22 33 44" {
		t.Errorf("row of the operator = %q, want its identifiant and 02 41 22 33 44", c)
	}

	m, _ := p.mailAfter(t, sent, subjectInvitationMail)
	wantTo(t, m, op.email)
	link := p.mailedLink(t, m, invitationLinkRe)

	// The operator, on its own computer, accepts and sets its password.
	ob := pb.otherPerson("operateurs-operateur.png")
	path := strings.TrimPrefix(link, p.URL)
	ob.wantPage(ob.open(link), 200, path, "Acceptation du rôle : opérateur CT")
	ob.wantText("main", ct)
	ob.wantText("main legend", "Pour le rôle d'opérateur CT :")
	ob.wantPage(ob.submit("main form button[type=submit]"), 422, path, "Acceptation du rôle : opérateur CT")
	ob.wantText("#reponse-error", "Indiquez si vous acceptez ou refusez le rôle d'opérateur CT.")
	ob.choose("reponse")
	ob.wantPage(ob.submit("main form button[type=submit]"), 200, path, "Acceptation du rôle : opérateur CT")
	ob.wantText(".govuk-panel__title", "Votre réponse a été enregistrée")
	ob.wantText("main", "Un courriel a été envoyé à "+op.email)
	am, _ := p.mailAfter(t, sent, subjectOperatorAccountMail)
	wantTo(t, am, op.email)
	if !strings.Contains(am.Text, "votre login : "+opLogin) {
		t.Errorf("« votre compte opérateur CT » lacks the identifiant %s:\n%s", opLogin, am.Text)
	}
	const opPW = "Moreau-Anjou-49"
	ob.setPassword(p.linkIn(t, am), opLogin, opPW)
	ob.wantPage(ob.login(opLogin, opPW), 200, "/accueil", "Accueil")
	ob.wantPage(ob.open("/compte"), 200, "/compte", "Mon compte")
	ob.wantTab("Opérateur")
	ob.wantNo(`a[href="/compte/operateurs"]`)
	ob.wantNo(`a[href="/compte/gestionnaire-principal"]`)
	ob.wantText("main", "Mes codes de connexion")
	ob.wantText("main", "Ma fiche opérateur")

	am, _ = p.mailAfter(t, sent, subjectInvAnswerMail)
	wantTo(t, am, boss.email)
	if !strings.Contains(am.Text, "Julien Moreau a accepté") {
		t.Errorf("answer e-mail to the principal:\n%s", am.Text)
	}

	// What is the principal's is refused to the operator, on the server.
	ob.wantPage(ob.open("/compte/operateurs"), 403, "/compte/operateurs", "Accès refusé")
	ob.wantPage(ob.open("/compte/gestionnaire-principal"), 403, "/compte/gestionnaire-principal", "Accès refusé")

	// The operator's mail preferences: integration yes, inter no.
	ob.wantPage(ob.open("/compte"), 200, "/compte", "Mon compte")
	ob.choose("courriel_integration")
	ob.choose("courriel_inter-non")
	ob.wantPage(ob.submit(`form[action="/compte"] button[type=submit]`), 200, "/compte", "Mon compte")
	ob.wantText(".govuk-notification-banner--success", "Votre fiche est enregistrée.")

	// Back to the principal: the operator is active.
	pb.wantPage(pb.open("/compte/operateurs"), 200, "/compte/operateurs", "Mon compte")
	pb.wantOperatorRow(op.fullName(), "non", "oui", "non", "actif")

	// The principal leaves integration to the operator; inter has no one else.
	pb.wantPage(pb.open("/compte"), 200, "/compte", "Mon compte")
	pb.choose("courriel_integration-non")
	pb.wantPage(pb.submit(`form[action="/compte"] button[type=submit]`), 200, "/compte", "Mon compte")
	pb.wantText(".govuk-notification-banner--success", "Votre fiche est enregistrée.")
	pb.choose("courriel_inter-non")
	pb.wantPage(pb.submit(`form[action="/compte"] button[type=submit]`), 409, "/compte", "Mon compte")
	const noInter = "plus aucun compte de la collectivité ne recevrait les courriels et documents de la formation inter."
	pb.wantText(".govuk-error-summary", noInter)
	pb.wantText("#prefs-error", noInter)

	// Deleting the operator, the last integration recipient, is refused.
	pb.wantPage(pb.open("/compte/operateurs"), 200, "/compte/operateurs", "Mon compte")
	pb.wantOperatorRow(boss.fullName(), "oui", "non", "oui", "gestionnaire")
	status := pb.click(`main a[href$="/supprimer"]`)
	del := pb.path()
	if !deletePathRe.MatchString(del) {
		t.Fatalf("« Supprimer » led to %s", del)
	}
	pb.wantPage(status, 200, del, "Supprimer le compte opérateur de Julien Moreau ?")
	pb.wantText("main", "Identifiant : "+opLogin)
	pb.wantPage(pb.submit("main form button[type=submit]"), 409, del, "Supprimer le compte opérateur de Julien Moreau ?")
	pb.wantText(".govuk-error-summary", "plus aucun compte de la collectivité ne recevrait les courriels et documents de la formation d'intégration.")

	// Integration back to the principal: the deletion goes through.
	pb.wantPage(pb.open("/compte"), 200, "/compte", "Mon compte")
	pb.choose("courriel_integration")
	pb.wantPage(pb.submit(`form[action="/compte"] button[type=submit]`), 200, "/compte", "Mon compte")
	pb.wantText(".govuk-notification-banner--success", "Votre fiche est enregistrée.")
	pb.wantPage(pb.open(del), 200, del, "Supprimer le compte opérateur de Julien Moreau ?")
	pb.wantPage(pb.submit("main form button[type=submit]"), 200, "/compte/operateurs", "Mon compte")
	pb.wantText(".govuk-notification-banner--success", "Le compte opérateur de Julien Moreau est supprimé.")
	pb.wantText("main h2:not(.govuk-notification-banner__title)", "1 opérateur a été trouvé")

	// The operator's browser, reloaded, is signed out, and stays so.
	ob.wantPage(ob.open("/compte"), 200, "/connexion?suite=%2Fcompte", "Connexion")
	ob.wantPage(ob.login(opLogin, opPW), 401, "/connexion", "Connexion")
	t.Logf("operators walked through in %v", time.Since(start).Round(time.Millisecond))
}
