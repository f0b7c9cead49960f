package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// End-to-end tests of the frame of every page: the header that names who
// is signed in, the footer and its information pages, reached with the
// keyboard alone, without JavaScript and at a zoom of 200 %, each checked
// by axe-core; and the demo's story, as "serve --demo" tells it. They make
// true what the déclaration d'accessibilité says is checked.

// footerPages are the footer's links, in its order, with the heading of
// the page each one opens.
var footerPages = []struct{ path, label, h1 string }{
	{"/accessibilite", "Accessibilité : partiellement conforme", "Déclaration d'accessibilité"},
	{"/mentions-legales", "Mentions légales", "Mentions légales"},
	{"/donnees-personnelles", "Données personnelles", "Données personnelles"},
	{"/conditions-generales", "Conditions générales d'utilisation", "Conditions générales d'utilisation"},
	{"/plan-du-site", "Plan du site", "Plan du site"},
	{"/aide", "Aide et contact", "Aide et contact"},
}

// focusStop is what holds the focus after a press of Tab.
type focusStop struct {
	Tag, ID, Href, Text string
	Visible             bool // its focus style differs from its look without focus
}

func (f focusStop) String() string {
	return fmt.Sprintf("<%s id=%q href=%q> %q", f.Tag, f.ID, f.Href, f.Text)
}

// describeJS describes an element e as a focusStop, without Visible.
const describeJS = `e => ({Tag: e.tagName.toLowerCase(), ID: e.id, Href: e.getAttribute("href") || "",
	Text: (e.innerText || e.value || "").trim().split(/\s+/).join(" ")})`

// tab presses Tab and returns what then has the focus; whether its focus
// shows is read by comparing its style focused and blurred (an outline of
// any visible colour, a box shadow, a background).
func (b *browser) tab() focusStop {
	b.t.Helper()
	b.do("press Tab", chromedp.KeyEvent(kb.Tab))
	var f *focusStop
	b.eval(`(() => {
		const e = document.activeElement;
		if (!e || e === document.body || e === document.documentElement) return null;
		// A radio or a checkbox shows its focus on its label's drawn box.
		const drawn = (e.type === "radio" || e.type === "checkbox") && e.labels && e.labels[0];
		const look = () => {
			const s = drawn ? getComputedStyle(e.labels[0], "::before") : getComputedStyle(e);
			const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && s.outlineColor !== "rgba(0, 0, 0, 0)";
			return {o: outline ? s.outlineStyle + s.outlineWidth + s.outlineColor : "", sh: s.boxShadow, bg: s.backgroundColor};
		};
		const on = look();
		e.blur();
		const off = look();
		e.focus();
		return Object.assign((`+describeJS+`)(e), {
			Visible: (on.o !== "" && on.o !== off.o) || (on.sh !== "none" && on.sh !== off.sh) || on.bg !== off.bg,
		});
	})()`, &f)
	if f == nil {
		b.t.Fatalf("%s: Tab left the focus on no element", b.path())
	}
	return *f
}

// focusables lists the elements Tab reaches, in the order of the document.
func (b *browser) focusables() []focusStop {
	b.t.Helper()
	var out []focusStop
	b.eval(`[...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")]
		.filter(e => e.tabIndex >= 0 && !e.disabled && e.type !== "hidden" && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden")
		// Tab stops once in a group of radios: on the checked one, else on the first.
		.filter(e => e.type !== "radio" || e.checked ||
			(!document.querySelector('input[type=radio][name="' + e.name + '"]:checked') && document.querySelector('input[type=radio][name="' + e.name + '"]') === e))
		.map(`+describeJS+`)`, &out)
	return out
}

// tabTo presses Tab from the top of the page until the link to path has
// the focus, and checks on the way that each stop comes in the order of
// the document and shows its focus; it returns the stops.
func (b *browser) tabTo(path string) []focusStop {
	b.t.Helper()
	order := b.focusables()
	var stops []focusStop
	for i := range order {
		f := b.tab()
		stops = append(stops, f)
		want := order[i]
		want.Visible = true
		if f != want {
			b.t.Errorf("%s: Tab stop %d is %v (focus shown: %v), want %v in the order of the page, its focus shown", b.path(), i+1, f, f.Visible, order[i])
		}
		if f.Href == path {
			return stops
		}
	}
	b.t.Fatalf("%s: Tab never reached the link to %s; stops: %v", b.path(), path, stops)
	return nil
}

// wantNoSideScroll fails unless the page fits the width of the window.
func (b *browser) wantNoSideScroll() {
	b.t.Helper()
	var w struct{ Scroll, Client int }
	b.eval(`({Scroll: document.documentElement.scrollWidth, Client: document.documentElement.clientWidth})`, &w)
	if w.Scroll > w.Client {
		b.t.Errorf("%s: %d pixels wide in a window of %d: it scrolls sideways", b.path(), w.Scroll, w.Client)
	}
}

