package domain

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCheckTrainingContact(t *testing.T) {
	valid := func() TrainingContact {
		return TrainingContact{Fiche: Fiche{Civility: Madame, LastName: "Moreau", FirstName: "Anne", Function: "Responsable formation",
			Email: "a.moreau@cholet.example.fr", Phone: "02 41 49 25 10"}, Perimeter: "Filière technique"}
	}
	tests := []struct {
		name   string
		change func(*TrainingContact)
		want   map[Field]string
	}{
		{name: "valid", change: func(*TrainingContact) {}},
		{name: "no fonction, no téléphone, no périmètre", change: func(c *TrainingContact) { c.Function, c.Phone, c.Perimeter = " ", "  ", "" }},
		{name: "no civility", change: func(c *TrainingContact) { c.Civility = "" }, want: map[Field]string{FieldCivility: "Choisissez la civilité."}},
		{name: "no nom", change: func(c *TrainingContact) { c.LastName = " " }, want: map[Field]string{FieldLastName: "Saisissez le nom."}},
		{name: "no prénom", change: func(c *TrainingContact) { c.FirstName = "" }, want: map[Field]string{FieldFirstName: "Saisissez le prénom."}},
		{name: "no courriel", change: func(c *TrainingContact) { c.Email = "" }, want: map[Field]string{FieldEmail: "Saisissez l'adresse courriel."}},
		{name: "bad courriel", change: func(c *TrainingContact) { c.Email = "a.moreau@cholet" },
			want: map[Field]string{FieldEmail: "Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr."}},
		{name: "short téléphone", change: func(c *TrainingContact) { c.Phone = "02 41 49" },
			want: map[Field]string{FieldPhone: "Le numéro de téléphone doit comporter 10 chiffres, par exemple 02 41 00 00 00."}},
		{name: "fonction too long", change: func(c *TrainingContact) { c.Function = strings.Repeat("é", MaxText+1) },
			want: map[Field]string{FieldFunction: "La fonction ne doit pas dépasser 100 caractères."}},
		{name: "nom with a line break", change: func(c *TrainingContact) { c.LastName = "Mo\nreau" },
			want: map[Field]string{FieldLastName: "Le nom ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."}},
		{name: "périmètre with a tab", change: func(c *TrainingContact) { c.Perimeter = "Filière\ttechnique" },
			want: map[Field]string{FieldPerimeter: "Le périmètre ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."}},
		{name: "périmètre of 150 characters", change: func(c *TrainingContact) { c.Perimeter = strings.Repeat("é", MaxPerimeter) }},
		{name: "périmètre too long", change: func(c *TrainingContact) { c.Perimeter = strings.Repeat("é", MaxPerimeter+1) },
			want: map[Field]string{FieldPerimeter: "Le périmètre ne doit pas dépasser 150 caractères."}},
		{name: "everything missing", change: func(c *TrainingContact) { *c = TrainingContact{} }, want: map[Field]string{
			FieldCivility: "Choisissez la civilité.", FieldLastName: "Saisissez le nom.", FieldFirstName: "Saisissez le prénom.",
			FieldEmail: "Saisissez l'adresse courriel."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.change(&c)
			if diff := cmp.Diff(tt.want, fieldMessages(CheckTrainingContact(&c))); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCheckTrainingContactNormalizes(t *testing.T) {
	c := TrainingContact{Fiche: Fiche{Civility: Monsieur, LastName: " Roux ", FirstName: " Hugo", Function: " ",
		Email: " H.Roux@Cholet.EXAMPLE.fr ", Phone: " "}, Perimeter: "  Filière animation  "}
	if errs := CheckTrainingContact(&c); errs != nil {
		t.Fatalf("errors: %v", fieldMessages(errs))
	}
	want := TrainingContact{Fiche: Fiche{Civility: Monsieur, LastName: "Roux", FirstName: "Hugo", Email: "H.Roux@cholet.example.fr"},
		Perimeter: "Filière animation"}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("after CheckTrainingContact (-want +got):\n%s", diff)
	}
	c.Phone = "02.41.49.25.11"
	if errs := CheckTrainingContact(&c); errs != nil || c.Phone != "0241492511" {
		t.Errorf("phone stored as %q, errors %v", c.Phone, fieldMessages(errs))
	}
}

func TestTrainingContactPersonKey(t *testing.T) {
	a := TrainingContact{Fiche: Fiche{LastName: "Moreau", FirstName: "Anne", Email: "a.moreau@cholet.fr", Function: "DRH"}}
	b := TrainingContact{Fiche: Fiche{LastName: " MOREAU ", FirstName: "anne", Email: "A.Moreau@Cholet.fr", Phone: "0241000000"}, Perimeter: "Tout"}
	if strings.ContainsRune(a.PersonKey(), 0) {
		t.Errorf("PersonKey %q holds a NUL, which PostgreSQL refuses", a.PersonKey())
	}
	if a.PersonKey() != b.PersonKey() {
		t.Errorf("one person, two keys: %q, %q", a.PersonKey(), b.PersonKey())
	}
	b.FirstName = "Anna"
	if a.PersonKey() == b.PersonKey() {
		t.Error("two people, one key")
	}
}
