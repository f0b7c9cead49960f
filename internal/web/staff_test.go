package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"iel/internal/domain"
	"iel/internal/store"
)

const (
	staffPassword        = "Cnfpt-Agent-2026"
	subjectCodesMail     = "inscription en ligne : vos codes de connexion"
	subjectPrincipalTold = "inscription en ligne : changement du gestionnaire principal CT"
)

// staffFixture is an agent of the CNFPT, signed in.
type staffFixture struct {
	Account domain.Account
	Login   string
	Client  *http.Client
}

// staff creates an active staff account and signs it in.
func (ts *testServer) staff(t testing.TB) staffFixture {
	t.Helper()
	acc := ts.staffAccount(t)
	return staffFixture{Account: acc, Login: acc.Login, Client: ts.staffClient(t, acc)}
}

// staffAccount creates an active staff account, whose password is staffPassword.
func (ts *testServer) staffAccount(t testing.TB) domain.Account {
	t.Helper()
	hash, err := ts.Hasher.Hash(context.Background(), staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	ts.mu.Lock()
	ts.names++
	n := ts.names
	ts.mu.Unlock()
	acc, err := ts.Store.CreateStaff(store.WithActor(context.Background(), domain.CommandLine),
		store.NewStaff{FirstName: "Agnès", LastName: "Cnfpt", Email: fmt.Sprintf("agnes.cnfpt%d@cnfpt.example.fr", n), PasswordHash: hash}, nil)
	if err != nil {
		t.Fatalf("CreateStaff: %v", err)
	}
	return acc
}

// staffClient returns a browser signed in as the staff account acc.
func (ts *testServer) staffClient(t testing.TB, acc domain.Account) *http.Client {
	t.Helper()
	c := ts.client(t)
	r := ts.postForm(t, c, "/connexion", url.Values{"identifiant": {acc.Login}, "mot_de_passe": {staffPassword}})
	if r.Status != http.StatusSeeOther || r.Location != "/cnfpt" {
		t.Fatalf("staff login: %v, want 303 to /cnfpt", r)
	}
	return c
}

// journalOf returns the sentences staff wrote in the journal of the CT ctID, as "who (role) what".
func (ts *testServer) journalOf(t testing.TB, ctID int64) []string {
	t.Helper()
	// Read beside the portal: the journal's own page is another's.
	db, err := sql.Open("sqlite", "file:"+ts.Config.DB+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT actor_name, actor_role, what FROM journal WHERE collectivity_id = $1 AND actor_role = 'staff' ORDER BY id`, ctID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var who, role, what string
		if err := rows.Scan(&who, &role, &what); err != nil {
			t.Fatal(err)
		}
		out = append(out, who+" ("+role+") "+what)
	}
	return out
}

func TestStaffLandsOnEspaceCNFPT(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	for _, path := range []string{"/", "/connexion"} {
		wantStatus(t, ts.get(t, st.Client, path), http.StatusSeeOther, "/cnfpt")
	}
	r := ts.get(t, st.Client, "/cnfpt")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Espace CNFPT", "Collectivités sans gestionnaire actif", "Rechercher une collectivité", "Créer une collectivité", "Agnès Cnfpt – CNFPT")
	menu := menuMarkup(t, r)
	for _, want := range []string{">Espace CNFPT<", ">Collectivités<", "Se déconnecter"} {
		if !strings.Contains(menu, want) {
			t.Errorf("staff menu lacks %q:\n%s", want, menu)
		}
	}
	for _, not := range []string{">Accueil<", ">Agents<", ">Mon compte<"} {
		if strings.Contains(menu, not) {
			t.Errorf("staff menu has %q", not)
		}
	}
	// What needs staff: a CT whose codes never served, a pending designation.
	fresh := ts.seedInactiveCT(t, "")
	p := ts.principalCT(t)
	r = ts.postForm(t, p.Client, "/compte/gestionnaire-principal", ficheValues(domain.Fiche{Civility: domain.Madame, LastName: "Suivante", FirstName: "Sarah",
		Function: "DGS", Email: "sarah.suivante@cholet.example.fr", Phone: "0241000099"}, "oui", "oui"))
	wantStatus(t, r, http.StatusSeeOther, "/compte")
	r = ts.get(t, st.Client, "/cnfpt")
	wantText(t, r, fresh.CT.Name, "Les codes de connexion du gestionnaire CT n'ont pas encore servi.", "Sarah Suivante : réponse attendue jusqu'au")
	wantMarkup(t, r, fmt.Sprintf(`href="/cnfpt/collectivites/%d"`, fresh.CT.ID), fmt.Sprintf(`href="/cnfpt/collectivites/%d"`, p.CT.ID))
}

// TestStaffSeparation: staff never reach a CT's pages, CT accounts never
// reach the back-office; both refused on the server.
func TestStaffSeparation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	for _, path := range []string{"/compte", "/accueil", "/agents", "/compte/parametres", "/compte/correspondants", "/compte/operateurs", "/compte/gestionnaire-principal"} {
		r := ts.get(t, st.Client, path)
		wantStatus(t, r, http.StatusForbidden, "")
	}
	r := ts.postForm(t, st.Client, "/compte", url.Values{"nom": {"Pirate"}})
	wantStatus(t, r, http.StatusForbidden, "")
	m := ts.seedCT(t)
	c := ts.loggedIn(t, m)
	for _, path := range []string{"/cnfpt", "/cnfpt/collectivites", fmt.Sprintf("/cnfpt/collectivites/%d", m.CT.ID)} {
		r := ts.get(t, c, path)
		wantStatus(t, r, http.StatusForbidden, "")
		wantText(t, r, "Cette page est réservée aux agents du CNFPT.")
	}
	r = ts.postForm(t, c, fmt.Sprintf("/cnfpt/collectivites/%d/nom", m.CT.ID), url.Values{"nom_collectivite": {"Volée"}})
	wantStatus(t, r, http.StatusForbidden, "")
	if got, _ := ts.Store.GetCollectivity(context.Background(), m.CT.ID); got.Name != m.CT.Name {
		t.Errorf("a manager renamed its CT to %q", got.Name)
	}
}

func TestStaffCreatesCollectivity(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	wantStatus(t, ts.get(t, st.Client, "/cnfpt/collectivites/nouvelle"), http.StatusOK, "")
	existing := ts.seedCT(t)
	refused := []struct {
		name   string
		form   url.Values
		status int
		input  string
		want   []string
	}{
		{"empty", url.Values{}, http.StatusUnprocessableEntity, "nom_collectivite", []string{"Saisissez le nom de la collectivité.", "Saisissez l'adresse courriel de la collectivité."}},
		{"bad address", url.Values{"nom_collectivite": {"Commune de Saumur"}, "courriel": {"rh@"}}, http.StatusUnprocessableEntity, "courriel",
			[]string{"Saisissez une adresse courriel valide"}},
		{"name taken", url.Values{"nom_collectivite": {strings.ToUpper(existing.CT.Name)}, "courriel": {"rh@saumur.example.fr"}}, http.StatusConflict, "nom_collectivite",
			[]string{"Une collectivité porte déjà ce nom."}},
	}
	for _, tt := range refused {
		mails := ts.outboxCount(t)
		r := ts.postForm(t, st.Client, "/cnfpt/collectivites", tt.form)
		wantStatus(t, r, tt.status, "")
		wantText(t, r, tt.want...)
		wantMarkup(t, r, `id="`+tt.input+`-error"`)
		if tt.form.Get("nom_collectivite") != "" {
			wantMarkup(t, r, `value="`+tt.form.Get("nom_collectivite")+`"`)
		}
		if n := ts.outboxCount(t); n != mails {
			t.Errorf("%s: %d e-mails queued", tt.name, n-mails)
		}
	}
	r := ts.postForm(t, st.Client, "/cnfpt/collectivites", url.Values{"nom_collectivite": {" Commune  de Saumur "}, "courriel": {"rh@saumur.example.fr"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/cnfpt/collectivites/") {
		t.Fatalf("create: %v, want 303 to the CT's page", r)
	}
	page := ts.get(t, st.Client, r.Location)
	wantStatus(t, page, http.StatusOK, "")
	wantText(t, page, "La collectivité Commune de Saumur est créée. Son gestionnaire CT a l'identifiant", "ses codes de connexion ont été envoyés à rh@saumur.example.fr.")
	m := ts.newestMail(t, subjectCodesMail, "rh@saumur.example.fr")
	if !strings.Contains(m.Text, "Commune de Saumur") || !passwordLink.MatchString(m.Text) {
		t.Errorf("codes e-mail:\n%s", m.Text)
	}
	// The e-mail's link never shows on the staff's pages.
	if strings.Contains(page.Body, ts.passwordPath(t, m.ID)) || strings.Contains(page.Body, "/mot-de-passe/") {
		t.Errorf("the CT's page shows the codes link")
	}
	wantText(t, page, "Mot de passe à choisir : lien valable jusqu'au")

	// The search finds it by name, in any case.
	list := ts.get(t, st.Client, "/cnfpt/collectivites?q=SAUMUR")
	wantStatus(t, list, http.StatusOK, "")
	wantText(t, list, "1 collectivité a été trouvée.", "Commune de Saumur", "codes pas encore utilisés")
	wantNoText(t, list, existing.CT.Name)
}

func TestStaffCollectivitiesPaging(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	for range 52 {
		ts.seedInactiveCT(t, "")
	}
	r := ts.get(t, st.Client, "/cnfpt/collectivites")
	wantText(t, r, "52 collectivités ont été trouvées.", "Page suivante")
	if n := strings.Count(r.Body, `href="/cnfpt/collectivites/`) - strings.Count(r.Body, `href="/cnfpt/collectivites/nouvelle"`); n != 50 {
		t.Errorf("first page links %d CTs, want 50", n)
	}
	next := regexpFind(t, r.Body, `href="(/cnfpt/collectivites\?apres=\d+)"`)
	r = ts.get(t, st.Client, next)
	wantStatus(t, r, http.StatusOK, "")
	wantNoText(t, r, "Page suivante")
	if n := strings.Count(r.Body, `href="/cnfpt/collectivites/`) - strings.Count(r.Body, `href="/cnfpt/collectivites/nouvelle"`); n != 2 {
		t.Errorf("second page links %d CTs, want 2", n)
	}
}

func TestStaffCollectivityPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	p := ts.principalCT(t)
	ts.seedOperators(t, p, domain.Fiche{Civility: domain.Monsieur, LastName: "Invité", FirstName: "Ivan", Function: "Agent",
		Email: "ivan.invite@cholet.example.fr", Phone: "0241000055"})
	ts.seedContact(t, p.CT.ID)
	ts.seedAgent(t, p.CT.ID, "Martin", "Léa", 1)
	r := ts.get(t, st.Client, fmt.Sprintf("/cnfpt/collectivites/%d", p.CT.ID))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, p.CT.Name, "Paramètres", "Agents enregistrés", "Comptes", "gestionnaire principal CT", "gestionnaire",
		"Ivan Invité", "inactif", "Invitation à accepter : lien valable jusqu'au", "fermé", "Correspondants formation",
		"Renommer", "Changer le gestionnaire principal", "Journal")
	wantMarkup(t, r, fmt.Sprintf(`href="/cnfpt/collectivites/%d/journal"`, p.CT.ID))
	wantNoText(t, r, "Renvoyer les codes")
	for _, leak := range []string{"/validationoperateur/", "/mot-de-passe/", "argon2", p.Principal.PasswordHash} {
		if leak != "" && strings.Contains(r.Body, leak) {
			t.Errorf("the CT's page shows %q", leak)
		}
	}
	for _, path := range []string{"/cnfpt/collectivites/99999", "/cnfpt/collectivites/abc", "/cnfpt/collectivites/99999/nom"} {
		wantStatus(t, ts.get(t, st.Client, path), http.StatusNotFound, "")
	}
}

