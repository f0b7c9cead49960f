package main

import (
	"context"
	"fmt"

	"iel/internal/domain"
	"iel/internal/store"
)

// demoCTData is what the demo gives each CT beyond its accounts: its
// "PARAMÈTRES" and its "CORRESPONDANTS FORMATION". The SIRETs pass their
// Luhn key; the phones are as made up as the addresses' e-mails.
var demoCTData = []struct {
	name     string
	settings domain.CollectivitySettings
	contacts []domain.TrainingContact
}{
	{
		name: "Commune de Cholet",
		settings: domain.CollectivitySettings{SIRET: "21490099500017", Kind: domain.KindCommune,
			Address: domain.Address{Street: "Rue Saint-Bonaventure", Complement: "Hôtel de ville", Postcode: "49300", City: "Cholet"},
			Phone:   "0241000100", Headcount: new(1450)},
		contacts: []domain.TrainingContact{
			{Fiche: domain.Fiche{Civility: domain.Madame, LastName: "Fabre", FirstName: "Élodie", Function: "Chargée de formation",
				Email: "e.fabre@cholet.example.fr", Phone: "0241000110"}, Perimeter: "Toutes filières"},
			{Fiche: domain.Fiche{Civility: domain.Monsieur, LastName: "Benali", FirstName: "Karim", Function: "Chef de service",
				Email: "k.benali@cholet.example.fr"}, Perimeter: "Police municipale"},
		},
	},
	{
		name: "Département de Maine-et-Loire",
		settings: domain.CollectivitySettings{SIRET: "22490001900015", Kind: domain.KindDepartement,
			Address: domain.Address{Street: "Place Michel-Debré", Complement: "Hôtel du Département", Postcode: "49000", City: "Angers"},
			Phone:   "0241818100", Headcount: new(2300)},
		contacts: []domain.TrainingContact{
			{Fiche: domain.Fiche{Civility: domain.Madame, LastName: "Girard", FirstName: "Nathalie", Function: "Responsable du service formation",
				Email: "nathalie.girard@maine-et-loire.example.fr", Phone: "0241818190"}, Perimeter: "Toutes filières"},
			{Fiche: domain.Fiche{Civility: domain.Monsieur, LastName: "Lefèvre", FirstName: "Thomas", Function: "Référent formation",
				Email: "thomas.lefevre@maine-et-loire.example.fr", Phone: "0241818191"}, Perimeter: "Filière technique : collèges et routes"},
			{Fiche: domain.Fiche{Civility: domain.Madame, LastName: "Chevalier", FirstName: "Inès", Function: "Assistante formation",
				Email: "ines.chevalier@maine-et-loire.example.fr"}, Perimeter: "Filière médico-sociale"},
		},
	},
	{
		name: "Commune de la Roche-sur-Yon",
		settings: domain.CollectivitySettings{SIRET: "21850191400012", Kind: domain.KindCommune,
			Address: domain.Address{Street: "Place du Théâtre", Postcode: "85000", City: "La Roche-sur-Yon"},
			Phone:   "0251000100", Headcount: new(1100)},
	},
}

// seedCTData gives the demo's CTs, once created, their "PARAMÈTRES" and
// their correspondants, through the store's own checks.
func seedCTData(ctx context.Context, st *store.Store) error {
	for _, d := range demoCTData {
		ct, accounts, err := st.GetCollectivityAccounts(ctx, d.name)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		ctx := holderCtx(ctx, accounts)
		if err := st.UpdateCollectivitySettings(ctx, ct.ID, d.settings); err != nil {
			return fmt.Errorf("demo: paramètres of %s: %w", d.name, err)
		}
		for _, c := range d.contacts {
			if _, err := st.CreateTrainingContact(ctx, ct.ID, c); err != nil {
				return fmt.Errorf("demo: correspondant of %s: %w", d.name, err)
			}
		}
	}
	return nil
}

// holderCtx is ctx acting as the CT's active holder (its historical
// manager or its principal), who fills in PARAMÈTRES and the
// correspondants in the demo's story; a CT whose holder has not signed in
// yet gets them from the command line.
func holderCtx(ctx context.Context, accounts []domain.Account) context.Context {
	for _, a := range accounts {
		if a.IsHolder() && a.State == domain.StateActive {
			return as(ctx, a)
		}
	}
	return ctx
}
