package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// The CT's side of trainings: the catalogue, "Inscrire des agents", "Mes
// inscriptions", a registration's page and documents, "Accueil".

const (
	subjectReceived  = "inscription en ligne : accusé de réception de votre demande d'inscription"
	subjectCancelled = "inscription en ligne : annulation d'inscription"
)

// day is a calendar day as the sessions hold them.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// seedSession publishes a session of type typ starting on start (two
// days), whose deadline is the day before, through the store.
func (ts *testServer) seedSession(t testing.TB, code, title string, typ domain.TrainingType, start time.Time, capacity int) domain.Session {
	t.Helper()
	sess, err := ts.Store.CreateSession(cliCtx(), domain.Session{Code: code, Title: title, Type: typ, StartsOn: start, EndsOn: start.AddDate(0, 0, 1),
		Hours: "9 h 00 – 17 h 00", Place: "CNFPT Angers, 2 rue de la Formation, 49000 Angers", Capacity: capacity,
		Deadline: start.AddDate(0, 0, -1), Audience: "Agents de catégorie C"})
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return sess
}

// letters are the real e-mails, for the store's training methods that staff call.
func (ts *testServer) letters(t testing.TB) *mail.Letters {
	t.Helper()
	l, err := mail.NewLetters(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// register registers the agents to sess through the store, as the CT ctID.
func (ts *testServer) register(t testing.TB, ctID int64, sess domain.Session, agents ...int64) []domain.Registration {
	t.Helper()
	regs, err := ts.Store.Register(cliCtx(), ctID, sess.ID, agents, ts.letters(t))
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	return regs
}

// accept accepts the registration id as staff would.
func (ts *testServer) accept(t testing.TB, id int64) {
	t.Helper()
	if _, err := ts.Store.AcceptRegistration(cliCtx(), id, ts.letters(t)); err != nil {
		t.Fatalf("AcceptRegistration: %v", err)
	}
}

// markPresent moves the clock into the session of registration id, marks
// the agent present as staff would, and moves the clock back.
func (ts *testServer) markPresent(t testing.TB, id int64, sess domain.Session) {
	t.Helper()
	d := time.Until(sess.StartsOn) + 36*time.Hour
	ts.Clock.Advance(d)
	defer ts.Clock.Advance(-d)
	if _, err := ts.Store.MarkPresent(cliCtx(), id, ts.letters(t)); err != nil {
		t.Fatalf("MarkPresent: %v", err)
	}
}

// stagiaire creates a stagiaire of the CT ctID appointed appointed.
func (ts *testServer) stagiaire(t testing.TB, ctID int64, last, first string, appointed time.Time) store.Agent {
	t.Helper()
	a, err := ts.Store.CreateAgent(cliCtx(), ctID, domain.Agent{Civility: domain.Madame, LastName: last, FirstName: first,
		BirthDate: day(1995, 3, 4), Category: domain.CategoryC, Status: domain.Stagiaire, Grade: "Adjoint administratif", AppointedOn: appointed})
	if err != nil {
		t.Fatalf("CreateAgent: %v", err)
	}
	got, err := ts.Store.GetAgent(cliCtx(), ctID, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// registrationOf returns the registration id of the CT ctID as the store holds it.
func (ts *testServer) registrationOf(t testing.TB, ctID, id int64) domain.Registration {
	t.Helper()
	d, err := ts.Store.GetRegistration(cliCtx(), ctID, id)
	if err != nil {
		t.Fatalf("GetRegistration: %v", err)
	}
	return d.Registration
}

func registerForm(agents ...int64) url.Values {
	v := url.Values{}
	for _, a := range agents {
		v.Add("agents", fmt.Sprint(a))
	}
	return v
}

func sessionPath(id int64) string      { return fmt.Sprintf("/formations/sessions/%d", id) }
func registrationPath(id int64) string { return fmt.Sprintf("/formations/inscriptions/%d", id) }

// inYears is a session day far enough ahead for every test, at a fixed
// date so that the pages' text does not change from day to day.
var (
	sessionDay = day(2030, time.March, 11)
	laterDay   = day(2030, time.June, 17)
)

func TestFormationsMenu(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	for _, c := range []*http.Client{p.Client, ts.loggedIn(t, ts.seedCT(t))} {
		r := ts.get(t, c, "/accueil")
		wantMarkup(t, r, `href="/formations"`)
		r = ts.get(t, c, "/formations")
		wantStatus(t, r, http.StatusOK, "")
		wantMarkup(t, r, `href="/formations" aria-current="page"`)
	}
}

func TestCatalogueSearch(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	ts.seedSession(t, "INT-01", "Découvrir la fonction publique territoriale", domain.Integration, sessionDay, 20)
	ts.seedSession(t, "INTER-01", "Accueillir le public", domain.Inter, laterDay, 12)
	cancelled := ts.seedSession(t, "INTER-02", "Session annulée", domain.Inter, laterDay, 12)
	if err := ts.Store.CancelSession(cliCtx(), cancelled.ID, "Formateur indisponible", ts.letters(t)); err != nil {
		t.Fatal(err)
	}

	r := ts.get(t, c, "/formations")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Rechercher une session", "Type de formation", "Du", "Au", "Mots-clés", "Lieu",
		"Code", "Intitulé", "Dates", "Horaires", "Places restantes", "Date limite d'inscription",
		"INT-01", "Découvrir la fonction publique territoriale", "Formation d'intégration", "du 11/03/2030 au 12/03/2030", "20", "10/03/2030",
		"INTER-01", "Accueillir le public", "Formation inter")
	wantNoText(t, r, "Session annulée")

	tests := []struct {
		name, query string
		want, not   string
	}{
		{name: "type", query: "?type=inter", want: "INTER-01", not: "INT-01<"},
		{name: "words without accents", query: "?mots=decouvrir", want: "INT-01", not: "INTER-01"},
		{name: "place", query: "?lieu=angers", want: "INTER-01", not: "Aucune session"},
		{name: "from", query: "?du=01/04/2030", want: "INTER-01", not: "INT-01<"},
		{name: "to", query: "?au=01/04/2030", want: "INT-01", not: "INTER-01"},
		{name: "nothing", query: "?mots=zorglub", want: "Aucune session à venir ne correspond à cette recherche.", not: "INT-01"},
	}
	for _, tt := range tests {
		r := ts.get(t, c, "/formations"+tt.query)
		wantStatus(t, r, http.StatusOK, "")
		if !strings.Contains(r.Text, tt.want) || strings.Contains(r.Body, tt.not) {
			t.Errorf("%s: want %q, not %q; page:\n%s", tt.name, tt.want, tt.not, excerpt(r.Text))
		}
	}

	r = ts.get(t, c, "/formations?du=31/02/2030&au=2030-01-01&type=autre")
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "La date « Du » doit être une date JJ/MM/AAAA", "Ce type de formation n'existe pas.")
	r = ts.get(t, c, "/formations?du=01/05/2030&au=01/04/2030")
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "La date « Au » ne peut pas précéder la date « Du ».")
}

var nextLinkHref = regexp.MustCompile(`href="([^"]+)" rel="next"`)

func TestCataloguePages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	for i := range store.SessionPageSize + 3 {
		ts.seedSession(t, fmt.Sprintf("P-%03d", i), fmt.Sprintf("Session %03d", i), domain.Inter, sessionDay.AddDate(0, 0, i), 5)
	}
	r := ts.get(t, c, "/formations?type=inter")
	wantText(t, r, "P-000", "P-049")
	wantNoText(t, r, "P-050")
	next := nextLinkHref.FindStringSubmatch(r.Body)
	if next == nil {
		t.Fatalf("no next page:\n%s", excerpt(r.Text))
	}
	r = ts.get(t, c, strings.ReplaceAll(next[1], "&amp;", "&"))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "P-050", "P-052", "Première page")
	wantNoText(t, r, "P-049")
	if nextLinkHref.MatchString(r.Body) {
		t.Error("the last page links a next one")
	}
}

