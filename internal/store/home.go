package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"iel/internal/domain"
)

// Home is what the home page ("Accueil") of the accounts of a CT reads
// about their CT: what awaits an answer, and the CT's numbers. The caller
// shows each account what its role may see.
type Home struct {
	// Designation is the pending designation of a principal, nil when none.
	Designation *PendingDesignation
	// Invitations are the operators invited who have not answered yet, unsorted.
	Invitations []PendingInvitation
	Counts      HomeCounts
}

// PendingDesignation is a designation awaiting its answer, and whether
// its link expired unanswered.
type PendingDesignation struct {
	domain.Designation
	Expired bool
}

// PendingInvitation is an operator's invitation awaiting its answer: who
// it is for, when its link was sent, until when it works, and whether it
// no longer does.
type PendingInvitation struct {
	AccountID         int64
	Fiche             domain.Fiche // civility, names and courriel only
	SentAt, ExpiresAt time.Time
	Expired           bool
}

// HomeCounts are the CT's numbers: its accounts by state (the closed
// historical manager is no longer one), its correspondants formation.
type HomeCounts struct {
	ActiveAccounts, InactiveAccounts, RefusedAccounts int
	Contacts                                          int
	Agents                                            int // those still in the CT
}

// GetHome reads the home page of the CT ctID: its pending designation,
// its operators' pending invitations (expired ones included, until they
// are resent or the operator deleted), and its numbers, as of now.
func (s *Store) GetHome(ctx context.Context, ctID int64) (Home, error) {
	var h Home
	now := s.now()
	// Every number in one query, each a count of the CT's rows.
	c := &h.Counts
	counts := []struct {
		query string
		into  *int
	}{
		{`SELECT count(*) FROM accounts WHERE collectivity_id = $1 AND state = 'active'`, &c.ActiveAccounts},
		{`SELECT count(*) FROM accounts WHERE collectivity_id = $1 AND state = 'inactive'`, &c.InactiveAccounts},
		{`SELECT count(*) FROM accounts WHERE collectivity_id = $1 AND state = 'refused'`, &c.RefusedAccounts},
		{`SELECT count(*) FROM training_contacts WHERE collectivity_id = $1`, &c.Contacts},
		{`SELECT count(*) FROM agents WHERE collectivity_id = $1 AND left_at IS NULL`, &c.Agents},
	}
	cols, into := make([]string, len(counts)), make([]any, len(counts))
	for i, n := range counts {
		cols[i], into[i] = "("+n.query+")", n.into
	}
	if err := s.db.QueryRowContext(ctx, "SELECT "+strings.Join(cols, ", "), ctID).Scan(into...); err != nil {
		return h, fmt.Errorf("store: get home: counts: %w", translate(err))
	}

	const designation = `SELECT ` + designationColumns + ` FROM designations WHERE collectivity_id = $1 AND state = 'pending'`
	d, err := scanDesignation(s.db.QueryRowContext(ctx, designation, ctID))
	switch {
	case err == nil:
		h.Designation = &PendingDesignation{Designation: d, Expired: d.ExpiresAt.Unix() <= now}
	case !errors.Is(err, sql.ErrNoRows):
		return h, fmt.Errorf("store: get home: designation: %w", translate(err))
	}

	// An operator has at most one unused invitation link: each new one
	// kills the others, the answer uses it.
	const invitations = `SELECT a.id, a.civility, a.last_name, a.first_name, a.email, t.created_at, t.expires_at
		FROM accounts a JOIN tokens t ON t.account_id = a.id
		WHERE a.collectivity_id = $1 AND a.role = 'operator' AND a.state = 'inactive'
			AND t.purpose = 'invitation' AND t.used_at IS NULL
		ORDER BY a.id`
	rows, err := s.db.QueryContext(ctx, invitations, ctID)
	if err != nil {
		return h, fmt.Errorf("store: get home: invitations: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		var inv PendingInvitation
		var sent, expires int64
		f := &inv.Fiche
		if err := rows.Scan(&inv.AccountID, &f.Civility, &f.LastName, &f.FirstName, &f.Email, &sent, &expires); err != nil {
			return h, fmt.Errorf("store: get home: invitations: %w", err)
		}
		inv.SentAt, inv.ExpiresAt, inv.Expired = time.Unix(sent, 0), time.Unix(expires, 0), expires <= now
		h.Invitations = append(h.Invitations, inv)
	}
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("store: get home: invitations: %w", err)
	}
	return h, nil
}
