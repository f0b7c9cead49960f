package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// demoPassword is the password of the demo accounts whose codes work at once.
const demoPassword = "Demo-iel-2026"

// The demo's collectivités, in the order their logins are printed.
const (
	demoCholet = "Commune de Cholet"
	demoMaine  = "Département de Maine-et-Loire"
	demoRoche  = "Commune de la Roche-sur-Yon"
)

var demoCollectivities = []string{demoCholet, demoMaine, demoRoche}

// seedDemo fills an empty database with a few collectivités, then prints
// how to sign in to them. Run again on its database, it makes nothing and
// prints the logins again, as the database now has them; on a database
// without the demo's collectivités it only says so.
func seedDemo(ctx context.Context, st *store.Store, hasher *auth.Hasher, letters *mail.Letters, stdout io.Writer) error {
	n, err := st.CountCollectivities(ctx)
	if err != nil {
		return err
	}
	header := "iel : données de démonstration, déjà dans la base :"
	if n == 0 {
		if err := fillDemo(ctx, st, hasher, letters); err != nil {
			return err
		}
		header = "iel : données de démonstration :"
	}
	var logins bytes.Buffer
	printed, err := printDemoLogins(ctx, st, hasher, &logins)
	if err != nil {
		return err
	}
	if printed == 0 {
		fmt.Fprintf(stdout, "iel : la base contient déjà %d collectivité(s), qui ne sont pas celles de la démonstration : pas de données de démonstration.\n", n)
		return nil
	}
	fmt.Fprintln(stdout, header)
	_, err = logins.WriteTo(stdout)
	return err
}

// fillDemo makes the demo's collectivités through the portal's own flows,
// with the e-mails the portal sends.
func fillDemo(ctx context.Context, st *store.Store, hasher *auth.Hasher, letters *mail.Letters) error {
	// The collectivités come from the command line; then the journal
	// tells the demo's story as the portal would, each change by the
	// person the demo simulates (see as and byLink).
	ctx = store.WithActor(ctx, domain.CommandLine)
	hash, err := hasher.Hash(ctx, demoPassword)
	if err != nil {
		return err
	}
	// Cholet: the historical manager, ready to designate its principal.
	_, _, err = st.CreateCollectivity(ctx, store.NewCollectivity{Name: demoCholet, Email: "rh@cholet.example.fr", ManagerActive: true, PasswordHash: hash,
		ManagerFiche: domain.Fiche{Civility: domain.Madame, LastName: "Durand", FirstName: "Claire", Function: "Responsable formation", Email: "rh@cholet.example.fr", Phone: "0241000000"}}, nil)
	if err != nil {
		return err
	}
	// Maine-et-Loire: in multi-operator mode, as its historical manager left it.
	ct, manager, err := st.CreateCollectivity(ctx, store.NewCollectivity{Name: demoMaine, Email: "formation@maine-et-loire.example.fr", ManagerActive: true, PasswordHash: hash,
		ManagerFiche: domain.Fiche{Civility: domain.Monsieur, LastName: "Martin", FirstName: "Paul", Function: "Chargé de formation", Email: "formation@maine-et-loire.example.fr", Phone: "0241818181"}}, nil)
	if err != nil {
		return err
	}
	principal, err := seedPrincipal(ctx, st, letters, ct, manager, hash)
	if err != nil {
		return err
	}
	if err := seedOperators(ctx, st, letters, ct, principal, hash); err != nil {
		return err
	}
	if err := seedDemoAgents(as(ctx, principal), st, ct); err != nil {
		return err
	}
	// La Roche-sur-Yon: just created, its codes e-mail waiting.
	if _, err = createCollectivity(ctx, st, letters, store.NewCollectivity{Name: demoRoche, Email: "drh@larochesuryon.example.fr"}); err != nil {
		return err
	}
	if err := seedCTData(ctx, st); err != nil {
		return err
	}
	if err := seedDemoStaff(ctx, st, hash); err != nil {
		return err
	}
	// The trainings last: the CNFPT's agent publishes the catalogue, and
	// Maine-et-Loire, with its agents, registers them.
	return seedDemoTrainings(ctx, st, letters)
}

