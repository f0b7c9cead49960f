package domain

import "time"

// DesignationState is the life of a designation.
type DesignationState string

// The designation states.
const (
	DesignationPending   DesignationState = "pending"
	DesignationAccepted  DesignationState = "accepted"
	DesignationRefused   DesignationState = "refused"
	DesignationCancelled DesignationState = "cancelled" // by the current holder
	DesignationReplaced  DesignationState = "replaced"  // by a newer designation
)

// Designation is the offer of the principal role ("gestionnaire principal
// CT") to a person, who accepts or refuses it by link. Nothing changes
// before acceptance.
type Designation struct {
	ID             int64
	CollectivityID int64
	DesignatedBy   int64 // the account that made it
	TargetAccount  int64 // an existing operator of the CT, or 0 for a new person
	Fiche
	Prefs      MailPrefs
	State      DesignationState
	Comment    string // left by the designated person with the answer
	CreatedAt  time.Time
	SentAt     time.Time
	ExpiresAt  time.Time
	AnsweredAt time.Time
}

// IsHolder reports whether a holds the CT's administration: the open
// historical manager, or the principal. Only the holder designates.
func (a Account) IsHolder() bool {
	return a.State == StateActive && (a.Role == RoleManager || a.Role == RolePrincipal)
}

// AfterAcceptance returns the CT's accounts as they are once d is accepted:
// the historical manager is closed, a previous principal becomes an
// operator, and the designated person (an existing account or a new one,
// returned with ID 0) becomes the principal with the designation's fiche
// and mail preferences.
func AfterAcceptance(accounts []Account, d Designation) []Account {
	out := make([]Account, 0, len(accounts)+1)
	placed := false
	for _, a := range accounts {
		switch {
		case d.TargetAccount != 0 && a.ID == d.TargetAccount:
			a.Role, a.State, a.Fiche, a.Prefs = RolePrincipal, StateActive, d.Fiche, d.Prefs
			placed = true
		case a.Role == RoleManager:
			a.State = StateClosed
		case a.Role == RolePrincipal:
			a.Role = RoleOperator
		}
		out = append(out, a)
	}
	if !placed {
		out = append(out, Account{CollectivityID: d.CollectivityID, Role: RolePrincipal, State: StateActive, Fiche: d.Fiche, Prefs: d.Prefs})
	}
	return out
}

// Gone returns why d can no longer be answered at now, or nil while it can.
func (d Designation) Gone(now time.Time) *Error {
	msg := ""
	switch d.State {
	case DesignationAccepted, DesignationRefused:
		msg = "Ce lien a déjà servi : vous avez déjà répondu à cette désignation."
	case DesignationCancelled:
		msg = "Cette désignation a été annulée par le gestionnaire actuel de la collectivité."
	case DesignationReplaced:
		msg = "Cette désignation a été remplacée par une plus récente : ce lien ne sert plus."
	default:
		if d.ExpiresAt.After(now) {
			return nil
		}
		msg = "Ce lien a expiré. Demandez au gestionnaire actuel de la collectivité de vous renvoyer la désignation."
	}
	return Errorf(Gone, "", msg)
}

// StaleDesignation refuses the acceptance of a designation that the CT's
// accounts, changed since it was made, no longer allow: cause says which
// rule it would break.
func StaleDesignation(cause *Error) *Error {
	return Errorf(cause.Kind, cause.Field, "Le changement ne peut pas être accepté en l'état : les comptes de la collectivité ont changé depuis la désignation. "+
		cause.Message+" Demandez au gestionnaire actuel de refaire la désignation.")
}

// The designations that would give one person two accounts in the CT.
var (
	// ErrDesignatesPrincipal refuses to designate the current principal itself.
	ErrDesignatesPrincipal = Errorf(Conflict, FieldEmail, "Cette personne est déjà le gestionnaire principal de la collectivité : désignez une autre personne.")
	// ErrDesignatesOperator refuses to offer the role, as to a new person, to an active operator.
	ErrDesignatesOperator = Errorf(Conflict, FieldEmail, "Cette personne a déjà un compte opérateur dans la collectivité : choisissez-la parmi les opérateurs plutôt que comme nouvelle personne.")
)

// CheckPerson refuses d when its person already has an account that the
// change would keep: the current principal (designating itself), an active
// operator offered the role as a new person, or any other open account.
// The open historical manager is no such account: it closes on
// acceptance, and the same person legitimately becomes the principal.
func (d Designation) CheckPerson(accounts []Account) *Error {
	for _, a := range accounts {
		if a.State == StateClosed || a.Role == RoleManager || a.ID == d.TargetAccount || !SamePerson(a.Fiche, d.Fiche) {
			continue
		}
		switch {
		case a.Role == RolePrincipal:
			return ErrDesignatesPrincipal
		case a.Role == RoleOperator && a.State == StateActive && d.TargetAccount == 0:
			return ErrDesignatesOperator
		}
		return ErrSamePerson
	}
	return CheckNoDuplicate(AfterAcceptance(accounts, d))
}
