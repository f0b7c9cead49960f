package web

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// home handles GET /.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	if viewerFrom(r) != nil {
		http.Redirect(w, r, landingPath(viewerFrom(r).Account), http.StatusSeeOther)
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
		http.Redirect(w, r, landingPath(viewerFrom(r).Account), http.StatusSeeOther)
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
	at, err := s.newAttempt(r, "login", p.Login)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	wait, err := s.attemptWait(r, at)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if wait > 0 {
		p.Errors = map[string]string{"": fmt.Sprintf("Trop de tentatives de connexion ont échoué. Réessayez dans %s, ou utilisez « Mot de passe oublié ? ».", humanWait(wait))}
		w.Header().Set("Retry-After", retryAfter(wait))
		s.render(w, r, http.StatusTooManyRequests, p)
		return
	}
	acc, err := s.store.GetAccountByLogin(r.Context(), p.Login)
	if err == nil {
		at.account = &acc
	}
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
		if err := s.attemptFailed(r, at); err != nil {
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
	if err := s.attemptSucceeded(w, r, at); err != nil {
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
		next = landingPath(acc)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// attempt is one password typed for an identifiant, with what the
// throttle knows of the browser that typed it.
type attempt struct {
	event   string          // "login" or "reauth": what its security log entries are called
	login   string          // as stored
	addr    string          // the client's
	device  string          // the id of the browser's device cookie for login, when it still counts
	account *domain.Account // the account of login, once known
}

// newAttempt prepares the throttle for a password typed for login.
func (s *Server) newAttempt(r *http.Request, event, login string) (attempt, error) {
	at := attempt{event: event, login: store.NormalizeLogin(login), addr: clientAddr(r)}
	if id, ok := s.deviceID(r, at.login); ok {
		trusted, err := s.store.DeviceTrusted(r.Context(), id)
		if err != nil {
			return at, err
		}
		if trusted {
			at.device = id
		}
	}
	return at, nil
}

// attemptWait is how long the attempt must wait: a known browser never
// waits, an unknown one as long as the identifiant's and the address's
// failures say.
func (s *Server) attemptWait(r *http.Request, at attempt) (time.Duration, error) {
	if at.device != "" {
		return 0, nil
	}
	wait, err := s.store.LoginWait(r.Context(), at.login, at.addr)
	if wait > 0 {
		s.security(r, slog.LevelWarn, at.event+".throttled", at.account, slog.Duration("wait", ceilSeconds(wait)))
	}
	return wait, err
}

// attemptFailed counts a wrong password: on the device cookie of a known
// browser, else on the identifiant and the address.
func (s *Server) attemptFailed(r *http.Request, at attempt) error {
	attrs := []slog.Attr{slog.Bool("known_browser", at.device != "")}
	if at.account == nil {
		attrs = append(attrs, slog.Bool("account_known", false))
	}
	s.security(r, slog.LevelWarn, at.event+".failure", at.account, attrs...)
	if at.device != "" {
		trusted, err := s.store.RecordDeviceFailure(r.Context(), at.device)
		if err == nil && !trusted {
			s.security(r, slog.LevelWarn, "device.untrusted", at.account)
		}
		return err
	}
	if err := s.store.RecordLoginFailure(r.Context(), at.login, at.addr); err != nil {
		return err
	}
	wait, err := s.store.LoginWait(r.Context(), at.login, at.addr)
	if wait > 0 {
		s.security(r, slog.LevelWarn, "lockout", at.account, slog.Duration("wait", ceilSeconds(wait)))
	}
	return err
}

// attemptSucceeded forgets the failures the attempt was counted on, and
// gives the browser a new device cookie for the identifiant. A known
// browser leaves the identifiant's count alone: the failures of unknown
// browsers are not the owner's to wipe out.
func (s *Server) attemptSucceeded(w http.ResponseWriter, r *http.Request, at attempt) error {
	var err error
	if at.device != "" {
		err = s.store.ClearDeviceFailures(r.Context(), at.device)
	} else {
		err = s.store.ClearLoginFailures(r.Context(), at.login)
	}
	if err != nil {
		return err
	}
	s.security(r, slog.LevelInfo, at.event+".success", at.account, slog.Bool("known_browser", at.device != ""))
	s.setDeviceCookie(w, at.login)
	return nil
}

// reauthenticate checks the current password a signed-in person typed to
// change its password, throttled as a login is. It returns "" when the
// password is right, else the French message for the field and the status
// to answer with.
func (s *Server) reauthenticate(w http.ResponseWriter, r *http.Request, password string) (string, int, error) {
	acc := viewerFrom(r).Account
	at, err := s.newAttempt(r, "reauth", acc.Login)
	at.account = &acc
	if err != nil {
		return "", 0, err
	}
	wait, err := s.attemptWait(r, at)
	if err != nil {
		return "", 0, err
	}
	if wait > 0 {
		w.Header().Set("Retry-After", retryAfter(wait))
		return fmt.Sprintf("Trop de tentatives ont échoué. Réessayez dans %s.", humanWait(wait)), http.StatusTooManyRequests, nil
	}
	err = s.hasher.Verify(r.Context(), password, acc.PasswordHash)
	switch {
	case errors.Is(err, auth.ErrMismatch):
		if err := s.attemptFailed(r, at); err != nil {
			return "", 0, err
		}
		return "Le mot de passe actuel est incorrect.", http.StatusUnprocessableEntity, nil
	case err != nil:
		return "", 0, err
	}
	return "", 0, s.attemptSucceeded(w, r, at)
}

// retryAfter is the Retry-After header for a wait: whole seconds, rounded up.
func retryAfter(d time.Duration) string { return fmt.Sprint(int(math.Ceil(d.Seconds()))) }

// ceilSeconds rounds a wait up to whole seconds, for the log.
func ceilSeconds(d time.Duration) time.Duration {
	return time.Duration(math.Ceil(d.Seconds())) * time.Second
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
		s.security(r, slog.LevelInfo, "logout", nil)
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
// the identifiant exists or not: /mot-de-passe-oublie/envoye.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request) {
	p := forgotPage{basePage: s.base(w, r, "Mot de passe oublié"), Login: strings.TrimSpace(r.PostFormValue("identifiant"))}
	if p.Login == "" || len(p.Login) > 64 {
		p.Errors = map[string]string{"identifiant": "Saisissez votre identifiant."}
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	tok := auth.NewToken()
	expiry := s.store.Now().Add(mail.ResetLinkTTL)
	err := s.store.RequestPasswordReset(asVisitor(r), p.Login, tok.Hash, expiry, resetCooldown, func(acc domain.Account) (mail.Message, error) {
		return s.letters.PasswordReset(acc, tok.Raw)
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.wake()
	http.Redirect(w, r, "/mot-de-passe-oublie/envoye", http.StatusSeeOther)
}

// forgotSent handles GET /mot-de-passe-oublie/envoye, where a request
// leads: the same words whether the identifiant exists or not, and a
// refresh asks for nothing again.
func (s *Server) forgotSent(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, forgotPage{basePage: s.base(w, r, "Mot de passe oublié"), Sent: true})
}

type passwordLinkPage struct {
	basePage
	Login string
}

// passwordLinkForm handles GET /mot-de-passe/{token}: "MODIFICATION DU MOT
// DE PASSE". Showing the form does not use the link.
func (s *Server) passwordLinkForm(w http.ResponseWriter, r *http.Request) {
	acc, _, err := s.store.GetPasswordToken(r.Context(), auth.HashToken(r.PathValue("token")))
	if !s.handled(w, r, err, nil) {
		return
	}
	s.render(w, r, http.StatusOK, passwordLinkPage{basePage: s.base(w, r, "Modification du mot de passe"), Login: acc.Login})
}

// passwordLinkSet handles POST /mot-de-passe/{token}.
func (s *Server) passwordLinkSet(w http.ResponseWriter, r *http.Request) {
	hash := auth.HashToken(r.PathValue("token"))
	acc, ct, err := s.store.GetPasswordToken(r.Context(), hash)
	if !s.handled(w, r, err, nil) {
		return
	}
	p := passwordLinkPage{basePage: s.base(w, r, "Modification du mot de passe"), Login: acc.Login}
	p.ErrorOrder = []string{"nouveau", "confirmation"}
	pw, confirm := r.PostFormValue("nouveau"), r.PostFormValue("confirmation")
	c := domain.Checker{}
	c.Check(pw != "", "nouveau", "Saisissez le nouveau mot de passe.")
	if pw != "" {
		msg := domain.CheckPassword(pw, acc.Login, ct.Name)
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
	acc, err = s.store.SetPasswordWithToken(asVisitor(r), hash, h)
	if !s.handled(w, r, err, nil) {
		return
	}
	s.security(r, slog.LevelInfo, "password.changed", &acc, slog.String("by", "link"))
	s.clearSessionCookie(w)
	s.flash(w, "Votre mot de passe est enregistré. Connectez-vous avec votre identifiant "+acc.Login+".")
	http.Redirect(w, r, "/connexion?identifiant="+url.QueryEscape(acc.Login), http.StatusSeeOther)
}