// demoAddr is the address the demo's people act from, as the journal
// shows it: one of the addresses kept for documentation (RFC 5737).
const demoAddr = "192.0.2.10"

// as is ctx acting as the signed-in account acc, as the web records it.
func as(ctx context.Context, acc domain.Account) context.Context {
	return store.WithActor(ctx, domain.AccountActor(acc, demoAddr))
}

// byLink is ctx acting as the person of an e-mailed link, as the web
// records an answer to a designation or an invitation, or a password set
// with a link.
func byLink(ctx context.Context) context.Context {
	return store.WithActor(ctx, domain.Visitor(demoAddr))
}

// demoPrincipal is the person Maine-et-Loire's historical manager designates.
var demoPrincipal = domain.Fiche{Civility: domain.Madame, LastName: "Moreau", FirstName: "Nathalie", Function: "Directrice des ressources humaines",
	Email: "n.moreau@maine-et-loire.example.fr", Phone: "0241818180"}

// seedPrincipal has the historical manager designate demoPrincipal, who
// accepts and sets the demo password: the manager's account closes, as in
// the notice's first change of principal.
func seedPrincipal(ctx context.Context, st *store.Store, letters *mail.Letters, ct domain.Collectivity, manager domain.Account, hash string) (domain.Account, error) {
	desig, pwTok := auth.NewToken(), auth.NewToken()
	types, err := st.ListTrainingTypes(ctx)
	if err != nil {
		return domain.Account{}, err
	}
	d := domain.Designation{Fiche: demoPrincipal, Prefs: domain.AllPrefs(domain.Codes(types))}
	_, err = st.CreateDesignation(as(ctx, manager), ct.ID, manager.ID, d, desig.Hash, st.Now().Add(mail.DesignationTTL), func(d domain.Designation) (mail.Message, error) {
		return letters.Designation(ct, d, desig.Raw)
	}, func(old domain.Designation) (mail.Message, error) { return letters.DesignationReplaced(ct, old) })
	if err != nil {
		return domain.Account{}, err
	}
	_, _, err = st.AnswerDesignation(byLink(ctx), store.DesignationAnswer{TokenHash: desig.Hash, Accept: true, Comment: "J'accepte avec plaisir.",
		PasswordTokenHash: pwTok.Hash, PasswordExpiry: st.Now().Add(mail.CodesLinkTTL)},
		store.DesignationMails{
			Accepted: func(d domain.Designation, ct domain.Collectivity, login string) (mail.Message, error) {
				return letters.PrincipalAccount(ct, d, login, pwTok.Raw)
			},
			Answer: func(d domain.Designation, ct domain.Collectivity, prev domain.Account) (mail.Message, error) {
				return letters.DesignationAnswer(ct, d, prev)
			},
		})
	if err != nil {
		return domain.Account{}, err
	}
	return st.SetPasswordWithToken(byLink(ctx), pwTok.Hash, hash)
}

// demoPrefs answers "Paramétrage courriels" for every type of types: Oui
// for those of yes, Non for the others.
func demoPrefs(types []domain.TypeLabel, yes ...domain.TrainingType) domain.MailPrefs {
	p := domain.MailPrefs{}
	for _, t := range types {
		p[t.Type] = slices.Contains(yes, t.Type)
	}
	return p
}

