package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
	"iel/internal/mail"
)

// figure is one of the CT's numbers on "Accueil": its value, and where
// its "Voir" leads ("" when it has none).
type figure struct {
	Value, Link string
}

var (
	waitingBlock   = regexp.MustCompile(`(?s)<div id="en-attente">(.*?)<h2 `)
	figuresBlock   = regexp.MustCompile(`(?s)<dl class="govuk-summary-list" id="chiffres">(.*?)</dl>`)
	figureRow      = regexp.MustCompile(`(?s)<dt class="govuk-summary-list__key">(.*?)</dt>\s*<dd class="govuk-summary-list__value">(.*?)</dd>(\s*<dd class="govuk-summary-list__actions">\s*<a class="govuk-link" href="([^"]+)")?`)
	shortcutsBlock = regexp.MustCompile(`(?s)<ul class="govuk-list govuk-list--spaced" id="raccourcis">(.*?)</ul>`)
	shortcutLink   = regexp.MustCompile(`<a class="govuk-link" href="([^"]+)">(.*?)</a>`)
	menuBlock      = regexp.MustCompile(`(?s)<ul class="govuk-service-navigation__list" id="menu">(.*?)</ul>`)
	menuLink       = regexp.MustCompile(`(?s)<a\s+class="govuk-service-navigation__link"\s+href="([^"]+)"(\s+aria-current="page")?\s*>(.*?)</a>`)
)

// waitingOf is the text of the "En attente" part of a home page.
func waitingOf(t testing.TB, r response) string {
	t.Helper()
	m := waitingBlock.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no \"En attente\" on the page:\n%s", excerpt(r.Text))
	}
	return visibleText(m[1])
}

// figuresOf reads "La collectivité en chiffres" on a home page.
func figuresOf(t testing.TB, r response) map[string]figure {
	t.Helper()
	m := figuresBlock.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no figures on the page:\n%s", excerpt(r.Text))
	}
	out := map[string]figure{}
	for _, row := range figureRow.FindAllStringSubmatch(m[1], -1) {
		out[html.UnescapeString(row[1])] = figure{Value: row[2], Link: row[4]}
	}
	return out
}

// shortcutsOf reads the links to the tabs of "Mon compte" on a home page,
// as tabs none of which is the current one.
func shortcutsOf(t testing.TB, r response) []tab {
	t.Helper()
	m := shortcutsBlock.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no shortcuts on the page:\n%s", excerpt(r.Text))
	}
	var out []tab
	for _, l := range shortcutLink.FindAllStringSubmatch(m[1], -1) {
		out = append(out, tab{Label: html.UnescapeString(l[2]), Href: l[1]})
	}
	return out
}

// menuOf reads the links of the main menu, in order.
func menuOf(t testing.TB, r response) []tab {
	t.Helper()
	m := menuBlock.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no menu on the page:\n%s", excerpt(r.Text))
	}
	var out []tab
	for _, l := range menuLink.FindAllStringSubmatch(m[1], -1) {
		out = append(out, tab{Label: html.UnescapeString(strings.TrimSpace(l[3])), Href: l[1], Current: l[2] != ""})
	}
	return out
}

// homeWorld is a CT with a principal, two active operators, an operator
// whose invitation expired, one invited since, a correspondant; another
// CT in the same state; and a CT run by its historical manager.
type homeWorld struct {
	ts         *testServer
	p, other   principalFixture
	sophie     operatorFixture
	julien     operatorFixture
	marc, lea  domain.Account
	manager    seededCT
	managerCli *http.Client
}

