package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail/mailtest"
)

// serveStarted matches the line "iel serve" prints once it listens.
var serveStarted = regexp.MustCompile(`^iel : portail sur (http://127\.0\.0\.1:\d+) `)

// runServe runs "iel serve" with args until the test ends, and returns
// what it printed up to its "portail sur" line included, its address, and
// its log as it grows.
func runServe(t *testing.T, args ...string) (printed, url string, log *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	stderr := &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		err := run(ctx, append([]string{"serve"}, args...), noEnv, pw, stderr)
		pw.CloseWithError(io.EOF)
		done <- err
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
	})
	lines := make(chan string)
	go func() {
		defer close(lines)
		r := bufio.NewReader(pr)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				lines <- line
			}
			if err != nil {
				return
			}
		}
	}()
	var out strings.Builder
	// --demo makes its trainings' PDF documents before the portal starts:
	// under -race on a busy machine, that alone takes seconds.
	timeout := time.After(90 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("serve stopped after printing %q\nlog:\n%s", out.String(), stderr.String())
			}
			out.WriteString(line)
			if m := serveStarted.FindStringSubmatch(line); m != nil {
				go func() {
					for range lines { // later lines, until run returns
					}
				}()
				return out.String(), m[1], stderr
			}
		case <-timeout:
			t.Fatalf("serve printed %q and no portail line within 90 s\nlog:\n%s", out.String(), stderr.String())
		}
	}
}

// demoLogin is a line of the logins "serve --demo" prints.
var demoLogin = regexp.MustCompile(`(?m)^  (.+) – (.+) : identifiant ([A-Z2-9]{10}), (.+)$`)

// demoLogins returns the logins printed, as "collectivité – who: password"
// by identifiant.
func demoLogins(printed string) map[string]string {
	out := map[string]string{}
	for _, m := range demoLogin.FindAllStringSubmatch(printed, -1) {
		out[m[3]] = m[1] + " – " + m[2] + ": " + m[4]
	}
	return out
}

