package web

import (
	"errors"
	"net/http"

	"iel/internal/domain"
)

// refusal shows a form again, refused by a rule of the domain: status is
// the rule's, errs holds its message under the input it goes next to (""
// for the form's own message).
type refusal func(status int, errs map[string]string)

// handled is the one way a handler answers an error. It reports whether
// the handler may go on, which it may only when err is nil; otherwise it
// has answered:
//   - a rule of the domain about what was typed or what it would change
//     (Invalid or Conflict, or any rule that names a field), when the
//     handler has a form to show it on: by refuse, with the rule's status;
//   - any other rule of the domain (a used link, a missing operator, a
//     right the person lost): an error page with the rule's status and
//     message;
//   - a thing that does not exist for this person: 404;
//   - anything else: the internal error page, the error logged.
//
// refuse is nil when the handler has no form to show again.
func (s *Server) handled(w http.ResponseWriter, r *http.Request, err error, refuse refusal) bool {
	var derr *domain.Error
	switch {
	case err == nil:
		return true
	case errors.As(err, &derr) && refuse != nil && aboutTheForm(derr):
		refuse(statusOf(derr.Kind), fieldErrors(derr))
	case errors.As(err, &derr):
		s.domainError(w, r, derr)
	case isNotFound(err):
		s.notFound(w, r)
	default:
		s.serverError(w, r, err)
	}
	return false
}

// aboutTheForm reports whether derr refuses what a form asked, rather
// than saying the page itself cannot serve.
func aboutTheForm(derr *domain.Error) bool {
	return derr.Kind == domain.Invalid || derr.Kind == domain.Conflict || derr.Field != ""
}
