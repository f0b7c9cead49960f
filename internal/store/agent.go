package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"iel/internal/domain"
)

// Agent is an agent of a CT as the pages show it: with whether it was
// ever registered to a training, which keeps it from being deleted.
type Agent struct {
	domain.Agent
	Registered bool
	sortKey    []byte
}

// Cursor is where a page of the list that ends or starts with a is: the
// agent's position in the French order.
func (a Agent) Cursor() *AgentCursor { return &AgentCursor{Key: a.sortKey, ID: a.ID} }

// agentRegistered is the SQL predicate "the agent (the row of agents in
// scope) was registered to a training", cancelled registrations included.
// Such an agent is never deleted, it leaves the CT instead, so that its
// registrations keep their history: the list, the agent's page and the
// deletion all ask this one predicate.
const agentRegistered = `EXISTS (SELECT 1 FROM registrations WHERE registrations.agent_id = agents.id)`

const agentColumns = `id, collectivity_id, civility, last_name, first_name, birth_date, email, category, status, grade, appointed_on, left_at, sort_key, ` +
	agentRegistered + ` AS registered`

func scanAgent(row scanner) (Agent, error) {
	var a Agent
	var birth, appointed string
	var left sql.NullInt64
	err := row.Scan(&a.ID, &a.CollectivityID, &a.Civility, &a.LastName, &a.FirstName, &birth, &a.Email, &a.Category, &a.Status, &a.Grade, &appointed,
		&left, &a.sortKey, &a.Registered)
	if err != nil {
		return a, err
	}
	if a.BirthDate, err = time.Parse(time.DateOnly, birth); err != nil {
		return a, fmt.Errorf("agent %d: birth date: %w", a.ID, err)
	}
	if a.AppointedOn, err = time.Parse(time.DateOnly, appointed); err != nil {
		return a, fmt.Errorf("agent %d: appointment date: %w", a.ID, err)
	}
	a.LeftAt = fromUnix(left)
	return a, nil
}

// GetAgent returns the agent id of the CT ctID.
func (s *Store) GetAgent(ctx context.Context, ctID, id int64) (Agent, error) {
	a, err := getAgent(ctx, s.db, ctID, id)
	if err != nil {
		return a, fmt.Errorf("store: get agent %d: %w", id, translate(err))
	}
	return a, nil
}

func getAgent(ctx context.Context, q queryer, ctID, id int64) (Agent, error) {
	const query = `SELECT ` + agentColumns + ` FROM agents WHERE collectivity_id = $1 AND id = $2`
	return scanAgent(q.QueryRowContext(ctx, query, ctID, id))
}