func TestRegisterAgents(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	sess := ts.seedSession(t, "INTER-01", "Accueillir le public", domain.Inter, sessionDay, 12)
	zoe := ts.seedAgent(t, s.CT.ID, "Émond", "Zoé", 1)
	jean := ts.seedAgent(t, s.CT.ID, "Lefèvre", "Jean", 2)
	gone := ts.seedAgent(t, s.CT.ID, "Parti", "Paul", 3)
	if _, err := ts.Store.SetAgentLeft(cliCtx(), s.CT.ID, gone.ID, true); err != nil {
		t.Fatal(err)
	}

	r := ts.get(t, c, sessionPath(sess.ID))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Accueillir le public", "Places restantes", "12", "Public visé", "Inscrire des agents",
		"Aucun agent de la collectivité n'est inscrit à cette session.")

	r = ts.get(t, c, sessionPath(sess.ID)+"/inscrire")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Inscrire des agents", "Émond Zoé", "Lefèvre Jean")
	wantNoText(t, r, "Parti Paul")
	r = ts.get(t, c, sessionPath(sess.ID)+"/inscrire?q=emond")
	wantText(t, r, "Émond Zoé")
	wantNoText(t, r, "Lefèvre Jean")

	// Nothing checked.
	r = ts.postForm(t, c, sessionPath(sess.ID)+"/inscrire", url.Values{})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "Choisissez au moins un agent à inscrire.")
	wantMarkup(t, r, `href="#agents"`)

	mails := ts.outboxCount(t)
	r = ts.postForm(t, c, sessionPath(sess.ID)+"/inscrire", registerForm(zoe.ID, jean.ID))
	wantStatus(t, r, http.StatusSeeOther, sessionPath(sess.ID))
	r = ts.get(t, c, sessionPath(sess.ID))
	wantText(t, r, "2 inscriptions ont été transmises au CNFPT", "Zoé Émond", "Jean Lefèvre", "transmise")
	if n := ts.outboxCount(t) - mails; n != 2 {
		t.Errorf("%d e-mails queued, want 2 accusés de réception", n)
	}
	ts.newestMail(t, subjectReceived, defaultFiche.Email)

	refusals := []struct {
		name   string
		form   url.Values
		status int
		msg    string
	}{
		{name: "twice", form: registerForm(zoe.ID), status: http.StatusConflict, msg: "Zoé Émond est déjà inscrit à cette session."},
		{name: "left", form: registerForm(gone.ID), status: http.StatusConflict, msg: "Paul Parti a quitté la collectivité"},
		{name: "unknown", form: registerForm(999999), status: http.StatusNotFound, msg: "Cet agent n'existe pas dans votre collectivité."},
	}
	for _, tt := range refusals {
		mails := ts.outboxCount(t)
		r := ts.postForm(t, c, sessionPath(sess.ID)+"/inscrire", tt.form)
		wantStatus(t, r, tt.status, "")
		wantText(t, r, tt.msg)
		if ts.outboxCount(t) != mails {
			t.Errorf("%s: e-mails queued", tt.name)
		}
	}
	// All or none: a good agent with a bad one registers nobody.
	other := ts.seedAgent(t, s.CT.ID, "Martin", "Léa", 4)
	r = ts.postForm(t, c, sessionPath(sess.ID)+"/inscrire", registerForm(other.ID, zoe.ID))
	wantStatus(t, r, http.StatusConflict, "")
	wantMarkup(t, r, fmt.Sprintf(`value="%d" checked`, other.ID))
	page, err := ts.Store.ListRegistrations(cliCtx(), s.CT.ID, store.RegistrationFilter{AgentID: other.ID})
	if err != nil || len(page.Registrations) != 0 {
		t.Errorf("Léa Martin registered: %v %+v", err, page.Registrations)
	}

	// A session of an unknown id.
	wantStatus(t, ts.get(t, c, "/formations/sessions/999999"), http.StatusNotFound, "")
	wantStatus(t, ts.get(t, c, "/formations/sessions/abc/inscrire"), http.StatusNotFound, "")
	wantStatus(t, ts.postForm(t, c, "/formations/sessions/999999/inscrire", registerForm(zoe.ID)), http.StatusNotFound, "")
}