// seedOperators has the principal create three operators: one active,
// one still invited (its link in the mail viewer works), one who refused.
func seedOperators(ctx context.Context, st *store.Store, letters *mail.Letters, ct domain.Collectivity, principal domain.Account, hash string) error {
	types, err := st.ListTrainingTypes(ctx)
	if err != nil {
		return err
	}
	ops := []struct {
		fiche  domain.Fiche
		prefs  domain.MailPrefs
		answer string // "accepte", "refuse" or "" (still invited)
	}{
		{domain.Fiche{Civility: domain.Madame, LastName: "Énard", FirstName: "Sophie", Function: "Assistante formation", Email: "sophie.enard@maine-et-loire.example.fr", Phone: "0241818182"}, demoPrefs(types, domain.Integration), "accepte"},
		{domain.Fiche{Civility: domain.Monsieur, LastName: "Leroy", FirstName: "Marc", Function: "Gestionnaire RH", Email: "marc.leroy@maine-et-loire.example.fr", Phone: "0241818183"}, demoPrefs(types, domain.Inter), ""},
		{domain.Fiche{Civility: domain.Madame, LastName: "Bernard", FirstName: "Julie", Function: "Chargée de mission", Email: "julie.bernard@maine-et-loire.example.fr", Phone: "0241818184"}, demoPrefs(types), "refuse"},
	}
	for _, o := range ops {
		inv, pw := auth.NewToken(), auth.NewToken()
		op, err := st.CreateOperator(as(ctx, principal), ct.ID, principal.ID, store.NewOperator{Fiche: o.fiche, Prefs: o.prefs, TokenHash: inv.Hash, TokenExpiry: st.Now().Add(mail.InvitationTTL)},
			func(a domain.Account) (mail.Message, error) {
				return letters.OperatorInvitation(ct, a, inv.Raw)
			})
		if err != nil {
			return err
		}
		if o.answer == "" {
			continue
		}
		ans := store.InvitationAnswer{TokenHash: inv.Hash, Accept: o.answer == "accepte", PasswordTokenHash: pw.Hash, PasswordExpiry: st.Now().Add(mail.CodesLinkTTL)}
		_, err = st.AnswerInvitation(byLink(ctx), ans, func(op domain.Account, ct domain.Collectivity, p domain.Account) (mail.Message, error) {
			return letters.OperatorAnswer(ct, op, p, ans.Accept, ans.Comment)
		})
		if err != nil {
			return err
		}
		if ans.Accept {
			if _, err := st.SetPasswordWithToken(byLink(ctx), pw.Hash, hash); err != nil {
				return fmt.Errorf("demo operator %s: %w", op.Login, err)
			}
		}
	}
	return nil
}

// printDemoLogins prints, for each of the demo's collectivités the
// database holds, the accounts one can sign in to, as they are now: the
// demo password or, if its owner changed it, a word saying so; and an
// account still waiting for its first password. It returns how many
// lines it printed.
func printDemoLogins(ctx context.Context, st *store.Store, hasher *auth.Hasher, stdout io.Writer) (int, error) {
	printed := 0
	for _, name := range demoCollectivities {
		ct, accounts, err := st.GetCollectivityAccounts(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return printed, err
		}
		for _, a := range accounts {
			var password string
			switch {
			case a.CanLogIn():
				password = "mot de passe " + demoPassword
				if err := hasher.Verify(ctx, demoPassword, a.PasswordHash); errors.Is(err, auth.ErrMismatch) {
					password = "mot de passe changé depuis la démonstration"
				} else if err != nil {
					return printed, err
				}
			case a.State == domain.StateInactive && a.PasswordHash == "" && a.Role == domain.RoleManager:
				password = "mot de passe à choisir par le lien du courriel « vos codes de connexion »"
			case a.State == domain.StateInactive && a.PasswordHash == "" && a.Role == domain.RolePrincipal:
				password = "mot de passe à choisir par le lien du courriel « votre compte gestionnaire principal CT »"
			default:
				continue // closed, refused, or an operator still invited
			}
			who := a.Role.Label()
			if n := a.FullName(); n != "" {
				who += " " + n
			}
			fmt.Fprintf(stdout, "  %s – %s : identifiant %s, %s\n", ct.Name, who, a.Login, password)
			printed++
		}
	}
	if printed == 0 {
		return 0, nil
	}
	n, err := printDemoStaff(ctx, st, hasher, stdout)
	return printed + n, err
}