// CountAgents is the number of agents who work in the CT ctID (not those
// who left it).
func (s *Store) CountAgents(ctx context.Context, ctID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM agents WHERE collectivity_id = $1 AND left_at IS NULL`, ctID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count agents: %w", err)
	}
	return n, nil
}

// AgentFilter selects agents of a list: those whose name holds every word
// of Search, case and accents aside; those who left the CT too when
// WithLeft.
type AgentFilter struct {
	Search   string
	WithLeft bool
}

// maxSearchWords bounds the words of a search that are matched; more
// would only narrow a list already short.
const maxSearchWords = 6

// where is the filter as a WHERE clause on agents of the CT ctID, with
// its arguments, $1 the CT's id.
func (f AgentFilter) where(ctID int64) (string, []any) {
	var b strings.Builder
	args := []any{ctID}
	b.WriteString(`collectivity_id = $1`)
	if !f.WithLeft {
		b.WriteString(` AND left_at IS NULL`)
	}
	words := strings.Fields(domain.SearchFold(f.Search))
	// SearchFold leaves letters, digits and spaces only: no word holds
	// LIKE's % or _, nothing to escape.
	for _, w := range words[:min(len(words), maxSearchWords)] {
		args = append(args, "%"+w+"%")
		b.WriteString(` AND search_key LIKE $` + strconv.Itoa(len(args)))
	}
	return b.String(), args
}

// AgentCursor is a position in the French order of a CT's agents.
type AgentCursor struct {
	Key []byte
	ID  int64
}

// AgentQuery asks for a page of the list: at most Limit agents of
// Filter, in the French order, after After or before Before (neither:
// the first page).
type AgentQuery struct {
	Filter        AgentFilter
	After, Before *AgentCursor
	Limit         int
}

// AgentPage is a page of the list.
type AgentPage struct {
	Agents []Agent
	Total  int // the agents of the filter, every page
	Offset int // the agents of the filter before this page
	// Prev and Next are where the pages before and after this one
	// begin: nil when there is none.
	Prev, Next *AgentCursor
}

// ListAgents returns a page of the agents of the CT ctID, sorted the
// French way by name (AgentSortKey), paged on that order: a page never
// skips nor repeats an agent whatever is added or removed meanwhile.
func (s *Store) ListAgents(ctx context.Context, ctID int64, q AgentQuery) (AgentPage, error) {
	p, err := s.listAgents(ctx, ctID, q)
	if err != nil {
		return p, fmt.Errorf("store: list agents: %w", err)
	}
	return p, nil
}

func (s *Store) listAgents(ctx context.Context, ctID int64, q AgentQuery) (AgentPage, error) {
	var p AgentPage
	if q.Limit <= 0 {
		q.Limit = 50
	}
	where, args := q.Filter.where(ctID)
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM agents WHERE `+where, args...).Scan(&p.Total); err != nil {
		return p, err
	}
	page := func(c *AgentCursor, back bool) ([]Agent, error) {
		w, a := where, slices.Clone(args)
		order := ` ORDER BY sort_key, id`
		if c != nil {
			a = append(a, c.Key, c.ID)
			k, i := strconv.Itoa(len(a)-1), strconv.Itoa(len(a))
			if back {
				w += ` AND (sort_key < $` + k + ` OR (sort_key = $` + k + ` AND id < $` + i + `))`
				order = ` ORDER BY sort_key DESC, id DESC`
			} else {
				w += ` AND (sort_key > $` + k + ` OR (sort_key = $` + k + ` AND id > $` + i + `))`
			}
		}
		a = append(a, q.Limit+1)
		return s.queryAgents(ctx, `SELECT `+agentColumns+` FROM agents WHERE `+w+order+` LIMIT $`+strconv.Itoa(len(a)), a...)
	}

	var rows []Agent
	var err error
	switch {
	case q.Before != nil:
		if rows, err = page(q.Before, true); err != nil {
			return p, err
		}
		if len(rows) > q.Limit {
			rows = rows[:q.Limit]
			slices.Reverse(rows)
			p.Agents = rows
			p.Prev = rows[0].Cursor()
			p.Next = rows[len(rows)-1].Cursor()
			break
		}
		// Fewer than a page before: the first page, full.
		return s.listAgents(ctx, ctID, AgentQuery{Filter: q.Filter, Limit: q.Limit})
	default:
		if rows, err = page(q.After, false); err != nil {
			return p, err
		}
		if len(rows) == 0 && q.After != nil {
			// Past the end: the first page rather than an empty one.
			return s.listAgents(ctx, ctID, AgentQuery{Filter: q.Filter, Limit: q.Limit})
		}
		if len(rows) > q.Limit {
			rows = rows[:q.Limit]
			p.Next = rows[len(rows)-1].Cursor()
		}
		p.Agents = rows
		if q.After != nil {
			p.Prev = rows[0].Cursor()
		}
	}
	if p.Prev != nil {
		first := p.Agents[0]
		n := len(args)
		err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM agents WHERE `+where+` AND (sort_key < $`+strconv.Itoa(n+1)+
			` OR (sort_key = $`+strconv.Itoa(n+1)+` AND id < $`+strconv.Itoa(n+2)+`))`, append(slices.Clone(args), first.sortKey, first.ID)...).Scan(&p.Offset)
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

// ListAllAgents returns every agent of the CT ctID that f selects, in the
// French order: the CSV export.
func (s *Store) ListAllAgents(ctx context.Context, ctID int64, f AgentFilter) ([]Agent, error) {
	where, args := f.where(ctID)
	out, err := s.queryAgents(ctx, `SELECT `+agentColumns+` FROM agents WHERE `+where+` ORDER BY sort_key, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list all agents: %w", err)
	}
	return out, nil
}

func (s *Store) queryAgents(ctx context.Context, q string, args ...any) ([]Agent, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	var out []Agent
	for rows.Next() {
		a, err := scanAgent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateAgent adds an agent to the CT ctID, unless the CT has one of the
// same identity (domain.AgentIdentity).
func (s *Store) CreateAgent(ctx context.Context, ctID int64, a domain.Agent) (domain.Agent, error) {
	a.CollectivityID, a.LeftAt = ctID, time.Time{}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if derr := domain.CheckAgent(a); derr != nil {
			return derr
		}
		if err := identityFree(ctx, tx, ctID, 0, a); err != nil {
			return err
		}
		var err error
		if a.ID, err = insertAgent(ctx, tx, ctID, a, s.now()); err != nil {
			return err
		}
		return s.record(ctx, tx, ctID, domain.JournalAgent, "a ajouté l'agent "+a.FullName())
	})
	if err != nil {
		return a, fmt.Errorf("store: create agent: %w", agentConflict(err))
	}
	return a, nil
}

// UpdateAgent saves the values of the agent id of the CT ctID, unless
// another agent of the CT has its new identity. Whether it left the CT
// does not change.
func (s *Store) UpdateAgent(ctx context.Context, ctID, id int64, a domain.Agent) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if derr := domain.CheckAgent(a); derr != nil {
			return derr
		}
		before, err := getAgent(ctx, tx, ctID, id)
		if err != nil {
			return err
		}
		if err := identityFree(ctx, tx, ctID, id, a); err != nil {
			return err
		}
		if err := updateAgent(ctx, tx, ctID, id, a, s.now()); err != nil {
			return err
		}
		changed := domain.AgentChanges(before.Agent, a)
		if len(changed) == 0 {
			return nil
		}
		return s.record(ctx, tx, ctID, domain.JournalAgent, "a modifié l'agent "+a.FullName(), fieldNames(changed)...)
	})
	if err != nil {
		return fmt.Errorf("store: update agent %d: %w", id, agentConflict(err))
	}
	return nil
}

