package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
)

// anne is a correspondant as the form is filled in.
var anne = domain.TrainingContact{Fiche: domain.Fiche{Civility: domain.Madame, LastName: "Moreau", FirstName: "Anne",
	Function: "Responsable formation", Email: "a.moreau@cholet.example.fr", Phone: "02 41 49 25 10"}, Perimeter: "Filière technique"}

// contactValues is the correspondant form filled in with c.
func contactValues(c domain.TrainingContact) url.Values {
	return url.Values{"civilite": {string(c.Civility)}, "nom": {c.LastName}, "prenom": {c.FirstName}, "fonction": {c.Function},
		"courriel": {c.Email}, "telephone": {c.Phone}, "perimetre": {c.Perimeter}}
}

var contactSeq atomic.Int64

// seedContact adds a correspondant to the CT ctID through the store: a
// new person each time (the courriel tells them apart).
func (ts *testServer) seedContact(t testing.TB, ctID int64) domain.TrainingContact {
	t.Helper()
	n := contactSeq.Add(1)
	c, err := ts.Store.CreateTrainingContact(cliCtx(), ctID, domain.TrainingContact{Fiche: domain.Fiche{
		Civility: domain.Monsieur, LastName: "Cible", FirstName: "Charles", Function: "Référent", Email: fmt.Sprintf("cible%d@example.fr", n),
		Phone: "0241000011"}, Perimeter: "Filière sportive"})
	if err != nil {
		t.Fatalf("CreateTrainingContact: %v", err)
	}
	return c
}

// contacts lists the correspondants of the CT ctID as stored, by id.
func (ts *testServer) contacts(t testing.TB, ctID int64) []domain.TrainingContact {
	t.Helper()
	cs, err := ts.Store.ListTrainingContacts(cliCtx(), ctID)
	if err != nil {
		t.Fatalf("ListTrainingContacts: %v", err)
	}
	return cs
}

// contactRow is a row of "CORRESPONDANTS FORMATION": the name, then
// Fonction, Courriel, Téléphone, Périmètre.
type contactRowText struct {
	Name  string
	Cells []string
}

var contactRowBlock = regexp.MustCompile(`(?s)<tr class="govuk-table__row">\s*<th scope="row"[^>]*>([^<]*)</th>(.*?)</tr>`)

// contactRows reads the rows of the list, without the actions' cell.
func contactRows(r response) []contactRowText {
	var out []contactRowText
	for _, m := range contactRowBlock.FindAllStringSubmatch(r.Text, -1) {
		row := contactRowText{Name: strings.TrimSpace(m[1])}
		for _, c := range cellBlock.FindAllStringSubmatch(m[2], -1) {
			row.Cells = append(row.Cells, strings.TrimSpace(c[1]))
		}
		if len(row.Cells) > 0 {
			row.Cells = row.Cells[:len(row.Cells)-1]
		}
		out = append(out, row)
	}
	return out
}

// TestContactsEveryAccount: every account of the CT lists, adds, changes
// and deletes the correspondants; while there is none, a hint says so.
func TestContactsEveryAccount(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	manager := ts.loggedIn(t, s)
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "oui")
	for _, c := range []struct {
		name   string
		client *http.Client
		ct     int64
	}{
		{"historical manager", manager, s.CT.ID},
		{"principal", p.Client, p.CT.ID},
		{"operator", o.Client, p.CT.ID},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := ts.get(t, c.client, "/compte/correspondants")
			wantStatus(t, r, http.StatusOK, "")
			wantText(t, r, "Aucun correspondant", "Aucun correspondant formation n'est indiqué pour l'instant.", "Ajouter un correspondant")
			if got := accountTabsOf(t, r); !slices.Contains(got, tab{"Correspondants formation", "/compte/correspondants", true}) {
				t.Errorf("tabs = %+v, want Correspondants formation current", got)
			}
			wantStatus(t, ts.get(t, c.client, "/compte/correspondants/nouveau"), http.StatusOK, "")
			r = ts.postForm(t, c.client, "/compte/correspondants", contactValues(anne))
			wantStatus(t, r, http.StatusSeeOther, "/compte/correspondants")
			r = ts.get(t, c.client, "/compte/correspondants")
			wantText(t, r, "Anne Moreau est ajouté(e) aux correspondants formation.", "1 correspondant")
			wantNoText(t, r, "Aucun correspondant")
			saved := ts.contacts(t, c.ct)
			if len(saved) != 1 {
				t.Fatalf("%d correspondants, want 1", len(saved))
			}
			path := fmt.Sprintf("/compte/correspondants/%d", saved[0].ID)
			wantStatus(t, ts.get(t, c.client, path), http.StatusOK, "")
			changed := anne
			changed.Function = "DRH"
			wantStatus(t, ts.postForm(t, c.client, path, contactValues(changed)), http.StatusSeeOther, "/compte/correspondants")
			wantStatus(t, ts.get(t, c.client, path+"/supprimer"), http.StatusOK, "")
			wantStatus(t, ts.postForm(t, c.client, path+"/supprimer", url.Values{}), http.StatusSeeOther, "/compte/correspondants")
			if n := len(ts.contacts(t, c.ct)); n != 0 {
				t.Errorf("%d correspondants left, want 0", n)
			}
		})
	}
}

