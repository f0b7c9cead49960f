package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"iel/internal/domain"
	"iel/internal/spreadsheet"
	"iel/internal/store"
)

// agentValues is the agent form filled for Hélène Durand, with change applied.
func agentValues(change map[string]string) url.Values {
	v := url.Values{
		"civilite": {"Mme"}, "nom": {"Durand"}, "prenom": {"Hélène"}, "date_naissance": {"17/05/1980"}, "courriel": {""},
		"categorie": {"B"}, "statut": {"titulaire"}, "grade": {"Rédacteur principal de 2e classe"}, "date_nomination": {"01/09/2005"},
	}
	for k, val := range change {
		v.Set(k, val)
	}
	return v
}

// agentsOf returns the agents of the CT ctID, those who left included.
func (ts *testServer) agentsOf(t testing.TB, ctID int64) []store.Agent {
	t.Helper()
	list, err := ts.Store.ListAllAgents(cliCtx(), ctID, store.AgentFilter{WithLeft: true})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// seedAgent creates the agent last first, born in 1980 + i, in the CT ctID.
func (ts *testServer) seedAgent(t testing.TB, ctID int64, last, first string, i int) store.Agent {
	t.Helper()
	a, err := ts.Store.CreateAgent(cliCtx(), ctID, domain.Agent{Civility: domain.Monsieur, LastName: last, FirstName: first,
		BirthDate: time.Date(1960+i%40, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), Category: domain.CategoryC, Status: domain.Titulaire,
		Grade: "Adjoint technique", AppointedOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatalf("CreateAgent: %v", err)
	}
	got, err := ts.Store.GetAgent(cliCtx(), ctID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// postFile sends data as the file name of the import form.
func (ts *testServer) postFile(t testing.TB, c *http.Client, path, name string, data []byte) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("fichier", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return do(t, c, req)
}

var agentRow = regexp.MustCompile(`(?s)<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">(.*?)(?:<br>.*?)?</th><td class="govuk-table__cell">(.*?)</td>`)

// agentNames lists "Nom Prénom" of each row of the list's page.
func agentNames(r response) []string {
	var out []string
	for _, m := range agentRow.FindAllStringSubmatch(r.Text, -1) {
		out = append(out, strings.TrimSpace(m[1])+" "+strings.TrimSpace(m[2]))
	}
	return out
}

func TestAgentPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)

	r := ts.get(t, c, "/agents")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "0 agent", "Aucun agent n'est enregistré", "Ajouter un agent", "Importer des agents (CSV)", "Exporter (CSV)", "Rechercher un agent",
		"Afficher les agents ayant quitté la collectivité")
	wantMarkup(t, r, `class="govuk-service-navigation__item govuk-service-navigation__item--active"><a class="govuk-service-navigation__link" href="/agents" aria-current="page">Agents</a>`)

	wantStatus(t, ts.get(t, c, "/agents/nouveau"), http.StatusOK, "")
	r = ts.postForm(t, c, "/agents", agentValues(map[string]string{"date_naissance": "1980-05-17", "courriel": "h.durand@cholet.example.fr"}))
	wantStatus(t, r, http.StatusSeeOther, "/agents")
	r = ts.get(t, c, "/agents")
	wantText(t, r, "L'agent Hélène Durand est ajouté.", "1 agent")
	if got := agentNames(r); len(got) != 1 || got[0] != "Durand Hélène" {
		t.Fatalf("rows %v", got)
	}
	wantText(t, r, "Rédacteur principal de 2e classe", "Titulaire")
	a := ts.agentsOf(t, s.CT.ID)[0]
	if !a.BirthDate.Equal(time.Date(1980, 5, 17, 0, 0, 0, 0, time.UTC)) || a.Email != "h.durand@cholet.example.fr" {
		t.Errorf("saved %+v", a.Agent)
	}

	// Modifier shows the saved values, dates as JJ/MM/AAAA.
	r = ts.get(t, c, fmt.Sprintf("/agents/%d", a.ID))
	wantStatus(t, r, http.StatusOK, "")
	wantMarkup(t, r, `value="17/05/1980"`, `value="01/09/2005"`, `value="B" checked`, `value="titulaire" checked`, `value="Mme" checked`)
	r = ts.postForm(t, c, fmt.Sprintf("/agents/%d", a.ID), agentValues(map[string]string{"grade": "Attaché", "categorie": "A"}))
	wantStatus(t, r, http.StatusSeeOther, "/agents")
	if a := ts.agentsOf(t, s.CT.ID)[0]; a.Grade != "Attaché" || a.Category != domain.CategoryA {
		t.Errorf("after Modifier: %+v", a.Agent)
	}

	// Another agent of the same identity is refused, next to the name.
	r = ts.postForm(t, c, "/agents", agentValues(map[string]string{"nom": "DURAND", "prenom": "Helene"}))
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Un agent de la collectivité a déjà ce nom, ce prénom et cette date de naissance.")
	wantMarkup(t, r, `<p id="nom-error"`, `value="DURAND"`)
	if n := len(ts.agentsOf(t, s.CT.ID)); n != 1 {
		t.Errorf("%d agents", n)
	}
}

func TestAgentFormRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	tests := []struct {
		name   string
		change map[string]string
		input  string
		msg    string
	}{
		{name: "no civility", change: map[string]string{"civilite": ""}, input: "civilite", msg: "Choisissez la civilité."},
		{name: "no name", change: map[string]string{"nom": " "}, input: "nom", msg: "Saisissez le nom."},
		{name: "birth date format", change: map[string]string{"date_naissance": "17.05.1980"}, input: "date_naissance",
			msg: "La date de naissance doit être au format JJ/MM/AAAA, par exemple 14/07/1985."},
		{name: "birth date that does not exist", change: map[string]string{"date_naissance": "30/02/1980"}, input: "date_naissance",
			msg: "La date de naissance n'existe pas : vérifiez le jour et le mois."},
		{name: "born tomorrow", change: map[string]string{"date_naissance": time.Now().AddDate(0, 0, 2).Format("02/01/2006")}, input: "date_naissance",
			msg: "La date de naissance doit être comprise entre le"},
		{name: "bad address", change: map[string]string{"courriel": "durand@"}, input: "courriel", msg: "Saisissez une adresse courriel valide"},
		{name: "no category", change: map[string]string{"categorie": ""}, input: "categorie", msg: "Choisissez la catégorie."},
		{name: "unknown status", change: map[string]string{"statut": "vacataire"}, input: "statut", msg: "Le statut doit être Titulaire, Stagiaire ou Contractuel."},
		{name: "no grade", change: map[string]string{"grade": ""}, input: "grade", msg: "Saisissez le grade."},
		{name: "nomination before 16", change: map[string]string{"date_nomination": "01/01/1990"}, input: "date_nomination",
			msg: "La date de nomination ne peut pas précéder les 16 ans de l'agent (17/05/1996)."},
		{name: "nomination in two years", change: map[string]string{"date_nomination": time.Now().AddDate(2, 0, 0).Format("02/01/2006")}, input: "date_nomination",
			msg: "La date de nomination ne peut pas être postérieure au"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := agentValues(tt.change)
			r := ts.postForm(t, c, "/agents", form)
			wantStatus(t, r, http.StatusUnprocessableEntity, "")
			wantText(t, r, tt.msg)
			wantMarkup(t, r, `<p id="`+tt.input+`-error"`, `href="#`+tt.input+`"`)
			// What was typed stays.
			for _, k := range []string{"nom", "prenom", "date_naissance", "grade", "date_nomination"} {
				if v := form.Get(k); v != "" && v != " " {
					wantMarkup(t, r, `value="`+v+`"`)
				}
			}
		})
	}
	if n := len(ts.agentsOf(t, s.CT.ID)); n != 0 {
		t.Errorf("%d agents saved by refused forms", n)
	}
}

