package domain

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The fields of "PARAMÈTRES", the collectivity's coordinates.
const (
	FieldSIRET      Field = "siret"
	FieldKind       Field = "collectivity_kind"
	FieldStreet     Field = "street"
	FieldComplement Field = "address_complement"
	FieldPostcode   Field = "postcode"
	FieldCity       Field = "city"
	FieldHeadcount  Field = "headcount"
)

// CollectivityKind is the "Type de collectivité".
type CollectivityKind string

// The kinds of collectivity, as the form offers them.
const (
	KindCommune           CollectivityKind = "commune"
	KindEPCI              CollectivityKind = "epci"
	KindDepartement       CollectivityKind = "departement"
	KindRegion            CollectivityKind = "region"
	KindCCAS              CollectivityKind = "ccas_cias"
	KindSDIS              CollectivityKind = "sdis"
	KindCentreDeGestion   CollectivityKind = "centre_de_gestion"
	KindEtablissementPubl CollectivityKind = "etablissement_public_local"
	KindAutre             CollectivityKind = "autre"
)

// CollectivityKinds lists every kind, in the order the form shows them.
var CollectivityKinds = []CollectivityKind{KindCommune, KindEPCI, KindDepartement, KindRegion, KindCCAS,
	KindSDIS, KindCentreDeGestion, KindEtablissementPubl, KindAutre}

// Label is the French name of the kind, as the form shows it.
func (k CollectivityKind) Label() string {
	switch k {
	case KindCommune:
		return "Commune"
	case KindEPCI:
		return "EPCI"
	case KindDepartement:
		return "Département"
	case KindRegion:
		return "Région"
	case KindCCAS:
		return "CCAS / CIAS"
	case KindSDIS:
		return "SDIS"
	case KindCentreDeGestion:
		return "Centre de gestion"
	case KindEtablissementPubl:
		return "Établissement public local"
	case KindAutre:
		return "Autre"
	}
	return ""
}

// ParseCollectivityKind accepts the form's values and nothing else.
func ParseCollectivityKind(s string) (CollectivityKind, bool) {
	for _, k := range CollectivityKinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// Address is a postal address in France.
type Address struct {
	Street     string // "Voie": number and street
	Complement string // "Complément": building, service, BP…
	Postcode   string // "Code postal": five digits
	City       string // "Commune"
}

// IsZero reports whether no line of the address is filled in.
func (a Address) IsZero() bool {
	return a.Street == "" && a.Complement == "" && a.Postcode == "" && a.City == ""
}

// CollectivitySettings are the coordinates of a collectivity, its
// "PARAMÈTRES". A CT starts without them: every field but the name may be
// empty until someone of the CT saves the page.
type CollectivitySettings struct {
	Name  string // read-only here: the CNFPT's staff change it
	SIRET string // 14 digits
	Kind  CollectivityKind
	Address
	Phone     string // "Téléphone du standard": ten digits
	Headcount *int   // "Effectif", in agents; nil when not given
}

// MaxHeadcount is the largest "Effectif" accepted: the largest French
// collectivity, the city of Paris, has some 55,000 agents.
const MaxHeadcount = 200000

// NormalizeSIRET returns the 14 digits of a SIRET typed with optional
// spaces (plain, no-break or narrow no-break, as a French number is
// grouped), and whether it is 14 digits whose Luhn key holds.
func NormalizeSIRET(s string) (string, bool) {
	d, ok := digitsOnly(s)
	return d, ok && len(d) == 14 && luhn(d)
}

// digitsOnly drops the spaces of s and reports whether all that is left
// is ASCII digits.
func digitsOnly(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '\u00a0' || r == '\u202f':
		default:
			return "", false
		}
	}
	return b.String(), true
}

