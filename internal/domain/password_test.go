package domain

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

const (
	pwTooShort = "Le mot de passe doit contenir 8 caractères minimum."
	pwTooLong  = "Le mot de passe ne doit pas dépasser 128 caractères."
	pwMix      = "Le mot de passe doit comprendre au moins une lettre et un chiffre."
	pwIsLogin  = "Le mot de passe ne doit pas être votre identifiant."
	pwCommon   = "Ce mot de passe fait partie des plus courants : choisissez-en un autre."
	pwCTName   = "Le mot de passe ne doit pas reprendre le nom de votre collectivité suivi de chiffres : il se devine trop facilement."
	pwWord     = "Un mot courant ou un prénom suivi de chiffres, comme « Soleil2026 », se devine trop facilement : choisissez un mot de passe moins prévisible, par exemple plusieurs mots."
)

func TestCheckPassword(t *testing.T) {
	const cholet = "Commune de Cholet"
	tests := []struct {
		name  string
		pw    string
		login string
		ct    string
		want  string
	}{
		{name: "empty", pw: "", want: pwTooShort},
		{name: "7 characters", pw: "Abcde12", want: pwTooShort},
		{name: "8 characters", pw: "Kqzvb7wx", want: ""},
		{name: "7 runes but 13 bytes", pw: "éééééé1", want: pwTooShort},
		{name: "8 runes", pw: "éàèùçôî1", want: ""},
		{name: "8 runes, a common one accents aside", pw: "ééééééé1", want: pwCommon},
		{name: "128 runes", pw: strings.Repeat("é", 127) + "1", want: ""},
		{name: "129 runes", pw: strings.Repeat("é", 128) + "1", want: pwTooLong},
		{name: "128 ASCII", pw: strings.Repeat("a", 127) + "1", want: ""},
		{name: "129 ASCII", pw: strings.Repeat("a", 128) + "1", want: pwTooLong},
		{name: "no digit", pw: "Kqzvbwxyt", want: pwMix},
		{name: "no letter", pw: "83920174", want: pwMix},
		{name: "punctuation and digits only", pw: "!!--4920??", want: pwMix},
		{name: "unicode letters", pw: "Éléphant9zq", want: ""},
		{name: "spaces allowed", pw: "cheval batterie 7", want: ""},
		{name: "several words and digits", pw: "Cheval-bleu-2026", want: ""},
		{name: "equal to identifiant", pw: "ABCD2345EF", login: "ABCD2345EF", want: pwIsLogin},
		{name: "identifiant case-insensitively", pw: "abcd2345ef", login: "ABCD2345EF", want: pwIsLogin},
		{name: "identifiant inside is fine", pw: "abcd2345ef!", login: "ABCD2345EF", want: ""},
		{name: "no identifiant given", pw: "Kqzvb7wx", login: "", want: ""},
		{name: "short message comes first", pw: "abc", login: "abc", want: pwTooShort},

		// Common passwords, case and accents aside.
		{name: "common", pw: "password1", want: pwCommon},
		{name: "common any case", pw: "PassWord1", want: pwCommon},
		{name: "azerty123", pw: "azerty123", want: pwCommon},
		{name: "AZERTY123", pw: "AZERTY123", want: pwCommon},
		{name: "common with accents", pw: "pâsswörd1", want: pwCommon},

		// A common word or name, then digits.
		{name: "motdepasse1", pw: "motdepasse1", want: pwWord},
		{name: "soleil123", pw: "soleil123", want: pwWord},
		{name: "Bonjour123", pw: "Bonjour123", want: pwWord},
		{name: "Azerty2026", pw: "Azerty2026", want: pwWord},
		{name: "a word, a dash, a year", pw: "Printemps-2026", want: pwWord},
		{name: "a word, a year, a mark", pw: "Bonjour2026!", want: pwWord},
		{name: "a first name and a year", pw: "Élodie1990", want: pwWord},
		{name: "accents aside", pw: "Éléphant9", want: pwWord},
		{name: "a word between digits is not the shape", pw: "2026Bonjour9", want: ""},
		{name: "two words then digits are not one word", pw: "BonjourSoleilVert2026", want: ""},
		{name: "a rare word then digits", pw: "Kqzvbwx2026", want: ""},

		// The CT's name, then digits.
		{name: "CT name and a year", pw: "Cholet2026", ct: cholet, want: pwCTName},
		{name: "CT name any case, a dash", pw: "CHOLET-49300", ct: cholet, want: pwCTName},
		{name: "CT type word", pw: "Commune2026", ct: cholet, want: pwCTName},
		{name: "CT name run together", pw: "CommuneDeCholet1", ct: cholet, want: pwCTName},
		{name: "CT name accents aside", pw: "departement49", ct: "Département de Maine-et-Loire", want: pwCTName},
		{name: "CT compound name part", pw: "Maine49000", ct: "Département de Maine-et-Loire", want: pwCTName},
		{name: "CT word of 3 letters does not count", pw: "Yonxq12345", ct: "Commune de la Roche-sur-Yon", want: ""},
		{name: "CT name inside other words", pw: "Cholet-Formation-49", ct: cholet, want: ""},
		{name: "another CT's name is a common word", pw: "Cholet2026", ct: "Commune d'Angers", want: pwWord},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPassword(tt.pw, tt.login, tt.ct); got != tt.want {
				t.Errorf("CheckPassword(%q, %q, %q) = %q, want %q", tt.pw, tt.login, tt.ct, got, tt.want)
			}
		})
	}
}

