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

const designationColumns = `id, collectivity_id, COALESCE(designated_by, 0), COALESCE(target_account, 0), civility, last_name,
	first_name, function, email, phone, ` + designationPrefsColumn + `, state, comment, created_at, sent_at, expires_at, answered_at`

func scanDesignation(row scanner) (domain.Designation, error) {
	var d domain.Designation
	var created, sent, expires int64
	var answered sql.NullInt64
	var prefs string
	err := row.Scan(&d.ID, &d.CollectivityID, &d.DesignatedBy, &d.TargetAccount, &d.Civility, &d.LastName,
		&d.FirstName, &d.Function, &d.Email, &d.Phone, &prefs, &d.State, &d.Comment,
		&created, &sent, &expires, &answered)
	d.CreatedAt, d.SentAt, d.ExpiresAt, d.AnsweredAt = time.Unix(created, 0), time.Unix(sent, 0), time.Unix(expires, 0), fromUnix(answered)
	d.Prefs = prefsOf(prefs)
	return d, err
}

// CreateDesignation records the designation d of a new principal by the
// account byID of the CT ctID, replacing (and so killing the link of) any
// pending one, after checking that its person has no other account the
// change would keep (d.CheckPerson) and the recipients rule on the
// accounts as they would be once d is accepted; it queues the e-mail
// compose renders, and the one replaced renders to the person of the
// designation replaced, if another person.
func (s *Store) CreateDesignation(ctx context.Context, ctID, byID int64, d domain.Designation, tokenHash string, expiry time.Time, compose, replaced func(domain.Designation) (mail.Message, error)) (domain.Designation, error) {
	d.Email = domain.NormalizeEmail(d.Email)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if derr := domain.CheckFicheText(d.Fiche); derr != nil {
			return derr
		}
		if err := lockCollectivity(ctx, tx, ctID); err != nil {
			return err
		}
		if err := requireHolder(ctx, tx, ctID, byID); err != nil {
			return err
		}
		accounts, err := listAccounts(ctx, tx, ctID)
		if err != nil {
			return err
		}
		now := s.now()
		var old domain.Designation
		d, old, err = insertDesignation(ctx, tx, ctID, byID, d, accounts, tokenHash, expiry, now)
		if err != nil {
			return err
		}
		if err := tellReplaced(ctx, tx, old, d, replaced, now); err != nil {
			return err
		}
		what := "a désigné " + d.FullName() + " comme gestionnaire principal CT"
		if d.TargetAccount != 0 {
			what = "a désigné l'opérateur " + d.FullName() + " comme gestionnaire principal CT"
		}
		if err := s.record(ctx, tx, ctID, domain.JournalPrincipal, what); err != nil {
			return err
		}
		return enqueueLink(ctx, tx, compose, d, expiry, now)
	})
	if err != nil {
		return domain.Designation{}, fmt.Errorf("store: create designation: %w", err)
	}
	return d, nil
}

