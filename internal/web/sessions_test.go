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

// The sessions in the CNFPT's back-office: publishing, modifying and
// cancelling a session, the CSV import, and staff's decisions on the
// registrations, each refusal of the store shown in French.

// day is a calendar day as the store keeps it.

// sessionValues is the form of a valid session; change overrides inputs.
func sessionValues(change map[string]string) url.Values {
	v := url.Values{"code": {"INT-2030-001"}, "intitule": {"Intégration des agents de catégorie C"}, "type_formation": {"integration"},
		"date_debut": {"14/03/2030"}, "date_fin": {"15/03/2030"}, "horaires": {"9 h 00 – 17 h 00"},
		"lieu": {"CNFPT Pays de la Loire, 15 rue de la Rame, 49000 Angers"}, "capacite": {"2"}, "date_limite": {"28/02/2030"},
		"public": {"Agents stagiaires de catégorie C"}}
	for k, x := range change {
		v.Set(k, x)
	}
	return v
}

// seedStaffSession publishes a session through the store, of capacity places, starting on start.
func (ts *testServer) seedStaffSession(t testing.TB, code string, capacity int, start time.Time) domain.Session {
	t.Helper()
	sess, err := ts.Store.CreateSession(cliCtx(), domain.Session{Code: code, Title: "Session " + code, Type: domain.Inter,
		StartsOn: start, EndsOn: start.AddDate(0, 0, 1), Hours: "9 h 00 – 17 h 00", Place: "Angers", Capacity: capacity,
		Deadline: start.AddDate(0, 0, -14), Audience: "Tous les agents"})
	if err != nil {
		t.Fatalf("CreateSession: %v", err)
	}
	return sess
}

// registerAgents registers the agents to the session as the CT would, through the store.
func (ts *testServer) registerAgents(t testing.TB, ctID, sessionID int64, agents ...store.Agent) []domain.Registration {
	t.Helper()
	letters, err := mail.NewLetters(ts.Config.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, len(agents))
	for i, a := range agents {
		ids[i] = a.ID
	}
	regs, err := ts.Store.Register(cliCtx(), ctID, sessionID, ids, letters)
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	return regs
}

