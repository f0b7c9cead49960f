package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// Designation links live 7 days, like the new principal's codes link.
const DesignationTTL = 7 * 24 * time.Hour

// DesignationPath is the path of the "ACCEPTATION DU RÔLE : GESTIONNAIRE
// PRINCIPAL CT" page for a raw token (the notice's "validationgestprin").
func DesignationPath(raw string) string { return "/validationgestprin/" + raw }

// prefsForm is "Paramétrage courriels" as typed: "oui", "non" or "" per type.
type prefsForm struct{ Integration, Inter string }

func prefsFormOf(p domain.MailPrefs) prefsForm {
	yn := func(b bool) string {
		if b {
			return "oui"
		}
		return "non"
	}
	return prefsForm{Integration: yn(p.Integration), Inter: yn(p.Inter)}
}

// parsePrefs reads the two radios of "Paramétrage courriels".
func parsePrefs(r *http.Request, c *domain.Checker) (prefsForm, domain.MailPrefs) {
	f := prefsForm{Integration: r.PostFormValue("courriel_integration"), Inter: r.PostFormValue("courriel_inter")}
	c.Check(f.Integration == "oui" || f.Integration == "non", "courriel_integration", "Indiquez si ce compte reçoit les courriels de la formation d'intégration.")
	c.Check(f.Inter == "oui" || f.Inter == "non", "courriel_inter", "Indiquez si ce compte reçoit les courriels de la formation inter.")
	return f, domain.MailPrefs{Integration: f.Integration == "oui", Inter: f.Inter == "oui"}
}

// parseFiche reads the fiche fields of a form.
func parseFiche(r *http.Request) ficheForm {
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
	return f
}

var ficheFields = []string{"civilite", "nom", "prenom", "fonction", "courriel", "telephone", "courriel_integration", "courriel_inter", "prefs"}

type designationPage struct {
	basePage
	Collectivity string
	Form         ficheForm
	Prefs        prefsForm
	Operators    []store.Operator // the active operators the principal may designate
	Target       int64            // the chosen operator, 0 for a new person
}

func (s *Server) designationPage(w http.ResponseWriter, r *http.Request, f ficheForm, p prefsForm, target int64) (designationPage, error) {
	v := viewerFrom(r)
	pg := designationPage{basePage: s.base(w, r, "Nouveau gestionnaire principal CT"), Collectivity: v.Collectivity.Name, Form: f, Prefs: p, Target: target}
	pg.Nav = "compte"
	pg.ErrorOrder = append([]string{"operateur"}, ficheFields...)
	if v.Account.Role == domain.RolePrincipal {
		ops, err := s.store.ListOperators(r.Context(), v.Collectivity.ID)
		if err != nil {
			return pg, err
		}
		sortFrench(ops)
		for _, o := range ops {
			if o.Role == domain.RoleOperator && o.State == domain.StateActive {
				pg.Operators = append(pg.Operators, o)
			}
		}
	}
	return pg, nil
}

func (s *Server) renderDesignation(w http.ResponseWriter, r *http.Request, status int, f ficheForm, p prefsForm, target int64, errs map[string]string) {
	pg, err := s.designationPage(w, r, f, p, target)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	pg.Errors = errs
	s.render(w, r, status, pg)
}

// designationForm handles GET /compte/gestionnaire-principal: "Nouveau
// gestionnaire principal CT", filled with the current holder's values, or
// an existing operator's (?operateur=ID), or empty (?vide=1, the "Tout
// effacer" button).
func (s *Server) designationForm(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	a := v.Account
	var target int64
	if id, err := strconv.ParseInt(r.URL.Query().Get("operateur"), 10, 64); err == nil && id != 0 {
		op, err := s.store.GetOperator(r.Context(), v.Collectivity.ID, id)
		if !s.handled(w, r, err) {
			return
		}
		a, target = op, op.ID
	}
	f, p := ficheForm{Fiche: a.Fiche, PhoneInput: domain.FormatPhone(a.Phone)}, prefsFormOf(a.Prefs)
	if r.URL.Query().Get("vide") != "" {
		f, p = ficheForm{}, prefsForm{}
	}
	s.renderDesignation(w, r, http.StatusOK, f, p, target, nil)
}

