package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

// brokenPage writes half a page, then fails.
type brokenPage struct{ basePage }

func (brokenPage) View() templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		io.WriteString(w, "<p>La moitié d'une page")
		return errors.New("broken on purpose")
	})
}

// TestRenderFailure: a page that fails while rendering leaves nothing of
// itself; the person gets the 500 error page, the log gets the cause.
func TestRenderFailure(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s := &Server{log: slog.New(slog.NewTextHandler(&logs, nil))}

	w := httptest.NewRecorder()
	if err := s.write(w, httptest.NewRequest(http.MethodGet, "/compte", nil), http.StatusOK, brokenPage{}); err == nil {
		t.Fatal("write of a broken page: no error")
	}
	if w.Body.Len() != 0 || w.Header().Get("Content-Type") != "" {
		t.Fatalf("write sent part of a broken page: %q, %v", w.Body.String(), w.Header())
	}

	w = httptest.NewRecorder()
	s.render(w, httptest.NewRequest(http.MethodGet, "/compte", nil), http.StatusOK, brokenPage{})
	body := w.Body.String()
	if w.Code != http.StatusInternalServerError || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Errorf("status %d, Content-Type %q, want 500 and the error page", w.Code, w.Header().Get("Content-Type"))
	}
	if !strings.Contains(body, "Une erreur interne est survenue.") || !strings.HasSuffix(strings.TrimSpace(body), "</html>") {
		t.Errorf("not the whole error page:\n%s", body)
	}
	if strings.Contains(body, "La moitié") {
		t.Error("the broken page's first half was sent")
	}
	if !strings.Contains(logs.String(), "broken on purpose") || !strings.Contains(logs.String(), "web.brokenPage") {
		t.Errorf("the log does not name the page and the cause:\n%s", logs.String())
	}
}
