package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// accountForm is the "Mon compte" form of the seeded manager as the page
// sends it untouched, with change applied ("" removes a field).
func accountForm(change map[string]string) url.Values {
	f := url.Values{
		"identifiant":         {""},
		"mot_de_passe_actuel": {""},
		"nouveau":             {""},
		"confirmation":        {""},
		"civilite":            {"Mme"},
		"nom":                 {defaultFiche.LastName},
		"prenom":              {defaultFiche.FirstName},
		"fonction":            {defaultFiche.Function},
		"courriel":            {defaultFiche.Email},
		"telephone":           {"02 41 00 00 00"},
	}
	for k, v := range change {
		f.Set(k, v)
	}
	return f
}

func TestAccountPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)

	r := ts.get(t, c, "/compte")
	wantStatus(t, r, http.StatusOK, "")
	// The labels of the notice's "MA FICHE GESTIONNAIRE CT".
	wantText(t, r,
		"Codes de connexion de la collectivité", "Identifiant", s.Account.Login,
		"Mot de passe actuel", "Nouveau mot de passe", "8 caractères minimum - au moins une lettre et un chiffre",
		"Nouveau mot de passe confirmation", "Ma fiche gestionnaire CT", "Nom de la collectivité", s.CT.Name,
		"Civilité", "Monsieur", "Madame", "Nom", "Prénom", "Fonction", "Adresse courriel du service",
		"Numéro de téléphone (10 chiffres)", "Annuler", "Enregistrer")
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	wantMarkup(t, r, `value="Durand"`, `value="Claire"`, `value="Responsable formation"`, `value="rh@cholet.example.fr"`, `value="02 41 00 00 00"`)
	if !strings.Contains(r.Body, `value="Mme" checked`) {
		t.Error("civilité Madame not checked")
	}
	// The historical manager has no mail preferences: it gets everything.
	wantNoText(t, r, "Paramétrage courriels")
}

// TestAccountRefused: a refused form comes back with 422, the message in
// the summary and next to the field, the typed values kept, and nothing
// saved.
func TestAccountRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	before := ts.account(t, s)

	tests := []struct {
		name   string
		change map[string]string
		msg    string
		kept   []string // raw HTML the form must hold
	}{
		{name: "short phone", change: map[string]string{"telephone": "02 41 00"},
			msg: "Le numéro de téléphone doit comporter 10 chiffres, par exemple 02 41 00 00 00.", kept: []string{`value="02 41 00"`}},
		{name: "phone with letters", change: map[string]string{"telephone": "02 41 AB CD EF"},
			msg: "Le numéro de téléphone doit comporter 10 chiffres, par exemple 02 41 00 00 00.", kept: []string{`value="02 41 AB CD EF"`}},
		{name: "bad email", change: map[string]string{"courriel": "rh@cholet", "fonction": "DRH adjointe"},
			msg: "Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr.", kept: []string{`value="rh@cholet"`, `value="DRH adjointe"`}},
		{name: "missing nom", change: map[string]string{"nom": "  ", "prenom": "Claudine"},
			msg: "Saisissez le nom.", kept: []string{`value="Claudine"`}},
		{name: "missing civilité", change: map[string]string{"civilite": ""},
			msg: "Choisissez la civilité."},
		{name: "wrong current password", change: map[string]string{"mot_de_passe_actuel": "Pas-le-bon-2026", "nouveau": "Nouveau-mdp-2026", "confirmation": "Nouveau-mdp-2026", "telephone": "02.41.99.99.99"},
			msg: "Le mot de passe actuel est incorrect.", kept: []string{`value="02.41.99.99.99"`}},
		{name: "new password too short", change: map[string]string{"mot_de_passe_actuel": managerPassword, "nouveau": "abc1", "confirmation": "abc1"},
			msg: "Le mot de passe doit contenir 8 caractères minimum."},
		{name: "confirmation mismatch", change: map[string]string{"mot_de_passe_actuel": managerPassword, "nouveau": "Nouveau-mdp-2026", "confirmation": "Nouveau-mdp-2027"},
			msg: "La confirmation ne correspond pas au nouveau mot de passe."},
		{name: "new password without current", change: map[string]string{"nouveau": "Nouveau-mdp-2026", "confirmation": "Nouveau-mdp-2026"},
			msg: "Saisissez votre mot de passe actuel."},
		{name: "new password common", change: map[string]string{"mot_de_passe_actuel": managerPassword, "nouveau": "password1", "confirmation": "password1"},
			msg: "Ce mot de passe fait partie des plus courants : choisissez-en un autre."},
		{name: "new password equal to current", change: map[string]string{"mot_de_passe_actuel": managerPassword, "nouveau": managerPassword, "confirmation": managerPassword},
			msg: "Le nouveau mot de passe doit être différent de l'actuel."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.postForm(t, c, "/compte", accountForm(tt.change))
			wantStatus(t, r, http.StatusUnprocessableEntity, "")
			if n := strings.Count(r.Text, tt.msg); n != 2 {
				t.Errorf("%q shown %d times, want 2 (summary and field); page:\n%s", tt.msg, n, excerpt(r.Text))
			}
			wantText(t, r, "Le formulaire contient", "Mon compte") // a new courriel also asks for the current password
			if !strings.HasPrefix(r.Text[strings.Index(r.Text, "<title>"):], "<title>Erreur : ") {
				t.Error("title does not start with « Erreur : »")
			}
			for _, k := range tt.kept {
				if !strings.Contains(r.Body, k) {
					t.Errorf("typed value lost: no %s", k)
				}
			}
			for _, f := range []string{"mot_de_passe_actuel", "nouveau", "confirmation"} {
				if p := tt.change[f]; p != "" && strings.Contains(r.Body, p) {
					t.Errorf("password field %s echoed in the page", f)
				}
			}
			if diff := cmp.Diff(before, ts.account(t, s)); diff != "" {
				t.Errorf("database changed (-before +after):\n%s", diff)
			}
		})
	}
	// The password did not change either: the old one still logs in.
	ts.login(t, ts.client(t), s.Account.Login, s.Password)
}

