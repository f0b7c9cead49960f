package main

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// TestE2EFormations follows a registration from the catalogue to its
// attestation, in the browser but for the passing of time: an agent of
// the CNFPT publishes a session starting in two days; a CT's manager adds
// an agent, finds the session in « Rechercher une session », registers
// the agent (refused once), finds the registration in « Mes inscriptions »
// and on its page; staff accept it; the CT reads « acceptée » and
// downloads the convocation. Then the session's first day comes: the
// portal's clock cannot move, so staff, whose page does not offer
// « Présent » before, mark the agent present through a store on the same
// database with its clock on that day; the CT downloads the attestation de
// présence. Both PDFs are read with pdftotext when it is installed;
// every page is checked by axe-core.
func TestE2EFormations(t *testing.T) {
	t.Parallel()
	p, b := startE2E(t, "formations.png")
	login := p.createCT(t, "Commune de Cholet", "gestion@cholet.fr")
	b.setPassword(p.linkIn(t, p.mailTo(t, "gestion@cholet.fr", subjectCodes)), login, "Gestion-Cholet-49")
	b.wantPage(b.login(login, "Gestion-Cholet-49"), 200, "/accueil", "Accueil")

	// An agent of the CNFPT publishes the session, on a computer of its own.
	s := b.otherPerson("formations-cnfpt.png")
	stdout, stderr, err := runCLI(t, "staff", "create", "--email", "marc.lefevre@cnfpt.fr", "--name", "Marc Lefèvre", "--db", p.DB, "--base-url", p.URL)
	if err != nil || !loginLine.MatchString(stdout) {
		t.Fatalf("staff create: %q, %v (stderr %q)", stdout, err, stderr)
	}
	staff := strings.TrimSuffix(stdout, "\n")
	s.setPassword(p.linkIn(t, p.mailTo(t, "marc.lefevre@cnfpt.fr", subjectCodes)), staff, "Cnfpt-Lefevre-2026")
	s.wantPage(s.login(staff, "Cnfpt-Lefevre-2026"), 200, "/cnfpt", "Espace CNFPT")
	s.wantPage(s.click(`#menu a[href="/cnfpt/sessions"]`), 200, "/cnfpt/sessions", "Sessions")
	s.wantPage(s.click(`main a[href="/cnfpt/sessions/nouvelle"]`), 200, "/cnfpt/sessions/nouvelle", "Publier une session")
	today := domain.ParisDay(time.Now())
	starts := today.AddDate(0, 0, 2)
	s.fill("code", "INTER-E2E")
	s.fill("intitule", "Accueillir le public « difficile »")
	s.choose("type_formation-inter")
	s.fill("date_debut", domain.FormatDay(starts))
	s.fill("date_fin", domain.FormatDay(starts.AddDate(0, 0, 1)))
	s.fill("horaires", "9 h 00 – 17 h 00")
	s.fill("lieu", "CNFPT Angers, 49000 Angers")
	s.fill("capacite", "12")
	s.fill("date_limite", domain.FormatDay(today.AddDate(0, 0, 1)))
	s.fill("public", "Agents d'accueil")
	const session = "/cnfpt/sessions/1"
	s.wantPage(s.submit("main form button[type=submit]"), 200, session, "Accueillir le public « difficile »")
	s.wantText(".govuk-notification-banner--success", "La session INTER-E2E – Accueillir le public « difficile » est publiée")

	// The CT adds its agent.
	b.wantPage(b.click(`#menu a[href="/agents"]`), 200, "/agents", "Agents")
	b.wantPage(b.click(`main a[href="/agents/nouveau"]`), 200, "/agents/nouveau", "Ajouter un agent")
	b.choose("civilite-mme")
	b.fill("nom", "Émond")
	b.fill("prenom", "Zoé")
	b.fill("date_naissance", "17/05/1990")
	b.choose("categorie-C")
	b.choose("statut")
	b.fill("grade", "Adjoint administratif")
	b.fill("date_nomination", "01/09/2015")
	b.wantPage(b.submit(`form[action="/agents"] button[type=submit]`), 200, "/agents", "Agents")
	b.wantText(".govuk-notification-banner--success", "L'agent Zoé Émond est ajouté.")

	// « Rechercher une session ».
	b.wantPage(b.click(`#menu a[href="/formations"]`), 200, "/formations", "Formations")
	b.fill("mots", "accueillir")
	b.wantPage(b.submit(`form[action="/formations"] button[type=submit]`), 200, "/formations?type=&du=&au=&mots=accueillir&lieu=", "Formations")
	b.wantText("main table", "INTER-E2E")
	b.wantText("main table", "12")
	const offer = "/formations/sessions/1"
	b.wantPage(b.click(`main table a[href="`+offer+`"]`), 200, offer, "Accueillir le public « difficile »")

	// « Inscrire des agents »: nobody checked, refused; then Zoé Émond.
	b.wantPage(b.click(`a[href="`+offer+`/inscrire"]`), 200, offer+"/inscrire", "Inscrire des agents")
	b.wantPage(b.submit(`main form[method=post] button[type=submit]`), 422, offer+"/inscrire", "Inscrire des agents")
	b.wantText("#agents-error", "Choisissez au moins un agent à inscrire.")
	b.choose("agents")
	b.wantPage(b.submit(`main form[method=post] button[type=submit]`), 200, offer, "Accueillir le public « difficile »")
	b.wantText(".govuk-notification-banner--success", "L'inscription a été transmise au CNFPT")
	b.wantText("main table", "Zoé Émond")
	p.mailTo(t, "gestion@cholet.fr", "inscription en ligne : accusé de réception de votre demande d'inscription")

	// « Mes inscriptions », then the registration's page.
	b.wantPage(b.click(`a.govuk-back-link[href="/formations"]`), 200, "/formations", "Formations")
	b.wantPage(b.click(`.iel-subnav a[href="/formations/inscriptions"]`), 200, "/formations/inscriptions", "Mes inscriptions")
	b.wantText("main table", "transmise")
	const reg = "/formations/inscriptions/1"
	b.wantPage(b.click(`main table a[href="`+reg+`"]`), 200, reg, "Inscription INS-000001")
	b.wantText("#inscription", "transmise")
	b.wantNo("#documents")

	// Staff accept it: the CT reads « acceptée » and downloads the convocation.
	s.wantPage(s.open(session), 200, session, "Accueillir le public « difficile »")
	s.wantText("#inscription-1", "Zoé Émond")
	s.wantText("#inscription-1", "transmise")
	s.wantPage(s.submit(`form[action="/cnfpt/inscriptions/1/accepter"] button`), 200, session, "Accueillir le public « difficile »")
	s.wantText(".govuk-notification-banner--success", "L'inscription de Zoé Émond est acceptée ; la convocation est envoyée.")
	s.wantText("#inscription-1", "acceptée")
	s.wantNo(`form[action="/cnfpt/inscriptions/1/present"]`)
	s.wantText("#inscriptions + p", "La présence pourra être indiquée à partir du premier jour de la session.")
	p.mailTo(t, "gestion@cholet.fr", "inscription en ligne : inscription acceptée – convocation")

	b.wantPage(b.open(reg), 200, reg, "Inscription INS-000001")
	b.wantText("#inscription", "acceptée")
	b.wantText("#documents", "Convocation (PDF)")
	b.wantNo(`#documents a[href="` + reg + `/attestation"]`)
	b.wantPDF(reg+"/convocation", "Convocation", "Référence : INS-000001", "Mme Zoé Émond", "Commune de Cholet",
		"« Accueillir le public « difficile » » (INTER-E2E)")
	b.wantPage(b.click(`#menu a[href="/accueil"]`), 200, "/accueil", "Accueil")
	b.wantText("#prochaines-sessions", "Zoé Émond")

	// The first day of the session: Zoé Émond came.
	st := openStore(t, p.DB)
	st.Now = func() time.Time { return time.Now().AddDate(0, 0, 2) }
	if _, err := st.MarkPresent(store.WithActor(t.Context(), domain.CommandLine), 1, mustLetters(t, p.URL)); err != nil {
		t.Fatalf("MarkPresent: %v", err)
	}
	// Its e-mail is queued on that day's clock, for the worker to send in
	// two days: TestE2ESessions receives it.
	s.wantPage(s.open(session), 200, session, "Accueillir le public « difficile »")
	s.wantText("#inscription-1", "présent")

	b.wantPage(b.click(`#menu a[href="/formations"]`), 200, "/formations", "Formations")
	b.wantPage(b.click(`.iel-subnav a[href="/formations/inscriptions"]`), 200, "/formations/inscriptions", "Mes inscriptions")
	b.wantText("main table", "présent")
	b.wantPage(b.click(`main table a[href="`+reg+`"]`), 200, reg, "Inscription INS-000001")
	b.wantText("#documents", "Attestation de présence (PDF)")
	b.wantPDF(reg+"/attestation", "Attestation de présence", "Référence : INS-000001",
		"Le CNFPT atteste que Mme Zoé Émond, agent de la collectivité Commune de Cholet, a suivi")
}

