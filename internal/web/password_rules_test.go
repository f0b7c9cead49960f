package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The CT's name followed by digits, a common word followed by digits and
// a common password are refused on both pages that set a password: the
// handlers give the rule the viewer's CT.
func TestPasswordRefusesPredictable(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	const (
		ctName = "Le mot de passe ne doit pas reprendre le nom de votre collectivité suivi de chiffres : il se devine trop facilement."
		word   = "Un mot courant ou un prénom suivi de chiffres, comme « Soleil2026 », se devine trop facilement : choisissez un mot de passe moins prévisible, par exemple plusieurs mots."
		common = "Ce mot de passe fait partie des plus courants : choisissez-en un autre."
	)
	tests := []struct{ pw, msg string }{
		{"Cholet2026", ctName}, // every seeded CT is a "Commune de Cholet N"
		{"commune-49", ctName},
		{"Soleil2026", word},
		{"Azerty2026", word},
		{"azerty123", common},
	}
	s := ts.seedCT(t)
	link := ts.resetLink(t, s)
	c := ts.client(t)
	manager := ts.loggedIn(t, ts.seedCT(t))
	for _, tt := range tests {
		t.Run(tt.pw, func(t *testing.T) {
			r := ts.postForm(t, c, link, url.Values{"nouveau": {tt.pw}, "confirmation": {tt.pw}})
			wantStatus(t, r, http.StatusUnprocessableEntity, "")
			if n := strings.Count(r.Text, tt.msg); n != 2 {
				t.Errorf("set-password page: %q shown %d times, want 2; page:\n%s", tt.msg, n, excerpt(r.Text))
			}
			form := ficheValues(defaultFiche, "", "")
			form.Set("mot_de_passe_actuel", managerPassword)
			form.Set("nouveau", tt.pw)
			form.Set("confirmation", tt.pw)
			r = ts.postForm(t, manager, "/compte", form)
			wantStatus(t, r, http.StatusUnprocessableEntity, "")
			if n := strings.Count(r.Text, tt.msg); n != 2 {
				t.Errorf("account page: %q shown %d times, want 2; page:\n%s", tt.msg, n, excerpt(r.Text))
			}
		})
	}
	// The link still serves a password of several words.
	r := ts.postForm(t, c, link, url.Values{"nouveau": {"Cholet-en-Anjou-49"}, "confirmation": {"Cholet-en-Anjou-49"}})
	wantStatus(t, r, http.StatusSeeOther, "/connexion?identifiant="+s.Account.Login)
}