func TestRegisterClosedSessions(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	a := ts.seedAgent(t, s.CT.ID, "Émond", "Zoé", 1)
	today := domain.ParisDay(time.Now())

	// Deadline passed: the session starts in three days, its deadline was yesterday.
	late, err := ts.Store.CreateSession(cliCtx(), domain.Session{Code: "LATE", Title: "Trop tard", Type: domain.Inter, StartsOn: today.AddDate(0, 0, 3),
		EndsOn: today.AddDate(0, 0, 3), Hours: "9 h – 12 h", Place: "Angers", Capacity: 5, Deadline: today.AddDate(0, 0, -1), Audience: "Tous"})
	if err != nil {
		t.Fatal(err)
	}
	cancelled := ts.seedSession(t, "CANC", "Annulée", domain.Inter, sessionDay, 5)
	if err := ts.Store.CancelSession(cliCtx(), cancelled.ID, "Formateur indisponible", ts.letters(t)); err != nil {
		t.Fatal(err)
	}
	started, err := ts.Store.CreateSession(cliCtx(), domain.Session{Code: "NOW", Title: "En cours", Type: domain.Inter, StartsOn: today,
		EndsOn: today.AddDate(0, 0, 1), Hours: "9 h – 12 h", Place: "Angers", Capacity: 5, Deadline: today.AddDate(0, 0, -2), Audience: "Tous"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		sess domain.Session
		msg  string
	}{
		{late, "La date limite d'inscription à cette session est passée."},
		{cancelled, "Cette session a été annulée : elle ne prend plus d'inscription."},
		{started, "Cette session a déjà commencé : elle ne prend plus d'inscription."},
	} {
		r := ts.get(t, c, sessionPath(tt.sess.ID))
		wantStatus(t, r, http.StatusOK, "")
		wantText(t, r, tt.msg)
		wantNoMarkup(t, r, sessionPath(tt.sess.ID)+"/inscrire")
		r = ts.get(t, c, sessionPath(tt.sess.ID)+"/inscrire")
		wantStatus(t, r, http.StatusConflict, "")
		wantText(t, r, tt.msg)
		r = ts.postForm(t, c, sessionPath(tt.sess.ID)+"/inscrire", registerForm(a.ID))
		wantStatus(t, r, http.StatusConflict, "")
		wantText(t, r, tt.msg)
	}
	if page, _ := ts.Store.ListRegistrations(cliCtx(), s.CT.ID, store.RegistrationFilter{}); len(page.Registrations) != 0 {
		t.Errorf("registrations made: %+v", page.Registrations)
	}
}

func TestRegisterIntegrationConfirmation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	sess := ts.seedSession(t, "INT-01", "Découvrir la fonction publique territoriale", domain.Integration, sessionDay, 20)
	today := domain.ParisDay(time.Now())
	fresh := ts.stagiaire(t, s.CT.ID, "Nouvelle", "Nina", today.AddDate(0, -2, 0))
	old := ts.stagiaire(t, s.CT.ID, "Ancienne", "Anne", today.AddDate(-2, 0, 0))
	titulaire := ts.seedAgent(t, s.CT.ID, "Titulaire", "Théo", 1)

	// A stagiaire of the year: no question.
	r := ts.postForm(t, c, sessionPath(sess.ID)+"/inscrire", registerForm(fresh.ID))
	wantStatus(t, r, http.StatusSeeOther, sessionPath(sess.ID))

	// The others: the confirmation step, nothing registered yet.
	mails := ts.outboxCount(t)
	r = ts.postForm(t, c, sessionPath(sess.ID)+"/inscrire", registerForm(old.ID, titulaire.ID))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Confirmer l'inscription", "Anne Ancienne", "il y a plus d'un an", "Théo Titulaire", "cet agent n'est pas stagiaire (statut : titulaire)")
	if ts.outboxCount(t) != mails {
		t.Error("e-mails queued before the confirmation")
	}
	if page, _ := ts.Store.ListRegistrations(cliCtx(), s.CT.ID, store.RegistrationFilter{}); len(page.Registrations) != 1 {
		t.Fatalf("%d registrations before the confirmation, want 1", len(page.Registrations))
	}
	form := registerForm(old.ID, titulaire.ID)
	form.Set("confirme", "1")
	wantMarkup(t, r, `name="confirme" value="1"`, fmt.Sprintf(`name="agents" value="%d"`, old.ID), fmt.Sprintf(`name="agents" value="%d"`, titulaire.ID))
	r = ts.postForm(t, c, sessionPath(sess.ID)+"/inscrire", form)
	wantStatus(t, r, http.StatusSeeOther, sessionPath(sess.ID))
	if page, _ := ts.Store.ListRegistrations(cliCtx(), s.CT.ID, store.RegistrationFilter{}); len(page.Registrations) != 3 {
		t.Errorf("%d registrations after the confirmation, want 3", len(page.Registrations))
	}

	// An inter session asks nothing of a titulaire.
	inter := ts.seedSession(t, "INTER-01", "Accueillir le public", domain.Inter, sessionDay, 20)
	wantStatus(t, ts.postForm(t, c, sessionPath(inter.ID)+"/inscrire", registerForm(titulaire.ID)), http.StatusSeeOther, sessionPath(inter.ID))
}