// TestContactList: "N correspondants", sorted the French way (case and
// accents aside), with the notice's columns and the phone grouped.
func TestContactList(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	people := []domain.TrainingContact{
		{Fiche: domain.Fiche{Civility: domain.Monsieur, LastName: "Zola", FirstName: "Émile", Email: "e.zola@cholet.example.fr"}},
		anne,
		{Fiche: domain.Fiche{Civility: domain.Madame, LastName: "Émond", FirstName: "Julie", Function: "Référente", Email: "j.emond@cholet.example.fr"}},
		{Fiche: domain.Fiche{Civility: domain.Monsieur, LastName: "durand", FirstName: "Hugo", Email: "h.durand@cholet.example.fr", Phone: "0600000001"}},
		{Fiche: domain.Fiche{Civility: domain.Madame, LastName: "Durand", FirstName: "Agathe", Email: "a.durand@cholet.example.fr"}, Perimeter: "Écoles"},
		{Fiche: domain.Fiche{Civility: domain.Monsieur, LastName: "Eluard", FirstName: "Paul", Email: "p.eluard@cholet.example.fr"}},
	}
	for _, p := range people {
		wantStatus(t, ts.postForm(t, c, "/compte/correspondants", contactValues(p)), http.StatusSeeOther, "/compte/correspondants")
	}
	r := ts.get(t, c, "/compte/correspondants")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "6 correspondants", "Prénom / Nom", "Fonction", "Courriel", "Téléphone", "Périmètre")
	want := []contactRowText{
		{"Agathe Durand", []string{"", "a.durand@cholet.example.fr", "", "Écoles"}},
		{"Hugo durand", []string{"", "h.durand@cholet.example.fr", "06 00 00 00 01", ""}},
		{"Paul Eluard", []string{"", "p.eluard@cholet.example.fr", "", ""}},
		{"Julie Émond", []string{"Référente", "j.emond@cholet.example.fr", "", ""}},
		{"Anne Moreau", []string{"Responsable formation", "a.moreau@cholet.example.fr", "02 41 49 25 10", "Filière technique"}},
		{"Émile Zola", []string{"", "e.zola@cholet.example.fr", "", ""}},
	}
	if diff := cmp.Diff(want, contactRows(r)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestCountCorrespondants(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	// In order: the loop only ever adds correspondants.
	for n, want := range []string{"Aucun correspondant", "1 correspondant", "2 correspondants"} {
		for len(ts.contacts(t, s.CT.ID)) < n {
			ts.seedContact(t, s.CT.ID)
		}
		r := ts.get(t, c, "/compte/correspondants")
		if !strings.Contains(r.Body, `<h2 class="govuk-heading-m">`+want+`</h2>`) {
			t.Errorf("%d correspondants: heading is not %q", n, want)
		}
	}
}

// TestContactRefused: each rule refuses the form with its message next to
// its field, keeps what was typed, and saves nothing.
func TestContactRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	existing := ts.seedContact(t, s.CT.ID)
	before := ts.contacts(t, s.CT.ID)
	tests := []struct {
		name   string
		change func(*domain.TrainingContact)
		input  string
		msg    string
		status int
	}{
		{"no civility", func(c *domain.TrainingContact) { c.Civility = "" }, "civilite", "Choisissez la civilité.", 422},
		{"no nom", func(c *domain.TrainingContact) { c.LastName = " " }, "nom", "Saisissez le nom.", 422},
		{"no prénom", func(c *domain.TrainingContact) { c.FirstName = "" }, "prenom", "Saisissez le prénom.", 422},
		{"no courriel", func(c *domain.TrainingContact) { c.Email = "" }, "courriel", "Saisissez l'adresse courriel.", 422},
		{"bad courriel", func(c *domain.TrainingContact) { c.Email = "a.moreau@cholet" }, "courriel",
			"Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr.", 422},
		{"short phone", func(c *domain.TrainingContact) { c.Phone = "02 41 49" }, "telephone",
			"Le numéro de téléphone doit comporter 10 chiffres, par exemple 02 41 00 00 00.", 422},
		{"périmètre on two lines", func(c *domain.TrainingContact) { c.Perimeter = "Filière\ntechnique" }, "perimetre",
			"Le périmètre ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible.", 422},
		{"périmètre too long", func(c *domain.TrainingContact) { c.Perimeter = strings.Repeat("x", 151) }, "perimetre",
			"Le périmètre ne doit pas dépasser 150 caractères.", 422},
		{"the same person again", func(c *domain.TrainingContact) { *c = existing; c.Email = strings.ToUpper(c.Email) }, "courriel",
			"Cette personne est déjà un correspondant formation de la collectivité (même nom, même prénom et même adresse courriel).", 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := anne
			tt.change(&in)
			for _, path := range []string{"/compte/correspondants", fmt.Sprintf("/compte/correspondants/%d", before[0].ID)} {
				if path != "/compte/correspondants" && tt.status == 409 {
					continue // saving a correspondant as itself is no duplicate
				}
				r := ts.postForm(t, c, path, contactValues(in))
				wantStatus(t, r, tt.status, "")
				wantText(t, r, tt.msg)
				wantMarkup(t, r, `id="`+tt.input+`-error"`, `href="#`+tt.input+`"`)
				if in.FirstName != "" {
					wantMarkup(t, r, `value="`+in.FirstName+`"`) // what was typed stays
				}
				if diff := cmp.Diff(before, ts.contacts(t, s.CT.ID)); diff != "" {
					t.Errorf("POST %s: the refused form wrote (-before +after):\n%s", path, diff)
				}
			}
		})
	}
}