// luhn reports whether the digits d pass the Luhn check: from the right,
// every second digit doubled (less 9 above 9), the sum a multiple of 10.
// It is the key of the SIRET (INSEE), over its 14 digits.
func luhn(d string) bool {
	sum := 0
	for i := range len(d) {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// FormatSIRET shows 14 digits as the INSEE groups them, "123 456 789
// 00012": the SIREN by threes, then the NIC; anything else unchanged.
func FormatSIRET(d string) string {
	if len(d) != 14 {
		return d
	}
	return d[0:3] + " " + d[3:6] + " " + d[6:9] + " " + d[9:14]
}

// ParseHeadcount reads an "Effectif" as typed: empty is none, else a
// whole number, spaces allowed between its digits ("1 200"). The bounds
// are CheckCollectivitySettings's.
func ParseHeadcount(s string) (*int, *Error) {
	d, ok := digitsOnly(strings.TrimSpace(s))
	if !ok {
		return nil, Errorf(Invalid, FieldHeadcount, "L'effectif doit être un nombre entier d'agents, par exemple 350.")
	}
	if d == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(d)
	if err != nil || n > MaxHeadcount {
		return nil, Errorf(Invalid, FieldHeadcount, "L'effectif ne peut pas dépasser 200 000 agents.")
	}
	return &n, nil
}

// CheckCollectivitySettings applies the rules of "PARAMÈTRES" and
// normalizes s in place: trimmed texts, the SIRET's 14 digits, the
// phone's ten digits. The SIRET and the kind are required: a CT that has
// never saved the page has neither, but it cannot save it without them.
// The address is optional as a whole; once one of its lines is given, the
// street, the postcode and the city are all required. It returns one
// Invalid error per field that breaks a rule, the first found, in the
// order of the form; none when s is valid. The name is not checked here:
// this page does not change it.
func CheckCollectivitySettings(s *CollectivitySettings) []*Error {
	siret := strings.TrimSpace(s.SIRET)
	s.Street = strings.TrimSpace(s.Street)
	s.Complement = strings.TrimSpace(s.Complement)
	s.Postcode = strings.TrimSpace(s.Postcode)
	s.City = strings.TrimSpace(s.City)
	phone := strings.TrimSpace(s.Phone)
	var p problems

	p.check(siret != "", FieldSIRET, "Saisissez le SIRET de la collectivité.")
	d, ok := digitsOnly(siret)
	p.check(ok, FieldSIRET, "Le SIRET ne doit contenir que des chiffres (14), par exemple 214 900 995 00017.")
	p.check(len(d) == 14, FieldSIRET, "Le SIRET doit comporter 14 chiffres, par exemple 214 900 995 00017.")
	p.check(luhn(d), FieldSIRET, "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez chacun des 14 chiffres.")
	if !p.has(FieldSIRET) {
		s.SIRET = d
	}

	_, known := ParseCollectivityKind(string(s.Kind))
	p.check(s.Kind != "", FieldKind, "Choisissez le type de collectivité.")
	p.check(known, FieldKind, "Choisissez un type de collectivité de la liste.")

	whole := !s.Address.IsZero()
	for _, l := range []struct {
		field    Field
		label    string
		value    string
		required string
	}{
		{FieldStreet, "La voie", s.Street, "Saisissez la voie (numéro et nom de la rue) : l'adresse est incomplète."},
		{FieldComplement, "Le complément d'adresse", s.Complement, ""},
		{FieldPostcode, "Le code postal", s.Postcode, "Saisissez le code postal : l'adresse est incomplète."},
		{FieldCity, "La commune", s.City, "Saisissez la commune : l'adresse est incomplète."},
	} {
		p.check(!whole || l.required == "" || l.value != "", l.field, l.required)
		p.check(IsPlainLine(l.value), l.field, notPlainLine(l.label))
		p.check(utf8.RuneCountInString(l.value) <= MaxText, l.field, l.label+" ne doit pas dépasser 100 caractères.")
	}
	if pc, ok := digitsOnly(s.Postcode); ok && len(pc) == 5 {
		s.Postcode = pc
	} else {
		p.check(s.Postcode == "", FieldPostcode, "Le code postal doit comporter 5 chiffres, par exemple 49300.")
	}

	if phone == "" {
		s.Phone = ""
	} else if d, ok := NormalizePhone(phone); ok {
		s.Phone = d
	} else {
		p.check(false, FieldPhone, "Le téléphone du standard doit comporter 10 chiffres, par exemple 02 41 00 00 00.")
	}

	if s.Headcount != nil {
		p.check(*s.Headcount >= 0, FieldHeadcount, "L'effectif ne peut pas être négatif.")
		p.check(*s.Headcount <= MaxHeadcount, FieldHeadcount, "L'effectif ne peut pas dépasser 200 000 agents.")
	}
	return p
}

// ErrSIRETTaken refuses a SIRET that another collectivity of the portal holds.
var ErrSIRETTaken = Errorf(Conflict, FieldSIRET, "Une autre collectivité du portail est déjà enregistrée avec ce SIRET. Vérifiez le numéro ; s'il est juste, contactez le CNFPT.")
