package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

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

// record appends to the journal, in tx, that the context's actor did what
// (a French sentence: "a créé l'opérateur Léa Martin") to the CT ctID (0
// for none), changing fields (their French names). It must never be given
// a password, a token or a link.
func (s *Store) record(ctx context.Context, tx *sql.Tx, ctID int64, kind domain.JournalKind, what string, fields ...string) error {
	a, ok := ActorOf(ctx)
	if !ok {
		return ErrNoActor
	}
	ct := sql.NullInt64{Int64: ctID, Valid: ctID != 0}
	acc := sql.NullInt64{Int64: a.AccountID, Valid: a.AccountID != 0}
	const q = `INSERT INTO journal (at, collectivity_id, account_id, actor_name, actor_role, addr, kind, what, fields)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	_, err := tx.ExecContext(ctx, q, s.now(), ct, acc, a.Name, string(a.Role), a.Addr, string(kind), what, strings.Join(fields, ", "))
	return err
}
