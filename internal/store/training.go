package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"iel/internal/domain"
	"iel/internal/mail"
)

// TrainingLetters composes the e-mails about registrations; mail.Letters
// is the real one.
type TrainingLetters interface {
	Training(kind domain.TrainingMailKind, to string, d mail.TrainingMail) (mail.Message, error)
}

// TrainingTypeRow is a training type as the training_types table holds it.
type TrainingTypeRow = domain.TypeLabel

// ListTrainingTypes returns the training types in the order the screens show them.
func (s *Store) ListTrainingTypes(ctx context.Context) ([]TrainingTypeRow, error) {
	out, err := listTypes(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("store: list training types: %w", translate(err))
	}
	return out, nil
}

// dayText is a day as the trainings' tables write it, AAAA-MM-JJ.
func dayText(t time.Time) string { return t.Format(time.DateOnly) }

func parseDayText(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// today is the day it is in Paris by the store's clock.
func (s *Store) today() time.Time { return domain.ParisDay(s.Now()) }

// rowsQueryer runs a query of many rows: *sql.DB or *sql.Tx.
type rowsQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// recipientsIn is Recipients in a transaction (or not): the addresses of the CT
// ctID that receive the e-mails of trainings of type t, seen by the
// change that queues them (a change of preferences applies to the next
// e-mail).
func recipientsIn(ctx context.Context, q rowsQueryer, ctID int64, t domain.TrainingType) ([]string, error) {
	const query = `SELECT ` + accountColumns + ` FROM accounts WHERE collectivity_id = $1 AND state <> 'closed' ORDER BY id`
	rows, err := q.QueryContext(ctx, query, ctID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	seen := map[string]bool{}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		if a.Receives(t) && !seen[a.Email] && a.Email != "" {
			seen[a.Email] = true
			out = append(out, a.Email)
		}
	}
	return out, rows.Err()
}

// tellTraining queues, in tx, the e-mail kind about d to the CT's
// recipients for the session's type and, when toAgent and the agent has
// an address, the agent's own copy.
func (s *Store) tellTraining(ctx context.Context, tx *sql.Tx, letters TrainingLetters, kind domain.TrainingMailKind, d mail.TrainingMail, toAgent bool) error {
	to, err := recipientsIn(ctx, tx, d.Collectivity.ID, d.Session.Type)
	if err != nil {
		return fmt.Errorf("recipients: %w", err)
	}
	now := s.now()
	for _, addr := range to {
		m, err := letters.Training(kind, addr, d)
		if err != nil {
			return fmt.Errorf("compose %s: %w", kind, err)
		}
		if err := enqueue(ctx, tx, m, now); err != nil {
			return err
		}
	}
	if toAgent && d.Agent.Email != "" {
		d.ToAgent = true
		m, err := letters.Training(kind, d.Agent.Email, d)
		if err != nil {
			return fmt.Errorf("compose %s: %w", kind, err)
		}
		if err := enqueue(ctx, tx, m, now); err != nil {
			return err
		}
	}
	return nil
}

// trainingMail loads, in tx, what an e-mail about registration id tells.
// ctID 0 reads a registration of any CT (staff).
func trainingMail(ctx context.Context, q queryer, ctID, id int64) (mail.TrainingMail, error) {
	query := `SELECT ` + registrationColumns + `, ` + sessionColumns("s") + `, c.name, c.email
		FROM registrations r JOIN sessions s ON s.id = r.session_id JOIN collectivities c ON c.id = r.collectivity_id
		WHERE r.id = $1 AND (r.collectivity_id = $2 OR $2 = 0)`
	var d mail.TrainingMail
	var err error
	row := q.QueryRowContext(ctx, query, id, ctID)
	d.Registration, d.Session, err = scanRegistrationSession(row, &d.Collectivity.Name, &d.Collectivity.Email)
	if err != nil {
		return d, err
	}
	d.Collectivity.ID = d.Registration.CollectivityID
	a, err := getAgent(ctx, q, d.Registration.CollectivityID, d.Registration.AgentID)
	if err != nil {
		return d, fmt.Errorf("agent of registration %d: %w", id, err)
	}
	d.Agent = a.Agent
	return d, nil
}