var (
	julienFiche = domain.Fiche{Civility: domain.Monsieur, LastName: "Roche", FirstName: "Julien", Function: "Gestionnaire RH",
		Email: "j.roche@cholet.example.fr", Phone: "0241556677"}
	marcFiche = domain.Fiche{Civility: domain.Monsieur, LastName: "Vasseur", FirstName: "Marc", Function: "Agent",
		Email: "m.vasseur@cholet.example.fr", Phone: "0241000012"}
	leaFiche = domain.Fiche{Civility: domain.Madame, LastName: "Petit", FirstName: "Léa", Function: "Assistante RH",
		Email: "l.petit@cholet.example.fr", Phone: "0241445566"}
	ninaFiche = domain.Fiche{Civility: domain.Madame, LastName: "Nouvelle", FirstName: "Nina", Function: "DGS",
		Email: "nina.nouvelle@cholet.example.fr", Phone: "02 41 00 00 10"}
	// The other CT's people, whose names must never show in the first CT.
	igorFiche = domain.Fiche{Civility: domain.Monsieur, LastName: "Intrus", FirstName: "Igor", Function: "Agent",
		Email: "igor@angers.example.fr", Phone: "0600000000"}
	bobFiche = domain.Fiche{Civility: domain.Monsieur, LastName: "Ailleurs", FirstName: "Bob", Function: "DGS",
		Email: "bob@angers.example.fr", Phone: "0600000001"}
)

func newHomeWorld(t *testing.T) *homeWorld {
	t.Helper()
	ts := newTestServer(t)
	w := &homeWorld{ts: ts, p: ts.principalCT(t), other: ts.principalCT(t)}
	w.marc = ts.seedOperators(t, w.p, marcFiche)[0]
	// Marc's invitation expires; every session too: all log in again.
	ts.Clock.Advance(mail.InvitationTTL + time.Hour)
	w.p.Client = ts.client(t)
	ts.login(t, w.p.Client, w.p.Login, w.p.Password)
	w.other.Client = ts.client(t)
	ts.login(t, w.other.Client, w.other.Login, w.other.Password)
	w.lea = ts.seedOperators(t, w.p, leaFiche)[0]
	w.sophie = ts.operator(t, w.p, operatorFiche, "oui", "oui")
	w.julien = ts.operator(t, w.p, julienFiche, "oui", "oui")
	ts.seedContact(t, w.p.CT.ID)
	for i := range 2 { // agents: two in this CT, three in the other
		ts.seedAgent(t, w.p.CT.ID, "Ici", fmt.Sprintf("Agent %d", i), i)
	}
	for i := range 3 {
		ts.seedAgent(t, w.other.CT.ID, "Ailleurs", fmt.Sprintf("Agent %d", i), i)
	}

	ts.seedOperators(t, w.other, igorFiche)
	ts.seedContact(t, w.other.CT.ID)
	ts.seedContact(t, w.other.CT.ID)
	wantStatus(t, ts.postForm(t, w.other.Client, "/compte/gestionnaire-principal", ficheValues(bobFiche, "oui", "oui")), http.StatusSeeOther, "/compte")

	w.manager = ts.seedCT(t)
	w.managerCli = ts.loggedIn(t, w.manager)
	return w
}

// The names of the other CT's people and pending answers.
var otherCTNames = []string{"Igor", "Intrus", "Bob", "Ailleurs"}