func TestRegistrationPageAndDocuments(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	// An operator who chose Non for both types still downloads the documents.
	op := ts.operator(t, p, operatorFiche, "non", "non")
	sess := ts.seedSession(t, "INTER-01", "Accueillir le public", domain.Inter, sessionDay, 12)
	a := ts.seedAgent(t, p.CT.ID, "Émond", "Zoé", 1)
	reg := ts.register(t, p.CT.ID, sess, a.ID)[0]
	path := registrationPath(reg.ID)

	r := ts.get(t, op.Client, path)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Inscription "+reg.Reference(), "Zoé Émond", "transmise", "Transmise le", "Accueillir le public",
		"La convocation sera disponible ici", "Annuler l'inscription")
	wantNoMarkup(t, r, path+"/convocation", path+"/attestation")
	wantStatus(t, ts.get(t, op.Client, path+"/convocation"), http.StatusNotFound, "")
	wantStatus(t, ts.get(t, op.Client, path+"/attestation"), http.StatusNotFound, "")

	ts.accept(t, reg.ID)
	r = ts.get(t, op.Client, path)
	wantText(t, r, "acceptée", "Convocation (PDF)")
	wantMarkup(t, r, path+"/convocation")
	wantNoMarkup(t, r, path+"/attestation")
	r = ts.get(t, op.Client, path+"/convocation")
	wantStatus(t, r, http.StatusOK, "")
	if ct := r.Header.Get("Content-Type"); ct != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF-") {
		t.Errorf("convocation: %s, %q", ct, r.Body[:min(10, len(r.Body))])
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, "convocation-"+reg.Reference()+".pdf") {
		t.Errorf("convocation: Content-Disposition %q", cd)
	}
	again := ts.get(t, p.Client, path+"/convocation")
	if again.Body != r.Body {
		t.Error("the same registration gave two convocations")
	}
	wantStatus(t, ts.get(t, op.Client, path+"/attestation"), http.StatusNotFound, "")

	ts.markPresent(t, reg.ID, sess)
	r = ts.get(t, op.Client, path)
	wantText(t, r, "présent", "Convocation (PDF)", "Attestation de présence (PDF)")
	wantNoText(t, r, "Annuler l'inscription")
	r = ts.get(t, op.Client, path+"/attestation")
	wantStatus(t, r, http.StatusOK, "")
	if !strings.HasPrefix(r.Body, "%PDF-") || !strings.Contains(r.Header.Get("Content-Disposition"), "attestation-") {
		t.Errorf("attestation: %v %q", r, r.Header.Get("Content-Disposition"))
	}
}

