package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// seedBilan makes, on the portal's database, registrations of the CT ctID
// to two sessions of March 2025, through the store's own flows with a
// clock of its own (the portal keeps the real one): Formation inter, 3
// inscriptions, 2 acceptées, 1 refusée, then 1 présent and 1 absent.
func seedBilan(t *testing.T, db string, ctID int64, acc domain.Account) {
	t.Helper()
	st := openStore(t, db)
	now := time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)
	st.Now = func() time.Time { return now }
	letters, err := mail.NewLetters("http://portal.test")
	if err != nil {
		t.Fatal(err)
	}
	staff := store.WithActor(context.Background(), domain.Actor{Name: "Hélène Garnier", Role: domain.RoleStaff})
	cli := store.WithActor(context.Background(), domain.CommandLine)
	start := time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC)
	sess, err := st.CreateSession(staff, domain.Session{Code: "INTER-ACC", Title: "Accueil du public", Type: domain.Inter, StartsOn: start,
		EndsOn: start.AddDate(0, 0, 1), Hours: "9 h 00 – 17 h 00", Place: "CNFPT Angers, 2 rue de la Paix, 49000 Angers", Capacity: 10,
		Deadline: start.AddDate(0, 0, -3), Audience: "Agents d'accueil"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, name := range []string{"Martin", "Bernard", "Petit"} {
		birth := time.Date(1980, 1, 1+i, 0, 0, 0, 0, time.UTC)
		a, err := st.CreateAgent(cli, ctID, domain.Agent{Civility: domain.Madame, LastName: name, FirstName: "Léa", BirthDate: birth,
			Category: domain.CategoryC, Status: domain.Titulaire, Grade: "Adjoint administratif", AppointedOn: birth.AddDate(25, 0, 0)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	regs, err := st.Register(store.WithActor(context.Background(), domain.AccountActor(acc, "192.0.2.1")), ctID, sess.ID, ids, letters)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		second(st.AcceptRegistration(staff, regs[0].ID, letters)),
		second(st.AcceptRegistration(staff, regs[1].ID, letters)),
		second(st.RefuseRegistration(staff, regs[2].ID, "Session complète", letters)),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	now = time.Date(2025, 3, 22, 8, 0, 0, 0, time.UTC)
	if _, err := st.MarkPresent(staff, regs[0].ID, letters); err != nil {
		t.Fatal(err)
	}
	if _, err := st.MarkAbsent(staff, regs[1].ID); err != nil {
		t.Fatal(err)
	}
}

func second[T any](_ T, err error) error { return err }

// TestE2EBilan: a CT's manager reads its « Bilan formation » of 2025, its
// table and its chart, and downloads the CSV file; an agent of the CNFPT
// reads every CT's, then the CT's from its page; axe-core on each page.
func TestE2EBilan(t *testing.T) {
	t.Parallel()
	p, b := startE2E(t, "bilan.png")
	login := p.createCT(t, "Commune de Cholet", "gestion@cholet.fr")
	const pw = "Premier-Cholet-26"
	b.setPassword(p.linkIn(t, p.mailTo(t, "gestion@cholet.fr", subjectCodes)), login, pw)
	st := openStore(t, p.DB)
	ct, accounts, err := st.GetCollectivityAccounts(t.Context(), "Commune de Cholet")
	if err != nil || len(accounts) != 1 {
		t.Fatalf("GetCollectivityAccounts: %v, %v", accounts, err)
	}
	seedBilan(t, p.DB, ct.ID, accounts[0])

	b.wantPage(b.login(login, pw), 200, "/accueil", "Accueil")
	b.wantPage(b.open("/formations/bilan?annee=2025"), 200, "/formations/bilan?annee=2025", "Bilan formation")
	b.wantText("main h2", "Commune de Cholet – 2025")
	b.wantRow("Formation inter|3|2|1|1|1|50,0\u00a0%|2")
	var chart struct {
		Role, Label string
		Bars        int
	}
	b.eval(`(() => { const s = document.querySelector("main svg"); return {role: s.getAttribute("role"),
		label: s.getAttribute("aria-labelledby").split(" ").map(id => document.getElementById(id).textContent).join(" "),
		bars: s.querySelectorAll("rect").length}; })()`, &chart)
	if chart.Role != "img" || chart.Bars != 10 || !strings.Contains(chart.Label, "Formation inter : inscriptions 3, acceptées 2, refusées 1, présents 1, absents 1.") {
		t.Errorf("chart = %+v", chart)
	}
	var csv string
	b.eval(`fetch(document.querySelector("main a[download]").href).then(r => r.text())`, &csv, chromedp.EvalAwaitPromise)
	if !strings.Contains(csv, "2025;Formation inter;3;2;1;1;1;50,0\u00a0%;2\r\n") {
		t.Errorf("CSV:\n%q", csv)
	}
	// The year chosen in the form.
	b.eval(`document.getElementById("annee").value = "2025"`, nil)
	b.wantPage(b.submit(`main form[action="/formations/bilan"] button`), 200, "/formations/bilan?annee=2025", "Bilan formation")

	stdout, stderr, err := runCLI(t, "staff", "create", "--email", "helene.garnier@cnfpt.fr", "--name", "Hélène Garnier", "--db", p.DB, "--base-url", p.URL)
	if err != nil {
		t.Fatalf("staff create: %q, %v (stderr %q)", stdout, err, stderr)
	}
	sb := newBrowser(t, p.URL)
	sb.screenshotOnFailure("bilan-cnfpt.png")
	const spw = "Cnfpt-Garnier-2026"
	sb.setPassword(p.linkIn(t, p.mailTo(t, "helene.garnier@cnfpt.fr", subjectCodes)), strings.TrimSuffix(stdout, "\n"), spw)
	sb.wantPage(sb.login(strings.TrimSuffix(stdout, "\n"), spw), 200, "/cnfpt", "Espace CNFPT")
	sb.wantPage(sb.open("/cnfpt/bilan?annee=2025"), 200, "/cnfpt/bilan?annee=2025", "Bilan formation")
	sb.wantText("main h2", "Toutes les collectivités – 2025")
	page := fmt.Sprintf("/cnfpt/collectivites/%d", ct.ID)
	sb.wantPage(sb.open(page), 200, page, "Commune de Cholet")
	sb.wantPage(sb.submit(`#actions a[href^="/cnfpt/bilan"]`), 200, fmt.Sprintf("/cnfpt/bilan?collectivite=%d", ct.ID), "Bilan formation")
	sb.eval(`document.getElementById("annee").value = "2025"`, nil)
	sb.wantPage(sb.submit(`main form[action="/cnfpt/bilan"] button`), 200, fmt.Sprintf("/cnfpt/bilan?collectivite=%d&annee=2025", ct.ID), "Bilan formation")
	sb.wantText("main h2", "Commune de Cholet – 2025")
	sb.wantRow("Total|3|2|1|1|1|50,0\u00a0%|2")
}

// wantRow fails unless the page's table has the row whose cells read
// want, "cell|cell|…".
func (b *browser) wantRow(want string) {
	b.t.Helper()
	var rows []string
	b.eval(`[...document.querySelectorAll("main table tr")].map(tr => [...tr.cells].map(c => c.textContent.trim()).join("|"))`, &rows)
	for _, r := range rows {
		if r == want {
			return
		}
	}
	b.t.Errorf("%s: no row %q in %q", b.path(), want, rows)
}