// TestHomePrincipal: the principal sees its designation and its
// operators' invitations, with where to act on them, and its CT's
// numbers, each with the page that lists them; nothing of another CT.
func TestHomePrincipal(t *testing.T) {
	t.Parallel()
	w := newHomeWorld(t)
	ts := w.ts

	r := ts.get(t, w.p.Client, "/accueil")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Accueil", w.p.CT.Name)
	waiting := waitingOf(t, r)
	for _, want := range []string{"Léa Petit", "l.petit@cholet.example.fr", "Marc Vasseur", "m.vasseur@cholet.example.fr", "Renvoyer une invitation dans Comptes opérateurs"} {
		if !strings.Contains(waiting, want) {
			t.Errorf("\"En attente\" lacks %q:\n%s", want, waiting)
		}
	}
	// By name, the French way, not in the order of invitation: Petit, then
	// Vasseur; Léa's link works, Marc's expired.
	if !regexp.MustCompile(`Léa Petit\nl\.petit@cholet\.example\.fr\n` + frenchDate + `\njusqu'au ` + frenchDate +
		`\nMarc Vasseur\nm\.vasseur@cholet\.example\.fr\n` + frenchDate + `\nexpirée le ` + frenchDate + `\n`).MatchString(waiting) {
		t.Errorf("invitations not as expected (Léa valid, then Marc expired):\n%s", waiting)
	}
	for _, absent := range []string{"Sophie", "Julien", "Désignation du gestionnaire principal CT", "Rien ne vous attend"} {
		if strings.Contains(waiting, absent) {
			t.Errorf("\"En attente\" shows %q:\n%s", absent, waiting)
		}
	}
	wantMarkup(t, r, `href="/compte/operateurs">Renvoyer une invitation`)
	want := map[string]figure{
		"Comptes actifs":           {"3", "/compte/operateurs"},
		"Comptes inactifs":         {"2", "/compte/operateurs"},
		"Comptes refusés":          {"0", "/compte/operateurs"},
		"Correspondants formation": {"1", "/compte/correspondants"},
		"Agents":                   {"2", "/agents"},
	}
	if diff := cmp.Diff(want, figuresOf(t, r)); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}
	wantNoText(t, r, otherCTNames...)

	// The designation the principal makes shows, with where to resend or cancel it.
	wantStatus(t, ts.postForm(t, w.p.Client, "/compte/gestionnaire-principal", ficheValues(ninaFiche, "oui", "oui")), http.StatusSeeOther, "/compte")
	ts.get(t, w.p.Client, "/compte") // the flash is read
	r = ts.get(t, w.p.Client, "/accueil")
	waiting = waitingOf(t, r)
	if !regexp.MustCompile(`Nina Nouvelle \(nina\.nouvelle@cholet\.example\.fr\) a été désigné\(e\) comme nouveau gestionnaire principal CT le ` +
		frenchDate + `\. Le lien envoyé est valable jusqu'au ` + frenchDate + `\.`).MatchString(waiting) {
		t.Errorf("the designation is not shown:\n%s", waiting)
	}
	wantMarkup(t, r, `<a class="govuk-link" href="/compte">Renvoyer ou annuler la désignation</a>`)
	wantNoText(t, r, otherCTNames...)

	// A week later, it says the link expired.
	ts.Clock.Advance(mail.DesignationTTL + time.Hour)
	c := ts.client(t)
	ts.login(t, c, w.p.Login, w.p.Password)
	waiting = waitingOf(t, ts.get(t, c, "/accueil"))
	if !regexp.MustCompile(`Le lien envoyé a expiré le ` + frenchDate + ` sans réponse\.`).MatchString(waiting) {
		t.Errorf("the expired designation does not say so:\n%s", waiting)
	}
	if n := strings.Count(waiting, "expirée le"); n != 2 {
		t.Errorf("%d expired invitations, want Léa's and Marc's:\n%s", n, waiting)
	}
}

// TestHomeOperator: an operator administers neither the operators nor the
// principal's designation: it sees neither, and no link to the operators'
// list; it sees its CT's numbers. Designated itself, it sees that, and
// only it does.
func TestHomeOperator(t *testing.T) {
	t.Parallel()
	w := newHomeWorld(t)
	ts := w.ts
	wantStatus(t, ts.postForm(t, w.p.Client, "/compte/gestionnaire-principal", ficheValues(ninaFiche, "oui", "oui")), http.StatusSeeOther, "/compte")

	r := ts.get(t, w.sophie.Client, "/accueil")
	wantStatus(t, r, http.StatusOK, "")
	if got := waitingOf(t, r); got != "Rien ne vous attend pour l'instant.\n" {
		t.Errorf("\"En attente\" of an operator:\n%s", got)
	}
	wantNoText(t, r, "Léa", "Marc", "Nina", "Nouvelle", "Désignation", "Invitations")
	wantNoText(t, r, otherCTNames...)
	wantNoMarkup(t, r, `href="/compte/operateurs"`)
	want := map[string]figure{
		"Comptes actifs":           {"3", ""},
		"Comptes inactifs":         {"2", ""},
		"Comptes refusés":          {"0", ""},
		"Correspondants formation": {"1", "/compte/correspondants"},
		"Agents":                   {"2", "/agents"},
	}
	if diff := cmp.Diff(want, figuresOf(t, r)); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}

	// The principal designates Sophie instead: she is told where to answer; Julien sees nothing.
	form := ficheValues(operatorFiche, "oui", "oui")
	form.Set("operateur", fmt.Sprint(w.sophie.Account.ID))
	wantStatus(t, ts.postForm(t, w.p.Client, "/compte/gestionnaire-principal", form), http.StatusSeeOther, "/compte")
	waiting := waitingOf(t, ts.get(t, w.sophie.Client, "/accueil"))
	if !regexp.MustCompile(`^Votre désignation comme gestionnaire principal CT\nVous avez été désigné\(e\) comme nouveau gestionnaire principal CT le ` +
		frenchDate + `\. Pour accepter ou refuser ce rôle, suivez le lien envoyé à s\.bernard@cholet\.example\.fr, valable jusqu'au ` + frenchDate + `\.\n$`).MatchString(waiting) {
		t.Errorf("the designated operator's \"En attente\":\n%s", waiting)
	}
	if got := waitingOf(t, ts.get(t, w.julien.Client, "/accueil")); got != "Rien ne vous attend pour l'instant.\n" {
		t.Errorf("\"En attente\" of another operator:\n%s", got)
	}
	wantNoText(t, ts.get(t, w.julien.Client, "/accueil"), "Sophie", "Bernard")

	// Expired, the link is to be asked again.
	ts.Clock.Advance(mail.DesignationTTL + time.Hour)
	c := ts.client(t)
	ts.login(t, c, w.sophie.Login, w.sophie.Password)
	waiting = waitingOf(t, ts.get(t, c, "/accueil"))
	if !regexp.MustCompile(`Le lien envoyé à s\.bernard@cholet\.example\.fr a expiré le ` + frenchDate +
		` : demandez au gestionnaire principal actuel de vous renvoyer la désignation\.`).MatchString(waiting) {
		t.Errorf("the designated operator's expired link:\n%s", waiting)
	}
}

