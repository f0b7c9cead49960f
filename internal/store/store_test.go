package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
)

// The suite runs on SQLite always, and on PostgreSQL too when
// IEL_TEST_POSTGRES holds a DSN, each test in a schema of its own.
const postgresEnv = "IEL_TEST_POSTGRES"

// engines are the databases the suite runs on; dsn returns the DSN of a
// fresh, empty database that the test's cleanup removes.
var engines = []struct {
	name string
	dsn  func(tb testing.TB) string
}{
	{"sqlite", sqliteTestDSN},
	{"postgres", postgresTestDSN},
}

func sqliteTestDSN(tb testing.TB) string {
	return tb.TempDir() + "/iel.db"
}

func postgresTestDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		tb.Skip(postgresEnv + " not set: PostgreSQL store tests skipped")
	}
	b := make([]byte, 8)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open %s: %v", postgresEnv, err)
	}
	tb.Cleanup(func() { admin.Close() })
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema) // pgx passes it on as a runtime parameter
	u.RawQuery = q.Encode()
	return u.String()
}

// openTest opens a Store on dsn with a test clock, closed at cleanup.
func openTest(tb testing.TB, dsn string) (*Store, *clock) {
	tb.Helper()
	s, err := Open(testCtx(), dsn)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	c := newClock()
	s.Now = c.Now
	return s, c
}

// forEachEngine runs fn in a subtest per engine, on a fresh Store whose
// clock the test moves.
func forEachEngine(t *testing.T, fn func(t *testing.T, s *Store, c *clock)) {
	t.Helper()
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			s, c := openTest(t, e.dsn(t))
			fn(t, s, c)
		})
	}
}

// clock is a controllable s.Now, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fixture is a CT created through the store, with its manager and the
// raw set-password link of its codes e-mail.
type fixture struct {
	ct   domain.Collectivity
	acc  domain.Account
	link auth.Token
}

// createCT creates the CT name with its codes e-mail queued; active makes
// the manager's codes work at once (password hash "hash-"+name).
func createCT(t testing.TB, s *Store, name string, active bool) fixture {
	t.Helper()
	tok := auth.NewToken()
	nc := NewCollectivity{
		Name:        name,
		Email:       "mairie@" + strings.ToLower(strings.NewReplacer(" ", "-", "'", "-").Replace(name)) + ".fr",
		TokenHash:   tok.Hash,
		TokenExpiry: s.Now().Add(7 * 24 * time.Hour),
	}
	if active {
		nc.ManagerActive, nc.PasswordHash = true, "hash-"+name
	}
	ct, acc, err := s.CreateCollectivity(testCtx(), nc, composeCodes(nc))
	if err != nil {
		t.Fatalf("CreateCollectivity(%q): %v", name, err)
	}
	return fixture{ct: ct, acc: acc, link: tok}
}

func composeCodes(nc NewCollectivity) func(string) (mail.Message, error) {
	return func(login string) (mail.Message, error) {
		return mail.Message{
			MessageID: "<" + login + "@test>",
			To:        nc.Email,
			Subject:   "inscription en ligne : vos codes de connexion",
			Text:      "Identifiant : " + login + "\n",
			HTML:      "<p>Identifiant : " + login + "</p>",
			ExpiresAt: nc.TokenExpiry,
		}, nil
	}
}

// count returns the number of rows of table.
func count(t testing.TB, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// wantDomainError checks that err carries a *domain.Error of kind k whose
// message contains words.
func wantDomainError(t *testing.T, err error, k domain.Kind, words string) {
	t.Helper()
	var derr *domain.Error
	if !errors.As(err, &derr) {
		t.Fatalf("error = %v, want a *domain.Error of kind %d", err, k)
	}
	if derr.Kind != k || !strings.Contains(derr.Message, words) {
		t.Fatalf("domain error = {Kind %d, %q}, want kind %d containing %q", derr.Kind, derr.Message, k, words)
	}
}

func TestMigrationsIdempotent(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dsn := e.dsn(t)
			first, _ := openTest(t, dsn)
			createCT(t, first, "Commune de Cholet", false)
			// A second process starting on the same database applies nothing
			// again and loses nothing.
			second, _ := openTest(t, dsn)
			if n, err := second.CountCollectivities(testCtx()); err != nil || n != 1 {
				t.Fatalf("after a second Open: CountCollectivities = %d, %v; want 1", n, err)
			}
			rows, err := second.db.Query(`SELECT version FROM schema_migrations ORDER BY version`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					t.Fatal(err)
				}
				got = append(got, v)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, n := range mustGlob(t, "migrations/"+e.name+"/*.sql") {
				want = append(want, strings.TrimSuffix(n[strings.LastIndexByte(n, '/')+1:], ".sql"))
			}
			sort.Strings(want)
			if len(want) == 0 || want[0] != "001_foundation" {
				t.Fatalf("embedded migrations = %v, want 001_foundation first", want)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("schema_migrations (-want +got):\n%s", diff)
			}
		})
	}
}

// Two processes starting at once on one new database: both start, each
// migration applied once.
func TestMigrationsConcurrentOpen(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			for range 5 {
				dsn := e.dsn(t)
				if e.name == "sqlite" {
					// Switching a brand-new file to WAL answers SQLITE_BUSY
					// without waiting when another connection does it at the
					// same moment; the migrations are what is tested here.
					db, err := sql.Open("sqlite", dsn)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := db.Exec(`PRAGMA journal_mode=WAL`); err != nil {
						t.Fatal(err)
					}
					db.Close()
				}
				var wg sync.WaitGroup
				errs := make([]error, 4)
				for i := range errs {
					wg.Go(func() {
						s, err := Open(testCtx(), dsn)
						if err == nil {
							s.Close()
						}
						errs[i] = err
					})
				}
				wg.Wait()
				if err := errors.Join(errs...); err != nil {
					t.Fatalf("concurrent Open: %v", err)
				}
				s, _ := openTest(t, dsn)
				var n int
				if err := s.db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if want := len(mustGlob(t, "migrations/"+e.name+"/*.sql")); n != want {
					t.Fatalf("%d migrations recorded, want %d", n, want)
				}
			}
		})
	}
}

