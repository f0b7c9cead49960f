package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"iel/internal/config"
	"iel/internal/domain"
	"iel/internal/web"
)

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
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

func TestMailViewer(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.client(t)

	r := ts.get(t, c, "/courriels")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Courriels envoyés", "Aucun courriel pour l'instant.")

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

func TestMailViewerOffWithSMTP(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *config.Config) { c.SMTP = "smtp://127.0.0.1:1" })
	s := ts.seedCT(t)
	ts.resetLink(t, s)
	for _, path := range []string{"/courriels", fmt.Sprintf("/courriels/%d", ts.outbox(t)[0].ID)} {
		r := ts.get(t, ts.client(t), path)
		wantStatus(t, r, http.StatusNotFound, "")
		wantText(t, r, "Page introuvable")
	}
	r := ts.get(t, ts.client(t), "/connexion")
	wantNoText(t, r, "Courriels envoyés")
}

// renderedPage is one page of the portal as a browser gets it, and the
// text a person reads on it.
type renderedPage struct {
	name string
	r    response
	text string // visibleText, with what changes from run to run replaced
}

// pageWalk collects the pages of renderedPages, and names the generated
// identifiants it meets so that the text of a page is the same at every run.
type pageWalk struct {
	t      *testing.T
	pages  []renderedPage
	logins *strings.Replacer
	pairs  []string

	mu    sync.Mutex
	views map[string]bool // the view-model types the servers rendered
}

// watch has ts tell the walk every page it renders; it is called before
// ts answers anything.
func (w *pageWalk) watch(ts *testServer) *testServer {
	web.SetOnRender(ts.Server, func(view string) {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.views[view] = true
	})
	return ts
}

// name makes login read as the identifiant of who in the pages' text.
func (w *pageWalk) name(login, who string) {
	w.pairs = append(w.pairs, login, "‹identifiant de "+who+"›")
	w.logins = strings.NewReplacer(w.pairs...)
}

var (
	textDate  = regexp.MustCompile(`\d{2}/\d{2}/\d{4} à \d{2}h\d{2}`)
	textToken = regexp.MustCompile(`(/(?:mot-de-passe|validationgestprin|validationoperateur)/)[A-Za-z0-9_-]{16,}`)
	textRef   = regexp.MustCompile(`référence [0-9a-f]{16}`)
	textLogin = regexp.MustCompile(`\b[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{10}\b`)
)

// add keeps the page r under name, after checking its status.
func (w *pageWalk) add(name string, status int, r response) {
	w.t.Helper()
	if r.Status != status {
		w.t.Fatalf("%s: %v, want %d; page:\n%s", name, r, status, excerpt(r.Text))
	}
	text := visibleText(r.Body)
	if w.logins != nil {
		text = w.logins.Replace(text)
	}
	text = textDate.ReplaceAllString(text, "JJ/MM/AAAA à HHhMM")
	text = textToken.ReplaceAllString(text, "${1}‹jeton›")
	text = textRef.ReplaceAllString(text, "référence ‹id›")
	if m := textLogin.FindString(text); m != "" {
		w.t.Fatalf("%s: identifiant %s not named by the walk; text:\n%s", name, m, text)
	}
	w.pages = append(w.pages, renderedPage{name: name, r: r, text: text})
}

// renderedPages walks the portal as its visitors do and returns every
// page state worth reading: each page, refused and accepted forms, each
// role's account page, the error pages, the mail viewer.
func renderedPages(t *testing.T) []renderedPage {
	t.Helper()
	return walkPortal(t).pages
}