func TestStaffResendsCodes(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	m := ts.seedInactiveCT(t, "")
	r := ts.get(t, st.Client, fmt.Sprintf("/cnfpt/collectivites/%d", m.CT.ID))
	wantText(t, r, "Renvoyer les codes")
	r = ts.postForm(t, st.Client, fmt.Sprintf("/cnfpt/collectivites/%d/codes", m.CT.ID), url.Values{})
	wantStatus(t, r, http.StatusSeeOther, fmt.Sprintf("/cnfpt/collectivites/%d", m.CT.ID))
	first := ts.newestMail(t, subjectCodesMail, m.Account.Email)
	firstLink := ts.passwordPath(t, first.ID)
	r = ts.postForm(t, st.Client, fmt.Sprintf("/cnfpt/collectivites/%d/codes", m.CT.ID), url.Values{})
	wantStatus(t, r, http.StatusSeeOther, fmt.Sprintf("/cnfpt/collectivites/%d", m.CT.ID))
	second := ts.newestMail(t, subjectCodesMail, m.Account.Email)
	if second.ID == first.ID {
		t.Fatal("no second codes e-mail")
	}
	wantStatus(t, ts.get(t, ts.client(t), firstLink), http.StatusGone, "")
	wantStatus(t, ts.get(t, ts.client(t), ts.passwordPath(t, second.ID)), http.StatusOK, "")
	page := ts.get(t, st.Client, r.Location)
	wantText(t, page, "Les codes de connexion du gestionnaire CT ont été renvoyés à "+m.Account.Email)
	wantText(t, ts.get(t, st.Client, "/cnfpt"), "Les codes de connexion du gestionnaire CT n'ont pas encore servi.")
	if got := ts.journalOf(t, m.CT.ID); len(got) != 2 || got[1] != "Agnès Cnfpt (staff) a renvoyé les codes de connexion du gestionnaire CT" {
		t.Errorf("journal: %q", got)
	}

	// A CT past its change of principal has no codes to resend.
	p := ts.principalCT(t)
	mails := ts.outboxCount(t)
	r = ts.postForm(t, st.Client, fmt.Sprintf("/cnfpt/collectivites/%d/codes", p.CT.ID), url.Values{})
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Cette collectivité n'a plus de gestionnaire CT historique")
	if n := ts.outboxCount(t); n != mails {
		t.Errorf("%d e-mails queued", n-mails)
	}
}

