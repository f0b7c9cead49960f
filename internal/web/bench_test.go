package web_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"iel/internal/domain"
)

// BenchmarkAccountPage measures GET /compte signed in: the session lookup,
// the page's queries and its rendering.
func BenchmarkAccountPage(b *testing.B) {
	ts := newTestServer(b)
	c := ts.loggedIn(b, ts.seedCT(b))
	b.ReportAllocs()
	for b.Loop() {
		if r := ts.get(b, c, "/compte"); r.Status != http.StatusOK {
			b.Fatalf("GET /compte: %v", r)
		}
	}
}

// BenchmarkLoginPage measures GET /connexion, the page every visit starts with.
func BenchmarkLoginPage(b *testing.B) {
	ts := newTestServer(b)
	c := ts.client(b)
	b.ReportAllocs()
	for b.Loop() {
		if r := ts.get(b, c, "/connexion"); r.Status != http.StatusOK {
			b.Fatalf("GET /connexion: %v", r)
		}
	}
}

// BenchmarkOperatorList measures GET /compte/operateurs signed in as the
// principal: the layout, the tabs, a flash and 20 rows.
func BenchmarkOperatorList(b *testing.B) {
	ts := newTestServer(b)
	p := ts.principalCT(b)
	var fiches []domain.Fiche
	for i := range 19 {
		fiches = append(fiches, domain.Fiche{Civility: domain.Madame, LastName: fmt.Sprintf("Agent%02d", i), FirstName: "Anne",
			Function: "Gestionnaire formation", Email: fmt.Sprintf("agent%02d@cholet.example.fr", i), Phone: "0241000000"})
	}
	ts.seedOperators(b, p, fiches...)
	u, err := url.Parse(ts.URL)
	if err != nil {
		b.Fatal(err)
	}
	flash := &http.Cookie{Name: "iel_flash", Value: base64.RawURLEncoding.EncodeToString([]byte("Le compte opérateur de Anne Agent00 est enregistré.")), Path: "/"}
	b.ReportAllocs()
	for b.Loop() {
		p.Client.Jar.SetCookies(u, []*http.Cookie{flash})
		r := ts.get(b, p.Client, "/compte/operateurs")
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "20 opérateurs ont été trouvés") || !strings.Contains(r.Body, "Anne Agent00 est enregistré") {
			b.Fatalf("GET /compte/operateurs: %v", r)
		}
	}
}
