package domain

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		wantOK bool
	}{
		{name: "spaces", in: "02 41 00 00 00", want: "0241000000", wantOK: true},
		{name: "dots", in: "02.41.00.00.00", want: "0241000000", wantOK: true},
		{name: "dashes", in: "02-41-00-00-00", want: "0241000000", wantOK: true},
		{name: "no-break spaces", in: "02\u00a041\u00a000\u00a000\u00a000", want: "0241000000", wantOK: true},
		{name: "digits only", in: "0241000000", want: "0241000000", wantOK: true},
		{name: "mobile", in: "06 12 34 56 78", want: "0612345678", wantOK: true},
		{name: "9 digits", in: "024100000", wantOK: false},
		{name: "11 digits", in: "02410000000", wantOK: false},
		{name: "letters", in: "02 41 AB 00 00", wantOK: false},
		{name: "international", in: "+33 2 41 00 00 00", wantOK: false},
		{name: "international 10 digits", in: "+332410000", wantOK: false},
		{name: "parentheses", in: "(02) 41 00 00 00", wantOK: false},
		{name: "empty", in: "", wantOK: false},
		{name: "blank", in: "   ", wantOK: false},
		{name: "arabic-indic digits", in: "٠٢٤١٠٠٠٠٠٠", wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NormalizePhone(tt.in)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Errorf("NormalizePhone(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestFormatPhone(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "ten digits", in: "0241000000", want: "02 41 00 00 00"},
		{name: "round trip", in: must(NormalizePhone("02.41.81.81.81")), want: "02 41 81 81 81"},
		{name: "short left alone", in: "02410", want: "02410"},
		{name: "empty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatPhone(tt.in); got != tt.want {
				t.Errorf("FormatPhone(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func must(s string, ok bool) string {
	if !ok {
		panic("bad phone in test table")
	}
	return s
}

func TestValidEmail(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{name: "plain", in: "prenom.nom@mairie.fr", want: true},
		{name: "subdomain", in: "rh@cholet.example.fr", want: true},
		{name: "plus and dash", in: "drh+formation@la-roche-sur-yon.fr", want: true},
		{name: "upper case", in: "Claire.Durand@Mairie.FR", want: true},
		{name: "empty", in: "", want: false},
		{name: "no at", in: "prenom.nom.mairie.fr", want: false},
		{name: "no local part", in: "@mairie.fr", want: false},
		{name: "no domain", in: "prenom@", want: false},
		{name: "domain without dot", in: "prenom@mairie", want: false},
		{name: "domain starts with dot", in: "prenom@.mairie.fr", want: false},
		{name: "domain ends with dot", in: "prenom@mairie.fr.", want: false},
		{name: "two dots in domain", in: "prenom@mairie..fr", want: false},
		{name: "two dots in local part", in: "prenom..nom@mairie.fr", want: false},
		{name: "two ats", in: "a@b@mairie.fr", want: false},
		{name: "space", in: "prenom nom@mairie.fr", want: false},
		{name: "leading space", in: " prenom@mairie.fr", want: false},
		{name: "display name", in: "Claire Durand <claire@mairie.fr>", want: false},
		{name: "angle brackets", in: "<claire@mairie.fr>", want: false},
		{name: "quoted local part", in: `"claire durand"@mairie.fr`, want: false},
		{name: "header injection", in: "claire@mairie.fr\r\nBcc: x@y.fr", want: false},
		{name: "comma list", in: "a@mairie.fr,b@mairie.fr", want: false},
		// 64 + 1 + 2×(62+1) + 60 + 3 = 254 bytes, every label within DNS's 63.
		{name: "254 bytes", in: strings.Repeat("a", 64) + "@" + strings.Repeat(strings.Repeat("b", 62)+".", 2) + strings.Repeat("c", 60) + ".fr", want: true},
		{name: "255 bytes", in: strings.Repeat("a", 64) + "@" + strings.Repeat(strings.Repeat("b", 62)+".", 2) + strings.Repeat("c", 61) + ".fr", want: false},
		{name: "label of 64 bytes", in: "a@" + strings.Repeat("b", 64) + ".fr", want: false},
		{name: "label starting with a hyphen", in: "a@-b.fr", want: false},
		{name: "label ending with a hyphen", in: "a@b-.fr", want: false},
		{name: "address literal", in: "a@[1.2.3.4]", want: false},
		{name: "accented domain", in: "a@mairie-élancourt.fr", want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidEmail(tt.in); got != tt.want {
				t.Errorf("ValidEmail(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func validFiche() Fiche {
	return Fiche{Civility: Madame, LastName: "Durand", FirstName: "Claire", Function: "Responsable formation",
		Email: "rh@cholet.example.fr", Phone: "02 41 00 00 00"}
}

func TestCheckFiche(t *testing.T) {
	const (
		phoneMsg = "Le numéro de téléphone doit comporter 10 chiffres, par exemple 02 41 00 00 00."
		emailMsg = "Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr."
	)
	long := strings.Repeat("é", MaxText+1)
	tests := []struct {
		name   string
		change func(*Fiche)
		want   map[Field]string // nil: valid
	}{
		{name: "valid", change: func(*Fiche) {}},
		{name: "no civility", change: func(f *Fiche) { f.Civility = "" }, want: map[Field]string{FieldCivility: "Choisissez la civilité."}},
		{name: "bad civility", change: func(f *Fiche) { f.Civility = "Mlle" }, want: map[Field]string{FieldCivility: "Choisissez la civilité."}},
		{name: "no nom", change: func(f *Fiche) { f.LastName = "" }, want: map[Field]string{FieldLastName: "Saisissez le nom."}},
		{name: "blank nom", change: func(f *Fiche) { f.LastName = " \t " }, want: map[Field]string{FieldLastName: "Saisissez le nom."}},
		{name: "nom too long", change: func(f *Fiche) { f.LastName = long }, want: map[Field]string{FieldLastName: "Le nom ne doit pas dépasser 100 caractères."}},
		{name: "nom of 100 runes", change: func(f *Fiche) { f.LastName = strings.Repeat("é", MaxText) }},
		{name: "no prénom", change: func(f *Fiche) { f.FirstName = "" }, want: map[Field]string{FieldFirstName: "Saisissez le prénom."}},
		{name: "prénom too long", change: func(f *Fiche) { f.FirstName = long }, want: map[Field]string{FieldFirstName: "Le prénom ne doit pas dépasser 100 caractères."}},
		{name: "no fonction", change: func(f *Fiche) { f.Function = "  " }, want: map[Field]string{FieldFunction: "Saisissez la fonction."}},
		{name: "fonction too long", change: func(f *Fiche) { f.Function = long }, want: map[Field]string{FieldFunction: "La fonction ne doit pas dépasser 100 caractères."}},
		{name: "no courriel", change: func(f *Fiche) { f.Email = "" }, want: map[Field]string{FieldEmail: "Saisissez l'adresse courriel."}},
		{name: "bad courriel", change: func(f *Fiche) { f.Email = "rh@cholet" }, want: map[Field]string{FieldEmail: emailMsg}},
		{name: "no téléphone", change: func(f *Fiche) { f.Phone = " " }, want: map[Field]string{FieldPhone: "Saisissez le numéro de téléphone."}},
		{name: "short téléphone", change: func(f *Fiche) { f.Phone = "02 41 00" }, want: map[Field]string{FieldPhone: phoneMsg}},
		{name: "international téléphone", change: func(f *Fiche) { f.Phone = "+33 2 41 00 00 00" }, want: map[Field]string{FieldPhone: phoneMsg}},
		{name: "everything missing", change: func(f *Fiche) { *f = Fiche{} }, want: map[Field]string{
			FieldCivility: "Choisissez la civilité.", FieldLastName: "Saisissez le nom.", FieldFirstName: "Saisissez le prénom.",
			FieldFunction: "Saisissez la fonction.", FieldEmail: "Saisissez l'adresse courriel.",
			FieldPhone: "Saisissez le numéro de téléphone."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validFiche()
			tt.change(&f)
			errs := CheckFiche(&f)
			if diff := cmp.Diff(tt.want, fieldMessages(errs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			for _, e := range errs {
				if e.Kind != Invalid {
					t.Errorf("error on %s has kind %v, want Invalid", e.Field, e.Kind)
				}
			}
		})
	}
}

func TestCheckFicheNormalizes(t *testing.T) {
	f := Fiche{Civility: Monsieur, LastName: "  Martin ", FirstName: "\tPaul\n", Function: " Chargé de formation ",
		Email: " Formation@Maine-et-Loire.EXAMPLE.fr ", Phone: " 02.41.81.81.81 "}
	if errs := CheckFiche(&f); errs != nil {
		t.Fatalf("errors: %v", fieldMessages(errs))
	}
	want := Fiche{Civility: Monsieur, LastName: "Martin", FirstName: "Paul", Function: "Chargé de formation",
		Email: "Formation@maine-et-loire.example.fr", Phone: "0241818181"}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("fiche after CheckFiche (-want +got):\n%s", diff)
	}
}

// fieldMessages is errs as a map, nil when there is none.
func fieldMessages(errs []*Error) map[Field]string {
	if len(errs) == 0 {
		return nil
	}
	m := map[Field]string{}
	for _, e := range errs {
		if _, dup := m[e.Field]; dup {
			panic("two errors on field " + string(e.Field))
		}
		m[e.Field] = e.Message
	}
	return m
}

func TestChecker(t *testing.T) {
	var c Checker
	if !c.Valid() {
		t.Fatal("zero Checker is not valid")
	}
	c.Check(true, "nom", "jamais")
	c.Check(false, "nom", "premier")
	c.Check(false, "nom", "second")
	c.Check(false, "prenom", "autre")
	want := map[string]string{"nom": "premier", "prenom": "autre"}
	if diff := cmp.Diff(want, c.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if c.Valid() {
		t.Error("Valid() after failed checks")
	}
}

func TestParseCivility(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   Civility
		wantOK bool
	}{
		{name: "monsieur", in: "M", want: Monsieur, wantOK: true},
		{name: "madame", in: "Mme", want: Madame, wantOK: true},
		{name: "label refused", in: "Madame", wantOK: false},
		{name: "lower case refused", in: "mme", wantOK: false},
		{name: "empty", in: "", wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseCivility(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ParseCivility(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