// TestContactIsolation: the id of another CT's correspondant answers 404
// for every page and action, and the correspondant stays as it was.
func TestContactIsolation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	a := ts.seedCT(t)
	b := ts.seedCT(t)
	theirs := ts.seedContact(t, b.CT.ID)
	c := ts.loggedIn(t, a)
	path := fmt.Sprintf("/compte/correspondants/%d", theirs.ID)
	changed := contactValues(anne)

	wantStatus(t, ts.get(t, c, path), http.StatusNotFound, "")
	r := ts.postForm(t, c, path, changed)
	wantStatus(t, r, http.StatusNotFound, "")
	wantNoText(t, r, theirs.Email)
	wantStatus(t, ts.get(t, c, path+"/supprimer"), http.StatusNotFound, "")
	wantStatus(t, ts.postForm(t, c, path+"/supprimer", url.Values{}), http.StatusNotFound, "")
	if diff := cmp.Diff([]domain.TrainingContact{theirs}, ts.contacts(t, b.CT.ID)); diff != "" {
		t.Errorf("the other CT's correspondant changed (-before +after):\n%s", diff)
	}
	if n := len(ts.contacts(t, a.CT.ID)); n != 0 {
		t.Errorf("%d correspondants written in the viewer's CT", n)
	}
	for _, bad := range []string{"/compte/correspondants/abc", "/compte/correspondants/0", "/compte/correspondants/-1", "/compte/correspondants/99999999999999999999"} {
		wantStatus(t, ts.get(t, c, bad), http.StatusNotFound, "")
	}
	// Its own CT's page works with the same client: the 404 was the CT's.
	wantStatus(t, ts.get(t, ts.loggedIn(t, b), path), http.StatusOK, "")
}

// TestContactDeleteConfirm: "Supprimer" asks first; only the POST deletes.
func TestContactDeleteConfirm(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	wantStatus(t, ts.postForm(t, c, "/compte/correspondants", contactValues(anne)), http.StatusSeeOther, "/compte/correspondants")
	saved := ts.contacts(t, s.CT.ID)[0]
	path := fmt.Sprintf("/compte/correspondants/%d/supprimer", saved.ID)

	r := ts.get(t, c, "/compte/correspondants")
	wantMarkup(t, r, `href="`+path+`"`)
	r = ts.get(t, c, path)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Supprimer le correspondant Anne Moreau ?", "a.moreau@cholet.example.fr", "Filière technique")
	wantMarkup(t, r, `<form method="post" action="`+path+`">`)
	if n := len(ts.contacts(t, s.CT.ID)); n != 1 {
		t.Fatalf("the confirmation page deleted: %d left", n)
	}
	wantStatus(t, ts.postForm(t, c, path, url.Values{}), http.StatusSeeOther, "/compte/correspondants")
	r = ts.get(t, c, "/compte/correspondants")
	wantText(t, r, "Anne Moreau ne fait plus partie des correspondants formation.", "Aucun correspondant")
	wantStatus(t, ts.postForm(t, c, path, url.Values{}), http.StatusNotFound, "")
}

