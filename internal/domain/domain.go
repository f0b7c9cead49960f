// Package domain holds the types and rules of iel (PRODUCT.md): accounts,
// roles, states, mail preferences, passwords, phones and addresses. It knows
// nothing of SQL or HTTP; its errors carry the French sentence a user reads.
package domain

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind classifies a domain error; web picks the HTTP status from it.
type Kind int

// The kinds of domain error.
const (
	Invalid   Kind = iota + 1 // the input breaks a rule
	Conflict                  // the change would break a rule given the current state
	NotFound                  // the thing does not exist for this caller
	Forbidden                 // the caller may not do this
	Gone                      // a link that expired or was already used
)

// Field names the piece of input a rule error belongs to. Web shows the
// message next to the form input of that field; the zero Field belongs to
// the whole form (the error summary only).
type Field string

// The fields rule errors name.
const (
	FieldCivility  Field = "civility"
	FieldLastName  Field = "last_name"
	FieldFirstName Field = "first_name"
	FieldFunction  Field = "function"
	FieldEmail     Field = "email"
	FieldPhone     Field = "phone"
	FieldPrefs     Field = "prefs"    // the mail preferences as a whole
	FieldPassword  Field = "password" // a new password
	FieldOperator  Field = "operator" // the operator a designation offers the role to
	FieldComment   Field = "comment"  // left with the answer to a designation or an invitation
	FieldName      Field = "name"     // a collectivity's name
)

// Error is a rule of the domain that refused a change. Message is a French
// sentence meant for the person; Field is the input it belongs to, when
// there is one. Errors declared as variables are shared: never modify them.
type Error struct {
	Kind    Kind
	Field   Field
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf returns a domain error of kind k for field with message msg.
func Errorf(k Kind, field Field, msg string) *Error {
	return &Error{Kind: k, Field: field, Message: msg}
}

// Role is what an account may do (PRODUCT.md, "Rights").
type Role string

// The roles.
const (
	RoleManager   Role = "manager"   // gestionnaire CT, the historical account
	RolePrincipal Role = "principal" // gestionnaire principal CT
	RoleOperator  Role = "operator"  // compte opérateur
	RoleStaff     Role = "staff"     // agent du CNFPT
)

// Label is the French name of the role.
func (r Role) Label() string {
	switch r {
	case RoleManager:
		return "gestionnaire CT"
	case RolePrincipal:
		return "gestionnaire principal CT"
	case RoleOperator:
		return "opérateur"
	case RoleStaff:
		return "agent du CNFPT"
	}
	return string(r)
}

// State is the life of an account (the "Etat" column).
type State string

// The states.
const (
	StateInactive State = "inactive" // created, not yet accepted or no password yet
	StateActive   State = "active"
	StateRefused  State = "refused"
	StateClosed   State = "closed" // the historical manager after a change of principal
)

// Civility is "M." or "Mme".
type Civility string

// The civilities.
const (
	Monsieur Civility = "M"
	Madame   Civility = "Mme"
)

// ParseCivility accepts the two form values and nothing else.
func ParseCivility(s string) (Civility, bool) {
	switch Civility(s) {
	case Monsieur, Madame:
		return Civility(s), true
	}
	return "", false
}

// TrainingType is a kind of training the mail preferences are set for.
type TrainingType string

// The training types.
const (
	Integration TrainingType = "integration"
	Inter       TrainingType = "inter"
)

// TrainingTypes lists every training type, in the order the screens show them.
var TrainingTypes = []TrainingType{Integration, Inter}

// Label is the French name of the type, as in "Paramétrage courriels".
func (t TrainingType) Label() string {
	if t == Integration {
		return "Formation d'intégration"
	}
	return "Formation inter"
}

// TypeLabel is a training type with its French label, as the
// training_types table holds it: the types are data, and the screens list
// them from the table, in its order.
type TypeLabel struct {
	Type  TrainingType
	Label string
}

// ShortLabel is the label without its leading "Formation" and article,
// capitalised, for a table's column: "Formation d'intégration" is
// "Intégration", "Formation inter" is "Inter". A label that does not start
// with "Formation " is kept whole.
func (t TypeLabel) ShortLabel() string {
	rest, ok := strings.CutPrefix(t.Label, "Formation ")
	if !ok || rest == "" {
		return t.Label
	}
	for _, article := range []string{"d'", "d’", "de la ", "de l'", "de l’", "de ", "du ", "des "} {
		if r, ok := strings.CutPrefix(rest, article); ok && r != "" {
			rest = r
			break
		}
	}
	first, size := utf8.DecodeRuneInString(rest)
	return string(unicode.ToUpper(first)) + rest[size:]
}

// Codes returns the types of types, in order.
func Codes(types []TypeLabel) []TrainingType {
	out := make([]TrainingType, len(types))
	for i, t := range types {
		out[i] = t.Type
	}
	return out
}

// MailPrefs says, per training type, whether an account receives the
// e-mails and documents (Oui when true). A type missing from the map is
// Non: a type added to the table reaches the historical manager, who
// receives every type, and whoever then chooses Oui for it.
type MailPrefs map[TrainingType]bool

// Receives reports whether the preferences say Oui for t.
func (p MailPrefs) Receives(t TrainingType) bool { return p[t] }

// Equal reports whether p and q say Oui for the same types.
func (p MailPrefs) Equal(q MailPrefs) bool {
	for t, yes := range p {
		if yes != q[t] {
			return false
		}
	}
	for t, yes := range q {
		if yes != p[t] {
			return false
		}
	}
	return true
}

// AllPrefs is Oui for every type of types.
func AllPrefs(types []TrainingType) MailPrefs {
	p := make(MailPrefs, len(types))
	for _, t := range types {
		p[t] = true
	}
	return p
}

// Collectivity is a collectivité territoriale, one tenant of the portal.
type Collectivity struct {
	ID    int64
	Name  string
	Email string
}

// Fiche is the part of an account a person fills in.
type Fiche struct {
	Civility  Civility
	LastName  string
	FirstName string
	Function  string
	Email     string
	Phone     string // ten digits
}

// FullName is "Prénom Nom", as e-mails greet people.
func (f Fiche) FullName() string {
	return strings.TrimSpace(f.FirstName + " " + f.LastName)
}

// Account is one login of the portal.
type Account struct {
	ID             int64
	CollectivityID int64
	Login          string
	Role           Role
	State          State
	Fiche
	Prefs        MailPrefs
	PasswordHash string
}

// CanLogIn reports whether the account's codes may open a session.
func (a Account) CanLogIn() bool {
	return a.State == StateActive && a.PasswordHash != ""
}

// NameKey is the form of a collectivity's name that must be unique: lower
// case, runs of spaces folded ("Commune de  CHOLET" is "commune de cholet").
func NameKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}
