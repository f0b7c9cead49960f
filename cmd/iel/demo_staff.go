package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/store"
)

// demoStaffEmail is the address of the demo's agent of the CNFPT, Camille Leroux.
const demoStaffEmail = "camille.leroux@cnfpt.example.fr"

// seedDemoStaff makes the demo's agent of the CNFPT, its codes working at
// once with the demo password.
func seedDemoStaff(ctx context.Context, st *store.Store, hash string) error {
	_, err := st.CreateStaff(store.WithActor(ctx, domain.CommandLine),
		store.NewStaff{FirstName: "Camille", LastName: "Leroux", Email: demoStaffEmail, PasswordHash: hash}, nil)
	return err
}

// printDemoStaff prints how to sign in as the demo's agent of the CNFPT,
// as printDemoLogins does for the collectivités' accounts.
func printDemoStaff(ctx context.Context, st *store.Store, hasher *auth.Hasher, stdout io.Writer) (int, error) {
	staff, err := st.ListStaff(ctx)
	if err != nil {
		return 0, err
	}
	printed := 0
	for _, a := range staff {
		if a.Email != demoStaffEmail || !a.CanLogIn() {
			continue
		}
		password := "mot de passe " + demoPassword
		if err := hasher.Verify(ctx, demoPassword, a.PasswordHash); errors.Is(err, auth.ErrMismatch) {
			password = "mot de passe changé depuis la démonstration"
		} else if err != nil {
			return printed, err
		}
		fmt.Fprintf(stdout, "  CNFPT – %s %s : identifiant %s, %s\n", a.Role.Label(), a.FullName(), a.Login, password)
		printed++
	}
	return printed, nil
}
