package main

import (
	"context"
	"fmt"
	"io"

	"iel/internal/auth"
	"iel/internal/config"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// demoPassword is the password of the demo accounts whose codes work at once.
const demoPassword = "Demo-iel-2026"

// seedDemo fills an empty database with a few collectivités and prints how
// to sign in; on a database that has data it only says so.
func seedDemo(ctx context.Context, st *store.Store, hasher *auth.Hasher, composer *mail.Composer, cfg config.Config, stdout io.Writer) error {
	n, err := st.CountCollectivities(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(stdout, "iel : la base contient déjà %d collectivité(s) : pas de nouvelles données de démonstration.\n", n)
		return nil
	}
	hash, err := hasher.Hash(ctx, demoPassword)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "iel : données de démonstration :")
	ready := []struct {
		name, email string
		fiche       domain.Fiche
	}{
		{"Commune de Cholet", "rh@cholet.example.fr", domain.Fiche{Civility: domain.Madame, LastName: "Durand", FirstName: "Claire", Function: "Responsable formation", Email: "rh@cholet.example.fr", Phone: "0241000000"}},
		{"Département de Maine-et-Loire", "formation@maine-et-loire.example.fr", domain.Fiche{Civility: domain.Monsieur, LastName: "Martin", FirstName: "Paul", Function: "Chargé de formation", Email: "formation@maine-et-loire.example.fr", Phone: "0241818181"}},
	}
	for _, d := range ready {
		_, acc, err := st.CreateCollectivity(ctx, store.NewCollectivity{Name: d.name, Email: d.email, ManagerFiche: d.fiche, ManagerActive: true, PasswordHash: hash}, nil)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  %s – gestionnaire CT : identifiant %s, mot de passe %s\n", d.name, acc.Login, demoPassword)
	}
	acc, err := createCollectivity(ctx, st, composer, cfg.BaseURL, store.NewCollectivity{Name: "Commune de la Roche-sur-Yon", Email: "drh@larochesuryon.example.fr"})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  Commune de la Roche-sur-Yon – gestionnaire CT : identifiant %s, mot de passe à choisir par le lien du courriel « vos codes de connexion »\n", acc.Login)
	return nil
}