// mustLetters composes the portal's e-mails, its links on base.
func mustLetters(t *testing.T, base string) *mail.Letters {
	t.Helper()
	letters, err := mail.NewLetters(base)
	if err != nil {
		t.Fatal(err)
	}
	return letters
}

// wantPDF downloads path as the page's person, with its cookies, and
// fails unless it is a PDF whose text, read by pdftotext when installed,
// holds every want.
func (b *browser) wantPDF(path string, want ...string) {
	b.t.Helper()
	var got struct {
		Status int    `json:"status"`
		Type   string `json:"type"`
		Data   string `json:"data"`
	}
	b.eval(`fetch(`+jsString(path)+`).then(r => r.blob().then(blob => new Promise(ok => {
		const f = new FileReader();
		f.onload = () => ok({status: r.status, type: r.headers.get('content-type') || '', data: f.result.split(',')[1] || ''});
		f.readAsDataURL(blob);
	})))`, &got, chromedp.EvalAwaitPromise)
	pdf, err := base64.StdEncoding.DecodeString(got.Data)
	if err != nil {
		b.t.Fatalf("%s: decode: %v", path, err)
	}
	if got.Status != 200 || got.Type != "application/pdf" || !strings.HasPrefix(string(pdf), "%PDF-") {
		b.t.Fatalf("%s downloads as %d %q, %.8q", path, got.Status, got.Type, pdf)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		b.t.Logf("pdftotext (poppler-utils) is not installed: the text of %s is not checked", path)
		return
	}
	file := filepath.Join(b.t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		b.t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").CombinedOutput()
	if err != nil {
		b.t.Fatalf("pdftotext %s: %v\n%s", path, err, out)
	}
	txt := strings.Join(strings.Fields(string(out)), " ") // pdftotext joins the lines a paragraph wraps into
	for _, w := range want {
		if !strings.Contains(txt, w) {
			b.t.Errorf("%s: the text lacks %q:\n%s", path, w, txt)
		}
	}
}
