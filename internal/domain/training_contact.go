package domain

import (
	"strings"
	"unicode/utf8"
)

// FieldPerimeter is a correspondant's "Périmètre".
const FieldPerimeter Field = "perimeter"

// TrainingContact is a "correspondant formation": a person of the CT the
// CNFPT may contact about training. A contact, not a login: it has no
// identifiant, no password, and receives nothing from the portal.
type TrainingContact struct {
	ID             int64
	CollectivityID int64
	Fiche                 // Civilité, Nom, Prénom, Fonction, Courriel, Téléphone
	Perimeter      string // "Périmètre", free text: "Filière technique"
}

// MaxPerimeter is the longest "Périmètre", in characters.
const MaxPerimeter = 150

// MaxTrainingContacts is the most correspondants a CT may list: a handful
// is usual, and the page shows them all at once.
const MaxTrainingContacts = 100

// PersonKey is what tells two correspondants apart: the same nom, prénom
// and courriel, compared as SamePerson does, is the same person. Its
// parts are joined by the unit separator, which no checked text holds
// (and, unlike NUL, PostgreSQL keeps).
func (c TrainingContact) PersonKey() string {
	return strings.ReplaceAll(personKey(c.Fiche), "\x00", "\x1f")
}

// CheckTrainingContact applies the rules of a correspondant and
// normalizes c in place. They are the fiche's (CheckFiche: plain one-line
// texts, lengths, courriel, ten-digit phone), except that the fonction
// and the téléphone may be left empty: civilité, nom, prénom and courriel
// are what a contact needs. The périmètre is optional plain text. It
// returns one Invalid error per field that breaks a rule, in the order of
// the form; none when c is valid.
func CheckTrainingContact(c *TrainingContact) []*Error {
	noFunction := strings.TrimSpace(c.Function) == ""
	noPhone := strings.TrimSpace(c.Phone) == ""
	var p problems
	for _, e := range CheckFiche(&c.Fiche) {
		if e.Field == FieldFunction && noFunction || e.Field == FieldPhone && noPhone {
			continue
		}
		p = append(p, e)
	}
	if noPhone {
		c.Phone = ""
	}
	c.Perimeter = strings.TrimSpace(c.Perimeter)
	p.check(IsPlainLine(c.Perimeter), FieldPerimeter, notPlainLine("Le périmètre"))
	p.check(utf8.RuneCountInString(c.Perimeter) <= MaxPerimeter, FieldPerimeter, "Le périmètre ne doit pas dépasser 150 caractères.")
	return p
}

var (
	// ErrSameContact refuses a second correspondant of one person in one CT.
	ErrSameContact = Errorf(Conflict, FieldEmail, "Cette personne est déjà un correspondant formation de la collectivité (même nom, même prénom et même adresse courriel).")
	// ErrTooManyContacts refuses a correspondant beyond MaxTrainingContacts.
	ErrTooManyContacts = Errorf(Conflict, "", "La collectivité a déjà 100 correspondants formation : supprimez-en un avant d'en ajouter un autre.")
)
