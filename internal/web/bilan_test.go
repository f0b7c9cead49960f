package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// bilanWorld is two CTs whose agents went to trainings in 2025, one of
// them registered to a session of 2026; the clock is on 27 March 2025.
type bilanWorld struct {
	a, b  seededCT
	staff staffFixture
}

// seedBilan moves the portal's clock to 10 March 2025 and makes, through
// the store's own flows, the registrations whose bilan the tests read:
// Cholet 1: Formation inter, 4 inscriptions, 3 acceptées, 1 refusée, 2
// présents, 1 absent (2 days each); Formation d'intégration, 1 acceptée,
// présent (3 days); one transmise for 2026. Cholet 2: Formation inter, 1
// présent. Then the clock moves on to 27 March 2025.
func (ts *testServer) seedBilan(t *testing.T) bilanWorld {
	t.Helper()
	ts.Clock.Advance(time.Until(time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)))
	letters, err := mail.NewLetters(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	w := bilanWorld{a: ts.seedCT(t), b: ts.seedCT(t)}
	staffAccount := ts.staffAccount(t)
	cli := store.WithActor(context.Background(), domain.CommandLine)
	staff := store.WithActor(context.Background(), domain.AccountActor(staffAccount, "192.0.2.9"))
	agents := func(ct seededCT, n int) []int64 {
		var ids []int64
		for i := range n {
			birth := time.Date(1980, 1, 1+i, 0, 0, 0, 0, time.UTC)
			a, err := ts.Store.CreateAgent(cli, ct.CT.ID, domain.Agent{Civility: domain.Madame, LastName: fmt.Sprintf("Agent%02d", i), FirstName: "Léa",
				BirthDate: birth, Category: domain.CategoryC, Status: domain.Titulaire, Grade: "Adjoint administratif", AppointedOn: birth.AddDate(25, 0, 0)})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.ID)
		}
		return ids
	}
	session := func(code string, typ domain.TrainingType, start time.Time, days int) int64 {
		sess, err := ts.Store.CreateSession(staff, domain.Session{Code: code, Title: "Accueil du public", Type: typ, StartsOn: start,
			EndsOn: start.AddDate(0, 0, days-1), Hours: "9 h 00 – 17 h 00", Place: "CNFPT Angers, 2 rue de la Paix, 49000 Angers", Capacity: 10,
			Deadline: start.AddDate(0, 0, -3), Audience: "Agents d'accueil"})
		if err != nil {
			t.Fatal(err)
		}
		return sess.ID
	}
	register := func(ct seededCT, sess int64, agents ...int64) []int64 {
		regs, err := ts.Store.Register(store.WithActor(context.Background(), domain.AccountActor(ct.Account, "192.0.2.1")), ct.CT.ID, sess, agents, letters)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range regs {
			ids = append(ids, r.ID)
		}
		return ids
	}
	must := func(_ domain.Registration, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }
	inter := session("BIL-INTER", domain.Inter, day(3, 20), 2)
	integ := session("BIL-INT", domain.Integration, day(3, 24), 3)
	next := session("BIL-2026", domain.Inter, time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC), 1)
	aa, ba := agents(w.a, 4), agents(w.b, 1)
	ra := register(w.a, inter, aa...)
	ri := register(w.a, integ, aa[0])
	rb := register(w.b, inter, ba...)
	register(w.a, next, aa[1])
	for _, id := range []int64{ra[0], ra[1], ra[2], ri[0], rb[0]} {
		must(ts.Store.AcceptRegistration(staff, id, letters))
	}
	must(ts.Store.RefuseRegistration(staff, ra[3], "Session complète", letters))
	ts.Clock.Advance(17 * 24 * time.Hour)
	for _, id := range []int64{ra[0], ra[1], ri[0], rb[0]} {
		must(ts.Store.MarkPresent(staff, id, letters))
	}
	must(ts.Store.MarkAbsent(staff, ra[2]))
	w.staff = staffFixture{Account: staffAccount, Login: staffAccount.Login, Client: ts.staffClient(t, staffAccount)}
	return w
}

