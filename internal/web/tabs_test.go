package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tab is one tab of "Mon compte": its label as written (the style shows
// it in capitals), where it leads, and whether it is the current one.
type tab struct {
	Label, Href string
	Current     bool
}

var (
	tabsBlock = regexp.MustCompile(`(?s)<nav class="iel-tabs"[^>]*>(.*?)</nav>`)
	tabLink   = regexp.MustCompile(`(?s)<a class="iel-tabs__tab govuk-link" href="([^"]+)"( aria-current="page")?>(.*?)</a>`)
)

// accountTabsOf reads the tabs of "Mon compte" on a page, in order.
func accountTabsOf(t testing.TB, r response) []tab {
	t.Helper()
	m := tabsBlock.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatalf("no tabs on the page:\n%s", excerpt(r.Text))
	}
	var out []tab
	for _, l := range tabLink.FindAllStringSubmatch(m[1], -1) {
		out = append(out, tab{Label: html.UnescapeString(strings.TrimSpace(l[3])), Href: l[1], Current: l[2] != ""})
	}
	return out
}

// TestAccountTabs: the tabs of "Mon compte" are the notice's, in its
// order, for each role: the historical manager's three, the principal's
// four (the journal will be the fifth), the operator's three.
func TestAccountTabs(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	manager := ts.loggedIn(t, ts.seedCT(t))
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "oui")

	tests := []struct {
		name   string
		client *http.Client
		want   []tab
	}{
		{"historical manager", manager, []tab{
			{"Ma fiche gestionnaire CT", "/compte", true},
			{"Paramètres", "/compte/parametres", false},
			{"Correspondants formation", "/compte/correspondants", false},
		}},
		{"principal", p.Client, []tab{
			{"Gestionnaire principal CT", "/compte", true},
			{"Comptes opérateurs", "/compte/operateurs", false},
			{"Paramètres", "/compte/parametres", false},
			{"Correspondants formation", "/compte/correspondants", false},
		}},
		{"operator", o.Client, []tab{
			{"Opérateur", "/compte", true},
			{"Paramètres", "/compte/parametres", false},
			{"Correspondants formation", "/compte/correspondants", false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.get(t, tt.client, "/compte")
			wantStatus(t, r, http.StatusOK, "")
			if diff := cmp.Diff(tt.want, accountTabsOf(t, r)); diff != "" {
				t.Errorf("tabs of Mon compte (-want +got):\n%s", diff)
			}
		})
	}
}