func TestStaffRenames(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	a, b := ts.seedCT(t), ts.seedCT(t)
	path := fmt.Sprintf("/cnfpt/collectivites/%d/nom", a.CT.ID)
	r := ts.get(t, st.Client, path)
	wantStatus(t, r, http.StatusOK, "")
	wantMarkup(t, r, `value="`+a.CT.Name+`"`)
	r = ts.postForm(t, st.Client, path, url.Values{"nom_collectivite": {b.CT.Name}})
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Une collectivité porte déjà ce nom.")
	wantMarkup(t, r, `id="nom_collectivite-error"`)
	r = ts.postForm(t, st.Client, path, url.Values{"nom_collectivite": {"  "}})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "Saisissez le nom de la collectivité.")
	r = ts.postForm(t, st.Client, path, url.Values{"nom_collectivite": {"Ville de Cholet"}})
	wantStatus(t, r, http.StatusSeeOther, fmt.Sprintf("/cnfpt/collectivites/%d", a.CT.ID))
	wantText(t, ts.get(t, st.Client, r.Location), "La collectivité s'appelle désormais Ville de Cholet.")
	// The CT's accounts read the new name.
	wantText(t, ts.get(t, ts.loggedIn(t, a), "/compte/parametres"), "Ville de Cholet")
	if got := ts.journalOf(t, a.CT.ID); len(got) != 1 || !strings.Contains(got[0], "a renommé la collectivité") {
		t.Errorf("journal: %q", got)
	}
}

