package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"time"

	"iel/internal/domain"
	"iel/internal/mail"
)

// PurposeInvitation is the link of an operator's invitation ("validation de
// votre compte opérateur CT").
const PurposeInvitation = "invitation"

// Operator is a row of "COMPTES OPÉRATEURS": an account of the CT and
// whether its latest invitation expired unanswered.
type Operator struct {
	domain.Account
	InvitationExpired bool
}

// requirePrincipal checks, in the transaction, that byID is the CT's principal.
func requirePrincipal(ctx context.Context, tx *sql.Tx, ctID, byID int64) error {
	var n int
	const q = `SELECT count(*) FROM accounts WHERE collectivity_id = $1 AND id = $2 AND role = 'principal' AND state = 'active'`
	if err := tx.QueryRowContext(ctx, q, ctID, byID).Scan(&n); err != nil {
		return err
	}
	if n != 1 {
		return domain.ErrNotPrincipal
	}
	return nil
}

// principalLocked takes the CT's lock, checks that byID is its principal,
// and returns the CT's accounts for a rule to be checked on them.
func principalLocked(ctx context.Context, tx *sql.Tx, ctID, byID int64) ([]domain.Account, error) {
	if err := lockCollectivity(ctx, tx, ctID); err != nil {
		return nil, err
	}
	if err := requirePrincipal(ctx, tx, ctID, byID); err != nil {
		return nil, err
	}
	return listAccounts(ctx, tx, ctID)
}

// ListOperators returns the principal and the operators of the CT ctID,
// unsorted: the caller sorts them the French way.
func (s *Store) ListOperators(ctx context.Context, ctID int64) ([]Operator, error) {
	const q = `SELECT ` + accountColumns + `,
		EXISTS (SELECT 1 FROM tokens t WHERE t.account_id = a.id AND t.purpose = 'invitation' AND t.used_at IS NULL AND t.expires_at <= $2)
		AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.account_id = a.id AND t.purpose = 'invitation' AND t.used_at IS NULL AND t.expires_at > $2)
		FROM accounts a WHERE collectivity_id = $1 AND role IN ('principal', 'operator')`
	rows, err := s.db.QueryContext(ctx, q, ctID, s.now())
	if err != nil {
		return nil, fmt.Errorf("store: list operators: %w", translate(err))
	}
	defer rows.Close()
	var out []Operator
	for rows.Next() {
		var o Operator
		var ct sql.NullInt64
		a := &o.Account
		if err := rows.Scan(&a.ID, &ct, &a.Login, &a.Role, &a.State, &a.Civility, &a.LastName, &a.FirstName,
			&a.Function, &a.Email, &a.Phone, &a.Prefs.Integration, &a.Prefs.Inter, &a.PasswordHash, &o.InvitationExpired); err != nil {
			return nil, fmt.Errorf("store: list operators: %w", err)
		}
		a.CollectivityID = ct.Int64
		o.InvitationExpired = o.InvitationExpired && a.State == domain.StateInactive
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list operators: %w", err)
	}
	return out, nil
}

// GetOperator returns the operator id of the CT ctID (not the principal).
func (s *Store) GetOperator(ctx context.Context, ctID, id int64) (domain.Account, error) {
	const q = `SELECT ` + accountColumns + ` FROM accounts WHERE collectivity_id = $1 AND id = $2 AND role = 'operator'`
	a, err := scanAccount(s.db.QueryRowContext(ctx, q, ctID, id))
	if err != nil {
		return a, fmt.Errorf("store: get operator %d: %w", id, translate(err))
	}
	return a, nil
}

var loginPattern = regexp.MustCompile(`^[A-Z2-9]{10}$`)

// NewOperator is an operator to create: its fiche, its mail preferences,
// the identifiant the form showed, and its invitation link.
type NewOperator struct {
	Login       string // the identifiant shown on the form; replaced when taken or malformed
	Fiche       domain.Fiche
	Prefs       domain.MailPrefs
	TokenHash   string
	TokenExpiry time.Time
}

