package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"iel/internal/mail"
	"iel/internal/store"
)

// The information pages the footer links (frame.go): public, in the
// layout, for visitors and signed-in people alike. "Conditions générales
// d'utilisation" is among them; its handler sits with the designation
// that links it (designation.go).

type accessibilityPage struct{ basePage }

// accessibility handles GET /accessibilite: the déclaration d'accessibilité.
func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, accessibilityPage{s.base(w, r, "Déclaration d'accessibilité")})
}

type legalPage struct{ basePage }

// legal handles GET /mentions-legales.
func (s *Server) legal(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, legalPage{s.base(w, r, "Mentions légales")})
}

// privacyPage is the RGPD notice. Its lifetimes and cookie names are read
// from the code that sets them, so that the page cannot drift from it.
type privacyPage struct {
	basePage
	SessionCookie, FlashCookie, DeviceCookie string // DeviceCookie is followed by the identifiant
	LoginSessionAbsolute, LoginSessionIdle   string
	FlashTTL, DeviceTTL                      string
	ResetLink, CodesLink                     string
}

// privacy handles GET /donnees-personnelles.
func (s *Server) privacy(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, privacyPage{
		basePage:             s.base(w, r, "Données personnelles"),
		SessionCookie:        s.sessionCookieName(),
		FlashCookie:          s.flashCookieName(),
		DeviceCookie:         strings.TrimSuffix(s.deviceCookieName("X"), "X"),
		LoginSessionAbsolute: frenchDuration(store.LoginSessionAbsolute),
		LoginSessionIdle:     frenchDuration(store.LoginSessionIdle),
		FlashTTL:             frenchDuration(flashTTL),
		DeviceTTL:            frenchDuration(deviceCookieTTL),
		ResetLink:            frenchDuration(mail.ResetLinkTTL),
		CodesLink:            frenchDuration(mail.CodesLinkTTL),
	})
}

type sitemapPage struct{ basePage }

// sitemap handles GET /plan-du-site.
func (s *Server) sitemap(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, sitemapPage{s.base(w, r, "Plan du site")})
}

// helpPage is "Aide et contact"; its link lifetimes come from the e-mails'.
type helpPage struct {
	basePage
	ResetLink, CodesLink string
}

// help handles GET /aide.
func (s *Server) help(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, helpPage{basePage: s.base(w, r, "Aide et contact"),
		ResetLink: frenchDuration(mail.ResetLinkTTL), CodesLink: frenchDuration(mail.CodesLinkTTL)})
}

// frenchDuration writes d in words, in its largest whole unit: "1 heure",
// "30 minutes", "7 jours", "1 an".
func frenchDuration(d time.Duration) string {
	const day, year = 24 * time.Hour, 365 * 24 * time.Hour
	units := []struct {
		size      time.Duration
		one, many string
	}{
		{year, "an", "ans"}, {day, "jour", "jours"}, {time.Hour, "heure", "heures"},
		{time.Minute, "minute", "minutes"}, {time.Second, "seconde", "secondes"},
	}
	for _, u := range units {
		if d >= u.size && d%u.size == 0 {
			n := int64(d / u.size)
			if n == 1 {
				return "1 " + u.one
			}
			return strconv.FormatInt(n, 10) + " " + u.many
		}
	}
	return d.String()
}
