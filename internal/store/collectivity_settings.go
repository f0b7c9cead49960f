package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"iel/internal/domain"
)

// GetCollectivitySettings returns the "PARAMÈTRES" of the CT ctID: its
// name and its coordinates, empty where nobody has filled them in yet.
func (s *Store) GetCollectivitySettings(ctx context.Context, ctID int64) (domain.CollectivitySettings, error) {
	cs, err := getSettings(ctx, s.db, ctID)
	if err != nil {
		return cs, fmt.Errorf("store: get collectivity settings %d: %w", ctID, translate(err))
	}
	return cs, nil
}

func getSettings(ctx context.Context, q queryer, ctID int64) (domain.CollectivitySettings, error) {
	const query = `SELECT name, siret, kind, street, address_complement, postcode, city, phone, headcount
		FROM collectivities WHERE id = $1`
	var cs domain.CollectivitySettings
	var headcount sql.NullInt64
	err := q.QueryRowContext(ctx, query, ctID).Scan(&cs.Name, &cs.SIRET, &cs.Kind, &cs.Street, &cs.Complement,
		&cs.Postcode, &cs.City, &cs.Phone, &headcount)
	if headcount.Valid {
		n := int(headcount.Int64)
		cs.Headcount = &n
	}
	return cs, err
}

// UpdateCollectivitySettings saves the coordinates of the CT ctID, all of
// them in one statement: two people saving at once each write a whole
// page, and the last one wins. cs.Name is ignored: the CT's name is not
// changed here. The rules of domain.CheckCollectivitySettings are checked
// again, and a SIRET another CT holds is refused (domain.ErrSIRETTaken).
func (s *Store) UpdateCollectivitySettings(ctx context.Context, ctID int64, cs domain.CollectivitySettings) error {
	if errs := domain.CheckCollectivitySettings(&cs); len(errs) > 0 {
		return fmt.Errorf("store: update collectivity settings %d: %w", ctID, errs[0])
	}
	var headcount sql.NullInt64
	if cs.Headcount != nil {
		headcount = sql.NullInt64{Int64: int64(*cs.Headcount), Valid: true}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := getSettings(ctx, tx, ctID)
		if err != nil {
			return err
		}
		const q = `UPDATE collectivities SET siret = $2, kind = $3, street = $4, address_complement = $5, postcode = $6,
			city = $7, phone = $8, headcount = $9 WHERE id = $1`
		if err := execOne(ctx, tx, q, ctID, cs.SIRET, string(cs.Kind), cs.Street, cs.Complement, cs.Postcode, cs.City, cs.Phone, headcount); err != nil {
			return err
		}
		changed := domain.SettingsChanges(before, cs)
		if len(changed) == 0 {
			return nil
		}
		return s.record(ctx, tx, ctID, domain.JournalCollectivity, "a modifié les paramètres de la collectivité", fieldNames(changed)...)
	})
	if errors.Is(err, ErrConflict) {
		// The SIRET's unique index judged, also between two CTs saving
		// one SIRET at the same instant; the columns' checks cannot fail
		// after the domain's.
		err = domain.ErrSIRETTaken
	}
	if err != nil {
		return fmt.Errorf("store: update collectivity settings %d: %w", ctID, err)
	}
	return nil
}

// GetCollectivityByName returns the CT of that name, as NameKey compares
// names: the demo data finds the CTs it created by their names.
func (s *Store) GetCollectivityByName(ctx context.Context, name string) (domain.Collectivity, error) {
	var c domain.Collectivity
	err := s.db.QueryRowContext(ctx, `SELECT id, name, email FROM collectivities WHERE name_key = $1`, domain.NameKey(name)).Scan(&c.ID, &c.Name, &c.Email)
	if err != nil {
		return c, fmt.Errorf("store: get collectivity %q: %w", name, translate(err))
	}
	return c, nil
}
