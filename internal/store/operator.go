package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"time"

	"iel/internal/domain"
	"iel/internal/mail"
)

// Operator is a row of "COMPTES OPÉRATEURS": an account of the CT,
// whether its latest invitation expired unanswered, and whether its person
// accepted it (an inactive account then waits for its password).
type Operator struct {
	domain.Account
	InvitationExpired bool
	Accepted          bool
}

// ListOperators returns the principal and the operators of the CT ctID,
// unsorted: the caller sorts them the French way.
func (s *Store) ListOperators(ctx context.Context, ctID int64) ([]Operator, error) {
	const q = `SELECT ` + accountColumns + `,
		EXISTS (SELECT 1 FROM tokens t WHERE t.account_id = a.id AND t.purpose = 'invitation' AND t.used_at IS NULL AND t.expires_at <= $2)
		AND NOT EXISTS (SELECT 1 FROM tokens t WHERE t.account_id = a.id AND t.purpose = 'invitation' AND t.used_at IS NULL AND t.expires_at > $2),
		accepted_at IS NOT NULL
		FROM accounts a WHERE collectivity_id = $1 AND role IN ('principal', 'operator')`
	rows, err := s.db.QueryContext(ctx, q, ctID, s.now())
	if err != nil {
		return nil, fmt.Errorf("store: list operators: %w", translate(err))
	}
	defer rows.Close()
	var out []Operator
	for rows.Next() {
		var o Operator
		var err error
		if o.Account, err = scanAccount(rows, &o.InvitationExpired, &o.Accepted); err != nil {
			return nil, fmt.Errorf("store: list operators: %w", err)
		}
		o.InvitationExpired = o.InvitationExpired && o.State == domain.StateInactive && !o.Accepted
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
// It refuses a person who already has an account in the CT.
func (s *Store) CreateOperator(ctx context.Context, ctID, byID int64, no NewOperator, compose func(domain.Account) (mail.Message, error)) (domain.Account, error) {
	a := domain.Account{CollectivityID: ctID, Role: domain.RoleOperator, State: domain.StateInactive, Fiche: no.Fiche, Prefs: no.Prefs}
	a.Email = domain.NormalizeEmail(a.Email)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if derr := domain.CheckFicheText(a.Fiche); derr != nil {
			return derr
		}
		accounts, err := principalLocked(ctx, tx, ctID, byID)
		if err != nil {
			return err
		}
		if derr := domain.CheckNoDuplicate(append(accounts, a)); derr != nil {
			return derr
		}
		now := s.now()
		a.Login = NormalizeLogin(no.Login)
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE login = $1`, a.Login).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 || !loginPattern.MatchString(a.Login) {
			if a.Login, err = freeLogin(ctx, tx); err != nil {
				return err
			}
		}
		if a.ID, err = insertAccount(ctx, tx, a, now); err != nil {
			return err
		}
		if err := s.record(ctx, tx, ctID, domain.JournalOperator, "a créé l'opérateur "+a.FullName()+" (identifiant "+a.Login+") et lui a envoyé son invitation"); err != nil {
			return err
		}
		return s.invite(ctx, tx, a, no.TokenHash, no.TokenExpiry, now, compose)
	})
	if err != nil {
		return a, fmt.Errorf("store: create operator: %w", err)
	}
	return a, nil
}

// OperatorChange is what the principal saves on "Modifier un opérateur".
type OperatorChange struct {
	Fiche          domain.Fiche
	Prefs          domain.MailPrefs
	AddressChanged AddressChangedMail // nil: no e-mail when the courriel changes
}

// UpdateOperator saves the fiche and mail preferences of the operator id
// of the CT ctID, by its principal byID, under the recipients rule and
// unless it would make the operator the same person as another account.
// A new courriel ends every pending link of the operator (an invitation
// included: the principal sends it again to the new address) and queues
// the e-mail c.AddressChanged renders.
func (s *Store) UpdateOperator(ctx context.Context, ctID, byID, id int64, c OperatorChange) error {
	f, prefs := c.Fiche, c.Prefs
	f.Email = domain.NormalizeEmail(f.Email)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if derr := domain.CheckFicheText(f); derr != nil {
			return derr
		}
		accounts, err := principalLocked(ctx, tx, ctID, byID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(accounts, func(a domain.Account) bool { return a.ID == id && a.Role == domain.RoleOperator })
		if i < 0 {
			return ErrNotFound
		}
		before := accounts[i]
		accounts[i].Fiche, accounts[i].Prefs = f, prefs
		if err := checkRecipients(ctx, tx, accounts); err != nil {
			return err
		}
		if derr := domain.CheckNoDuplicate(accounts); derr != nil {
			return derr
		}
		now := s.now()
		const q = `UPDATE accounts SET civility = $3, last_name = $4, first_name = $5, function = $6, email = $7, phone = $8,
			updated_at = $9
			WHERE collectivity_id = $1 AND id = $2 AND role = 'operator'`
		if _, err := tx.ExecContext(ctx, q, ctID, id, f.Civility, f.LastName, f.FirstName, f.Function, f.Email, f.Phone, now); err != nil {
			return err
		}
		if err := writeAccountPrefs(ctx, tx, id, prefs); err != nil {
			return err
		}
		changed := domain.FicheChanges(before.Fiche, f)
		if !before.Prefs.Equal(prefs) {
			changed = append(changed, domain.FieldPrefs)
		}
		if len(changed) > 0 {
			if err := s.record(ctx, tx, ctID, domain.JournalOperator, "a modifié l'opérateur "+f.FullName(), fieldNames(changed)...); err != nil {
				return err
			}
		}
		return s.addressChanged(ctx, tx, before, accounts[i], c.AddressChanged, now)
	})
	if err != nil {
		return fmt.Errorf("store: update operator %d: %w", id, err)
	}
	return nil
}

// DeleteOperator deletes the operator id of the CT ctID, by its principal
// byID, unless a training type would be left without a recipient. Its
// login sessions and links go with it (foreign keys cascade). The person
// is told by the e-mail compose renders, unless it had refused the
// account: it never was an operator.
func (s *Store) DeleteOperator(ctx context.Context, ctID, byID, id int64, compose func(domain.Account) (mail.Message, error)) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		accounts, err := principalLocked(ctx, tx, ctID, byID)
		if err != nil {
			return err
		}
		rest := accounts[:0:0]
		var deleted *domain.Account
		for _, a := range accounts {
			if a.ID == id && a.Role == domain.RoleOperator {
				deleted = &a
				continue
			}
			rest = append(rest, a)
		}
		if deleted == nil {
			return ErrNotFound
		}
		if err := checkRecipients(ctx, tx, rest); err != nil {
			return err
		}
		// Designations aimed at this operator die with it (ON DELETE CASCADE).
		if _, err := tx.ExecContext(ctx, `DELETE FROM accounts WHERE collectivity_id = $1 AND id = $2 AND role = 'operator'`, ctID, id); err != nil {
			return err
		}
		if err := s.record(ctx, tx, ctID, domain.JournalOperator, "a supprimé l'opérateur "+deleted.FullName()); err != nil {
			return err
		}
		if deleted.State == domain.StateRefused {
			return nil
		}
		return enqueueLink(ctx, tx, compose, *deleted, time.Time{}, s.now())
	})
	if err != nil {
		return fmt.Errorf("store: delete operator %d: %w", id, err)
	}
	return nil
}
