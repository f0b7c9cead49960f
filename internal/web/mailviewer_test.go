package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"iel/internal/auth"
	"iel/internal/config"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
	"iel/internal/web"
)

// withMailViewer turns the mail viewer on, as --mail-viewer does.
func withMailViewer(c *config.Config) { c.ViewMail = true }

// TestMailViewerLoopbackOnly: the mail viewer shows live links, so it
// answers only clients on the portal's own machine, and only their pages
// show the demo banner that links it.
func TestMailViewerLoopbackOnly(t *testing.T) {
	t.Parallel()
	st, err := store.Open(cliCtx(), filepath.Join(t.TempDir(), "iel.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := config.Config{Addr: "0.0.0.0:8080", DB: "x", BaseURL: "http://portal.test", Demo: true}
	letters, err := mail.NewLetters(cfg.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Deps{Config: cfg, Store: st, Hasher: auth.NewHasher(cheap, 1), Letters: letters, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	// One e-mail, number 1, for the viewer to show.
	_, _, err = st.CreateCollectivity(cliCtx(), store.NewCollectivity{Name: "Commune de Test", Email: "t@test.fr"},
		func(login string) (mail.Message, error) {
			return letters.Codes(domain.Collectivity{Name: "Commune de Test", Email: "t@test.fr"}, login, "x")
		})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		remote string
		want   int
	}{
		{name: "loopback v4", remote: "127.0.0.1:5000", want: http.StatusOK},
		{name: "loopback v6", remote: "[::1]:5000", want: http.StatusOK},
		{name: "mapped loopback", remote: "[::ffff:127.0.0.1]:5000", want: http.StatusOK},
		{name: "private network", remote: "192.168.1.20:5000", want: http.StatusNotFound},
		{name: "public address", remote: "203.0.113.7:5000", want: http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/courriels", "/courriels/1"} {
				req := httptest.NewRequest("GET", path, nil)
				req.RemoteAddr = tt.remote
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != tt.want {
					t.Errorf("GET %s from %s = %d, want %d", path, tt.remote, rec.Code, tt.want)
				}
			}
			req := httptest.NewRequest("GET", "/connexion", nil)
			req.RemoteAddr = tt.remote
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if banner := strings.Contains(rec.Body.String(), `href="/courriels"`); banner != (tt.want == http.StatusOK) {
				t.Errorf("GET /connexion from %s: a link to the mail viewer is %v, want %v", tt.remote, banner, tt.want == http.StatusOK)
			}
		})
	}
}
