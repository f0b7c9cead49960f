package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"iel/internal/auth"
	"iel/internal/config"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
	"iel/internal/web"
)

// The web tests drive the real portal: the store on SQLite in a temporary
// directory, the real hasher (with cheap costs), the real e-mails, the
// whole middleware chain behind httptest, and clients with a cookie jar
// that do not follow redirects, so that every test sees the status and
// the Location of each answer.

// cheap keeps argon2id fast in tests; the costs are parameters, not logic.
var cheap = auth.Params{Memory: 1024, Time: 1, Threads: 1}

const baseURL = "http://portal.test"

// testClock is the store's clock, moved by tests that need a link to expire.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock d forward.
func (c *testClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// testServer is one portal with its own database.
type testServer struct {
	URL    string
	Server *web.Server
	Store  *store.Store
	Hasher *auth.Hasher
	Clock  *testClock
	Config config.Config
	Logs   *logBuffer // the server's log lines

	mu    sync.Mutex
	names int // seeded collectivities, for unique names
}

// newTestServer starts a portal for t; change, when given, edits the
// configuration first (SMTP set, say).
func newTestServer(t testing.TB, change ...func(*config.Config)) *testServer {
	t.Helper()
	ctx := cliCtx()
	cfg := config.Config{
		Addr:     "127.0.0.1:0",
		DB:       filepath.Join(t.TempDir(), "iel.db"),
		BaseURL:  baseURL,
		MailFrom: "Inscription en ligne <ne-pas-repondre@portal.test>",
	}
	for _, c := range change {
		c(&cfg)
	}
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	clock := &testClock{}
	st.Now = clock.Now

	letters, err := mail.NewLetters(cfg.BaseURL)
	if err != nil {
		t.Fatalf("mail.NewLetters: %v", err)
	}
	hasher := auth.NewHasher(cheap, 0)
	logs := &logBuffer{}
	srv, err := web.New(web.Deps{Config: cfg, Store: st, Hasher: hasher, Letters: letters, Log: testLogger(t, logs)})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &testServer{URL: hs.URL, Server: srv, Store: st, Hasher: hasher, Clock: clock, Config: cfg, Logs: logs}
}

// logBuffer keeps the server's log lines; it is written by the server's
// goroutines and read by the test.
type logBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testLogger keeps the server's log in logs, shown when the test fails
// (an internal error's cause is there); benchmarks log nothing.
func testLogger(t testing.TB, logs *logBuffer) *slog.Logger {
	if _, ok := t.(*testing.B); ok {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return slog.New(slog.NewTextHandler(logs, nil))
}

// client returns a browser: a cookie jar, no redirect followed.
func (ts *testServer) client(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// seededCT is a collectivity with an active historical manager.
type seededCT struct {
	CT       domain.Collectivity
	Account  domain.Account
	Password string
}

const managerPassword = "Cholet-Formation-49"

// defaultFiche is the seeded manager's fiche.
var defaultFiche = domain.Fiche{Civility: domain.Madame, LastName: "Durand", FirstName: "Claire",
	Function: "Responsable formation", Email: "rh@cholet.example.fr", Phone: "0241000000"}

// seedCT creates a CT whose manager logs in with managerPassword.
func (ts *testServer) seedCT(t testing.TB) seededCT {
	t.Helper()
	hash, err := ts.Hasher.Hash(cliCtx(), managerPassword)
	if err != nil {
		t.Fatal(err)
	}
	ct, acc, err := ts.Store.CreateCollectivity(cliCtx(), store.NewCollectivity{
		Name: ts.nextName(), Email: defaultFiche.Email, ManagerFiche: defaultFiche, ManagerActive: true, PasswordHash: hash,
	}, nil)
	if err != nil {
		t.Fatalf("CreateCollectivity: %v", err)
	}
	return seededCT{CT: ct, Account: acc, Password: managerPassword}
}

// seedInactiveCT creates a CT whose manager has no password yet; when
// tokenHash is given, it is the manager's set-password link.
func (ts *testServer) seedInactiveCT(t testing.TB, tokenHash string) seededCT {
	t.Helper()
	ct, acc, err := ts.Store.CreateCollectivity(cliCtx(), store.NewCollectivity{
		Name: ts.nextName(), Email: "drh@larochesuryon.example.fr", TokenHash: tokenHash, TokenExpiry: ts.Clock.Now().Add(mail.CodesLinkTTL),
	}, nil)
	if err != nil {
		t.Fatalf("CreateCollectivity: %v", err)
	}
	return seededCT{CT: ct, Account: acc}
}

func (ts *testServer) nextName() string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.names++
	return fmt.Sprintf("Commune de Cholet %d", ts.names)
}

// account reads an account back from the database.
func (ts *testServer) account(t testing.TB, s seededCT) domain.Account {
	t.Helper()
	a, err := ts.Store.GetAccount(cliCtx(), s.CT.ID, s.Account.ID)
	if err != nil {
		t.Fatalf("GetAccount: %v", err)
	}
	return a
}

// outbox lists the queued e-mails, newest first.
func (ts *testServer) outbox(t testing.TB) []store.OutboxMail {
	t.Helper()
	mails, err := ts.Store.ListOutbox(cliCtx(), 100)
	if err != nil {
		t.Fatalf("ListOutbox: %v", err)
	}
	return mails
}

var passwordLink = regexp.MustCompile(regexp.QuoteMeta(baseURL) + `(/mot-de-passe/[A-Za-z0-9_-]+)`)

// passwordPath returns the path of the set-password link in the outbox
// mail id.
func (ts *testServer) passwordPath(t testing.TB, id int64) string {
	t.Helper()
	m, err := ts.Store.GetOutbox(cliCtx(), id)
	if err != nil {
		t.Fatalf("GetOutbox: %v", err)
	}
	sub := passwordLink.FindStringSubmatch(m.Text)
	if sub == nil {
		t.Fatalf("no password link in mail %q:\n%s", m.Subject, m.Text)
	}
	return sub[1]
}

// response is an answer, read whole.
type response struct {
	Status   int
	Header   http.Header
	Body     string // as sent
	Text     string // Body with HTML entities decoded, to look for sentences
	Location string
	Cookies  []*http.Cookie
}

func (r response) String() string {
	return fmt.Sprintf("status %d, Location %q", r.Status, r.Location)
}

func do(t testing.TB, c *http.Client, req *http.Request) response {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: string(b), Text: html.UnescapeString(string(b)),
		Location: resp.Header.Get("Location"), Cookies: resp.Cookies()}
}

// get requests path (relative to the server) with c.
func (ts *testServer) get(t testing.TB, c *http.Client, path string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, c, req)
}

