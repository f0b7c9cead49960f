package store

import (
	"context"
	"database/sql"
	"fmt"

	"iel/internal/domain"
)

// GetCollectivityAccounts returns the collectivity named name (compared
// as names are kept unique: case and runs of spaces aside) and all its
// accounts, oldest first. "iel serve --demo" run again on its database
// reprints the demo's logins with it; ErrNotFound when there is no such
// collectivity.
func (s *Store) GetCollectivityAccounts(ctx context.Context, name string) (domain.Collectivity, []domain.Account, error) {
	var ct domain.Collectivity
	var accounts []domain.Account
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		const q = `SELECT id, name, email FROM collectivities WHERE name_key = $1`
		if err := tx.QueryRowContext(ctx, q, domain.NameKey(name)).Scan(&ct.ID, &ct.Name, &ct.Email); err != nil {
			return err
		}
		var err error
		accounts, err = listAccounts(ctx, tx, ct.ID)
		return err
	})
	if err != nil {
		return domain.Collectivity{}, nil, fmt.Errorf("store: get accounts of collectivity %q: %w", name, err)
	}
	return ct, accounts, nil
}