// registrationState reads a registration's state back.
func (ts *testServer) registrationState(t testing.TB, id int64) domain.RegistrationState {
	t.Helper()
	d, err := ts.Store.GetAnyRegistration(cliCtx(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Registration.State
}

// wantRedirectUnder checks a 303 to a path that starts with prefix.
func wantRedirectUnder(t testing.TB, r response, prefix string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, prefix) {
		t.Fatalf("got %v, want 303 to %s…; page:\n%s", r, prefix, excerpt(r.Text))
	}
}

func regPath(id int64, action string) string {
	return fmt.Sprintf("/cnfpt/inscriptions/%d/%s", id, action)
}

func sessPath(id int64) string { return fmt.Sprintf("/cnfpt/sessions/%d", id) }

func TestSessionPublish(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.staff(t).Client

	r := ts.get(t, c, "/cnfpt/sessions")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Sessions", "Publier une session", "Importer des sessions (CSV)", "Rechercher une session", "Aucune session ne correspond à cette recherche.")
	if menu := menuMarkup(t, r); !strings.Contains(menu, `aria-current="page">Sessions<`) {
		t.Errorf("the menu does not mark Sessions:\n%s", menu)
	}
	r = ts.get(t, c, "/cnfpt/sessions/nouvelle")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Code", "Intitulé", "Type de formation", "Formation d'intégration", "Formation inter", "Date de début", "Date de fin",
		"Horaires", "Lieu", "Capacité", "Date limite d'inscription", "Public visé")

	tests := []struct {
		name   string
		change map[string]string
		status int
		input  string
		msg    string
	}{
		{name: "no code", change: map[string]string{"code": " "}, status: 422, input: "code", msg: "code"},
		{name: "no type", change: map[string]string{"type_formation": ""}, status: 422, input: "type_formation", msg: "Choisissez le type de formation."},
		{name: "end before start", change: map[string]string{"date_fin": "13/03/2030"}, status: 422, input: "date_fin", msg: "La date de fin ne peut pas précéder la date de début."},
		{name: "capacity", change: map[string]string{"capacite": "deux"}, status: 422, input: "capacite", msg: "La capacité doit être un nombre entier, par exemple 15."},
		{name: "deadline after start", change: map[string]string{"date_limite": "20/03/2030"}, status: 422, input: "date_limite",
			msg: "La date limite d'inscription ne peut pas être postérieure à la date de début."},
	}
	for _, tt := range tests {
		r := ts.postForm(t, c, "/cnfpt/sessions", sessionValues(tt.change))
		wantStatus(t, r, tt.status, "")
		wantMarkup(t, r, `id="`+tt.input+`-error"`)
		wantText(t, r, tt.msg)
		wantMarkup(t, r, `value="Intégration des agents de catégorie C"`) // what was typed is kept
	}

	r = ts.postForm(t, c, "/cnfpt/sessions", sessionValues(nil))
	wantRedirectUnder(t, r, "/cnfpt/sessions/")
	page := r.Location
	r = ts.get(t, c, page)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "La session INT-2030-001 – Intégration des agents de catégorie C est publiée", "du 14/03/2030 au 15/03/2030",
		"CNFPT Pays de la Loire, 15 rue de la Rame, 49000 Angers", "Places restantes", "28/02/2030", "Agents stagiaires de catégorie C",
		"Aucune collectivité n'a encore inscrit d'agent à cette session.", "Modifier", "Annuler la session")

	// One code, one session.
	r = ts.postForm(t, c, "/cnfpt/sessions", sessionValues(map[string]string{"code": "int-2030-001"}))
	wantStatus(t, r, http.StatusConflict, "")
	wantMarkup(t, r, `id="code-error"`)
	wantText(t, r, "Une session porte déjà ce code.")

	// Modifier: the form shows the saved values; a new place is saved.
	r = ts.get(t, c, page+"/modifier")
	wantStatus(t, r, http.StatusOK, "")
	wantMarkup(t, r, `value="INT-2030-001"`, `value="14/03/2030"`)
	r = ts.postForm(t, c, page+"/modifier", sessionValues(map[string]string{"lieu": "Mairie de Cholet"}))
	wantStatus(t, r, http.StatusSeeOther, page)
	wantText(t, ts.get(t, c, page), "La session INT-2030-001 – Intégration des agents de catégorie C est enregistrée.", "Mairie de Cholet")
	r = ts.postForm(t, c, page+"/modifier", sessionValues(map[string]string{"capacite": "0"}))
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantMarkup(t, r, `id="capacite-error"`)

	// The list and its search.
	other := ts.seedStaffSession(t, "INTER-2030-002", 10, day(2030, 6, 10))
	r = ts.get(t, c, "/cnfpt/sessions")
	wantText(t, r, "INT-2030-001", "INTER-2030-002", "Formation d'intégration", "Formation inter", "2 sur 2", "10 sur 10")
	for _, tt := range []struct{ query, in, out string }{
		{"type=inter", "INTER-2030-002", "INT-2030-001"},
		{"mots=integration", "INT-2030-001", "INTER-2030-002"},
		{"lieu=cholet", "INT-2030-001", "INTER-2030-002"},
		{"du=01/06/2030", "INTER-2030-002", "INT-2030-001"},
		{"au=31/03/2030", "INT-2030-001", "INTER-2030-002"},
	} {
		r := ts.get(t, c, "/cnfpt/sessions?"+tt.query)
		wantStatus(t, r, http.StatusOK, "")
		wantText(t, r, tt.in)
		wantNoText(t, r, tt.out)
	}
	r = ts.get(t, c, "/cnfpt/sessions?du=31/02/2030")
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantMarkup(t, r, `id="du-error"`)
	wantStatus(t, ts.get(t, c, "/cnfpt/sessions?apres=nimporte"), http.StatusNotFound, "")
	wantStatus(t, ts.get(t, c, sessPath(other.ID+100)), http.StatusNotFound, "")
	wantStatus(t, ts.get(t, c, "/cnfpt/sessions/abc"), http.StatusNotFound, "")
}

