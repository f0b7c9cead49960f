package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A text field holding NUL, invalid UTF-8 or a line break is refused
// next to the field, as a typing mistake: PostgreSQL would answer 500
// (SQLSTATE 22021), SQLite would store the bytes.
func TestTextFieldsRefuseControlCharacters(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	manager := ts.loggedIn(t, ts.seedCT(t)) // a principal's nom is not its to change
	mails := ts.outboxCount(t)
	const nomMsg = "Le nom ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."
	tests := []struct {
		name   string
		client *http.Client
		path   string
		nom    string
	}{
		{"NUL, new operator", p.Client, "/compte/operateurs", "Ber\x00nard"},
		{"invalid UTF-8, new operator", p.Client, "/compte/operateurs", "Bernard\xff"},
		{"line break, new operator", p.Client, "/compte/operateurs", "Bernard\r\nBcc: x@y.fr"},
		{"NUL, designation", p.Client, "/compte/gestionnaire-principal", "Ber\x00nard"},
		{"NUL, own fiche", manager, "/compte", "Du\x00rand"},
		{"invalid UTF-8, own fiche", manager, "/compte", "Durand\xc3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := ficheValues(operatorFiche, "oui", "oui")
			form.Set("nom", tt.nom)
			r := ts.postForm(t, tt.client, tt.path, form)
			wantStatus(t, r, http.StatusUnprocessableEntity, "")
			if n := strings.Count(r.Text, nomMsg); n != 2 {
				t.Errorf("%q shown %d times, want 2 (summary and field); page:\n%s", nomMsg, n, excerpt(r.Text))
			}
			wantMarkup(t, r, `href="#nom"`)
			if n := ts.operatorCount(t, p.CT.ID); n != 1 {
				t.Errorf("%d accounts, want only the principal", n)
			}
			if n := ts.outboxCount(t); n != mails {
				t.Errorf("%d e-mails queued", n-mails)
			}
		})
	}

	// A comment may hold line breaks, never a control character.
	_, link := ts.createOperator(t, p, operatorFiche, "oui", "non")
	r := ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"refuse"}, "commentaire": {"Merci,\r\nmais\x00non."}})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "Le commentaire ne doit contenir ni tabulation, ni caractère de contrôle ou illisible.")
	r = ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"refuse"}, "commentaire": {"Merci,\r\nmais non."}})
	if r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
		t.Fatalf("refusal with a comment on two lines: %v; page:\n%s", r, excerpt(r.Text))
	}
}