// insertDesignation records in tx the designation d of a new principal of
// the CT ctID by the account byID, pending, in place of any pending one
// (whose link dies), after the checks every way of designating shares:
// an operator designated is active, the person has no other account the
// change would keep (d.CheckPerson), and the recipients rule holds on
// the accounts as they would be once d is accepted. accounts are the
// CT's, read in tx once the CT is locked; now is the time of the change.
// It also returns the designation replaced (zero when none was pending).
func insertDesignation(ctx context.Context, tx *sql.Tx, ctID, byID int64, d domain.Designation, accounts []domain.Account, tokenHash string, expiry time.Time, now int64) (domain.Designation, domain.Designation, error) {
	var old domain.Designation
	d.CollectivityID, d.DesignatedBy, d.State = ctID, byID, domain.DesignationPending
	if d.TargetAccount != 0 && !hasActiveOperator(accounts, d.TargetAccount) {
		return d, old, domain.ErrOperatorNotDesignable
	}
	if derr := d.CheckPerson(accounts); derr != nil {
		return d, old, derr
	}
	if err := checkRecipients(ctx, tx, domain.AfterAcceptance(accounts, d)); err != nil {
		return d, old, err
	}
	old, err := scanDesignation(tx.QueryRowContext(ctx, `SELECT `+designationColumns+` FROM designations WHERE collectivity_id = $1 AND state = 'pending'`, ctID))
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return d, old, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE designations SET state = 'replaced', answered_at = $2 WHERE collectivity_id = $1 AND state = 'pending'`, ctID, now); err != nil {
		return d, old, err
	}
	const q = `INSERT INTO designations (collectivity_id, designated_by, target_account, civility, last_name, first_name,
		function, email, phone, token_hash, state, created_at, sent_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $11, $12) RETURNING id`
	target := sql.NullInt64{Int64: d.TargetAccount, Valid: d.TargetAccount != 0}
	if err := tx.QueryRowContext(ctx, q, ctID, byID, target, d.Civility, d.LastName, d.FirstName, d.Function, d.Email,
		d.Phone, tokenHash, now, expiry.Unix()).Scan(&d.ID); err != nil {
		return d, old, err
	}
	if err := writeDesignationPrefs(ctx, tx, d.ID, d.Prefs); err != nil {
		return d, old, err
	}
	d.CreatedAt, d.SentAt, d.ExpiresAt = time.Unix(now, 0), time.Unix(now, 0), time.Unix(expiry.Unix(), 0)
	return d, old, nil
}

// tellReplaced queues, in tx, the e-mail compose renders to the person of
// the designation old that d replaced, unless none was pending or d offers
// the role to the same address (its new link says all).
func tellReplaced(ctx context.Context, tx *sql.Tx, old, d domain.Designation, compose func(domain.Designation) (mail.Message, error), now int64) error {
	if old.ID == 0 || old.Email == d.Email {
		return nil
	}
	m, err := compose(old)
	if err != nil {
		return err
	}
	return enqueue(ctx, tx, m, now)
}

func hasActiveOperator(accounts []domain.Account, id int64) bool {
	for _, a := range accounts {
		if a.ID == id {
			return a.Role == domain.RoleOperator && a.State == domain.StateActive
		}
	}
	return false
}

// GetPendingDesignation returns the pending designation of the CT ctID, or ErrNotFound.
func (s *Store) GetPendingDesignation(ctx context.Context, ctID int64) (domain.Designation, error) {
	const q = `SELECT ` + designationColumns + ` FROM designations WHERE collectivity_id = $1 AND state = 'pending'`
	d, err := scanDesignation(s.db.QueryRowContext(ctx, q, ctID))
	if err != nil {
		return d, fmt.Errorf("store: get pending designation: %w", translate(err))
	}
	return d, nil
}

// ResendDesignation sends the pending designation of the CT ctID again
// with a new link (the old one dies) valid until expiry.
func (s *Store) ResendDesignation(ctx context.Context, ctID, byID int64, tokenHash string, expiry time.Time, compose func(domain.Designation) (mail.Message, error)) (domain.Designation, error) {
	var d domain.Designation
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := lockCollectivity(ctx, tx, ctID); err != nil {
			return err
		}
		if err := requireHolder(ctx, tx, ctID, byID); err != nil {
			return err
		}
		now := s.now()
		const q = `UPDATE designations SET token_hash = $2, sent_at = $3, expires_at = $4
			WHERE collectivity_id = $1 AND state = 'pending' RETURNING ` + designationColumns
		var err error
		d, err = scanDesignation(tx.QueryRowContext(ctx, q, ctID, tokenHash, now, expiry.Unix()))
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNoPendingDesignation
		}
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, ctID, domain.JournalPrincipal, "a renvoyé la désignation de "+d.FullName()+" comme gestionnaire principal CT"); err != nil {
			return err
		}
		return enqueueLink(ctx, tx, compose, d, expiry, now)
	})
	if err != nil {
		return d, fmt.Errorf("store: resend designation: %w", err)
	}
	return d, nil
}

// CancelDesignation cancels the pending designation of the CT ctID, by
// its holder byID: its link dies, and the designated person is told by the
// e-mail compose renders. It returns the cancelled designation.
func (s *Store) CancelDesignation(ctx context.Context, ctID, byID int64, compose func(domain.Designation) (mail.Message, error)) (domain.Designation, error) {
	var d domain.Designation
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := lockCollectivity(ctx, tx, ctID); err != nil {
			return err
		}
		if err := requireHolder(ctx, tx, ctID, byID); err != nil {
			return err
		}
		now := s.now()
		const q = `UPDATE designations SET state = 'cancelled', answered_at = $2 WHERE collectivity_id = $1 AND state = 'pending'
			RETURNING ` + designationColumns
		var err error
		d, err = scanDesignation(tx.QueryRowContext(ctx, q, ctID, now))
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNoPendingDesignation
		}
		if err != nil {
			return err
		}
		if err := s.record(ctx, tx, ctID, domain.JournalPrincipal, "a annulé la désignation de "+d.FullName()+" comme gestionnaire principal CT"); err != nil {
			return err
		}
		return enqueueLink(ctx, tx, compose, d, time.Time{}, now)
	})
	if err != nil {
		return d, fmt.Errorf("store: cancel designation: %w", err)
	}
	return d, nil
}

// GetDesignationByToken returns the designation a link is for and its CT,
// or a domain error of kind Gone saying why it cannot be answered.
func (s *Store) GetDesignationByToken(ctx context.Context, hash string) (domain.Designation, domain.Collectivity, error) {
	const q = `SELECT ` + designationColumns + ` FROM designations WHERE token_hash = $1`
	d, err := scanDesignation(s.db.QueryRowContext(ctx, q, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return d, domain.Collectivity{}, fmt.Errorf("store: get designation: %w", domain.ErrDesignationLinkUnknown)
	}
	if err != nil {
		return d, domain.Collectivity{}, fmt.Errorf("store: get designation: %w", err)
	}
	if derr := d.Gone(s.Now()); derr != nil {
		return d, domain.Collectivity{}, fmt.Errorf("store: get designation: %w", derr)
	}
	ct, err := s.GetCollectivity(ctx, d.CollectivityID)
	return d, ct, err
}

// GetDesignationOutcome returns the designation the link hash answered
// (accepted or refused) and its CT, or ErrNotFound when no answer used the
// link: unknown, still pending, expired, cancelled or replaced. Its page
// then shows the answer, not a dead link.
func (s *Store) GetDesignationOutcome(ctx context.Context, hash string) (domain.Designation, domain.Collectivity, error) {
	const q = `SELECT ` + designationColumns + ` FROM designations WHERE token_hash = $1 AND state IN ('accepted', 'refused')`
	d, err := scanDesignation(s.db.QueryRowContext(ctx, q, hash))
	if err != nil {
		return d, domain.Collectivity{}, fmt.Errorf("store: get designation outcome: %w", translate(err))
	}
	ct, err := getCollectivity(ctx, s.db, d.CollectivityID)
	if err != nil {
		return d, ct, fmt.Errorf("store: get designation outcome: %w", translate(err))
	}
	return d, ct, nil
}

// DesignationAnswer is the designated person's answer to the link TokenHash.
type DesignationAnswer struct {
	TokenHash string
	Accept    bool
	Comment   string
	// On acceptance, the new principal's set-password link.
	PasswordTokenHash string
	PasswordExpiry    time.Time
}

// DesignationMails renders the e-mails an answer causes.
type DesignationMails struct {
	// Accepted is for the new principal: its identifiant and set-password link.
	Accepted func(d domain.Designation, ct domain.Collectivity, login string) (mail.Message, error)
	// Answer is for the previous holder: what the designated person answered.
	Answer func(d domain.Designation, ct domain.Collectivity, previous domain.Account) (mail.Message, error)
}

// AnswerDesignation records the answer, once: of concurrent answers to one
// link, one wins and the others get Gone. On acceptance, in the same
// transaction, the designated person becomes the principal (a new account
// with a new identifiant, or the targeted operator), the historical
// manager is closed (its sessions and links end) or the previous principal
// becomes an operator. Either way the previous holder is told.
func (s *Store) AnswerDesignation(ctx context.Context, a DesignationAnswer, mails DesignationMails) (domain.Designation, domain.Account, error) {
	var d domain.Designation
	var principal domain.Account
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if derr := domain.CheckComment(a.Comment); derr != nil {
			return derr
		}
		now := s.now()
		var ctID int64
		err := tx.QueryRowContext(ctx, `SELECT collectivity_id FROM designations WHERE token_hash = $1`, a.TokenHash).Scan(&ctID)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrDesignationLinkUnknown
		}
		if err != nil {
			return err
		}
		// The CT first, then the designation: every writer takes them in this order.
		if err := lockCollectivity(ctx, tx, ctID); err != nil {
			return err
		}
		state := domain.DesignationRefused
		if a.Accept {
			state = domain.DesignationAccepted
		}
		const use = `UPDATE designations SET state = $2, comment = $3, answered_at = $4
			WHERE token_hash = $1 AND state = 'pending' AND expires_at > $4 RETURNING ` + designationColumns
		d, err = scanDesignation(tx.QueryRowContext(ctx, use, a.TokenHash, state, a.Comment, now))
		if errors.Is(err, sql.ErrNoRows) {
			cur, err := scanDesignation(tx.QueryRowContext(ctx, `SELECT `+designationColumns+` FROM designations WHERE token_hash = $1`, a.TokenHash))
			if err != nil {
				return err
			}
			if derr := cur.Gone(time.Unix(now, 0)); derr != nil {
				return derr
			}
			return errors.New("designation neither pending nor gone")
		}
		if err != nil {
			return err
		}
		ct, err := getCollectivity(ctx, tx, ctID)
		if err != nil {
			return err
		}
		previous, err := holder(ctx, tx, ctID)
		if err != nil {
			return fmt.Errorf("holder of collectivity %d: %w", ctID, err)
		}
		if !a.Accept {
			if err := s.record(asPersonNamed(ctx, d.FullName()), tx, ctID, domain.JournalPrincipal, "a refusé d'être gestionnaire principal CT"); err != nil {
				return err
			}
		}
		if a.Accept {
			if principal, err = s.promote(ctx, tx, d, now, a); err != nil {
				return err
			}
			what := "a accepté d'être gestionnaire principal CT ; le compte gestionnaire CT de " + previous.FullName() + " est fermé"
			if previous.Role == domain.RolePrincipal {
				what = "a accepté d'être gestionnaire principal CT ; " + previous.FullName() + " devient opérateur"
			}
			if err := s.record(asPersonOf(ctx, principal), tx, ctID, domain.JournalPrincipal, what); err != nil {
				return err
			}
			m, err := mails.Accepted(d, ct, principal.Login)
			if err != nil {
				return err
			}
			m.ExpiresAt = a.PasswordExpiry
			if err := enqueue(ctx, tx, m, now); err != nil {
				return err
			}
		}
		m, err := mails.Answer(d, ct, previous)
		if err != nil {
			return err
		}
		return enqueue(ctx, tx, m, now)
	})
	if err != nil {
		return d, principal, fmt.Errorf("store: answer designation: %w", err)
	}
	return d, principal, nil
}

// promote applies an accepted designation (see AnswerDesignation).
func (s *Store) promote(ctx context.Context, tx *sql.Tx, d domain.Designation, now int64, a DesignationAnswer) (domain.Account, error) {
	accounts, err := listAccounts(ctx, tx, d.CollectivityID)
	if err != nil {
		return domain.Account{}, err
	}
	d.Email = domain.NormalizeEmail(d.Email)
	if derr := d.CheckPerson(accounts); derr != nil {
		return domain.Account{}, domain.StaleDesignation(derr)
	}
	types, err := listTypes(ctx, tx)
	if err != nil {
		return domain.Account{}, err
	}
	if derr := domain.CheckRecipients(types, domain.AfterAcceptance(accounts, d)); derr != nil {
		return domain.Account{}, domain.StaleDesignation(derr)
	}
	for _, acc := range accounts {
		switch {
		case acc.Role == domain.RoleManager && acc.State != domain.StateClosed:
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET state = 'closed', updated_at = $2 WHERE id = $1`, acc.ID, now); err != nil {
				return domain.Account{}, err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM login_sessions WHERE account_id = $1`, acc.ID); err != nil {
				return domain.Account{}, err
			}
			if err := killLinks(ctx, tx, acc.ID, now); err != nil {
				return domain.Account{}, err
			}
		case acc.Role == domain.RolePrincipal:
			// Demoted before the new principal exists: the unique index allows one at a time.
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET role = 'operator', updated_at = $2 WHERE id = $1`, acc.ID, now); err != nil {
				return domain.Account{}, err
			}
		}
	}
	p := domain.Account{CollectivityID: d.CollectivityID, Role: domain.RolePrincipal, State: domain.StateActive, Fiche: d.Fiche, Prefs: d.Prefs}
	if d.TargetAccount != 0 {
		const q = `UPDATE accounts SET role = 'principal', state = 'active', civility = $3, last_name = $4, first_name = $5,
			function = $6, email = $7, phone = $8, updated_at = $9
			WHERE collectivity_id = $1 AND id = $2 RETURNING ` + accountColumns
		p, err = scanAccount(tx.QueryRowContext(ctx, q, d.CollectivityID, d.TargetAccount, d.Civility, d.LastName, d.FirstName,
			d.Function, d.Email, d.Phone, now))
		if err != nil {
			return p, err
		}
		if err := writeAccountPrefs(ctx, tx, p.ID, d.Prefs); err != nil {
			return p, err
		}
		p.Prefs = d.Prefs
	} else {
		if p.Login, err = freeLogin(ctx, tx); err != nil {
			return p, err
		}
		if p.ID, err = insertAccount(ctx, tx, p, now); err != nil {
			return p, err
		}
	}
	// An operator's links went to the address it had before: they end.
	if err := killLinks(ctx, tx, p.ID, now); err != nil {
		return p, err
	}
	return p, insertToken(ctx, tx, a.PasswordTokenHash, PurposePassword, p.ID, now, a.PasswordExpiry.Unix())
}
