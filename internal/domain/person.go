package domain

import "strings"

// SamePerson reports whether a and b describe the same person: same nom,
// same prénom and same courriel, compared without regard to case (and, in
// names, to runs of spaces). Accents count: "Hélène" is not "Helene".
func SamePerson(a, b Fiche) bool { return personKey(a) == personKey(b) }

func personKey(f Fiche) string {
	return NameKey(f.LastName) + "\x00" + NameKey(f.FirstName) + "\x00" + strings.ToLower(strings.TrimSpace(f.Email))
}

// ErrSamePerson refuses a second account of one person in one CT.
var ErrSamePerson = Errorf(Conflict, FieldEmail, "Un compte de la collectivité existe déjà pour cette personne (même nom, même prénom et même adresse courriel) : une personne n'a qu'un compte par collectivité.")

// CheckNoDuplicate enforces that a person has one account per CT, on the
// accounts of one CT as they would be after a change: no two accounts but
// closed ones (the historical manager after the change of principal) are
// the same person.
func CheckNoDuplicate(accounts []Account) *Error {
	seen := make(map[string]bool, len(accounts))
	for _, a := range accounts {
		if a.State == StateClosed {
			continue
		}
		k := personKey(a.Fiche)
		if seen[k] {
			return ErrSamePerson
		}
		seen[k] = true
	}
	return nil
}
