package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"iel/internal/auth"
	"iel/internal/config"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// ctCreate handles "iel ct create --name N --email E": the CT, its
// gestionnaire CT with a generated identifiant (printed on stdout), and the
// codes e-mail queued for "iel serve" to deliver.
func ctCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return accountCommand{
		name:       "iel ct create",
		nameUsage:  "nom de la collectivité, par exemple « Commune de Cholet »",
		emailUsage: "adresse courriel du gestionnaire CT",
		check:      checkNewCollectivity,
		create: func(ctx context.Context, st *store.Store, letters *mail.Letters, name, email string) (domain.Account, error) {
			return createCollectivity(ctx, st, letters, store.NewCollectivity{Name: name, Email: email})
		},
	}.run(ctx, args, getenv, stdout, stderr)
}

// accountCommand is a command that creates an account from --name and
// --email, as "iel ct create" and "iel staff create" do: the flags and
// the configuration read, check applied to them, then create run on the
// store as the command line; the account's identifiant is printed on
// stdout.
type accountCommand struct {
	name                  string // the command, as typed
	nameUsage, emailUsage string // the flags' help
	check                 func(name, email string) error
	create                func(ctx context.Context, st *store.Store, letters *mail.Letters, name, email string) (domain.Account, error)
}

func (c accountCommand) run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := config.Flags(fs, getenv)
	name := fs.String("name", "", c.nameUsage)
	email := fs.String("email", "", c.emailUsage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := cfg.Finish(); err != nil {
		return err
	}
	if err := c.check(*name, *email); err != nil {
		return err
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
	acc, err := c.create(store.WithActor(ctx, domain.CommandLine), st, letters, *name, *email)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, acc.Login)
	return nil
}

// checkNewCollectivity applies the rules of a new CT's name and address.
func checkNewCollectivity(name, email string) error {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	switch {
	case name == "":
		return domain.Errorf(domain.Invalid, "name", "Le nom de la collectivité est obligatoire (--name).")
	case utf8.RuneCountInString(name) > 150:
		return domain.Errorf(domain.Invalid, "name", "Le nom de la collectivité ne doit pas dépasser 150 caractères.")
	case email == "":
		return domain.Errorf(domain.Invalid, "email", "L'adresse courriel du gestionnaire CT est obligatoire (--email).")
	case !domain.ValidEmail(email):
		return domain.Errorf(domain.Invalid, "email", fmt.Sprintf("L'adresse courriel %q n'est pas valide.", email))
	}
	return nil
}

// createCollectivity creates the CT with its codes e-mail.
func createCollectivity(ctx context.Context, st *store.Store, letters *mail.Letters, nc store.NewCollectivity) (domain.Account, error) {
	tok := auth.NewToken()
	nc.TokenHash, nc.TokenExpiry = tok.Hash, st.Now().Add(mail.CodesLinkTTL)
	// The name and address as the store keeps them.
	ct := domain.Collectivity{Name: strings.Join(strings.Fields(nc.Name), " "), Email: strings.TrimSpace(nc.Email)}
	_, acc, err := st.CreateCollectivity(ctx, nc, func(login string) (mail.Message, error) {
		return letters.Codes(ct, login, tok.Raw)
	})
	return acc, err
}
