package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"iel/internal/config"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, withMailViewer)
	s := ts.seedCT(t)
	signedIn := ts.loggedIn(t, s)
	anon := ts.client(t)

	tests := []struct {
		name   string
		client *http.Client
		path   string
		status int
	}{
		{name: "login", client: anon, path: "/connexion", status: http.StatusOK},
		{name: "forgot", client: anon, path: "/mot-de-passe-oublie", status: http.StatusOK},
		{name: "home", client: anon, path: "/", status: http.StatusSeeOther},
		{name: "account", client: signedIn, path: "/compte", status: http.StatusOK},
		{name: "not found", client: anon, path: "/nulle-part", status: http.StatusNotFound},
		{name: "dead link", client: anon, path: "/mot-de-passe/inconnu", status: http.StatusGone},
		{name: "mail list", client: anon, path: "/courriels", status: http.StatusOK},
		{name: "health", client: anon, path: "/healthz", status: http.StatusOK},
		{name: "static", client: anon, path: "/static/iel.css", status: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.get(t, tt.client, tt.path)
			wantStatus(t, r, tt.status, "-")
			csp := r.Header.Get("Content-Security-Policy")
			if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("Content-Security-Policy = %q, want one without unsafe-inline", csp)
			}
			for _, d := range []string{"frame-ancestors 'none'", "default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("Content-Security-Policy lacks %q", d)
				}
			}
			if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
			if got := r.Header.Get("Strict-Transport-Security"); got != "" {
				t.Errorf("HSTS sent over http: %q", got)
			}
		})
	}
}