// TestAgentLeftDeleted: an agent leaves the CT (hidden from the list,
// shown by the filter), comes back; another is deleted.
func TestAgentLeftDeleted(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	lea := ts.seedAgent(t, s.CT.ID, "Martin", "Léa", 1)
	hugo := ts.seedAgent(t, s.CT.ID, "Petit", "Hugo", 2)

	wantStatus(t, ts.postForm(t, c, fmt.Sprintf("/agents/%d/depart", lea.ID), nil), http.StatusSeeOther, "/agents")
	r := ts.get(t, c, "/agents")
	wantText(t, r, "Léa Martin a quitté la collectivité : l'agent n'apparaît plus dans la liste, son historique est conservé.", "1 agent")
	if got := agentNames(r); len(got) != 1 || got[0] != "Petit Hugo" {
		t.Errorf("default list %v", got)
	}
	r = ts.get(t, c, "/agents?anciens=1")
	wantText(t, r, "2 agents", "A quitté la collectivité")
	wantMarkup(t, r, `id="anciens" name="anciens" type="checkbox" value="1" checked`)
	r = ts.get(t, c, fmt.Sprintf("/agents/%d", lea.ID))
	wantText(t, r, "Cet agent a quitté la collectivité (indiqué le", "Réintégrer l'agent")
	wantStatus(t, ts.postForm(t, c, fmt.Sprintf("/agents/%d/retour", lea.ID), nil), http.StatusSeeOther, "/agents")
	r = ts.get(t, c, "/agents")
	wantText(t, r, "Léa Martin est de nouveau dans la liste des agents.", "2 agents")

	r = ts.get(t, c, fmt.Sprintf("/agents/%d/supprimer", hugo.ID))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Supprimer l'agent Hugo Petit ?")
	wantStatus(t, ts.postForm(t, c, fmt.Sprintf("/agents/%d/supprimer", hugo.ID), nil), http.StatusSeeOther, "/agents")
	wantText(t, ts.get(t, c, "/agents"), "L'agent Hugo Petit est supprimé.", "1 agent")
	wantStatus(t, ts.get(t, c, fmt.Sprintf("/agents/%d", hugo.ID)), http.StatusNotFound, "")
}

