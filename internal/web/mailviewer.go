package web

import (
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"iel/internal/store"
)

// The mail viewer exists only in a demonstration (serve --demo or
// --mail-viewer, without SMTP, never over https: config.MailViewer): the
// e-mails then stay in the database, unsent, and this is where a newcomer
// reads them and clicks their links. The pages link it from a demo banner,
// not from the menu beside the portal's own pages.

type mailListPage struct {
	basePage
	Mails []store.OutboxMail
}

// loopbackOnly keeps the mail viewer, whose e-mails hold live links, to the
// machine the portal runs on: a portal left without SMTP on a public
// address must not hand out everyone's links.
func (s *Server) loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isLoopback(clientAddr(r)) {
			s.notFound(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// mailList handles GET /courriels.
func (s *Server) mailList(w http.ResponseWriter, r *http.Request) {
	mails, err := s.store.ListOutbox(r.Context(), 200)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	p := mailListPage{basePage: s.base(w, r, "Courriels envoyés"), Mails: mails}
	p.Nav = "courriels"
	s.render(w, r, http.StatusOK, p)
}

type mailShowPage struct {
	basePage
	Mail store.OutboxMail
	Body templ.Component // the text, escaped, its URLs made links
}

var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+[^\s<>".,;:!?)]`)

// linkify escapes text and turns its URLs into links.
func linkify(text string) templ.Component {
	var b strings.Builder
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(text, -1) {
		b.WriteString(html.EscapeString(text[last:m[0]]))
		u := html.EscapeString(text[m[0]:m[1]])
		b.WriteString(`<a class="govuk-link" href="` + u + `">` + u + `</a>`)
		last = m[1]
	}
	b.WriteString(html.EscapeString(text[last:]))
	return templ.Raw(b.String())
}

// mailShow handles GET /courriels/{id}.
func (s *Server) mailShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	m, err := s.store.GetOutbox(r.Context(), id)
	if isNotFound(err) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	p := mailShowPage{basePage: s.base(w, r, m.Subject), Mail: m, Body: linkify(m.Text)}
	p.Nav = "courriels"
	s.render(w, r, http.StatusOK, p)
}
