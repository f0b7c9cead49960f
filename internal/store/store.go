// Package store keeps iel's data in SQLite (the default, a file in WAL mode)
// or PostgreSQL, with one SQL text for both wherever they agree. Public
// methods open the transactions; lower-case helpers take the *sql.Tx. Every
// method about a collectivity's data takes its id right after ctx and every
// query filters by it.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Engine names the database behind a Store.
type Engine string

// The engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

var (
	// ErrNotFound means no row matched, for this caller.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict means a uniqueness or integrity rule of the database refused the change.
	ErrConflict = errors.New("store: conflict")
)

//go:embed migrations
var migrations embed.FS

// Store is iel's database.
type Store struct {
	db     *sql.DB
	engine Engine
	// Now is the clock; tests move it.
	Now func() time.Time
}

// Open connects to dsn (a file path selects SQLite; postgres:// or
// postgresql:// selects PostgreSQL) and applies the pending migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s := &Store{Now: time.Now}
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		s.engine = Postgres
		s.db, err = sql.Open("pgx", dsn)
		if err == nil {
			s.db.SetMaxOpenConns(20)
			s.db.SetMaxIdleConns(10)
		}
	} else {
		s.engine = SQLite
		s.db, err = sql.Open("sqlite", sqliteDSN(dsn))
		if err == nil {
			// One writer at a time is SQLite's way; readers run beside it in WAL.
			s.db.SetMaxOpenConns(8)
			s.db.SetMaxIdleConns(8)
			s.db.SetConnMaxIdleTime(0)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	if err := s.db.PingContext(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("store: ping %s: %w", s.engine, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

// sqliteDSN turns a file path into modernc.org/sqlite's URI with the pragmas
// iel relies on. Write transactions begin IMMEDIATE: deferred ones would
// lose concurrent updates to "database is locked".
func sqliteDSN(path string) string {
	path = strings.TrimPrefix(path, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Engine is the database engine behind s.
func (s *Store) Engine() Engine { return s.engine }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

func (s *Store) now() int64 { return s.Now().Unix() }

// migrate applies, in order and each in its transaction, the embedded
// migrations of the engine not yet recorded in schema_migrations.
func (s *Store) migrate(ctx context.Context) error {
	// Under the lock too: two PostgreSQL sessions creating the table at
	// once collide on pg_type, IF NOT EXISTS notwithstanding.
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockMigrations(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	dir := "migrations/" + string(s.engine)
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		version := strings.TrimSuffix(name[len(dir)+1:], ".sql")
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if err := s.lockMigrations(ctx, tx); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			text, err := migrations.ReadFile(name)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(text)); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, version)
			return err
		})
		if err != nil {
			return fmt.Errorf("store: migrate %s: %w", version, err)
		}
	}
	return nil
}

// lockMigrations makes two processes starting at once on PostgreSQL take
// turns, so that none applies a migration twice; on SQLite the immediate
// transaction already holds the write lock.
func (s *Store) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	if s.engine != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7310)`)
	return err
}

// inTx runs fn in a transaction, committed when fn returns nil. On
// PostgreSQL a serialization failure or deadlock is retried a few times.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.tryTx(ctx, fn)
		if err != nil && attempt < 4 && retryable(err) {
			continue
		}
		return err
	}
}

func (s *Store) tryTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return translate(err)
	}
	return translate(tx.Commit())
}

func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01")
}

// translate maps the drivers' errors to ErrNotFound and ErrConflict, keeping
// the original in the chain for the logs.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) && (pg.Code == "23505" || pg.Code == "23503" || pg.Code == "23514") {
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) && lite.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}

// lockCollectivity serializes the changes of one CT that must see each
// other (the recipients rule, the one principal): on PostgreSQL it takes the
// row's lock until commit; on SQLite the immediate transaction already holds
// the database's write lock.
func lockCollectivity(ctx context.Context, tx *sql.Tx, ctID int64) error {
	const q = `UPDATE collectivities SET version = version + 1 WHERE id = $1`
	return execOne(ctx, tx, q, ctID)
}

// scanner is a row of a result: *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// queryer runs a query of one row, in a transaction or not.
// execer runs a statement: *sql.DB or *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// execOne runs a statement that must change exactly one row, the one its
// WHERE names: ErrNotFound when it changed none.
func execOne(ctx context.Context, e execer, query string, args ...any) error {
	res, err := e.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err == nil && n != 1 {
		err = ErrNotFound
	}
	return err
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// nullTime turns a zero time into NULL and others into Unix seconds.
func nullTime(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.Unix(), Valid: true}
}

func fromUnix(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.Int64, 0)
}