func TestSessionListPaging(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.staff(t).Client
	n := store.SessionPageSize + 3
	for i := range n {
		ts.seedStaffSession(t, fmt.Sprintf("P-%03d", i), 5, day(2030, 1, 1).AddDate(0, 0, i/2))
	}
	codes := regexp.MustCompile(`>(P-\d{3})</a>`)
	var seen []string
	path := "/cnfpt/sessions?lieu=angers"
	for pages := 0; path != ""; pages++ {
		if pages > 2 {
			t.Fatal("more pages than expected")
		}
		r := ts.get(t, c, path)
		wantStatus(t, r, http.StatusOK, "")
		for _, m := range codes.FindAllStringSubmatch(r.Body, -1) {
			seen = append(seen, m[1])
		}
		path = ""
		if m := regexp.MustCompile(`href="([^"]*apres=[^"]*)" rel="next"`).FindStringSubmatch(r.Body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
			if !strings.Contains(path, "lieu=angers") {
				t.Errorf("the next page forgets the search: %s", path)
			}
		}
	}
	if len(seen) != n {
		t.Fatalf("%d sessions over the pages, want %d: %v", len(seen), n, seen)
	}
	for i, code := range seen {
		if want := fmt.Sprintf("P-%03d", i); code != want {
			t.Fatalf("session %d is %s, want %s (by start, then id, no repeat)", i, code, want)
		}
	}
}

