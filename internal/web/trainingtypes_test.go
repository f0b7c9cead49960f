package web_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"iel/internal/domain"
)

// addTrainingType adds a training type to the portal's database: a row of
// training_types, as an administrator would, with no code change.
func addTrainingType(t testing.TB, ts *testServer, code, label string, position int) {
	t.Helper()
	db, err := sql.Open("sqlite", ts.Config.DB)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO training_types (code, label, position) VALUES ($1, $2, $3)`, code, label, position); err != nil {
		t.Fatalf("insert training type %s: %v", code, err)
	}
}

// A third training type is a row: the forms ask for it, the operators list
// has its column, the answer is stored, and the recipients rule checks it.
func TestThirdTrainingTypeIsARow(t *testing.T) {
	ts := newTestServer(t)
	p := ts.principalCT(t) // Oui for the notice's two types; the manager closed
	addTrainingType(t, ts, "union", "Formation union", 3)
	union := domain.TrainingType("union")
	const unionMessage = "Ce changement est impossible : plus aucun compte de la collectivité ne recevrait les courriels et documents de la formation union. Au moins un compte actif (gestionnaire principal ou opérateur) doit les recevoir."

	// "Mon compte": the third question, after the notice's two; the
	// principal, who never answered it, reads Non.
	r := ts.get(t, p.Client, "/compte")
	wantMarkup(t, r, `name="courriel_integration" type="radio" value="oui" checked`, `name="courriel_inter" type="radio" value="oui" checked`,
		`name="courriel_union" type="radio" value="non" checked`)
	wantMarkup(t, r, `govuk-fieldset__legend--s">Formation inter</legend>`, `govuk-fieldset__legend--s">Formation union</legend>`)
	if strings.Index(r.Text, `name="courriel_inter"`) > strings.Index(r.Text, `name="courriel_union"`) {
		t.Errorf("the third type comes before the second on the page")
	}

	// The principal is the only account that could receive it: Non is refused, naming the type.
	own := ficheValues(principalFiche, "oui", "oui")
	own.Set("courriel_union", "non")
	r = ts.postForm(t, p.Client, "/compte", own)
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, unionMessage)
	wantMarkup(t, r, `name="courriel_union" type="radio" value="non" checked`)
	own.Set("courriel_union", "oui")
	wantStatus(t, ts.postForm(t, p.Client, "/compte", own), http.StatusSeeOther, "/compte")
	if a := ts.accountByLogin(t, p.Login); !a.Prefs.Receives(union) || !a.Prefs.Receives(domain.Integration) || !a.Prefs.Receives(domain.Inter) {
		t.Fatalf("principal's preferences = %v, want Oui for all three", a.Prefs)
	}
	if got, err := ts.Store.Recipients(cliCtx(), p.CT.ID, union); err != nil || !slices.Equal(got, []string{p.Principal.Email}) {
		t.Fatalf("Recipients(union) = %v, %v; want the principal's", got, err)
	}

	// "Créer un opérateur": an unanswered third question is refused next to it.
	r = ts.get(t, p.Client, "/compte/operateurs/nouveau")
	wantMarkup(t, r, `name="courriel_union" type="radio" value="oui"`, `id="courriel_union-non"`)
	field, login := issuedIdentifiant(t, r)
	form := ficheValues(operatorFiche, "non", "non")
	form.Set("identifiant", field)
	r = ts.postForm(t, p.Client, "/compte/operateurs", form)
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "Indiquez si ce compte reçoit les courriels de la formation union.")
	wantMarkup(t, r, `href="#courriel_union"`, `id="courriel_union-error"`)
	form.Set("courriel_union", "oui")
	wantStatus(t, ts.postForm(t, p.Client, "/compte/operateurs", form), http.StatusSeeOther, "/compte/operateurs")
	op := ts.accountByLogin(t, login)
	if !op.Prefs.Equal(domain.MailPrefs{union: true}) {
		t.Fatalf("operator's preferences = %v, want Oui for union only", op.Prefs)
	}

	// The operators list: one "Courriel …" column per type, in the table's order.
	r = ts.get(t, p.Client, "/compte/operateurs")
	th := func(s string) string { return `<th scope="col" class="govuk-table__header">` + s + `</th>` }
	wantMarkup(t, r, th("Principal")+th("Courriel Intégration")+th("Courriel Inter")+th("Courriel Union")+th("Etat"))
	if got := rowOf(t, r, login).Cells[3:6]; !slices.Equal(got, []string{"non", "non", "oui"}) {
		t.Errorf("operator's Courriel cells = %v, want non non oui", got)
	}
	if got := rowOf(t, r, p.Login).Cells[3:6]; !slices.Equal(got, []string{"oui", "oui", "oui"}) {
		t.Errorf("principal's Courriel cells = %v, want oui oui oui", got)
	}

	// The operator inactive, the principal still may not leave union.
	wantStatus(t, ts.postForm(t, p.Client, "/compte", ficheValues(principalFiche, "oui", "oui")), http.StatusUnprocessableEntity, "")
	own.Set("courriel_union", "non")
	wantStatus(t, ts.postForm(t, p.Client, "/compte", own), http.StatusConflict, "")

	// Once the operator is active, it receives union and the principal may leave it.
	link := ts.mailPath(t, subjectInvitation, operatorFiche.Email, "/validationoperateur/")
	ts.setPassword(t, ts.acceptInvitation(t, link), operatorPassword)
	wantStatus(t, ts.postForm(t, p.Client, "/compte", own), http.StatusSeeOther, "/compte")
	if got, err := ts.Store.Recipients(cliCtx(), p.CT.ID, union); err != nil || !slices.Equal(got, []string{op.Email}) {
		t.Fatalf("Recipients(union) = %v, %v; want the operator's only", got, err)
	}
	// The operator, now the last to receive union, cannot be deleted.
	r = ts.postForm(t, p.Client, fmt.Sprintf("/compte/operateurs/%d/supprimer", op.ID), nil)
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, unionMessage)

	// "Nouveau gestionnaire principal CT" asks the three; the designation keeps them.
	r = ts.get(t, p.Client, "/compte/gestionnaire-principal")
	wantMarkup(t, r, `name="courriel_union" type="radio" value="oui"`)
	next := domain.Fiche{Civility: domain.Madame, LastName: "Nouvelle", FirstName: "Nina", Function: "DRH", Email: "nina@cholet.example.fr", Phone: "0241000001"}
	form = ficheValues(next, "oui", "non")
	r = ts.postForm(t, p.Client, "/compte/gestionnaire-principal", form)
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "Indiquez si ce compte reçoit les courriels de la formation union.")
	form.Set("courriel_union", "oui")
	wantStatus(t, ts.postForm(t, p.Client, "/compte/gestionnaire-principal", form), http.StatusSeeOther, "/compte")
	d, err := ts.Store.GetPendingDesignation(cliCtx(), p.CT.ID)
	if err != nil || !d.Prefs.Equal(domain.MailPrefs{domain.Integration: true, union: true}) {
		t.Fatalf("designation prefs = %v, %v; want integration and union", d.Prefs, err)
	}
}
