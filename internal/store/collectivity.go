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

// NewCollectivity is what creating a CT needs: its name and address, and
// the set-password link of its historical manager.
type NewCollectivity struct {
	Name          string
	Email         string
	TokenHash     string
	TokenExpiry   time.Time
	ManagerFiche  domain.Fiche // optional: demo data fills it
	ManagerActive bool         // demo data: the codes work at once (a password hash is given)
	PasswordHash  string
}

// CreateCollectivity creates a CT and its historical "gestionnaire CT"
// account with a generated identifiant, and queues the e-mail compose
// renders for that identifiant, all in one transaction.
func (s *Store) CreateCollectivity(ctx context.Context, nc NewCollectivity, compose func(login string) (mail.Message, error)) (domain.Collectivity, domain.Account, error) {
	ct := domain.Collectivity{Name: nc.Name, Email: nc.Email}
	var acc domain.Account
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if errs := domain.CheckCollectivity(&ct); errs != nil {
			return errs[0]
		}
		if derr := domain.CheckFicheText(nc.ManagerFiche); derr != nil {
			return derr
		}
		now := s.now()
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM collectivities WHERE name_key = $1`, domain.NameKey(ct.Name)).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return domain.ErrCollectivityNameTaken
		}
		const q = `INSERT INTO collectivities (name, name_key, email, created_at) VALUES ($1, $2, $3, $4) RETURNING id`
		if err := tx.QueryRowContext(ctx, q, ct.Name, domain.NameKey(ct.Name), ct.Email, now).Scan(&ct.ID); err != nil {
			return err
		}
		types, err := listTypes(ctx, tx)
		if err != nil {
			return err
		}
		acc = domain.Account{
			CollectivityID: ct.ID,
			Role:           domain.RoleManager,
			State:          domain.StateInactive,
			Fiche:          nc.ManagerFiche,
			Prefs:          domain.AllPrefs(domain.Codes(types)), // the manager receives every type

			PasswordHash: nc.PasswordHash,
		}
		acc.Email = ct.Email
		if nc.ManagerActive {
			acc.State = domain.StateActive
		}
		if acc.Login, err = freeLogin(ctx, tx); err != nil {
			return err
		}
		if acc.ID, err = insertAccount(ctx, tx, acc, now); err != nil {
			return err
		}
		what := "a créé la collectivité « " + ct.Name + " » et son compte gestionnaire CT (identifiant " + acc.Login + ")"
		if err := s.record(ctx, tx, ct.ID, domain.JournalCollectivity, what, domain.FieldLabel(domain.FieldName), domain.FieldLabel(domain.FieldEmail)); err != nil {
			return err
		}
		if nc.TokenHash != "" {
			if err := insertToken(ctx, tx, nc.TokenHash, PurposePassword, acc.ID, now, nc.TokenExpiry.Unix()); err != nil {
				return err
			}
		}
		if compose == nil {
			return nil
		}
		var expiry time.Time
		if nc.TokenHash != "" {
			expiry = nc.TokenExpiry
		}
		return enqueueLink(ctx, tx, compose, acc.Login, expiry, now)
	})
	if errors.Is(err, ErrConflict) {
		// Two creations of one name at the same instant: the unique index judged.
		err = domain.ErrCollectivityNameTaken
	}
	if err != nil {
		return domain.Collectivity{}, domain.Account{}, fmt.Errorf("store: create collectivity: %w", err)
	}
	return ct, acc, nil
}

// GetCollectivity returns the CT ctID.
func (s *Store) GetCollectivity(ctx context.Context, ctID int64) (domain.Collectivity, error) {
	c, err := getCollectivity(ctx, s.db, ctID)
	if err != nil {
		return c, fmt.Errorf("store: get collectivity %d: %w", ctID, translate(err))
	}
	return c, nil
}

// CountCollectivities tells how many CTs exist (the demo seeds an empty database only).
func (s *Store) CountCollectivities(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM collectivities`).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count collectivities: %w", err)
	}
	return n, nil
}
func getCollectivity(ctx context.Context, q queryer, ctID int64) (domain.Collectivity, error) {
	var c domain.Collectivity
	err := q.QueryRowContext(ctx, `SELECT id, name, email FROM collectivities WHERE id = $1`, ctID).Scan(&c.ID, &c.Name, &c.Email)
	return c, err
}
