package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestMailViewerAttachments: an e-mail's files are listed on its page and
// downloaded as sent, named; a number past them is not found.
func TestMailViewerAttachments(t *testing.T) {
	t.Parallel()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "iel.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := config.Config{Addr: "127.0.0.1:8080", DB: "x", BaseURL: "http://portal.test", Demo: true}
	letters, err := mail.NewLetters(cfg.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Deps{Config: cfg, Store: st, Hasher: auth.NewHasher(cheap, 1), Letters: letters, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	// The convocation of a registration, queued as the first e-mail.
	day := func(d int) time.Time { return time.Date(2027, 1, d, 0, 0, 0, 0, time.UTC) }
	training := mail.TrainingMail{
		Collectivity: domain.Collectivity{ID: 1, Name: "Commune de Test", Email: "t@test.fr"},
		Session: domain.Session{ID: 1, Code: "INTER-1", Title: "Accueil du public", Type: domain.Inter, StartsOn: day(12), EndsOn: day(12),
			Hours: "9 h – 17 h", Place: "Évry", Capacity: 10},
		Registration: domain.Registration{ID: 1, SessionID: 1, CollectivityID: 1, AgentID: 1, State: domain.RegistrationAccepted, DecidedAt: day(3)},
		Agent:        domain.Agent{ID: 1, FirstName: "Élise", LastName: "Été"},
	}
	convocation, err := letters.Training(domain.MailAccepted, "t@test.fr", training)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = st.CreateCollectivity(cliCtx(), store.NewCollectivity{Name: "Commune de Test", Email: "t@test.fr"},
		func(string) (mail.Message, error) { return convocation, nil })
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, remote string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", path, nil)
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}

	page := get("/courriels/1", "127.0.0.1:5000").Body.String()
	for _, want := range []string{"Pièces jointes", `href="/courriels/1/pieces-jointes/1" download="convocation-INS-000001.pdf">convocation-INS-000001.pdf</a>`,
		`href="/courriels/1/pieces-jointes/2" download="session-INS-000001.ics">session-INS-000001.ics</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the e-mail's page lacks %q", want)
		}
	}
	for i, a := range convocation.Attachments {
		rec := get(fmt.Sprintf("/courriels/1/pieces-jointes/%d", i+1), "127.0.0.1:5000")
		if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), a.Data) {
			t.Fatalf("file %d: %d, %d bytes; want 200 and the %d bytes sent", i+1, rec.Code, rec.Body.Len(), len(a.Data))
		}
		_, params, _ := mime.ParseMediaType(rec.Header().Get("Content-Disposition"))
		if typ, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type")); typ != strings.Split(a.ContentType, ";")[0] || params["filename"] != a.Filename {
			t.Errorf("file %d: Content-Type %q, Content-Disposition %q", i+1, rec.Header().Get("Content-Type"), rec.Header().Get("Content-Disposition"))
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("file %d may be sniffed", i+1)
		}
	}
	for _, path := range []string{"/courriels/1/pieces-jointes/0", "/courriels/1/pieces-jointes/3", "/courriels/1/pieces-jointes/x", "/courriels/2/pieces-jointes/1"} {
		if rec := get(path, "127.0.0.1:5000"); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, rec.Code)
		}
	}
	if rec := get("/courriels/1/pieces-jointes/1", "203.0.113.7:5000"); rec.Code != http.StatusNotFound {
		t.Errorf("a file from a public address = %d, want 404", rec.Code)
	}
}
