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
// type of types (the training_types table), at least one account receives.
// The error names every type left without a recipient, by its label.
func CheckRecipients(types []TypeLabel, accounts []Account) *Error {
	var missing []string
	for _, t := range types {
		found := false
		for _, a := range accounts {
			if a.Receives(t.Type) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, "de la "+strings.ToLower(t.Label))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	names := missing[len(missing)-1]
	if n := len(missing); n > 1 {
		names = strings.Join(missing[:n-1], ", ") + " ni " + missing[n-1]
	}
	return Errorf(Conflict, FieldPrefs, "Ce changement est impossible : plus aucun compte de la collectivité ne recevrait les courriels et documents "+names+". Au moins un compte actif (gestionnaire principal ou opérateur) doit les recevoir.")
}