func TestStaffChangesPrincipal(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	p := ts.principalCT(t)
	op := ts.operator(t, p, operatorFiche, "oui", "oui")
	other := ts.principalCT(t)
	otherOp := ts.operator(t, other, domain.Fiche{Civility: domain.Monsieur, LastName: "Ailleurs", FirstName: "Paul", Function: "Agent",
		Email: "paul.ailleurs@angers.example.fr", Phone: "0241000077"}, "oui", "oui")
	path := fmt.Sprintf("/cnfpt/collectivites/%d/gestionnaire-principal", p.CT.ID)

	r := ts.get(t, st.Client, path)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Nouveau gestionnaire principal CT : "+p.CT.Name, "Sophie Bernard")
	r = ts.get(t, st.Client, path+"?operateur="+fmt.Sprint(op.Account.ID))
	wantStatus(t, r, http.StatusOK, "")
	wantMarkup(t, r, `value="s.bernard@cholet.example.fr"`)
	// Another CT's operator is not found from this CT.
	r = ts.get(t, st.Client, path+"?operateur="+fmt.Sprint(otherOp.Account.ID))
	wantStatus(t, r, http.StatusNotFound, "")
	wantNoText(t, r, "paul.ailleurs@angers.example.fr")
	mails := ts.outboxCount(t)
	form := ficheValues(domain.Fiche{Civility: domain.Monsieur, LastName: "Ailleurs", FirstName: "Paul", Function: "Agent",
		Email: "paul.ailleurs@angers.example.fr", Phone: "0241000077"}, "oui", "oui")
	form.Set("operateur", fmt.Sprint(otherOp.Account.ID))
	r = ts.postForm(t, st.Client, path, form)
	if r.Status < 400 || ts.outboxCount(t) != mails {
		t.Errorf("designating another CT's operator: %v, %d e-mails", r, ts.outboxCount(t)-mails)
	}
	// Refused form: messages next to the fields.
	r = ts.postForm(t, st.Client, path, url.Values{})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantMarkup(t, r, `id="nom-error"`, `id="courriel-error"`)

	r = ts.postForm(t, st.Client, path, designationValues)
	wantStatus(t, r, http.StatusSeeOther, fmt.Sprintf("/cnfpt/collectivites/%d", p.CT.ID))
	page := ts.get(t, st.Client, r.Location)
	wantText(t, page, "La désignation est enregistrée", "Nina Nouvelle (nina.nouvelle@cholet.example.fr) est désigné(e) comme gestionnaire principal CT")
	link := ts.mailPath(t, "inscription en ligne : validation de votre compte gestionnaire principal CT", "nina.nouvelle@cholet.example.fr", "/validationgestprin/")
	if strings.Contains(page.Body, link) {
		t.Errorf("the CT's page shows the designation link")
	}
	for _, to := range []string{p.Principal.Email, op.Account.Email} {
		m := ts.newestMail(t, subjectPrincipalTold, to)
		if !strings.Contains(m.Text, "Nina Nouvelle a été désigné(e)") || !strings.Contains(m.Text, p.Principal.FullName()+" a quitté ce rôle") {
			t.Errorf("told e-mail to %s:\n%s", to, m.Text)
		}
	}
	// The designated person accepts by link as usual.
	r = ts.postForm(t, ts.client(t), link, answerValues)
	wantStatus(t, r, http.StatusSeeOther, link)
	if got := ts.accountByLogin(t, p.Login); got.Role != domain.RoleOperator {
		t.Errorf("the principal who left is %s, want operator", got.Role)
	}
	if got := ts.journalOf(t, p.CT.ID); len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), "Agnès Cnfpt (staff) a désigné Nina Nouvelle comme gestionnaire principal CT") {
		t.Errorf("journal: %q", got)
	}

	// A CT still run by its historical manager: its codes, not a designation.
	m := ts.seedCT(t)
	mpath := fmt.Sprintf("/cnfpt/collectivites/%d/gestionnaire-principal", m.CT.ID)
	wantStatus(t, ts.get(t, st.Client, mpath), http.StatusConflict, "")
	mails = ts.outboxCount(t)
	r = ts.postForm(t, st.Client, mpath, designationValues)
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Cette collectivité n'a pas de gestionnaire principal")
	if n := ts.outboxCount(t); n != mails {
		t.Errorf("%d e-mails queued", n-mails)
	}
}

