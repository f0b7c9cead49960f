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

// sessionColumnList are the columns of sessions scanSession reads, in its
// order; the label of the session's type, from the types table, follows.
var sessionColumnList = []string{"id", "code", "title", "type", "starts_on", "ends_on", "hours", "place", "capacity", "deadline", "audience", "taken", "cancelled_at", "cancel_motif"}

// sessionColumns is what scanSession reads of the sessions table named
// table in the query ("sessions", or its alias "s").
func sessionColumns(table string) string {
	out := make([]string, len(sessionColumnList), len(sessionColumnList)+1)
	for i, c := range sessionColumnList {
		out[i] = table + "." + c
	}
	out = append(out, "(SELECT label FROM training_types WHERE code = "+table+".type)")
	return strings.Join(out, ", ")
}

// sessionDest are the scan destinations of sessionColumnList; done turns
// the scanned text into the session's days.
func sessionDest(s *domain.Session) (dest []any, done func() error) {
	var start, end, deadline string
	var cancelled sql.NullInt64
	dest = []any{&s.ID, &s.Code, &s.Title, &s.Type, &start, &end, &s.Hours, &s.Place, &s.Capacity, &deadline, &s.Audience, &s.Accepted, &cancelled, &s.Motif, &s.TypeLabel}
	return dest, func() error {
		var err error
		if s.StartsOn, err = parseDayText(start); err != nil {
			return fmt.Errorf("session %d: start: %w", s.ID, err)
		}
		if s.EndsOn, err = parseDayText(end); err != nil {
			return fmt.Errorf("session %d: end: %w", s.ID, err)
		}
		if s.Deadline, err = parseDayText(deadline); err != nil {
			return fmt.Errorf("session %d: deadline: %w", s.ID, err)
		}
		s.Cancelled = fromUnix(cancelled)
		return nil
	}
}

func scanSession(row scanner, extra ...any) (domain.Session, error) {
	var s domain.Session
	dest, done := sessionDest(&s)
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return s, err
	}
	return s, done()
}

// GetSession returns the session id.
func (s *Store) GetSession(ctx context.Context, id int64) (domain.Session, error) {
	sess, err := getSession(ctx, s.db, id)
	if err != nil {
		return sess, fmt.Errorf("store: get session %d: %w", id, translate(err))
	}
	return sess, nil
}

func getSession(ctx context.Context, q queryer, id int64) (domain.Session, error) {
	return scanSession(q.QueryRowContext(ctx, `SELECT `+sessionColumns("sessions")+` FROM sessions WHERE id = $1`, id))
}

// lockSession serializes the changes of one session's registrations: the
// places taken, the waiting list's order. On PostgreSQL it takes the
// row's lock until commit; on SQLite the immediate transaction already
// holds the database's write lock.
func lockSession(ctx context.Context, tx *sql.Tx, id int64) (domain.Session, error) {
	if err := execOne(ctx, tx, `UPDATE sessions SET version = version + 1 WHERE id = $1`, id); err != nil {
		return domain.Session{}, err
	}
	return getSession(ctx, tx, id)
}

// checkSessionType refuses a type that is no row of training_types.
func (s *Store) checkSessionType(ctx context.Context, tx *sql.Tx, t domain.TrainingType) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM training_types WHERE code = $1`, string(t)).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return domain.Errorf(domain.Invalid, domain.FieldType, "Ce type de formation n'existe pas.")
	}
	return nil
}

// sessionCodeTaken reports whether another session than id has code.
func sessionCodeTaken(ctx context.Context, tx *sql.Tx, code string, id int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE code = $1 AND id <> $2`, code, id).Scan(&n)
	return n > 0, err
}

// CreateSession publishes a session ("Publier une session").
func (s *Store) CreateSession(ctx context.Context, sess domain.Session) (domain.Session, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		sess, err = s.createSession(ctx, tx, sess)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, 0, domain.JournalSession, "a publié la session "+sessionName(sess))
	})
	if err != nil {
		return sess, fmt.Errorf("store: create session: %w", err)
	}
	return sess, nil
}

