package domain

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsPlainLine reports whether s is one line of plain text, kept and shown
// as typed: valid UTF-8, without any control character (NUL, tab, CR, LF,
// DEL, the C1 controls…) nor line or paragraph separator. PostgreSQL
// refuses NUL and invalid UTF-8; an e-mail header breaks on a line break.
func IsPlainLine(s string) bool { return isPlain(s, false) }

// IsPlainText is IsPlainLine where line breaks are allowed, as LF or as
// the CR LF that browsers send from a textarea: a comment.
func IsPlainText(s string) bool { return isPlain(s, true) }

func isPlain(s string, lines bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for i, r := range s {
		switch {
		case lines && r == '\n':
		case lines && r == '\r' && strings.HasPrefix(s[i+1:], "\n"):
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return false
		}
	}
	return true
}

// notPlainLine is the message of a one-line field (label: "Le nom") that
// holds a character IsPlainLine refuses.
func notPlainLine(label string) string {
	return label + " ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."
}

// CheckFicheText returns an Invalid error on the first text of f that is
// not one line of plain text, nil when none is: the store's last guard,
// for callers that did not run CheckFiche.
func CheckFicheText(f Fiche) *Error {
	for _, t := range []struct {
		field Field
		label string
		value string
	}{
		{FieldCivility, "La civilité", string(f.Civility)},
		{FieldLastName, "Le nom", f.LastName},
		{FieldFirstName, "Le prénom", f.FirstName},
		{FieldFunction, "La fonction", f.Function},
		{FieldEmail, "L'adresse courriel", f.Email},
		{FieldPhone, "Le numéro de téléphone", f.Phone},
	} {
		if !IsPlainLine(t.value) {
			return Errorf(Invalid, t.field, notPlainLine(t.label))
		}
	}
	return nil
}

// MaxComment is the longest comment left with an answer to a designation
// or an invitation, in characters.
const MaxComment = 2000

// CheckComment applies the rules of a comment left with an answer: plain
// text, on several lines if need be, of at most MaxComment characters.
func CheckComment(s string) *Error {
	if !IsPlainText(s) {
		return Errorf(Invalid, FieldComment, "Le commentaire ne doit contenir ni tabulation, ni caractère de contrôle ou illisible.")
	}
	if utf8.RuneCountInString(s) > MaxComment {
		return Errorf(Invalid, FieldComment, "Le commentaire ne doit pas dépasser 2000 caractères.")
	}
	return nil
}

// MaxCollectivityName is the longest name of a collectivity, in characters.
const MaxCollectivityName = 150

// CheckCollectivity applies the rules of a new collectivity and normalizes
// c in place: its name with runs of spaces folded, its address as
// NormalizeEmail stores it. It returns one Invalid error per field that
// breaks a rule; none when c is valid.
func CheckCollectivity(c *Collectivity) []*Error {
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	c.Email = NormalizeEmail(c.Email)
	var p problems
	p.check(c.Name != "", FieldName, "Saisissez le nom de la collectivité.")
	p.check(IsPlainLine(c.Name), FieldName, notPlainLine("Le nom de la collectivité"))
	p.check(utf8.RuneCountInString(c.Name) <= MaxCollectivityName, FieldName, "Le nom de la collectivité ne doit pas dépasser 150 caractères.")
	p.check(c.Email != "", FieldEmail, "Saisissez l'adresse courriel de la collectivité.")
	p.check(IsPlainLine(c.Email), FieldEmail, notPlainLine("L'adresse courriel"))
	p.check(ValidEmail(c.Email), FieldEmail, "Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr.")
	return p
}

// OfPrefix is the "de " or "d'" that precedes name in French: "d'" before
// a written vowel (a mute h is not guessed).
func OfPrefix(name string) string {
	if r, _ := utf8.DecodeRuneInString(name); strings.ContainsRune("AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜaeiouyàâäéèêëîïôöùûü", r) {
		return "d'"
	}
	return "de "
}

// Of is "de " + name, elided before a vowel: "d'Aurélie Richard".
func Of(name string) string { return OfPrefix(name) + name }

// Agreed is adjective agreed with the civility c: "présente" for Madame.
// It knows the regular adjectives the portal writes of people ("présent",
// "absent", "inscrit"): the feminine adds an "e".
func Agreed(c Civility, adjective string) string {
	if c == Madame {
		return adjective + "e"
	}
	return adjective
}

// FrenchNumber writes n with a narrow no-break space between thousands:
// "5 000".
func FrenchNumber(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	return b.String()
}
