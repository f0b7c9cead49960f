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

// invite kills the account's previous invitation links and sends a new one.
func (s *Store) invite(ctx context.Context, tx *sql.Tx, a domain.Account, hash string, expiry time.Time, now int64, compose func(domain.Account) (mail.Message, error)) error {
	if err := killTokens(ctx, tx, a.ID, PurposeInvitation, now); err != nil {
		return err
	}
	if err := insertToken(ctx, tx, hash, PurposeInvitation, a.ID, now, expiry.Unix()); err != nil {
		return err
	}
	return enqueueLink(ctx, tx, compose, a, expiry, now)
}

// ResendInvitation sends the operator id of the CT ctID a new invitation
// link (the old one dies); a refused account becomes inactive again. An
// operator who accepted has no invitation left to resend: its password
// comes by its own e-mail, or by "Mot de passe oublié ?".
func (s *Store) ResendInvitation(ctx context.Context, ctID, byID, id int64, hash string, expiry time.Time, compose func(domain.Account) (mail.Message, error)) (domain.Account, error) {
	var a domain.Account
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := requirePrincipal(ctx, tx, ctID, byID); err != nil {
			return err
		}
		now := s.now()
		const q = `UPDATE accounts SET state = 'inactive', updated_at = $3
			WHERE collectivity_id = $1 AND id = $2 AND role = 'operator' AND state IN ('inactive', 'refused') AND accepted_at IS NULL
			RETURNING ` + accountColumns
		var err error
		a, err = scanAccount(tx.QueryRowContext(ctx, q, ctID, id, now))
		if errors.Is(err, sql.ErrNoRows) {
			// An id that is no operator of this CT (another CT's, say) is not
			// found; only one that accepted (active or not) is a conflict.
			var n int
			const exists = `SELECT count(*) FROM accounts WHERE collectivity_id = $1 AND id = $2 AND role = 'operator'`
			if err := tx.QueryRowContext(ctx, exists, ctID, id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return ErrNotFound
			}
			return domain.ErrInvitationAccepted
		}
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, ctID, domain.JournalOperator, "a renvoyé l'invitation de l'opérateur "+a.FullName()); err != nil {
			return err
		}
		return s.invite(ctx, tx, a, hash, expiry, now, compose)
	})
	if err != nil {
		return a, fmt.Errorf("store: resend invitation %d: %w", id, err)
	}
	return a, nil
}

// GetInvitation returns the operator an invitation link is for and its CT,
// or a domain error of kind Gone saying why the link cannot serve.
func (s *Store) GetInvitation(ctx context.Context, hash string) (domain.Account, domain.Collectivity, error) {
	if err := linkError(ctx, s.db, hash, PurposeInvitation, s.now()); err != nil {
		return domain.Account{}, domain.Collectivity{}, fmt.Errorf("store: get invitation: %w", err)
	}
	const q = `SELECT ` + accountColumns + ` FROM accounts WHERE id = (SELECT account_id FROM tokens WHERE hash = $1)`
	a, err := scanAccount(s.db.QueryRowContext(ctx, q, hash))
	if err != nil {
		return a, domain.Collectivity{}, fmt.Errorf("store: get invitation: %w", translate(err))
	}
	ct, err := s.GetCollectivity(ctx, a.CollectivityID)
	return a, ct, err
}

// InvitationOutcome is what the answer given with an invitation link recorded.
type InvitationOutcome struct {
	Operator     domain.Account // as it is now
	Collectivity domain.Collectivity
	Accepted     bool
	AnsweredAt   time.Time
}

// GetInvitationOutcome returns what the answer given with the invitation
// link hash recorded, or ErrNotFound when no answer used the link: unknown,
// still pending, expired, or dead unanswered (a newer link was sent, or
// the account changed). Its page then shows the answer, not a dead link.
func (s *Store) GetInvitationOutcome(ctx context.Context, hash string) (InvitationOutcome, error) {
	const q = `SELECT ` + accountColumns + `, t.answer, t.used_at FROM tokens t JOIN accounts a ON a.id = t.account_id
		WHERE t.hash = $1 AND t.purpose = $2 AND t.answer IS NOT NULL AND t.used_at IS NOT NULL`
	var o InvitationOutcome
	var answer string
	var used int64
	var err error
	o.Operator, err = scanAccount(s.db.QueryRowContext(ctx, q, hash, PurposeInvitation), &answer, &used)
	if err != nil {
		return o, fmt.Errorf("store: get invitation outcome: %w", translate(err))
	}
	o.Accepted, o.AnsweredAt = answer == "accepted", time.Unix(used, 0)
	if o.Collectivity, err = getCollectivity(ctx, s.db, o.Operator.CollectivityID); err != nil {
		return o, fmt.Errorf("store: get invitation outcome: %w", translate(err))
	}
	return o, nil
}

