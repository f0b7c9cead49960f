package web_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"iel/internal/config"
)

// failLogins posts n wrong logins, each for an identifiant of its own so
// that only the address's count grows, with X-Forwarded-For xff.
func (ts *testServer) failLogins(t *testing.T, n int, xff string) {
	t.Helper()
	for i := range n {
		r := ts.postForm(t, ts.client(t), "/connexion", url.Values{"identifiant": {fmt.Sprintf("ESSAI%05d", i)}, "mot_de_passe": {"Mauvais-mdp-1"}}, "X-Forwarded-For", xff)
		wantStatus(t, r, http.StatusUnauthorized, "")
	}
}

// tryLogin posts one wrong login for a fresh identifiant with
// X-Forwarded-For xff, and returns the status: 401, or 429 when the
// address is slowed down.
func (ts *testServer) tryLogin(t *testing.T, xff string) int {
	t.Helper()
	return ts.postForm(t, ts.client(t), "/connexion", url.Values{"identifiant": {"AUTRE23456"}, "mot_de_passe": {"Mauvais-mdp-1"}}, "X-Forwarded-For", xff).Status
}

// TestForwardedForIgnoredWithoutTrustedProxies: without the setting, a
// client cannot escape the per-address throttle by writing its own
// X-Forwarded-For; the peer's address counts.
func TestForwardedForIgnoredWithoutTrustedProxies(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	for i := range 20 {
		r := ts.postForm(t, ts.client(t), "/connexion", url.Values{"identifiant": {fmt.Sprintf("ESSAI%05d", i)}, "mot_de_passe": {"Mauvais-mdp-1"}},
			"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1))
		wantStatus(t, r, http.StatusUnauthorized, "")
	}
	if got := ts.tryLogin(t, "198.51.100.99"); got != http.StatusTooManyRequests {
		t.Errorf("21st failure from the same peer with a new X-Forwarded-For: status %d, want 429", got)
	}
	if logs := ts.Logs.String(); strings.Contains(logs, "203.0.113.") || !strings.Contains(logs, "client=127.0.0.1") {
		t.Errorf("the log names a forwarded address, or not the peer's:\n%s", logs)
	}
}

// TestForwardedForFromTrustedProxy: behind a trusted proxy, each client is
// counted on its own address, read from the right of X-Forwarded-For; what
// the client wrote to the left of it changes nothing.
func TestForwardedForFromTrustedProxy(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(c *config.Config) {
		c.TrustedProxies = config.Proxies{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8")}
	})
	ts.failLogins(t, 20, "203.0.113.5")

	tests := []struct {
		name string
		xff  string
		want int
	}{
		{name: "the guessing client", xff: "203.0.113.5", want: http.StatusTooManyRequests},
		{name: "another client of the same proxy", xff: "198.51.100.7", want: http.StatusUnauthorized},
		{name: "the guessing client spoofing an address on the left", xff: "198.51.100.7, 203.0.113.5", want: http.StatusTooManyRequests},
		{name: "the guessing client through a chain of trusted proxies", xff: "198.51.100.7, 203.0.113.5, 10.0.0.2, 10.3.0.1", want: http.StatusTooManyRequests},
		{name: "another client through the chain", xff: "203.0.113.5, 198.51.100.8, 10.0.0.2", want: http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ts.tryLogin(t, tt.xff); got != tt.want {
				t.Errorf("X-Forwarded-For %q: status %d, want %d", tt.xff, got, tt.want)
			}
		})
	}
	if logs := ts.Logs.String(); !strings.Contains(logs, "client=203.0.113.5") || !strings.Contains(logs, "client=198.51.100.8") {
		t.Errorf("the request log does not name the clients:\n%s", logs)
	}
}
