package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"iel/internal/auth"
	"iel/internal/config"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// staffCreate handles "iel staff create --email E --name "Prénom Nom"": an
// account of the CNFPT's staff ("agent du CNFPT", no collectivité) with a
// generated identifiant (printed on stdout), and its codes e-mail queued
// for "iel serve" to deliver.
func staffCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("iel staff create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := config.Flags(fs, getenv)
	name := fs.String("name", "", "prénom et nom de l'agent du CNFPT, par exemple « Claire Roux »")
	email := fs.String("email", "", "adresse courriel de l'agent du CNFPT")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := cfg.Finish(); err != nil {
		return err
	}
	first, last, ok := splitName(*name)
	switch {
	case !ok:
		return domain.Errorf(domain.Invalid, domain.FieldLastName, "Le prénom et le nom de l'agent du CNFPT sont obligatoires (--name \"Prénom Nom\").")
	case strings.TrimSpace(*email) == "":
		return domain.Errorf(domain.Invalid, domain.FieldEmail, "L'adresse courriel de l'agent du CNFPT est obligatoire (--email).")
	}
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	letters, err := mail.NewLetters(cfg.BaseURL)
	if err != nil {
		return err
	}
	acc, err := createStaff(store.WithActor(ctx, domain.CommandLine), st, letters, store.NewStaff{FirstName: first, LastName: last, Email: *email})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, acc.Login)
	return nil
}

// splitName reads "Prénom Nom": the first word is the first name, the
// rest the last name ("Anne Le Gall").
func splitName(name string) (first, last string, ok bool) {
	words := strings.Fields(name)
	if len(words) < 2 {
		return "", "", false
	}
	return words[0], strings.Join(words[1:], " "), true
}

// createStaff creates the staff account with its codes e-mail.
func createStaff(ctx context.Context, st *store.Store, letters *mail.Letters, ns store.NewStaff) (domain.Account, error) {
	tok := auth.NewToken()
	ns.TokenHash, ns.TokenExpiry = tok.Hash, st.Now().Add(mail.CodesLinkTTL)
	return st.CreateStaff(ctx, ns, func(acc domain.Account) (mail.Message, error) {
		return letters.StaffCodes(acc, tok.Raw)
	})
}