func TestRegistrationDecisions(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	c := st.Client
	ct := ts.seedCT(t)
	other := ts.seedCT(t)
	sess := ts.seedStaffSession(t, "DEC-2030", 1, day(2030, 3, 14))
	a1 := ts.seedAgent(t, ct.CT.ID, "Martin", "Léa", 1)
	a2 := ts.seedAgent(t, ct.CT.ID, "Petit", "Hugo", 2)
	a3 := ts.seedAgent(t, other.CT.ID, "Roux", "Inès", 3)
	regs := ts.registerAgents(t, ct.CT.ID, sess.ID, a1, a2)
	r3 := ts.registerAgents(t, other.CT.ID, sess.ID, a3)[0]
	r1, r2 := regs[0], regs[1]
	page := sessPath(sess.ID)

	r := ts.get(t, c, page)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "3 inscriptions sont à décider.", "Léa Martin", "Hugo Petit", "Inès Roux", ct.CT.Name, other.CT.Name, "transmise",
		"La présence pourra être indiquée à partir du premier jour de la session.")
	wantNoText(t, r, "Présent", "Liste d'attente")
	// Espace CNFPT lists the session.
	home := ts.get(t, c, "/cnfpt")
	wantText(t, home, "Inscriptions à décider", "DEC-2030 – Session DEC-2030", "3 inscriptions à décider ; session du 14/03/2030 au 15/03/2030, 1 place restante.")

	mails := ts.outboxCount(t)
	wantStatus(t, ts.postForm(t, c, regPath(r1.ID, "accepter"), url.Values{}), http.StatusSeeOther, page)
	if got := ts.registrationState(t, r1.ID); got != domain.RegistrationAccepted {
		t.Fatalf("accepted registration is %s", got)
	}
	if ts.outboxCount(t) == mails {
		t.Error("no convocation queued")
	}
	wantText(t, ts.get(t, c, page), "L'inscription de Léa Martin est acceptée ; la convocation est envoyée.", "acceptée")

	// The session is full: the store's refusal, in French, on the session's page.
	r = ts.postForm(t, c, regPath(r2.ID, "accepter"), url.Values{})
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "La session est complète : il n'y a plus de place pour accepter cette inscription. Mettez-la en liste d'attente.", "Hugo Petit")
	if got := ts.registrationState(t, r2.ID); got != domain.RegistrationSent {
		t.Fatalf("refused acceptance left %s", got)
	}

	wantStatus(t, ts.postForm(t, c, regPath(r2.ID, "attente"), url.Values{}), http.StatusSeeOther, page)
	wantStatus(t, ts.postForm(t, c, regPath(r3.ID, "attente"), url.Values{}), http.StatusSeeOther, page)
	r = ts.get(t, c, page)
	wantText(t, r, "Liste d'attente", "L'inscription d'Inès Roux est en liste d'attente.")
	waiting := r.Text[strings.Index(r.Text, "Quand une place se libère"):]
	if i, j := strings.Index(waiting, "Hugo Petit"), strings.Index(waiting, "Inès Roux"); i < 0 || j < 0 || i > j {
		t.Errorf("waiting list not in order of sending:\n%s", waiting)
	}

	// A state that does not allow the move.
	r = ts.postForm(t, c, regPath(r2.ID, "attente"), url.Values{})
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Cette inscription est dans l'état « liste d'attente » : cette action n'est pas possible.")

	// Refuser: a motif is required.
	r = ts.get(t, c, regPath(r3.ID, "refuser"))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Refuser l'inscription d'Inès Roux", "Motif")
	r = ts.postForm(t, c, regPath(r3.ID, "refuser"), url.Values{"motif": {"  "}})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantMarkup(t, r, `id="motif-error"`)
	wantText(t, r, "Saisissez le motif.")
	wantStatus(t, ts.postForm(t, c, regPath(r3.ID, "refuser"), url.Values{"motif": {"Session réservée aux stagiaires."}}), http.StatusSeeOther, page)
	if got := ts.registrationState(t, r3.ID); got != domain.RegistrationRefused {
		t.Fatalf("refused registration is %s", got)
	}
	wantText(t, ts.get(t, c, page), "Motif : Session réservée aux stagiaires.")
	wantStatus(t, ts.get(t, c, regPath(r3.ID, "refuser")), http.StatusConflict, "")
	r = ts.postForm(t, c, regPath(r3.ID, "refuser"), url.Values{"motif": {"Encore."}})
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Cette inscription est dans l'état « refusée » : cette action n'est pas possible.")

	// Attendance: refused before the first day, recorded from it.
	r = ts.postForm(t, c, regPath(r1.ID, "present"), url.Values{})
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "La présence ne peut être indiquée qu'à partir du premier jour de la session.")
	ts.Clock.Advance(time.Until(day(2030, 3, 14)) + 10*time.Hour)
	c = ts.staffClient(t, st.Account) // four years later: signed in again
	r = ts.get(t, c, page)
	wantMarkup(t, r, fmt.Sprintf(`action="%s"`, regPath(r1.ID, "present")), fmt.Sprintf(`action="%s"`, regPath(r1.ID, "absent")))
	wantStatus(t, ts.postForm(t, c, regPath(r1.ID, "present"), url.Values{}), http.StatusSeeOther, page)
	if got := ts.registrationState(t, r1.ID); got != domain.RegistrationPresent {
		t.Fatalf("present registration is %s", got)
	}
	wantText(t, ts.get(t, c, page), "Léa Martin est indiqué présent ; l'attestation de présence est envoyée.")
	r = ts.postForm(t, c, regPath(r1.ID, "absent"), url.Values{})
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Cette inscription est dans l'état « présent » : cette action n'est pas possible.")

	// Unknown actions and registrations.
	wantStatus(t, ts.postForm(t, c, regPath(r2.ID, "supprimer"), url.Values{}), http.StatusNotFound, "")
	wantStatus(t, ts.postForm(t, c, regPath(r3.ID+100, "accepter"), url.Values{}), http.StatusNotFound, "")
	wantStatus(t, ts.get(t, c, regPath(r3.ID+100, "refuser")), http.StatusNotFound, "")
}

