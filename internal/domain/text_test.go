package domain

import (
	"strings"
	"testing"
)

func TestIsPlain(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		line      bool // IsPlainLine
		multiline bool // IsPlainText
	}{
		{"empty", "", true, true},
		{"french", "Élise d'Aubigné-Lefèvre", true, true},
		{"emoji and CJK", "Zoé 🌻 东京", true, true},
		{"no-break space", "Saint\u00a0Malo", true, true},
		{"NUL", "Du\x00pont", false, false},
		{"invalid UTF-8", "Dupont\xff", false, false},
		{"truncated UTF-8", "Lef\xc3", false, false},
		{"LF", "ligne 1\nligne 2", false, true},
		{"CR LF", "ligne 1\r\nligne 2", false, true},
		{"CR alone", "ligne 1\rligne 2", false, false},
		{"CR at the end", "fin\r", false, false},
		{"tab", "a\tb", false, false},
		{"escape", "a\x1b[31mb", false, false},
		{"DEL", "a\x7fb", false, false},
		{"C1 control", "a\u0085b", false, false},
		{"line separator", "a\u2028b", false, false},
		{"paragraph separator", "a\u2029b", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsPlainLine(tt.in); got != tt.line {
				t.Errorf("IsPlainLine(%q) = %v, want %v", tt.in, got, tt.line)
			}
			if got := IsPlainText(tt.in); got != tt.multiline {
				t.Errorf("IsPlainText(%q) = %v, want %v", tt.in, got, tt.multiline)
			}
		})
	}
}

func TestCheckFicheText(t *testing.T) {
	const nom = "Le nom ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."
	tests := []struct {
		name   string
		change func(*Fiche)
		want   map[Field]string // CheckFiche's errors
	}{
		{"NUL in nom", func(f *Fiche) { f.LastName = "Du\x00rand" }, map[Field]string{FieldLastName: nom}},
		{"invalid UTF-8 in nom", func(f *Fiche) { f.LastName = "Durand\xff" }, map[Field]string{FieldLastName: nom}},
		{"line break in prénom", func(f *Fiche) { f.FirstName = "Claire\nMarie" }, map[Field]string{FieldFirstName: "Le prénom ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."}},
		{"tab in fonction", func(f *Fiche) { f.Function = "Responsable\tformation" }, map[Field]string{FieldFunction: "La fonction ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."}},
		{"CR in courriel", func(f *Fiche) { f.Email = "rh@cholet.fr\rBcc: x@y.fr" }, map[Field]string{FieldEmail: "L'adresse courriel ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."}},
		{"blanks around are trimmed, not refused", func(f *Fiche) { f.LastName = "\tDurand\r\n" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validFiche()
			tt.change(&f)
			if got := fieldMessages(CheckFiche(&f)); !equalMessages(got, tt.want) {
				t.Errorf("CheckFiche errors = %v, want %v", got, tt.want)
			}
			// The store's guard agrees on the fiche CheckFiche normalized.
			derr := CheckFicheText(f)
			switch {
			case tt.want == nil && derr != nil:
				t.Errorf("CheckFicheText = %v, want nil", derr)
			case tt.want != nil && (derr == nil || tt.want[derr.Field] != derr.Message || derr.Kind != Invalid):
				t.Errorf("CheckFicheText = %+v, want one of %v", derr, tt.want)
			}
		})
	}
	if derr := CheckFicheText(validFiche()); derr != nil {
		t.Errorf("CheckFicheText(valid) = %v", derr)
	}
}

func equalMessages(a, b map[Field]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestCheckComment(t *testing.T) {
	const (
		bad  = "Le commentaire ne doit contenir ni tabulation, ni caractère de contrôle ou illisible."
		long = "Le commentaire ne doit pas dépasser 2000 caractères."
	)
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"lines", "Merci.\r\nÀ bientôt,\nClaire", ""},
		{"2000 characters", strings.Repeat("é", MaxComment), ""},
		{"2001 characters", strings.Repeat("é", MaxComment+1), long},
		{"NUL", "Merci\x00", bad},
		{"invalid UTF-8", "Merci \xe9", bad},
		{"tab", "Merci\tbeaucoup", bad},
		{"CR alone", "Merci\rbeaucoup", bad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			derr := CheckComment(tt.in)
			got := ""
			if derr != nil {
				got = derr.Message
				if derr.Kind != Invalid || derr.Field != FieldComment {
					t.Errorf("error = %+v, want Invalid on the comment", derr)
				}
			}
			if got != tt.want {
				t.Errorf("CheckComment = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckCollectivity(t *testing.T) {
	tests := []struct {
		name      string
		in        Collectivity
		want      map[Field]string
		wantName  string
		wantEmail string
	}{
		{"valid, normalized", Collectivity{Name: "  Commune de   Cholet ", Email: " Mairie@CHOLET.fr "}, nil, "Commune de Cholet", "Mairie@cholet.fr"},
		{"empty", Collectivity{}, map[Field]string{FieldName: "Saisissez le nom de la collectivité.", FieldEmail: "Saisissez l'adresse courriel de la collectivité."}, "", ""},
		{"NUL in the name", Collectivity{Name: "Commune\x00de Cholet", Email: "m@cholet.fr"},
			map[Field]string{FieldName: "Le nom de la collectivité ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."}, "Commune\x00de Cholet", "m@cholet.fr"},
		{"line breaks fold into spaces", Collectivity{Name: "Commune\nde Cholet", Email: "m@cholet.fr"}, nil, "Commune de Cholet", "m@cholet.fr"},
		{"name too long", Collectivity{Name: strings.Repeat("a", MaxCollectivityName+1), Email: "m@cholet.fr"},
			map[Field]string{FieldName: "Le nom de la collectivité ne doit pas dépasser 150 caractères."}, strings.Repeat("a", MaxCollectivityName+1), "m@cholet.fr"},
		{"bad address", Collectivity{Name: "Commune de Cholet", Email: "mairie@cholet"},
			map[Field]string{FieldEmail: "Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr."}, "Commune de Cholet", "mairie@cholet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.in
			if got := fieldMessages(CheckCollectivity(&c)); !equalMessages(got, tt.want) {
				t.Errorf("errors = %v, want %v", got, tt.want)
			}
			if c.Name != tt.wantName || c.Email != tt.wantEmail {
				t.Errorf("normalized to %q, %q; want %q, %q", c.Name, c.Email, tt.wantName, tt.wantEmail)
			}
		})
	}
}
