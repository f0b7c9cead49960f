package web_test

import (
	"html"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"iel/internal/mail"
	"iel/internal/store"
	"iel/internal/web"
)

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

var (
	footerLink   = regexp.MustCompile(`<a class="govuk-footer__link" href="([^"]+)"( aria-current="page")?>([^<]+)</a>`)
	headerMarkup = regexp.MustCompile(`(?s)<header class="govuk-header".*?</header>`)
	logoutButton = regexp.MustCompile(`<button type="submit" class="iel-link-button govuk-service-navigation__link">([^<]*)</button>`)
)

// wantFooter fails the test unless the page ends with the footer's six
// links, in order, the one to current (a path, or "") marked as the page.
func wantFooter(t testing.TB, r response, current string) {
	t.Helper()
	links := footerLink.FindAllStringSubmatch(r.Body, -1)
	if len(links) != len(footerPages) {
		t.Fatalf("%d footer links, want %d: %q", len(links), len(footerPages), links)
	}
	for i, l := range links {
		want := footerPages[i]
		if label := html.UnescapeString(l[3]); l[1] != want.path || label != want.label {
			t.Errorf("footer link %d: %q to %s, want %q to %s", i+1, label, l[1], want.label, want.path)
		}
		if marked := l[2] != ""; marked != (l[1] == current) {
			t.Errorf("footer link to %s: aria-current %v on %s", l[1], marked, current)
		}
	}
}

// TestInformationPages: each page of the footer is public, in the layout
// with the footer that links it, cached by no one when a person is signed
// in, and reached from the footer of every other.
func TestInformationPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	anon, signedIn := ts.client(t), ts.loggedIn(t, s)
	for _, p := range footerPages {
		t.Run(p.path, func(t *testing.T) {
			r := ts.get(t, anon, p.path)
			wantStatus(t, r, http.StatusOK, "")
			wantText(t, r, "<h1 class=\"govuk-heading-l\">"+p.h1+"</h1>", "<title>"+p.h1+" – Inscription en ligne</title>")
			wantFooter(t, r, p.path)
			if got := r.Header.Get("Cache-Control"); got == "no-store" {
				t.Errorf("anonymous: Cache-Control = %q: nothing personal on the page", got)
			}

			r = ts.get(t, signedIn, p.path)
			wantStatus(t, r, http.StatusOK, "")
			wantFooter(t, r, p.path)
			wantText(t, r, "Claire Durand – "+s.CT.Name)
			if got := r.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("signed in: Cache-Control = %q, want no-store (the header names the person)", got)
			}
		})
	}
	for _, path := range []string{"/connexion", "/mot-de-passe-oublie", "/nulle-part"} {
		wantFooter(t, ts.get(t, anon, path), "")
	}
	wantFooter(t, ts.get(t, signedIn, "/compte"), "")
}

// TestHeaderNamesPersonAndCollectivity: the header names who is signed in
// and for which collectivité, not the identifiant; the logout button says
// only "Se déconnecter". A manager whose fiche has no name yet is named by
// the role.
func TestHeaderNamesPersonAndCollectivity(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	hash, err := ts.Hasher.Hash(cliCtx(), managerPassword)
	if err != nil {
		t.Fatal(err)
	}
	_, nameless, err := ts.Store.CreateCollectivity(cliCtx(), store.NewCollectivity{
		Name: "Commune de Saumur", Email: "rh@saumur.example.fr", ManagerActive: true, PasswordHash: hash}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, login, want string
	}{
		{name: "manager with a fiche", login: s.Account.Login, want: "Claire Durand – " + s.CT.Name},
		{name: "manager without a name", login: nameless.Login, want: "Gestionnaire CT – Commune de Saumur"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			ts.login(t, c, tt.login, managerPassword)
			for _, path := range []string{"/compte", "/aide", "/nulle-part"} {
				r := ts.get(t, c, path)
				header := headerMarkup.FindString(r.Body)
				if !strings.Contains(visibleText(header), tt.want) {
					t.Errorf("%s: the header reads %q, want %q", path, visibleText(header), tt.want)
				}
				if strings.Contains(header, tt.login) {
					t.Errorf("%s: the header shows the identifiant %s", path, tt.login)
				}
				if b := logoutButton.FindStringSubmatch(r.Body); b == nil || b[1] != "Se déconnecter" {
					t.Errorf("%s: logout button %q, want one named \"Se déconnecter\"", path, b)
				}
			}
		})
	}
	r := ts.get(t, ts.client(t), "/aide")
	if header := headerMarkup.FindString(r.Body); strings.Contains(header, "iel-header__account") || logoutButton.MatchString(r.Body) {
		t.Errorf("a visitor's header names someone or offers to log out:\n%s", header)
	}
}

