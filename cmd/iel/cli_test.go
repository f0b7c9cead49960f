package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"iel/internal/domain"
	"iel/internal/store"
)

// noEnv keeps the tests away from the IEL_* variables of whoever runs them.
func noEnv(string) string { return "" }

// runCLI runs the program with args and returns what it printed.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(t.Context(), args, noEnv, &out, &errOut)
	return out.String(), errOut.String(), err
}

// openStore opens the database the commands wrote, and closes it at the end.
func openStore(t *testing.T, db string) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

var (
	loginLine = regexp.MustCompile(`^[A-Z2-9]{10}\n$`)
	codesLink = regexp.MustCompile(`https?://\S+/mot-de-passe/[A-Za-z0-9_-]{43}`)
)

const subjectCodes = "inscription en ligne : vos codes de connexion"

func TestCTCreate(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "iel.db")
	stdout, stderr, err := runCLI(t, "ct", "create", "--name", "Commune de Cholet", "--email", "gestion@cholet.fr", "--db", db)
	if err != nil {
		t.Fatalf("ct create: %v (stderr %q)", err, stderr)
	}
	if !loginLine.MatchString(stdout) {
		t.Fatalf("stdout = %q, want one identifiant line matching %s", stdout, loginLine)
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing", stderr)
	}
	login := strings.TrimSuffix(stdout, "\n")

	st := openStore(t, db)
	ctx := t.Context()
	if n, err := st.CountCollectivities(ctx); err != nil || n != 1 {
		t.Fatalf("CountCollectivities = %d, %v; want 1", n, err)
	}
	acc, err := st.GetAccountByLogin(ctx, login)
	if err != nil {
		t.Fatalf("GetAccountByLogin(%q): %v", login, err)
	}
	if acc.Role != domain.RoleManager || acc.State != domain.StateInactive || acc.Email != "gestion@cholet.fr" {
		t.Errorf("account = role %q, state %q, email %q; want manager, inactive, gestion@cholet.fr", acc.Role, acc.State, acc.Email)
	}
	// The journal says the command line did it.
	j, err := st.ListJournal(ctx, acc.CollectivityID, store.JournalFilter{}, 0, 10)
	if err != nil || len(j.Entries) != 1 || !j.Entries[0].Actor.IsCommandLine() ||
		j.Entries[0].What != "a créé la collectivité « Commune de Cholet » et son compte gestionnaire CT (identifiant "+login+")" {
		t.Errorf("journal = %+v, %v", j.Entries, err)
	}

	mails, err := st.ListOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(mails) != 1 {
		t.Fatalf("outbox holds %d e-mails, want 1", len(mails))
	}
	if mails[0].To != "gestion@cholet.fr" || mails[0].Subject != subjectCodes {
		t.Errorf("outbox e-mail to %q, subject %q; want gestion@cholet.fr, %q", mails[0].To, mails[0].Subject, subjectCodes)
	}
	m, err := st.GetOutbox(ctx, mails[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "votre login : " + login; !strings.Contains(m.Text, want) {
		t.Errorf("text body lacks %q:\n%s", want, m.Text)
	}
	if !strings.Contains(m.Text, "Commune de Cholet") {
		t.Errorf("text body lacks the collectivité's name:\n%s", m.Text)
	}
	link := codesLink.FindString(m.Text)
	if link == "" {
		t.Fatalf("text body has no /mot-de-passe/ link:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, link) {
		t.Errorf("HTML body lacks the link %s", link)
	}
	if m.ExpiresAt.IsZero() {
		t.Error("the codes e-mail has no expiry: an expired link could be sent")
	}
}

func TestCTCreateRefused(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "iel.db")
	if _, stderr, err := runCLI(t, "ct", "create", "--name", "Commune de Cholet", "--email", "gestion@cholet.fr", "--db", db); err != nil {
		t.Fatalf("first ct create: %v (stderr %q)", err, stderr)
	}

	tests := []struct {
		name string
		args []string
		want string // in the error's message
	}{
		{"no name", []string{"--email", "rh@angers.fr"}, "Le nom de la collectivité est obligatoire (--name)."},
		{"blank name", []string{"--name", "   ", "--email", "rh@angers.fr"}, "Le nom de la collectivité est obligatoire (--name)."},
		{"no email", []string{"--name", "Commune d'Angers"}, "L'adresse courriel du gestionnaire CT est obligatoire (--email)."},
		{"malformed address", []string{"--name", "Commune d'Angers", "--email", "rh-angers.fr"}, `L'adresse courriel "rh-angers.fr" n'est pas valide.`},
		{"address without domain dot", []string{"--name", "Commune d'Angers", "--email", "rh@angers"}, `L'adresse courriel "rh@angers" n'est pas valide.`},
		{"name already taken", []string{"--name", "Commune de Cholet", "--email", "autre@cholet.fr"}, "Une collectivité porte déjà ce nom."},
		{"name taken, other case and spaces", []string{"--name", "  commune  de CHOLET ", "--email", "autre@cholet.fr"}, "Une collectivité porte déjà ce nom."},
		{"stray argument", []string{"--name", "Commune d'Angers", "--email", "rh@angers.fr", "de trop"}, `unexpected argument "de trop"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"ct", "create", "--db", db}, tt.args...)
			stdout, _, err := runCLI(t, args...)
			if err == nil {
				t.Fatalf("run(%q) = nil, want an error", args)
			}
			if got := message(err); got != tt.want {
				t.Errorf("message = %q, want %q", got, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}

	st := openStore(t, db)
	if n, err := st.CountCollectivities(t.Context()); err != nil || n != 1 {
		t.Errorf("CountCollectivities = %d, %v; want 1 (nothing created)", n, err)
	}
	if mails, err := st.ListOutbox(t.Context(), 10); err != nil || len(mails) != 1 {
		t.Errorf("outbox holds %d e-mails (%v), want 1 (nothing queued)", len(mails), err)
	}
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "iel.db")
	for i := range 2 { // the second run finds nothing to do
		stdout, stderr, err := runCLI(t, "migrate", "--db", db)
		if err != nil {
			t.Fatalf("migrate #%d: %v (stderr %q)", i+1, err, stderr)
		}
		if want := "iel : base sqlite à jour\n"; stdout != want {
			t.Errorf("migrate #%d printed %q, want %q", i+1, stdout, want)
		}
	}
	st := openStore(t, db)
	if n, err := st.CountCollectivities(t.Context()); err != nil || n != 0 {
		t.Errorf("CountCollectivities = %d, %v; want 0", n, err)
	}
}

func TestRunCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		wantErr string // "" for success
	}{
		{"no command", nil, "a command is required"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"ct without create", []string{"ct"}, `unknown command "ct"`},
		{"ct with unknown verb", []string{"ct", "delete"}, `unknown command "ct"`},
		{"help", []string{"help"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runCLI(t, tt.args...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("run(%q) = %v, want nil", tt.args, err)
				}
				if !strings.Contains(stdout, "iel ct create") {
					t.Errorf("stdout = %q, want the usage", stdout)
				}
				return
			}
			if err == nil || err.Error() != tt.wantErr {
				t.Fatalf("run(%q) = %v, want %q", tt.args, err, tt.wantErr)
			}
			if !strings.Contains(stderr, "usage:") {
				t.Errorf("stderr = %q, want the usage", stderr)
			}
		})
	}
}
