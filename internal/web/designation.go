package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

type designationPage struct {
	basePage
	Role         domain.Role // the holder's: the historical manager's form starts with its own values
	Collectivity string
	Form         ficheForm
	Prefs        prefsForm
	Operators    []store.Operator // the active operators the principal may designate
	Target       int64            // the chosen operator, 0 for a new person
}

func (s *Server) designationPage(w http.ResponseWriter, r *http.Request, f ficheForm, p prefsForm, target int64) (designationPage, error) {
	v := viewerFrom(r)
	pg := designationPage{basePage: s.base(w, r, "Nouveau gestionnaire principal CT"), Role: v.Account.Role, Collectivity: v.Collectivity.Name,
		Form: f, Prefs: p, Target: target}
	pg.Nav = "compte"
	pg.ErrorOrder = append([]string{"operateur"}, ficheFieldsWith(p)...)
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
// gestionnaire principal CT". For the historical manager it starts with
// the manager's own values: the notice's first change of principal, where
// the person who used the CT's shared codes becomes the personal
// principal. For a principal it starts empty: it hands the role over, and
// never to itself. Either may start from an active operator's values
// (?operateur=ID), or empty (?vide=1, the "Tout effacer" button).
func (s *Server) designationForm(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var f ficheForm
	p := blankPrefs(types)
	var target int64
	if v.Account.Role == domain.RoleManager {
		// The historical manager receives every type: its values are Oui for all.
		a := v.Account
		f, p = ficheForm{Fiche: a.Fiche, PhoneInput: domain.FormatPhone(a.Phone)}, prefsFormOf(types, domain.AllPrefs(domain.Codes(types)))
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("operateur"), 10, 64); err == nil && id != 0 {
		op, err := s.store.GetOperator(r.Context(), v.Collectivity.ID, id)
		if !s.handled(w, r, err, nil) {
			return
		}
		f, p, target = ficheForm{Fiche: op.Fiche, PhoneInput: domain.FormatPhone(op.Phone)}, prefsFormOf(types, op.Prefs), op.ID
	}
	if r.URL.Query().Get("vide") != "" {
		f, p, target = ficheForm{}, blankPrefs(types), 0
	}
	s.renderDesignation(w, r, http.StatusOK, f, p, target, nil)
}

// designationCreate handles POST /compte/gestionnaire-principal.
func (s *Server) designationCreate(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f, pf, prefs, c := checkFicheForm(r, types)
	target, _ := strconv.ParseInt(r.PostFormValue("operateur"), 10, 64)
	if !c.Valid() {
		s.renderDesignation(w, r, http.StatusUnprocessableEntity, f, pf, target, c.Errors)
		return
	}
	tok := auth.NewToken()
	d := domain.Designation{Fiche: f.Fiche, Prefs: prefs, TargetAccount: target}
	_, err = s.store.CreateDesignation(r.Context(), v.Collectivity.ID, v.Account.ID, d, tok.Hash, s.store.Now().Add(mail.DesignationTTL), s.designationMail(v.Collectivity, tok.Raw),
		func(old domain.Designation) (mail.Message, error) {
			return s.letters.DesignationReplaced(v.Collectivity, old)
		})
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		s.renderDesignation(w, r, status, f, pf, target, errs)
	}) {
		return
	}
	s.wake()
	s.flash(w, "La désignation est enregistrée : un courriel a été envoyé à "+f.Email+". Le changement ne prendra effet qu'après son acceptation ; d'ici là, rien ne change.")
	http.Redirect(w, r, "/compte", http.StatusSeeOther)
}

func (s *Server) designationMail(ct domain.Collectivity, raw string) func(domain.Designation) (mail.Message, error) {
	return func(d domain.Designation) (mail.Message, error) {
		return s.letters.Designation(ct, d, raw)
	}
}

// designationResend handles POST /compte/gestionnaire-principal/renvoyer.
func (s *Server) designationResend(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	tok := auth.NewToken()
	d, err := s.store.ResendDesignation(r.Context(), v.Collectivity.ID, v.Account.ID, tok.Hash, s.store.Now().Add(mail.DesignationTTL), s.designationMail(v.Collectivity, tok.Raw))
	if !s.handled(w, r, err, nil) {
		return
	}
	s.wake()
	s.flash(w, "Le courriel de désignation a été renvoyé à "+d.Email+" avec un nouveau lien, valable 7 jours ; l'ancien lien ne fonctionne plus.")
	http.Redirect(w, r, "/compte", http.StatusSeeOther)
}

type designationCancelPage struct {
	basePage
	Designation domain.Designation
}