func TestRegistrationAbsent(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	c := st.Client
	ct := ts.seedCT(t)
	sess := ts.seedStaffSession(t, "ABS-2030", 3, day(2030, 3, 14))
	reg := ts.registerAgents(t, ct.CT.ID, sess.ID, ts.seedAgent(t, ct.CT.ID, "Martin", "Léa", 1))[0]
	wantStatus(t, ts.postForm(t, c, regPath(reg.ID, "accepter"), url.Values{}), http.StatusSeeOther, sessPath(sess.ID))
	wantStatus(t, ts.postForm(t, c, regPath(reg.ID, "absent"), url.Values{}), http.StatusConflict, "")
	ts.Clock.Advance(time.Until(day(2030, 3, 15)))
	c = ts.staffClient(t, st.Account)
	wantStatus(t, ts.postForm(t, c, regPath(reg.ID, "absent"), url.Values{}), http.StatusSeeOther, sessPath(sess.ID))
	if got := ts.registrationState(t, reg.ID); got != domain.RegistrationAbsent {
		t.Fatalf("absent registration is %s", got)
	}
}

func TestSessionCapacityPromotes(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.staff(t).Client
	ct := ts.seedCT(t)
	sess := ts.seedStaffSession(t, "CAP-2030", 1, day(2030, 3, 14))
	regs := ts.registerAgents(t, ct.CT.ID, sess.ID, ts.seedAgent(t, ct.CT.ID, "Martin", "Léa", 1), ts.seedAgent(t, ct.CT.ID, "Petit", "Hugo", 2))
	wantStatus(t, ts.postForm(t, c, regPath(regs[0].ID, "accepter"), url.Values{}), http.StatusSeeOther, sessPath(sess.ID))
	wantStatus(t, ts.postForm(t, c, regPath(regs[1].ID, "attente"), url.Values{}), http.StatusSeeOther, sessPath(sess.ID))
	in := domain.SessionInputOf(sess)
	form := url.Values{"code": {in.Code}, "intitule": {in.Title}, "type_formation": {in.Type}, "date_debut": {in.StartsOn}, "date_fin": {in.EndsOn},
		"horaires": {in.Hours}, "lieu": {in.Place}, "capacite": {"1"}, "date_limite": {in.Deadline}, "public": {in.Audience}}
	// The same capacity changes nothing; a raised one promotes the waiting list.
	wantStatus(t, ts.postForm(t, c, sessPath(sess.ID)+"/modifier", form), http.StatusSeeOther, sessPath(sess.ID))
	form.Set("capacite", "2")
	wantStatus(t, ts.postForm(t, c, sessPath(sess.ID)+"/modifier", form), http.StatusSeeOther, sessPath(sess.ID))
	if got := ts.registrationState(t, regs[1].ID); got != domain.RegistrationAccepted {
		t.Fatalf("a raised capacity left the waiting list at %s", got)
	}
	wantMarkup(t, ts.get(t, c, sessPath(sess.ID)), `<dt class="govuk-summary-list__key">Places restantes</dt><dd class="govuk-summary-list__value">0</dd>`)
	// Two accepted: a capacity of 1 is refused.
	form.Set("capacite", "1")
	r := ts.postForm(t, c, sessPath(sess.ID)+"/modifier", form)
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantMarkup(t, r, `id="capacite-error"`)
	wantText(t, r, "La capacité ne peut pas être inférieure au nombre d'inscriptions déjà acceptées.")
}