// TestServeDemo: the demo data is made through the portal's own flows with
// the e-mails the portal sends, and its links lead to the portal's pages.
// Maine-et-Loire's principal was designated by its historical manager and
// accepted. Run again on its database, the demo makes nothing and prints
// the logins again, as they are now.
func TestServeDemo(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "iel.db")
	printed, base, _ := runServe(t, "--demo", "--addr", "127.0.0.1:0", "--db", db)
	const demoPW = "mot de passe " + demoPassword
	wantLines := []string{
		"Commune de Cholet – gestionnaire CT Claire Durand: " + demoPW,
		"Département de Maine-et-Loire – gestionnaire principal CT Nathalie Moreau: " + demoPW,
		"Département de Maine-et-Loire – opérateur Sophie Énard: " + demoPW,
		"Commune de la Roche-sur-Yon – gestionnaire CT: mot de passe à choisir par le lien du courriel « vos codes de connexion »",
		"CNFPT – agent du CNFPT Camille Leroux: " + demoPW,
	}
	logins := demoLogins(printed)
	var lines []string
	byLine := map[string]string{}
	for login, l := range logins {
		lines = append(lines, l)
		byLine[l] = login
	}
	slices.Sort(lines)
	sorted := slices.Sorted(slices.Values(wantLines))
	if !strings.HasPrefix(printed, "iel : données de démonstration :\n") || !slices.Equal(lines, sorted) {
		t.Fatalf("serve --demo printed:\n%s\nwant the logins %q", printed, wantLines)
	}

	st := openStore(t, db)
	list, err := st.ListOutbox(t.Context(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(list) // oldest first
	type sent struct{ to, subject string }
	var got []sent
	text := map[sent]string{}
	link := regexp.MustCompile(`https?://\S*[^\s.]`) // a sentence may end just after a link
	for _, m := range list {
		full, err := st.GetOutbox(t.Context(), m.ID)
		if err != nil {
			t.Fatal(err)
		}
		k := sent{full.To, full.Subject}
		training := isTrainingMail(full.Subject) // TestDemoTrainings reads them; their link is to a page, not a token
		if !training {
			got = append(got, k)
			text[k] = full.Text
		}
		for _, l := range link.FindAllString(full.Text, -1) {
			if !strings.HasPrefix(l, base+"/") {
				t.Errorf("e-mail %q to %s links to %s, not to the portal %s", full.Subject, full.To, l, base)
			}
			if full.ExpiresAt.IsZero() && !training {
				t.Errorf("e-mail %q to %s holds a link and no expiry", full.Subject, full.To)
			}
		}
	}
	const (
		paul     = "formation@maine-et-loire.example.fr"
		nathalie = "n.moreau@maine-et-loire.example.fr"
		sophie   = "sophie.enard@maine-et-loire.example.fr"
		marc     = "marc.leroy@maine-et-loire.example.fr"
		julie    = "julie.bernard@maine-et-loire.example.fr"
		roche    = "drh@larochesuryon.example.fr"
	)
	want := []sent{
		{nathalie, "inscription en ligne : validation de votre compte gestionnaire principal CT"},
		{nathalie, "inscription en ligne : votre compte gestionnaire principal CT"},
		{paul, "inscription en ligne : réponse à la désignation du gestionnaire principal CT"},
		{sophie, "inscription en ligne : validation de votre compte opérateur CT"},
		{nathalie, "inscription en ligne : réponse à l'invitation d'un opérateur CT"},
		{marc, "inscription en ligne : validation de votre compte opérateur CT"},
		{julie, "inscription en ligne : validation de votre compte opérateur CT"},
		{nathalie, "inscription en ligne : réponse à l'invitation d'un opérateur CT"},
		{roche, "inscription en ligne : vos codes de connexion"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("the demo queued %q\nwant %q", got, want)
	}
	if a := text[want[2]]; !strings.Contains(a, "Nathalie Moreau a accepté le rôle de gestionnaire principal de la collectivité Département de Maine-et-Loire.") ||
		!strings.Contains(a, "Votre compte gestionnaire CT est fermé") {
		t.Errorf("the designation's answer to the historical manager reads:\n%s", a)
	}

	// Maine-et-Loire: the historical manager, closed, and a principal who is another person.
	_, accounts, err := st.GetCollectivityAccounts(t.Context(), "Département de Maine-et-Loire")
	if err != nil {
		t.Fatal(err)
	}
	var manager, principal domain.Account
	for _, a := range accounts {
		switch a.Role {
		case domain.RoleManager:
			manager = a
		case domain.RolePrincipal:
			principal = a
		}
	}
	if manager.State != domain.StateClosed || manager.FullName() != "Paul Martin" {
		t.Errorf("historical manager %s %q: want Paul Martin, closed", manager.State, manager.FullName())
	}
	if principal.FullName() != "Nathalie Moreau" || principal.Email != nathalie || principal.Login == manager.Login {
		t.Errorf("principal %q <%s> %s: want Nathalie Moreau, designated by Paul Martin", principal.FullName(), principal.Email, principal.Login)
	}

	// The links still to use open their pages.
	for _, tt := range []struct {
		mail  sent
		path  string
		title string
	}{
		{want[5], "/validationoperateur/", "Acceptation du rôle : opérateur CT"},
		{want[8], "/mot-de-passe/", "Modification du mot de passe"},
	} {
		l := link.FindString(text[tt.mail])
		if !strings.HasPrefix(l, base+tt.path) {
			t.Errorf("e-mail %q to %s: link %q, want one to %s", tt.mail.subject, tt.mail.to, l, tt.path)
			continue
		}
		resp, err := http.Get(l)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), tt.title) {
			t.Errorf("GET %s = %d, want 200 and %q", l, resp.StatusCode, tt.title)
		}
	}

	// Sophie chooses a password of her own; then the demo runs again on its database.
	sophieAccount, err := st.GetAccountByLogin(t.Context(), byLine[wantLines[2]])
	if err != nil {
		t.Fatal(err)
	}
	own, err := auth.NewHasher(auth.Params{Memory: 1024, Time: 1, Threads: 1}, 1).Hash(t.Context(), "Sophie-Angers-49")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RehashPassword(t.Context(), sophieAccount.ID, sophieAccount.PasswordHash, own); err != nil {
		t.Fatal(err)
	}
	again, _, _ := runServe(t, "--demo", "--addr", "127.0.0.1:0", "--db", db)
	if !strings.HasPrefix(again, "iel : données de démonstration, déjà dans la base :\n") {
		t.Errorf("serve --demo again printed:\n%s", again)
	}
	relogins := demoLogins(again)
	for login, l := range logins {
		if login == sophieAccount.Login {
			l = "Département de Maine-et-Loire – opérateur Sophie Énard: mot de passe changé depuis la démonstration"
		}
		if relogins[login] != l {
			t.Errorf("serve --demo again: %s is %q, want %q", login, relogins[login], l)
		}
	}
	if len(relogins) != len(logins) {
		t.Errorf("serve --demo again printed %d logins, want %d:\n%s", len(relogins), len(logins), again)
	}
	if n, err := st.ListOutbox(t.Context(), 1000); err != nil || len(n) != len(list) {
		t.Errorf("serve --demo again: %d e-mails (%v), want the %d of the first run", len(n), err, len(list))
	}
}

