package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"iel/internal/domain"
)

// ErrNoActor means a change was asked for without saying who makes it: the
// journal could not record it, so the change is refused. Web puts the
// signed-in account in the request's context; the command line puts
// domain.CommandLine.
var ErrNoActor = errors.New("store: no actor in the context: the change cannot be journaled")

type actorKey struct{}

// WithActor returns ctx carrying who makes the changes asked with it. Every
// method that changes data records it in the journal, in the change's own
// transaction.
func WithActor(ctx context.Context, a domain.Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorOf returns the actor ctx carries.
func ActorOf(ctx context.Context) (domain.Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(domain.Actor)
	return a, ok
}

// jobRole is the actor_role of the tasks the portal runs by itself.
const jobRole = "job"

// record appends to the journal, in tx, that the context's actor did what
// (a French sentence: "a créé l'opérateur Léa Martin") to the CT ctID (0
// for none), changing fields (their French names). It must never be given
// a password, a token or a link.
func (s *Store) record(ctx context.Context, tx *sql.Tx, ctID int64, kind domain.JournalKind, what string, fields ...string) error {
	a, ok := ActorOf(ctx)
	if !ok {
		return ErrNoActor
	}
	if a.ByLink && a.Name == "" {
		return errors.New("store: a visitor acted through no link that names it")
	}
	ct := sql.NullInt64{Int64: ctID, Valid: ctID != 0}
	acc := sql.NullInt64{Int64: a.AccountID, Valid: a.AccountID != 0}
	const q = `INSERT INTO journal (at, collectivity_id, account_id, actor_name, actor_role, addr, kind, what, fields)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	role := string(a.Role)
	if a.Job {
		role = jobRole
	}
	_, err := tx.ExecContext(ctx, q, s.now(), ct, acc, a.Name, role, a.Addr, string(kind), what, strings.Join(fields, ", "))
	return err
}

// asPersonOf returns ctx whose actor, when it is a visitor (domain.Visitor),
// becomes the account acc its link is for.
func asPersonOf(ctx context.Context, acc domain.Account) context.Context {
	if a, ok := ActorOf(ctx); ok && a.ByLink {
		return WithActor(ctx, a.PersonOfLink(acc))
	}
	return ctx
}

// asPersonNamed returns ctx whose actor, when it is a visitor, becomes a
// person with no account named name.
func asPersonNamed(ctx context.Context, name string) context.Context {
	if a, ok := ActorOf(ctx); ok && a.ByLink {
		return WithActor(ctx, a.PersonNamed(name))
	}
	return ctx
}

// fieldNames is the French names of fields, for record.
func fieldNames(fs []domain.Field) []string { return domain.FieldLabels(fs) }

// JournalFilter narrows a CT's journal: to the changes of one account
// (AccountID, 0 for all) and of one kind ("" for all).
type JournalFilter struct {
	AccountID int64
	Kind      domain.JournalKind
}

// JournalActor is an account that appears in a CT's journal, as the
// filter "Compte" offers it: its id and its name as last recorded.
type JournalActor struct {
	AccountID int64
	Name      string
}

// JournalPage is a page of a CT's journal, newest first; Next is the
// cursor of the page after it (older entries), 0 when there is none.
type JournalPage struct {
	Entries []domain.JournalEntry
	Next    int64
}

// ListJournal returns at most limit entries of the journal of the CT ctID
// that f lets through, newest first, older than the entry before (0: from
// the newest). Entries are only ever appended: the store offers no method
// to change or remove one, and the database refuses it.
func (s *Store) ListJournal(ctx context.Context, ctID int64, f JournalFilter, before int64, limit int) (JournalPage, error) {
	if limit <= 0 {
		limit = 50
	}
	q, args := journalQuery(ctID, f, before, limit+1)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return JournalPage{}, fmt.Errorf("store: list journal: %w", err)
	}
	defer rows.Close()
	var p JournalPage
	for rows.Next() {
		var e domain.JournalEntry
		var at int64
		var role, kind, fields string
		if err := rows.Scan(&e.ID, &at, &e.CollectivityID, &e.Actor.AccountID, &e.Actor.Name, &role, &e.Actor.Addr, &kind, &e.What, &fields); err != nil {
			return JournalPage{}, fmt.Errorf("store: list journal: %w", err)
		}
		e.At, e.Actor.Role, e.Kind = time.Unix(at, 0).UTC(), domain.Role(role), domain.JournalKind(kind)
		if role == jobRole {
			e.Actor.Role, e.Actor.Job = "", true
		}
		e.Actor.ByLink = e.Actor.AccountID == 0 && e.Actor.Name != "" && !e.Actor.Job
		if fields != "" {
			e.Fields = strings.Split(fields, ", ")
		}
		p.Entries = append(p.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return JournalPage{}, fmt.Errorf("store: list journal: %w", err)
	}
	if len(p.Entries) > limit {
		p.Entries = p.Entries[:limit]
		p.Next = p.Entries[limit-1].ID
	}
	return p, nil
}

// journalQuery is ListJournal's statement: each condition is written only
// when it applies, so that a page older than before seeks the cursor in
// the index journal_collectivity (collectivity_id, id) instead of reading
// every newer entry ("id < $2 OR $2 = 0" cannot seek).
func journalQuery(ctID int64, f JournalFilter, before int64, limit int) (string, []any) {
	args := []any{ctID}
	cond := "collectivity_id = $1"
	add := func(c string, v any) {
		args = append(args, v)
		cond += " AND " + c + " $" + strconv.Itoa(len(args))
	}
	if before > 0 {
		add("id <", before)
	}
	if f.AccountID != 0 {
		add("account_id =", f.AccountID)
	}
	if f.Kind != "" {
		add("kind =", string(f.Kind))
	}
	args = append(args, limit)
	return `SELECT id, at, COALESCE(collectivity_id, 0), COALESCE(account_id, 0), actor_name, actor_role, addr, kind, what, fields
		FROM journal WHERE ` + cond + ` ORDER BY id DESC LIMIT $` + strconv.Itoa(len(args)), args
}

// JournalActors lists the accounts that appear in the journal of the CT
// ctID, each with the name of its latest entry, sorted by that name.
func (s *Store) JournalActors(ctx context.Context, ctID int64) ([]JournalActor, error) {
	const q = `SELECT j.account_id, j.actor_name FROM journal j
		WHERE j.id IN (SELECT max(id) FROM journal WHERE collectivity_id = $1 AND account_id IS NOT NULL GROUP BY account_id)
		ORDER BY j.actor_name, j.account_id`
	rows, err := s.db.QueryContext(ctx, q, ctID)
	if err != nil {
		return nil, fmt.Errorf("store: journal actors: %w", err)
	}
	defer rows.Close()
	var out []JournalActor
	for rows.Next() {
		var a JournalActor
		if err := rows.Scan(&a.AccountID, &a.Name); err != nil {
			return nil, fmt.Errorf("store: journal actors: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