func mustGlob(t *testing.T, pattern string) []string {
	t.Helper()
	names, err := fs.Glob(migrations, pattern)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// The engines must carry the same migrations, or one would lag the other.
func TestMigrationsSameOnBothEngines(t *testing.T) {
	list := func(engine string) []string {
		names := mustGlob(t, "migrations/"+engine+"/*.sql")
		for i, n := range names {
			names[i] = n[strings.LastIndexByte(n, '/')+1:]
		}
		return names
	}
	if diff := cmp.Diff(list("sqlite"), list("postgres")); diff != "" {
		t.Fatalf("migrations differ between engines (-sqlite +postgres):\n%s", diff)
	}
}

// The rules the code keeps are also enforced by the database itself.
func TestUniqueIndexes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		other := createCT(t, s, "Commune d'Angers", true)
		const insert = `INSERT INTO accounts (collectivity_id, login, role, state, email, created_at, updated_at)
			VALUES ($1, $2, $3, $4, 'agent@cholet.fr', 0, 0)`
		if _, err := s.db.ExecContext(ctx, insert, f.ct.ID, "PRINCIPAL2", domain.RolePrincipal, domain.StateActive); err != nil {
			t.Fatalf("first principal: %v", err)
		}
		tests := []struct {
			name string
			q    string
			args []any
			want error // nil: accepted
		}{
			{"second principal of one CT", insert, []any{f.ct.ID, "PRINCIPAL3", domain.RolePrincipal, domain.StateInactive}, ErrConflict},
			{"principal of another CT", insert, []any{other.ct.ID, "PRINCIPAL4", domain.RolePrincipal, domain.StateActive}, nil},
			{"second open manager", insert, []any{f.ct.ID, "MANAGER222", domain.RoleManager, domain.StateInactive}, ErrConflict},
			{"closed manager beside the open one", insert, []any{f.ct.ID, "MANAGER333", domain.RoleManager, domain.StateClosed}, nil},
			{"login taken in another CT", insert, []any{other.ct.ID, f.acc.Login, domain.RoleOperator, domain.StateActive}, ErrConflict},
			{"unknown role", insert, []any{f.ct.ID, "OPERATOR22", "chief", domain.StateActive}, ErrConflict},
			{"staff inside a CT", insert, []any{f.ct.ID, "STAFF22222", domain.RoleStaff, domain.StateActive}, ErrConflict},
			{"name key taken", `INSERT INTO collectivities (name, name_key, email, created_at) VALUES ('X', $1, 'x@x.fr', 0)`,
				[]any{domain.NameKey("COMMUNE DE CHOLET")}, ErrConflict},
			{"token of no account", `INSERT INTO tokens (hash, purpose, account_id, created_at, expires_at) VALUES ('h', 'password', 999999, 0, 0)`,
				nil, ErrConflict},
		}
		for _, tt := range tests {
			_, err := s.db.ExecContext(ctx, tt.q, tt.args...)
			got := translate(err)
			if tt.want == nil && got != nil || tt.want != nil && !errors.Is(got, tt.want) {
				t.Errorf("%s: translate(%v) = %v, want %v", tt.name, err, got, tt.want)
			}
		}
		var principals int
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE collectivity_id = $1 AND role = 'principal'`, f.ct.ID).Scan(&principals); err != nil {
			t.Fatal(err)
		}
		if principals != 1 {
			t.Fatalf("%d principals in one CT, want 1", principals)
		}
	})
}

func TestTranslate(t *testing.T) {
	plain := errors.New("boom")
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"nil", nil, nil},
		{"no rows", sql.ErrNoRows, ErrNotFound},
		{"wrapped no rows", fmt.Errorf("x: %w", sql.ErrNoRows), ErrNotFound},
		{"other", plain, plain},
	}
	for _, tt := range tests {
		got := translate(tt.err)
		if tt.want == nil && got != nil || tt.want != nil && !errors.Is(got, tt.want) {
			t.Errorf("%s: translate = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !errors.Is(translate(sql.ErrNoRows), sql.ErrNoRows) {
		t.Error("translate drops the original error from the chain")
	}
}

// unchanged snapshots the rows a refused change must not touch (every
// table's count, and the CT's accounts) and returns the check that they
// are still the same.
func unchanged(t *testing.T, s *Store, ctID int64) func() {
	t.Helper()
	tables := []string{"collectivities", "accounts", "designations", "tokens", "outbox", "login_sessions"}
	counts := make(map[string]int, len(tables))
	for _, table := range tables {
		counts[table] = count(t, s, table)
	}
	accounts := ctAccounts(t, s, ctID)
	return func() {
		t.Helper()
		for _, table := range tables {
			if n := count(t, s, table); n != counts[table] {
				t.Errorf("%d rows in %s, want %d: the refused change wrote", n, table, counts[table])
			}
		}
		if diff := cmp.Diff(accounts, ctAccounts(t, s, ctID)); diff != "" {
			t.Errorf("accounts changed (-before +after):\n%s", diff)
		}
	}
}

// testCtx is a context whose changes the command line makes: every change
// is journaled, and the journal refuses a change of no one.
func testCtx() context.Context {
	return WithActor(context.Background(), domain.CommandLine)
}