// TestServeDemoOtherData: on a database that holds collectivités of its
// own, the demo adds nothing and says so.
func TestServeDemoOtherData(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "iel.db")
	if _, stderr, err := runCLI(t, "ct", "create", "--name", "Commune de Saumur", "--email", "rh@saumur.fr", "--db", db); err != nil {
		t.Fatalf("ct create: %v (stderr %q)", err, stderr)
	}
	printed, _, _ := runServe(t, "--demo", "--addr", "127.0.0.1:0", "--db", db)
	if !strings.Contains(printed, "iel : la base contient déjà 1 collectivité(s), qui ne sont pas celles de la démonstration : pas de données de démonstration.") || demoLogin.MatchString(printed) {
		t.Errorf("serve --demo on other data printed:\n%s", printed)
	}
	if n, err := openStore(t, db).CountCollectivities(t.Context()); err != nil || n != 1 {
		t.Errorf("%d collectivités (%v), want the 1 there was", n, err)
	}
}

// TestServeMailViewer: the mail viewer, which shows live links, is on
// with --demo or --mail-viewer and no SMTP, and the start-up log warns of
// it; without it and without SMTP, the log says the e-mails wait unsent;
// over https, the start stops before the database is opened.
func TestServeMailViewer(t *testing.T) {
	t.Parallel()
	const (
		viewerOn = "level=WARN msg=\"mail viewer on: e-mails are not sent"
		unsent   = "level=WARN msg=\"no SMTP server: e-mails wait in the outbox, unsent"
	)
	for _, tt := range []struct {
		name     string
		args     []string
		viewer   bool
		warnings []string
	}{
		{name: "--mail-viewer", args: []string{"--mail-viewer"}, viewer: true, warnings: []string{viewerOn}},
		{name: "--demo", args: []string{"--demo"}, viewer: true, warnings: []string{viewerOn}},
		{name: "neither", viewer: false, warnings: []string{unsent}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := filepath.Join(t.TempDir(), "iel.db")
			_, base, log := runServe(t, append([]string{"--addr", "127.0.0.1:0", "--db", db}, tt.args...)...)
			resp, err := http.Get(base + "/courriels")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[tt.viewer]; resp.StatusCode != want {
				t.Errorf("GET /courriels = %d, want %d", resp.StatusCode, want)
			}
			for _, w := range []string{viewerOn, unsent} {
				if got, want := strings.Contains(log.String(), w), slices.Contains(tt.warnings, w); got != want {
					t.Errorf("the log says %q: %v, want %v\nlog:\n%s", w, got, want, log.String())
				}
			}
		})
	}
	t.Run("over https", func(t *testing.T) {
		t.Parallel()
		db := filepath.Join(t.TempDir(), "iel.db")
		_, _, err := runCLI(t, "serve", "--demo", "--addr", "127.0.0.1:0", "--db", db, "--base-url", "https://inscription.example.fr")
		if err == nil || !strings.Contains(err.Error(), "refused with an https --base-url") {
			t.Fatalf("serve --demo over https: %v, want the mail viewer refused", err)
		}
		if _, statErr := os.Stat(db); !errors.Is(statErr, fs.ErrNotExist) {
			t.Errorf("the database was created (%v): the start went on", statErr)
		}
	})
}

