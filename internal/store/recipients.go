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
	out, err := recipientsIn(ctx, s.db, ctID, t)
	if err != nil {
		return nil, fmt.Errorf("store: recipients: %w", translate(err))
	}
	return out, nil
}