// walkPortal is renderedPages, with the view-model types it rendered.
func walkPortal(t *testing.T) *pageWalk {
	t.Helper()
	w := &pageWalk{t: t, views: map[string]bool{}}

	// A portal without data: the visitor's pages.
	ts := w.watch(newTestServer(t))
	anon := ts.client(t)
	w.add("login", 200, ts.get(t, anon, "/connexion?suite=%2Fcompte"))
	w.add("login-refused", 422, ts.postForm(t, anon, "/connexion", url.Values{}))
	w.add("login-wrong", 401, ts.postForm(t, anon, "/connexion", url.Values{"identifiant": {"X"}, "mot_de_passe": {"y"}}))
	w.add("forgot", 200, ts.get(t, anon, "/mot-de-passe-oublie"))
	w.add("forgot-refused", 422, ts.postForm(t, anon, "/mot-de-passe-oublie", url.Values{}))
	w.add("forgot-sent", 200, ts.postForm(t, anon, "/mot-de-passe-oublie", url.Values{"identifiant": {"INCONNU"}}))
	w.add("cgu", 200, ts.get(t, anon, "/conditions-generales"))
	w.add("mail-list-empty", 200, ts.get(t, anon, "/courriels"))
	w.add("error-404", 404, ts.get(t, anon, "/nulle-part"))
	w.add("error-410", 410, ts.get(t, anon, "/mot-de-passe/inconnu"))
	w.add("error-403-cross-origin", 403, ts.postForm(t, anon, "/connexion", url.Values{}, "Sec-Fetch-Site", "cross-site"))

	// The historical manager designates a principal, who accepts.
	ts = w.watch(newTestServer(t))
	s := ts.seedCT(t)
	w.name(s.Account.Login, "Claire Durand")
	m := ts.loggedIn(t, s)
	w.add("account-manager", 200, ts.get(t, m, "/compte"))
	w.add("account-manager-refused", 422, ts.postForm(t, m, "/compte", accountForm(map[string]string{
		"civilite": "", "nom": "", "prenom": "Claudine", "telephone": "02 41", "nouveau": "abc", "confirmation": "abd"})))
	wantStatus(t, ts.postForm(t, m, "/compte", accountForm(nil)), http.StatusSeeOther, "/compte")
	w.add("account-manager-saved", 200, ts.get(t, m, "/compte"))
	w.add("designation-new-manager", 200, ts.get(t, m, "/compte/gestionnaire-principal"))
	w.add("designation-new-empty", 200, ts.get(t, m, "/compte/gestionnaire-principal?vide=1"))
	w.add("designation-new-refused", 422, ts.postForm(t, m, "/compte/gestionnaire-principal",
		ficheValues(domain.Fiche{Civility: domain.Monsieur, LastName: "Martin", Email: "dgs@cholet", Phone: "02 41"}, "oui", "")))
	wantStatus(t, ts.postForm(t, m, "/compte/gestionnaire-principal", ficheValues(principalFiche, "oui", "oui")), http.StatusSeeOther, "/compte")
	w.add("account-manager-pending", 200, ts.get(t, m, "/compte"))
	link := ts.mailPath(t, subjectDesignation, principalFiche.Email, "/validationgestprin/")
	pc := ts.client(t)
	w.add("designation-answer", 200, ts.get(t, pc, link))
	w.add("designation-answer-refused", 422, ts.postForm(t, pc, link, url.Values{"commentaire": {"Avec plaisir."}}))
	w.add("designation-answer-accepted", 200, ts.postForm(t, pc, link, url.Values{"reponse": {"accepte"}, "commentaire": {"Avec plaisir."}}))
	accepted := ts.newestMail(t, subjectPrincipalAccount, principalFiche.Email)
	login := loginIn(t, accepted)
	w.name(login, "Paul Martin")
	pwLink := linkIn(t, accepted, "/mot-de-passe/")
	w.add("password-link", 200, ts.get(t, pc, pwLink))
	w.add("password-link-refused", 422, ts.postForm(t, pc, pwLink, url.Values{"nouveau": {"court"}, "confirmation": {"autre"}}))
	wantStatus(t, ts.postForm(t, pc, pwLink, url.Values{"nouveau": {principalPassword}, "confirmation": {principalPassword}}),
		http.StatusSeeOther, "/connexion?identifiant="+login)
	w.add("login-password-set", 200, ts.get(t, pc, "/connexion?identifiant="+login))
	ts.login(t, pc, login, principalPassword)
	p := principalFixture{seededCT: s, Principal: ts.accountByLogin(t, login), Login: login, Password: principalPassword, Client: pc}
	w.add("account-principal", 200, ts.get(t, pc, "/compte"))
	w.add("account-principal-refused", 422, ts.postForm(t, pc, "/compte", ficheValues(domain.Fiche{Phone: "02 41 11 22 3"}, "", "oui")))

	// The principal's operators: one accepts, one refuses, one has not answered.
	w.add("operators-alone", 200, ts.get(t, pc, "/compte/operateurs"))
	r := ts.get(t, pc, "/compte/operateurs/nouveau")
	newLogin := identifiantInput.FindStringSubmatch(r.Body)
	if newLogin == nil {
		t.Fatalf("no identifiant on the operator form:\n%s", excerpt(r.Text))
	}
	w.name(newLogin[1], "l'opérateur à créer")
	w.add("operator-new", 200, r)
	form := ficheValues(domain.Fiche{LastName: "Bernard", Email: "s.bernard@", Phone: "abc"}, "", "non")
	form.Set("identifiant", newLogin[1])
	w.add("operator-new-refused", 422, ts.postForm(t, pc, "/compte/operateurs", form))
	sophie, sophieLink := ts.createOperator(t, p, operatorFiche, "oui", "non")
	w.name(sophie.Login, "Sophie Bernard")
	emilie := domain.Fiche{Civility: domain.Madame, LastName: "Émond", FirstName: "Émilie", Function: "Gestionnaire formation",
		Email: "e.emond@cholet.example.fr", Phone: "02 41 33 44 55"}
	ea, emilieLink := ts.createOperator(t, p, emilie, "non", "non")
	w.name(ea.Login, "Émilie Émond")
	invitee := ts.client(t)
	w.add("invitation-answer", 200, ts.get(t, invitee, emilieLink))
	w.add("invitation-answer-refused", 422, ts.postForm(t, invitee, emilieLink, url.Values{"commentaire": {"Je change de service."}}))
	w.add("invitation-answer-declined", 200, ts.postForm(t, invitee, emilieLink, url.Values{"reponse": {"refuse"}, "commentaire": {"Je change de service."}}))
	ts.setPassword(t, ts.acceptInvitation(t, sophieLink), operatorPassword)
	oc := ts.client(t)
	ts.login(t, oc, sophie.Login, operatorPassword)
	lea := domain.Fiche{Civility: domain.Madame, LastName: "Petit", FirstName: "Léa", Function: "Assistante RH",
		Email: "l.petit@cholet.example.fr", Phone: "02 41 44 55 66"}
	la, _ := ts.createOperator(t, p, lea, "non", "oui")
	w.name(la.Login, "Léa Petit")
	w.add("operators", 200, ts.get(t, pc, "/compte/operateurs"))
	w.add("operator-edit", 200, ts.get(t, pc, operatorPath(sophie)))
	w.add("operator-edit-refused", 422, ts.postForm(t, pc, operatorPath(sophie), ficheValues(domain.Fiche{Civility: domain.Madame,
		LastName: "Bernard", Function: "Assistante formation", Email: "s.bernard@cholet.example.fr", Phone: "02 41 22 33"}, "oui", "")))
	w.add("operator-delete", 200, ts.get(t, pc, operatorPath(la)+"/supprimer"))

	// The principal leaves the integration e-mails to Sophie, their last recipient.
	wantStatus(t, ts.postForm(t, pc, "/compte", ficheValues(principalFiche, "non", "oui")), http.StatusSeeOther, "/compte")
	w.add("account-principal-saved", 200, ts.get(t, pc, "/compte"))
	changed := operatorFiche
	changed.Function = "Autre fonction"
	w.add("operator-edit-conflict", 409, ts.postForm(t, pc, operatorPath(sophie), ficheValues(changed, "non", "non")))
	w.add("operator-delete-refused", 409, ts.postForm(t, pc, operatorPath(sophie)+"/supprimer", nil))
	w.add("account-operator", 200, ts.get(t, oc, "/compte"))
	w.add("account-operator-refused", 422, ts.postForm(t, oc, "/compte", ficheValues(domain.Fiche{Civility: domain.Madame,
		LastName: "Bernard", FirstName: "Sophie", Function: "Assistante formation", Email: "sophie", Phone: "02 41 22 33 44"}, "oui", "")))
	w.add("account-operator-conflict", 409, ts.postForm(t, oc, "/compte", ficheValues(operatorFiche, "non", "oui")))
	w.add("error-403", 403, ts.get(t, oc, "/compte/operateurs"))
	w.add("error-404-signed-in", 404, ts.get(t, oc, "/nulle-part"))

	// The principal designates someone, who refuses.
	w.add("designation-new-principal", 200, ts.get(t, pc, "/compte/gestionnaire-principal"))
	w.add("designation-new-operator", 200, ts.get(t, pc, fmt.Sprintf("/compte/gestionnaire-principal?operateur=%d", sophie.ID)))
	nina := domain.Fiche{Civility: domain.Madame, LastName: "Nouvelle", FirstName: "Nina", Function: "DGS",
		Email: "nina.nouvelle@cholet.example.fr", Phone: "02 41 00 00 10"}
	wantStatus(t, ts.postForm(t, pc, "/compte/gestionnaire-principal", ficheValues(nina, "oui", "oui")), http.StatusSeeOther, "/compte")
	w.add("account-principal-pending", 200, ts.get(t, pc, "/compte"))
	ninaMail := ts.newestMail(t, subjectDesignation, nina.Email)
	w.add("designation-answer-declined", 200, ts.postForm(t, ts.client(t), linkIn(t, ninaMail, "/validationgestprin/"), url.Values{"reponse": {"refuse"}}))

	w.add("mail-list", 200, ts.get(t, anon, "/courriels"))
	w.add("mail-show", 200, ts.get(t, anon, fmt.Sprintf("/courriels/%d", ninaMail.ID)))
	wantStatus(t, ts.postForm(t, m, "/deconnexion", url.Values{}), http.StatusSeeOther, "/connexion")
	w.add("login-logged-out", 200, ts.get(t, m, "/connexion"))

	// A database that stops answering: the internal error page.
	ts = w.watch(newTestServer(t))
	c := ts.loggedIn(t, ts.seedCT(t))
	ts.Store.Close()
	w.add("error-500", 500, ts.get(t, c, "/compte"))
	return w
}

var viewDecl = regexp.MustCompile(`(?m)^templ \(\w+ (\w+)\) View\(\)`)

// declaredViews lists the view-model types that have a View in the
// package's .templ files: one per page.
func declaredViews(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.templ")
	if err != nil || len(files) == 0 {
		t.Fatalf("no .templ files: %v", err)
	}
	views := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range viewDecl.FindAllStringSubmatch(string(b), -1) {
			views[m[1]] = true
		}
	}
	return views
}

var (
	h1Tag    = regexp.MustCompile(`<h1[\s>]`)
	blockTag = regexp.MustCompile(`<(/?)(html|head|body|header|main|footer|section|nav|div|form|fieldset|ul|dl|table|thead|tbody|tr|a|button|label|legend|p|li|dt|dd|h[1-6]|strong|span|title)[\s>]`)
)

// TestEveryPageRenders checks every page template for what a browser and
// a screen reader rely on: a complete French document, one title, one
// h1, balanced elements.
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
		`route="POST /mot-de-passe-oublie" status=200`,
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