// regexpFind returns the first group of pattern in s.
func regexpFind(t testing.TB, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("%s not found", pattern)
	}
	return html.UnescapeString(m[1])
}

// Staff read any CT's journal, and only that CT's, from its page.
func TestStaffReadsJournal(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	a, b := ts.seedCT(t), ts.seedCT(t)
	r := ts.postForm(t, st.Client, fmt.Sprintf("/cnfpt/collectivites/%d/nom", a.CT.ID), url.Values{"nom_collectivite": {"Ville de Trélazé"}})
	wantStatus(t, r, http.StatusSeeOther, fmt.Sprintf("/cnfpt/collectivites/%d", a.CT.ID))
	wantMarkup(t, ts.get(t, st.Client, r.Location), fmt.Sprintf(`href="/cnfpt/collectivites/%d/journal"`, a.CT.ID))

	r = ts.get(t, st.Client, fmt.Sprintf("/cnfpt/collectivites/%d/journal", a.CT.ID))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Journal", "Retour à la collectivité", "en « Ville de Trélazé »", "(agent du CNFPT)")
	wantNoText(t, r, "Mon compte")
	r = ts.get(t, st.Client, fmt.Sprintf("/cnfpt/collectivites/%d/journal", b.CT.ID))
	wantStatus(t, r, http.StatusOK, "")
	wantNoText(t, r, "Ville de Trélazé")
	wantStatus(t, ts.get(t, st.Client, "/cnfpt/collectivites/999999/journal"), http.StatusNotFound, "")
}
