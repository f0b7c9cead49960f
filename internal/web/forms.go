package web

import (
	"net/http"
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

// ficheFields lists the fields of a fiche and its preferences in the
// order the forms show them, for the error summary.
var ficheFields = []string{"civilite", "nom", "prenom", "fonction", "courriel", "telephone", "courriel_integration", "courriel_inter", "prefs"}

// prefsForm is "Paramétrage courriels" as typed: "oui", "non" or "" per type.
type prefsForm struct{ Integration, Inter string }

// prefsFormOf shows saved preferences in the form.
func prefsFormOf(p domain.MailPrefs) prefsForm {
	yn := func(b bool) string {
		if b {
			return "oui"
		}
		return "non"
	}
	return prefsForm{Integration: yn(p.Integration), Inter: yn(p.Inter)}
}

// parsePrefs reads the two radios of "Paramétrage courriels".
func parsePrefs(r *http.Request, c *domain.Checker) (prefsForm, domain.MailPrefs) {
	f := prefsForm{Integration: r.PostFormValue("courriel_integration"), Inter: r.PostFormValue("courriel_inter")}
	c.Check(f.Integration == "oui" || f.Integration == "non", "courriel_integration", "Indiquez si ce compte reçoit les courriels de la formation d'intégration.")
	c.Check(f.Inter == "oui" || f.Inter == "non", "courriel_inter", "Indiquez si ce compte reçoit les courriels de la formation inter.")
	return f, domain.MailPrefs{Integration: f.Integration == "oui", Inter: f.Inter == "oui"}
}

// checkFicheForm reads and checks the fiche and preferences of a form:
// "Mon compte" aside, every form that describes a person has both.
func checkFicheForm(r *http.Request) (ficheForm, prefsForm, domain.MailPrefs, domain.Checker) {
	f := parseFiche(r)
	c := domain.Checker{}
	checkFiche(&c, &f.Fiche)
	pf, prefs := parsePrefs(r, &c)
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