// TestAgentListPaging: 120 agents, by pages of 50 in the French order,
// and the search.
func TestAgentListPaging(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	lasts := []string{"Émond", "Dubois", "Lefèvre", "Martin", "Zola", "Le Gall", "Legall", "Moreau"}
	for i := range 120 {
		ts.seedAgent(t, s.CT.ID, lasts[i%len(lasts)], fmt.Sprintf("Agent %03d", i), i)
	}
	var all []string
	r := ts.get(t, c, "/agents")
	for page := 1; ; page++ {
		wantStatus(t, r, http.StatusOK, "")
		wantText(t, r, "120 agents")
		rows := agentNames(r)
		all = append(all, rows...)
		wantText(t, r, fmt.Sprintf("Agents %d à %d sur 120", 50*(page-1)+1, 50*(page-1)+len(rows)))
		next := nextLink.FindStringSubmatch(r.Body)
		if next == nil {
			break
		}
		if page > 3 {
			t.Fatal("more than 3 pages")
		}
		r = ts.get(t, c, strings.ReplaceAll(next[1], "&amp;", "&"))
	}
	if len(all) != 120 {
		t.Fatalf("%d rows over the pages, want 120", len(all))
	}
	for i := 1; i < len(all); i++ {
		if frenchLess(all[i], all[i-1]) {
			t.Errorf("row %d %q after %q", i, all[i], all[i-1])
		}
	}
	if !strings.HasPrefix(all[0], "Dubois") || !strings.HasPrefix(all[15], "Émond") || !strings.HasPrefix(all[30], "Le Gall") ||
		!strings.HasPrefix(all[45], "Lefèvre") || !strings.HasPrefix(all[60], "Legall") {
		t.Errorf("order: %v", all)
	}
	// Back from the last page.
	prev := prevLink.FindStringSubmatch(r.Body)
	if prev == nil {
		t.Fatal("no previous page on the last one")
	}
	r = ts.get(t, c, strings.ReplaceAll(prev[1], "&amp;", "&"))
	if got := agentNames(r); len(got) != 50 || got[0] != all[50] {
		t.Errorf("previous page starts with %v, want %q", got[:1], all[50])
	}

	// The search, case and accents aside, pages alike.
	r = ts.get(t, c, "/agents?q=EMOND")
	wantText(t, r, "15 agents")
	for _, n := range agentNames(r) {
		if !strings.HasPrefix(n, "Émond") {
			t.Errorf("search EMOND shows %q", n)
		}
	}
	wantMarkup(t, r, `href="/agents/export?q=EMOND"`, `value="EMOND"`)
	// Every word is looked for: "le gall" finds Le Gall and Legall.
	r = ts.get(t, c, "/agents?q=le+gall")
	wantText(t, r, "30 agents")
	// A cursor that is not one is the first page.
	wantText(t, ts.get(t, c, "/agents?apres=n-importe-quoi"), "Agents 1 à 50 sur 120")
}