// TestPrivacyPage: the RGPD notice names the cookies the portal sets and
// the lifetimes the code gives them and its links, under https too.
func TestPrivacyPage(t *testing.T) {
	t.Parallel()
	// The page gives one lifetime for every link but "Mot de passe oublié ?".
	if mail.DesignationTTL != mail.CodesLinkTTL || mail.InvitationTTL != mail.CodesLinkTTL {
		t.Fatalf("the links live %v, %v and %v: the privacy page says they live alike", mail.CodesLinkTTL, mail.DesignationTTL, mail.InvitationTTL)
	}
	for _, tt := range []struct {
		name   string
		secure bool
		want   []string
	}{
		{name: "http", want: []string{"iel_session, le cookie de session", "iel_flash, le cookie de message", "iel_device_ suivi d'un identifiant"}},
		{name: "https", secure: true, want: []string{"__Host-iel_session, le cookie de session", "__Host-iel_flash, le cookie de message", "__Host-iel_device_ suivi d'un identifiant"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t)
			if tt.secure {
				ts = newTestServer(t, overHTTPS)
			}
			r := ts.get(t, ts.client(t), "/donnees-personnelles")
			wantStatus(t, r, http.StatusOK, "")
			wantVisible(t, r, tt.want...)
			wantVisible(t, r,
				"une session de connexion : 12 heures au plus, et 30 minutes sans activité",
				"il prend fin à la déconnexion, après 30 minutes sans activité, et au plus tard 12 heures après la connexion",
				"il dure 1 minute au plus",
				"gardé 1 an",
				"(1 heure pour un lien « Mot de passe oublié ? », 7 jours pour les autres)")
		})
	}
}

func TestFrenchDuration(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		d    string
		want string
	}{
		{"1s", "1 seconde"}, {"90s", "90 secondes"}, {"1m", "1 minute"}, {"30m", "30 minutes"}, {"1h", "1 heure"},
		{"12h", "12 heures"}, {"24h", "1 jour"}, {"168h", "7 jours"}, {"8760h", "1 an"}, {"36h", "36 heures"},
	} {
		d, err := time.ParseDuration(tt.d)
		if err != nil {
			t.Fatal(err)
		}
		if got := web.FrenchDuration(d); got != tt.want {
			t.Errorf("FrenchDuration(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// TestSitemap: the plan du site links every page a person opens from the
// portal itself, grouped by who may open it; the pages behind an e-mailed
// link are named without a link. Every page is read from routes.go: a GET
// route without a variable part, other than a download or a step of a
// form, that the plan does not link fails the test.
func TestSitemap(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	r := ts.get(t, ts.client(t), "/plan-du-site")
	wantStatus(t, r, http.StatusOK, "")
	main := r.Body[strings.Index(r.Body, "<main"):strings.Index(r.Body, "</main>")]
	routes, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	notPages := map[string]bool{
		"/static/": true, "/healthz": true, "/favicon.ico": true, "/{$}": true, // not pages
		"/mot-de-passe-oublie/envoye":            true, // the answer to « Mot de passe oublié »
		"/compte/gestionnaire-principal/annuler": true, // the confirmation of a button of « Changer le compte Gestionnaire principal »
		"/courriels":                             true, // the demonstration's, below
	}
	pages := regexp.MustCompile(`(?m)^\s*mux\.Handle(?:Func)?\("GET (/[^"{]*)"`).FindAllStringSubmatch(string(routes), -1)
	if len(pages) < 30 {
		t.Fatalf("read %d pages from routes.go", len(pages))
	}
	for _, m := range pages {
		path := m[1]
		if notPages[path] || strings.HasSuffix(path, "/export") {
			continue
		}
		if !strings.Contains(main, `href="`+path+`"`) {
			t.Errorf("the plan du site does not link %s", path)
		}
	}
	wantVisible(t, r, "Pour tous les visiteurs", "Par un lien reçu par courriel", "Pour les comptes d'une collectivité",
		"Pour les agents du CNFPT", "Informations", "Modification du mot de passe",
		"Acceptation du rôle : gestionnaire principal CT", "Acceptation du rôle : opérateur CT",
		"Rechercher une session", "Mes inscriptions", "Bilan formation", "Espace CNFPT", "Collectivités", "Sessions",
		"ses agents et ses inscriptions en lecture")
	if strings.Contains(main, `href="/courriels"`) {
		t.Error("the plan du site links the mail viewer, which does not exist here")
	}
	demo := newTestServer(t, withMailViewer)
	r = demo.get(t, demo.client(t), "/plan-du-site")
	if !strings.Contains(r.Body, `href="/courriels"`) {
		t.Error("in a demonstration, the plan du site does not link the mail viewer")
	}
	// Every page the plan links answers: the CNFPT's to staff, the
	// others once signed in as the principal.
	p := ts.principalCT(t)
	staff := ts.staff(t)
	for _, m := range regexp.MustCompile(`<a class="govuk-link" href="(/[^"]*)"`).FindAllStringSubmatch(main, -1) {
		c := p.Client
		if strings.HasPrefix(m[1], "/cnfpt") {
			c = staff.Client
		}
		if got := ts.get(t, c, m[1]); got.Status != http.StatusOK && got.Status != http.StatusSeeOther {
			t.Errorf("GET %s: %v", m[1], got)
		}
	}
}

// TestTermsVersion: the CGU say which version they are and of when.
func TestTermsVersion(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	r := ts.get(t, ts.client(t), "/conditions-generales")
	wantVisible(t, r, "Version 1.1 du 1er décembre 2026")
	wantNoText(t, r, "qu'un cookie de session")
}
