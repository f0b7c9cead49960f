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
// five (the journal last), the operator's three.
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
			{"Journal", "/compte/journal", false},
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

// TestAccountTabsLead: each tab of each role leads to a page that shows
// the same tabs, with itself as the current one.
func TestAccountTabsLead(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	manager := ts.loggedIn(t, ts.seedCT(t))
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "oui")
	for name, c := range map[string]*http.Client{"historical manager": manager, "principal": p.Client, "operator": o.Client} {
		t.Run(name, func(t *testing.T) {
			tabs := accountTabsOf(t, ts.get(t, c, "/compte"))
			for i, tb := range tabs {
				r := ts.get(t, c, tb.Href)
				wantStatus(t, r, http.StatusOK, "")
				want := make([]tab, len(tabs))
				for j := range tabs {
					want[j] = tab{tabs[j].Label, tabs[j].Href, j == i}
				}
				if diff := cmp.Diff(want, accountTabsOf(t, r)); diff != "" {
					t.Errorf("tabs on %s (-want +got):\n%s", tb.Href, diff)
				}
			}
		})
	}
}
