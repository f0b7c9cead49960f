package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const badCredentials = "Identifiant ou mot de passe incorrect."

func TestAnonymousIsSentToLogin(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.client(t)

	wantStatus(t, ts.get(t, c, "/compte"), http.StatusSeeOther, "/connexion?suite=%2Fcompte")
	wantStatus(t, ts.get(t, c, "/"), http.StatusSeeOther, "/connexion")
	r := ts.get(t, c, "/connexion?suite=%2Fcompte")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Connexion", "Identifiant", "Mot de passe", "Se connecter", "Mot de passe oublié ?")
	if !strings.Contains(r.Body, `name="suite" value="/compte"`) {
		t.Errorf("login form does not carry suite=/compte")
	}
	// An anonymous POST is refused without a suite: a form cannot be replayed after login.
	wantStatus(t, ts.postForm(t, c, "/compte", url.Values{"nom": {"X"}}), http.StatusSeeOther, "/connexion")

	ts.login(t, c, s.Account.Login, s.Password)
	wantStatus(t, ts.get(t, c, "/"), http.StatusSeeOther, "/accueil")
	wantStatus(t, ts.get(t, c, "/connexion"), http.StatusSeeOther, "/accueil")
	r = ts.get(t, c, "/compte")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Mon compte", s.Account.Login, "Se déconnecter")
}

func TestLoginTypedIdentifiantIsNormalized(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	ts.login(t, ts.client(t), "  "+strings.ToLower(s.Account.Login)+" ", s.Password)
}

// TestLoginRefusalsLookAlike: a wrong password, an unknown identifiant and
// an account that cannot log in yet get the same answer, so that the page
// tells nobody which identifiants exist.
func TestLoginRefusalsLookAlike(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	inactive := ts.seedInactiveCT(t, "")

	tests := []struct {
		name     string
		login    string
		password string
	}{
		{name: "wrong password", login: s.Account.Login, password: "Pas-le-bon-2026"},
		{name: "unknown identifiant", login: "ZZZZZZZZZZ", password: s.Password},
		{name: "inactive manager without password", login: inactive.Account.Login, password: "Quelconque-2026"},
		{name: "inactive manager, other password", login: inactive.Account.Login, password: "Autre-Essai-77"},
	}
	var bodies []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			r := ts.postForm(t, c, "/connexion", url.Values{"identifiant": {tt.login}, "mot_de_passe": {tt.password}})
			wantStatus(t, r, http.StatusUnauthorized, "")
			wantText(t, r, badCredentials)
			if strings.Count(r.Text, badCredentials) != 1 {
				t.Errorf("message shown %d times, want once (summary only)", strings.Count(r.Text, badCredentials))
			}
			if !strings.Contains(r.Body, `value="`+tt.login+`"`) {
				t.Errorf("typed identifiant not kept in the form")
			}
			if strings.Contains(r.Body, tt.password) {
				t.Errorf("typed password echoed in the page")
			}
			for _, k := range r.Cookies {
				if k.Name == "iel_session" && k.Value != "" {
					t.Errorf("refused login sets a session cookie")
				}
			}
			bodies = append(bodies, strings.ReplaceAll(r.Body, tt.login, "IDENTIFIANT"))
		})
	}
	for i := 1; i < len(bodies); i++ {
		if diff := cmp.Diff(bodies[0], bodies[i]); diff != "" {
			t.Errorf("%q and %q answer differently (-%s +%s):\n%s", tests[0].name, tests[i].name, tests[0].name, tests[i].name, diff)
		}
	}
}

func TestLoginEmptyFields(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	tests := []struct {
		name  string
		form  url.Values
		want  []string
		lacks []string
	}{
		{name: "both empty", form: url.Values{}, want: []string{"Saisissez votre identifiant.", "Saisissez votre mot de passe."}},
		{name: "no password", form: url.Values{"identifiant": {"ABCDEFGHJK"}}, want: []string{"Saisissez votre mot de passe."}, lacks: []string{"Saisissez votre identifiant."}},
		{name: "blank identifiant", form: url.Values{"identifiant": {"   "}, "mot_de_passe": {"x"}}, want: []string{"Saisissez votre identifiant."}, lacks: []string{"Saisissez votre mot de passe."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.postForm(t, ts.client(t), "/connexion", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity, "")
			wantText(t, r, "Le formulaire contient")
			for _, m := range tt.want {
				if n := strings.Count(r.Text, m); n != 2 {
					t.Errorf("%q shown %d times, want 2 (summary and field)", m, n)
				}
			}
			wantNoText(t, r, tt.lacks...)
			wantNoText(t, r, badCredentials)
		})
	}
}

