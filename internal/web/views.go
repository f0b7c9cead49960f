package web

import (
	"strconv"
	"strings"
	"time"

	"iel/internal/domain"
)

// What the .templ files share besides their components: the view-model
// of a text field and the few functions that turn values into words.

// frenchDate is a moment as the pages show it, in Paris time, as the
// journal writes it: "05/03/2026 à 14 h 30".
func frenchDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.Paris).Format("02/01/2006 à 15 h 04")
}

// of is "de " + name, elided before a vowel: "d'Aurélie Richard", as the
// e-mails write it.
func of(name string) string { return domain.Of(name) }

// ofPrefix is the "de " or "d'" that precedes name.
func ofPrefix(name string) string { return domain.OfPrefix(name) }

// field is what the inputField partial needs to draw one labelled text
// field with its hint and its message.
type field struct {
	Name, Label, Value, Error, Hint string
	Type                            string // "text" when empty
	Autocomplete, Width             string
	Required                        bool
}

// InputType is the field's type attribute.
func (f field) InputType() string {
	if f.Type == "" {
		return "text"
	}
	return f.Type
}

// DescribedBy lists the ids of the hint and the message, for aria-describedby.
func (f field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.Name+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.Name+"-error")
	}
	return strings.Join(ids, " ")
}

// ownTabLabel is the label of an account's own tab of "Mon compte", in the
// notice's words.
func ownTabLabel(r domain.Role) string {
	switch r {
	case domain.RolePrincipal:
		return "Gestionnaire principal CT"
	case domain.RoleOperator:
		return "Opérateur"
	}
	return "Ma fiche gestionnaire CT"
}

// yesNo is a boolean cell of a table: "oui" or "non".
func yesNo(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}

// operatorURL is the "Modifier" page of the operator id; its actions hang below it.
func operatorURL(id int64) string { return "/compte/operateurs/" + strconv.FormatInt(id, 10) }

// operatorFormAction is where the operator form posts: the list to
// create (id 0), the operator's page to modify.
func operatorFormAction(id int64) string {
	if id == 0 {
		return "/compte/operateurs"
	}
	return operatorURL(id)
}
