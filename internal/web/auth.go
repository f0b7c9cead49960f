package web

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
)

// PasswordPath is the path of the "MODIFICATION DU MOT DE PASSE" page for a raw token.
func PasswordPath(raw string) string { return "/mot-de-passe/" + raw }

// home handles GET /.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	if viewerFrom(r) != nil {
		http.Redirect(w, r, "/compte", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/connexion", http.StatusSeeOther)
}

type loginPage struct {
	basePage
	Login string
	Next  string
}

const badCredentials = "Identifiant ou mot de passe incorrect."

// loginForm handles GET /connexion.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	if viewerFrom(r) != nil {
		http.Redirect(w, r, "/compte", http.StatusSeeOther)
		return
	}
	p := loginPage{basePage: s.base(w, r, "Connexion"), Login: r.URL.Query().Get("identifiant"), Next: localPath(r.URL.Query().Get("suite"))}
	s.render(w, r, http.StatusOK, p)
}

// login handles POST /connexion. An unknown identifiant, a wrong password
// and an account that cannot log in get the same message after the same
// work, so the answer tells nothing about which identifiants exist.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	p := loginPage{basePage: s.base(w, r, "Connexion"), Login: strings.TrimSpace(r.PostFormValue("identifiant")), Next: localPath(r.PostFormValue("suite"))}
	p.ErrorOrder = []string{"identifiant", "mot_de_passe"}
	password := r.PostFormValue("mot_de_passe")
	c := domain.Checker{}
	c.Check(p.Login != "", "identifiant", "Saisissez votre identifiant.")
	c.Check(password != "", "mot_de_passe", "Saisissez votre mot de passe.")
	c.Check(len(password) <= 4*domain.MaxPassword, "mot_de_passe", badCredentials)
	if !c.Valid() {
		p.Errors = c.Errors
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	addr := clientAddr(r)
	wait, err := s.store.LoginWait(r.Context(), p.Login, addr)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wait > 0 {
		p.Errors = map[string]string{"": fmt.Sprintf("Trop de tentatives de connexion ont échoué. Réessayez dans %s, ou utilisez « Mot de passe oublié ? ».", humanWait(wait))}
		w.Header().Set("Retry-After", fmt.Sprint(int(math.Ceil(wait.Seconds()))))
		s.render(w, r, http.StatusTooManyRequests, p)
		return
	}
	acc, err := s.store.GetAccountByLogin(r.Context(), p.Login)
	switch {
	case isNotFound(err) || (err == nil && !acc.CanLogIn()):
		s.hasher.Burn(r.Context(), password)
		err = auth.ErrMismatch
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		err = s.hasher.Verify(r.Context(), password, acc.PasswordHash)
	}
	if errors.Is(err, auth.ErrMismatch) {
		if err := s.store.RecordLoginFailure(r.Context(), p.Login, addr); err != nil {
			s.serverError(w, r, err)
			return
		}
		p.Errors = map[string]string{"": badCredentials}
		s.render(w, r, http.StatusUnauthorized, p)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.store.ClearLoginFailures(r.Context(), acc.Login); err != nil {
		s.serverError(w, r, err)
		return
	}
	if s.hasher.NeedsRehash(acc.PasswordHash) {
		if h, err := s.hasher.Hash(r.Context(), password); err == nil {
			if err := s.store.RehashPassword(r.Context(), acc.ID, acc.PasswordHash, h); err != nil {
				s.log.Warn("rehash password", "id", requestID(r), "err", err)
			}
		}
	}
	// A new session id at every login: a planted cookie never becomes a signed-in one.
	if old, err := r.Cookie(s.sessionCookieName()); err == nil {
		if err := s.store.DeleteLoginSession(r.Context(), auth.HashToken(old.Value)); err != nil {
			s.log.Warn("end previous session at login", "id", requestID(r), "err", err)
		}
	}
	tok := auth.NewToken()
	if err := s.store.CreateLoginSession(r.Context(), tok.Hash, acc.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.setSessionCookie(w, tok.Raw)
	next := p.Next
	if next == "" {
		next = "/compte"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// clientAddr is the address failed logins are counted against.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func humanWait(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d secondes", int(math.Ceil(d.Seconds())))
	}
	m := int(math.Ceil(d.Minutes()))
	if m == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

// logout handles POST /deconnexion.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if v := viewerFrom(r); v != nil {
		if err := s.store.DeleteLoginSession(r.Context(), v.SessionHash); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	s.flash(w, "Vous êtes déconnecté(e).")
	http.Redirect(w, r, "/connexion", http.StatusSeeOther)
}

type forgotPage struct {
	basePage
	Login string
	Sent  bool
}

// forgotForm handles GET /mot-de-passe-oublie.
func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, forgotPage{basePage: s.base(w, r, "Mot de passe oublié"), Login: r.URL.Query().Get("identifiant")})
}