// designationCreate handles POST /compte/gestionnaire-principal.
func (s *Server) designationCreate(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	f := parseFiche(r)
	c := domain.Checker{}
	domain.CheckFiche(&c, &f.Fiche)
	pf, prefs := parsePrefs(r, &c)
	target, _ := strconv.ParseInt(r.PostFormValue("operateur"), 10, 64)
	if !c.Valid() {
		s.renderDesignation(w, r, http.StatusUnprocessableEntity, f, pf, target, c.Errors)
		return
	}
	tok := auth.NewToken()
	d := domain.Designation{Fiche: f.Fiche, Prefs: prefs, TargetAccount: target}
	_, err := s.store.CreateDesignation(r.Context(), v.Collectivity.ID, v.Account.ID, d, tok.Hash, s.store.Now().Add(DesignationTTL), s.designationMail(v.Collectivity, tok.Raw))
	var derr *domain.Error
	switch {
	case errors.As(err, &derr):
		s.renderDesignation(w, r, derr.Status(), f, pf, target, map[string]string{derr.Field: derr.Message})
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.wake()
	s.flash(w, "La désignation est enregistrée : un courriel a été envoyé à "+f.Email+". Le changement ne prendra effet qu'après son acceptation ; d'ici là, rien ne change.")
	http.Redirect(w, r, "/compte", http.StatusSeeOther)
}

func (s *Server) designationMail(ct domain.Collectivity, raw string) func(domain.Designation) (mail.Message, error) {
	return func(d domain.Designation) (mail.Message, error) {
		return s.composer.Designation(d.Email, mail.DesignationData{FullName: d.FullName(), Collectivity: ct.Name, Link: s.link(DesignationPath(raw))})
	}
}

// designationResend handles POST /compte/gestionnaire-principal/renvoyer.
func (s *Server) designationResend(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	tok := auth.NewToken()
	d, err := s.store.ResendDesignation(r.Context(), v.Collectivity.ID, v.Account.ID, tok.Hash, s.store.Now().Add(DesignationTTL), s.designationMail(v.Collectivity, tok.Raw))
	if !s.handled(w, r, err) {
		return
	}
	s.wake()
	s.flash(w, "Le courriel de désignation a été renvoyé à "+d.Email+" avec un nouveau lien, valable 7 jours ; l'ancien lien ne fonctionne plus.")
	http.Redirect(w, r, "/compte", http.StatusSeeOther)
}

// designationCancel handles POST /compte/gestionnaire-principal/annuler.
func (s *Server) designationCancel(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	if !s.handled(w, r, s.store.CancelDesignation(r.Context(), v.Collectivity.ID, v.Account.ID)) {
		return
	}
	s.flash(w, "La désignation est annulée : son lien ne fonctionne plus.")
	http.Redirect(w, r, "/compte", http.StatusSeeOther)
}

// handled shows err when there is one and reports whether the handler may go on.
func (s *Server) handled(w http.ResponseWriter, r *http.Request, err error) bool {
	var derr *domain.Error
	switch {
	case err == nil:
		return true
	case errors.As(err, &derr):
		s.domainError(w, r, derr)
	case isNotFound(err):
		s.notFound(w, r)
	default:
		s.serverError(w, r, err)
	}
	return false
}

type answerPage struct {
	basePage
	Collectivity string
	Designated   string
	Answer       string
	Comment      string
	Accepted     bool
	Done         bool
	Email        string
}

// designationAnswerForm handles GET /validationgestprin/{token}.
func (s *Server) designationAnswerForm(w http.ResponseWriter, r *http.Request) {
	d, ct, err := s.store.GetDesignationByToken(r.Context(), auth.HashToken(r.PathValue("token")))
	if !s.handled(w, r, err) {
		return
	}
	p := answerPage{basePage: s.base(w, r, "Acceptation du rôle : gestionnaire principal CT"), Collectivity: ct.Name, Designated: d.FullName()}
	s.render(w, r, http.StatusOK, p)
}

// maxComment bounds "Commentaires à destination du gestionnaire principal actuel".
const maxComment = 2000

var answerFields = []string{"reponse", "commentaire"}

// checkAnswer checks the answer to a role offered by link: "accepte" or
// "refuse", and a comment of bounded length. role reads after "le rôle":
// "de gestionnaire principal CT", "d'opérateur CT".
func checkAnswer(answer, comment, role string) domain.Checker {
	c := domain.Checker{}
	c.Check(answer == "accepte" || answer == "refuse", "reponse", "Indiquez si vous acceptez ou refusez le rôle "+role+".")
	c.Check(utf8.RuneCountInString(comment) <= maxComment, "commentaire", "Le commentaire ne doit pas dépasser 2000 caractères.")
	return c
}

// designationAnswer handles POST /validationgestprin/{token}.
func (s *Server) designationAnswer(w http.ResponseWriter, r *http.Request) {
	hash := auth.HashToken(r.PathValue("token"))
	d, ct, err := s.store.GetDesignationByToken(r.Context(), hash)
	if !s.handled(w, r, err) {
		return
	}
	p := answerPage{basePage: s.base(w, r, "Acceptation du rôle : gestionnaire principal CT"), Collectivity: ct.Name, Designated: d.FullName(),
		Answer: r.PostFormValue("reponse"), Comment: strings.TrimSpace(r.PostFormValue("commentaire"))}
	p.ErrorOrder = answerFields
	c := checkAnswer(p.Answer, p.Comment, "de gestionnaire principal CT")
	if !c.Valid() {
		p.Errors = c.Errors
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	pw := auth.NewToken()
	ans := store.DesignationAnswer{TokenHash: hash, Accept: p.Answer == "accepte", Comment: p.Comment,
		PasswordTokenHash: pw.Hash, PasswordExpiry: s.store.Now().Add(CodesLinkTTL)}
	d, principal, err := s.store.AnswerDesignation(r.Context(), ans, store.DesignationMails{
		Accepted: func(d domain.Designation, ct domain.Collectivity, login string) (mail.Message, error) {
			return s.composer.PrincipalAccount(d.Email, mail.PrincipalAccountData{FullName: d.FullName(), Collectivity: ct.Name, Login: login, Link: s.link(PasswordPath(pw.Raw))})
		},
		Answer: func(d domain.Designation, ct domain.Collectivity, prev domain.Account) (mail.Message, error) {
			return s.composer.DesignationAnswer(prev.Email, mail.AnswerData{HolderName: prev.FullName(), FullName: d.FullName(), Collectivity: ct.Name, Comment: d.Comment, Accepted: d.State == domain.DesignationAccepted, PreviousManager: prev.Role == domain.RoleManager})
		},
	})
	if !s.handled(w, r, err) {
		return
	}
	s.wake()
	p.Done, p.Accepted, p.Email = true, d.State == domain.DesignationAccepted, principal.Email
	if !p.Accepted {
		p.Email = d.Email
	}
	s.render(w, r, http.StatusOK, p)
}

type cguPage struct{ basePage }

// cgu handles GET /conditions-generales.
func (s *Server) cgu(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, cguPage{s.base(w, r, "Conditions générales d'utilisation")})
}