func TestRegistrationCancel(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	sess := ts.seedSession(t, "INTER-01", "Accueillir le public", domain.Inter, sessionDay, 1)
	zoe := ts.seedAgent(t, s.CT.ID, "Émond", "Zoé", 1)
	jean := ts.seedAgent(t, s.CT.ID, "Lefèvre", "Jean", 2)
	regs := ts.register(t, s.CT.ID, sess, zoe.ID, jean.ID)
	ts.accept(t, regs[0].ID)
	if _, err := ts.Store.WaitlistRegistration(cliCtx(), regs[1].ID, ts.letters(t)); err != nil {
		t.Fatal(err)
	}
	path := registrationPath(regs[0].ID)

	r := ts.get(t, c, path+"/annuler")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Voulez-vous vraiment annuler l'inscription de", "Zoé Émond", "Conserver l'inscription")
	wantStatus(t, ts.postForm(t, c, path+"/annuler", nil), http.StatusSeeOther, path)
	r = ts.get(t, c, path)
	wantText(t, r, "L'inscription de Zoé Émond est annulée", "annulée")
	wantNoMarkup(t, r, path+"/annuler")
	ts.newestMail(t, subjectCancelled, defaultFiche.Email)
	// The place freed went to the waiting list.
	if st := ts.registrationOf(t, s.CT.ID, regs[1].ID).State; st != domain.RegistrationAccepted {
		t.Errorf("the waiting registration is %s, want accepted", st)
	}

	// Twice: refused.
	r = ts.get(t, c, path+"/annuler")
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Cette inscription est dans l'état « annulée » : cette action n'est pas possible.")
	r = ts.postForm(t, c, path+"/annuler", nil)
	wantStatus(t, r, http.StatusConflict, "")

	// Once the session has begun: refused.
	ts.Clock.Advance(time.Until(sess.StartsOn) + 36*time.Hour)
	c = ts.loggedIn(t, s) // the login session ended with the years gone by
	other := registrationPath(regs[1].ID)
	r = ts.get(t, c, other)
	wantNoMarkup(t, r, other+"/annuler")
	r = ts.get(t, c, other+"/annuler")
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "La session a commencé : l'inscription ne peut plus être annulée.")
	r = ts.postForm(t, c, other+"/annuler", nil)
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "La session a commencé : l'inscription ne peut plus être annulée.")
	if st := ts.registrationOf(t, s.CT.ID, regs[1].ID).State; st != domain.RegistrationAccepted {
		t.Errorf("cancelled after the start: %s", st)
	}
}