// TestServeSMTP: with an smtp:// URL the portal delivers over STARTTLS or,
// when the URL asks ?tls=none, in clear to this machine only; a relay that
// does not offer STARTTLS gets nothing, and the e-mail stays queued.
func TestServeSMTP(t *testing.T) {
	t.Parallel()
	t.Run("tls=none on 127.0.0.1", func(t *testing.T) {
		t.Parallel()
		srv := mailtest.NewServer(t)
		db := filepath.Join(t.TempDir(), "iel.db")
		_, base, _ := runServe(t, "--addr", "127.0.0.1:0", "--db", db, "--smtp", srv.URL())
		if !strings.HasSuffix(srv.URL(), "?tls=none") {
			t.Fatalf("mailtest URL %s does not ask for ?tls=none", srv.URL())
		}
		if _, stderr, err := runCLI(t, "ct", "create", "--name", "Commune de Cholet", "--email", "gestion@cholet.fr", "--db", db, "--base-url", base); err != nil {
			t.Fatalf("ct create: %v (stderr %q)", err, stderr)
		}
		m := srv.WaitFor(t, 1, 10*time.Second)[0]
		if m.Subject != subjectCodes || !strings.Contains(m.Text, base+"/mot-de-passe/") {
			t.Errorf("received %q:\n%s", m.Subject, m.Text)
		}
	})
	t.Run("no STARTTLS offered", func(t *testing.T) {
		t.Parallel()
		srv := mailtest.NewServer(t)
		db := filepath.Join(t.TempDir(), "iel.db")
		_, base, log := runServe(t, "--addr", "127.0.0.1:0", "--db", db, "--smtp", "smtp://"+srv.Addr())
		if _, stderr, err := runCLI(t, "ct", "create", "--name", "Commune de Cholet", "--email", "gestion@cholet.fr", "--db", db, "--base-url", base); err != nil {
			t.Fatalf("ct create: %v (stderr %q)", err, stderr)
		}
		st := openStore(t, db)
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(log.String(), "does not offer STARTTLS") {
			if time.Now().After(deadline) {
				t.Fatalf("no refusal logged within 10 s:\n%s", log.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("server received %d messages, want 0", n)
		}
		mails, err := st.ListOutbox(t.Context(), 10)
		if err != nil || len(mails) != 1 {
			t.Fatalf("outbox = %d e-mails (%v), want 1", len(mails), err)
		}
		if m := mails[0]; !m.SentAt.IsZero() || !m.FailedAt.IsZero() || m.Attempts < 1 || !strings.Contains(m.LastError, "STARTTLS") {
			t.Errorf("outbox e-mail: sent %v, failed %v, %d attempts, last error %q; want still queued after a refused attempt", m.SentAt, m.FailedAt, m.Attempts, m.LastError)
		}
		if !strings.Contains(log.String(), "outcome=retry") {
			t.Errorf("the log does not say the e-mail will be retried:\n%s", log.String())
		}
	})
}

// TestServeRefusesPlainSMTPOffLoopback: ?tls=none to another machine stops
// the start, with a message that says why, before the database is opened.
func TestServeRefusesPlainSMTPOffLoopback(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "iel.db")
	_, _, err := runCLI(t, "serve", "--addr", "127.0.0.1:0", "--db", db, "--smtp", "smtp://relay:s3cret@smtp.example:587?tls=none")
	if err == nil {
		t.Fatal("serve started with ?tls=none to smtp.example")
	}
	if msg := err.Error(); !strings.Contains(msg, "allowed only for a relay on this machine") || strings.Contains(msg, "s3cret") {
		t.Errorf("error %q: want the reason, and no password", msg)
	}
	if _, statErr := os.Stat(db); !errors.Is(statErr, fs.ErrNotExist) {
		t.Errorf("the database was created (%v): the start went on", statErr)
	}
}