// TestHomeManager: the historical manager sees its designation once made,
// with where to act on it, and its CT's numbers; nothing of another CT.
func TestHomeManager(t *testing.T) {
	t.Parallel()
	w := newHomeWorld(t)
	ts := w.ts

	r := ts.get(t, w.managerCli, "/accueil")
	wantStatus(t, r, http.StatusOK, "")
	if got := waitingOf(t, r); got != "Rien ne vous attend pour l'instant.\n" {
		t.Errorf("\"En attente\" of a manager with nothing pending:\n%s", got)
	}
	want := map[string]figure{
		"Comptes actifs":           {"1", ""},
		"Comptes inactifs":         {"0", ""},
		"Comptes refusés":          {"0", ""},
		"Correspondants formation": {"0", "/compte/correspondants"},
		"Agents":                   {"0", "/agents"},
	}
	if diff := cmp.Diff(want, figuresOf(t, r)); diff != "" {
		t.Errorf("figures (-want +got):\n%s", diff)
	}

	wantStatus(t, ts.postForm(t, w.managerCli, "/compte/gestionnaire-principal", ficheValues(principalFiche, "oui", "oui")), http.StatusSeeOther, "/compte")
	ts.get(t, w.managerCli, "/compte") // the flash is read
	r = ts.get(t, w.managerCli, "/accueil")
	waiting := waitingOf(t, r)
	if !regexp.MustCompile(`^Désignation du gestionnaire principal CT\nPaul Martin \(dgs@cholet\.example\.fr\) a été désigné\(e\) comme nouveau gestionnaire principal CT le ` +
		frenchDate + `\. Le lien envoyé est valable jusqu'au ` + frenchDate + `\.\nRenvoyer ou annuler la désignation\n$`).MatchString(waiting) {
		t.Errorf("the manager's \"En attente\":\n%s", waiting)
	}
	wantMarkup(t, r, `<a class="govuk-link" href="/compte">Renvoyer ou annuler la désignation</a>`)
	wantNoText(t, r, otherCTNames...)
	wantNoText(t, r, "Léa", "Marc", "Sophie")
}

// TestHomeShortcutsAreTheTabs: "Accueil" leads to the tabs of "Mon
// compte" of each role, the same and in the same order.
func TestHomeShortcutsAreTheTabs(t *testing.T) {
	t.Parallel()
	w := newHomeWorld(t)
	for name, c := range map[string]*http.Client{"historical manager": w.managerCli, "principal": w.p.Client, "operator": w.sophie.Client} {
		t.Run(name, func(t *testing.T) {
			want := accountTabsOf(t, w.ts.get(t, c, "/compte"))
			for i := range want {
				want[i].Current = false
			}
			if diff := cmp.Diff(want, shortcutsOf(t, w.ts.get(t, c, "/accueil"))); diff != "" {
				t.Errorf("shortcuts (-tabs of Mon compte +shortcuts):\n%s", diff)
			}
		})
	}
}

