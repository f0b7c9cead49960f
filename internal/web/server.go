// Package web serves iel's pages: server-rendered HTML on the standard
// ServeMux, usable without JavaScript, in French.
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"iel/internal/auth"
	"iel/internal/config"
	"iel/internal/mail"
	"iel/internal/store"
)

//go:embed static
var files embed.FS

// resetCooldown allows one "Mot de passe oublié ?" e-mail a minute per
// account at most.
const resetCooldown = time.Minute

// Server is the portal's HTTP handler.
type Server struct {
	cfg     config.Config
	store   *store.Store
	hasher  *auth.Hasher
	letters *mail.Letters
	log     *slog.Logger
	wake    func()         // nudges the outbox worker after mail is queued
	mux     *http.ServeMux // the site map, to name the route of a request it has not served
	handler http.Handler
	// deviceKey signs device cookies; it lives in the database, so that
	// every process of one portal signs alike.
	deviceKey []byte
	onRender  func(page string) // tests learn here the view-model type of each page rendered
}

// Deps are what a Server needs.
type Deps struct {
	Config  config.Config
	Store   *store.Store
	Hasher  *auth.Hasher
	Letters *mail.Letters // the e-mails, with links to this portal
	Log     *slog.Logger
	Wake    func()
}

// New returns a Server. Its pages are compiled Go (see the .templ files):
// a page that does not fit its view-model stops the build, not a request.
func New(d Deps) (*Server, error) {
	s := &Server{cfg: d.Config, store: d.Store, hasher: d.Hasher, letters: d.Letters, log: d.Log, wake: d.Wake}
	if s.wake == nil {
		s.wake = func() {}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var err error
	if s.deviceKey, err = d.Store.DeviceKey(ctx); err != nil {
		return nil, err
	}
	s.handler = s.routes()
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// staticFiles serves the embedded static/ tree, files only: a directory
// (or any path ending in "/") is the 404 page, never a listing.
func (s *Server) staticFiles() http.Handler {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	serve := cacheStatic(http.StripPrefix("/static/", http.FileServerFS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		if st, err := fs.Stat(sub, name); name == "" || strings.HasSuffix(name, "/") || (err == nil && st.IsDir()) {
			s.notFound(w, r)
			return
		}
		serve.ServeHTTP(w, r)
	})
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
