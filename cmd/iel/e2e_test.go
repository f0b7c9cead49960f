package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"iel/internal/mail/mailtest"
)

// End-to-end tests: "iel serve" started by run() on port 0 with an
// in-process SMTP server, driven by a headless Chromium; every page seen,
// error states included, is checked by axe-core for WCAG 2.1 A and AA.

const (
	e2eTimeout   = 3 * time.Minute  // the whole of one test, among the others on a busy machine
	stepTimeout  = 15 * time.Second // one browser step
	mailDeadline = 10 * time.Second // the worker polls every 2 s: a mail comes within 5 s
)

// lockedBuffer collects serve's log, written from its goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// portal is a running "iel serve".
type portal struct {
	URL  string
	DB   string
	SMTP *mailtest.Server
}

var serveLine = regexp.MustCompile(`^iel : portail sur (http://127\.0\.0\.1:\d+) \(base sqlite\)\n$`)

// startE2E opens a browser test: the shared Chromium (or a skip), a
// portal of its own, and a first browser that leaves shot as a screenshot
// when the test fails.
func startE2E(t *testing.T, shot string) (*portal, *browser) {
	t.Helper()
	sharedChromium(t)
	p := startPortal(t)
	b := newBrowser(t, p.URL)
	b.screenshotOnFailure(shot)
	return p, b
}

// startPortal runs "iel serve" until the test ends, then stops it and
// checks that it returned cleanly.
func startPortal(t *testing.T) *portal {
	t.Helper()
	p := &portal{DB: filepath.Join(t.TempDir(), "iel.db"), SMTP: mailtest.NewServer(t)}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", p.DB, "--smtp", p.SMTP.URL()}, noEnv, pw, stderr)
		pw.Close()
		done <- err
	}()
	first := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		first <- line
		io.Copy(io.Discard, pr) // later lines, until run returns
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("serve still runs 15 s after its context ended")
		}
		if t.Failed() {
			t.Logf("serve's log:\n%s", stderr.String())
		}
	})
	select {
	case line := <-first:
		m := serveLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("serve printed %q, want %s\nlog:\n%s", line, serveLine, stderr.String())
		}
		p.URL = m[1]
	case <-time.After(stepTimeout):
		t.Fatalf("serve printed nothing within %v\nlog:\n%s", stepTimeout, stderr.String())
	}
	return p
}

// createCT runs "iel ct create" on the portal's database, as an agent of
// the CNFPT would beside the running portal, and returns the identifiant.
func (p *portal) createCT(t *testing.T, name, email string) string {
	t.Helper()
	stdout, stderr, err := runCLI(t, "ct", "create", "--name", name, "--email", email, "--db", p.DB, "--base-url", p.URL)
	if err != nil {
		t.Fatalf("ct create: %v (stderr %q)", err, stderr)
	}
	if !loginLine.MatchString(stdout) {
		t.Fatalf("ct create printed %q", stdout)
	}
	return strings.TrimSuffix(stdout, "\n")
}

// waitMail waits for the n-th e-mail the SMTP server receives, at most
// mailDeadline, and returns it with how long it took.
func (p *portal) waitMail(t *testing.T, n int) (mailtest.Received, time.Duration) {
	t.Helper()
	start := time.Now()
	msgs := p.SMTP.WaitFor(t, n, mailDeadline)
	return msgs[n-1], time.Since(start)
}

var passwordLink = regexp.MustCompile(`http://127\.0\.0\.1:\d+/mot-de-passe/[A-Za-z0-9_-]{43}`)

// linkIn returns the set-password link of a received e-mail, on the portal.
func (p *portal) linkIn(t *testing.T, m mailtest.Received) string {
	t.Helper()
	link := passwordLink.FindString(m.Text)
	if link == "" || !strings.HasPrefix(link, p.URL+"/") {
		t.Fatalf("e-mail %q has no /mot-de-passe/ link on %s:\n%s", m.Subject, p.URL, m.Text)
	}
	return link
}

// setPassword goes through "MODIFICATION DU MOT DE PASSE" from a mailed
// link: a refused password first, then pw; it lands on the login page.
func (b *browser) setPassword(link, login, pw string) {
	b.t.Helper()
	b.wantPage(b.open(link), 200, strings.TrimPrefix(link, b.base), "Modification du mot de passe")
	b.wantText("main", "Identifiant : "+login)

	b.fill("nouveau", "abc1")
	b.fill("confirmation", "abc1")
	path := b.path()
	b.wantPage(b.submit("main form button[type=submit]"), 422, path, "Modification du mot de passe")
	b.wantText(".govuk-error-summary", "Le mot de passe doit contenir 8 caractères minimum.")
	b.wantText("#nouveau-error", "Le mot de passe doit contenir 8 caractères minimum.")

	b.fill("nouveau", pw)
	b.fill("confirmation", pw)
	b.wantPage(b.submit("main form button[type=submit]"), 200, "/connexion?identifiant="+login, "Connexion")
	b.wantText(".govuk-notification-banner--success", "Votre mot de passe est enregistré.")
	if got := b.value("identifiant"); got != login {
		b.t.Fatalf("identifiant prefilled with %q, want %q", got, login)
	}
}