// forgot handles POST /mot-de-passe-oublie. The answer is the same whether
// the identifiant exists or not.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request) {
	p := forgotPage{basePage: s.base(w, r, "Mot de passe oublié"), Login: strings.TrimSpace(r.PostFormValue("identifiant"))}
	if p.Login == "" || len(p.Login) > 64 {
		p.Errors = map[string]string{"identifiant": "Saisissez votre identifiant."}
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	tok := auth.NewToken()
	expiry := s.store.Now().Add(ResetLinkTTL)
	err := s.store.RequestPasswordReset(r.Context(), p.Login, tok.Hash, expiry, resetCooldown, func(acc domain.Account) (mail.Message, error) {
		return s.composer.PasswordReset(acc.Email, mail.PasswordResetData{Login: acc.Login, Link: s.link(PasswordPath(tok.Raw))})
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.wake()
	p.Sent = true
	s.render(w, r, http.StatusOK, p)
}

type passwordLinkPage struct {
	basePage
	Login string
}

// passwordLinkForm handles GET /mot-de-passe/{token}: "MODIFICATION DU MOT
// DE PASSE". Showing the form does not use the link.
func (s *Server) passwordLinkForm(w http.ResponseWriter, r *http.Request) {
	acc, err := s.store.GetPasswordToken(r.Context(), auth.HashToken(r.PathValue("token")))
	var derr *domain.Error
	switch {
	case errors.As(err, &derr):
		s.domainError(w, r, derr)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, passwordLinkPage{basePage: s.base(w, r, "Modification du mot de passe"), Login: acc.Login})
}

// passwordLinkSet handles POST /mot-de-passe/{token}.
func (s *Server) passwordLinkSet(w http.ResponseWriter, r *http.Request) {
	hash := auth.HashToken(r.PathValue("token"))
	acc, err := s.store.GetPasswordToken(r.Context(), hash)
	var derr *domain.Error
	switch {
	case errors.As(err, &derr):
		s.domainError(w, r, derr)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	p := passwordLinkPage{basePage: s.base(w, r, "Modification du mot de passe"), Login: acc.Login}
	p.ErrorOrder = []string{"nouveau", "confirmation"}
	pw, confirm := r.PostFormValue("nouveau"), r.PostFormValue("confirmation")
	c := domain.Checker{}
	c.Check(pw != "", "nouveau", "Saisissez le nouveau mot de passe.")
	if pw != "" {
		msg := domain.CheckPassword(pw, acc.Login)
		c.Check(msg == "", "nouveau", msg)
	}
	c.Check(confirm == pw, "confirmation", "La confirmation ne correspond pas au nouveau mot de passe.")
	if !c.Valid() {
		p.Errors = c.Errors
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	h, err := s.hasher.Hash(r.Context(), pw)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	acc, err = s.store.SetPasswordWithToken(r.Context(), hash, h)
	switch {
	case errors.As(err, &derr):
		s.domainError(w, r, derr)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.clearSessionCookie(w)
	s.flash(w, "Votre mot de passe est enregistré. Connectez-vous avec votre identifiant "+acc.Login+".")
	http.Redirect(w, r, "/connexion?identifiant="+url.QueryEscape(acc.Login), http.StatusSeeOther)
}