// tableRows is the rows of the page's table as "cell|cell|…".
func tableRows(body string) []string {
	var out []string
	for _, tr := range strings.Split(body, "<tr")[1:] {
		tr = tr[:strings.Index(tr, "</tr>")]
		var cells []string
		for _, c := range strings.Split(tr, "</t")[:] {
			if i := strings.LastIndex(c, ">"); i >= 0 {
				cells = append(cells, strings.TrimSpace(c[i+1:]))
			}
		}
		out = append(out, strings.Join(cells[:len(cells)-1], "|"))
	}
	return out
}

func TestBilanOfACT(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	w := ts.seedBilan(t)
	c := ts.loggedIn(t, w.a)
	r := ts.get(t, c, "/formations/bilan")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Bilan formation", w.a.CT.Name+" – 2025", "Bilan formation 2025 par type de formation", "Exporter (CSV)")
	want := []string{
		"Type de formation|Inscriptions|Acceptées|Refusées|Présents|Absents|Taux de présence|Jours de formation",
		"Formation d&#39;intégration|1|1|0|1|0|100,0\u00a0%|3",
		"Formation inter|4|3|1|2|1|66,7\u00a0%|4",
		"Total|5|4|1|3|1|75,0\u00a0%|7",
	}
	if got := tableRows(r.Body); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("table of Cholet 2025:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The chart: inline SVG, an image with its title and its words.
	wantMarkup(t, r, `role="img" aria-labelledby="bilan-graphique-titre bilan-graphique-description"`,
		`<desc id="bilan-graphique-description">Formation d&#39;intégration : inscriptions 1, acceptées 1, refusées 0, présents 1, absents 0. Formation inter : inscriptions 4, acceptées 3, refusées 1, présents 2, absents 1.</desc>`,
		`href="/formations/bilan/export?annee=2025"`)
	// The years: those with registrations, and this one; 2026 holds one transmise.
	wantMarkup(t, r, `<option value="2026">2026</option>`, `<option value="2025" selected>2025</option>`)
	r = ts.get(t, c, "/formations/bilan?annee=2026")
	wantText(t, r, w.a.CT.Name+" – 2026")
	if got := tableRows(r.Body); len(got) != 4 || got[2] != "Formation inter|1|0|0|0|0|—|0" {
		t.Errorf("table of 2026: %q", got)
	}
	r = ts.get(t, c, "/formations/bilan?annee=2024")
	wantText(t, r, "Aucune inscription à une session qui commence en 2024.")
	wantNoText(t, r, "Exporter (CSV)")
	// A year a form cannot send is this year.
	wantText(t, ts.get(t, c, "/formations/bilan?annee=zorglub"), w.a.CT.Name+" – 2025")

	// The other CT reads its own registrations only.
	r = ts.get(t, ts.loggedIn(t, w.b), "/formations/bilan")
	if got := tableRows(r.Body); len(got) != 4 || got[1] != "Formation d&#39;intégration|0|0|0|0|0|—|0" || got[2] != "Formation inter|1|1|0|1|0|100,0\u00a0%|2" {
		t.Errorf("table of Cholet 2: %q", got)
	}
	wantNoMarkup(t, r, `<option value="2026">`)
}

func TestBilanForEveryAccountOfTheCT(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	op := ts.operator(t, p, operatorFiche, "non", "non") // its mail preferences change nothing here
	for _, c := range []*http.Client{p.Client, op.Client} {
		r := ts.get(t, c, "/formations/bilan")
		wantStatus(t, r, http.StatusOK, "")
		wantText(t, r, "Aucune inscription à une session qui commence en")
	}
}

func TestBilanExport(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	w := ts.seedBilan(t)
	r := ts.get(t, ts.loggedIn(t, w.a), "/formations/bilan/export?annee=2025")
	wantStatus(t, r, http.StatusOK, "")
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="bilan-formation-2025.csv"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	want := "\ufeffAnnée;Type de formation;Inscriptions;Acceptées;Refusées;Présents;Absents;Taux de présence;Jours de formation\r\n" +
		"2025;Formation d'intégration;1;1;0;1;0;100,0\u00a0%;3\r\n" +
		"2025;Formation inter;4;3;1;2;1;66,7\u00a0%;4\r\n" +
		"2025;Total;5;4;1;3;1;75,0\u00a0%;7\r\n"
	if r.Body != want {
		t.Errorf("CSV:\n%q\nwant:\n%q", r.Body, want)
	}
	r = ts.get(t, ts.loggedIn(t, w.a), "/formations/bilan/export?annee=2026")
	if !strings.Contains(r.Body, "2026;Formation inter;1;0;0;0;0;;0\r\n") {
		t.Errorf("CSV of 2026:\n%q", r.Body)
	}
}

func TestStaffBilan(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	w := ts.seedBilan(t)
	c := w.staff.Client
	r := ts.get(t, c, "/cnfpt/bilan")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Espace CNFPT", "Toutes les collectivités – 2025")
	want := []string{
		"Formation d&#39;intégration|1|1|0|1|0|100,0\u00a0%|3",
		"Formation inter|5|4|1|3|1|75,0\u00a0%|6",
		"Total|6|5|1|4|1|80,0\u00a0%|9",
	}
	if got := tableRows(r.Body); len(got) != 4 || strings.Join(got[1:], "\n") != strings.Join(want, "\n") {
		t.Errorf("table of every CT:\n%s", strings.Join(got, "\n"))
	}
	// The CTs to choose from: those that registered agents.
	wantMarkup(t, r, fmt.Sprintf(`<option value="%d">%s</option>`, w.a.CT.ID, w.a.CT.Name), fmt.Sprintf(`<option value="%d">%s</option>`, w.b.CT.ID, w.b.CT.Name))

	// One CT, from its page.
	page := ts.get(t, c, fmt.Sprintf("/cnfpt/collectivites/%d", w.b.CT.ID))
	link := fmt.Sprintf("/cnfpt/bilan?collectivite=%d", w.b.CT.ID)
	wantMarkup(t, page, `href="`+link+`"`)
	r = ts.get(t, c, link)
	wantText(t, r, w.b.CT.Name+" – 2025", "Retour à la collectivité")
	if got := tableRows(r.Body); len(got) != 4 || got[2] != "Formation inter|1|1|0|1|0|100,0\u00a0%|2" {
		t.Errorf("table of Cholet 2: %q", got)
	}
	wantMarkup(t, r, fmt.Sprintf(`href="/cnfpt/bilan/export?annee=2025&amp;collectivite=%d"`, w.b.CT.ID))
	// A CT without registrations is chosen from its page all the same.
	other := ts.seedCT(t)
	r = ts.get(t, c, fmt.Sprintf("/cnfpt/bilan?collectivite=%d", other.CT.ID))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, other.CT.Name+" – 2025", "Aucune inscription à une session qui commence en 2025.")

	r = ts.get(t, c, fmt.Sprintf("/cnfpt/bilan/export?annee=2025&collectivite=%d", w.b.CT.ID))
	if cd := r.Header.Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="bilan-formation-2025-collectivite-%d.csv"`, w.b.CT.ID) {
		t.Errorf("Content-Disposition = %q", cd)
	}
	if !strings.Contains(r.Body, "2025;Formation inter;1;1;0;1;0;100,0\u00a0%;2\r\n") {
		t.Errorf("CSV of Cholet 2:\n%q", r.Body)
	}
	r = ts.get(t, c, "/cnfpt/bilan/export?annee=2025")
	if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="bilan-formation-2025-toutes-collectivites.csv"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	if !strings.Contains(r.Body, "2025;Total;6;5;1;4;1;80,0\u00a0%;9\r\n") {
		t.Errorf("CSV of every CT:\n%q", r.Body)
	}
	for _, path := range []string{"/cnfpt/bilan?collectivite=999999", "/cnfpt/bilan?collectivite=zorglub", "/cnfpt/bilan/export?collectivite=-3"} {
		wantStatus(t, ts.get(t, c, path), http.StatusNotFound, "")
	}
}
