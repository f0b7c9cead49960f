package web

import (
	"net/http"
	"slices"
	"strings"

	"iel/internal/domain"
)

// The forms' values as typed: read from a request and checked, and shown
// back with one message per field when refused. The pages embed them; the
// rules they check are the domain's.

// ficheForm is a fiche as typed.
type ficheForm struct {
	domain.Fiche
	PhoneInput string // as typed, shown back when refused
}

// parseFiche reads the fiche fields of a form.
func parseFiche(r *http.Request) ficheForm {
	civ, _ := domain.ParseCivility(r.PostFormValue("civilite"))
	f := ficheForm{Fiche: domain.Fiche{
		Civility:  civ,
		LastName:  r.PostFormValue("nom"),
		FirstName: r.PostFormValue("prenom"),
		Function:  r.PostFormValue("fonction"),
		Email:     r.PostFormValue("courriel"),
		Phone:     r.PostFormValue("telephone"),
	}}
	f.PhoneInput = strings.TrimSpace(f.Phone)
	return f
}

// ficheFields lists the fields of a fiche in the order the forms show
// them, for the error summary; the preferences follow (ficheFieldsWith).
var ficheFields = []string{"civilite", "nom", "prenom", "fonction", "courriel", "telephone"}

// ficheFieldsWith is ficheFields, then the questions of pf and the
// preferences' own message.
func ficheFieldsWith(pf prefsForm) []string {
	out := slices.Clone(ficheFields)
	for _, q := range pf {
		out = append(out, q.Name)
	}
	return append(out, "prefs")
}

// prefsQuestion is one question of "Paramétrage courriels": a training
// type, its input ("courriel_" and the type's code) and its answer as
// typed, "oui", "non" or "".
type prefsQuestion struct {
	Type               domain.TrainingType
	Name, Label, Value string
}

// prefsForm is "Paramétrage courriels" as typed: one question per type of
// the training_types table, in its order.
type prefsForm []prefsQuestion

// prefsInput is the name of the input of type t.
func prefsInput(t domain.TrainingType) string { return "courriel_" + string(t) }

// blankPrefs is "Paramétrage courriels" with no answer.
func blankPrefs(types []domain.TypeLabel) prefsForm {
	f := make(prefsForm, len(types))
	for i, t := range types {
		f[i] = prefsQuestion{Type: t.Type, Name: prefsInput(t.Type), Label: t.Label}
	}
	return f
}

// prefsFormOf shows saved preferences in the form: Non for a type p does
// not name.
func prefsFormOf(types []domain.TypeLabel, p domain.MailPrefs) prefsForm {
	f := blankPrefs(types)
	for i := range f {
		f[i].Value = "non"
		if p.Receives(f[i].Type) {
			f[i].Value = "oui"
		}
	}
	return f
}

// parsePrefs reads the radios of "Paramétrage courriels", one per type.
func parsePrefs(r *http.Request, types []domain.TypeLabel, c *domain.Checker) (prefsForm, domain.MailPrefs) {
	f := blankPrefs(types)
	prefs := make(domain.MailPrefs, len(f))
	for i, q := range f {
		v := r.PostFormValue(q.Name)
		f[i].Value = v
		c.Check(v == "oui" || v == "non", q.Name, "Indiquez si ce compte reçoit les courriels de la "+strings.ToLower(q.Label)+".")
		prefs[q.Type] = v == "oui"
	}
	return f, prefs
}

// checkFicheForm reads and checks the fiche and preferences of a form:
// "Mon compte" aside, every form that describes a person has both.
func checkFicheForm(r *http.Request, types []domain.TypeLabel) (ficheForm, prefsForm, domain.MailPrefs, domain.Checker) {
	f := parseFiche(r)
	c := domain.Checker{}
	checkFiche(&c, &f.Fiche)
	pf, prefs := parsePrefs(r, types, &c)
	return f, pf, prefs, c
}

// answerFields lists the fields of an answer form, in order.
var answerFields = []string{"reponse", "commentaire"}

// checkAnswer checks the answer to a role offered by link: "accepte" or
// "refuse", and a comment by the domain's rules. role reads after "le rôle":
// "de gestionnaire principal CT", "d'opérateur CT".
func checkAnswer(answer, comment, role string) domain.Checker {
	c := domain.Checker{}
	c.Check(answer == "accepte" || answer == "refuse", "reponse", "Indiquez si vous acceptez ou refusez le rôle "+role+".")
	if derr := domain.CheckComment(comment); derr != nil {
		c.Check(false, inputName(derr.Field), derr.Message)
	}
	return c
}
