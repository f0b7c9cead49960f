package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"iel/internal/domain"
	"iel/internal/store"
)

// page is one parsed template set: the layout, the partials and one page.
type page struct{ tmpl *template.Template }

var funcs = template.FuncMap{
	"field": newField,
	"answer": func(role, commentLabel, answer, comment string, errs map[string]string) answerField {
		return answerField{Role: role, CommentLabel: commentLabel, Answer: answer, Comment: comment, Errors: errs}
	},
	"add": func(a, b int) int { return a + b },
	"sub": func(a, b int) int { return a - b },
	"prefs": func(p prefsForm, errs map[string]string) prefsField {
		return prefsField{Integration: p.Integration, Inter: p.Inter, Errors: errs}
	},
	"yesno": func(name, label, value string, errs map[string]string) yesnoField {
		return yesnoField{Name: name, Label: label, Value: value, Error: errs[name]}
	},
	"civ": func(v domain.Civility, errs map[string]string) civField {
		return civField{Value: string(v), Errors: errs, Monsieur: "Monsieur", Madame: "Madame"}
	},
	// civshort is the operator form's "M." / "Mme", as the notice has it.
	"civshort": func(v domain.Civility, errs map[string]string) civField {
		return civField{Value: string(v), Errors: errs, Monsieur: "M.", Madame: "Mme"}
	},
	"phone": domain.FormatPhone,
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(paris).Format("02/01/2006 à 15h04")
	},
	"civility": func(c domain.Civility) string {
		if c == domain.Madame {
			return "Madame"
		}
		if c == domain.Monsieur {
			return "Monsieur"
		}
		return ""
	},
}

var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.FixedZone("CET", 3600)
}()

// parsePages parses, for every file of templates/pages, a set made of the
// layout, the partials and that page.
func parsePages() (map[string]*page, error) {
	names, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*page, len(names))
	for _, name := range names {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/partials/*.html", name)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", name, err)
		}
		pages[strings.TrimSuffix(path.Base(name), ".html")] = &page{tmpl: t}
	}
	return pages, nil
}

// basePage is what the layout needs; every page struct embeds it.
type basePage struct {
	Title      string
	Viewer     *viewer
	Flash      string
	MailViewer bool
	Nav        string // the active item of the main menu
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

// Base lets templates reach the embedded basePage from any page.
func (b basePage) Base() basePage { return b }

type pageData interface{ Base() basePage }

// base fills the part of every page that comes from the request.
func (s *Server) base(w http.ResponseWriter, r *http.Request, title string) basePage {
	return basePage{Title: title, Viewer: viewerFrom(r), Flash: s.takeFlash(w, r), MailViewer: s.cfg.MailViewer()}
}

// render writes the page name with data, rendered first into a buffer so a
// template error becomes a clean error page, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pageData) {
	p, ok := s.pages[name]
	if !ok {
		s.serverError(w, r, fmt.Errorf("web: no page %q", name))
		return
	}
	var buf bytes.Buffer
	if err := p.tmpl.Execute(&buf, data); err != nil {
		s.serverError(w, r, fmt.Errorf("web: render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
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

func (s *Server) showError(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	p := errorPage{basePage: basePage{Title: heading, Viewer: viewerFrom(r), MailViewer: s.cfg.MailViewer()}, Heading: heading, Message: msg}
	t, ok := s.pages["error"]
	var buf bytes.Buffer
	if !ok || t.tmpl.Execute(&buf, p) != nil {
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// notFound handles every path the site map does not know.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.showError(w, r, http.StatusNotFound, "Page introuvable", "Cette page n'existe pas ou n'est pas accessible avec votre compte.")
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

// flash keeps msg for the next page the browser shows.
func (s *Server) flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: s.flashCookieName(), Value: base64.RawURLEncoding.EncodeToString([]byte(msg)),
		Path: "/", HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode, MaxAge: 60})
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
		Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode, MaxAge: int(store.SessionAbsolute / time.Second)})
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

// field is what the "input" partial needs to draw one labelled text field
// with its hint and its message.
type field struct {
	Name, Label, Value, Error, Hint string
	Type, Autocomplete, Width       string
	Required, ReadOnly              bool
}

// newField builds a field from the template: name, label, value, the
// page's errors, then options "type=…", "autocomplete=…", "hint=…",
// "width=…", "required", "readonly".
func newField(name, label, value string, errs map[string]string, opts ...string) field {
	f := field{Name: name, Label: label, Value: value, Error: errs[name], Type: "text"}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "type":
			f.Type = v
		case "autocomplete":
			f.Autocomplete = v
		case "hint":
			f.Hint = v
		case "width":
			f.Width = v
		case "required":
			f.Required = true
		case "readonly":
			f.ReadOnly = true
		}
	}
	return f
}

// civField is what the "civility" partial needs.
type civField struct {
	Value            string
	Errors           map[string]string
	Monsieur, Madame string // the labels
}

// prefsField is what the "mailprefs" partial needs.
type prefsField struct {
	Integration, Inter string
	Errors             map[string]string
}

// yesnoField is what the "yesno" partial needs: one Oui/Non question.
type yesnoField struct{ Name, Label, Value, Error string }

// answerField is what the "answer-form" partial needs: the answer to a
// role offered by link, with a comment for the one who offered it.
type answerField struct {
	Role, CommentLabel, Answer, Comment string
	Errors                              map[string]string
}
