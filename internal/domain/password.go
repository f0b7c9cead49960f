package domain

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// The lists are built by assets/build.sh from the zxcvbn-ts dictionaries,
// folded (see fold), one a line.
var (
	// The common passwords that the composition rule alone would accept,
	// most common first.
	//
	//go:embed common-passwords.txt
	commonPasswordsText string

	// The words people build a password on before appending digits:
	// common passwords made of letters only, frequent French words,
	// French first names and surnames.
	//
	//go:embed common-words.txt
	commonWordsText string
)

var (
	commonPasswords = sync.OnceValue(func() map[string]bool { return lines(commonPasswordsText) })
	commonWords     = sync.OnceValue(func() map[string]bool { return lines(commonWordsText) })
)

func lines(text string) map[string]bool {
	m := make(map[string]bool, strings.Count(text, "\n"))
	for l := range strings.Lines(text) {
		if l = strings.TrimSpace(l); l != "" {
			m[l] = true
		}
	}
	return m
}

// fold is the form passwords and words are compared in: lower case,
// accents dropped ("Éléphant" is "elephant"), NFC.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// Password length bounds, in characters.
const (
	MinPassword = 8
	MaxPassword = 128
)

// CheckPassword returns the French reason why pw may not be the password of
// the account login in the collectivity ctName, or "" when it may. Beyond
// its length and a letter and a digit, a password is not the identifiant,
// nor one of the common passwords, nor a significant word of the CT's name
// followed by digits ("Cholet2026"), nor a common word or name followed
// by digits ("Soleil2026"); case and accents aside.
func CheckPassword(pw, login, ctName string) string {
	n := utf8.RuneCountInString(pw)
	if n < MinPassword {
		return "Le mot de passe doit contenir 8 caractères minimum."
	}
	if n > MaxPassword {
		return "Le mot de passe ne doit pas dépasser 128 caractères."
	}
	var letter, digit bool
	for _, r := range pw {
		letter = letter || unicode.IsLetter(r)
		digit = digit || unicode.IsDigit(r)
	}
	if !letter || !digit {
		return "Le mot de passe doit comprendre au moins une lettre et un chiffre."
	}
	if login != "" && strings.EqualFold(pw, login) {
		return "Le mot de passe ne doit pas être votre identifiant."
	}
	if IsCommonPassword(pw) {
		return "Ce mot de passe fait partie des plus courants : choisissez-en un autre."
	}
	word, ok := wordThenDigits(fold(pw))
	switch {
	case !ok:
		return ""
	case collectivityWords(ctName)[word]:
		return "Le mot de passe ne doit pas reprendre le nom de votre collectivité suivi de chiffres : il se devine trop facilement."
	case commonWords()[word]:
		return "Un mot courant ou un prénom suivi de chiffres, comme « Soleil2026 », se devine trop facilement : choisissez un mot de passe moins prévisible, par exemple plusieurs mots."
	}
	return ""
}

// IsCommonPassword reports whether pw, case and accents aside, is one of
// the common passwords that the composition rule alone would accept.
func IsCommonPassword(pw string) bool { return commonPasswords()[fold(pw)] }

// wordThenDigits splits s made of letters, then digits, with anything but
// letters and digits around the digits ("soleil2026", "soleil-2026!"),
// and returns its letters; ok is false for any other shape.
func wordThenDigits(s string) (word string, ok bool) {
	i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	if i <= 0 {
		return "", false
	}
	digits := false
	for _, r := range s[i:] {
		switch {
		case unicode.IsLetter(r):
			return "", false
		case unicode.IsDigit(r):
			digits = true
		}
	}
	return s[:i], digits
}

// collectivityWords are the parts of a CT's name a password must not be
// made of: each word of 4 letters or more, and all its letters run
// together ("Commune de Cholet": "commune", "cholet", "communedecholet").
func collectivityWords(name string) map[string]bool {
	words := strings.FieldsFunc(fold(name), func(r rune) bool { return !unicode.IsLetter(r) })
	m := map[string]bool{}
	for _, w := range words {
		if utf8.RuneCountInString(w) >= 4 {
			m[w] = true
		}
	}
	if len(words) > 1 {
		m[strings.Join(words, "")] = true
	}
	return m
}
