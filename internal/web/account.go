package web

import (
	"log/slog"
	"net/http"
	"strings"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

type accountPage struct {
	basePage
	Tab          string
	Role         domain.Role
	Login        string
	Collectivity string
	Form         ficheForm
	Prefs        prefsForm
	Pending      *domain.Designation // the designation awaiting an answer, shown to the holder
}

// accountFields lists the fields of "Mon compte", in order, for the summary.
func accountFields(pf prefsForm) []string {
	return append([]string{"mot_de_passe_actuel", "nouveau", "confirmation"}, ficheFieldsWith(pf)...)
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, f ficheForm, pf prefsForm) (accountPage, error) {
	v := viewerFrom(r)
	p := accountPage{basePage: s.base(w, r, "Mon compte"), Tab: "fiche", Role: v.Account.Role, Login: v.Account.Login,
		Collectivity: v.Collectivity.Name, Form: f, Prefs: pf}
	p.Nav = "compte"
	p.ErrorOrder = accountFields(pf)
	if v.Account.IsHolder() {
		d, err := s.store.GetPendingDesignation(r.Context(), v.Collectivity.ID)
		switch {
		case err == nil:
			p.Pending = &d
		case !isNotFound(err):
			return p, err
		}
	}
	return p, nil
}

// accountShow handles GET /compte: the account's own tab ("MA FICHE
// GESTIONNAIRE CT", "GESTIONNAIRE PRINCIPAL CT" or "OPÉRATEUR").
func (s *Server) accountShow(w http.ResponseWriter, r *http.Request) {
	a := viewerFrom(r).Account
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := ficheForm{Fiche: a.Fiche, PhoneInput: domain.FormatPhone(a.Phone)}
	p, err := s.accountPage(w, r, f, prefsFormOf(types, a.Prefs))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, p)
}

// accountRefuse re-renders the account page with the form as typed and its messages.
func (s *Server) accountRefuse(w http.ResponseWriter, r *http.Request, status int, f ficheForm, pf prefsForm, errs map[string]string) {
	p, err := s.accountPage(w, r, f, pf)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Errors = errs
	s.render(w, r, status, p)
}

// accountUpdate handles POST /compte: "Enregistrer" saves the fiche, the
// mail preferences (principal and operators) and, when a new password is
// typed, the password; all or nothing. The principal's nom, prénom and
// courriel change only through a change of principal: the posted ones are
// ignored. A new password or a new courriel needs the current password
// (re-authentication: a stolen session must not take the account over by
// sending its "Mot de passe oublié ?" links elsewhere).
func (s *Server) accountUpdate(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := parseFiche(r)
	if v.Account.Role == domain.RolePrincipal {
		f.LastName, f.FirstName, f.Email = v.Account.LastName, v.Account.FirstName, v.Account.Email
	}
	current, pw, confirm := r.PostFormValue("mot_de_passe_actuel"), r.PostFormValue("nouveau"), r.PostFormValue("confirmation")
	// One mailbox, case aside, as the store judges an address change.
	newAddress := !strings.EqualFold(strings.TrimSpace(f.Email), strings.TrimSpace(v.Account.Email))

	c := domain.Checker{}
	// The current password typed alone asks for a new one, unless it vouches for a new address.
	changing := pw != "" || confirm != "" || (current != "" && !newAddress)
	if newAddress && !changing {
		c.Check(current != "", "mot_de_passe_actuel", "Saisissez votre mot de passe actuel pour changer votre adresse courriel.")
	}
	if changing {
		c.Check(current != "", "mot_de_passe_actuel", "Saisissez votre mot de passe actuel.")
		c.Check(pw != "", "nouveau", "Saisissez le nouveau mot de passe.")
		if pw != "" {
			msg := domain.CheckPassword(pw, v.Account.Login, v.Collectivity.Name)
			c.Check(msg == "", "nouveau", msg)
			c.Check(pw != current, "nouveau", "Le nouveau mot de passe doit être différent de l'actuel.")
		}
		c.Check(confirm == pw, "confirmation", "La confirmation ne correspond pas au nouveau mot de passe.")
	}
	checkFiche(&c, &f.Fiche)
	var prefs *domain.MailPrefs
	pf := prefsFormOf(types, v.Account.Prefs)
	if v.Account.Role != domain.RoleManager {
		var p domain.MailPrefs
		pf, p = parsePrefs(r, types, &c)
		prefs = &p
	}
	status := http.StatusUnprocessableEntity
	if c.Valid() && (changing || newAddress) {
		// Checked last: the costly hash runs only for an otherwise valid form.
		msg, st, err := s.reauthenticate(w, r, current)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if msg != "" {
			c.Check(false, "mot_de_passe_actuel", msg)
			status = st
		}
	}
	if !c.Valid() {
		s.accountRefuse(w, r, status, f, pf, c.Errors)
		return
	}
	var hash string
	if changing {
		var err error
		if hash, err = s.hasher.Hash(r.Context(), pw); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	// A new password gives this browser a new login session id too, in the
	// same transaction: whoever held the old one is out.
	var renewed auth.Token
	if changing {
		renewed = auth.NewToken()
	}
	err = s.store.SaveOwnAccount(r.Context(), v.Account.CollectivityID, v.Account.ID,
		store.OwnAccountChange{Fiche: f.Fiche, Prefs: prefs, PasswordHash: hash, KeepLoginSession: v.SessionHash, RenewLoginSession: renewed.Hash,
			AddressChanged: func(before, _ domain.Account) (mail.Message, error) {
				return s.letters.AddressChanged(v.Collectivity, before, false)
			}})
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		s.accountRefuse(w, r, status, f, pf, errs)
	}) {
		return
	}
	if changing {
		s.setSessionCookie(w, renewed.Raw)
	}
	if changing {
		s.security(r, slog.LevelInfo, "password.changed", nil, slog.String("by", "account"))
	}
	msg := "Votre fiche est enregistrée."
	if changing {
		msg = "Votre fiche et votre nouveau mot de passe sont enregistrés. Vos autres connexions ont été fermées."
	}
	if newAddress {
		s.security(r, slog.LevelInfo, "email.changed", nil)
		s.wake()
		msg += " Un courriel a informé votre ancienne adresse du changement."
	}
	s.flash(w, msg)
	http.Redirect(w, r, "/compte", http.StatusSeeOther)
}