// TestRegistrationIsolation: a CT's registrations, agents and documents
// are nobody else's; another CT's ids are pages that do not exist.
func TestRegistrationIsolation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	mine, theirs := ts.seedCT(t), ts.seedCT(t)
	c := ts.loggedIn(t, mine)
	sess := ts.seedSession(t, "INTER-01", "Accueillir le public", domain.Inter, sessionDay, 12)
	their := ts.seedAgent(t, theirs.CT.ID, "Autre", "Agent", 1)
	regs := ts.register(t, theirs.CT.ID, sess, their.ID)
	ts.accept(t, regs[0].ID)
	ts.markPresent(t, regs[0].ID, sess)
	path := registrationPath(regs[0].ID)

	for _, p := range []string{path, path + "/annuler", path + "/convocation", path + "/attestation"} {
		r := ts.get(t, c, p)
		wantStatus(t, r, http.StatusNotFound, "")
		wantNoText(t, r, "Agent Autre")
	}
	wantStatus(t, ts.postForm(t, c, path+"/annuler", nil), http.StatusNotFound, "")
	if st := ts.registrationOf(t, theirs.CT.ID, regs[0].ID).State; st != domain.RegistrationPresent {
		t.Errorf("their registration is %s", st)
	}
	// Their agent, registered by us: 404, nothing made.
	later := ts.seedSession(t, "INTER-02", "Accueillir le public 2", domain.Inter, laterDay, 12)
	mails := ts.outboxCount(t)
	r := ts.postForm(t, c, sessionPath(later.ID)+"/inscrire", registerForm(their.ID))
	wantStatus(t, r, http.StatusNotFound, "")
	if ts.outboxCount(t) != mails {
		t.Error("e-mails queued")
	}
	// Nor do they show in our lists, our session page, our home, our export.
	for _, p := range []string{"/formations/inscriptions", sessionPath(sess.ID), "/accueil", "/formations/inscriptions/export",
		fmt.Sprintf("/formations/inscriptions?agent=%d", their.ID)} {
		r := ts.get(t, c, p)
		wantStatus(t, r, http.StatusOK, "")
		wantNoText(t, r, "Autre")
	}
	r = ts.get(t, c, sessionPath(later.ID)+"/inscrire")
	wantNoText(t, r, "Autre")
}