// designationCancelConfirm handles GET /compte/gestionnaire-principal/annuler:
// "Annuler la désignation" asks first, naming the person designated.
func (s *Server) designationCancelConfirm(w http.ResponseWriter, r *http.Request) {
	d, err := s.store.GetPendingDesignation(r.Context(), viewerFrom(r).Collectivity.ID)
	if isNotFound(err) {
		err = domain.ErrNoPendingDesignation
	}
	if !s.handled(w, r, err, nil) {
		return
	}
	p := designationCancelPage{basePage: s.base(w, r, "Annuler la désignation"), Designation: d}
	p.Nav = "compte"
	s.render(w, r, http.StatusOK, p)
}

// designationCancel handles POST /compte/gestionnaire-principal/annuler:
// the link dies, and the person designated is told.
func (s *Server) designationCancel(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	d, err := s.store.CancelDesignation(r.Context(), v.Collectivity.ID, v.Account.ID, func(d domain.Designation) (mail.Message, error) {
		return s.letters.DesignationWithdrawn(v.Collectivity, d)
	})
	if !s.handled(w, r, err, nil) {
		return
	}
	s.wake()
	s.flash(w, "La désignation "+of(d.FullName())+" est annulée : son lien ne fonctionne plus, et un courriel l'en a informé(e) à "+d.Email+".")
	http.Redirect(w, r, "/compte", http.StatusSeeOther)
}

type answerPage struct {
	basePage
	Collectivity string
	Designated   string
	Answer       string
	Comment      string
	// Once answered: what, when, and where the new principal's e-mail went.
	Done       bool
	Accepted   bool
	AnsweredAt time.Time
	Email      string
}

// designationAnswerForm handles GET /validationgestprin/{token}: the answer
// form while the designation waits; once answered by this link, what was
// answered (the page a successful answer leads to).
func (s *Server) designationAnswerForm(w http.ResponseWriter, r *http.Request) {
	hash := auth.HashToken(r.PathValue("token"))
	if d, ct, err := s.store.GetDesignationOutcome(r.Context(), hash); err == nil {
		s.render(w, r, http.StatusOK, answerPage{basePage: s.base(w, r, "Acceptation du rôle : gestionnaire principal CT"), Collectivity: ct.Name,
			Designated: d.FullName(), Done: true, Accepted: d.State == domain.DesignationAccepted, AnsweredAt: d.AnsweredAt, Email: d.Email})
		return
	} else if !isNotFound(err) {
		s.serverError(w, r, err)
		return
	}
	d, ct, err := s.store.GetDesignationByToken(r.Context(), hash)
	if !s.handled(w, r, err, nil) {
		return
	}
	p := answerPage{basePage: s.base(w, r, "Acceptation du rôle : gestionnaire principal CT"), Collectivity: ct.Name, Designated: d.FullName()}
	s.render(w, r, http.StatusOK, p)
}

// designationAnswer handles POST /validationgestprin/{token}. The answer
// leads to the link's own page, which then shows it: a refresh does not
// post again. The same answer posted twice (a double click) leads there too.
func (s *Server) designationAnswer(w http.ResponseWriter, r *http.Request) {
	hash := auth.HashToken(r.PathValue("token"))
	answered := mail.DesignationPath(r.PathValue("token"))
	if _, _, err := s.store.GetDesignationOutcome(r.Context(), hash); err == nil {
		http.Redirect(w, r, answered, http.StatusSeeOther)
		return
	} else if !isNotFound(err) {
		s.serverError(w, r, err)
		return
	}
	d, ct, err := s.store.GetDesignationByToken(r.Context(), hash)
	if !s.handled(w, r, err, nil) {
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
		PasswordTokenHash: pw.Hash, PasswordExpiry: s.store.Now().Add(mail.CodesLinkTTL)}
	_, _, err = s.store.AnswerDesignation(asVisitor(r), ans, store.DesignationMails{
		Accepted: func(d domain.Designation, ct domain.Collectivity, login string) (mail.Message, error) {
			return s.letters.PrincipalAccount(ct, d, login, pw.Raw)
		},
		Answer: func(d domain.Designation, ct domain.Collectivity, prev domain.Account) (mail.Message, error) {
			return s.letters.DesignationAnswer(ct, d, prev)
		},
	})
	if !s.handled(w, r, err, nil) {
		return
	}
	s.wake()
	http.Redirect(w, r, answered, http.StatusSeeOther)
}

type cguPage struct{ basePage }

// cgu handles GET /conditions-generales.
func (s *Server) cgu(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, cguPage{s.base(w, r, "Conditions générales d'utilisation")})
}