var (
	nextLink = regexp.MustCompile(`href="([^"]+)" rel="next"`)
	prevLink = regexp.MustCompile(`href="([^"]+)" rel="prev"`)
)

// frenchLess reports whether a sorts before b in the agents' order.
func frenchLess(a, b string) bool {
	la, fa, _ := strings.Cut(a, " Agent")
	lb, fb, _ := strings.Cut(b, " Agent")
	return bytes.Compare(domain.AgentSortKey(la, "Agent"+fa), domain.AgentSortKey(lb, "Agent"+fb)) < 0
}

// TestAgentsOfAnotherCT: an agent id of another CT answers 404 on every
// route, and stays as it was.
func TestAgentsOfAnotherCT(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	mine, theirs := ts.seedCT(t), ts.seedCT(t)
	c := ts.loggedIn(t, mine)
	a := ts.seedAgent(t, theirs.CT.ID, "Martin", "Léa", 1)
	id := fmt.Sprint(a.ID)
	for _, req := range []struct{ method, path string }{
		{"GET", "/agents/" + id}, {"POST", "/agents/" + id}, {"GET", "/agents/" + id + "/supprimer"}, {"POST", "/agents/" + id + "/supprimer"},
		{"POST", "/agents/" + id + "/depart"}, {"POST", "/agents/" + id + "/retour"}, {"GET", "/agents/abc"},
	} {
		var r response
		if req.method == "GET" {
			r = ts.get(t, c, req.path)
		} else {
			r = ts.postForm(t, c, req.path, agentValues(nil))
		}
		if r.Status != http.StatusNotFound {
			t.Errorf("%s %s: %v, want 404", req.method, req.path, r)
		}
		wantNoText(t, r, "Léa", "Martin")
	}
	after := ts.agentsOf(t, theirs.CT.ID)
	if len(after) != 1 || after[0].Grade != a.Grade || after[0].Left() {
		t.Errorf("their agent changed: %+v", after)
	}
	if r := ts.get(t, c, "/agents?anciens=1"); strings.Contains(r.Text, "Martin") {
		t.Error("my list shows their agent")
	}
	r := ts.get(t, c, "/agents/export?anciens=1")
	if strings.Contains(r.Text, "Martin") {
		t.Error("my export holds their agent")
	}
}

func TestAgentExport(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	ts.seedAgent(t, s.CT.ID, "Martin", "Léa", 1)
	ts.seedAgent(t, s.CT.ID, "=HYPERLINK(\"http://evil.example\")", "+Hugo", 2)
	gone := ts.seedAgent(t, s.CT.ID, "Petit", "Inès", 3)
	if _, err := ts.Store.SetAgentLeft(cliCtx(), s.CT.ID, gone.ID, true); err != nil {
		t.Fatal(err)
	}
	r := ts.get(t, c, "/agents/export")
	wantStatus(t, r, http.StatusOK, "")
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="agents-\d{4}-\d{2}-\d{2}\.csv"$`).MatchString(cd) {
		t.Errorf("Content-Disposition %q", cd)
	}
	want := "\ufeffCivilité;Nom;Prénom;Date de naissance;Courriel;Catégorie;Statut;Grade;Date de nomination\r\n" +
		`M.;"'=HYPERLINK(""http://evil.example"")";'+Hugo;03/03/1962;;C;Titulaire;Adjoint technique;01/01/2020` + "\r\n" +
		"M.;Martin;Léa;02/02/1961;;C;Titulaire;Adjoint technique;01/01/2020\r\n"
	if r.Body != want {
		t.Errorf("export:\n%q\nwant:\n%q", r.Body, want)
	}
	// The filter of the list: a search, those who left.
	if r := ts.get(t, c, "/agents/export?q=martin"); strings.Count(r.Body, "\r\n") != 2 {
		t.Errorf("search export:\n%s", r.Body)
	}
	r = ts.get(t, c, "/agents/export?anciens=1")
	if !strings.Contains(r.Body, "Petit;Inès") {
		t.Errorf("export with those who left:\n%s", r.Body)
	}

	// The export imports back cleanly: nothing to change.
	r = ts.postFile(t, c, "/agents/import", "agents.csv", []byte(r.Body))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("import of the export: %v\n%s", r, excerpt(r.Text))
	}
	r = ts.get(t, c, r.Location)
	wantText(t, r, "lu en UTF-8 : 3 agents.", "Le fichier ne change rien : tous ses agents sont déjà à jour.")
	wantNoText(t, r, "Confirmer l'import")
}