func TestSessionCancel(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.staff(t).Client
	ct := ts.seedCT(t)
	sess := ts.seedStaffSession(t, "ANN-2030", 5, day(2030, 3, 14))
	regs := ts.registerAgents(t, ct.CT.ID, sess.ID, ts.seedAgent(t, ct.CT.ID, "Martin", "Léa", 1), ts.seedAgent(t, ct.CT.ID, "Petit", "Hugo", 2))
	page := sessPath(sess.ID)

	r := ts.get(t, c, page+"/annuler")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Annuler la session", "Les 2 inscriptions en cours seront annulées et leurs collectivités informées par courriel, avec le motif.", "Motif")
	r = ts.postForm(t, c, page+"/annuler", url.Values{"motif": {""}})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantMarkup(t, r, `id="motif-error"`)
	wantText(t, r, "Saisissez le motif.")
	if got := ts.registrationState(t, regs[0].ID); got != domain.RegistrationSent {
		t.Fatalf("a refused cancellation changed a registration: %s", got)
	}

	mails := ts.outboxCount(t)
	wantStatus(t, ts.postForm(t, c, page+"/annuler", url.Values{"motif": {"Formateur indisponible."}}), http.StatusSeeOther, page)
	for _, reg := range regs {
		if got := ts.registrationState(t, reg.ID); got != domain.RegistrationCancelled {
			t.Errorf("registration %d is %s after the session's cancellation", reg.ID, got)
		}
	}
	if ts.outboxCount(t) == mails {
		t.Error("no e-mail queued to the CT")
	}
	r = ts.get(t, c, page)
	wantText(t, r, "est annulée ; les collectivités dont des agents étaient inscrits en sont informées.", "Motif : Formateur indisponible.")
	wantNoText(t, r, "Modifier", "Accepter")
	wantText(t, ts.get(t, c, "/cnfpt/sessions"), "Annulée")

	// A cancelled session is neither modified nor cancelled again.
	wantStatus(t, ts.get(t, c, page+"/modifier"), http.StatusConflict, "")
	wantStatus(t, ts.get(t, c, page+"/annuler"), http.StatusConflict, "")
	r = ts.postForm(t, c, page+"/annuler", url.Values{"motif": {"Encore."}})
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Cette session est déjà annulée.")
	r = ts.postForm(t, c, page+"/modifier", sessionValues(map[string]string{"code": "ANN-2030"}))
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Cette session est déjà annulée.")
}

// sessionsFile is a CSV file of sessions as a spreadsheet saves it.
func sessionsFile(lines ...string) []byte {
	return []byte("Code;Intitulé;Type de formation;Date de début;Date de fin;Horaires;Lieu;Capacité;Date limite d'inscription;Public visé\r\n" +
		strings.Join(lines, "\r\n") + "\r\n")
}

