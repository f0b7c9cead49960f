package domain

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NormalizePhone returns the ten digits of a French phone number typed with
// optional spaces, dots or dashes, and whether it is valid.
func NormalizePhone(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || r == '\u00a0':
		default:
			return "", false
		}
	}
	d := b.String()
	return d, len(d) == 10
}

// FormatPhone shows ten digits as "01 01 01 01 01"; anything else unchanged.
func FormatPhone(d string) string {
	if len(d) != 10 {
		return d
	}
	return d[0:2] + " " + d[2:4] + " " + d[4:6] + " " + d[6:8] + " " + d[8:10]
}

// ValidEmail reports whether s is a plain address (no display name) with a
// domain that has a dot, at most 254 bytes, as people type them.
func ValidEmail(s string) bool {
	if s == "" || len(s) > 254 || strings.ContainsAny(s, " <>\"\r\n") {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 {
		return false
	}
	labels := strings.Split(s[at+1:], ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if !validLabel(l) {
			return false
		}
	}
	return true
}

// NormalizeEmail is the stored form of an address: trimmed, its domain
// (after the last @) in lower case. The local part is kept as typed: a
// mail server may tell its case apart, though comparisons here do not.
func NormalizeEmail(s string) string {
	s = strings.TrimSpace(s)
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s
	}
	return s[:at+1] + strings.ToLower(s[at+1:])
}

// validLabel is a label of a host name: letters (any script), digits and
// inner hyphens, at most 63 bytes. Address literals like [1.2.3.4] fail it.
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, r := range l {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-') {
			return false
		}
	}
	return true
}

// Checker gathers one French message per form input, keyed by the input's
// name: web's forms use it; the domain's own checks return []*Error.
type Checker struct {
	Errors map[string]string
}

// Check records msg for field when ok is false and the field has no message yet.
func (c *Checker) Check(ok bool, field, msg string) {
	if ok {
		return
	}
	if c.Errors == nil {
		c.Errors = map[string]string{}
	}
	if _, seen := c.Errors[field]; !seen {
		c.Errors[field] = msg
	}
}

// Valid reports whether no check failed.
func (c *Checker) Valid() bool { return len(c.Errors) == 0 }

// problems gathers the Invalid errors of one input, the first per field,
// in the order of the checks.
type problems []*Error

func (p *problems) check(ok bool, field Field, msg string) {
	if ok || p.has(field) {
		return
	}
	*p = append(*p, Errorf(Invalid, field, msg))
}

func (p problems) has(field Field) bool {
	for _, e := range p {
		if e.Field == field {
			return true
		}
	}
	return false
}

// MaxText is the longest name, function or other short text a form accepts.
const MaxText = 100

// CheckFiche applies the rules of a fiche (required fields, one line of
// plain text each, lengths, phone, address) and normalizes f in place:
// trimmed texts, the phone's ten digits, the address's domain in lower
// case (NormalizeEmail). It returns one Invalid error per field that
// breaks a rule, the first found, in the order of the form; none when f
// is valid.
func CheckFiche(f *Fiche) []*Error {
	f.LastName = strings.TrimSpace(f.LastName)
	f.FirstName = strings.TrimSpace(f.FirstName)
	f.Function = strings.TrimSpace(f.Function)
	f.Email = NormalizeEmail(f.Email)
	var p problems
	p.check(f.Civility == Monsieur || f.Civility == Madame, FieldCivility, "Choisissez la civilité.")
	p.check(f.LastName != "", FieldLastName, "Saisissez le nom.")
	p.check(IsPlainLine(f.LastName), FieldLastName, notPlainLine("Le nom"))
	p.check(utf8.RuneCountInString(f.LastName) <= MaxText, FieldLastName, "Le nom ne doit pas dépasser 100 caractères.")
	p.check(f.FirstName != "", FieldFirstName, "Saisissez le prénom.")
	p.check(IsPlainLine(f.FirstName), FieldFirstName, notPlainLine("Le prénom"))
	p.check(utf8.RuneCountInString(f.FirstName) <= MaxText, FieldFirstName, "Le prénom ne doit pas dépasser 100 caractères.")
	p.check(f.Function != "", FieldFunction, "Saisissez la fonction.")
	p.check(IsPlainLine(f.Function), FieldFunction, notPlainLine("La fonction"))
	p.check(utf8.RuneCountInString(f.Function) <= MaxText, FieldFunction, "La fonction ne doit pas dépasser 100 caractères.")
	p.check(f.Email != "", FieldEmail, "Saisissez l'adresse courriel.")
	p.check(IsPlainLine(f.Email), FieldEmail, notPlainLine("L'adresse courriel"))
	p.check(ValidEmail(f.Email), FieldEmail, "Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr.")
	p.check(strings.TrimSpace(f.Phone) != "", FieldPhone, "Saisissez le numéro de téléphone.")
	if d, ok := NormalizePhone(f.Phone); ok {
		f.Phone = d
	} else {
		p.check(false, FieldPhone, "Le numéro de téléphone doit comporter 10 chiffres, par exemple 02 41 00 00 00.")
	}
	return p
}
