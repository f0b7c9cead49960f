// Package domain holds the types and rules of iel (PRODUCT.md): accounts,
// roles, states, mail preferences, passwords, phones and addresses. It knows
// nothing of SQL or HTTP; its errors carry the French sentence a user reads.
package domain

import "strings"

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

// MailPrefs says, per training type, whether an account receives the
// e-mails and documents.
type MailPrefs struct {
	Integration bool
	Inter       bool
}

// Receives reports whether the preferences say Oui for t.
func (p MailPrefs) Receives(t TrainingType) bool {
	if t == Integration {
		return p.Integration
	}
	return p.Inter
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
