// Package web serves iel's pages: server-rendered HTML on the standard
// ServeMux, usable without JavaScript, in French.
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"iel/internal/auth"
	"iel/internal/config"
	"iel/internal/mail"
	"iel/internal/store"
)

//go:embed static
var files embed.FS

// Link lifetimes.
const (
	CodesLinkTTL  = 7 * 24 * time.Hour // the codes e-mail of a new CT
	ResetLinkTTL  = time.Hour          // "Mot de passe oublié ?"
	resetCooldown = time.Minute        // one reset e-mail a minute per account at most
)

// Server is the portal's HTTP handler.
type Server struct {
	cfg      config.Config
	store    *store.Store
	hasher   *auth.Hasher
	composer *mail.Composer
	log      *slog.Logger
	wake     func() // nudges the outbox worker after mail is queued
	handler  http.Handler
	onRender func(page string) // tests learn here the view-model type of each page rendered
}

// Deps are what a Server needs.
type Deps struct {
	Config   config.Config
	Store    *store.Store
	Hasher   *auth.Hasher
	Composer *mail.Composer
	Log      *slog.Logger
	Wake     func()
}

// New returns a Server. Its pages are compiled Go (see the .templ files):
// a page that does not fit its view-model stops the build, not a request.
func New(d Deps) (*Server, error) {
	s := &Server{cfg: d.Config, store: d.Store, hasher: d.Hasher, composer: d.Composer, log: d.Log, wake: d.Wake}
	if s.wake == nil {
		s.wake = func() {}
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func staticFS() http.Handler {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return http.StripPrefix("/static/", http.FileServerFS(sub))
}

// health handles GET /healthz: it answers when the database does.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("health", "err", err)
		http.Error(w, "base de données indisponible", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
