package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"iel/internal/domain"
)

// The CSV import of sessions in two steps, as the agents' import: the
// checked file is kept with a random id (CreateSessionImport) while its
// preview is shown (GetSessionImport); its confirmation
// (ApplySessionImport) applies it in one transaction, once, all or
// nothing. Sessions are matched on their code.

// SessionImportTTL is how long a previewed import may be confirmed.
const SessionImportTTL = time.Hour

// NewSessionImport is a checked file waiting for its confirmation.
type NewSessionImport struct {
	FileName string
	Encoding string
	Sessions []domain.Session
}

// SessionImport is an import as kept between its two steps.
type SessionImport struct {
	ImportFile
	Sessions []domain.Session // in the order of the file
}

// SessionUpdate is a session that an import changes: its new values and
// the fields that change.
type SessionUpdate struct {
	Session domain.Session
	Changes []domain.Field
}

// SessionImportPlan is what an import does to the sessions as they are:
// those it creates, those it updates (same code), and how many it leaves
// as they are.
type SessionImportPlan struct {
	Created   []domain.Session
	Updated   []SessionUpdate
	Unchanged int
}

// importedSession is a session of an import as kept in session_imports.
type importedSession struct {
	Code     string              `json:"code"`
	Title    string              `json:"intitule"`
	Type     domain.TrainingType `json:"type"`
	StartsOn string              `json:"debut"`
	EndsOn   string              `json:"fin"`
	Hours    string              `json:"horaires"`
	Place    string              `json:"lieu"`
	Capacity int                 `json:"capacite"`
	Deadline string              `json:"limite"`
	Audience string              `json:"public"`
}

