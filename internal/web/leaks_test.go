package web_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

// TestStaticNoListing: /static serves files, never a directory's listing.
func TestStaticNoListing(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.client(t)
	for _, path := range []string{"/static/", "/static/sousdossier/", "/static/iel.css/"} {
		r := ts.get(t, c, path)
		wantStatus(t, r, http.StatusNotFound, "-")
		wantText(t, r, "Page introuvable")
		wantNoMarkup(t, r, `<a href="iel.css">`, `<a href="app.js">`)
	}
	r := ts.get(t, c, "/static/iel.css")
	wantStatus(t, r, http.StatusOK, "")
	if got := r.Header.Get("Cache-Control"); got != "public, max-age=3600" {
		t.Errorf("static file Cache-Control = %q", got)
	}
}

// TestNoStoreWhenSignedIn: every answer to a signed-in person stays out of
// caches, the 404 and the CGU included; static files keep theirs.
func TestNoStoreWhenSignedIn(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	for _, tt := range []struct {
		path   string
		status int
	}{
		{"/compte", http.StatusOK},
		{"/conditions-generales", http.StatusOK},
		{"/nulle-part", http.StatusNotFound},
		{"/static/", http.StatusNotFound},
		{"/compte/operateurs", http.StatusForbidden},
		{"/connexion", http.StatusSeeOther},
	} {
		r := ts.get(t, c, tt.path)
		wantStatus(t, r, tt.status, "-")
		if got := r.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s signed in: Cache-Control = %q, want no-store", tt.path, got)
		}
	}
	if got := ts.get(t, c, "/static/iel.css").Header.Get("Cache-Control"); got != "public, max-age=3600" {
		t.Errorf("static file signed in: Cache-Control = %q", got)
	}
	// The CGU of an anonymous visitor may be cached: nothing personal there.
	if got := ts.get(t, ts.client(t), "/conditions-generales").Header.Get("Cache-Control"); got == "no-store" {
		t.Errorf("anonymous CGU: Cache-Control = %q", got)
	}
}

// TestFlashCookieHostPrefix: over https the flash cookie is __Host-,
// Secure, for the whole site, and is read back under that name.
func TestFlashCookieHostPrefix(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, overHTTPS)
	r := ts.postForm(t, ts.client(t), "/deconnexion", nil)
	wantStatus(t, r, http.StatusSeeOther, "/connexion")
	var flash *http.Cookie
	for _, k := range r.Cookies {
		if strings.Contains(k.Name, "iel_flash") {
			flash = k
		}
	}
	if flash == nil || flash.Name != "__Host-iel_flash" || !flash.Secure || flash.Path != "/" || flash.Domain != "" {
		t.Fatalf("flash cookie over https = %+v, want __Host-iel_flash, Secure, Path=/", flash)
	}
	// The browser sends it back only over https; here it is sent by hand.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/connexion", nil)
	req.AddCookie(&http.Cookie{Name: "__Host-iel_flash", Value: flash.Value})
	got := do(t, ts.client(t), req)
	wantText(t, got, "Vous êtes déconnecté(e).")
	// A cookie without the prefix is not read: a sibling domain could have set it.
	req, _ = http.NewRequest(http.MethodGet, ts.URL+"/connexion", nil)
	req.AddCookie(&http.Cookie{Name: "iel_flash", Value: base64.RawURLEncoding.EncodeToString([]byte("Message planté"))})
	wantNoText(t, do(t, ts.client(t), req), "Message planté")
}

// TestPasswordChangeRenewsSession: changing the password gives the browser
// a new session id; the one it held before opens nothing.
func TestPasswordChangeRenewsSession(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	before := ts.sessionCookie(t, c)
	const newPassword = "Nouveau-mdp-2026"
	form := accountForm(map[string]string{"mot_de_passe_actuel": s.Password, "nouveau": newPassword, "confirmation": newPassword})
	wantStatus(t, ts.postForm(t, c, "/compte", form), http.StatusSeeOther, "/compte")
	after := ts.sessionCookie(t, c)
	if after == "" || after == before {
		t.Fatalf("session id after the change = %q, before %q: want a new one", after, before)
	}
	wantStatus(t, ts.get(t, c, "/compte"), http.StatusOK, "")
	wantStatus(t, ts.get(t, ts.withSession(t, before), "/compte"), http.StatusSeeOther, "/connexion?suite=%2Fcompte")

	// Saving the fiche alone keeps the session id.
	wantStatus(t, ts.postForm(t, c, "/compte", accountForm(nil)), http.StatusSeeOther, "/compte")
	if got := ts.sessionCookie(t, c); got != after {
		t.Errorf("saving the fiche changed the session id")
	}
}

// TestAccountCurrentPasswordThrottled: the current password asked on « Mon
// compte » is guessed no faster than at the login page.
func TestAccountCurrentPasswordThrottled(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	const newPassword = "Nouveau-mdp-2026"
	change := func(current string) map[string]string {
		return map[string]string{"mot_de_passe_actuel": current, "nouveau": newPassword, "confirmation": newPassword, "fonction": "Tapé avant"}
	}

	owner := ts.loggedIn(t, s)
	// A stolen session, in a browser that never logged in.
	thief := ts.withSession(t, ts.sessionCookie(t, ts.loggedIn(t, s)))
	for i := range 5 {
		r := ts.postForm(t, thief, "/compte", accountForm(change("Devine-"+string(rune('a'+i))+"-1")))
		wantStatus(t, r, http.StatusUnprocessableEntity, "")
		wantText(t, r, "Le mot de passe actuel est incorrect.")
	}
	r := ts.postForm(t, thief, "/compte", accountForm(change(s.Password)))
	wantStatus(t, r, http.StatusTooManyRequests, "")
	const wait = "Trop de tentatives ont échoué. Réessayez dans 15 secondes."
	if n := strings.Count(r.Text, wait); n != 2 {
		t.Errorf("wait message shown %d times, want 2 (summary and field); page:\n%s", n, excerpt(r.Text))
	}
	wantMarkup(t, r, `value="Tapé avant"`)
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if ts.account(t, s).PasswordHash != s.Account.PasswordHash {
		t.Fatal("the password changed while throttled")
	}
	// The login page waits too: one count for the identifiant.
	if got := ts.tryPassword(t, ts.client(t), s.Account.Login, s.Password); got != http.StatusTooManyRequests {
		t.Errorf("login after 5 wrong current passwords: status %d, want 429", got)
	}

	// The owner's browser, which logged in before, is not slowed down by
	// the failures of others, and changes its password.
	wantStatus(t, ts.postForm(t, owner, "/compte", accountForm(change(s.Password))), http.StatusSeeOther, "/compte")
}