func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.client(t)
	for i := range 5 {
		r := ts.postForm(t, c, "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {"Mauvais-" + strconv.Itoa(i) + "-mdp"}})
		wantStatus(t, r, http.StatusUnauthorized, "")
	}
	// Even the right password waits: the throttle comes before the check.
	r := ts.postForm(t, c, "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {s.Password}})
	wantStatus(t, r, http.StatusTooManyRequests, "")
	wantText(t, r, "Trop de tentatives", "Mot de passe oublié ?")
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs <= 0 || secs > 15*60 {
		t.Errorf("Retry-After = %q, want a positive number of seconds", r.Header.Get("Retry-After"))
	}
	if ts.sessionCookie(t, c) != "" {
		t.Error("a throttled login opened a session")
	}
	// An unknown identifiant is throttled just the same.
	for i := range 5 {
		ts.postForm(t, c, "/connexion", url.Values{"identifiant": {"INCONNU234"}, "mot_de_passe": {"Mauvais-" + strconv.Itoa(i) + "-mdp"}})
	}
	r = ts.postForm(t, c, "/connexion", url.Values{"identifiant": {"INCONNU234"}, "mot_de_passe": {"Mauvais-mdp"}})
	wantStatus(t, r, http.StatusTooManyRequests, "")

	// The wait passes.
	ts.Clock.Advance(20 * time.Minute)
	ts.login(t, c, s.Account.Login, s.Password)
}

func TestLoginSessionCookie(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.client(t)

	// A cookie planted before login is never the signed-in one.
	u, _ := url.Parse(ts.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "iel_session", Value: "plante-par-un-tiers", Path: "/"}})
	r := ts.login(t, c, s.Account.Login, s.Password)
	var set *http.Cookie
	for _, k := range r.Cookies {
		if k.Name == "iel_session" {
			set = k
		}
	}
	if set == nil {
		t.Fatal("login sets no iel_session cookie")
	}
	if !set.HttpOnly || set.SameSite != http.SameSiteLaxMode || set.Path != "/" || set.Value == "" || set.Value == "plante-par-un-tiers" {
		t.Errorf("session cookie = %+v, want a new value, HttpOnly, SameSite=Lax, Path=/", set)
	}
	if set.Secure {
		t.Error("Secure cookie over http: the browser would drop it")
	}
	first := ts.sessionCookie(t, c)
	if first != set.Value {
		t.Fatalf("jar holds %q, want %q", first, set.Value)
	}

	// Logging in again gives a new session and ends the old one.
	ts.login(t, c, s.Account.Login, s.Password)
	second := ts.sessionCookie(t, c)
	if second == "" || second == first {
		t.Fatalf("second login kept the session id %q", first)
	}
	wantStatus(t, ts.get(t, ts.withSession(t, first), "/compte"), http.StatusSeeOther, "/connexion?suite=%2Fcompte")
	wantStatus(t, ts.get(t, ts.withSession(t, second), "/compte"), http.StatusOK, "")

	// A stale cookie is cleared by the next answer.
	stale := ts.withSession(t, "inconnu")
	r = ts.get(t, stale, "/connexion")
	wantStatus(t, r, http.StatusOK, "")
	if ts.sessionCookie(t, stale) != "" {
		t.Error("unknown session cookie not cleared")
	}
}