// CreateSessionImport keeps the checked sessions of a file for the staff
// account accountID and returns the import's random id. It forgets the
// imports older than a week.
func (s *Store) CreateSessionImport(ctx context.Context, accountID int64, ni NewSessionImport) (string, error) {
	rows := make([]importedSession, len(ni.Sessions))
	for i, x := range ni.Sessions {
		if derr := domain.CheckSession(x); derr != nil {
			return "", fmt.Errorf("store: create session import: line %d: %w", i+1, derr)
		}
		rows[i] = importedSession{Code: x.Code, Title: x.Title, Type: x.Type, StartsOn: dayText(x.StartsOn), EndsOn: dayText(x.EndsOn),
			Hours: x.Hours, Place: x.Place, Capacity: x.Capacity, Deadline: dayText(x.Deadline), Audience: x.Audience}
	}
	data, err := json.Marshal(rows)
	if err != nil {
		return "", fmt.Errorf("store: create session import: %w", err)
	}
	id := newImportID()
	now := s.Now()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM session_imports WHERE created_at < $1`, now.Add(-importKept).Unix()); err != nil {
			return err
		}
		const q = `INSERT INTO session_imports (id, account_id, file_name, encoding, sessions_json, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`
		_, err := tx.ExecContext(ctx, q, id, accountID, ni.FileName, ni.Encoding, string(data), now.Unix(), now.Add(SessionImportTTL).Unix())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: create session import: %w", err)
	}
	return id, nil
}

// GetSessionImport returns the import id of the account accountID, and
// what it would do to the sessions now.
func (s *Store) GetSessionImport(ctx context.Context, accountID int64, id string) (SessionImport, SessionImportPlan, error) {
	imp, err := getSessionImport(ctx, s.db, accountID, id)
	if err != nil {
		return imp, SessionImportPlan{}, fmt.Errorf("store: get session import: %w", translate(err))
	}
	plan, err := planSessionImport(ctx, s.db, imp.Sessions)
	if err != nil {
		return imp, plan, fmt.Errorf("store: get session import: %w", err)
	}
	return imp, plan, nil
}

// ApplySessionImport confirms the import id of the account accountID: in
// one transaction it creates and updates the sessions as the plan says
// at that moment (an update follows UpdateSession's rules: no capacity
// below the places taken, no cancelled session, a rise promotes the
// waiting list), and marks the import applied. A refusal names the
// session's code and leaves everything as it was.
func (s *Store) ApplySessionImport(ctx context.Context, accountID int64, id string, letters TrainingLetters) (SessionImportPlan, error) {
	var plan SessionImportPlan
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		plan = SessionImportPlan{}
		now := s.now()
		const mark = `UPDATE session_imports SET applied_at = $3 WHERE id = $1 AND account_id = $2 AND applied_at IS NULL AND expires_at > $3`
		res, err := tx.ExecContext(ctx, mark, id, accountID, now)
		if err != nil {
			return err
		}
		imp, err := getSessionImport(ctx, tx, accountID, id)
		if err != nil {
			return err
		}
		if err := imp.unmarked(res); err != nil {
			return err
		}
		if plan, err = planSessionImport(ctx, tx, imp.Sessions); err != nil {
			return err
		}
		for _, x := range plan.Created {
			if _, err := s.createSession(ctx, tx, x); err != nil {
				return inSession(x, err)
			}
		}
		for _, u := range plan.Updated {
			if _, err := s.updateSession(ctx, tx, u.Session.ID, u.Session, letters); err != nil {
				return inSession(u.Session, err)
			}
		}
		what := fmt.Sprintf("a importé des sessions (fichier %s) : %d créées, %d modifiées", imp.FileName, len(plan.Created), len(plan.Updated))
		return s.record(ctx, tx, 0, domain.JournalSession, what)
	})
	if err != nil {
		return plan, fmt.Errorf("store: apply session import: %w", err)
	}
	return plan, nil
}

// inSession names the session x in a domain error about it.
func inSession(x domain.Session, err error) error {
	var derr *domain.Error
	if errors.As(err, &derr) {
		return domain.Errorf(derr.Kind, derr.Field, "Session "+x.Code+" : "+derr.Message)
	}
	return err
}

func getSessionImport(ctx context.Context, q queryer, accountID int64, id string) (SessionImport, error) {
	const query = `SELECT id, file_name, encoding, sessions_json, created_at, expires_at, applied_at FROM session_imports WHERE id = $1 AND account_id = $2`
	var imp SessionImport
	var data string
	if err := scanImport(q.QueryRowContext(ctx, query, id, accountID), &imp.ImportFile, &data); err != nil {
		return imp, err
	}
	var rows []importedSession
	if err := json.Unmarshal([]byte(data), &rows); err != nil {
		return imp, fmt.Errorf("session import %s: %w", id, err)
	}
	for _, r := range rows {
		x := domain.Session{Code: r.Code, Title: r.Title, Type: r.Type, Hours: r.Hours, Place: r.Place, Capacity: r.Capacity, Audience: r.Audience}
		var err error
		if x.StartsOn, err = parseDayText(r.StartsOn); err == nil {
			if x.EndsOn, err = parseDayText(r.EndsOn); err == nil {
				x.Deadline, err = parseDayText(r.Deadline)
			}
		}
		if err != nil {
			return imp, fmt.Errorf("session import %s: %w", id, err)
		}
		imp.Sessions = append(imp.Sessions, x)
	}
	return imp, nil
}

// planSessionImport matches the sessions of a file with those saved, on their code.
func planSessionImport(ctx context.Context, q queryer, sessions []domain.Session) (SessionImportPlan, error) {
	var plan SessionImportPlan
	for _, x := range sessions {
		saved, err := scanSession(q.QueryRowContext(ctx, `SELECT `+sessionColumns("sessions")+` FROM sessions WHERE code = $1`, x.Code))
		if errors.Is(err, sql.ErrNoRows) {
			plan.Created = append(plan.Created, x)
			continue
		}
		if err != nil {
			return plan, err
		}
		changes := domain.SessionChanges(saved, x)
		if len(changes) == 0 {
			plan.Unchanged++
			continue
		}
		x.ID = saved.ID
		plan.Updated = append(plan.Updated, SessionUpdate{Session: x, Changes: changes})
	}
	return plan, nil
}