// TestPagesHaveNoInlineCode: the CSP forbids inline scripts and styles, so
// a page that holds one is broken in browsers.
func TestPagesHaveNoInlineCode(t *testing.T) {
	t.Parallel()
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]|<style|\sstyle="|\son[a-z]+="|javascript:`)
	for _, p := range renderedPages(t) {
		if m := inline.FindString(p.r.Body); m != "" {
			t.Errorf("%s: inline code %q, refused by the CSP", p.name, m)
		}
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	r := ts.get(t, ts.client(t), "/healthz")
	wantStatus(t, r, http.StatusOK, "")
	if strings.TrimSpace(r.Body) != "ok" {
		t.Errorf("body = %q, want ok", r.Body)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for _, path := range []string{"/nulle-part", "/compte/inconnu", "/static/absent.css", "/courriels/abc", "/courriels/999"} {
		r := ts.get(t, ts.client(t), path)
		if path == "/static/absent.css" {
			wantStatus(t, r, http.StatusNotFound, "")
			continue
		}
		wantStatus(t, r, http.StatusNotFound, "")
		wantText(t, r, "Page introuvable", "Cette page n'existe pas ou n'est pas accessible avec votre compte.", "Aller à la connexion")
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: Content-Type %q", path, r.Header.Get("Content-Type"))
		}
	}
}

func TestStatic(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	tests := []struct {
		name, path, ctype string
	}{
		{name: "css", path: "/static/iel.css", ctype: "text/css"},
		{name: "js", path: "/static/app.js", ctype: "text/javascript"},
		{name: "favicon", path: "/static/favicon.svg", ctype: "image/svg+xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.get(t, ts.client(t), tt.path)
			wantStatus(t, r, http.StatusOK, "")
			if !strings.HasPrefix(r.Header.Get("Content-Type"), tt.ctype) {
				t.Errorf("Content-Type = %q, want %s", r.Header.Get("Content-Type"), tt.ctype)
			}
			if len(r.Body) == 0 {
				t.Error("empty file")
			}
			if !strings.Contains(r.Header.Get("Cache-Control"), "max-age") {
				t.Errorf("Cache-Control = %q", r.Header.Get("Cache-Control"))
			}
		})
	}
	wantStatus(t, ts.get(t, ts.client(t), "/favicon.ico"), http.StatusMovedPermanently, "/static/favicon.svg")
}

// demoBanner is the sentence of the demo banner, which links the mail viewer.
const demoBanner = "Démonstration : les courriels ne sont pas envoyés ; consultez-les dans les courriels envoyés."

func TestMailViewer(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, withMailViewer)
	s := ts.seedCT(t)
	c := ts.client(t)

	r := ts.get(t, c, "/courriels")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Courriels envoyés", "Aucun courriel pour l'instant.")
	wantVisible(t, r, demoBanner)
	wantMarkup(t, r, `href="/courriels" aria-current="page">courriels envoyés</a>`)

	link := ts.resetLink(t, s)
	id := ts.outbox(t)[0].ID
	r = ts.get(t, c, "/courriels")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "1 courriel, du plus récent au plus ancien", "inscription en ligne : mot de passe oublié", s.Account.Email)
	if !strings.Contains(r.Body, fmt.Sprintf(`href="/courriels/%d"`, id)) {
		t.Errorf("list does not link to /courriels/%d", id)
	}

	r = ts.get(t, c, fmt.Sprintf("/courriels/%d", id))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "inscription en ligne : mot de passe oublié", s.Account.Login, "Lien valable jusqu'au")
	if !strings.Contains(r.Body, `<a class="govuk-link" href="`+baseURL+link+`">`) {
		t.Errorf("the link is not an <a href>; page:\n%s", excerpt(r.Body))
	}
	if got := r.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q, want no-referrer (the page holds a link's token)", got)
	}
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
}

// TestMailViewerBanner: in a demonstration, every page, signed in or not,
// says that the e-mails are not sent and links the mail viewer from a
// banner of its own, not from the menu beside the portal's pages.
func TestMailViewerBanner(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, withMailViewer)
	s := ts.seedCT(t)
	anon, signedIn := ts.client(t), ts.loggedIn(t, s)
	for _, tt := range []struct {
		name   string
		c      *http.Client
		path   string
		status int
	}{
		{name: "login", c: anon, path: "/connexion", status: http.StatusOK},
		{name: "account", c: signedIn, path: "/compte", status: http.StatusOK},
		{name: "not found", c: signedIn, path: "/nulle-part", status: http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.get(t, tt.c, tt.path)
			wantStatus(t, r, tt.status, "")
			wantVisible(t, r, demoBanner)
			wantMarkup(t, r, `<div class="iel-demo-banner">`, `href="/courriels">courriels envoyés</a>`)
			if menu := menuMarkup(t, r); strings.Contains(menu, "courriels") {
				t.Errorf("the menu links the mail viewer:\n%s", menu)
			}
		})
	}
}

// wantVisible fails the test unless a person reads each sentence on the
// page, whatever elements it is made of.
func wantVisible(t testing.TB, r response, sentences ...string) {
	t.Helper()
	text := strings.Join(strings.Fields(strings.ReplaceAll(visibleText(r.Body), "\n", " ")), " ")
	for _, s := range sentences {
		if !strings.Contains(text, s) {
			t.Errorf("page does not read %q; it reads:\n%s", s, visibleText(r.Body))
		}
	}
}

// menuOf returns the markup of the page's main menu.
func menuMarkup(t *testing.T, r response) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<ul class="govuk-service-navigation__list" id="menu">.*?</ul>`).FindString(r.Body)
	if m == "" {
		t.Fatalf("no menu in the page:\n%s", r.Body)
	}
	return m
}

// TestMailViewerOff: without --demo or --mail-viewer, with SMTP, or over
// https, the mail viewer does not exist and no page names it.
func TestMailViewerOff(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		change func(*config.Config)
	}{
		{name: "neither demo nor mail viewer", change: func(*config.Config) {}},
		{name: "demo with SMTP", change: func(c *config.Config) { c.Demo, c.SMTP = true, "smtp://127.0.0.1:1" }},
		{name: "mail viewer over https", change: func(c *config.Config) { c.ViewMail, c.BaseURL = true, "https://portal.test" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t, tt.change)
			s := ts.seedCT(t)
			ts.postForm(t, ts.client(t), "/mot-de-passe-oublie", url.Values{"identifiant": {s.Account.Login}})
			for _, path := range []string{"/courriels", fmt.Sprintf("/courriels/%d", ts.outbox(t)[0].ID)} {
				r := ts.get(t, ts.client(t), path)
				wantStatus(t, r, http.StatusNotFound, "")
				wantText(t, r, "Page introuvable")
			}
			r := ts.get(t, ts.client(t), "/connexion")
			wantNoText(t, r, "Courriels envoyés", "courriels envoyés", "Démonstration")
			wantNoMarkup(t, r, `href="/courriels"`, "iel-demo-banner")
		})
	}
}