func (s *Store) createSession(ctx context.Context, tx *sql.Tx, sess domain.Session) (domain.Session, error) {
	if derr := domain.CheckSession(sess); derr != nil {
		return sess, derr
	}
	if err := s.checkSessionType(ctx, tx, sess.Type); err != nil {
		return sess, err
	}
	if taken, err := sessionCodeTaken(ctx, tx, sess.Code, 0); err != nil {
		return sess, err
	} else if taken {
		return sess, domain.ErrSessionCodeTaken
	}
	const q = `INSERT INTO sessions (code, title, title_key, type, starts_on, ends_on, hours, place, place_key, capacity, deadline, audience, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`
	err := tx.QueryRowContext(ctx, q, sess.Code, sess.Title, domain.SearchFold(sess.Title), string(sess.Type), dayText(sess.StartsOn), dayText(sess.EndsOn),
		sess.Hours, sess.Place, domain.SearchFold(sess.Place), sess.Capacity, dayText(sess.Deadline), sess.Audience, s.now()).Scan(&sess.ID)
	if err != nil {
		return sess, err
	}
	return getSession(ctx, tx, sess.ID) // as stored, with its type's label
}

// sessionName is how the journal and the pages name a session: "CODE – Intitulé".
func sessionName(s domain.Session) string { return s.Code + " – " + s.Title }

// UpdateSession saves new values of session id. Its capacity cannot go
// below the places taken; a rise promotes the waiting list, first come
// first served, each promoted registration e-mailed with letters.
func (s *Store) UpdateSession(ctx context.Context, id int64, sess domain.Session, letters TrainingLetters) (domain.Session, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		sess, err = s.updateSession(ctx, tx, id, sess, letters)
		return err
	})
	if err != nil {
		return sess, fmt.Errorf("store: update session %d: %w", id, err)
	}
	return sess, nil
}

func (s *Store) updateSession(ctx context.Context, tx *sql.Tx, id int64, sess domain.Session, letters TrainingLetters) (domain.Session, error) {
	if derr := domain.CheckSession(sess); derr != nil {
		return sess, derr
	}
	before, err := lockSession(ctx, tx, id)
	if err != nil {
		return sess, err
	}
	if before.IsCancelled() {
		return sess, domain.ErrSessionAlreadyCancelled
	}
	if sess.Capacity < before.Accepted {
		return sess, domain.ErrCapacityBelow
	}
	if err := s.checkSessionType(ctx, tx, sess.Type); err != nil {
		return sess, err
	}
	if taken, err := sessionCodeTaken(ctx, tx, sess.Code, id); err != nil {
		return sess, err
	} else if taken {
		return sess, domain.ErrSessionCodeTaken
	}
	const q = `UPDATE sessions SET code = $2, title = $3, title_key = $4, type = $5, starts_on = $6, ends_on = $7, hours = $8, place = $9, place_key = $10,
		capacity = $11, deadline = $12, audience = $13, updated_at = $14 WHERE id = $1`
	err = execOne(ctx, tx, q, id, sess.Code, sess.Title, domain.SearchFold(sess.Title), string(sess.Type), dayText(sess.StartsOn), dayText(sess.EndsOn),
		sess.Hours, sess.Place, domain.SearchFold(sess.Place), sess.Capacity, dayText(sess.Deadline), sess.Audience, s.now())
	if err != nil {
		return sess, err
	}
	sess.ID, sess.Accepted, sess.Cancelled, sess.Motif = id, before.Accepted, before.Cancelled, before.Motif
	var fields []string
	for _, f := range domain.SessionChanges(before, sess) {
		fields = append(fields, domain.SessionFieldLabel(f))
	}
	if len(fields) > 0 {
		if err := s.record(ctx, tx, 0, domain.JournalSession, "a modifié la session "+sessionName(sess), fields...); err != nil {
			return sess, err
		}
	}
	if sess.Capacity > before.Accepted {
		if err := s.promoteWaiting(ctx, tx, id, letters); err != nil {
			return sess, err
		}
	}
	return getSession(ctx, tx, id) // as stored: places taken after the promotions, its type's label
}

