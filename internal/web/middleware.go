package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"iel/internal/auth"
	"iel/internal/config"
	"iel/internal/domain"
	"iel/internal/store"
)

type ctxKey int

const (
	keyRequest ctxKey = iota
	keyViewer
)

// viewer is who is signed in, with their CT; nil when nobody is.
type viewer struct {
	Account      domain.Account
	Collectivity domain.Collectivity
	SessionHash  string
}

func viewerFrom(r *http.Request) *viewer {
	v, _ := r.Context().Value(keyViewer).(*viewer)
	return v
}

// requestInfo is what is known of a request once, for every layer: the
// middlewares between the log and the mux may copy the request, so the
// route the mux matched is written here rather than read off a copy.
type requestInfo struct {
	id      string
	client  string // the client's address (see clientIP)
	pattern string
}

func requestFrom(r *http.Request) *requestInfo {
	info, _ := r.Context().Value(keyRequest).(*requestInfo)
	if info == nil {
		return &requestInfo{}
	}
	return info
}

func requestID(r *http.Request) string { return requestFrom(r).id }

// clientAddr is the address of the person behind r, computed once by
// logRequests: failed logins are counted against it and the logs show it.
func clientAddr(r *http.Request) string {
	if c := requestFrom(r).client; c != "" {
		return c
	}
	return clientIP(r.RemoteAddr, nil, nil)
}

// clientIP is the address of the person behind a request that came from
// the peer remoteAddr with the X-Forwarded-For header lines forwarded. The
// header is believed only when the peer is a trusted proxy, and only from
// the right: each trusted proxy appends the address it received the
// request from, and everything left of the first untrusted address was
// written by the client, who may write anything. Without trusted proxies
// the header is ignored.
func clientIP(remoteAddr string, forwarded []string, trusted config.Proxies) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if !trusted.Contains(ip) {
		return ip.String()
	}
	hops := strings.Split(strings.Join(forwarded, ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			// A trusted proxy passed on what it could not read: the
			// request is that proxy's, as far as can be known.
			break
		}
		ip = hop
		if !trusted.Contains(ip) {
			break
		}
	}
	return ip.String()
}

// parseHop reads one X-Forwarded-For entry: an address, perhaps with a port.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if ip, err := netip.ParseAddr(s); err == nil {
		return ip.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	return netip.Addr{}, false
}

// recordRoute notes, for the request log, the route the mux matched.
func recordRoute(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		requestFrom(r).pattern = r.Pattern
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests notes the request's id and client address for every layer,
// and writes one line per request: method, route pattern (never the path,
// which may hold a link's token), status, duration, request id, client.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		info := &requestInfo{id: id, client: clientIP(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.cfg.TrustedProxies)}
		r = r.WithContext(context.WithValue(r.Context(), keyRequest, info))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := info.pattern
		if route == "" {
			route = s.route(r)
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("id", id), slog.String("route", route), slog.Int("status", sw.status), slog.String("client", info.client),
			slog.Duration("duration", time.Since(start)))
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.serverError(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// csp allows only the portal's own files: no inline script, no framing.
const csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.cfg.Secure() {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// noReferrer keeps a link page's token out of the Referer of anything it loads or links to.
func noReferrer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// loadSession puts the signed-in viewer, if any, in the request's context,
// and marks every answer to a signed-in person as not to be stored.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(s.sessionCookieName())
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		hash := auth.HashToken(c.Value)
		acc, ct, err := s.store.GetLoginSession(r.Context(), hash)
		if err != nil {
			if !isNotFound(err) {
				s.serverError(w, r, err)
				return
			}
			s.clearSessionCookie(w)
			next.ServeHTTP(w, r)
			return
		}
		v := &viewer{Account: acc, Collectivity: ct, SessionHash: hash}
		// Whatever a signed-in person is shown (an error page, the CGU)
		// stays out of caches; static files set their own header.
		w.Header().Set("Cache-Control", "no-store")
		// Every change the request makes is journaled as this account's.
		ctx := store.WithActor(context.WithValue(r.Context(), keyViewer, v), domain.AccountActor(acc, clientAddr(r)))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requireAccount sends anonymous visitors to the login page, and marks
// every signed-in page as not to be stored by browsers or proxies.
func (s *Server) requireAccount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if viewerFrom(r) == nil {
			s.security(r, slog.LevelInfo, "access.denied", nil, slog.String("reason", "not signed in"))
			target := "/connexion"
			if r.Method == http.MethodGet {
				target += "?suite=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireRole lets through only the signed-in accounts allowed may act;
// the others get 403 with msg, whatever the page they came from showed.
func (s *Server) requireRole(allowed func(domain.Account) bool, msg string) func(http.HandlerFunc) http.Handler {
	return func(next http.HandlerFunc) http.Handler {
		return s.requireAccount(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !allowed(viewerFrom(r).Account) {
				s.security(r, slog.LevelWarn, "access.denied", nil, slog.String("reason", "role"), slog.String("role", string(viewerFrom(r).Account.Role)))
				s.showError(w, r, http.StatusForbidden, "Accès refusé", msg)
				return
			}
			next.ServeHTTP(w, r)
		}))
	}
}

func isPrincipal(a domain.Account) bool { return a.Role == domain.RolePrincipal }

// asVisitor is r's context for a change made through an e-mailed link, or
// asked for one ("Mot de passe oublié ?"): the journal records it as the
// person of the link, never as whoever the browser may be signed in as.
func asVisitor(r *http.Request) context.Context {
	return store.WithActor(r.Context(), domain.Visitor(clientAddr(r)))
}
