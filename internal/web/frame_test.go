package web_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestFrameWording: the confirmation banner and the error summary speak
// as a French public service does, not as the design system's English:
// no "Fait", no "Il y a un problème"; the summary counts its errors.
func TestFrameWording(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	c := ts.client(t)

	wantStatus(t, ts.postForm(t, c, "/deconnexion", url.Values{}), http.StatusSeeOther, "/connexion")
	r := ts.get(t, c, "/connexion")
	wantMarkup(t, r, `<h2 class="govuk-notification-banner__title" id="flash-titre">Confirmation</h2>`)
	wantVisible(t, r, "Confirmation Vous êtes déconnecté(e).")

	summary := regexp.MustCompile(`<h2 class="govuk-error-summary__title">([^<]*)</h2>`)
	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{name: "two errors", form: url.Values{}, want: "Le formulaire contient des erreurs"},
		{name: "one error", form: url.Values{"identifiant": {"ABCDEFGHJK"}}, want: "Le formulaire contient une erreur"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.postForm(t, ts.client(t), "/connexion", tt.form)
			wantStatus(t, r, http.StatusUnprocessableEntity, "")
			m := summary.FindStringSubmatch(r.Body)
			if m == nil || strings.TrimSpace(m[1]) != tt.want {
				t.Errorf("error summary titled %q, want %q", m, tt.want)
			}
		})
	}
	for _, p := range renderedPages(t) {
		for _, english := range []string{"Fait\n", "Il y a un problème", "Succès"} {
			if strings.Contains(p.text, english) {
				t.Errorf("%s: the page says %q", p.name, strings.TrimSpace(english))
			}
		}
	}
}

// cssRules reads the compiled style sheet as selector → declarations, in
// order; a rule of several selectors appears under each.
func cssRules(t *testing.T) [][2]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("static", "iel.css"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	for _, m := range regexp.MustCompile(`([^{}]+)\{([^{}]*)\}`).FindAllStringSubmatch(string(b), -1) {
		for _, sel := range strings.Split(m[1], ",") {
			out = append(out, [2]string{strings.TrimSpace(sel), m[2]})
		}
	}
	return out
}

var cssColor = regexp.MustCompile(`(?:^|;)color:([^;]+)`)

// TestVisitedTabsKeepTheirColour: the tabs of "Mon compte" are links with
// govuk-link, whose :visited is purple; a visited tab must keep the colour
// of an unvisited one, by a rule that outranks .govuk-link:visited. (A
// browser hides :visited styles from scripts, so the style sheet is read.)
func TestVisitedTabsKeepTheirColour(t *testing.T) {
	t.Parallel()
	colour := func(selector string) string {
		var got string
		for _, r := range cssRules(t) {
			if r[0] == selector {
				if m := cssColor.FindStringSubmatch(r[1]); m != nil {
					got = m[1] // the last rule wins
				}
			}
		}
		return got
	}
	link, visited := colour(".govuk-link:link"), colour(".govuk-link:visited")
	if link == "" || visited == "" || link == visited {
		t.Fatalf("govuk-link colours: %q unvisited, %q visited: is the style sheet built?", link, visited)
	}
	// .iel-tabs__tab.govuk-link:visited outranks .govuk-link:visited (three
	// classes or pseudo-classes against two).
	if got := colour(".iel-tabs__tab.govuk-link:visited"); got != link {
		t.Errorf("a visited tab is %q, want %q like an unvisited one", got, link)
	}
	if got := colour(".iel-tabs__tab.govuk-link:link"); got != link {
		t.Errorf("an unvisited tab is %q, want %q", got, link)
	}
	// The current tab reads as text, focus as the design system's focus.
	for _, sel := range []string{".iel-tabs__tab.govuk-link[aria-current=page]", ".iel-tabs__tab.govuk-link:focus"} {
		if got := colour(sel); got == "" || got == link {
			t.Errorf("%s is %q: the tab's own colour must not hide it", sel, got)
		}
	}
}