func TestLoginSuite(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	tests := []struct {
		name  string
		suite string
		want  string
	}{
		{name: "none", suite: "", want: "/accueil"},
		{name: "local path", suite: "/courriels", want: "/courriels"},
		{name: "Mon compte", suite: "/compte", want: "/compte"},
		{name: "local path with query", suite: "/compte?onglet=fiche", want: "/compte?onglet=fiche"},
		{name: "protocol-relative", suite: "//evil.com", want: "/accueil"},
		{name: "protocol-relative with path", suite: "//evil.com/compte", want: "/accueil"},
		{name: "absolute", suite: "https://evil.com/", want: "/accueil"},
		{name: "backslash", suite: `/\evil.com`, want: "/accueil"},
		{name: "relative", suite: "evil.com", want: "/accueil"},
		{name: "javascript", suite: "javascript:alert(1)", want: "/accueil"},
		// Browsers drop tabs and line breaks from URLs: "/\t/evil.com" is "//evil.com" to them.
		{name: "tab", suite: "/\t/evil.com", want: "/accueil"},
		{name: "newline", suite: "/\n/evil.com", want: "/accueil"},
		{name: "carriage return", suite: "/\r/evil.com", want: "/accueil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			r := ts.postForm(t, c, "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {s.Password}, "suite": {tt.suite}})
			wantStatus(t, r, http.StatusSeeOther, tt.want)
			// The form shows the suite only when it will be honoured.
			f := ts.get(t, ts.client(t), "/connexion?suite="+url.QueryEscape(tt.suite))
			if has := strings.Contains(f.Body, `name="suite"`); has != (tt.want != "/accueil") {
				t.Errorf("login form carries suite %v for %q", has, tt.suite)
			}
		})
	}
}

// TestCrossOriginPostsRefused: the browser's own signals (Sec-Fetch-Site,
// Origin) stop a form posted from another site; nothing changes.
func TestCrossOriginPostsRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	before := ts.account(t, s)
	form := accountForm(map[string]string{"fonction": "Pirate"})

	tests := []struct {
		name   string
		header []string
	}{
		{name: "sec-fetch-site cross-site", header: []string{"Sec-Fetch-Site", "cross-site"}},
		{name: "sec-fetch-site same-site", header: []string{"Sec-Fetch-Site", "same-site"}},
		{name: "origin of another host", header: []string{"Origin", "http://evil.example"}},
		{name: "origin null", header: []string{"Origin", "null"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.postForm(t, c, "/compte", form, tt.header...)
			wantStatus(t, r, http.StatusForbidden, "")
			wantText(t, r, "Requête refusée", "envoyée depuis un autre site")
			wantStatus(t, ts.postForm(t, c, "/deconnexion", url.Values{}, tt.header...), http.StatusForbidden, "")
			wantStatus(t, ts.postForm(t, ts.client(t), "/mot-de-passe-oublie", url.Values{"identifiant": {s.Account.Login}}, tt.header...), http.StatusForbidden, "")
			if diff := cmp.Diff(before, ts.account(t, s)); diff != "" {
				t.Errorf("account changed (-before +after):\n%s", diff)
			}
			wantStatus(t, ts.get(t, c, "/compte"), http.StatusOK, "") // still signed in
		})
	}
	if n := len(ts.outbox(t)); n != 0 {
		t.Errorf("%d e-mails queued by refused posts", n)
	}

	wantStatus(t, ts.postForm(t, c, "/compte", form, "Sec-Fetch-Site", "same-origin"), http.StatusSeeOther, "/compte")
	if got := ts.account(t, s).Function; got != "Pirate" {
		t.Errorf("same-origin post: fonction = %q, want Pirate", got)
	}
	form.Set("fonction", "Responsable formation")
	wantStatus(t, ts.postForm(t, c, "/compte", form, "Origin", ts.URL), http.StatusSeeOther, "/compte")
	if got := ts.account(t, s).Function; got != "Responsable formation" {
		t.Errorf("same-origin post: fonction = %q", got)
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	old := ts.sessionCookie(t, c)

	// GET never logs out: a link or an image must not end a session. The
	// catch-all "/" route answers it (404) before ServeMux could say 405.
	r := ts.get(t, c, "/deconnexion")
	if r.Status != http.StatusMethodNotAllowed && r.Status != http.StatusNotFound {
		t.Errorf("GET /deconnexion: %v, want 405 (or the 404 page)", r)
	}
	wantStatus(t, ts.get(t, c, "/compte"), http.StatusOK, "")

	r = ts.postForm(t, c, "/deconnexion", url.Values{})
	wantStatus(t, r, http.StatusSeeOther, "/connexion")
	if ts.sessionCookie(t, c) != "" {
		t.Error("session cookie still in the jar after logout")
	}
	r = ts.get(t, c, "/connexion")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Vous êtes déconnecté(e).")
	wantStatus(t, ts.get(t, c, "/compte"), http.StatusSeeOther, "/connexion?suite=%2Fcompte")
	// The old cookie, replayed, opens nothing.
	wantStatus(t, ts.get(t, ts.withSession(t, old), "/compte"), http.StatusSeeOther, "/connexion?suite=%2Fcompte")
	// Logging out without a session is harmless.
	wantStatus(t, ts.postForm(t, ts.client(t), "/deconnexion", url.Values{}), http.StatusSeeOther, "/connexion")
}

