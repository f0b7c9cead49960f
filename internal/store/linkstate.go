package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"iel/internal/domain"
)

// LinkDesignation names, for LinkState, the link of a designation (the
// other kinds are the token purposes).
const LinkDesignation = "designation"

// LinkState says, for the security log, what the link hash of kind is now:
// "unknown", "valid", "used" or "expired", and for a designation also
// "cancelled" or "replaced"; with the account it is for, when there is one
// (its ID, Login and CollectivityID only).
func (s *Store) LinkState(ctx context.Context, kind, hash string) (string, domain.Account, error) {
	now := s.now()
	var a domain.Account
	var expires int64
	state := "valid"
	var err error
	if kind == LinkDesignation {
		const q = `SELECT d.state, d.expires_at, d.collectivity_id, COALESCE(a.id, 0), COALESCE(a.login, '')
			FROM designations d LEFT JOIN accounts a ON a.id = d.target_account WHERE d.token_hash = $1`
		var st string
		err = s.db.QueryRowContext(ctx, q, hash).Scan(&st, &expires, &a.CollectivityID, &a.ID, &a.Login)
		switch st {
		case string(domain.DesignationAccepted), string(domain.DesignationRefused):
			state = "used"
		case "cancelled", "replaced":
			state = st
		}
	} else {
		const q = `SELECT t.expires_at, t.used_at, a.id, a.login, COALESCE(a.collectivity_id, 0)
			FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = $1 AND t.purpose = $2`
		var used sql.NullInt64
		err = s.db.QueryRowContext(ctx, q, hash, kind).Scan(&expires, &used, &a.ID, &a.Login, &a.CollectivityID)
		if used.Valid {
			state = "used"
		}
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "unknown", domain.Account{}, nil
	case err != nil:
		return "", a, fmt.Errorf("store: link state: %w", translate(err))
	case state == "valid" && expires <= now:
		state = "expired"
	}
	return state, a, nil
}