var (
	h1Tag    = regexp.MustCompile(`<h1[\s>]`)
	blockTag = regexp.MustCompile(`<(/?)(html|head|body|header|main|footer|section|nav|div|form|fieldset|ul|dl|table|thead|tbody|tr|a|button|label|legend|p|li|dt|dd|h[1-6]|strong|span|title)[\s>]`)
)

// TestEveryPageRenders checks that the walk of renderedPages renders every
// page the .templ files declare, and each page it renders for what a
// browser and a screen reader rely on: a complete French document, one
// title, one h1, balanced elements.
func TestEveryPageRenders(t *testing.T) {
	t.Parallel()
	w := walkPortal(t)
	declared := declaredViews(t)
	for v := range declared {
		if !w.views[v] {
			t.Errorf("the page %s (templ (%s) View) is never rendered by the walk of renderedPages: add a visit to it", v, v)
		}
	}
	for v := range w.views {
		if !declared[v] {
			t.Errorf("the page %s was rendered, but no .templ file declares templ (p %s) View()", v, v)
		}
	}
	for _, p := range w.pages {
		t.Run(p.name, func(t *testing.T) {
			b := p.r.Body
			if !strings.HasPrefix(strings.ToLower(b), "<!doctype html>") {
				t.Error("no doctype")
			}
			if !strings.Contains(b, `<html lang="fr"`) {
				t.Error(`no <html lang="fr"`)
			}
			if !strings.HasSuffix(strings.TrimSpace(b), "</html>") {
				t.Error("page does not end with </html>: cut short")
			}
			if n := len(h1Tag.FindAllString(b, -1)); n != 1 {
				t.Errorf("%d <h1>, want 1", n)
			}
			if !strings.HasPrefix(p.r.Header.Get("Content-Type"), "text/html; charset=utf-8") {
				t.Errorf("Content-Type = %q", p.r.Header.Get("Content-Type"))
			}
			title := regexp.MustCompile(`<title>([^<]+)</title>`).FindStringSubmatch(p.r.Text)
			if title == nil || !strings.HasSuffix(title[1], " – Inscription en ligne") {
				t.Errorf("title = %q", title)
			}
			if strings.Contains(b, "<no value>") || strings.Contains(b, "%!") || strings.Contains(b, "ZgotmplZ") {
				t.Error("template artefact in the page (<no value>, %!, ZgotmplZ)")
			}
			depth := map[string]int{}
			for _, m := range blockTag.FindAllStringSubmatch(b, -1) {
				if m[1] == "/" {
					depth[m[2]]--
				} else {
					depth[m[2]]++
				}
				if depth[m[2]] < 0 {
					t.Fatalf("</%s> without its opening tag", m[2])
				}
			}
			for tag, d := range depth {
				if d != 0 {
					t.Errorf("<%s> opened %d more times than closed", tag, d)
				}
			}
			ids := map[string]bool{}
			for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(b, -1) {
				if ids[m[1]] {
					t.Errorf("id %q used twice", m[1])
				}
				ids[m[1]] = true
			}
			for _, m := range regexp.MustCompile(`<label[^>]*\sfor="([^"]+)"`).FindAllStringSubmatch(b, -1) {
				if !ids[m[1]] {
					t.Errorf("label for %q names no element", m[1])
				}
			}
			for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(b, -1) {
				if !ids[m[1]] {
					t.Errorf("link to #%s names no element", m[1])
				}
			}
		})
	}
}

// TestRequestLog: one line per request naming the route pattern, signed in
// or not, and never the path, which may hold a link's token.
func TestRequestLog(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	link := ts.resetLink(t, s)
	c := ts.loggedIn(t, s)
	wantStatus(t, ts.get(t, c, "/compte"), http.StatusOK, "")
	wantStatus(t, ts.get(t, ts.client(t), link), http.StatusOK, "")
	wantStatus(t, ts.get(t, ts.client(t), "/nulle-part"), http.StatusNotFound, "")

	logs := ts.Logs.String()
	for _, want := range []string{
		`route="GET /compte" status=200`,
		`route="GET /mot-de-passe/{token}" status=200`,
		`route="POST /mot-de-passe-oublie" status=303`,
		`route="POST /connexion" status=303`,
		`route=/ status=404`,
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s", want)
		}
	}
	token := strings.TrimPrefix(link, "/mot-de-passe/")
	if strings.Contains(logs, token) || strings.Contains(logs, s.Password) || strings.Contains(logs, ts.sessionCookie(t, c)) {
		t.Error("log holds a secret (link token, password or session id)")
	}
}
