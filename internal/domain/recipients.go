package domain

import "strings"

// Receives reports whether account a gets the e-mails and documents of
// trainings of type t: the historical manager gets them all while open; a
// principal or an operator when active and its preference for t is Oui.
func (a Account) Receives(t TrainingType) bool {
	switch a.Role {
	case RoleManager:
		return a.State != StateClosed
	case RolePrincipal, RoleOperator:
		return a.State == StateActive && a.Prefs.Receives(t)
	}
	return false
}

// CheckRecipients enforces the recipients rule of PRODUCT.md on the
// accounts of one CT as they would be after a change: for each training
// type, at least one account receives. The error names every type left
// without a recipient.
func CheckRecipients(accounts []Account) *Error {
	var missing []string
	for _, t := range TrainingTypes {
		found := false
		for _, a := range accounts {
			if a.Receives(t) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, "de la "+strings.ToLower(t.Label()))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	types := missing[len(missing)-1]
	if n := len(missing); n > 1 {
		types = strings.Join(missing[:n-1], ", ") + " ni " + missing[n-1]
	}
	return Errorf(Conflict, FieldPrefs, "Ce changement est impossible : plus aucun compte de la collectivité ne recevrait les courriels et documents "+types+". Au moins un compte actif (gestionnaire principal ou opérateur) doit les recevoir.")
}