// login signs in from the login page.
func (b *browser) login(login, pw string) int64 {
	b.t.Helper()
	b.fill("identifiant", login)
	b.fill("mot_de_passe", pw)
	return b.submit(`form[action="/connexion"] button[type=submit]`)
}

// logout signs out with the menu's button.
func (b *browser) logout() {
	b.t.Helper()
	b.wantPage(b.submit(`form[action="/deconnexion"] button`), 200, "/connexion", "Connexion")
	b.wantText(".govuk-notification-banner--success", "Vous êtes déconnecté(e).")
}

func TestE2EAccount(t *testing.T) {
	t.Parallel()
	p, b := startE2E(t, "compte.png")

	// An agent of the CNFPT creates the CT: the codes come by e-mail.
	login := p.createCT(t, "Commune de Cholet", "gestion@cholet.fr")
	m, took := p.waitMail(t, 1)
	t.Logf("codes e-mail delivered %v after ct create", took.Round(time.Millisecond))
	if m.Subject != subjectCodes || len(m.To) != 1 || m.To[0] != "gestion@cholet.fr" {
		t.Fatalf("e-mail %q to %q, want %q to gestion@cholet.fr", m.Subject, m.To, subjectCodes)
	}
	if !strings.Contains(m.Text, "votre login : "+login) {
		t.Fatalf("codes e-mail lacks the identifiant %s:\n%s", login, m.Text)
	}
	link := p.linkIn(t, m)

	// Anonymous pages.
	b.wantPage(b.open("/"), 200, "/connexion", "Connexion")

	// The link sets the first password; it then serves no more.
	const first, second = "Premier-Cholet-26", "Mauges-49300"
	b.setPassword(link, login, first)
	if status := b.open(link); status != 410 {
		t.Errorf("used link answered %d, want 410", status)
	}
	b.checkA11y()
	b.open("/connexion")

	// A wrong password is refused, the right one opens "Accueil".
	b.wantPage(b.login(login, "Mauvais-0000"), 401, "/connexion", "Connexion")
	b.wantText(".govuk-error-summary", "Identifiant ou mot de passe incorrect.")
	if got := b.value("identifiant"); got != login {
		t.Errorf("identifiant after a refused login = %q, want %q", got, login)
	}
	b.wantPage(b.login(login, first), 200, "/accueil", "Accueil")
	b.wantPage(b.open("/compte"), 200, "/compte", "Mon compte")
	b.wantText("main", "Commune de Cholet")
	b.wantText("main", login)

	// The fiche.
	b.choose("civilite-mme")
	b.fill("nom", "Durand")
	b.fill("prenom", "Claire")
	b.fill("fonction", "Responsable formation")
	b.fill("courriel", "c.durand@cholet.fr")
	b.fill("telephone", "02.41.00.00.00")
	b.fill("mot_de_passe_actuel", first) // a new courriel asks for it
	b.wantPage(b.submit(`form[action="/compte"] button[type=submit]`), 200, "/compte", "Mon compte")
	b.wantText(".govuk-notification-banner--success", "Votre fiche est enregistrée. Un courriel a informé votre ancienne adresse du changement.")
	if got := b.value("telephone"); got != "02 41 00 00 00" {
		t.Errorf("téléphone shown as %q, want %q", got, "02 41 00 00 00")
	}
	for id, want := range map[string]string{"nom": "Durand", "prenom": "Claire", "fonction": "Responsable formation", "courriel": "c.durand@cholet.fr"} {
		if got := b.value(id); got != want {
			t.Errorf("#%s = %q after saving, want %q", id, got, want)
		}
	}

	// A bad phone: summary, message at the field, typed value kept, nothing saved.
	b.fill("telephone", "02 41 00 00")
	b.fill("fonction", "Directrice des ressources humaines")
	b.wantPage(b.submit(`form[action="/compte"] button[type=submit]`), 422, "/compte", "Mon compte")
	const phoneMsg = "Le numéro de téléphone doit comporter 10 chiffres, par exemple 02 41 00 00 00."
	b.wantText(".govuk-error-summary", phoneMsg)
	b.wantText("#telephone-error", phoneMsg)
	b.wantText(`.govuk-error-summary a[href="#telephone"]`, phoneMsg)
	if got := b.value("telephone"); got != "02 41 00 00" {
		t.Errorf("téléphone after the refusal = %q, want the typed %q", got, "02 41 00 00")
	}
	if got := b.value("fonction"); got != "Directrice des ressources humaines" {
		t.Errorf("fonction after the refusal = %q, want the typed value", got)
	}
	var describedBy string
	b.eval(`document.getElementById("telephone").getAttribute("aria-describedby") || ""`, &describedBy)
	if !strings.Contains(describedBy, "telephone-error") {
		t.Errorf("#telephone aria-describedby = %q, want it to name telephone-error", describedBy)
	}
	b.wantPage(b.open("/compte"), 200, "/compte", "Mon compte")
	if got := b.value("fonction"); got != "Responsable formation" {
		t.Errorf("fonction = %q after a refused form, want it unchanged", got)
	}

	// Change of password: refused confirmation first, then done.
	b.fill("mot_de_passe_actuel", first)
	b.fill("nouveau", second)
	b.fill("confirmation", second+"x")
	b.wantPage(b.submit(`form[action="/compte"] button[type=submit]`), 422, "/compte", "Mon compte")
	b.wantText("#confirmation-error", "La confirmation ne correspond pas au nouveau mot de passe.")
	if got := b.value("nouveau"); got != "" {
		t.Errorf("a refused form shows the typed password back")
	}
	b.fill("mot_de_passe_actuel", first)
	b.fill("nouveau", second)
	b.fill("confirmation", second)
	b.wantPage(b.submit(`form[action="/compte"] button[type=submit]`), 200, "/compte", "Mon compte")
	b.wantText(".govuk-notification-banner--success", "Votre fiche et votre nouveau mot de passe sont enregistrés.")
	b.wantNo(".govuk-error-summary")

	// Logout; the old password is refused, the new one works.
	b.logout()
	b.wantPage(b.login(login, first), 401, "/connexion", "Connexion")
	b.wantText(".govuk-error-summary", "Identifiant ou mot de passe incorrect.")
	b.wantPage(b.login(login, second), 200, "/accueil", "Accueil")
	b.wantPage(b.open("/compte"), 200, "/compte", "Mon compte")
	if got := b.value("telephone"); got != "02 41 00 00 00" {
		t.Errorf("téléphone after a new login = %q", got)
	}
	if m, _ := p.waitMail(t, 2); m.Subject != "inscription en ligne : changement de l'adresse courriel de votre compte" || m.To[0] != "gestion@cholet.fr" {
		t.Errorf("second e-mail %q to %q, want the address change told to gestion@cholet.fr", m.Subject, m.To)
	}
	if n := len(p.SMTP.Messages()); n != 2 {
		t.Errorf("SMTP server received %d e-mails, want 2 (codes, address change)", n)
	}
}