func TestForgotPassword(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)

	r := ts.get(t, ts.client(t), "/mot-de-passe-oublie?identifiant="+s.Account.Login)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Mot de passe oublié", "Recevoir un lien")
	if !strings.Contains(r.Body, `value="`+s.Account.Login+`"`) {
		t.Error("identifiant from the query not filled in")
	}

	// The request leads to a page of its own, the same for a known and an
	// unknown identifiant, which a refresh does not post again.
	unknown := "ZZZZZZZZZZ"
	c := ts.client(t)
	ru := ts.postForm(t, c, "/mot-de-passe-oublie", url.Values{"identifiant": {unknown}})
	wantStatus(t, ru, http.StatusSeeOther, "/mot-de-passe-oublie/envoye")
	sentU := ts.get(t, c, ru.Location)
	wantStatus(t, sentU, http.StatusOK, "")
	wantText(t, sentU, "Demande enregistrée", "Si l'identifiant saisi correspond à un compte", "Ce lien est valable 1 heure.")
	wantNoText(t, sentU, unknown)
	if n := len(ts.outbox(t)); n != 0 {
		t.Fatalf("unknown identifiant queued %d e-mails", n)
	}

	c = ts.client(t)
	rk := ts.postForm(t, c, "/mot-de-passe-oublie", url.Values{"identifiant": {s.Account.Login}})
	wantStatus(t, rk, http.StatusSeeOther, "/mot-de-passe-oublie/envoye")
	if diff := cmp.Diff(ru.Body, rk.Body); diff != "" {
		t.Errorf("known and unknown identifiants answer differently (-unknown +known):\n%s", diff)
	}
	sentK := ts.get(t, c, rk.Location)
	if diff := cmp.Diff(sentU.Body, sentK.Body); diff != "" {
		t.Errorf("known and unknown identifiants lead to different pages (-unknown +known):\n%s", diff)
	}
	if n := len(ts.outbox(t)); n != 1 {
		t.Fatalf("%d e-mails queued, want 1", n)
	}
	// A refresh of the page asks for nothing again.
	wantStatus(t, ts.get(t, c, rk.Location), http.StatusOK, "")
	mails := ts.outbox(t)
	if len(mails) != 1 {
		t.Fatalf("%d e-mails queued, want 1", len(mails))
	}
	if m := mails[0]; m.Subject != "inscription en ligne : mot de passe oublié" || m.To != s.Account.Email {
		t.Errorf("mail = %q to %q", m.Subject, m.To)
	}
	ts.passwordPath(t, mails[0].ID)

	// Asking again at once sends nothing more (cooldown), and says the same.
	r = ts.postForm(t, ts.client(t), "/mot-de-passe-oublie", url.Values{"identifiant": {s.Account.Login}})
	wantStatus(t, r, http.StatusSeeOther, "/mot-de-passe-oublie/envoye")
	if n := len(ts.outbox(t)); n != 1 {
		t.Errorf("%d e-mails after a second request within the minute, want 1", n)
	}

	r = ts.postForm(t, ts.client(t), "/mot-de-passe-oublie", url.Values{"identifiant": {"  "}})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	if n := strings.Count(r.Text, "Saisissez votre identifiant."); n != 2 {
		t.Errorf("empty identifiant: message shown %d times, want 2", n)
	}
}
