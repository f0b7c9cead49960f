package domain

import (
	"bufio"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCheckPassword(t *testing.T) {
	const (
		tooShort = "Le mot de passe doit contenir 8 caractères minimum."
		tooLong  = "Le mot de passe ne doit pas dépasser 128 caractères."
		mix      = "Le mot de passe doit comprendre au moins une lettre et un chiffre."
		isLogin  = "Le mot de passe ne doit pas être votre identifiant."
		common   = "Ce mot de passe fait partie des plus courants : choisissez-en un autre."
	)
	tests := []struct {
		name  string
		pw    string
		login string
		want  string
	}{
		{name: "empty", pw: "", want: tooShort},
		{name: "7 characters", pw: "Abcde12", want: tooShort},
		{name: "8 characters", pw: "Kqzvb7wx", want: ""},
		{name: "7 runes but 13 bytes", pw: "éééééé1", want: tooShort},
		{name: "8 runes", pw: "ééééééé1", want: ""},
		{name: "128 runes", pw: strings.Repeat("é", 127) + "1", want: ""},
		{name: "129 runes", pw: strings.Repeat("é", 128) + "1", want: tooLong},
		{name: "128 ASCII", pw: strings.Repeat("a", 127) + "1", want: ""},
		{name: "129 ASCII", pw: strings.Repeat("a", 128) + "1", want: tooLong},
		{name: "no digit", pw: "Kqzvbwxyt", want: mix},
		{name: "no letter", pw: "83920174", want: mix},
		{name: "punctuation and digits only", pw: "!!--4920??", want: mix},
		{name: "unicode letters", pw: "Éléphant9", want: ""},
		{name: "spaces allowed", pw: "cheval batterie 7", want: ""},
		{name: "equal to identifiant", pw: "ABCD2345EF", login: "ABCD2345EF", want: isLogin},
		{name: "identifiant case-insensitively", pw: "abcd2345ef", login: "ABCD2345EF", want: isLogin},
		{name: "identifiant inside is fine", pw: "abcd2345ef!", login: "ABCD2345EF", want: ""},
		{name: "no identifiant given", pw: "Kqzvb7wx", login: "", want: ""},
		{name: "common", pw: "password1", want: common},
		{name: "common any case", pw: "PassWord1", want: common},
		{name: "short message comes first", pw: "abc", login: "abc", want: tooShort},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPassword(tt.pw, tt.login); got != tt.want {
				t.Errorf("CheckPassword(%q, %q) = %q, want %q", tt.pw, tt.login, got, tt.want)
			}
		})
	}
}

// TestCheckPasswordCommonList checks that every line of the embedded list
// that passes the length and letter+digit rules is refused as common.
func TestCheckPasswordCommonList(t *testing.T) {
	const common = "Ce mot de passe fait partie des plus courants : choisissez-en un autre."
	checked := 0
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		pw := strings.TrimSpace(sc.Text())
		n := utf8.RuneCountInString(pw)
		if n < MinPassword || n > MaxPassword || !strings.ContainsFunc(pw, unicode.IsLetter) || !strings.ContainsFunc(pw, unicode.IsDigit) {
			continue
		}
		checked++
		if got := CheckPassword(pw, ""); got != common {
			t.Errorf("CheckPassword(%q) = %q, want the common-password message", pw, got)
		}
	}
	if checked < 100 {
		t.Fatalf("only %d qualifying lines in common-passwords.txt: list missing or truncated", checked)
	}
	if len(commonPasswords) < 9000 {
		t.Errorf("%d common passwords loaded, want about 10,000", len(commonPasswords))
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
		{name: "not listed", pw: "Éléphant9", want: false},
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
