package main

import (
	"context"
	"io"
	"strings"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// staffCreate handles "iel staff create --email E --name "Prénom Nom"": an
// account of the CNFPT's staff ("agent du CNFPT", no collectivité) with a
// generated identifiant (printed on stdout), and its codes e-mail queued
// for "iel serve" to deliver.
func staffCreate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return accountCommand{
		name:       "iel staff create",
		nameUsage:  "prénom et nom de l'agent du CNFPT, par exemple « Claire Roux »",
		emailUsage: "adresse courriel de l'agent du CNFPT",
		check:      checkNewStaff,
		create: func(ctx context.Context, st *store.Store, letters *mail.Letters, name, email string) (domain.Account, error) {
			first, last, _ := splitName(name)
			return createStaff(ctx, st, letters, store.NewStaff{FirstName: first, LastName: last, Email: email})
		},
	}.run(ctx, args, getenv, stdout, stderr)
}

// checkNewStaff applies the rules of a new staff account's name and address.
func checkNewStaff(name, email string) error {
	if _, _, ok := splitName(name); !ok {
		return domain.Errorf(domain.Invalid, domain.FieldLastName, "Le prénom et le nom de l'agent du CNFPT sont obligatoires (--name \"Prénom Nom\").")
	}
	if strings.TrimSpace(email) == "" {
		return domain.Errorf(domain.Invalid, domain.FieldEmail, "L'adresse courriel de l'agent du CNFPT est obligatoire (--email).")
	}
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
