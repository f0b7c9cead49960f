package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"iel/internal/config"
)

// overHTTPS configures a portal whose base URL is https: cookies get the
// __Host- prefix and Secure.
func overHTTPS(c *config.Config) { c.BaseURL = "https://portal.test" }

// cookie returns the value of the cookie name that c holds for the server.
func (ts *testServer) cookie(t testing.TB, c *http.Client, name string) string {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	for _, k := range c.Jar.Cookies(u) {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
}

// setCookie puts a cookie in c's jar, as a browser would hold it.
func (ts *testServer) setCookie(c *http.Client, name, value string) {
	u, _ := url.Parse(ts.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// tryPassword posts a login and returns its status: 303 (signed in), 401
// (wrong password) or 429 (slowed down).
func (ts *testServer) tryPassword(t testing.TB, c *http.Client, login, password string) int {
	t.Helper()
	return ts.postForm(t, c, "/connexion", url.Values{"identifiant": {login}, "mot_de_passe": {password}}).Status
}

// knownBrowser returns a browser that has logged in as s once, then logged out.
func (ts *testServer) knownBrowser(t testing.TB, s seededCT) *http.Client {
	t.Helper()
	c := ts.loggedIn(t, s)
	wantStatus(t, ts.postForm(t, c, "/deconnexion", url.Values{}), http.StatusSeeOther, "/connexion")
	if ts.cookie(t, c, "iel_device_"+s.Account.Login) == "" {
		t.Fatal("no device cookie after a successful login")
	}
	return c
}

// hammer plays an attacker guessing the passwords of logins from fresh
// browsers, one request each time the wait ends, rounds times: the
// identifiants stay slowed down for unknown browsers. All come from one
// address: keep rounds × len(logins) under its 20 free failures.
func (ts *testServer) hammer(t testing.TB, rounds int, logins ...string) {
	t.Helper()
	for i := range rounds {
		for _, login := range logins {
			if got := ts.tryPassword(t, ts.client(t), login, fmt.Sprintf("Devine-%d-mdp", i)); got != http.StatusUnauthorized {
				t.Fatalf("attacker's guess %d on %s: status %d, want 401", i, login, got)
			}
		}
		if i < 4 { // from the 5th failure on, the identifiant waits
			continue
		}
		for _, login := range logins {
			if got := ts.tryPassword(t, ts.client(t), login, "Encore-1-essai"); got != http.StatusTooManyRequests {
				t.Fatalf("attacker right after failure %d on %s: status %d, want 429", i+1, login, got)
			}
		}
		if i < rounds-1 {
			ts.Clock.Advance(16 * time.Minute)
		}
	}
}

// TestDeviceCookie: the cookie a successful login leaves.
func TestDeviceCookie(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	r := ts.login(t, ts.client(t), s.Account.Login, s.Password)
	var dev *http.Cookie
	for _, k := range r.Cookies {
		if k.Name == "iel_device_"+s.Account.Login {
			dev = k
		}
	}
	if dev == nil {
		t.Fatalf("login sets no device cookie for %s; cookies: %v", s.Account.Login, r.Cookies)
	}
	if !dev.HttpOnly || dev.SameSite != http.SameSiteStrictMode || dev.Path != "/" || dev.MaxAge < 30*24*3600 || dev.Value == "" {
		t.Errorf("device cookie = %+v, want HttpOnly, SameSite=Strict, Path=/, kept for months", dev)
	}
	// A refused login leaves none.
	r = ts.postForm(t, ts.client(t), "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {"Mauvais-mdp-1"}})
	for _, k := range r.Cookies {
		if k.Name == dev.Name {
			t.Errorf("a refused login set a device cookie")
		}
	}

	// Over https the cookie is __Host- and Secure.
	tss := newTestServer(t, overHTTPS)
	ss := tss.seedCT(t)
	r = tss.postForm(t, tss.client(t), "/connexion", url.Values{"identifiant": {ss.Account.Login}, "mot_de_passe": {ss.Password}})
	wantStatus(t, r, http.StatusSeeOther, "/accueil")
	found := false
	for _, k := range r.Cookies {
		if k.Name == "__Host-iel_device_"+ss.Account.Login {
			found = true
			if !k.Secure || k.Path != "/" || k.Domain != "" {
				t.Errorf("https device cookie = %+v, want Secure, Path=/, no Domain", k)
			}
		}
	}
	if !found {
		t.Errorf("https login sets no __Host- device cookie; cookies: %v", r.Cookies)
	}
}

// TestDeviceCookieOwnerLogsInWhileAttacked: an attacker hammering an
// identifiant from unknown browsers slows down unknown browsers only; its
// owner logs in from the browser it used before, even after a few typos.
func TestDeviceCookieOwnerLogsInWhileAttacked(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	other := ts.seedCT(t)
	owner := ts.knownBrowser(t, s)
	otherOwner := ts.knownBrowser(t, other)
	ts.hammer(t, 8, s.Account.Login, other.Account.Login)

	// An unknown browser waits, right password or not.
	if got := ts.tryPassword(t, ts.client(t), s.Account.Login, s.Password); got != http.StatusTooManyRequests {
		t.Fatalf("unknown browser with the right password: status %d, want 429", got)
	}
	// The owner's browser: two typos, then in.
	for i := range 2 {
		if got := ts.tryPassword(t, owner, s.Account.Login, fmt.Sprintf("Faute-%d-frappe", i)); got != http.StatusUnauthorized {
			t.Fatalf("owner's typo %d: status %d, want 401", i, got)
		}
	}
	if got := ts.tryPassword(t, owner, s.Account.Login, s.Password); got != http.StatusSeeOther {
		t.Fatalf("owner from a known browser: status %d, want 303", got)
	}
	wantStatus(t, ts.get(t, owner, "/compte"), http.StatusOK, "")
	// The owner's success wipes nothing of the attacker's count.
	if got := ts.tryPassword(t, ts.client(t), s.Account.Login, "Encore-1-essai"); got != http.StatusTooManyRequests {
		t.Errorf("attacker after the owner's login: status %d, want 429", got)
	}

	// The cookie is for its identifiant only, and only as signed.
	cookie := ts.cookie(t, owner, "iel_device_"+s.Account.Login)
	tests := []struct {
		name, cookieName, value, login, password string
	}{
		{"cookie of another identifiant", "iel_device_" + s.Account.Login, cookie, other.Account.Login, other.Password},
		{"cookie copied under another identifiant's name", "iel_device_" + other.Account.Login, cookie, other.Account.Login, other.Password},
		{"forged signature", "iel_device_" + s.Account.Login, cookie[:len(cookie)-4] + "AAAA", s.Account.Login, s.Password},
		{"no signature", "iel_device_" + s.Account.Login, "abcdefghijklmnop", s.Account.Login, s.Password},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			ts.setCookie(c, tt.cookieName, tt.value)
			if got := ts.tryPassword(t, c, tt.login, tt.password); got != http.StatusTooManyRequests {
				t.Errorf("status %d, want 429", got)
			}
		})
	}
	if got := ts.tryPassword(t, otherOwner, other.Account.Login, other.Password); got != http.StatusSeeOther {
		t.Errorf("the other owner from its known browser: status %d, want 303", got)
	}
}

// TestDeviceCookieOwnLimit: a known browser has a limit of its own; past
// it, the browser is an unknown one again, and waits like one.
func TestDeviceCookieOwnLimit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	stolen := ts.knownBrowser(t, s)
	ts.hammer(t, 6, s.Account.Login)
	for i := range 10 {
		if got := ts.tryPassword(t, stolen, s.Account.Login, fmt.Sprintf("Devine-%d-mdp", i)); got != http.StatusUnauthorized {
			t.Fatalf("guess %d from the known browser: status %d, want 401", i+1, got)
		}
	}
	if got := ts.tryPassword(t, stolen, s.Account.Login, s.Password); got != http.StatusTooManyRequests {
		t.Fatalf("after 10 failures, the known browser: status %d, want 429", got)
	}
	// Once the identifiant's wait is over, a login gives a fresh cookie that counts again.
	ts.Clock.Advance(16 * time.Minute)
	if got := ts.tryPassword(t, stolen, s.Account.Login, s.Password); got != http.StatusSeeOther {
		t.Fatalf("after the wait: status %d, want 303", got)
	}
	ts.hammer(t, 6, s.Account.Login)
	if got := ts.tryPassword(t, stolen, s.Account.Login, s.Password); got != http.StatusSeeOther {
		t.Errorf("with the fresh cookie, under attack: status %d, want 303", got)
	}
}

// TestDeviceCookieBehindSharedAddress: twenty failures and more from one
// address (a proxy, an office) slow down the unknown browsers behind it,
// not the people logging in from their usual browser.
func TestDeviceCookieBehindSharedAddress(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	a, b, c := ts.seedCT(t), ts.seedCT(t), ts.seedCT(t)
	knownA, knownB := ts.knownBrowser(t, a), ts.knownBrowser(t, b)
	for i := range 25 {
		r := ts.postForm(t, ts.client(t), "/connexion", url.Values{"identifiant": {fmt.Sprintf("ESSAI%05d", i)}, "mot_de_passe": {"Mauvais-mdp-1"}})
		if r.Status != http.StatusUnauthorized && r.Status != http.StatusTooManyRequests {
			t.Fatalf("guess %d: %v", i, r)
		}
	}
	if got := ts.tryPassword(t, ts.client(t), c.Account.Login, c.Password); got != http.StatusTooManyRequests {
		t.Errorf("unknown browser behind the address: status %d, want 429", got)
	}
	if got := ts.tryPassword(t, knownA, a.Account.Login, a.Password); got != http.StatusSeeOther {
		t.Errorf("A from its known browser: status %d, want 303", got)
	}
	if got := ts.tryPassword(t, knownB, b.Account.Login, "Faute-de-frappe-1"); got != http.StatusUnauthorized {
		t.Errorf("B's typo from its known browser: status %d, want 401", got)
	}
	if got := ts.tryPassword(t, knownB, b.Account.Login, b.Password); got != http.StatusSeeOther {
		t.Errorf("B from its known browser: status %d, want 303", got)
	}
}