// importFile is a file of agents: Lefèvre Léa (new) and Martin Léa (of the CT, with a new grade).
func importFile() string {
	return "Civilité;Nom;Prénom;Date de naissance;Courriel;Catégorie;Statut;Grade;Date de nomination\r\n" +
		"Mme;Lefèvre;Léa;17/05/1980;;B;Titulaire;Rédacteur;01/09/2005\r\n" +
		"M.;MARTIN;Lea;02/02/1961;;A;Titulaire;Attaché principal;01/01/2020\r\n"
}

func TestAgentImport(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	op := ts.operator(t, p, operatorFiche, "oui", "oui")
	c := p.Client
	ts.seedAgent(t, p.CT.ID, "Martin", "Léa", 1)

	r := ts.get(t, c, "/agents/import")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Importer des agents (CSV)", "au plus 5 000 agents et 2 Mo.", "Civilité ; Nom ; Prénom ; Date de naissance ; Courriel ; Catégorie ; Statut ; Grade ; Date de nomination")

	// The file in Windows-1252, as Excel saves it.
	w1252, err := charmap.Windows1252.NewEncoder().String(importFile())
	if err != nil {
		t.Fatal(err)
	}
	r = ts.postFile(t, c, "/agents/import", `C:\Users\rh\agents.csv`, []byte(w1252))
	wantStatus(t, r, http.StatusSeeOther, "-")
	preview := r.Location
	if !regexp.MustCompile(`^/agents/import/[0-9a-f]{32}/apercu$`).MatchString(preview) {
		t.Fatalf("preview at %q", preview)
	}
	if n := len(ts.agentsOf(t, p.CT.ID)); n != 1 {
		t.Fatalf("%d agents before the confirmation, want 1", n)
	}
	r = ts.get(t, c, preview)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Vérifier l'import", "Fichier « agents.csv », lu en Windows-1252 : 2 agents.", "Agents à créer", "Lefèvre", "Rédacteur",
		"Agents à mettre à jour", "MARTIN", "Nom, Prénom, Catégorie, Grade", "Confirmer l'import")

	// The import is the account's own: another account of the CT does not find it.
	wantStatus(t, ts.get(t, op.Client, preview), http.StatusNotFound, "")
	wantStatus(t, ts.postForm(t, op.Client, preview, nil), http.StatusNotFound, "")

	r = ts.postForm(t, c, preview, nil)
	wantStatus(t, r, http.StatusSeeOther, "/agents")
	wantText(t, ts.get(t, c, "/agents"), "Import terminé : 1 agent créé, 1 agent mis à jour, 0 agent inchangé.", "2 agents", "Attaché principal")

	// Single use: a second confirmation (a refresh) changes nothing, and says so.
	before := ts.agentsOf(t, p.CT.ID)
	r = ts.postForm(t, c, preview, nil)
	wantStatus(t, r, http.StatusGone, "")
	wantText(t, r, "Cet import a déjà été confirmé : il n'est pas appliqué une seconde fois, rien n'a changé.")
	r = ts.get(t, c, preview)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Cet import a été confirmé le")
	wantNoText(t, r, "Confirmer l'import")
	if after := ts.agentsOf(t, p.CT.ID); len(after) != len(before) {
		t.Errorf("%d agents after a second confirmation, want %d", len(after), len(before))
	}

	// An import left too long is not confirmed.
	r = ts.postFile(t, c, "/agents/import", "b.csv", []byte(strings.Replace(importFile(), "Rédacteur;", "Rédacteur principal;", 1)))
	wantStatus(t, r, http.StatusSeeOther, "-")
	ts.Clock.Advance(store.AgentImportTTL + time.Minute)
	ts.login(t, c, p.Login, p.Password) // the session, idle for as long, ended
	r2 := ts.get(t, c, r.Location)
	wantStatus(t, r2, http.StatusGone, "")
	wantText(t, r2, "Cet aperçu a expiré")
	r2 = ts.postForm(t, c, r.Location, nil)
	wantStatus(t, r2, http.StatusGone, "")
	for _, a := range ts.agentsOf(t, p.CT.ID) {
		if a.Grade == "Rédacteur principal" {
			t.Error("an expired import was applied")
		}
	}
}

func TestAgentImportRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	header := "Civilité;Nom;Prénom;Date de naissance;Courriel;Catégorie;Statut;Grade;Date de nomination\r\n"
	tests := []struct {
		name   string
		data   []byte
		status int
		texts  []string
	}{
		{name: "bad lines", data: []byte(header + "Mme;Lefèvre;Léa;17/05/1980;;B;Titulaire;Rédacteur;01/09/2005\r\n" +
			"Mme;Petit;Inès;1980-13-01;;B;Titulaire;Rédacteur;01/09/2005\r\n" +
			"Mme;LEFEVRE;Lea;17/05/1980;;B;Titulaire;Rédacteur;01/09/2005\r\n"),
			status: http.StatusUnprocessableEntity,
			texts: []string{"Le fichier n'a pas été importé : 2 lignes sont en erreur (détail ci-dessous).", "Lignes en erreur", "Fichier « a.csv »",
				"3\nDate de naissance\n1980-13-01\nLa date de naissance n'existe pas : vérifiez le jour et le mois.",
				"4\nMême agent que la ligne 2 (même nom, même prénom et même date de naissance) : gardez une seule ligne par agent."}},
		{name: "missing column", data: []byte("Civilité;Nom;Prénom;Date de naissance;Courriel;Catégorie;Statut;Date de nomination\r\nMme;A;B;01/01/1980;;B;Titulaire;01/01/2005\r\n"),
			status: http.StatusUnprocessableEntity,
			texts:  []string{"sa ligne d'en-tête ne donne pas les colonnes attendues", "Colonne manquante : « Grade »."}},
		{name: "UTF-16", data: []byte{0xff, 0xfe, 'C', 0}, status: http.StatusUnprocessableEntity, texts: []string{"Le fichier est encodé en UTF-16"}},
		{name: "empty", data: nil, status: http.StatusUnprocessableEntity, texts: []string{"Le fichier est vide."}},
		{name: "over 2 MB", data: append([]byte(header), bytes.Repeat([]byte("x"), spreadsheet.MaxBytes)...), status: http.StatusRequestEntityTooLarge,
			texts: []string{"Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers."}},
		{name: "far over 2 MB", data: bytes.Repeat([]byte("x"), 3*spreadsheet.MaxBytes), status: http.StatusRequestEntityTooLarge,
			texts: []string{"Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.postFile(t, c, "/agents/import", "a.csv", tt.data)
			wantStatus(t, r, tt.status, "")
			page := visibleText(r.Body)
			for _, s := range tt.texts {
				if !strings.Contains(page, s) {
					t.Errorf("page does not say %q:\n%s", s, page)
				}
			}
			wantMarkup(t, r, `<p id="fichier-error"`, `href="#fichier"`)
		})
	}
	// The body is bounded, not only the file: 3 Mo of another field before
	// a good file are not read through.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("autre", strings.Repeat("x", 3<<20))
	fw, _ := mw.CreateFormFile("fichier", "a.csv")
	fw.Write([]byte(importFile()))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/agents/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	r := do(t, c, req)
	wantStatus(t, r, http.StatusRequestEntityTooLarge, "")
	wantText(t, r, "Le fichier dépasse 2 Mo")

	// No file chosen.
	r = ts.postForm(t, c, "/agents/import", url.Values{})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "Choisissez le fichier CSV à importer.")
	if n := len(ts.agentsOf(t, s.CT.ID)); n != 0 {
		t.Errorf("%d agents imported from refused files", n)
	}
}
