package main

import (
	"context"
	"fmt"
	"io"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// demoPassword is the password of the demo accounts whose codes work at once.
const demoPassword = "Demo-iel-2026"

// seedDemo fills an empty database with a few collectivités and prints how
// to sign in; on a database that has data it only says so.
func seedDemo(ctx context.Context, st *store.Store, hasher *auth.Hasher, letters *mail.Letters, stdout io.Writer) error {
	n, err := st.CountCollectivities(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(stdout, "iel : la base contient déjà %d collectivité(s) : pas de nouvelles données de démonstration.\n", n)
		return nil
	}
	hash, err := hasher.Hash(ctx, demoPassword)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "iel : données de démonstration :")
	ready := []struct {
		name, email string
		fiche       domain.Fiche
	}{
		{"Commune de Cholet", "rh@cholet.example.fr", domain.Fiche{Civility: domain.Madame, LastName: "Durand", FirstName: "Claire", Function: "Responsable formation", Email: "rh@cholet.example.fr", Phone: "0241000000"}},
		{"Département de Maine-et-Loire", "formation@maine-et-loire.example.fr", domain.Fiche{Civility: domain.Monsieur, LastName: "Martin", FirstName: "Paul", Function: "Chargé de formation", Email: "formation@maine-et-loire.example.fr", Phone: "0241818181"}},
	}
	for i, d := range ready {
		ct, acc, err := st.CreateCollectivity(ctx, store.NewCollectivity{Name: d.name, Email: d.email, ManagerFiche: d.fiche, ManagerActive: true, PasswordHash: hash}, nil)
		if err != nil {
			return err
		}
		if i == 0 {
			fmt.Fprintf(stdout, "  %s – gestionnaire CT : identifiant %s, mot de passe %s\n", d.name, acc.Login, demoPassword)
			continue
		}
		if err := seedOperators(ctx, st, letters, ct, acc, hash, stdout); err != nil {
			return err
		}
		if err := seedDemoAgents(ctx, st, ct, stdout); err != nil {
			return err
		}
	}
	acc, err := createCollectivity(ctx, st, letters, store.NewCollectivity{Name: "Commune de la Roche-sur-Yon", Email: "drh@larochesuryon.example.fr"})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  Commune de la Roche-sur-Yon – gestionnaire CT : identifiant %s, mot de passe à choisir par le lien du courriel « vos codes de connexion »\n", acc.Login)
	return seedCTData(ctx, st)
}

// seedOperators turns a CT to multi-operator mode through the real flows,
// with the e-mails the portal sends: its manager designates itself
// principal and accepts, then creates three operators: one active, one
// still invited (its link in the mail viewer works), one who refused.
func seedOperators(ctx context.Context, st *store.Store, letters *mail.Letters, ct domain.Collectivity, manager domain.Account, hash string, stdout io.Writer) error {
	desig, pwTok := auth.NewToken(), auth.NewToken()
	d := domain.Designation{Fiche: manager.Fiche, Prefs: domain.MailPrefs{Integration: true, Inter: true}}
	_, err := st.CreateDesignation(ctx, ct.ID, manager.ID, d, desig.Hash, st.Now().Add(mail.DesignationTTL), func(d domain.Designation) (mail.Message, error) {
		return letters.Designation(ct, d, desig.Raw)
	})
	if err != nil {
		return err
	}
	_, principal, err := st.AnswerDesignation(ctx, store.DesignationAnswer{TokenHash: desig.Hash, Accept: true, PasswordTokenHash: pwTok.Hash, PasswordExpiry: st.Now().Add(mail.CodesLinkTTL)},
		store.DesignationMails{
			Accepted: func(d domain.Designation, ct domain.Collectivity, login string) (mail.Message, error) {
				return letters.PrincipalAccount(ct, d, login, pwTok.Raw)
			},
			Answer: func(d domain.Designation, ct domain.Collectivity, prev domain.Account) (mail.Message, error) {
				return letters.DesignationAnswer(ct, d, prev)
			},
		})
	if err != nil {
		return err
	}
	if _, err := st.SetPasswordWithToken(ctx, pwTok.Hash, hash); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "  %s – gestionnaire principal CT : identifiant %s, mot de passe %s\n", ct.Name, principal.Login, demoPassword)
	ops := []struct {
		fiche  domain.Fiche
		prefs  domain.MailPrefs
		answer string // "accepte", "refuse" or "" (still invited)
	}{
		{domain.Fiche{Civility: domain.Madame, LastName: "Énard", FirstName: "Sophie", Function: "Assistante formation", Email: "sophie.enard@maine-et-loire.example.fr", Phone: "0241818182"}, domain.MailPrefs{Integration: true}, "accepte"},
		{domain.Fiche{Civility: domain.Monsieur, LastName: "Leroy", FirstName: "Marc", Function: "Gestionnaire RH", Email: "marc.leroy@maine-et-loire.example.fr", Phone: "0241818183"}, domain.MailPrefs{Inter: true}, ""},
		{domain.Fiche{Civility: domain.Madame, LastName: "Bernard", FirstName: "Julie", Function: "Chargée de mission", Email: "julie.bernard@maine-et-loire.example.fr", Phone: "0241818184"}, domain.MailPrefs{}, "refuse"},
	}
	for _, o := range ops {
		inv, pw := auth.NewToken(), auth.NewToken()
		op, err := st.CreateOperator(ctx, ct.ID, principal.ID, store.NewOperator{Fiche: o.fiche, Prefs: o.prefs, TokenHash: inv.Hash, TokenExpiry: st.Now().Add(mail.InvitationTTL)},
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
		_, err = st.AnswerInvitation(ctx, ans, func(op domain.Account, ct domain.Collectivity, p domain.Account) (mail.Message, error) {
			return letters.OperatorAnswer(ct, op, p, ans.Accept, ans.Comment)
		})
		if err != nil {
			return err
		}
		if ans.Accept {
			if _, err := st.SetPasswordWithToken(ctx, pw.Hash, hash); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "  %s – opérateur : identifiant %s, mot de passe %s\n", ct.Name, op.Login, demoPassword)
		}
	}
	return nil
}