func TestSessionImport(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	st := ts.staff(t)
	c := st.Client
	existing := ts.seedStaffSession(t, "IMP-1", 5, day(2030, 3, 14))

	r := ts.get(t, c, "/cnfpt/sessions/import")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Importer des sessions (CSV)", "au plus 2 000 sessions et 2 Mo.", "« Formation d'intégration » (ou integration)",
		"Code ; Intitulé ; Type de formation ; Date de début ; Date de fin ; Horaires ; Lieu ; Capacité ; Date limite d'inscription ; Public visé")

	// No file, bad lines: refused with the report, nothing kept.
	r = ts.postForm(t, c, "/cnfpt/sessions/import", url.Values{})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	r = ts.postFile(t, c, "/cnfpt/sessions/import", "sessions.csv", sessionsFile(
		"IMP-2;Accueil des nouveaux agents;Formation inter;01/04/2030;01/04/2030;9 h – 12 h;Nantes;12;15/03/2030;Tous",
		"IMP-3;Sans capacité;Formation inter;01/04/2030;01/04/2030;9 h – 12 h;Nantes;beaucoup;15/03/2030;Tous"))
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantMarkup(t, r, `id="fichier-error"`)
	wantText(t, r, "Le fichier n'a pas été importé : 1 ligne est en erreur", "Lignes en erreur", "beaucoup")
	if all, _ := ts.Store.ListSessions(cliCtx(), store.SessionFilter{}); len(all.Sessions) != 1 {
		t.Fatalf("a refused file created sessions: %d", len(all.Sessions))
	}

	// A good file: the preview, then the confirmation.
	r = ts.postFile(t, c, "/cnfpt/sessions/import", "sessions.csv", sessionsFile(
		"IMP-1;Session IMP-1;Formation inter;14/03/2030;15/03/2030;9 h 00 – 17 h 00;Cholet;5;28/02/2030;Tous les agents",
		"IMP-2;Accueil des nouveaux agents;Formation d'intégration;01/04/2030;01/04/2030;9 h – 12 h;Nantes;12;15/03/2030;Tous"))
	wantRedirectUnder(t, r, "/cnfpt/sessions/import/")
	preview := r.Location
	r = ts.get(t, c, preview)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Vérifier l'import", "2 sessions", "Sessions à créer", "Accueil des nouveaux agents", "Sessions à mettre à jour", "IMP-1", "Lieu", "Confirmer l'import")
	if got, _ := ts.Store.GetSession(cliCtx(), existing.ID); got.Place != "Angers" {
		t.Fatalf("the preview changed the session: %+v", got)
	}
	// Another staff account does not see this import.
	wantStatus(t, ts.get(t, ts.staff(t).Client, preview), http.StatusNotFound, "")

	wantStatus(t, ts.postForm(t, c, preview, url.Values{}), http.StatusSeeOther, "/cnfpt/sessions")
	r = ts.get(t, c, "/cnfpt/sessions")
	wantText(t, r, "Import terminé : 1 session créée, 1 session mise à jour, 0 session inchangée.", "IMP-2")
	if got, _ := ts.Store.GetSession(cliCtx(), existing.ID); got.Place != "Cholet" {
		t.Fatalf("the import did not update the session: %+v", got)
	}
	r = ts.postForm(t, c, preview, url.Values{})
	wantStatus(t, r, http.StatusGone, "")
	wantText(t, r, "Cet import a déjà été confirmé")
	wantText(t, ts.get(t, c, preview), "Cet import a été confirmé le")

	// All or nothing: a capacity below the places taken refuses the whole file.
	ct := ts.seedCT(t)
	regs := ts.registerAgents(t, ct.CT.ID, existing.ID, ts.seedAgent(t, ct.CT.ID, "Martin", "Léa", 1), ts.seedAgent(t, ct.CT.ID, "Petit", "Hugo", 2))
	for _, reg := range regs {
		wantStatus(t, ts.postForm(t, c, regPath(reg.ID, "accepter"), url.Values{}), http.StatusSeeOther, sessPath(existing.ID))
	}
	r = ts.postFile(t, c, "/cnfpt/sessions/import", "sessions.csv", sessionsFile(
		"IMP-4;Nouvelle;Formation inter;01/05/2030;01/05/2030;9 h – 12 h;Nantes;12;15/04/2030;Tous",
		"IMP-1;Session IMP-1;Formation inter;14/03/2030;15/03/2030;9 h 00 – 17 h 00;Cholet;1;28/02/2030;Tous les agents"))
	wantRedirectUnder(t, r, "/cnfpt/sessions/import/")
	r = ts.postForm(t, c, r.Location, url.Values{})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "Session IMP-1 : La capacité ne peut pas être inférieure au nombre d'inscriptions déjà acceptées.")
	if got := ts.get(t, c, "/cnfpt/sessions?mots=nouvelle"); strings.Contains(got.Text, "IMP-4") {
		t.Error("a refused import created a session")
	}
}

// A session whose last day is past is no longer offered for cancellation,
// and the server refuses it all the same.
func TestSessionOverIsNotCancelled(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.staff(t).Client
	sess := ts.seedStaffSession(t, "FINIE-2020", 5, day(2020, 1, 6))
	page := fmt.Sprintf("/cnfpt/sessions/%d", sess.ID)
	r := ts.get(t, c, page)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Modifier")
	wantNoText(t, r, "Annuler la session")
	wantStatus(t, ts.get(t, c, page+"/annuler"), http.StatusConflict, "")
	r = ts.postForm(t, c, page+"/annuler", url.Values{"motif": {"Trop tard."}})
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Cette session est terminée : elle ne peut plus être annulée.")
	if got, err := ts.Store.GetSession(cliCtx(), sess.ID); err != nil || got.IsCancelled() {
		t.Errorf("session after a refused cancellation: %+v, %v", got, err)
	}
}