// passesComposition reports whether the length and letter+digit rules alone accept pw.
func passesComposition(pw string) bool {
	n := utf8.RuneCountInString(pw)
	return n >= MinPassword && n <= MaxPassword && strings.ContainsFunc(pw, unicode.IsLetter) && strings.ContainsFunc(pw, unicode.IsDigit)
}

// TestCommonPasswordsList checks the embedded list: at least 3,000
// passwords, each one the composition rule would accept, folded as fold
// folds, and each refused as common, in any case.
func TestCommonPasswordsList(t *testing.T) {
	n := 0
	for l := range strings.Lines(commonPasswordsText) {
		pw := strings.TrimSuffix(l, "\n")
		n++
		if !passesComposition(pw) {
			t.Errorf("%q is listed though the composition rule refuses it", pw)
		}
		if fold(pw) != pw {
			t.Errorf("%q is listed unfolded (%q)", pw, fold(pw))
		}
		for _, typed := range []string{pw, strings.ToUpper(pw), strings.ToUpper(pw[:1]) + pw[1:]} {
			if got := CheckPassword(typed, "", ""); got != pwCommon {
				t.Errorf("CheckPassword(%q) = %q, want the common-password message", typed, got)
			}
		}
	}
	if n < 3000 {
		t.Fatalf("%d common passwords listed, want 3,000 or more", n)
	}
	if len(commonPasswords()) != n {
		t.Errorf("%d distinct common passwords loaded from %d lines", len(commonPasswords()), n)
	}
}

// TestCommonWordsList checks the embedded words: folded words of 4 letters
// or more, French ones included, each refused when digits follow it.
func TestCommonWordsList(t *testing.T) {
	n := 0
	for l := range strings.Lines(commonWordsText) {
		w := strings.TrimSuffix(l, "\n")
		n++
		if utf8.RuneCountInString(w) < 4 || strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) || fold(w) != w {
			t.Errorf("%q is no folded word of 4 letters or more", w)
		}
	}
	if n < 20000 {
		t.Fatalf("%d common words listed, want 20,000 or more", n)
	}
	for _, w := range []string{"soleil", "bonjour", "azerty", "motdepasse", "chouchou", "marseille", "nicolas", "elodie", "printemps", "durand"} {
		if !commonWords()[w] {
			t.Errorf("%q is not a common word", w)
		}
		if got := CheckPassword(strings.ToUpper(w[:1])+w[1:]+"2026", "", ""); got != pwWord && got != pwCommon {
			t.Errorf("%s2026 = %q, want refused", w, got)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Soleil", "soleil"},
		{"Éléphant", "elephant"},
		{"CŒUR", "cœur"},
		{"Noël2026", "noel2026"},
		{"ça", "ca"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := fold(tt.in); got != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsCommonPassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{name: "listed", pw: "password1", want: true},
		{name: "listed upper case", pw: "PASSWORD1", want: true},
		{name: "refused by composition anyway, so not listed", pw: "123456", want: false},
		{name: "not listed", pw: "Éléphant9zq", want: false},
		{name: "empty", pw: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsCommonPassword(tt.pw); got != tt.want {
				t.Errorf("IsCommonPassword(%q) = %v, want %v", tt.pw, got, tt.want)
			}
		})
	}
}