// TestHomeLanding: after login, at / and at the login page, a signed-in
// person lands on "Accueil", first in the menu; a ?suite= asked before
// login still wins.
func TestHomeLanding(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.client(t)
	r := ts.postForm(t, c, "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {s.Password}})
	wantStatus(t, r, http.StatusSeeOther, "/accueil")
	wantStatus(t, ts.get(t, c, "/"), http.StatusSeeOther, "/accueil")
	wantStatus(t, ts.get(t, c, "/connexion"), http.StatusSeeOther, "/accueil")

	r = ts.get(t, c, "/accueil")
	wantStatus(t, r, http.StatusOK, "")
	menu := menuOf(t, r)
	if len(menu) < 4 || menu[0] != (tab{"Accueil", "/accueil", true}) || menu[1] != (tab{"Agents", "/agents", false}) ||
		menu[2] != (tab{"Formations", "/formations", false}) || menu[3] != (tab{"Mon compte", "/compte", false}) {
		t.Errorf("menu on Accueil = %+v, want Accueil (current), Agents, Formations, then Mon compte", menu)
	}
	menu = menuOf(t, ts.get(t, c, "/compte"))
	if len(menu) < 4 || menu[0] != (tab{"Accueil", "/accueil", false}) || menu[1] != (tab{"Agents", "/agents", false}) ||
		menu[2] != (tab{"Formations", "/formations", false}) || menu[3] != (tab{"Mon compte", "/compte", true}) {
		t.Errorf("menu on Mon compte = %+v, want Accueil, Agents, Formations, then Mon compte (current)", menu)
	}

	anon := ts.client(t)
	wantStatus(t, ts.get(t, anon, "/accueil"), http.StatusSeeOther, "/connexion?suite=%2Faccueil")
	r = ts.postForm(t, anon, "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {s.Password}, "suite": {"/compte/parametres"}})
	wantStatus(t, r, http.StatusSeeOther, "/compte/parametres")
}

// walkHome adds "Accueil" to the walk of the portal: the historical
// manager's, before and after it designates; the principal's, with its
// designation and invitations (one expired); the designated operator's.
func walkHome(w *pageWalk) {
	t := w.t
	ts := w.watch(newTestServer(t))
	s := ts.seedCT(t)
	w.name(s.Account.Login, "Claire Durand")
	m := ts.loggedIn(t, s)
	w.add("home-manager", 200, ts.get(t, m, "/accueil"))
	wantStatus(t, ts.postForm(t, m, "/compte/gestionnaire-principal", ficheValues(principalFiche, "oui", "oui")), http.StatusSeeOther, "/compte")
	ts.get(t, m, "/compte") // the flash is read
	w.add("home-manager-pending", 200, ts.get(t, m, "/accueil"))

	p := ts.principalCT(t)
	w.name(p.Login, "Paul Martin")
	marc := ts.seedOperators(t, p, marcFiche)[0]
	w.name(marc.Login, "Marc Vasseur")
	ts.Clock.Advance(mail.InvitationTTL + time.Hour)
	pc := ts.client(t)
	ts.login(t, pc, p.Login, p.Password)
	p.Client = pc
	lea := ts.seedOperators(t, p, leaFiche)[0]
	w.name(lea.Login, "Léa Petit")
	o := ts.operator(t, p, operatorFiche, "oui", "oui")
	w.name(o.Login, "Sophie Bernard")
	ts.seedContact(t, p.CT.ID)
	form := ficheValues(operatorFiche, "oui", "oui")
	form.Set("operateur", fmt.Sprint(o.Account.ID))
	wantStatus(t, ts.postForm(t, pc, "/compte/gestionnaire-principal", form), http.StatusSeeOther, "/compte")
	ts.get(t, pc, "/compte") // the flash is read
	w.add("home-principal", 200, ts.get(t, pc, "/accueil"))
	w.add("home-operator-designated", 200, ts.get(t, o.Client, "/accueil"))
}
