package web

import (
	"errors"
	"net/http"

	"iel/internal/domain"
)

// handled shows err when there is one and reports whether the handler may go on.
func (s *Server) handled(w http.ResponseWriter, r *http.Request, err error) bool {
	var derr *domain.Error
	switch {
	case err == nil:
		return true
	case errors.As(err, &derr):
		s.domainError(w, r, derr)
	case isNotFound(err):
		s.notFound(w, r)
	default:
		s.serverError(w, r, err)
	}
	return false
}
