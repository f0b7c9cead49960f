package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"iel/internal/domain"
	"iel/internal/store"
)

// demoAgents is how many agents the demo gives the Département de
// Maine-et-Loire: four pages of the list.
const demoAgents = 200

// demoAgentsLeft are the demo agents who left the CT, by their rank.
var demoAgentsLeft = map[int]bool{17: true, 58: true, 99: true, 131: true, 164: true, 190: true}

var (
	demoLastNames = []string{
		"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
		"Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
		"Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Faure", "André", "Mercier", "Blanc",
		"Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Perrin", "Robin", "Clément",
		"Morin", "Nicolas", "Henry", "Mathieu", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Lemaire",
		"Noël", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet",
		"Gaillard", "Barbier", "Arnaud", "Roche", "Renard", "Leroux", "Colin", "Caron", "Picard", "Aubert",
		"Lemoine", "Renaud", "Lacroix", "Bourgeois", "Le Gall", "Le Goff", "Ménard", "Bellanger", "Cesbron", "Chupin",
		"Bazin", "Brault", "Gourdon", "Oger", "Sécher", "Pasquier", "Delaunay", "Hamon", "Tessier", "Étienne",
	}
	demoFirstNames = []struct {
		name     string
		civility domain.Civility
	}{
		{"Camille", domain.Madame}, {"Léa", domain.Madame}, {"Manon", domain.Madame}, {"Chloé", domain.Madame}, {"Inès", domain.Madame},
		{"Sarah", domain.Madame}, {"Emma", domain.Madame}, {"Julie", domain.Madame}, {"Hélène", domain.Madame}, {"Nathalie", domain.Madame},
		{"Isabelle", domain.Madame}, {"Sandrine", domain.Madame}, {"Sophie", domain.Madame}, {"Céline", domain.Madame}, {"Anaïs", domain.Madame},
		{"Aurélie", domain.Madame}, {"Valérie", domain.Madame}, {"Marie-Claire", domain.Madame}, {"Élodie", domain.Madame}, {"Laëtitia", domain.Madame},
		{"Françoise", domain.Madame}, {"Gaëlle", domain.Madame}, {"Océane", domain.Madame}, {"Justine", domain.Madame}, {"Margaux", domain.Madame},
		{"Lucas", domain.Monsieur}, {"Hugo", domain.Monsieur}, {"Louis", domain.Monsieur}, {"Thomas", domain.Monsieur}, {"Nicolas", domain.Monsieur},
		{"Julien", domain.Monsieur}, {"Sébastien", domain.Monsieur}, {"Frédéric", domain.Monsieur}, {"Stéphane", domain.Monsieur}, {"Laurent", domain.Monsieur},
		{"Olivier", domain.Monsieur}, {"Jérôme", domain.Monsieur}, {"Éric", domain.Monsieur}, {"Jean-Pierre", domain.Monsieur}, {"François", domain.Monsieur},
		{"Mathieu", domain.Monsieur}, {"Antoine", domain.Monsieur}, {"Maxime", domain.Monsieur}, {"Kévin", domain.Monsieur}, {"Noé", domain.Monsieur},
		{"Yannick", domain.Monsieur}, {"Loïc", domain.Monsieur}, {"Gwenaël", domain.Monsieur}, {"Benoît", domain.Monsieur}, {"Théo", domain.Monsieur},
	}
	// The grades of the demo, by category, the most frequent first.
	demoGrades = map[domain.Category][]string{
		domain.CategoryA: {"Attaché", "Attaché principal", "Ingénieur", "Ingénieur principal", "Conseiller socio-éducatif", "Attaché de conservation du patrimoine"},
		domain.CategoryB: {"Rédacteur", "Rédacteur principal de 2e classe", "Rédacteur principal de 1re classe", "Technicien", "Technicien principal de 2e classe",
			"Animateur", "Éducateur des activités physiques et sportives"},
		domain.CategoryC: {"Adjoint administratif", "Adjoint administratif principal de 2e classe", "Adjoint technique", "Adjoint technique principal de 2e classe",
			"Adjoint technique principal de 1re classe", "Agent de maîtrise", "Adjoint d'animation", "Agent social", "Adjoint technique des établissements d'enseignement"},
	}
)

// demoAgent is the i-th agent of the demo: the same at every run.
func demoAgent(i int) domain.Agent {
	first := demoFirstNames[(i*23)%len(demoFirstNames)]
	a := domain.Agent{Civility: first.civility, LastName: demoLastNames[(i*37)%len(demoLastNames)], FirstName: first.name}
	// Born between 1962 and 2003, one agent every 75 days.
	a.BirthDate = time.Date(1962, 1, 3, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 75*i)
	switch r := i % 10; {
	case r < 2:
		a.Category = domain.CategoryA
	case r < 5:
		a.Category = domain.CategoryB
	default:
		a.Category = domain.CategoryC
	}
	grades := demoGrades[a.Category]
	a.Grade = grades[(i*7)%len(grades)]
	// Appointed between 20 and 34, and before 2025.
	a.AppointedOn = a.BirthDate.AddDate(20+i%15, 0, 0)
	a.AppointedOn = time.Date(a.AppointedOn.Year(), a.AppointedOn.Month(), 1, 0, 0, 0, 0, time.UTC)
	if last := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC); a.AppointedOn.After(last) {
		a.AppointedOn = last
	}
	switch {
	case i%13 == 5:
		a.Status = domain.Contractuel
	case a.AppointedOn.Year() >= 2025:
		a.Status = domain.Stagiaire
	default:
		a.Status = domain.Titulaire
	}
	// Three agents in five have a professional address.
	if i%5 < 3 {
		local := strings.ReplaceAll(domain.SearchFold(a.FirstName), " ", "-") + "." + strings.ReplaceAll(domain.SearchFold(a.LastName), " ", "-")
		a.Email = local + "@maine-et-loire.example.fr"
	}
	return a
}

// seedDemoAgents gives the CT ct its demo agents, a few of whom left it.
func seedDemoAgents(ctx context.Context, st *store.Store, ct domain.Collectivity) error {
	for i := range demoAgents {
		a, err := st.CreateAgent(ctx, ct.ID, demoAgent(i))
		if err != nil {
			return fmt.Errorf("demo agent %d: %w", i, err)
		}
		if demoAgentsLeft[i] {
			if _, err := st.SetAgentLeft(ctx, ct.ID, a.ID, true); err != nil {
				return err
			}
		}
	}
	return nil
}
