package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// operatorsPerPage is the length of a page of "COMPTES OPÉRATEURS".
const operatorsPerPage = 50

type operatorRow struct {
	store.Operator
	Principal bool
	State     string // the "Etat" column
}

type operatorListPage struct {
	basePage
	Tab          string
	Role         domain.Role
	Collectivity string
	Total        int
	Types        []domain.TypeLabel // one "Courriel …" column each, in the table's order
	Rows         []operatorRow
	Page, Pages  int
}

// stateLabel is the "Etat" column of an account.
func stateLabel(o store.Operator) string {
	switch {
	case o.Role == domain.RolePrincipal:
		return "gestionnaire"
	case o.State == domain.StateActive:
		return "actif"
	case o.State == domain.StateRefused:
		return "refusé"
	case o.Accepted:
		return "inactif (mot de passe à choisir)"
	case o.InvitationExpired:
		return "inactif (invitation expirée)"
	}
	return "inactif"
}

// operatorList handles GET /compte/operateurs: "COMPTES OPÉRATEURS".
func (s *Server) operatorList(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	ops, err := s.store.ListOperators(r.Context(), v.Collectivity.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sortFrench(ops)
	p := operatorListPage{basePage: s.base(w, r, "Comptes opérateurs"), Tab: "operateurs", Role: v.Account.Role,
		Collectivity: v.Collectivity.Name, Total: len(ops), Types: types, Page: 1}
	p.Nav = "compte"
	p.Pages = max(1, (len(ops)+operatorsPerPage-1)/operatorsPerPage)
	if n, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && n >= 1 && n <= p.Pages {
		p.Page = n
	}
	start := (p.Page - 1) * operatorsPerPage
	for _, o := range ops[start:min(len(ops), start+operatorsPerPage)] {
		p.Rows = append(p.Rows, operatorRow{Operator: o, Principal: o.Role == domain.RolePrincipal, State: stateLabel(o)})
	}
	s.render(w, r, http.StatusOK, p)
}

type operatorFormPage struct {
	basePage
	Tab          string
	Role         domain.Role
	Collectivity string
	ID           int64 // 0 when creating
	Login        string
	LoginField   string // creating: Login as the form carries it back, signed
	Form         ficheForm
	Prefs        prefsForm
}

func (s *Server) operatorFormPage(w http.ResponseWriter, r *http.Request, id int64, login string, f ficheForm, pf prefsForm) operatorFormPage {
	v := viewerFrom(r)
	title := "Créer un opérateur"
	if id != 0 {
		title = "Modifier un opérateur"
	}
	p := operatorFormPage{basePage: s.base(w, r, title), Tab: "operateurs", Role: v.Account.Role, Collectivity: v.Collectivity.Name,
		ID: id, Login: login, Form: f, Prefs: pf}
	if id == 0 {
		p.LoginField = s.loginField(v.Collectivity.ID, login)
	}
	p.Nav = "compte"
	p.ErrorOrder = ficheFieldsWith(pf)
	return p
}

// operatorNew handles GET /compte/operateurs/nouveau: "Créer un opérateur",
// with the identifiant the application generated for it.
func (s *Server) operatorNew(w http.ResponseWriter, r *http.Request) {
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, s.operatorFormPage(w, r, 0, domain.NewLogin(), ficheForm{}, blankPrefs(types)))
}

// The identifiant of an operator is the application's to choose: the form
// shows the one generated for it and carries it back signed, and the POST
// takes back only an identifiant the server issued, for the same CT. Any
// other is ignored, and a fresh one drawn. The signature uses the portal's
// key (the one that signs device cookies) under a label of its own.

// loginSignature is the MAC of login as issued for the CT ctID.
func (s *Server) loginSignature(ctID int64, login string) []byte {
	m := hmac.New(sha256.New, s.deviceKey)
	m.Write([]byte("iel operator identifiant\x00" + strconv.FormatInt(ctID, 10) + "\x00" + login))
	return m.Sum(nil)
}

// loginField is the form's hidden "identifiant": login and its signature.
func (s *Server) loginField(ctID int64, login string) string {
	return login + "." + base64.RawURLEncoding.EncodeToString(s.loginSignature(ctID, login))
}

// issuedLogin returns the identifiant the hidden field value carries, when
// the server issued it for the CT ctID.
func (s *Server) issuedLogin(ctID int64, value string) (string, bool) {
	login, sig, ok := strings.Cut(value, ".")
	if !ok || login == "" || len(login) > 64 {
		return "", false
	}
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(mac, s.loginSignature(ctID, login)) {
		return "", false
	}
	return login, true
}

