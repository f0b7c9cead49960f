package web

import (
	"html"
	"mime"
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

// outboxMail reads the e-mail of the path's {id}; false when it answered.
func (s *Server) outboxMail(w http.ResponseWriter, r *http.Request) (store.OutboxMail, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return store.OutboxMail{}, false
	}
	m, err := s.store.GetOutbox(r.Context(), id)
	if isNotFound(err) {
		s.notFound(w, r)
		return m, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return m, false
	}
	return m, true
}

// attachmentPath is the address of the n-th (from 1) file of e-mail id.
func attachmentPath(id int64, n int) string {
	return "/courriels/" + strconv.FormatInt(id, 10) + "/pieces-jointes/" + strconv.Itoa(n)
}

// fileSize writes a size as French readers expect it: "45 Ko".
func fileSize(n int) string {
	if n < 1024 {
		return strconv.Itoa(n) + " octets"
	}
	return strconv.Itoa((n+1023)/1024) + " Ko"
}

// mailAttachment handles GET /courriels/{id}/pieces-jointes/{n}: the n-th
// file of the e-mail, downloaded as it would be from the message.
func (s *Server) mailAttachment(w http.ResponseWriter, r *http.Request) {
	m, ok := s.outboxMail(w, r)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 || n > len(m.Attachments) {
		s.notFound(w, r)
		return
	}
	a := m.Attachments[n-1]
	typ, params, err := mime.ParseMediaType(a.ContentType)
	if err != nil {
		typ, params = "application/octet-stream", nil
	}
	w.Header().Set("Content-Type", mime.FormatMediaType(typ, params))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename}))
	w.Header().Set("Content-Length", strconv.Itoa(len(a.Data)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(a.Data)
}

// mailShow handles GET /courriels/{id}.
func (s *Server) mailShow(w http.ResponseWriter, r *http.Request) {
	m, ok := s.outboxMail(w, r)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	p := mailShowPage{basePage: s.base(w, r, m.Subject), Mail: m, Body: linkify(m.Text)}
	p.Nav = "courriels"
	s.render(w, r, http.StatusOK, p)
}
