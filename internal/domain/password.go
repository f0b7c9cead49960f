package domain

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The 10,000 most common passwords, lower-cased, one a line (built by
// assets/build.sh from its npm package).
//
//go:embed common-passwords.txt
var commonPasswordsText string

var commonPasswords = func() map[string]struct{} {
	m := make(map[string]struct{}, 10000)
	for _, l := range strings.Split(commonPasswordsText, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			m[l] = struct{}{}
		}
	}
	return m
}()

// Password length bounds, in characters.
const (
	MinPassword = 8
	MaxPassword = 128
)

// CheckPassword returns the French reason why pw may not be the password of
// the account login, or "" when it may.
func CheckPassword(pw, login string) string {
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
	return ""
}

// IsCommonPassword reports whether pw is one of the 10,000 most common passwords.
func IsCommonPassword(pw string) bool {
	_, ok := commonPasswords[strings.ToLower(pw)]
	return ok
}
