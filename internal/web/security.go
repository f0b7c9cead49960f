package web

import (
	"log/slog"
	"net/http"

	"iel/internal/auth"
	"iel/internal/domain"
)

// The security log is the structured log's entries with the message
// "security": logins, lock-outs, changes of password and address, uses and
// refusals of e-mailed links, refused accesses. Each names its event, the
// account (the signed-in one, or the one concerned), the client's address
// and the route, never a secret: no password, token, link or cookie.

// security writes one entry of the security log. subject is the account
// the event is about, when it is not (or not only) the signed-in one.
func (s *Server) security(r *http.Request, level slog.Level, event string, subject *domain.Account, attrs ...slog.Attr) {
	a := make([]slog.Attr, 0, 8+len(attrs))
	a = append(a, slog.String("event", event), slog.String("route", s.route(r)), slog.String("client", clientAddr(r)),
		slog.String("id", requestID(r)))
	switch v := viewerFrom(r); {
	case v != nil:
		a = append(a, slog.Int64("account", v.Account.ID), slog.String("login", v.Account.Login))
		if subject != nil && subject.ID != v.Account.ID {
			a = append(a, slog.Int64("target", subject.ID), slog.String("target_login", subject.Login))
		}
	case subject != nil && subject.ID != 0:
		a = append(a, slog.Int64("account", subject.ID), slog.String("login", subject.Login))
	}
	s.log.LogAttrs(r.Context(), level, "security", append(a, attrs...)...)
}

// route is the route pattern r matches, also before the mux has served it
// (a cross-origin refusal); never the path, which may hold a link's token.
func (s *Server) route(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	if p := requestFrom(r).pattern; p != "" {
		return p
	}
	if s.mux != nil {
		if _, p := s.mux.Handler(r); p != "" {
			return p
		}
	}
	return r.Method + " (sans route)"
}

// linkRoute serves a page reached by an e-mailed link of kind (a token
// purpose, or store.LinkDesignation): it keeps the token out of Referer
// headers and caches, and writes to the security log what became of the
// link: opened, used, or refused and why.
func (s *Server) linkRoute(kind string, next http.Handler) http.Handler {
	return noReferrer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		var event string
		level := slog.LevelInfo
		switch {
		case sw.status == http.StatusGone || sw.status == http.StatusNotFound:
			event, level = "link.refused", slog.LevelWarn
		case r.Method == http.MethodGet && sw.status == http.StatusOK:
			event = "link.opened"
		case r.Method == http.MethodPost && sw.status < http.StatusBadRequest:
			event = "link.used"
		default:
			return
		}
		state, acc, err := s.store.LinkState(r.Context(), kind, auth.HashToken(r.PathValue("token")))
		if err != nil {
			s.log.Error("security log: link state", "id", requestID(r), "err", err)
			return
		}
		attrs := []slog.Attr{slog.String("link", kind), slog.String("state", state)}
		if acc.CollectivityID != 0 {
			attrs = append(attrs, slog.Int64("collectivity", acc.CollectivityID))
		}
		var subject *domain.Account
		if acc.ID != 0 {
			subject = &acc
		}
		s.security(r, level, event, subject, attrs...)
	}))
}

// crossOriginRefused answers, and logs, a state-changing request sent from another site.
func (s *Server) crossOriginRefused(w http.ResponseWriter, r *http.Request) {
	s.security(r, slog.LevelWarn, "csrf.refused", nil)
	s.crossOrigin(w, r)
}