// CancelSession cancels session id for motif ("Annuler la session"): its
// live registrations become annulée, and each CT concerned gets
// MailSessionCancelled for each of them and a line in its journal.
func (s *Store) CancelSession(ctx context.Context, id int64, motif string, letters TrainingLetters) error {
	motif, derr := domain.CheckMotif(motif)
	if derr != nil {
		return derr
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		sess, err := lockSession(ctx, tx, id)
		if err != nil {
			return err
		}
		if sess.IsCancelled() {
			return domain.ErrSessionAlreadyCancelled
		}
		if sess.Over(s.today()) {
			return domain.ErrSessionOver
		}
		now := s.now()
		if err := execOne(ctx, tx, `UPDATE sessions SET cancelled_at = $2, cancel_motif = $3, updated_at = $2 WHERE id = $1`, id, now, motif); err != nil {
			return err
		}
		if err := s.record(ctx, tx, 0, domain.JournalSession, "a annulé la session "+sessionName(sess), "motif"); err != nil {
			return err
		}
		ids, err := registrationIDs(ctx, tx, `SELECT id FROM registrations WHERE session_id = $1 AND state IN ('sent', 'accepted', 'waiting') ORDER BY collectivity_id, id`, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE registrations SET state = 'cancelled', motif = $2, decided_at = $3
			WHERE session_id = $1 AND state IN ('sent', 'accepted', 'waiting')`, id, motif, now); err != nil {
			return err
		}
		// The places still taken are those of the attendances recorded.
		const taken = `UPDATE sessions SET taken = (SELECT count(*) FROM registrations WHERE session_id = $1 AND state IN ('present', 'absent')) WHERE id = $1`
		if err := execOne(ctx, tx, taken, id); err != nil {
			return err
		}
		perCT := map[int64][]string{}
		var cts []int64
		for _, rid := range ids {
			d, err := trainingMail(ctx, tx, 0, rid)
			if err != nil {
				return err
			}
			if err := s.tellTraining(ctx, tx, letters, domain.MailSessionCancelled, d, false); err != nil {
				return err
			}
			if _, ok := perCT[d.Collectivity.ID]; !ok {
				cts = append(cts, d.Collectivity.ID)
			}
			perCT[d.Collectivity.ID] = append(perCT[d.Collectivity.ID], d.Agent.FullName())
		}
		for _, ct := range cts {
			what := "a annulé la session " + sessionName(sess) + " ; inscription annulée : " + strings.Join(perCT[ct], ", ")
			if err := s.record(ctx, tx, ct, domain.JournalRegistration, what, "motif"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: cancel session %d: %w", id, err)
	}
	return nil
}

func registrationIDs(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SessionFilter narrows the catalogue or staff's list of sessions: a type,
// sessions starting from From to To (days, zero for no bound), words of
// the intitulé and of the place (case and accents aside), after a cursor.
type SessionFilter struct {
	Type     domain.TrainingType
	From, To time.Time
	Words    string
	Place    string
	After    *SessionCursor
	Limit    int // 0: SessionPageSize
}

// SessionPageSize is the length of a page of sessions.
const SessionPageSize = 50

// SessionCursor is where a page of sessions ends: sessions are ordered by
// start, then id.
type SessionCursor struct {
	StartsOn time.Time
	ID       int64
}

// String is the cursor as a link carries it: "2026-03-14.42".
func (c SessionCursor) String() string {
	return dayText(c.StartsOn) + "." + strconv.FormatInt(c.ID, 10)
}

// ParseSessionCursor reads SessionCursor.String.
func ParseSessionCursor(s string) (*SessionCursor, error) {
	day, id, ok := strings.Cut(s, ".")
	if !ok {
		return nil, errors.New("store: session cursor: no dot")
	}
	d, err := parseDayText(day)
	if err != nil {
		return nil, fmt.Errorf("store: session cursor: %w", err)
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return nil, errors.New("store: session cursor: bad id")
	}
	return &SessionCursor{StartsOn: d, ID: n}, nil
}

// where is the filter as SQL conditions on sessions s, with their
// arguments numbered from len(args)+1.
func (f SessionFilter) where(args []any) (string, []any) {
	var conds []string
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
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
	for _, w := range strings.Fields(domain.SearchFold(f.Words)) {
		conds = append(conds, "(' ' || s.title_key || ' ') LIKE "+arg("% "+w+"%"))
	}
	for _, w := range strings.Fields(domain.SearchFold(f.Place)) {
		conds = append(conds, "(' ' || s.place_key || ' ') LIKE "+arg("% "+w+"%"))
	}
	if f.After != nil {
		d, id := arg(dayText(f.After.StartsOn)), arg(f.After.ID)
		conds = append(conds, "(s.starts_on > "+d+" OR (s.starts_on = "+d+" AND s.id > "+id+"))")
	}
	if len(conds) == 0 {
		return "1 = 1", args
	}
	return strings.Join(conds, " AND "), args
}

func (f SessionFilter) limit() int {
	if f.Limit <= 0 {
		return SessionPageSize
	}
	return f.Limit
}

// SessionPage is a page of the catalogue; Next is nil on the last page.
type SessionPage struct {
	Sessions []domain.Session
	Next     *SessionCursor
}

// SearchCatalogue returns the sessions a CT may look at and register to:
// not cancelled, not begun, in order of start, SessionPageSize at most
// per page, each with its places left (Session.PlacesLeft).
func (s *Store) SearchCatalogue(ctx context.Context, f SessionFilter) (SessionPage, error) {
	cond, args := f.where([]any{dayText(s.today())})
	limit := f.limit()
	q := `SELECT ` + sessionColumns("s") + ` FROM sessions s
		WHERE s.cancelled_at IS NULL AND s.starts_on > $1 AND ` + cond + `
		ORDER BY s.starts_on, s.id LIMIT ` + strconv.Itoa(limit+1)
	var page SessionPage
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return page, fmt.Errorf("store: search catalogue: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		sess, err := scanSession(rows)
		if err != nil {
			return page, fmt.Errorf("store: search catalogue: %w", err)
		}
		page.Sessions = append(page.Sessions, sess)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("store: search catalogue: %w", err)
	}
	if len(page.Sessions) > limit {
		page.Sessions = page.Sessions[:limit]
		last := page.Sessions[limit-1]
		page.Next = &SessionCursor{StartsOn: last.StartsOn, ID: last.ID}
	}
	return page, nil
}

// StaffSession is a session in staff's list: with its registrations
// transmise (to decide) and en liste d'attente.
type StaffSession struct {
	domain.Session
	ToDecide int
	Waiting  int
}

// StaffSessionPage is a page of staff's list of sessions.
type StaffSessionPage struct {
	Sessions []StaffSession
	Next     *SessionCursor
}

// ListSessions returns, for staff, every session the filter keeps,
// cancelled and past ones included, in order of start.
func (s *Store) ListSessions(ctx context.Context, f SessionFilter) (StaffSessionPage, error) {
	cond, args := f.where(nil)
	return s.listStaffSessions(ctx, cond, args, f.limit())
}

func (s *Store) listStaffSessions(ctx context.Context, cond string, args []any, limit int) (StaffSessionPage, error) {
	q := `SELECT ` + sessionColumns("s") + `,
		(SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.state = 'sent'),
		(SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.state = 'waiting')
		FROM sessions s WHERE ` + cond + ` ORDER BY s.starts_on, s.id LIMIT ` + strconv.Itoa(limit+1)
	var page StaffSessionPage
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return page, fmt.Errorf("store: list sessions: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		var ss StaffSession
		ss.Session, err = scanSession(rows, &ss.ToDecide, &ss.Waiting)
		if err != nil {
			return page, fmt.Errorf("store: list sessions: %w", err)
		}
		page.Sessions = append(page.Sessions, ss)
	}
	if err := rows.Err(); err != nil {
		return page, fmt.Errorf("store: list sessions: %w", err)
	}
	if len(page.Sessions) > limit {
		page.Sessions = page.Sessions[:limit]
		last := page.Sessions[limit-1]
		page.Next = &SessionCursor{StartsOn: last.StartsOn, ID: last.ID}
	}
	return page, nil
}

// SessionsToDecide is staff's home: the sessions that hold, not ended,
// with registrations transmise, in order of start.
func (s *Store) SessionsToDecide(ctx context.Context) ([]StaffSession, error) {
	cond := `s.cancelled_at IS NULL AND s.ends_on >= $1 AND EXISTS (SELECT 1 FROM registrations r WHERE r.session_id = s.id AND r.state = 'sent')`
	page, err := s.listStaffSessions(ctx, cond, []any{dayText(s.today())}, SessionPageSize)
	return page.Sessions, err
}
