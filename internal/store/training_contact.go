package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"iel/internal/domain"
)

// The "CORRESPONDANTS FORMATION" of a CT. Every method takes the CT's id
// and reaches no correspondant of another CT: an id of another CT is
// ErrNotFound.

const contactColumns = `id, collectivity_id, civility, last_name, first_name, function, email, phone, perimeter`

func scanContact(sc scanner) (domain.TrainingContact, error) {
	var c domain.TrainingContact
	err := sc.Scan(&c.ID, &c.CollectivityID, &c.Civility, &c.LastName, &c.FirstName, &c.Function, &c.Email, &c.Phone, &c.Perimeter)
	return c, err
}

// ListTrainingContacts returns the correspondants of the CT ctID in the
// order they were added: the caller sorts them the French way.
func (s *Store) ListTrainingContacts(ctx context.Context, ctID int64) ([]domain.TrainingContact, error) {
	const q = `SELECT ` + contactColumns + ` FROM training_contacts WHERE collectivity_id = $1 ORDER BY id`
	rows, err := s.db.QueryContext(ctx, q, ctID)
	if err != nil {
		return nil, fmt.Errorf("store: list training contacts: %w", translate(err))
	}
	defer rows.Close()
	var out []domain.TrainingContact
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list training contacts: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list training contacts: %w", err)
	}
	return out, nil
}

// CountTrainingContacts tells how many correspondants the CT ctID has.
func (s *Store) CountTrainingContacts(ctx context.Context, ctID int64) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM training_contacts WHERE collectivity_id = $1`, ctID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count training contacts: %w", err)
	}
	return n, nil
}

// GetTrainingContact returns the correspondant id of the CT ctID.
func (s *Store) GetTrainingContact(ctx context.Context, ctID, id int64) (domain.TrainingContact, error) {
	c, err := getContact(ctx, s.db, ctID, id)
	if err != nil {
		return c, fmt.Errorf("store: get training contact %d: %w", id, translate(err))
	}
	return c, nil
}

// CreateTrainingContact adds a correspondant to the CT ctID, under the
// rules of domain.CheckTrainingContact, unless the person already is one
// (domain.ErrSameContact) or the CT has MaxTrainingContacts of them
// (domain.ErrTooManyContacts). It returns the correspondant as stored.
func (s *Store) CreateTrainingContact(ctx context.Context, ctID int64, c domain.TrainingContact) (domain.TrainingContact, error) {
	if errs := domain.CheckTrainingContact(&c); len(errs) > 0 {
		return c, fmt.Errorf("store: create training contact: %w", errs[0])
	}
	c.CollectivityID = ctID
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		// The count and the insert see each other across concurrent additions.
		if err := lockCollectivity(ctx, tx, ctID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM training_contacts WHERE collectivity_id = $1`, ctID).Scan(&n); err != nil {
			return err
		}
		if n >= domain.MaxTrainingContacts {
			return domain.ErrTooManyContacts
		}
		now := s.now()
		const q = `INSERT INTO training_contacts (collectivity_id, civility, last_name, first_name, function, email, phone, perimeter,
			person_key, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`
		if err := tx.QueryRowContext(ctx, q, ctID, string(c.Civility), c.LastName, c.FirstName, c.Function, c.Email, c.Phone, c.Perimeter,
			c.PersonKey(), now).Scan(&c.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, ctID, domain.JournalContact, "a ajouté le correspondant formation "+c.FullName())
	})
	if errors.Is(err, ErrConflict) {
		// The person's unique index judged, also between two additions at once.
		err = domain.ErrSameContact
	}
	if err != nil {
		return c, fmt.Errorf("store: create training contact: %w", err)
	}
	return c, nil
}

// UpdateTrainingContact saves the correspondant c.ID of the CT ctID, under
// the rules of domain.CheckTrainingContact, unless it would make it the
// same person as another correspondant of the CT.
func (s *Store) UpdateTrainingContact(ctx context.Context, ctID int64, c domain.TrainingContact) error {
	if errs := domain.CheckTrainingContact(&c); len(errs) > 0 {
		return fmt.Errorf("store: update training contact %d: %w", c.ID, errs[0])
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		before, err := getContact(ctx, tx, ctID, c.ID)
		if err != nil {
			return err
		}
		const q = `UPDATE training_contacts SET civility = $3, last_name = $4, first_name = $5, function = $6, email = $7, phone = $8,
			perimeter = $9, person_key = $10, updated_at = $11 WHERE collectivity_id = $1 AND id = $2`
		if err := execOne(ctx, tx, q, ctID, c.ID, string(c.Civility), c.LastName, c.FirstName, c.Function, c.Email, c.Phone,
			c.Perimeter, c.PersonKey(), s.now()); err != nil {
			return err
		}
		changed := domain.FicheChanges(before.Fiche, c.Fiche)
		if before.Perimeter != c.Perimeter {
			changed = append(changed, domain.FieldPerimeter)
		}
		if len(changed) == 0 {
			return nil
		}
		return s.record(ctx, tx, ctID, domain.JournalContact, "a modifié le correspondant formation "+c.FullName(), fieldNames(changed)...)
	})
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrNotFound
	}
	if errors.Is(err, ErrConflict) {
		err = domain.ErrSameContact
	}
	if err != nil {
		return fmt.Errorf("store: update training contact %d: %w", c.ID, err)
	}
	return nil
}

// DeleteTrainingContact removes the correspondant id of the CT ctID.
func (s *Store) DeleteTrainingContact(ctx context.Context, ctID, id int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		c, err := getContact(ctx, tx, ctID, id)
		if err != nil {
			return err
		}
		if err := execOne(ctx, tx, `DELETE FROM training_contacts WHERE collectivity_id = $1 AND id = $2`, ctID, id); err != nil {
			return err
		}
		return s.record(ctx, tx, ctID, domain.JournalContact, "a supprimé le correspondant formation "+c.FullName())
	})
	if err != nil {
		return fmt.Errorf("store: delete training contact %d: %w", id, translate(err))
	}
	return nil
}

func getContact(ctx context.Context, q queryer, ctID, id int64) (domain.TrainingContact, error) {
	const query = `SELECT ` + contactColumns + ` FROM training_contacts WHERE collectivity_id = $1 AND id = $2`
	return scanContact(q.QueryRowContext(ctx, query, ctID, id))
}