// operatorCreate handles POST /compte/operateurs: "Valider" creates the
// account "inactif", with the identifiant the form showed (the store draws
// another if it was taken meanwhile), and sends the invitation.
func (s *Server) operatorCreate(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	login, issued := s.issuedLogin(v.Collectivity.ID, r.PostFormValue("identifiant"))
	if !issued {
		login = domain.NewLogin()
	}
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f, pf, prefs, c := checkFicheForm(r, types)
	if !c.Valid() {
		p := s.operatorFormPage(w, r, 0, login, f, pf)
		p.Errors = c.Errors
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	tok := auth.NewToken()
	a, err := s.store.CreateOperator(r.Context(), v.Collectivity.ID, v.Account.ID,
		store.NewOperator{Login: login, Fiche: f.Fiche, Prefs: prefs, TokenHash: tok.Hash, TokenExpiry: s.store.Now().Add(mail.InvitationTTL)},
		s.invitationMail(v.Collectivity, tok.Raw))
	if !s.handled(w, r, err, s.operatorRefusal(w, r, 0, login, f, pf)) {
		return
	}
	s.wake()
	s.flash(w, "Le compte opérateur "+of(a.FullName())+" est créé avec l'identifiant "+a.Login+" ; une invitation a été envoyée à "+a.Email+".")
	http.Redirect(w, r, "/compte/operateurs", http.StatusSeeOther)
}

// operatorRefusal shows the operator form again, as typed, with the
// message of the rule that refused it.
func (s *Server) operatorRefusal(w http.ResponseWriter, r *http.Request, id int64, login string, f ficheForm, pf prefsForm) refusal {
	return func(status int, errs map[string]string) {
		p := s.operatorFormPage(w, r, id, login, f, pf)
		p.Errors = errs
		s.render(w, r, status, p)
	}
}

func (s *Server) invitationMail(ct domain.Collectivity, raw string) func(domain.Account) (mail.Message, error) {
	return func(a domain.Account) (mail.Message, error) {
		return s.letters.OperatorInvitation(ct, a, raw)
	}
}

// operatorFrom loads the operator named by the {id} of the path, in the
// viewer's CT only; it answers 404 itself when there is none.
func (s *Server) operatorFrom(w http.ResponseWriter, r *http.Request) (domain.Account, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return domain.Account{}, false
	}
	a, err := s.store.GetOperator(r.Context(), viewerFrom(r).Collectivity.ID, id)
	return a, s.handled(w, r, err, nil)
}

// operatorEdit handles GET /compte/operateurs/{id}: "Modifier".
func (s *Server) operatorEdit(w http.ResponseWriter, r *http.Request) {
	a, ok := s.operatorFrom(w, r)
	if !ok {
		return
	}
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := ficheForm{Fiche: a.Fiche, PhoneInput: domain.FormatPhone(a.Phone)}
	s.render(w, r, http.StatusOK, s.operatorFormPage(w, r, a.ID, a.Login, f, prefsFormOf(types, a.Prefs)))
}

// operatorUpdate handles POST /compte/operateurs/{id}.
func (s *Server) operatorUpdate(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	a, ok := s.operatorFrom(w, r)
	if !ok {
		return
	}
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f, pf, prefs, c := checkFicheForm(r, types)
	if !c.Valid() {
		p := s.operatorFormPage(w, r, a.ID, a.Login, f, pf)
		p.Errors = c.Errors
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	err = s.store.UpdateOperator(r.Context(), v.Collectivity.ID, v.Account.ID, a.ID, store.OperatorChange{Fiche: f.Fiche, Prefs: prefs,
		AddressChanged: func(before, _ domain.Account) (mail.Message, error) {
			return s.letters.AddressChanged(v.Collectivity, before, true)
		}})
	if !s.handled(w, r, err, s.operatorRefusal(w, r, a.ID, a.Login, f, pf)) {
		return
	}
	if !strings.EqualFold(strings.TrimSpace(f.Email), strings.TrimSpace(a.Email)) {
		s.security(r, slog.LevelInfo, "email.changed", &a)
		s.wake()
	}
	s.flash(w, "Le compte opérateur "+of(f.FullName())+" est enregistré.")
	http.Redirect(w, r, "/compte/operateurs", http.StatusSeeOther)
}

type operatorDeletePage struct {
	basePage
	Operator domain.Account
}

// operatorDeleteConfirm handles GET /compte/operateurs/{id}/supprimer.
func (s *Server) operatorDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	a, ok := s.operatorFrom(w, r)
	if !ok {
		return
	}
	p := operatorDeletePage{basePage: s.base(w, r, "Supprimer un opérateur"), Operator: a}
	p.Nav = "compte"
	s.render(w, r, http.StatusOK, p)
}