// CreateOperator creates an inactive operator account in the CT ctID, by
// its principal byID, and queues its invitation in the same transaction.
func (s *Store) CreateOperator(ctx context.Context, ctID, byID int64, no NewOperator, compose func(domain.Account) (mail.Message, error)) (domain.Account, error) {
	a := domain.Account{CollectivityID: ctID, Role: domain.RoleOperator, State: domain.StateInactive, Fiche: no.Fiche, Prefs: no.Prefs}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := requirePrincipal(ctx, tx, ctID, byID); err != nil {
			return err
		}
		now := s.now()
		a.Login = NormalizeLogin(no.Login)
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE login = $1`, a.Login).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 || !loginPattern.MatchString(a.Login) {
			var err error
			if a.Login, err = freeLogin(ctx, tx); err != nil {
				return err
			}
		}
		var err error
		if a.ID, err = insertAccount(ctx, tx, a, now); err != nil {
			return err
		}
		return s.invite(ctx, tx, a, no.TokenHash, no.TokenExpiry, now, compose)
	})
	if err != nil {
		return a, fmt.Errorf("store: create operator: %w", err)
	}
	return a, nil
}

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

// UpdateOperator saves the fiche and mail preferences of the operator id
// of the CT ctID, by its principal byID, under the recipients rule.
func (s *Store) UpdateOperator(ctx context.Context, ctID, byID, id int64, f domain.Fiche, prefs domain.MailPrefs) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		accounts, err := principalLocked(ctx, tx, ctID, byID)
		if err != nil {
			return err
		}
		found := false
		for i := range accounts {
			if accounts[i].ID == id && accounts[i].Role == domain.RoleOperator {
				accounts[i].Prefs, found = prefs, true
			}
		}
		if !found {
			return ErrNotFound
		}
		if derr := domain.CheckRecipients(accounts); derr != nil {
			return derr
		}
		const q = `UPDATE accounts SET civility = $3, last_name = $4, first_name = $5, function = $6, email = $7, phone = $8,
			mail_integration = $9, mail_inter = $10, updated_at = $11
			WHERE collectivity_id = $1 AND id = $2 AND role = 'operator'`
		_, err = tx.ExecContext(ctx, q, ctID, id, f.Civility, f.LastName, f.FirstName, f.Function, f.Email, f.Phone, prefs.Integration, prefs.Inter, s.now())
		return err
	})
	if err != nil {
		return fmt.Errorf("store: update operator %d: %w", id, err)
	}
	return nil
}

// DeleteOperator deletes the operator id of the CT ctID, by its principal
// byID, unless a training type would be left without a recipient. Its
// login sessions and links go with it (foreign keys cascade).
func (s *Store) DeleteOperator(ctx context.Context, ctID, byID, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		accounts, err := principalLocked(ctx, tx, ctID, byID)
		if err != nil {
			return err
		}
		rest := accounts[:0:0]
		found := false
		for _, a := range accounts {
			if a.ID == id && a.Role == domain.RoleOperator {
				found = true
				continue
			}
			rest = append(rest, a)
		}
		if !found {
			return ErrNotFound
		}
		if derr := domain.CheckRecipients(rest); derr != nil {
			return derr
		}
		// Designations aimed at this operator die with it (ON DELETE CASCADE).
		_, err = tx.ExecContext(ctx, `DELETE FROM accounts WHERE collectivity_id = $1 AND id = $2 AND role = 'operator'`, ctID, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete operator %d: %w", id, err)
	}
	return nil
}

// ResendInvitation sends the operator id of the CT ctID a new invitation
// link (the old one dies); a refused account becomes inactive again.
func (s *Store) ResendInvitation(ctx context.Context, ctID, byID, id int64, hash string, expiry time.Time, compose func(domain.Account) (mail.Message, error)) (domain.Account, error) {
	var a domain.Account
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := requirePrincipal(ctx, tx, ctID, byID); err != nil {
			return err
		}
		now := s.now()
		const q = `UPDATE accounts SET state = 'inactive', updated_at = $3
			WHERE collectivity_id = $1 AND id = $2 AND role = 'operator' AND state IN ('inactive', 'refused') RETURNING ` + accountColumns
		var err error
		a, err = scanAccount(tx.QueryRowContext(ctx, q, ctID, id, now))
		if errors.Is(err, sql.ErrNoRows) {
			// An id that is no operator of this CT (another CT's, say) is not found; only an active one is a conflict.
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

// InvitationAnswer is an invited operator's answer to the link TokenHash.
type InvitationAnswer struct {
	TokenHash string
	Accept    bool
	Comment   string
	// On acceptance, the set-password link the person is sent to at once.
	PasswordTokenHash string
	PasswordExpiry    time.Time
}

// AnswerInvitation records the answer, once (concurrent answers: one wins,
// the others get Gone). Accepting gives the operator a set-password link:
// the account becomes active when the password is set. Refusing makes it
// refused. Either way the principal is told, with the comment.
func (s *Store) AnswerInvitation(ctx context.Context, a InvitationAnswer, compose func(op domain.Account, ct domain.Collectivity, principal domain.Account) (mail.Message, error)) (domain.Account, error) {
	var op domain.Account
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		const use = `UPDATE tokens SET used_at = $3 WHERE hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3 RETURNING account_id`
		var id int64
		err := tx.QueryRowContext(ctx, use, a.TokenHash, PurposeInvitation, now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			if lerr := linkError(ctx, tx, a.TokenHash, PurposeInvitation, now); lerr != nil {
				return lerr
			}
		}
		if err != nil {
			return err
		}
		state := domain.StateInactive
		if !a.Accept {
			state = domain.StateRefused
		}
		const upd = `UPDATE accounts SET state = $2, updated_at = $3 WHERE id = $1 AND role = 'operator' AND state = 'inactive' RETURNING ` + accountColumns
		if op, err = scanAccount(tx.QueryRowContext(ctx, upd, id, state, now)); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return domain.ErrInvitationGone
			}
			return err
		}
		if a.Accept {
			if err := killTokens(ctx, tx, op.ID, PurposePassword, now); err != nil {
				return err
			}
			if err := insertToken(ctx, tx, a.PasswordTokenHash, PurposePassword, op.ID, now, a.PasswordExpiry.Unix()); err != nil {
				return err
			}
		}
		ct, err := getCollectivity(ctx, tx, op.CollectivityID)
		if err != nil {
			return err
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

// Recipients returns the addresses a notification about a training of type
// t goes to, for the CT ctID: every account that receives t (the
// historical manager always, while open; principal and operators when
// active with Oui for t), without duplicates.
func (s *Store) Recipients(ctx context.Context, ctID int64, t domain.TrainingType) ([]string, error) {
	const q = `SELECT ` + accountColumns + ` FROM accounts WHERE collectivity_id = $1 AND state <> 'closed' ORDER BY id`
	rows, err := s.db.QueryContext(ctx, q, ctID)
	if err != nil {
		return nil, fmt.Errorf("store: recipients: %w", translate(err))
	}
	defer rows.Close()
	var out []string
	seen := map[string]bool{}
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("store: recipients: %w", err)
		}
		if a.Receives(t) && !seen[a.Email] && a.Email != "" {
			seen[a.Email] = true
			out = append(out, a.Email)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: recipients: %w", err)
	}
	return out, nil
}
