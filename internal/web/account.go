package web

import (
	"errors"
	"net/http"
	"strings"

	"iel/internal/auth"
	"iel/internal/domain"
)

// ficheForm is the "Mon compte" form: the login codes and the fiche, as
// typed, with one message per field.
type ficheForm struct {
	domain.Fiche
	PhoneInput string // as typed, shown back when refused
}

type accountPage struct {
	basePage
	Tab          string
	Login        string
	Collectivity string
	Form         ficheForm
}

var accountFields = []string{"mot_de_passe_actuel", "nouveau", "confirmation", "civilite", "nom", "prenom", "fonction", "courriel", "telephone"}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, f ficheForm) accountPage {
	v := viewerFrom(r)
	p := accountPage{basePage: s.base(w, r, "Mon compte"), Tab: "fiche", Login: v.Account.Login, Collectivity: v.Collectivity.Name, Form: f}
	p.Nav = "compte"
	p.ErrorOrder = accountFields
	return p
}

// accountShow handles GET /compte: "MA FICHE GESTIONNAIRE CT".
func (s *Server) accountShow(w http.ResponseWriter, r *http.Request) {
	a := viewerFrom(r).Account
	f := ficheForm{Fiche: a.Fiche, PhoneInput: domain.FormatPhone(a.Phone)}
	s.render(w, r, http.StatusOK, "account", s.accountPage(w, r, f))
}

// accountUpdate handles POST /compte: "Enregistrer" saves the fiche and,
// when a new password is typed, the password; both or neither.
func (s *Server) accountUpdate(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	civ, _ := domain.ParseCivility(r.PostFormValue("civilite"))
	f := ficheForm{Fiche: domain.Fiche{
		Civility:  civ,
		LastName:  r.PostFormValue("nom"),
		FirstName: r.PostFormValue("prenom"),
		Function:  r.PostFormValue("fonction"),
		Email:     r.PostFormValue("courriel"),
		Phone:     r.PostFormValue("telephone"),
	}}
	f.PhoneInput = strings.TrimSpace(f.Phone)
	current, pw, confirm := r.PostFormValue("mot_de_passe_actuel"), r.PostFormValue("nouveau"), r.PostFormValue("confirmation")

	c := domain.Checker{}
	changing := current != "" || pw != "" || confirm != ""
	if changing {
		c.Check(current != "", "mot_de_passe_actuel", "Saisissez votre mot de passe actuel.")
		c.Check(pw != "", "nouveau", "Saisissez le nouveau mot de passe.")
		if pw != "" {
			msg := domain.CheckPassword(pw, v.Account.Login)
			c.Check(msg == "", "nouveau", msg)
			c.Check(pw != current, "nouveau", "Le nouveau mot de passe doit être différent de l'actuel.")
		}
		c.Check(confirm == pw, "confirmation", "La confirmation ne correspond pas au nouveau mot de passe.")
	}
	domain.CheckFiche(&c, &f.Fiche)
	if c.Valid() && changing {
		// Checked last: the costly hash runs only for an otherwise valid form.
		err := s.hasher.Verify(r.Context(), current, v.Account.PasswordHash)
		switch {
		case errors.Is(err, auth.ErrMismatch):
			c.Check(false, "mot_de_passe_actuel", "Le mot de passe actuel est incorrect.")
		case err != nil:
			s.serverError(w, r, err)
			return
		}
	}
	if !c.Valid() {
		p := s.accountPage(w, r, f)
		p.Errors = c.Errors
		s.render(w, r, http.StatusUnprocessableEntity, "account", p)
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
	err := s.store.UpdateOwnAccount(r.Context(), v.Account.CollectivityID, v.Account.ID, f.Fiche, hash, v.SessionHash)
	var derr *domain.Error
	switch {
	case errors.As(err, &derr):
		p := s.accountPage(w, r, f)
		p.Errors = map[string]string{derr.Field: derr.Message}
		s.render(w, r, derr.Status(), "account", p)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	msg := "Votre fiche est enregistrée."
	if changing {
		msg = "Votre fiche et votre nouveau mot de passe sont enregistrés. Vos autres connexions ont été fermées."
	}
	s.flash(w, msg)
	http.Redirect(w, r, "/compte", http.StatusSeeOther)
}