func TestAccountSave(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)

	form := accountForm(map[string]string{"civilite": "M", "nom": "  Martin ", "prenom": "Paul", "fonction": "Chargé de formation",
		"courriel": " formation@cholet.example.fr ", "telephone": "02.41.12.34.56", "mot_de_passe_actuel": s.Password})
	wantStatus(t, ts.postForm(t, c, "/compte", form), http.StatusSeeOther, "/compte")

	a := ts.account(t, s)
	if a.Phone != "0241123456" || a.LastName != "Martin" || a.Email != "formation@cholet.example.fr" || a.Civility != "M" || a.Function != "Chargé de formation" {
		t.Errorf("saved fiche = %+v", a.Fiche)
	}
	if a.PasswordHash != s.Account.PasswordHash {
		t.Error("password hash changed without a new password")
	}
	r := ts.get(t, c, "/compte")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Votre fiche est enregistrée. Un courriel a informé votre ancienne adresse du changement.")
	if !strings.Contains(r.Body, `value="02 41 12 34 56"`) || !strings.Contains(r.Body, `value="Martin"`) || !strings.Contains(r.Body, `value="M" checked`) {
		t.Errorf("saved values not shown; page:\n%s", excerpt(r.Text))
	}
	// The flash shows once.
	wantNoText(t, ts.get(t, c, "/compte"), "Votre fiche est enregistrée.")
}

