package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"iel/internal/domain"
	"iel/internal/mail"
)

const registrationColumns = `r.id, r.session_id, r.collectivity_id, r.agent_id, r.state, r.motif, r.created_at, r.decided_at`

func registrationDest(r *domain.Registration, created, decided *int64) []any {
	return []any{&r.ID, &r.SessionID, &r.CollectivityID, &r.AgentID, &r.State, &r.Motif, created, decided}
}

// scanRegistrationSession scans registrationColumns, then the session's
// columns, then extra.
func scanRegistrationSession(row scanner, extra ...any) (domain.Registration, domain.Session, error) {
	var r domain.Registration
	var sess domain.Session
	var created, decided int64
	dest := registrationDest(&r, &created, &decided)
	sdest, done := sessionDest(&sess)
	if err := row.Scan(append(append(dest, sdest...), extra...)...); err != nil {
		return r, sess, err
	}
	r.CreatedAt, r.DecidedAt = time.Unix(created, 0), time.Unix(decided, 0)
	return r, sess, done()
}

// Register registers the agents agentIDs of the CT ctID to session
// sessionID ("Inscrire des agents"), all or none: each registration is
// transmise, and MailReceived goes to the CT's recipients for each. It
// refuses, with a domain error, a session cancelled, begun or past its
// deadline, an agent of another CT (NotFound), one who left the CT, one
// already registered to the session.
func (s *Store) Register(ctx context.Context, ctID, sessionID int64, agentIDs []int64, letters TrainingLetters) ([]domain.Registration, error) {
	var out []domain.Registration
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		if len(agentIDs) == 0 {
			return domain.ErrNoAgentChosen
		}
		sess, err := lockSession(ctx, tx, sessionID)
		if errors.Is(err, ErrNotFound) || errors.Is(err, sql.ErrNoRows) {
			return domain.Errorf(domain.NotFound, "", "Cette session n'existe pas.")
		}
		if err != nil {
			return err
		}
		today := s.today()
		switch {
		case sess.IsCancelled():
			return domain.ErrSessionCancelled
		case sess.Started(today):
			return domain.ErrSessionStarted
		case today.After(sess.Deadline):
			return domain.ErrDeadlinePassed
		}
		now := s.now()
		seen := map[int64]bool{}
		for _, aid := range agentIDs {
			if seen[aid] {
				continue
			}
			seen[aid] = true
			a, err := getAgent(ctx, tx, ctID, aid)
			if errors.Is(err, sql.ErrNoRows) {
				return domain.Errorf(domain.NotFound, domain.FieldAgents, "Cet agent n'existe pas dans votre collectivité.")
			}
			if err != nil {
				return err
			}
			if a.Left() {
				return domain.ErrAgentLeft(a.Agent)
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM registrations WHERE session_id = $1 AND agent_id = $2 AND state <> 'cancelled'`,
				sessionID, aid).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return domain.ErrAlreadyRegistered(a.Agent)
			}
			r := domain.Registration{SessionID: sessionID, CollectivityID: ctID, AgentID: aid, State: domain.RegistrationSent,
				CreatedAt: time.Unix(now, 0), DecidedAt: time.Unix(now, 0)}
			const q = `INSERT INTO registrations (session_id, collectivity_id, agent_id, state, created_at, decided_at) VALUES ($1, $2, $3, 'sent', $4, $4) RETURNING id`
			if err := tx.QueryRowContext(ctx, q, sessionID, ctID, aid, now).Scan(&r.ID); err != nil {
				return err
			}
			d, err := trainingMail(ctx, tx, ctID, r.ID)
			if err != nil {
				return err
			}
			if err := s.tellTraining(ctx, tx, letters, domain.MailReceived, d, false); err != nil {
				return err
			}
			if err := s.record(ctx, tx, ctID, domain.JournalRegistration, "a inscrit "+a.FullName()+" à la session "+sessionName(sess)); err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: register to session %d: %w", sessionID, err)
	}
	return out, nil
}

// NeedingConfirmation returns, among the agents agentIDs of the CT ctID,
// those whose registration to session sessionID asks the CT's explicit
// confirmation today (domain.NeedsIntegrationConfirmation), in the order
// given; agents unknown to the CT are left for Register to refuse.
func (s *Store) NeedingConfirmation(ctx context.Context, ctID, sessionID int64, agentIDs []int64) ([]domain.Agent, error) {
	sess, err := getSession(ctx, s.db, sessionID)
	if err != nil {
		return nil, fmt.Errorf("store: needing confirmation: %w", translate(err))
	}
	var out []domain.Agent
	for _, id := range agentIDs {
		a, err := getAgent(ctx, s.db, ctID, id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: needing confirmation: %w", err)
		}
		if domain.NeedsIntegrationConfirmation(a.Agent, sess, s.today()) {
			out = append(out, a.Agent)
		}
	}
	return out, nil
}

// move is one change of a registration's state.
type move struct {
	to      domain.RegistrationState
	by      domain.Mover
	mail    domain.TrainingMailKind   // "" for none
	toAgent bool                      // the agent gets its own copy
	what    func(domain.Agent) string // the journal's sentence about the agent: "a accepté l'inscription d'Aurélie Richard"
}

// registrationOf is the journal's sentence verb + "de " + the agent's
// name, elided: "a accepté l'inscription d'Aurélie Richard".
func registrationOf(verb string) func(domain.Agent) string {
	return func(a domain.Agent) string { return verb + domain.Of(a.FullName()) }
}

// attendance is the journal's sentence of an attendance recorded: "a
// indiqué Justine Perrin absente".
func attendance(adjective string) func(domain.Agent) string {
	return func(a domain.Agent) string {
		return "a indiqué " + a.FullName() + " " + domain.Agreed(a.Civility, adjective)
	}
}

// moveRegistration moves registration id of the CT ctID (0: any CT, for
// staff) as m says, in one transaction: the session locked, the
// transition allowed by the domain's table, the places taken kept within
// the capacity, the e-mail queued and the journal written; a place freed
// promotes the waiting list.
func (s *Store) moveRegistration(ctx context.Context, ctID, id int64, m move, motif string, letters TrainingLetters) (domain.Registration, error) {
	var reg domain.Registration
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var sessionID int64
		err := tx.QueryRowContext(ctx, `SELECT session_id FROM registrations WHERE id = $1 AND (collectivity_id = $2 OR $2 = 0)`, id, ctID).Scan(&sessionID)
		if err != nil {
			return err
		}
		sess, err := lockSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		d, err := trainingMail(ctx, tx, ctID, id)
		if err != nil {
			return err
		}
		from := d.Registration.State
		if !domain.CanMove(from, m.to, m.by) {
			return domain.ErrCannotMove(from)
		}
		today := s.today()
		switch m.to {
		case domain.RegistrationPresent, domain.RegistrationAbsent:
			if !sess.Started(today) {
				return domain.ErrNotStartedYet
			}
		case domain.RegistrationCancelled:
			if sess.Started(today) {
				return domain.ErrCancelTooLate
			}
		}
		if sess.IsCancelled() {
			return domain.ErrSessionCancelled
		}
		if m.to.TakesPlace() && !from.TakesPlace() && sess.Accepted >= sess.Capacity {
			return domain.ErrSessionFull
		}
		if err := s.setState(ctx, tx, d.Registration, m.to, motif); err != nil {
			return err
		}
		d.Registration.State, d.Registration.Motif, d.Registration.DecidedAt = m.to, motif, time.Unix(s.now(), 0)
		if err := s.record(ctx, tx, d.Collectivity.ID, domain.JournalRegistration, m.what(d.Agent)+" à la session "+sessionName(sess)); err != nil {
			return err
		}
		if m.mail != "" {
			d.Session, err = getSession(ctx, tx, sessionID)
			if err != nil {
				return err
			}
			if err := s.tellTraining(ctx, tx, letters, m.mail, d, m.toAgent); err != nil {
				return err
			}
		}
		if from.TakesPlace() && !m.to.TakesPlace() {
			if err := s.promoteWaiting(ctx, tx, sessionID, letters); err != nil {
				return err
			}
		}
		reg = d.Registration
		return nil
	})
	if err != nil {
		return reg, fmt.Errorf("store: registration %d to %s: %w", id, m.to, err)
	}
	return reg, nil
}

// setState writes the new state of r, with its motif, and keeps the
// session's places taken in step; the CHECK on sessions.taken is the
// last guard of the capacity.
func (s *Store) setState(ctx context.Context, tx *sql.Tx, r domain.Registration, to domain.RegistrationState, motif string) error {
	err := execOne(ctx, tx, `UPDATE registrations SET state = $3, motif = $4, decided_at = $5 WHERE id = $1 AND state = $2`,
		r.ID, string(r.State), string(to), motif, s.now())
	if err != nil {
		return err
	}
	delta := 0
	if to.TakesPlace() && !r.State.TakesPlace() {
		delta = 1
	} else if !to.TakesPlace() && r.State.TakesPlace() {
		delta = -1
	}
	if delta == 0 {
		return nil
	}
	return execOne(ctx, tx, `UPDATE sessions SET taken = taken + $2 WHERE id = $1`, r.SessionID, delta)
}

// promoteWaiting accepts, in tx where the session is locked, the
// registrations of its waiting list in their order (first come first
// served) while places are left, each with MailPromoted.
func (s *Store) promoteWaiting(ctx context.Context, tx *sql.Tx, sessionID int64, letters TrainingLetters) error {
	for {
		sess, err := getSession(ctx, tx, sessionID)
		if err != nil {
			return err
		}
		if sess.IsCancelled() || sess.Accepted >= sess.Capacity || sess.Started(s.today()) {
			return nil
		}
		var id int64
		err = tx.QueryRowContext(ctx, `SELECT id FROM registrations WHERE session_id = $1 AND state = 'waiting' ORDER BY created_at, id LIMIT 1`, sessionID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		d, err := trainingMail(ctx, tx, 0, id)
		if err != nil {
			return err
		}
		if err := s.setState(ctx, tx, d.Registration, domain.RegistrationAccepted, ""); err != nil {
			return err
		}
		d.Registration.State, d.Registration.Motif, d.Registration.DecidedAt = domain.RegistrationAccepted, "", time.Unix(s.now(), 0)
		d.Session.Accepted++
		if err := s.tellTraining(ctx, tx, letters, domain.MailPromoted, d, true); err != nil {
			return err
		}
		what := "a libéré une place : " + d.Agent.FullName() + " passe de la liste d'attente à l'inscription acceptée à la session " + sessionName(sess)
		if err := s.record(ctx, tx, d.Collectivity.ID, domain.JournalRegistration, what); err != nil {
			return err
		}
	}
}

// CancelRegistration cancels registration id of the CT ctID ("Annuler
// l'inscription"), before its session starts; MailCancelled goes to the
// CT's recipients, and a place freed promotes the waiting list.
func (s *Store) CancelRegistration(ctx context.Context, ctID, id int64, letters TrainingLetters) (domain.Registration, error) {
	return s.moveRegistration(ctx, ctID, id, move{to: domain.RegistrationCancelled, by: domain.MoverCT, mail: domain.MailCancelled,
		what: registrationOf("a annulé l'inscription ")}, "", letters)
}

// AcceptRegistration accepts registration id ("Accepter"), within the
// session's capacity even under concurrent acceptances; the convocation
// goes to the CT's recipients and to the agent.
func (s *Store) AcceptRegistration(ctx context.Context, id int64, letters TrainingLetters) (domain.Registration, error) {
	return s.moveRegistration(ctx, 0, id, move{to: domain.RegistrationAccepted, by: domain.MoverStaff, mail: domain.MailAccepted, toAgent: true,
		what: registrationOf("a accepté l'inscription ")}, "", letters)
}

// RefuseRegistration refuses registration id for motif ("Refuser"), required.
func (s *Store) RefuseRegistration(ctx context.Context, id int64, motif string, letters TrainingLetters) (domain.Registration, error) {
	motif, derr := domain.CheckMotif(motif)
	if derr != nil {
		return domain.Registration{}, derr
	}
	return s.moveRegistration(ctx, 0, id, move{to: domain.RegistrationRefused, by: domain.MoverStaff, mail: domain.MailRefused,
		what: registrationOf("a refusé l'inscription ")}, motif, letters)
}

// WaitlistRegistration puts registration id on the waiting list
// ("Mettre en liste d'attente"), in the order it was sent.
func (s *Store) WaitlistRegistration(ctx context.Context, id int64, letters TrainingLetters) (domain.Registration, error) {
	return s.moveRegistration(ctx, 0, id, move{to: domain.RegistrationWaiting, by: domain.MoverStaff, mail: domain.MailWaiting,
		what: registrationOf("a mis en liste d'attente l'inscription ")}, "", letters)
}

// MarkPresent records that the agent of registration id attended
// ("Présent"), once the session has begun; the attestation de présence
// goes to the CT's recipients and to the agent.
func (s *Store) MarkPresent(ctx context.Context, id int64, letters TrainingLetters) (domain.Registration, error) {
	return s.moveRegistration(ctx, 0, id, move{to: domain.RegistrationPresent, by: domain.MoverStaff, mail: domain.MailAttendance, toAgent: true,
		what: attendance("présent")}, "", letters)
}

// MarkAbsent records that the agent of registration id did not attend ("Absent").
func (s *Store) MarkAbsent(ctx context.Context, id int64) (domain.Registration, error) {
	return s.moveRegistration(ctx, 0, id, move{to: domain.RegistrationAbsent, by: domain.MoverStaff, what: attendance("absent")}, "", nil)
}

// GetRegistration returns registration id of the CT ctID with everything
// its e-mails and documents tell (the convocation, the attestation).
func (s *Store) GetRegistration(ctx context.Context, ctID, id int64) (mail.TrainingMail, error) {
	if ctID == 0 {
		return mail.TrainingMail{}, fmt.Errorf("store: get registration %d: %w", id, ErrNotFound)
	}
	d, err := trainingMail(ctx, s.db, ctID, id)
	if err != nil {
		return d, fmt.Errorf("store: get registration %d: %w", id, translate(err))
	}
	return d, nil
}

// GetAnyRegistration is GetRegistration for staff: registration id,
// whatever its CT.
func (s *Store) GetAnyRegistration(ctx context.Context, id int64) (mail.TrainingMail, error) {
	d, err := trainingMail(ctx, s.db, 0, id)
	if err != nil {
		return d, fmt.Errorf("store: get registration %d: %w", id, translate(err))
	}
	return d, nil
}
