package main

import (
	"path/filepath"
	"strings"
	"testing"

	"iel/internal/domain"
)

func TestStaffCreate(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "iel.db")
	stdout, stderr, err := runCLI(t, "staff", "create", "--email", "claire.roux@cnfpt.fr", "--name", "Claire  Le Roux", "--db", db)
	if err != nil {
		t.Fatalf("staff create: %v (stderr %q)", err, stderr)
	}
	if !loginLine.MatchString(stdout) || stderr != "" {
		t.Fatalf("stdout = %q, stderr = %q; want one identifiant line", stdout, stderr)
	}
	login := strings.TrimSuffix(stdout, "\n")
	st := openStore(t, db)
	ctx := t.Context()
	acc, err := st.GetAccountByLogin(ctx, login)
	if err != nil {
		t.Fatalf("GetAccountByLogin(%q): %v", login, err)
	}
	if acc.Role != domain.RoleStaff || acc.State != domain.StateInactive || acc.CollectivityID != 0 ||
		acc.FirstName != "Claire" || acc.LastName != "Le Roux" || acc.Email != "claire.roux@cnfpt.fr" {
		t.Errorf("account = %+v; want an inactive staff account of Claire Le Roux, no CT", acc)
	}
	mails, err := st.ListOutbox(ctx, 10)
	if err != nil || len(mails) != 1 {
		t.Fatalf("outbox: %d e-mails, %v; want 1", len(mails), err)
	}
	m, err := st.GetOutbox(ctx, mails[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.To != "claire.roux@cnfpt.fr" || m.Subject != subjectCodes || !strings.Contains(m.Text, "votre login : "+login) ||
		codesLink.FindString(m.Text) == "" || m.ExpiresAt.IsZero() {
		t.Errorf("codes e-mail to %q, %q, expires %v:\n%s", m.To, m.Subject, m.ExpiresAt, m.Text)
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no name", []string{"--email", "paul@cnfpt.fr"}, `Le prénom et le nom de l'agent du CNFPT sont obligatoires (--name "Prénom Nom").`},
		{"one word", []string{"--email", "paul@cnfpt.fr", "--name", "Paul"}, `Le prénom et le nom de l'agent du CNFPT sont obligatoires (--name "Prénom Nom").`},
		{"no email", []string{"--name", "Paul Roux"}, "L'adresse courriel de l'agent du CNFPT est obligatoire (--email)."},
		{"bad email", []string{"--name", "Paul Roux", "--email", "paul@"}, "Saisissez une adresse courriel valide, par exemple prenom.nom@cnfpt.fr."},
		{"address taken", []string{"--name", "Paul Roux", "--email", "Claire.Roux@cnfpt.fr"}, "Un compte d'agent du CNFPT utilise déjà cette adresse courriel."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runCLI(t, append([]string{"staff", "create", "--db", db}, tt.args...)...)
			if err == nil || message(err) != tt.want || stdout != "" {
				t.Errorf("err = %v, stdout %q; want %q", err, stdout, tt.want)
			}
		})
	}
	if mails, err := st.ListOutbox(ctx, 10); err != nil || len(mails) != 1 {
		t.Errorf("outbox holds %d e-mails (%v), want 1", len(mails), err)
	}
}
