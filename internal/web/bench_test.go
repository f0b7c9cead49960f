package web_test

import (
	"net/http"
	"testing"
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