func TestE2EForgottenPassword(t *testing.T) {
	t.Parallel()
	p, b := startE2E(t, "oubli.png")

	login := p.createCT(t, "Communauté d'agglomération du Choletais", "rh@agglo-choletais.fr")
	m, took := p.waitMail(t, 1)
	t.Logf("codes e-mail delivered %v after ct create", took.Round(time.Millisecond))
	const first, second = "Premier-Acces-49", "Nouveau-Mdp-49"
	b.setPassword(p.linkIn(t, m), login, first)

	// "Mot de passe oublié ?" from the login page, the identifiant carried over.
	b.wantPage(b.load("follow the link", chromedp.Click(chromedp.CSS(`a[href^="/mot-de-passe-oublie"]`))), 200,
		"/mot-de-passe-oublie?identifiant="+login, "Mot de passe oublié")
	if got := b.value("identifiant"); got != login {
		t.Errorf("identifiant on the forgotten-password page = %q, want %q", got, login)
	}

	// Nothing typed: refused.
	b.fill("identifiant", "")
	b.wantPage(b.submit(`form[action="/mot-de-passe-oublie"] button[type=submit]`), 422, "/mot-de-passe-oublie", "Mot de passe oublié")
	b.wantText("#identifiant-error", "Saisissez votre identifiant.")

	b.fill("identifiant", login)
	b.wantPage(b.submit(`form[action="/mot-de-passe-oublie"] button[type=submit]`), 200, "/mot-de-passe-oublie/envoye", "Mot de passe oublié")
	b.wantText("main", "Demande enregistrée")

	// The request wakes the worker: the mail comes at once.
	m, took = p.waitMail(t, 2)
	t.Logf("reset e-mail delivered %v after the request", took.Round(time.Millisecond))
	if m.Subject != "inscription en ligne : mot de passe oublié" || m.To[0] != "rh@agglo-choletais.fr" {
		t.Fatalf("e-mail %q to %q, want the reset to rh@agglo-choletais.fr", m.Subject, m.To)
	}
	if !strings.Contains(m.Text, login) {
		t.Errorf("reset e-mail lacks the identifiant:\n%s", m.Text)
	}
	b.setPassword(p.linkIn(t, m), login, second)

	b.wantPage(b.login(login, first), 401, "/connexion", "Connexion")
	b.wantPage(b.login(login, second), 200, "/accueil", "Accueil")
	b.wantPage(b.open("/compte"), 200, "/compte", "Mon compte")
	b.logout()

	// An unknown identifiant gets the same answer, and no e-mail.
	b.wantPage(b.open("/mot-de-passe-oublie"), 200, "/mot-de-passe-oublie", "Mot de passe oublié")
	b.fill("identifiant", "ZZZZZZZZZZ")
	b.wantPage(b.submit(`form[action="/mot-de-passe-oublie"] button[type=submit]`), 200, "/mot-de-passe-oublie/envoye", "Mot de passe oublié")
	b.wantText("main", "Demande enregistrée")
	mails, err := openStore(t, p.DB).ListOutbox(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) != 2 {
		t.Errorf("outbox holds %d e-mails, want 2 (codes, reset): an unknown identifiant queued one", len(mails))
	}
}
