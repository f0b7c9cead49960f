package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"iel/internal/domain"
	"iel/internal/store"
)

// basePage is what the layout needs; every page struct embeds it.
type basePage struct {
	Title      string
	Viewer     *viewer
	Flash      string
	MailViewer bool   // the demo banner links the mail viewer (showMailViewer)
	Nav        string // the active item of the main menu
	Path       string // the request's path: the footer marks the link to it
	// Errors holds one French message per field; "" is the form's own.
	Errors map[string]string
	// ErrorOrder lists the fields in the order the form shows them, for the summary.
	ErrorOrder []string
}

// ErrorList is the error summary: the messages in the order of the form.
func (b basePage) ErrorList() []fieldError {
	var out []fieldError
	if m, ok := b.Errors[""]; ok {
		out = append(out, fieldError{Message: m})
	}
	seen := map[string]bool{"": true}
	for _, f := range b.ErrorOrder {
		if m, ok := b.Errors[f]; ok && !seen[f] {
			out = append(out, fieldError{Field: f, Message: m})
			seen[f] = true
		}
	}
	for f, m := range b.Errors {
		if !seen[f] {
			out = append(out, fieldError{Field: f, Message: m})
		}
	}
	return out
}

type fieldError struct{ Field, Message string }

// DocTitle is the page's <title>: "Erreur : " first when a form was refused.
func (b basePage) DocTitle() string {
	if len(b.Errors) > 0 {
		return "Erreur : " + b.Title + " – Inscription en ligne"
	}
	return b.Title + " – Inscription en ligne"
}

// page is a page's view-model: a struct that embeds basePage, drawn by
// its View component, written in the .templ file of its area.
type page interface{ View() templ.Component }

// base fills the part of every page that comes from the request.
func (s *Server) base(w http.ResponseWriter, r *http.Request, title string) basePage {
	return basePage{Title: title, Viewer: viewerFrom(r), Flash: s.takeFlash(w, r), MailViewer: s.showMailViewer(r), Path: r.URL.Path}
}

// render writes p with status. The page is rendered first into a buffer,
// so that a failure becomes a clean error page, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, p page) {
	if err := s.write(w, r, status, p); err != nil {
		s.serverError(w, r, err)
	}
}

// write renders p into a buffer, then sends it with status; on failure
// it sends nothing and returns the error.
func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, p page) error {
	var buf bytes.Buffer
	if err := p.View().Render(r.Context(), &buf); err != nil {
		return fmt.Errorf("web: render %T: %w", p, err)
	}
	if s.onRender != nil {
		s.onRender(reflect.TypeOf(p).Name())
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
	return nil
}

type errorPage struct {
	basePage
	Heading string
	Message string
}

// serverError logs err with the request id and shows the one sentence a
// person may read about it.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("internal error", "id", requestID(r), "route", r.Pattern, "err", err)
	s.showError(w, r, http.StatusInternalServerError, "Erreur interne", "Une erreur interne est survenue. Réessayez dans un instant ; si elle persiste, contactez le CNFPT en indiquant la référence "+requestID(r)+".")
}

// showError answers status with the error page. It does not go through
// render: an error page that fails falls back to plain text, never to
// another error page.
func (s *Server) showError(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	p := errorPage{basePage: basePage{Title: heading, Viewer: viewerFrom(r), MailViewer: s.showMailViewer(r)}, Heading: heading, Message: msg}
	if err := s.write(w, r, status, p); err != nil {
		s.log.Error("error page", "id", requestID(r), "err", err)
		http.Error(w, msg, status)
	}
}

// notFound handles every path the site map does not know.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.showError(w, r, http.StatusNotFound, "Page introuvable", "Cette page n'existe pas ou n'est pas accessible avec votre compte.")
}

// pathID reads the {id} of the path: ok is false for anything but a
// positive number, a page that does not exist.
func pathID(r *http.Request) (id int64, ok bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// crossOrigin answers a state-changing request sent from another site.
func (s *Server) crossOrigin(w http.ResponseWriter, r *http.Request) {
	s.showError(w, r, http.StatusForbidden, "Requête refusée", "Cette action a été envoyée depuis un autre site : elle est refusée par sécurité. Revenez sur le portail et recommencez.")
}

// domainError shows a rule of the domain that refused a whole page (a used link, say).
func (s *Server) domainError(w http.ResponseWriter, r *http.Request, derr *domain.Error) {
	heading := "Action impossible"
	switch derr.Kind {
	case domain.Gone:
		heading = "Lien inutilisable"
	case domain.NotFound:
		heading = "Page introuvable"
	case domain.Forbidden:
		heading = "Accès refusé"
	}
	s.showError(w, r, statusOf(derr.Kind), heading, derr.Message)
}

// flashCookieName carries the __Host- prefix over https, as the session cookie does.
func (s *Server) flashCookieName() string {
	if s.cfg.Secure() {
		return "__Host-iel_flash"
	}
	return "iel_flash"
}

// flashTTL is how long a flash waits for the next page.
const flashTTL = time.Minute

// flash keeps msg for the next page the browser shows.
func (s *Server) flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: s.flashCookieName(), Value: base64.RawURLEncoding.EncodeToString([]byte(msg)),
		Path: "/", HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode, MaxAge: int(flashTTL / time.Second)})
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(s.flashCookieName())
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: s.flashCookieName(), Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	// The longest flash the portal writes (an operator created with the
	// longest names and address) is about 1,200 bytes.
	if err != nil || len(b) > 2048 {
		return ""
	}
	return string(b)
}

// sessionCookieName carries the __Host- prefix over https: the browser then
// refuses it unless Secure, host-only and for the whole site.
func (s *Server) sessionCookieName() string {
	if s.cfg.Secure() {
		return "__Host-iel_session"
	}
	return "iel_session"
}

func (s *Server) setSessionCookie(w http.ResponseWriter, raw string) {
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(), Value: raw, Path: "/", HttpOnly: true,
		Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode, MaxAge: int(store.LoginSessionAbsolute / time.Second)})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(), Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode})
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// localPath keeps a ?suite= target only when it is a path of this site.
// Control characters are refused: browsers drop tabs and line breaks from
// a Location, so "/\t/evil.com" would lead to //evil.com.
func localPath(p string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") ||
		strings.ContainsFunc(p, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return ""
	}
	return p
}
