package store

import (
	"context"
	"fmt"

	"iel/internal/domain"
)

// ListBilanCollectivities returns the CTs that registered agents at least
// once, by name: those whose "Bilan formation" staff may choose.
func (s *Store) ListBilanCollectivities(ctx context.Context) ([]domain.Collectivity, error) {
	const q = `SELECT c.id, c.name, c.email FROM collectivities c
		WHERE EXISTS (SELECT 1 FROM registrations r WHERE r.collectivity_id = c.id)
		ORDER BY c.name, c.id`
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("store: list bilan collectivities: %w", translate(err))
	}
	defer rows.Close()
	var out []domain.Collectivity
	for rows.Next() {
		var c domain.Collectivity
		if err := rows.Scan(&c.ID, &c.Name, &c.Email); err != nil {
			return nil, fmt.Errorf("store: list bilan collectivities: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list bilan collectivities: %w", err)
	}
	return out, nil
}
