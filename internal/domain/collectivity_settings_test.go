package domain

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalizeSIRET(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		wantOK bool
	}{
		{name: "valid", in: "21490099500017", want: "21490099500017", wantOK: true},
		{name: "valid, grouped as INSEE does", in: "214 900 995 00017", want: "21490099500017", wantOK: true},
		{name: "valid, spaces anywhere", in: " 2149 0099 5000 17 ", want: "21490099500017", wantOK: true},
		{name: "valid, no-break spaces", in: "224\u00a0900\u00a0019\u202f00015", want: "22490001900015", wantOK: true},
		{name: "another valid", in: "218 501 914 00012", want: "21850191400012", wantOK: true},
		{name: "bad key", in: "214 900 995 00018", wantOK: false},
		{name: "two digits swapped", in: "214 900 959 00017", wantOK: false},
		{name: "13 digits", in: "2149009950001", wantOK: false},
		{name: "15 digits", in: "214900995000170", wantOK: false},
		{name: "15 digits whose Luhn holds", in: "021490099500017", wantOK: false},
		{name: "letters", in: "2149OO99500017", wantOK: false},
		{name: "dots", in: "214.900.995.00017", wantOK: false},
		{name: "dashes", in: "214-900-995-00017", wantOK: false},
		{name: "tab", in: "214\t900995\t00017", wantOK: false},
		{name: "fullwidth digits", in: "２１４９００９９５０００１７", wantOK: false},
		{name: "empty", in: "", wantOK: false},
		{name: "spaces only", in: "   ", wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := NormalizeSIRET(tt.in)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Errorf("NormalizeSIRET(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestLuhn(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"21490099500017", true},
		{"22490001900015", true},
		{"73282932000074", true}, // the SIRET INSEE gives as its example
		{"21490099500016", false},
		{"79927398713", true}, // the classic Luhn example
		{"79927398710", false},
		{"00000000000000", true},
	}
	for _, tt := range tests {
		if got := luhn(tt.in); got != tt.want {
			t.Errorf("luhn(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFormatSIRET(t *testing.T) {
	tests := []struct{ in, want string }{
		{"21490099500017", "214 900 995 00017"},
		{"", ""},
		{"2149009950001", "2149009950001"},
	}
	for _, tt := range tests {
		if got := FormatSIRET(tt.in); got != tt.want {
			t.Errorf("FormatSIRET(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseCollectivityKind(t *testing.T) {
	for _, k := range CollectivityKinds {
		got, ok := ParseCollectivityKind(string(k))
		if !ok || got != k || k.Label() == "" {
			t.Errorf("ParseCollectivityKind(%q) = %q, %v; label %q", k, got, ok, k.Label())
		}
	}
	if len(CollectivityKinds) != 9 {
		t.Errorf("%d kinds, want the issue's nine", len(CollectivityKinds))
	}
	for _, s := range []string{"", "Commune", "mairie", "autre "} {
		if _, ok := ParseCollectivityKind(s); ok {
			t.Errorf("ParseCollectivityKind(%q) accepted", s)
		}
	}
}

func TestParseHeadcount(t *testing.T) {
	n := func(i int) *int { return &i }
	tests := []struct {
		name string
		in   string
		want *int
		err  string
	}{
		{name: "empty", in: "", want: nil},
		{name: "blank", in: "  ", want: nil},
		{name: "zero", in: "0", want: n(0)},
		{name: "number", in: "350", want: n(350)},
		{name: "grouped", in: "1 200", want: n(1200)},
		{name: "the bound", in: "200000", want: n(200000)},
		{name: "above the bound", in: "200001", err: "L'effectif ne peut pas dépasser 200 000 agents."},
		{name: "overflow", in: "99999999999999999999999", err: "L'effectif ne peut pas dépasser 200 000 agents."},
		{name: "negative", in: "-3", err: "L'effectif doit être un nombre entier d'agents, par exemple 350."},
		{name: "decimal", in: "12,5", err: "L'effectif doit être un nombre entier d'agents, par exemple 350."},
		{name: "words", in: "environ 300", err: "L'effectif doit être un nombre entier d'agents, par exemple 350."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHeadcount(tt.in)
			var msg string
			if err != nil {
				msg = err.Message
				if err.Field != FieldHeadcount || err.Kind != Invalid {
					t.Errorf("error field %q kind %d", err.Field, err.Kind)
				}
			}
			if msg != tt.err || !cmp.Equal(got, tt.want) {
				t.Errorf("ParseHeadcount(%q) = %v, %q; want %v, %q", tt.in, got, msg, tt.want, tt.err)
			}
		})
	}
}

func TestCheckCollectivitySettings(t *testing.T) {
	n := func(i int) *int { return &i }
	valid := func() CollectivitySettings {
		return CollectivitySettings{Name: "Commune de Cholet", SIRET: " 214 900 995 00017 ", Kind: KindCommune,
			Address: Address{Street: " Hôtel de ville, place Jean-Moulin ", Complement: "BP 32135", Postcode: "49321", City: " Cholet "},
			Phone:   "02 41 49 25 00", Headcount: n(1450)}
	}
	tests := []struct {
		name   string
		change func(*CollectivitySettings)
		want   map[Field]string // the message of each field refused
	}{
		{name: "valid", change: func(*CollectivitySettings) {}},
		{name: "only what is required", change: func(s *CollectivitySettings) {
			s.Address, s.Phone, s.Headcount = Address{}, "", nil
		}},
		{name: "postcode typed with a space", change: func(s *CollectivitySettings) { s.Postcode = "49 321" }},
		{name: "no headcount, zero agents", change: func(s *CollectivitySettings) { s.Headcount = n(0) }},
		{name: "SIRET missing", change: func(s *CollectivitySettings) { s.SIRET = "  " },
			want: map[Field]string{FieldSIRET: "Saisissez le SIRET de la collectivité."}},
		{name: "SIRET with a bad key", change: func(s *CollectivitySettings) { s.SIRET = "214 900 995 00018" },
			want: map[Field]string{FieldSIRET: "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez chacun des 14 chiffres."}},
		{name: "SIRET of 13 digits", change: func(s *CollectivitySettings) { s.SIRET = "214 900 995 0001" },
			want: map[Field]string{FieldSIRET: "Le SIRET doit comporter 14 chiffres, par exemple 214 900 995 00017."}},
		{name: "SIRET of 15 digits", change: func(s *CollectivitySettings) { s.SIRET = "214 900 995 000170" },
			want: map[Field]string{FieldSIRET: "Le SIRET doit comporter 14 chiffres, par exemple 214 900 995 00017."}},
		{name: "SIRET with letters", change: func(s *CollectivitySettings) { s.SIRET = "214 9OO 995 00017" },
			want: map[Field]string{FieldSIRET: "Le SIRET ne doit contenir que des chiffres (14), par exemple 214 900 995 00017."}},
		{name: "kind missing", change: func(s *CollectivitySettings) { s.Kind = "" },
			want: map[Field]string{FieldKind: "Choisissez le type de collectivité."}},
		{name: "kind unknown", change: func(s *CollectivitySettings) { s.Kind = "mairie" },
			want: map[Field]string{FieldKind: "Choisissez un type de collectivité de la liste."}},
		{name: "address without street", change: func(s *CollectivitySettings) { s.Street = "" },
			want: map[Field]string{FieldStreet: "Saisissez la voie (numéro et nom de la rue) : l'adresse est incomplète."}},
		{name: "complement alone", change: func(s *CollectivitySettings) { s.Address = Address{Complement: "BP 32135"} },
			want: map[Field]string{
				FieldStreet:   "Saisissez la voie (numéro et nom de la rue) : l'adresse est incomplète.",
				FieldPostcode: "Saisissez le code postal : l'adresse est incomplète.",
				FieldCity:     "Saisissez la commune : l'adresse est incomplète.",
			}},
		{name: "postcode of 4 digits", change: func(s *CollectivitySettings) { s.Postcode = "4932" },
			want: map[Field]string{FieldPostcode: "Le code postal doit comporter 5 chiffres, par exemple 49300."}},
		{name: "postcode with a letter", change: func(s *CollectivitySettings) { s.Postcode = "2A004" },
			want: map[Field]string{FieldPostcode: "Le code postal doit comporter 5 chiffres, par exemple 49300."}},
		{name: "street on two lines", change: func(s *CollectivitySettings) { s.Street = "Place\nJean-Moulin" },
			want: map[Field]string{FieldStreet: "La voie ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."}},
		{name: "city with a NUL", change: func(s *CollectivitySettings) { s.City = "Cho\x00let" },
			want: map[Field]string{FieldCity: "La commune ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."}},
		{name: "city too long", change: func(s *CollectivitySettings) { s.City = stringOf('a', 101) },
			want: map[Field]string{FieldCity: "La commune ne doit pas dépasser 100 caractères."}},
		{name: "complement too long", change: func(s *CollectivitySettings) { s.Complement = stringOf('é', 101) },
			want: map[Field]string{FieldComplement: "Le complément d'adresse ne doit pas dépasser 100 caractères."}},
		{name: "phone of 9 digits", change: func(s *CollectivitySettings) { s.Phone = "02 41 49 25 0" },
			want: map[Field]string{FieldPhone: "Le téléphone du standard doit comporter 10 chiffres, par exemple 02 41 00 00 00."}},
		{name: "negative headcount", change: func(s *CollectivitySettings) { s.Headcount = n(-1) },
			want: map[Field]string{FieldHeadcount: "L'effectif ne peut pas être négatif."}},
		{name: "headcount above the bound", change: func(s *CollectivitySettings) { s.Headcount = n(MaxHeadcount + 1) },
			want: map[Field]string{FieldHeadcount: "L'effectif ne peut pas dépasser 200 000 agents."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid()
			tt.change(&s)
			got := map[Field]string{}
			for _, e := range CheckCollectivitySettings(&s) {
				if e.Kind != Invalid {
					t.Errorf("%s: kind %d, want Invalid", e.Field, e.Kind)
				}
				got[e.Field] = e.Message
			}
			want := tt.want
			if want == nil {
				want = map[Field]string{}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}

// TestCheckCollectivitySettingsNormalizes: what is stored is trimmed, and
// the SIRET, the phone and the postcode are digits only.
func TestCheckCollectivitySettingsNormalizes(t *testing.T) {
	n := 1450
	s := CollectivitySettings{Name: "Commune de Cholet", SIRET: " 214 900 995 00017 ", Kind: KindCommune,
		Address: Address{Street: " Place Jean-Moulin ", Complement: " BP 32135 ", Postcode: " 49 321 ", City: " Cholet "},
		Phone:   "02.41.49.25.00", Headcount: &n}
	if errs := CheckCollectivitySettings(&s); len(errs) != 0 {
		t.Fatalf("refused: %v", errs[0])
	}
	want := CollectivitySettings{Name: "Commune de Cholet", SIRET: "21490099500017", Kind: KindCommune,
		Address: Address{Street: "Place Jean-Moulin", Complement: "BP 32135", Postcode: "49321", City: "Cholet"},
		Phone:   "0241492500", Headcount: &n}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("normalized (-want +got):\n%s", diff)
	}
	empty := CollectivitySettings{SIRET: "21490099500017", Kind: KindAutre, Phone: "   "}
	if errs := CheckCollectivitySettings(&empty); len(errs) != 0 || empty.Phone != "" {
		t.Errorf("blank phone: %v, stored %q", errs, empty.Phone)
	}
}

func stringOf(r rune, n int) string {
	out := make([]rune, n)
	for i := range out {
		out[i] = r
	}
	return string(out)
}