// postForm posts form to path with c; header, when given, is added.
func (ts *testServer) postForm(t testing.TB, c *http.Client, path string, form url.Values, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, c, req)
}

// login signs c in and fails the test unless it is sent to /accueil.
func (ts *testServer) login(t testing.TB, c *http.Client, login, password string) response {
	t.Helper()
	r := ts.postForm(t, c, "/connexion", url.Values{"identifiant": {login}, "mot_de_passe": {password}})
	if r.Status != http.StatusSeeOther || r.Location != "/accueil" {
		t.Fatalf("login %s: %v, want 303 to /accueil; page:\n%s", login, r, r.Text)
	}
	return r
}

// loggedIn returns a client signed in as the manager of s.
func (ts *testServer) loggedIn(t testing.TB, s seededCT) *http.Client {
	t.Helper()
	c := ts.client(t)
	ts.login(t, c, s.Account.Login, s.Password)
	return c
}

// sessionCookie returns the session cookie c holds for the server.
func (ts *testServer) sessionCookie(t testing.TB, c *http.Client) string {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	for _, k := range c.Jar.Cookies(u) {
		if k.Name == "iel_session" {
			return k.Value
		}
	}
	return ""
}

// withSession returns a new client holding only the session cookie value.
func (ts *testServer) withSession(t testing.TB, value string) *http.Client {
	t.Helper()
	c := ts.client(t)
	u, _ := url.Parse(ts.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "iel_session", Value: value, Path: "/"}})
	return c
}

// wantStatus fails the test unless r has status and, when location is not
// "-", that Location.
func wantStatus(t testing.TB, r response, status int, location string) {
	t.Helper()
	if r.Status != status || (location != "-" && r.Location != location) {
		want := fmt.Sprintf("status %d", status)
		if location != "-" {
			want += fmt.Sprintf(", Location %q", location)
		}
		t.Fatalf("got %v, want %s; page:\n%s", r, want, excerpt(r.Text))
	}
}

// wantText fails the test unless the page shows every sentence.
// wantMarkup checks that the page's HTML holds each fragment (a value kept
// in an input, a checked radio).
func wantMarkup(t testing.TB, r response, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(r.Body, f) {
			t.Errorf("page lacks %s", f)
		}
	}
}

// wantNoMarkup checks that the page's HTML holds none of the fragments.
func wantNoMarkup(t testing.TB, r response, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(r.Body, f) {
			t.Errorf("page still holds %s", f)
		}
	}
}

func wantText(t testing.TB, r response, sentences ...string) {
	t.Helper()
	for _, s := range sentences {
		if !strings.Contains(r.Text, s) {
			t.Errorf("page does not say %q; page:\n%s", s, excerpt(r.Text))
		}
	}
}

// wantNoText fails the test if the page shows any of the sentences.
func wantNoText(t testing.TB, r response, sentences ...string) {
	t.Helper()
	for _, s := range sentences {
		if strings.Contains(r.Text, s) {
			t.Errorf("page says %q, and should not", s)
		}
	}
}

// excerpt keeps failure messages readable: the page's main part.
func excerpt(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if i := strings.Index(s, `</main>`); i >= 0 {
		s = s[:i]
	}
	if len(s) > 4000 {
		s = s[:4000] + "…"
	}
	return s
}

// cliCtx is a context whose changes the command line makes, for the
// tests that seed data through the store: every change is journaled.
func cliCtx() context.Context {
	return store.WithActor(context.Background(), domain.CommandLine)
}