// operatorDelete handles POST /compte/operateurs/{id}/supprimer.
func (s *Server) operatorDelete(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	a, ok := s.operatorFrom(w, r)
	if !ok {
		return
	}
	err := s.store.DeleteOperator(r.Context(), v.Collectivity.ID, v.Account.ID, a.ID, func(op domain.Account) (mail.Message, error) {
		return s.letters.OperatorDeleted(v.Collectivity, op)
	})
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		p := operatorDeletePage{basePage: s.base(w, r, "Supprimer un opérateur"), Operator: a}
		p.Nav = "compte"
		p.Errors = map[string]string{} // the page has no field to put the message next to
		for _, msg := range errs {
			p.Errors[""] = msg
		}
		s.render(w, r, status, p)
	}) {
		return
	}
	s.wake()
	s.flash(w, "Le compte opérateur "+of(a.FullName())+" est supprimé.")
	http.Redirect(w, r, "/compte/operateurs", http.StatusSeeOther)
}

// operatorReinvite handles POST /compte/operateurs/{id}/invitation: "Renvoyer l'invitation".
func (s *Server) operatorReinvite(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	a, ok := s.operatorFrom(w, r)
	if !ok {
		return
	}
	tok := auth.NewToken()
	a, err := s.store.ResendInvitation(r.Context(), v.Collectivity.ID, v.Account.ID, a.ID, tok.Hash, s.store.Now().Add(mail.InvitationTTL), s.invitationMail(v.Collectivity, tok.Raw))
	if !s.handled(w, r, err, nil) {
		return
	}
	s.wake()
	s.flash(w, "Une nouvelle invitation, valable 7 jours, a été envoyée à "+a.Email+" ; le lien précédent ne fonctionne plus.")
	http.Redirect(w, r, "/compte/operateurs", http.StatusSeeOther)
}

type invitationPage struct {
	basePage
	Collectivity string
	Answer       string
	Comment      string
	// Once answered: what, when, and where the operator's e-mail went.
	Done       bool
	Accepted   bool
	AnsweredAt time.Time
	Email      string
}

// invitationAnswerForm handles GET /validationoperateur/{token}: the
// answer form while the invitation waits; once answered by this link,
// what was answered (the page a successful answer leads to).
func (s *Server) invitationAnswerForm(w http.ResponseWriter, r *http.Request) {
	hash := auth.HashToken(r.PathValue("token"))
	if o, err := s.store.GetInvitationOutcome(r.Context(), hash); err == nil {
		s.render(w, r, http.StatusOK, invitationPage{basePage: s.base(w, r, "Acceptation du rôle : opérateur CT"), Collectivity: o.Collectivity.Name,
			Done: true, Accepted: o.Accepted, AnsweredAt: o.AnsweredAt, Email: o.Operator.Email})
		return
	} else if !isNotFound(err) {
		s.serverError(w, r, err)
		return
	}
	_, ct, err := s.store.GetInvitation(r.Context(), hash)
	if !s.handled(w, r, err, nil) {
		return
	}
	s.render(w, r, http.StatusOK, invitationPage{basePage: s.base(w, r, "Acceptation du rôle : opérateur CT"), Collectivity: ct.Name})
}

// invitationAnswer handles POST /validationoperateur/{token}. Accepting
// sends the operator its identifiant and a set-password link by e-mail.
// The answer leads to the link's own page, which then shows it: a refresh
// does not post again. The same answer posted twice leads there too.
func (s *Server) invitationAnswer(w http.ResponseWriter, r *http.Request) {
	hash := auth.HashToken(r.PathValue("token"))
	answered := mail.InvitationPath(r.PathValue("token"))
	if _, err := s.store.GetInvitationOutcome(r.Context(), hash); err == nil {
		http.Redirect(w, r, answered, http.StatusSeeOther)
		return
	} else if !isNotFound(err) {
		s.serverError(w, r, err)
		return
	}
	_, ct, err := s.store.GetInvitation(r.Context(), hash)
	if !s.handled(w, r, err, nil) {
		return
	}
	p := invitationPage{basePage: s.base(w, r, "Acceptation du rôle : opérateur CT"), Collectivity: ct.Name,
		Answer: r.PostFormValue("reponse"), Comment: strings.TrimSpace(r.PostFormValue("commentaire"))}
	p.ErrorOrder = answerFields
	c := checkAnswer(p.Answer, p.Comment, "d'opérateur CT")
	if !c.Valid() {
		p.Errors = c.Errors
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	pw := auth.NewToken()
	ans := store.InvitationAnswer{TokenHash: hash, Accept: p.Answer == "accepte", Comment: p.Comment, PasswordTokenHash: pw.Hash, PasswordExpiry: s.store.Now().Add(mail.CodesLinkTTL),
		AccountMail: func(op domain.Account, ct domain.Collectivity) (mail.Message, error) {
			return s.letters.OperatorAccount(ct, op, pw.Raw)
		}}
	_, err = s.store.AnswerInvitation(asVisitor(r), ans, func(op domain.Account, ct domain.Collectivity, principal domain.Account) (mail.Message, error) {
		return s.letters.OperatorAnswer(ct, op, principal, ans.Accept, p.Comment)
	})
	if !s.handled(w, r, err, nil) {
		return
	}
	s.wake()
	http.Redirect(w, r, answered, http.StatusSeeOther)
}