// wantHeader fails unless the header names who is signed in as want.
func (b *browser) wantHeader(want string) {
	b.t.Helper()
	b.wantText(".iel-header__account", want)
	if got, _ := b.text(`form[action="/deconnexion"] button`); got != "Se déconnecter" {
		b.t.Errorf("%s: the logout button reads %q, want « Se déconnecter »", b.path(), got)
	}
}

// TestE2EFrame and TestE2EDemo run before the end-to-end tests of the
// flows, not beside them: on a small machine, two more tests at once would
// push those past their time limit (e2eTimeout).
func TestE2EFrame(t *testing.T) {
	p, b := startE2E(t, "cadre.png")
	login := p.createCT(t, "Commune de Cholet", "rh@cholet.fr")
	m, _ := p.waitMail(t, 1)
	const pw = "Mauges-Layon-49"
	b.setPassword(p.linkIn(t, m), login, pw)

	// The login page with the keyboard alone: every stop in the order of
	// the page, each showing its focus, from the skip link to the footer.
	b.wantPage(b.open("/connexion"), 200, "/connexion", "Connexion")
	stops := b.tabTo("/aide")
	if first := stops[0]; first.Href != "#contenu" || first.Text != "Aller au contenu" {
		t.Errorf("the first Tab stop is %v, want the skip link « Aller au contenu »", first)
	}
	var labels []string
	for _, s := range stops[len(stops)-len(footerPages):] {
		labels = append(labels, s.Text)
	}
	for i, fp := range footerPages {
		if labels[i] != fp.label {
			t.Errorf("footer stop %d is %q, want %q", i+1, labels[i], fp.label)
		}
	}
	// The skip link leads to the content.
	b.open("/connexion")
	if f := b.tab(); f.Href != "#contenu" {
		t.Fatalf("first Tab stop %v", f)
	}
	b.do("follow the skip link", chromedp.KeyEvent(kb.Enter))
	if got := b.location(); !strings.HasSuffix(got, "#contenu") {
		t.Errorf("the skip link led to %s", got)
	}

	// Signing in without a mouse: Tab to the field, type, Tab, type, Enter.
	b.open("/connexion")
	for f := b.tab(); f.ID != "identifiant"; f = b.tab() {
		if f.Href == "/aide" {
			t.Fatal("Tab never reached the identifiant field")
		}
	}
	b.do("type the identifiant", chromedp.KeyEvent(login))
	if f := b.tab(); f.ID != "mot_de_passe" {
		t.Fatalf("Tab after the identifiant went to %v", f)
	}
	b.do("type the password", chromedp.KeyEvent(pw))
	b.wantPage(b.load("press Enter", chromedp.KeyEvent(kb.Enter)), 200, "/accueil", "Accueil")
	b.wantHeader("Gestionnaire CT – Commune de Cholet")
	if got, _ := b.text("header"); strings.Contains(got, login) {
		t.Errorf("the header shows the identifiant: %q", got)
	}

	// With a name on the fiche, the header says it.
	b.wantPage(b.open("/compte"), 200, "/compte", "Mon compte")
	b.choose("civilite-mme")
	b.fill("nom", "Durand")
	b.fill("prenom", "Claire")
	b.fill("fonction", "Responsable formation")
	b.fill("telephone", "02 41 00 00 00")
	b.wantPage(b.submit(`form[action="/compte"] button[type=submit]`), 200, "/compte", "Mon compte")
	b.wantText(".govuk-notification-banner__title", "Confirmation")
	b.wantHeader("Claire Durand – Commune de Cholet")

	// Each information page, opened from the footer with the keyboard. (The
	// confirmation banner took the focus: the walk starts on a fresh page.)
	b.open("/compte")
	for _, fp := range footerPages {
		b.tabTo(fp.path)
		b.wantPage(b.load("press Enter on "+fp.label, chromedp.KeyEvent(kb.Enter)), 200, fp.path, fp.h1)
		b.wantHeader("Claire Durand – Commune de Cholet")
		b.wantText(`.govuk-footer a[aria-current="page"]`, fp.label)
	}
	b.tabTo("/aide") // the last one, walked to its own footer link

	// At a zoom of 200 %: a window half as wide, and nothing scrolls sideways.
	b.do("zoom 200 %", chromedp.EmulateViewport(640, 512))
	for _, path := range []string{"/compte", "/accessibilite", "/mentions-legales", "/donnees-personnelles", "/conditions-generales", "/plan-du-site", "/aide"} {
		b.open(path)
		b.wantNoSideScroll()
	}
	b.logout()
	b.wantNoSideScroll()
	b.do("zoom back", chromedp.EmulateViewport(1280, 1024))

	// Without JavaScript: the login and the information pages work alike.
	nojs := b.otherPerson("cadre-sans-js.png")
	nojs.do("disable JavaScript", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	// (axe-core needs JavaScript: these pages are checked with it above.)
	nojs.wantPlainPage(nojs.open("/connexion"), 200, "/connexion", "Connexion")
	var ran bool
	nojs.eval(`document.body.classList.contains("js-enabled")`, &ran)
	if ran {
		t.Fatal("the page's scripts ran: JavaScript is not disabled")
	}
	nojs.wantPlainPage(nojs.login(login, pw), 200, "/accueil", "Accueil")
	nojs.wantHeader("Claire Durand – Commune de Cholet")
	for _, fp := range footerPages {
		nojs.wantPlainPage(nojs.click(`.govuk-footer a[href="`+fp.path+`"]`), 200, fp.path, fp.h1)
		nojs.wantHeader("Claire Durand – Commune de Cholet")
	}
	nojs.wantPlainPage(nojs.submit(`form[action="/deconnexion"] button`), 200, "/connexion", "Connexion")
	nojs.wantText(".govuk-notification-banner--success", "Vous êtes déconnecté(e).")
}

// wantPlainPage is wantPage without axe-core, for a browser that runs no
// JavaScript in its pages.
func (b *browser) wantPlainPage(status, wantStatus int64, path, h1 string) {
	b.t.Helper()
	if got := b.path(); got != path {
		b.t.Fatalf("at %s, want %s\npage: %s", got, path, b.bodyText())
	}
	if status != wantStatus {
		b.t.Errorf("%s: status %d, want %d", path, status, wantStatus)
	}
	b.wantText("h1", h1)
}

// TestE2EDemo: "serve --demo" tells its story in the browser: a banner on
// every page says the e-mails are not sent and links them; Maine-et-Loire's
// principal, designated by its historical manager, signs in with the demo
// password and finds the operators the demo made; the historical manager
// was told of the acceptance by e-mail.
func TestE2EDemo(t *testing.T) {
	sharedChromium(t)
	db := t.TempDir() + "/iel.db"
	printed, base, _ := runServe(t, "--demo", "--addr", "127.0.0.1:0", "--db", db)
	var nathalie string
	for login, line := range demoLogins(printed) {
		if strings.HasPrefix(line, "Département de Maine-et-Loire – gestionnaire principal CT Nathalie Moreau: ") {
			nathalie = login
		}
	}
	if nathalie == "" {
		t.Fatalf("serve --demo printed no login for Nathalie Moreau:\n%s", printed)
	}
	b := newBrowser(t, base)
	b.screenshotOnFailure("demo.png")

	const banner = "Démonstration : les courriels ne sont pas envoyés ; consultez-les dans les courriels envoyés."
	b.wantPage(b.open("/connexion"), 200, "/connexion", "Connexion")
	b.wantText(".iel-demo-banner", banner)
	if got, _ := b.text("#menu"); strings.Contains(got, "ourriels") {
		t.Errorf("the menu names the mail viewer: %q", got)
	}
	b.wantPage(b.login(nathalie, demoPassword), 200, "/accueil", "Accueil")
	b.wantHeader("Nathalie Moreau – Département de Maine-et-Loire")
	b.wantPage(b.open("/compte"), 200, "/compte", "Mon compte")
	b.wantTab("Gestionnaire principal CT")
	b.wantText(".iel-demo-banner", banner)

	b.wantPage(b.click(`.iel-tabs a[href="/compte/operateurs"]`), 200, "/compte/operateurs", "Mon compte")
	b.wantOperatorRow("Nathalie Moreau", "oui", "oui", "oui", "gestionnaire")
	b.wantOperatorRow("Sophie Énard", "non", "oui", "non", "actif")
	b.wantOperatorRow("Marc Leroy", "non", "non", "oui", "inactif")
	b.wantOperatorRow("Julie Bernard", "non", "non", "non", "refusé")
	if got, _ := b.text("main table"); strings.Contains(got, "Paul Martin") {
		t.Errorf("the historical manager, closed, is listed among the operators: %q", got)
	}

	// The banner's link: the e-mails, the historical manager's among them.
	b.wantPage(b.click(`.iel-demo-banner a[href="/courriels"]`), 200, "/courriels", "Courriels envoyés")
	const answer = "inscription en ligne : réponse à la désignation du gestionnaire principal CT"
	var href string
	b.eval(fmt.Sprintf(`(() => {
		for (const tr of document.querySelectorAll("main table tbody tr")) {
			const a = tr.querySelector("a");
			if (tr.innerText.includes("formation@maine-et-loire.example.fr") && a && a.innerText.trim() === %s) return a.getAttribute("href");
		}
		return "";
	})()`, jsString(answer)), &href)
	if href == "" {
		t.Fatalf("no e-mail %q to the historical manager in the mail viewer:\n%s", answer, b.bodyText())
	}
	b.wantPage(b.click(`main a[href="`+href+`"]`), 200, href, answer)
	b.wantText(".iel-mail-body", "Nathalie Moreau a accepté le rôle de gestionnaire principal de la collectivité Département de Maine-et-Loire.")
}