// DeleteAgent deletes the agent id of the CT ctID, unless it was ever
// registered to a training (domain.ErrAgentRegistered).
func (s *Store) DeleteAgent(ctx context.Context, ctID, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		a, err := getAgent(ctx, tx, ctID, id)
		if err != nil {
			return err
		}
		if a.Registered {
			return domain.ErrAgentRegistered
		}
		if err := execOne(ctx, tx, `DELETE FROM agents WHERE collectivity_id = $1 AND id = $2 AND NOT `+agentRegistered, ctID, id); err != nil {
			return err
		}
		return s.record(ctx, tx, ctID, domain.JournalAgent, "a supprimé l'agent "+a.FullName())
	})
	if err != nil {
		return fmt.Errorf("store: delete agent %d: %w", id, err)
	}
	return nil
}

// SetAgentLeft records that the agent id of the CT ctID left it (left),
// from now, or came back (!left); an agent who already is where it is
// asked to be stays as it is.
func (s *Store) SetAgentLeft(ctx context.Context, ctID, id int64, left bool) (Agent, error) {
	var a Agent
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if a, err = getAgent(ctx, tx, ctID, id); err != nil {
			return err
		}
		if a.Left() == left {
			return nil
		}
		at := sql.NullInt64{}
		if left {
			a.LeftAt = time.Unix(s.now(), 0)
			at = nullTime(a.LeftAt)
		} else {
			a.LeftAt = time.Time{}
		}
		if _, err = tx.ExecContext(ctx, `UPDATE agents SET left_at = $3, updated_at = $4 WHERE collectivity_id = $1 AND id = $2`, ctID, id, at, s.now()); err != nil {
			return err
		}
		what := "a indiqué que l'agent " + a.FullName() + " a quitté la collectivité"
		if !left {
			what = "a indiqué que l'agent " + a.FullName() + " est de retour dans la collectivité"
		}
		return s.record(ctx, tx, ctID, domain.JournalAgent, what)
	})
	if err != nil {
		return a, fmt.Errorf("store: set agent %d left %t: %w", id, left, err)
	}
	return a, nil
}

// agentConflict turns the database's refusal of a second agent of one
// identity, which the checks before it missed only in a race, into the
// rule a person reads.
func agentConflict(err error) error {
	if errors.Is(err, ErrConflict) {
		return fmt.Errorf("%w (%w)", domain.ErrAgentExists, err)
	}
	return err
}

// identityFree refuses a when another agent of the CT than id has its
// identity.
func identityFree(ctx context.Context, tx *sql.Tx, ctID, id int64, a domain.Agent) error {
	var n int
	const q = `SELECT count(*) FROM agents WHERE collectivity_id = $1 AND identity_key = $2 AND id <> $3`
	if err := tx.QueryRowContext(ctx, q, ctID, domain.AgentIdentity(a), id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return domain.ErrAgentExists
	}
	return nil
}

func insertAgent(ctx context.Context, tx *sql.Tx, ctID int64, a domain.Agent, now int64) (int64, error) {
	const q = `INSERT INTO agents (collectivity_id, civility, last_name, first_name, birth_date, email, category, status, grade, appointed_on,
		sort_key, search_key, identity_key, left_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`
	var id int64
	err := tx.QueryRowContext(ctx, q, ctID, a.Civility, a.LastName, a.FirstName, a.BirthDate.Format(time.DateOnly), a.Email, a.Category, a.Status, a.Grade,
		a.AppointedOn.Format(time.DateOnly), domain.AgentSortKey(a.LastName, a.FirstName), domain.AgentSearchKey(a.LastName, a.FirstName),
		domain.AgentIdentity(a), nullTime(a.LeftAt), now).Scan(&id)
	return id, err
}

func updateAgent(ctx context.Context, tx *sql.Tx, ctID, id int64, a domain.Agent, now int64) error {
	const q = `UPDATE agents SET civility = $3, last_name = $4, first_name = $5, birth_date = $6, email = $7, category = $8, status = $9, grade = $10,
		appointed_on = $11, sort_key = $12, search_key = $13, identity_key = $14, updated_at = $15
		WHERE collectivity_id = $1 AND id = $2`
	return execOne(ctx, tx, q, ctID, id, a.Civility, a.LastName, a.FirstName, a.BirthDate.Format(time.DateOnly), a.Email, a.Category, a.Status,
		a.Grade, a.AppointedOn.Format(time.DateOnly), domain.AgentSortKey(a.LastName, a.FirstName), domain.AgentSearchKey(a.LastName, a.FirstName),
		domain.AgentIdentity(a), now)
}
