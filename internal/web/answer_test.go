package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"iel/internal/config"
	"iel/internal/domain"
	"iel/internal/store"
)

// TestHandled: every handler answers an error through handled; a rule
// about the form goes back to the form, any other rule to an error page
// with its status, and an internal error never shows its text.
func TestHandled(t *testing.T) {
	var logs strings.Builder
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "iel.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := New(Deps{Config: config.Config{BaseURL: "http://portal.test"}, Store: st, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	type refused struct {
		status         int
		field, message string
	}
	tests := []struct {
		name       string
		err        error
		form       bool     // the handler has a form to show again
		goOn       bool     // handled lets the handler go on
		refused    *refused // what the form was shown again with
		wantStatus int      // the error page's status, when there is one
		wantText   string   // on the error page
	}{
		{name: "no error", err: nil, form: true, goOn: true},
		{name: "no error, no form", err: nil, goOn: true},
		{name: "invalid, on the form", form: true,
			err:     domain.Errorf(domain.Invalid, "", "Le nom est trop long."),
			refused: &refused{http.StatusUnprocessableEntity, "", "Le nom est trop long."}},
		{name: "conflict wrapped by the store, next to its field", form: true,
			err:     fmt.Errorf("store: update operator 3: %w", domain.Errorf(domain.Conflict, domain.FieldPrefs, "Plus personne ne recevrait les courriels.")),
			refused: &refused{http.StatusConflict, "prefs", "Plus personne ne recevrait les courriels."}},
		{name: "not found naming a field, on the form", form: true,
			err:     domain.Errorf(domain.NotFound, domain.FieldOperator, "Cet opérateur n'existe pas."),
			refused: &refused{http.StatusNotFound, "operateur", "Cet opérateur n'existe pas."}},
		{name: "forbidden, error page despite a form", form: true,
			err:        domain.Errorf(domain.Forbidden, "", "Seul le gestionnaire principal peut le faire."),
			wantStatus: http.StatusForbidden, wantText: "Seul le gestionnaire principal peut le faire."},
		{name: "gone, error page despite a form", form: true,
			err:        domain.Errorf(domain.Gone, "", "Ce lien a expiré."),
			wantStatus: http.StatusGone, wantText: "Ce lien a expiré."},
		{name: "conflict without a form, error page",
			err:        domain.Errorf(domain.Conflict, "", "Cet opérateur a déjà accepté son compte."),
			wantStatus: http.StatusConflict, wantText: "Cet opérateur a déjà accepté son compte."},
		{name: "not found in the store", form: true,
			err:        fmt.Errorf("store: get operator 9: %w", store.ErrNotFound),
			wantStatus: http.StatusNotFound, wantText: "Page introuvable"},
		{name: "internal", form: true,
			err:        errors.New("store: database is locked (secret detail)"),
			wantStatus: http.StatusInternalServerError, wantText: "Une erreur interne est survenue."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodPost, "/compte", nil)
			var got *refused
			var refuse refusal
			if tt.form {
				refuse = func(status int, errs map[string]string) {
					if len(errs) != 1 {
						t.Fatalf("refused with %d messages, want 1: %v", len(errs), errs)
					}
					for field, msg := range errs {
						got = &refused{status, field, msg}
					}
				}
			}
			if goOn := s.handled(w, r, tt.err, refuse); goOn != tt.goOn {
				t.Fatalf("handled = %v, want %v", goOn, tt.goOn)
			}
			switch {
			case tt.refused != nil:
				if got == nil || *got != *tt.refused {
					t.Errorf("form shown again with %+v, want %+v", got, *tt.refused)
				}
				if w.Body.Len() != 0 {
					t.Errorf("handled wrote a page of its own besides the form:\n%s", w.Body)
				}
			case got != nil:
				t.Errorf("form shown again with %+v, want none", *got)
			}
			if tt.wantStatus == 0 {
				return
			}
			if w.Code != tt.wantStatus || !strings.Contains(w.Body.String(), tt.wantText) {
				t.Errorf("answer = %d with %q in the page, want %d with %q", w.Code, w.Body.String(), tt.wantStatus, tt.wantText)
			}
			if strings.Contains(w.Body.String(), "secret detail") {
				t.Error("the page shows the internal error's text")
			}
		})
	}
	if !strings.Contains(logs.String(), "secret detail") {
		t.Error("the internal error was not logged")
	}
}
