package store

import (
	"context"
	"fmt"

	"iel/internal/domain"
)

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