// TestContactEdit: "Modifier" shows the correspondant as saved, the phone
// grouped; saving normalizes it.
func TestContactEdit(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	wantStatus(t, ts.postForm(t, c, "/compte/correspondants", contactValues(anne)), http.StatusSeeOther, "/compte/correspondants")
	saved := ts.contacts(t, s.CT.ID)[0]
	path := fmt.Sprintf("/compte/correspondants/%d", saved.ID)
	r := ts.get(t, c, path)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Modifier un correspondant")
	wantMarkup(t, r, `value="Moreau"`, `value="Anne"`, `value="02 41 49 25 10"`, `value="Filière technique"`, `value="Mme" checked`,
		`action="`+path+`"`)

	changed := anne
	changed.Email, changed.Phone, changed.Function = " A.Moreau@CHOLET.example.fr ", "", ""
	wantStatus(t, ts.postForm(t, c, path, contactValues(changed)), http.StatusSeeOther, "/compte/correspondants")
	want := saved
	want.Email, want.Phone, want.Function = "A.Moreau@cholet.example.fr", "", ""
	if diff := cmp.Diff([]domain.TrainingContact{want}, ts.contacts(t, s.CT.ID)); diff != "" {
		t.Errorf("saved (-want +got):\n%s", diff)
	}
	wantText(t, ts.get(t, c, "/compte/correspondants"), "La fiche du correspondant Anne Moreau est enregistrée.")
}

// withoutContacts empties the correspondants of every CT of the
// authorization world, so that each visitor adds or renames afresh.
func withoutContacts(t *testing.T, w *authzWorld) {
	t.Helper()
	for _, ct := range []int64{w.a.CT.ID, w.b.CT.ID, w.manager.CT.ID} {
		for _, c := range w.ts.contacts(t, ct) {
			if err := w.ts.Store.DeleteTrainingContact(cliCtx(), ct, c.ID); err != nil {
				t.Fatalf("DeleteTrainingContact: %v", err)
			}
		}
	}
}

// ourContact: an action on a correspondant of the first CT (the
// principal's and the operator's); the accounts of other CTs do not find it.
func ourContact(e expect) map[string]expect {
	return byRole(toLogin, e, e, notFound, notFound)
}

// walkContacts adds "CORRESPONDANTS FORMATION" to the walk of the portal,
// as the principal p and the operator o of the CT ctID see it.
func walkContacts(w *pageWalk, ts *testServer, ctID int64, p, o *http.Client) {
	t := w.t
	w.add("contacts-empty", 200, ts.get(t, p, "/compte/correspondants"))
	w.add("contact-new", 200, ts.get(t, p, "/compte/correspondants/nouveau"))
	w.add("contact-new-refused", 422, ts.postForm(t, p, "/compte/correspondants", contactValues(domain.TrainingContact{
		Fiche: domain.Fiche{LastName: "Moreau", Email: "a.moreau@", Phone: "02 41"}, Perimeter: "Filière technique"})))
	wantStatus(t, ts.postForm(t, p, "/compte/correspondants", contactValues(anne)), http.StatusSeeOther, "/compte/correspondants")
	ts.get(t, p, "/compte/correspondants") // the flash is read
	hugo := domain.TrainingContact{Fiche: domain.Fiche{Civility: domain.Monsieur, LastName: "Roux", FirstName: "Hugo",
		Email: "h.roux@cholet.example.fr"}, Perimeter: "Agents des écoles"}
	wantStatus(t, ts.postForm(t, o, "/compte/correspondants", contactValues(hugo)), http.StatusSeeOther, "/compte/correspondants")
	w.add("contacts", 200, ts.get(t, o, "/compte/correspondants"))
	w.add("contact-new-conflict", 409, ts.postForm(t, p, "/compte/correspondants", contactValues(anne)))
	var id int64
	for _, c := range ts.contacts(t, ctID) {
		if c.LastName == "Roux" {
			id = c.ID
		}
	}
	path := fmt.Sprintf("/compte/correspondants/%d", id)
	w.add("contact-edit", 200, ts.get(t, p, path))
	w.add("contact-edit-refused", 422, ts.postForm(t, p, path, contactValues(domain.TrainingContact{Fiche: domain.Fiche{
		Civility: domain.Monsieur, LastName: "Roux", Email: "h.roux@cholet.example.fr"}, Perimeter: "Agents des écoles"})))
	w.add("contact-delete", 200, ts.get(t, p, path+"/supprimer"))
}
