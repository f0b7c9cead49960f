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

// RegistrationRow is a registration as the lists show it: with its
// session, its agent and its CT's name.
type RegistrationRow struct {
	domain.Registration
	Session          domain.Session
	Agent            domain.Agent
	CollectivityName string
}

// RegistrationFilter narrows "Mes inscriptions": an agent, a state, a
// type, sessions starting from From to To, after a cursor; Limit 0 is
// RegistrationPageSize, a negative Limit every row (the CSV export).
type RegistrationFilter struct {
	AgentID  int64
	State    domain.RegistrationState
	Type     domain.TrainingType
	From, To time.Time
	After    *RegistrationCursor
	Limit    int
}

// RegistrationPageSize is the length of a page of registrations.
const RegistrationPageSize = 50

// RegistrationCursor is where a page of registrations ends: newest
// registrations first (by id).
type RegistrationCursor struct{ ID int64 }

// String is the cursor as a link carries it.
func (c RegistrationCursor) String() string { return strconv.FormatInt(c.ID, 10) }

// ParseRegistrationCursor reads RegistrationCursor.String.
func ParseRegistrationCursor(s string) (*RegistrationCursor, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return nil, errors.New("store: registration cursor: bad id")
	}
	return &RegistrationCursor{ID: n}, nil
}

// RegistrationPage is a page of registrations; Next is nil on the last.
type RegistrationPage struct {
	Registrations []RegistrationRow
	Next          *RegistrationCursor
}

const registrationRowQuery = `SELECT ` + registrationColumns + `, %s, c.name, ` +
	`a.civility, a.last_name, a.first_name, a.email, a.status, a.appointed_on, a.left_at
	FROM registrations r JOIN sessions s ON s.id = r.session_id JOIN collectivities c ON c.id = r.collectivity_id JOIN agents a ON a.id = r.agent_id
	WHERE %s ORDER BY %s`

func (s *Store) queryRegistrations(ctx context.Context, cond, order string, args ...any) ([]RegistrationRow, error) {
	q := fmt.Sprintf(registrationRowQuery, sessionColumns("s"), cond, order)
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RegistrationRow
	for rows.Next() {
		var r RegistrationRow
		var appointed string
		var left sql.NullInt64
		r.Registration, r.Session, err = scanRegistrationSession(rows, &r.CollectivityName,
			&r.Agent.Civility, &r.Agent.LastName, &r.Agent.FirstName, &r.Agent.Email, &r.Agent.Status, &appointed, &left)
		if err != nil {
			return nil, err
		}
		r.Agent.ID, r.Agent.CollectivityID, r.Agent.LeftAt = r.AgentID, r.CollectivityID, fromUnix(left)
		if r.Agent.AppointedOn, err = parseDayText(appointed); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ListRegistrations returns the registrations of the CT ctID that the
// filter keeps, newest first ("Mes inscriptions").
func (s *Store) ListRegistrations(ctx context.Context, ctID int64, f RegistrationFilter) (RegistrationPage, error) {
	args := []any{ctID}
	conds := []string{"r.collectivity_id = $1"}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.AgentID != 0 {
		conds = append(conds, "r.agent_id = "+arg(f.AgentID))
	}
	if f.State != "" {
		conds = append(conds, "r.state = "+arg(string(f.State)))
	}
	if f.Type != "" {
		conds = append(conds, "s.type = "+arg(string(f.Type)))
	}
	if !f.From.IsZero() {
		conds = append(conds, "s.starts_on >= "+arg(dayText(f.From)))
	}
	if !f.To.IsZero() {
		conds = append(conds, "s.starts_on <= "+arg(dayText(f.To)))
	}
	if f.After != nil {
		conds = append(conds, "r.id < "+arg(f.After.ID))
	}
	limit := f.Limit
	if limit == 0 {
		limit = RegistrationPageSize
	}
	order := "r.id DESC"
	if limit > 0 {
		order += " LIMIT " + strconv.Itoa(limit+1)
	}
	var page RegistrationPage
	rows, err := s.queryRegistrations(ctx, strings.Join(conds, " AND "), order, args...)
	if err != nil {
		return page, fmt.Errorf("store: list registrations: %w", translate(err))
	}
	if limit > 0 && len(rows) > limit {
		rows = rows[:limit]
		page.Next = &RegistrationCursor{ID: rows[limit-1].ID}
	}
	page.Registrations = rows
	return page, nil
}

// ListSessionRegistrations returns, for staff, every registration of
// session id, in the order they were sent (the waiting list's order).
func (s *Store) ListSessionRegistrations(ctx context.Context, id int64) ([]RegistrationRow, error) {
	rows, err := s.queryRegistrations(ctx, "r.session_id = $1", "r.created_at, r.id", id)
	if err != nil {
		return nil, fmt.Errorf("store: list registrations of session %d: %w", id, translate(err))
	}
	return rows, nil
}

// RegistrationsToDecide is a CT's home: its registrations transmise or en
// liste d'attente of sessions that hold and have not begun, soonest first.
func (s *Store) RegistrationsToDecide(ctx context.Context, ctID int64) ([]RegistrationRow, error) {
	rows, err := s.queryRegistrations(ctx, "r.collectivity_id = $1 AND r.state IN ('sent', 'waiting') AND s.cancelled_at IS NULL AND s.starts_on > $2",
		"s.starts_on, r.id LIMIT 50", ctID, dayText(s.today()))
	if err != nil {
		return nil, fmt.Errorf("store: registrations to decide: %w", translate(err))
	}
	return rows, nil
}

// NextSessions is a CT's home: its agents' accepted registrations to
// sessions not ended, soonest first.
func (s *Store) NextSessions(ctx context.Context, ctID int64) ([]RegistrationRow, error) {
	rows, err := s.queryRegistrations(ctx, "r.collectivity_id = $1 AND r.state = 'accepted' AND s.cancelled_at IS NULL AND s.ends_on >= $2",
		"s.starts_on, r.id LIMIT 50", ctID, dayText(s.today()))
	if err != nil {
		return nil, fmt.Errorf("store: next sessions: %w", translate(err))
	}
	return rows, nil
}
