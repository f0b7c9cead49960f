package web_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"iel/internal/auth"
	"iel/internal/config"
)

// forwardedFor adds an X-Forwarded-For header to every request, as the
// reverse proxy in front of the portal does.
type forwardedFor struct {
	addr string
	next http.RoundTripper
}

func (f forwardedFor) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return f.next.RoundTrip(r)
}

// clientAt returns a browser whose requests reach the portal through a
// proxy that says they come from addr.
func (ts *testServer) clientAt(t testing.TB, addr string) *http.Client {
	c := ts.client(t)
	c.Transport = forwardedFor{addr: addr, next: http.DefaultTransport}
	return c
}

// wantSecurity fails the test unless a security log entry for event holds
// every fragment.
func wantSecurity(t testing.TB, logs, event string, fragments ...string) {
	t.Helper()
	for line := range strings.SplitSeq(logs, "\n") {
		if !strings.Contains(line, "msg=security event="+event+" ") {
			continue
		}
		ok := true
		for _, f := range fragments {
			ok = ok && strings.Contains(line, f)
		}
		if ok {
			return
		}
	}
	t.Errorf("no security log entry %s with %q", event, fragments)
}

// TestSecurityLog: the security log tells who did what, from where, on
// which route, and holds no secret.
func TestSecurityLog(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *config.Config) { c.TrustedProxies = config.Proxies{netip.MustParsePrefix("127.0.0.1/32")} })
	s := ts.seedCT(t)
	const addr = "203.0.113.9"
	who := func(acc string) []string {
		return []string{"client=" + addr, "account=" + acc, "login=" + s.Account.Login}
	}
	id := fmt.Sprint(s.Account.ID)
	var secrets []string // what must never be logged

	// Anonymous access, failures, lock-out, throttle, success.
	c := ts.clientAt(t, addr)
	wantStatus(t, ts.get(t, c, "/compte"), http.StatusSeeOther, "-")
	const typo = "TYPO-Secret-2026"
	secrets = append(secrets, typo, "MOTDEPASSETAPE99")
	wantStatus(t, ts.postForm(t, c, "/connexion", url.Values{"identifiant": {"MOTDEPASSETAPE99"}, "mot_de_passe": {typo}}), http.StatusUnauthorized, "")
	for range 5 {
		wantStatus(t, ts.postForm(t, c, "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {typo}}), http.StatusUnauthorized, "")
	}
	wantStatus(t, ts.postForm(t, c, "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {s.Password}}), http.StatusTooManyRequests, "")
	ts.Clock.Advance(20 * time.Minute)
	ts.login(t, c, s.Account.Login, s.Password)
	secrets = append(secrets, s.Password, ts.sessionCookie(t, c), ts.cookie(t, c, "iel_device_"+s.Account.Login))

	// Refused accesses.
	wantStatus(t, ts.get(t, c, "/compte/operateurs"), http.StatusForbidden, "")
	wantStatus(t, ts.postForm(t, c, "/compte", accountForm(nil), "Sec-Fetch-Site", "cross-site"), http.StatusForbidden, "")

	// Mon compte: a wrong current password, then a new password and address.
	const newPassword = "Nouveau-Secret-2026"
	secrets = append(secrets, newPassword)
	change := map[string]string{"mot_de_passe_actuel": typo, "nouveau": newPassword, "confirmation": newPassword, "courriel": "claire.durand@cholet.example.fr"}
	wantStatus(t, ts.postForm(t, c, "/compte", accountForm(change)), http.StatusUnprocessableEntity, "")
	change["mot_de_passe_actuel"] = s.Password
	wantStatus(t, ts.postForm(t, c, "/compte", accountForm(change)), http.StatusSeeOther, "/compte")
	secrets = append(secrets, ts.sessionCookie(t, c))
	wantStatus(t, ts.postForm(t, c, "/deconnexion", nil), http.StatusSeeOther, "/connexion")

	// Links: opened, used, refused as used, unknown, expired.
	link := ts.resetLink(t, s)
	secrets = append(secrets, strings.TrimPrefix(link, "/mot-de-passe/"))
	wantStatus(t, ts.get(t, c, link), http.StatusOK, "")
	const linkPassword = "Par-Le-Lien-2026"
	secrets = append(secrets, linkPassword)
	wantStatus(t, ts.postForm(t, c, link, url.Values{"nouveau": {linkPassword}, "confirmation": {linkPassword}}), http.StatusSeeOther, "-")
	wantStatus(t, ts.get(t, c, link), http.StatusGone, "")
	ts.Clock.Advance(2 * time.Minute) // past the reset cooldown
	old := ts.resetLink(t, s)
	secrets = append(secrets, strings.TrimPrefix(old, "/mot-de-passe/"))
	ts.Clock.Advance(2 * time.Hour)
	wantStatus(t, ts.get(t, c, old), http.StatusGone, "")
	for _, path := range []string{"/mot-de-passe/", "/validationgestprin/", "/validationoperateur/"} {
		raw := auth.NewToken().Raw
		secrets = append(secrets, raw)
		wantStatus(t, ts.get(t, c, path+raw), http.StatusGone, "")
	}

	key, err := ts.Store.DeviceKey(cliCtx())
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, base64.StdEncoding.EncodeToString(key), base64.RawURLEncoding.EncodeToString(key))

	logs := ts.Logs.String()
	wantSecurity(t, logs, "access.denied", "client="+addr, `route="GET /compte"`, `reason="not signed in"`)
	wantSecurity(t, logs, "login.failure", "client="+addr, `route="POST /connexion"`, "account_known=false")
	wantSecurity(t, logs, "login.failure", append(who(id), `route="POST /connexion"`, "known_browser=false")...)
	wantSecurity(t, logs, "lockout", append(who(id), "wait=15s")...)
	wantSecurity(t, logs, "login.throttled", "client="+addr, `route="POST /connexion"`, "wait=15s")
	wantSecurity(t, logs, "login.success", append(who(id), `route="POST /connexion"`)...)
	wantSecurity(t, logs, "access.denied", append(who(id), `route="GET /compte/operateurs"`, "reason=role", "role=manager")...)
	wantSecurity(t, logs, "csrf.refused", append(who(id), `route="POST /compte"`)...)
	wantSecurity(t, logs, "reauth.failure", append(who(id), `route="POST /compte"`, "known_browser=true")...)
	wantSecurity(t, logs, "password.changed", append(who(id), `route="POST /compte"`, "by=account")...)
	wantSecurity(t, logs, "email.changed", append(who(id), `route="POST /compte"`)...)
	wantSecurity(t, logs, "logout", append(who(id), `route="POST /deconnexion"`)...)
	wantSecurity(t, logs, "link.opened", append(who(id), `route="GET /mot-de-passe/{token}"`, "link=password", "state=valid")...)
	wantSecurity(t, logs, "link.used", append(who(id), `route="POST /mot-de-passe/{token}"`, "link=password", "state=used")...)
	wantSecurity(t, logs, "password.changed", append(who(id), `route="POST /mot-de-passe/{token}"`, "by=link")...)
	wantSecurity(t, logs, "link.refused", append(who(id), `route="GET /mot-de-passe/{token}"`, "state=used")...)
	wantSecurity(t, logs, "link.refused", append(who(id), `route="GET /mot-de-passe/{token}"`, "state=expired")...)
	wantSecurity(t, logs, "link.refused", "client="+addr, `route="GET /mot-de-passe/{token}"`, "link=password", "state=unknown")
	wantSecurity(t, logs, "link.refused", "client="+addr, `route="GET /validationgestprin/{token}"`, "link=designation", "state=unknown")
	wantSecurity(t, logs, "link.refused", "client="+addr, `route="GET /validationoperateur/{token}"`, "link=invitation", "state=unknown")

	for _, secret := range secrets {
		if secret == "" {
			t.Fatal("a secret of the test is empty")
		}
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds the secret %q", secret)
		}
	}
	if t.Failed() {
		t.Logf("log:\n%s", logs)
	}
}

// TestSecurityLogOperatorAddress: a principal changing an operator's
// address is logged with both accounts.
func TestSecurityLogOperatorAddress(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "oui")
	changed := operatorFiche
	wantStatus(t, ts.postForm(t, p.Client, operatorPath(o.Account), ficheValues(changed, "oui", "oui")), http.StatusSeeOther, "/compte/operateurs")
	if strings.Contains(ts.Logs.String(), "event=email.changed") {
		t.Error("an unchanged address is logged as changed")
	}
	changed.Email = "autre.adresse@cholet.example.fr"
	wantStatus(t, ts.postForm(t, p.Client, operatorPath(o.Account), ficheValues(changed, "oui", "oui")), http.StatusSeeOther, "/compte/operateurs")
	wantSecurity(t, ts.Logs.String(), "email.changed", fmt.Sprintf("account=%d", p.Principal.ID), "login="+p.Principal.Login,
		fmt.Sprintf("target=%d", o.Account.ID), "target_login="+o.Login, `route="POST /compte/operateurs/{id}"`, "client=127.0.0.1")
}
