package web

import (
	"net/http"
	"testing"

	"iel/internal/domain"
)

func TestStatusOf(t *testing.T) {
	tests := []struct {
		name string
		kind domain.Kind
		want int
	}{
		{name: "invalid", kind: domain.Invalid, want: http.StatusUnprocessableEntity},
		{name: "conflict", kind: domain.Conflict, want: http.StatusConflict},
		{name: "not found", kind: domain.NotFound, want: http.StatusNotFound},
		{name: "forbidden", kind: domain.Forbidden, want: http.StatusForbidden},
		{name: "gone", kind: domain.Gone, want: http.StatusGone},
		{name: "zero kind", kind: 0, want: http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statusOf(tt.kind); got != tt.want {
				t.Errorf("statusOf(%d) = %d, want %d", tt.kind, got, tt.want)
			}
		})
	}
}

// TestInputNames checks that the fiche's fields land on the inputs the
// fiche forms show, and that no two fields share an input.
func TestInputNames(t *testing.T) {
	want := map[domain.Field]string{
		domain.FieldCivility: "civilite", domain.FieldLastName: "nom", domain.FieldFirstName: "prenom",
		domain.FieldFunction: "fonction", domain.FieldEmail: "courriel", domain.FieldPhone: "telephone",
		domain.FieldPrefs: "prefs", domain.FieldPassword: "nouveau", domain.FieldOperator: "operateur",
		domain.FieldComment: "commentaire", "": "",
	}
	for f, in := range want {
		if got := inputName(f); got != in {
			t.Errorf("inputName(%q) = %q, want %q", f, got, in)
		}
	}
	seen := map[string]domain.Field{}
	for f, in := range inputNames {
		if other, dup := seen[in]; dup {
			t.Errorf("fields %q and %q share the input %q", f, other, in)
		}
		seen[in] = f
	}
}
