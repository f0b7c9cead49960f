package web

import (
	"net/http"

	"iel/internal/domain"
)

// statusOf is the HTTP status of a page refused by a rule of kind k.
func statusOf(k domain.Kind) int {
	switch k {
	case domain.Conflict:
		return http.StatusConflict
	case domain.NotFound:
		return http.StatusNotFound
	case domain.Forbidden:
		return http.StatusForbidden
	case domain.Gone:
		return http.StatusGone
	default:
		return http.StatusUnprocessableEntity
	}
}

// inputNames maps each field of the domain to the form input its messages
// are shown next to.
var inputNames = map[domain.Field]string{
	domain.FieldCivility:  "civilite",
	domain.FieldLastName:  "nom",
	domain.FieldFirstName: "prenom",
	domain.FieldFunction:  "fonction",
	domain.FieldEmail:     "courriel",
	domain.FieldPhone:     "telephone",
	domain.FieldPrefs:     "prefs",
	domain.FieldPassword:  "nouveau",
	domain.FieldOperator:  "operateur",
	domain.FieldComment:   "commentaire",
	// "PARAMÈTRES"
	domain.FieldSIRET:      "siret",
	domain.FieldKind:       "type",
	domain.FieldStreet:     "voie",
	domain.FieldComplement: "complement",
	domain.FieldPostcode:   "code_postal",
	domain.FieldCity:       "commune",
	domain.FieldHeadcount:  "effectif",
	// "CORRESPONDANTS FORMATION"
	domain.FieldPerimeter: "perimetre",

	// The agent form's own.
	domain.FieldBirthDate:   "date_naissance",
	domain.FieldCategory:    "categorie",
	domain.FieldStatus:      "statut",
	domain.FieldGrade:       "grade",
	domain.FieldAppointedOn: "date_nomination",

	// A session's ("Publier une session"), and the motif of a decision.
	domain.FieldCode:     "code",
	domain.FieldTitle:    "intitule",
	domain.FieldType:     "type_formation",
	domain.FieldStartsOn: "date_debut",
	domain.FieldEndsOn:   "date_fin",
	domain.FieldHours:    "horaires",
	domain.FieldPlace:    "lieu",
	domain.FieldCapacity: "capacite",
	domain.FieldDeadline: "date_limite",
	domain.FieldAudience: "public",
	domain.FieldMotif:    "motif",
	// "Inscrire des agents".
	domain.FieldAgents: "agents",
}

// inputName is the form input of field f; "" (the error summary alone)
// for the whole form or a field no form shows.
func inputName(f domain.Field) string { return inputNames[f] }

// fieldErrors is derr's message keyed by the input it belongs to.
func fieldErrors(derr *domain.Error) map[string]string {
	return map[string]string{inputName(derr.Field): derr.Message}
}

// checkFiche applies domain.CheckFiche to f and records each message under its input.
func checkFiche(c *domain.Checker, f *domain.Fiche) {
	for _, e := range domain.CheckFiche(f) {
		c.Check(false, inputName(e.Field), e.Message)
	}
}