// TestAccountPasswordChange: a new password ends the account's other
// sessions and keeps the one that changed it.
func TestAccountPasswordChange(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	other := ts.loggedIn(t, s)
	c := ts.loggedIn(t, s)
	const newPassword = "Nouveau-mdp-2026"

	form := accountForm(map[string]string{"mot_de_passe_actuel": s.Password, "nouveau": newPassword, "confirmation": newPassword})
	wantStatus(t, ts.postForm(t, c, "/compte", form), http.StatusSeeOther, "/compte")

	r := ts.get(t, c, "/compte")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Votre fiche et votre nouveau mot de passe sont enregistrés. Vos autres connexions ont été fermées.")
	wantStatus(t, ts.get(t, other, "/compte"), http.StatusSeeOther, "/connexion?suite=%2Fcompte")

	r = ts.postForm(t, ts.client(t), "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {s.Password}})
	wantStatus(t, r, http.StatusUnauthorized, "")
	ts.login(t, ts.client(t), s.Account.Login, newPassword)
	if diff := cmp.Diff(s.Account.Fiche, ts.account(t, s).Fiche); diff != "" {
		t.Errorf("fiche changed (-before +after):\n%s", diff)
	}
}

// TestAccountAddressNeedsCurrentPassword: a new courriel on « Mon compte »
// asks for the current password, as a new password does (ASVS 7.5.1): a
// stolen session cannot send the account's links elsewhere. Refused, the
// message stands next to « Mot de passe actuel », the form keeps what was
// typed, nothing is saved or sent. Accepted, the old address is told.
func TestAccountAddressNeedsCurrentPassword(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "oui")
	manager := ts.seedCT(t)
	tests := []struct {
		name           string
		client         *http.Client
		form           url.Values
		password, old  string
		login, account string // what the e-mail to the old address names
		contact        string
	}{
		{name: "historical manager", client: ts.loggedIn(t, manager), form: accountForm(nil), password: manager.Password,
			old: defaultFiche.Email, login: manager.Account.Login, account: "Claire Durand", contact: "le CNFPT"},
		{name: "operator", client: o.Client, form: ficheValues(operatorFiche, "oui", "oui"), password: o.Password,
			old: operatorFiche.Email, login: o.Login, account: "Sophie Bernard", contact: "le gestionnaire principal de votre collectivité"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := ts.accountByLogin(t, tt.login)
			mails := ts.outboxCount(t)
			post := func(current string) response {
				f := url.Values{}
				for k, v := range tt.form {
					f[k] = v
				}
				f.Set("courriel", "pirate@example.com")
				f.Set("fonction", "Tapé avant")
				f.Set("mot_de_passe_actuel", current)
				return ts.postForm(t, tt.client, "/compte", f)
			}
			refusals := []struct{ current, msg string }{
				{"", "Saisissez votre mot de passe actuel pour changer votre adresse courriel."},
				{"Pas-le-bon-2026", "Le mot de passe actuel est incorrect."},
			}
			for _, rf := range refusals {
				r := post(rf.current)
				wantStatus(t, r, http.StatusUnprocessableEntity, "")
				wantMarkup(t, r, `<a href="#mot_de_passe_actuel">`+rf.msg+`</a>`,
					`<p id="mot_de_passe_actuel-error" class="govuk-error-message"><span class="govuk-visually-hidden">Erreur :</span> `+rf.msg+`</p>`,
					`value="pirate@example.com"`, `value="Tapé avant"`)
				if diff := cmp.Diff(before, ts.accountByLogin(t, tt.login)); diff != "" {
					t.Errorf("saved without the current password (-before +after):\n%s", diff)
				}
				if n := ts.outboxCount(t); n != mails {
					t.Errorf("%d e-mails queued", n-mails)
				}
			}

			wantStatus(t, post(tt.password), http.StatusSeeOther, "/compte")
			if a := ts.accountByLogin(t, tt.login); a.Email != "pirate@example.com" || a.Function != "Tapé avant" {
				t.Errorf("saved %q, %q; want the new courriel and fonction", a.Email, a.Function)
			}
			m := ts.newestMail(t, subjectAddressChanged, tt.old)
			for _, want := range []string{"Bonjour " + tt.account + "\n", "(login : " + tt.login + ") a été modifiée depuis « Mon compte ».",
				"Si vous n'êtes pas à l'origine de ce changement, prévenez sans attendre " + tt.contact + "."} {
				if !strings.Contains(m.Text, want) {
					t.Errorf("e-mail to the old address lacks %q:\n%s", want, m.Text)
				}
			}
			if n := ts.outboxCount(t); n != mails+1 {
				t.Errorf("%d e-mails queued, want 1 to the old address", n-mails)
			}
		})
	}
}