// InvitationAnswer is an invited operator's answer to the link TokenHash.
type InvitationAnswer struct {
	TokenHash string
	Accept    bool
	Comment   string
	// On acceptance, the operator's set-password link.
	PasswordTokenHash string
	PasswordExpiry    time.Time
	// AccountMail renders, on acceptance, "votre compte opérateur CT" for
	// the operator: its identifiant and the set-password link, so that
	// closing the answer page leads nowhere dead. nil sends none (the demo
	// sets the password itself).
	AccountMail func(op domain.Account, ct domain.Collectivity) (mail.Message, error)
}

// AnswerInvitation records the answer, once (concurrent answers: one wins,
// the others get Gone). Accepting records when, gives the operator a
// set-password link valid until PasswordExpiry and queues the e-mail
// AccountMail renders: the account becomes active when the password is
// set, and "Mot de passe oublié ?" serves it meanwhile. Refusing makes it
// refused. Either way the principal is told, with the comment.
func (s *Store) AnswerInvitation(ctx context.Context, a InvitationAnswer, compose func(op domain.Account, ct domain.Collectivity, principal domain.Account) (mail.Message, error)) (domain.Account, error) {
	var op domain.Account
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if derr := domain.CheckComment(a.Comment); derr != nil {
			return derr
		}
		now := s.now()
		answer := "refused"
		if a.Accept {
			answer = "accepted"
		}
		const use = `UPDATE tokens SET used_at = $3, answer = $4
			WHERE hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING account_id`
		var id int64
		err := tx.QueryRowContext(ctx, use, a.TokenHash, PurposeInvitation, now, answer).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			if lerr := linkError(ctx, tx, a.TokenHash, PurposeInvitation, now); lerr != nil {
				return lerr
			}
		}
		if err != nil {
			return err
		}
		state, accepted := domain.StateInactive, sql.NullInt64{Int64: now, Valid: true}
		if !a.Accept {
			state, accepted = domain.StateRefused, sql.NullInt64{}
		}
		const upd = `UPDATE accounts SET state = $2, accepted_at = $3, updated_at = $4
			WHERE id = $1 AND role = 'operator' AND state = 'inactive' AND accepted_at IS NULL RETURNING ` + accountColumns
		if op, err = scanAccount(tx.QueryRowContext(ctx, upd, id, state, accepted, now)); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return domain.ErrInvitationGone
			}
			return err
		}
		ct, err := getCollectivity(ctx, tx, op.CollectivityID)
		if err != nil {
			return err
		}
		what := "a refusé son compte opérateur"
		if a.Accept {
			what = "a accepté son compte opérateur"
		}
		if err := s.record(asPersonOf(ctx, op), tx, op.CollectivityID, domain.JournalOperator, what); err != nil {
			return err
		}
		if a.Accept {
			if err := killTokens(ctx, tx, op.ID, PurposePassword, now); err != nil {
				return err
			}
			if err := insertToken(ctx, tx, a.PasswordTokenHash, PurposePassword, op.ID, now, a.PasswordExpiry.Unix()); err != nil {
				return err
			}
			if a.AccountMail != nil {
				m, err := a.AccountMail(op, ct)
				if err != nil {
					return err
				}
				m.ExpiresAt = a.PasswordExpiry
				if err := enqueue(ctx, tx, m, now); err != nil {
					return err
				}
			}
		}
		principal, err := holder(ctx, tx, op.CollectivityID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // no one to tell: the CT has no open holder
		}
		if err != nil {
			return err
		}
		m, err := compose(op, ct, principal)
		if err != nil {
			return err
		}
		return enqueue(ctx, tx, m, now)
	})
	if err != nil {
		return op, fmt.Errorf("store: answer invitation: %w", err)
	}
	return op, nil
}