func TestRegistrationList(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	r := ts.get(t, c, "/formations/inscriptions")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Mes inscriptions", "Aucun agent de la collectivité n'est inscrit à une session")

	integ := ts.seedSession(t, "INT-01", "Découvrir la fonction publique territoriale", domain.Integration, sessionDay, 20)
	inter := ts.seedSession(t, "INTER-01", "=SOMME(A1:A9) en tableur", domain.Inter, laterDay, 20)
	zoe := ts.stagiaire(t, s.CT.ID, "Émond", "Zoé", domain.ParisDay(time.Now()).AddDate(0, -1, 0))
	jean := ts.seedAgent(t, s.CT.ID, "Lefèvre", "Jean", 2)
	r1 := ts.register(t, s.CT.ID, integ, zoe.ID)[0]
	r2 := ts.register(t, s.CT.ID, inter, zoe.ID, jean.ID)
	ts.accept(t, r2[1].ID)
	_ = r1

	r = ts.get(t, c, "/formations/inscriptions")
	wantText(t, r, "Zoé Émond", "Jean Lefèvre", "INT-01", "INTER-01", "transmise", "acceptée", "Exporter (CSV)")
	tests := []struct {
		name, query string
		rows        int
	}{
		{"agent", fmt.Sprintf("?agent=%d", jean.ID), 1},
		{"state", "?etat=sent", 2},
		{"type", "?type=integration", 1},
		{"period", "?du=01/04/2030", 2},
		{"period to", "?au=31/03/2030", 1},
		{"together", fmt.Sprintf("?agent=%d&type=inter&etat=accepted", jean.ID), 1},
		{"none", "?etat=absent", 0},
	}
	for _, tt := range tests {
		r := ts.get(t, c, "/formations/inscriptions"+tt.query)
		wantStatus(t, r, http.StatusOK, "")
		if n := strings.Count(r.Body, `href="/formations/inscriptions/`) - strings.Count(r.Body, `/formations/inscriptions/export`); n != tt.rows {
			t.Errorf("%s: %d rows, want %d", tt.name, n, tt.rows)
		}
	}
	r = ts.get(t, c, "/formations/inscriptions?etat=perdu&type=x&du=hier")
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "Cet état n'existe pas.", "Ce type de formation n'existe pas.", "La date « Du » doit être une date")

	// The export: the filter's rows, every page, formulas neutralized.
	r = ts.get(t, c, "/formations/inscriptions/export?type=inter")
	wantStatus(t, r, http.StatusOK, "")
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	lines := strings.Split(strings.TrimSuffix(r.Body, "\r\n"), "\r\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "\ufeffRéférence;Nom;Prénom;Code;Intitulé;Type de formation") {
		t.Fatalf("export:\n%s", r.Body)
	}
	for _, l := range lines[1:] {
		if !strings.Contains(l, ";'=SOMME(A1:A9) en tableur;") {
			t.Errorf("formula not neutralized: %s", l)
		}
	}
	if !strings.Contains(r.Body, "Lefèvre;Jean;INTER-01;'=SOMME(A1:A9) en tableur;Formation inter;17/06/2030;18/06/2030;9 h 00 – 17 h 00;") ||
		!strings.Contains(r.Body, ";acceptée;;") {
		t.Errorf("export:\n%s", r.Body)
	}
}

func TestRegistrationListPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	var ids []int64
	for i := range store.RegistrationPageSize + 2 {
		ids = append(ids, ts.seedAgent(t, s.CT.ID, "Zola", fmt.Sprintf("Agent %02d", i), i).ID)
	}
	sess := ts.seedSession(t, "BIG", "Grande session", domain.Inter, sessionDay, 100)
	ts.register(t, s.CT.ID, sess, ids...)
	r := ts.get(t, c, "/formations/inscriptions?type=inter")
	rows := func(r response) int { return strings.Count(r.Body, `>Voir<span`) }
	if n := rows(r); n != store.RegistrationPageSize {
		t.Fatalf("first page: %d rows", n)
	}
	next := nextLinkHref.FindStringSubmatch(r.Body)
	if next == nil {
		t.Fatal("no next page")
	}
	r = ts.get(t, c, strings.ReplaceAll(next[1], "&amp;", "&"))
	if n := rows(r); n != 2 {
		t.Errorf("second page: %d rows", n)
	}
	wantText(t, r, "Première page", "Agent 00", "Agent 01")
}

func TestHomeTrainings(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	r := ts.get(t, c, "/accueil")
	wantText(t, r, "Inscriptions en attente de décision", "Aucune inscription n'attend de décision du CNFPT.",
		"Prochaines sessions de vos agents", "Aucun agent n'a d'inscription acceptée à une session à venir.")

	sess := ts.seedSession(t, "INTER-01", "Accueillir le public", domain.Inter, sessionDay, 12)
	zoe := ts.seedAgent(t, s.CT.ID, "Émond", "Zoé", 1)
	jean := ts.seedAgent(t, s.CT.ID, "Lefèvre", "Jean", 2)
	regs := ts.register(t, s.CT.ID, sess, zoe.ID, jean.ID)
	ts.accept(t, regs[1].ID)
	r = ts.get(t, c, "/accueil")
	decide := r.Body[strings.Index(r.Body, `id="a-decider"`):strings.Index(r.Body, `id="prochaines-sessions"`)]
	next := r.Body[strings.Index(r.Body, `id="prochaines-sessions"`):]
	if !strings.Contains(decide, "Zoé Émond") || strings.Contains(decide, "Jean Lefèvre") {
		t.Errorf("to decide:\n%s", decide)
	}
	if !strings.Contains(next, "Jean Lefèvre") || strings.Contains(next, "Zoé Émond") || !strings.Contains(next, registrationPath(regs[1].ID)) {
		t.Errorf("next sessions:\n%s", next)
	}
}
