package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"iel/internal/store"
)

var (
	journalBody  = regexp.MustCompile(`(?s)<tbody class="govuk-table__body">(.*?)</tbody>`)
	journalRowRe = regexp.MustCompile(`(?s)<tr class="govuk-table__row">(.*?)</tr>`)
	journalCell  = regexp.MustCompile(`(?s)<td class="govuk-table__cell">(.*?)</td>`)
	olderLink    = regexp.MustCompile(`href="([^"]*)" rel="next"><span class="govuk-pagination__link-title">Entrées plus anciennes`)
)

// journalRows reads the rows of a journal page: Date, Auteur, Action,
// Champs modifiés, Adresse.
func journalRows(t testing.TB, r response) [][]string {
	t.Helper()
	m := journalBody.FindStringSubmatch(r.Body)
	if m == nil {
		return nil
	}
	var out [][]string
	for _, row := range journalRowRe.FindAllStringSubmatch(m[1], -1) {
		var cells []string
		for _, c := range journalCell.FindAllStringSubmatch(row[1], -1) {
			cells = append(cells, html.UnescapeString(strings.TrimSpace(c[1])))
		}
		out = append(out, cells)
	}
	return out
}

// TestJournalTab: the principal reads its CT's journal, newest first,
// with who, what, which fields and from where; filters by kind and by
// account; never another CT's entries, even for a forged account id.
func TestJournalTab(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	other := ts.principalCT(t)

	wantStatus(t, ts.postForm(t, p.Client, "/compte/correspondants", contactValues(anne)), http.StatusSeeOther, "/compte/correspondants")
	wantStatus(t, ts.postForm(t, other.Client, "/compte/parametres", settingsValues(nil)), http.StatusSeeOther, "/compte/parametres")

	r := ts.get(t, p.Client, "/compte/journal")
	wantStatus(t, r, http.StatusOK, "")
	rows := journalRows(t, r)
	if len(rows) == 0 || len(rows[0]) != 5 {
		t.Fatalf("rows = %q", rows)
	}
	if got := rows[0][1:]; fmt.Sprint(got) != fmt.Sprint([]string{"Paul Martin (gestionnaire principal CT)", "a ajouté le correspondant formation Anne Moreau", "", "127.0.0.1"}) {
		t.Errorf("newest entry = %q", rows[0])
	}
	if !regexp.MustCompile(`^\d{2}/\d{2}/\d{4} à \d{2} h \d{2}$`).MatchString(rows[0][0]) {
		t.Errorf("date = %q, want JJ/MM/AAAA à HH h MM", rows[0][0])
	}
	oldest := rows[len(rows)-1]
	if oldest[1] != "ligne de commande" || oldest[2] != "a créé la collectivité « "+p.CT.Name+" » et son compte gestionnaire CT (identifiant "+p.Account.Login+")" ||
		oldest[3] != "nom de la collectivité, courriel" || oldest[4] != "—" {
		t.Errorf("oldest entry = %q", oldest)
	}
	wantText(t, r, "Claire Durand (gestionnaire CT)", "a désigné Paul Martin comme gestionnaire principal CT",
		"a accepté d'être gestionnaire principal CT ; le compte gestionnaire CT de Claire Durand est fermé")
	wantNoText(t, r, other.CT.Name, "a modifié les paramètres de la collectivité", "Aucune entrée")
	wantMarkup(t, r, `<option value="contact">Correspondants formation</option>`,
		fmt.Sprintf(`<option value="%d">Paul Martin</option>`, p.Principal.ID), fmt.Sprintf(`<option value="%d">Claire Durand</option>`, p.Account.ID))
	wantNoMarkup(t, r, fmt.Sprintf(`<option value="%d">`, other.Principal.ID), "Entrées plus anciennes")

	// By kind.
	r = ts.get(t, p.Client, "/compte/journal?type=contact")
	if rows := journalRows(t, r); len(rows) != 1 || rows[0][2] != "a ajouté le correspondant formation Anne Moreau" {
		t.Errorf("type=contact: %q", rows)
	}
	wantMarkup(t, r, `<option value="contact" selected>Correspondants formation</option>`)
	// By account.
	r = ts.get(t, p.Client, fmt.Sprintf("/compte/journal?compte=%d", p.Account.ID))
	rows = journalRows(t, r)
	if len(rows) != 1 || rows[0][1] != "Claire Durand (gestionnaire CT)" {
		t.Errorf("compte=manager: %q", rows)
	}
	// A forged account of another CT, or a kind that does not exist.
	for _, q := range []string{fmt.Sprintf("compte=%d", other.Principal.ID), fmt.Sprintf("compte=%d&type=collectivity", other.Account.ID)} {
		r = ts.get(t, p.Client, "/compte/journal?"+q)
		wantStatus(t, r, http.StatusOK, "")
		if rows := journalRows(t, r); len(rows) != 0 {
			t.Errorf("%s: rows of another CT: %q", q, rows)
		}
		wantText(t, r, "Aucune entrée du journal ne correspond à ces filtres.")
		wantNoText(t, r, other.CT.Name, "a modifié les paramètres")
	}
	r = ts.get(t, p.Client, "/compte/journal?type=nimporte&compte=abc&avant=-3")
	if n := len(journalRows(t, r)); n != len(journalRows(t, ts.get(t, p.Client, "/compte/journal"))) {
		t.Errorf("values no form sends: %d rows, want the whole journal", n)
	}

	// The other principal sees its own change, not this CT's.
	r = ts.get(t, other.Client, "/compte/journal")
	wantText(t, r, "a modifié les paramètres de la collectivité")
	wantNoText(t, r, "Anne Moreau", p.CT.Name)
}

// TestJournalPaging: pages of 50, newest first, "Entrées plus anciennes"
// and back to the newest, keeping the filters.
func TestJournalPaging(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	for i := range 70 {
		ts.seedAgent(t, p.CT.ID, fmt.Sprintf("Agent%02d", i), "Jean", i)
	}
	all, err := ts.Store.ListJournal(cliCtx(), p.CT.ID, store.JournalFilter{}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	total := len(all.Entries)

	var seen []string
	path := "/compte/journal"
	for page := 0; ; page++ {
		r := ts.get(t, p.Client, path)
		wantStatus(t, r, http.StatusOK, "")
		rows := journalRows(t, r)
		for _, row := range rows {
			seen = append(seen, row[2])
		}
		if page > 0 {
			wantMarkup(t, r, `href="/compte/journal"><span class="govuk-pagination__link-title">Revenir aux entrées les plus récentes`)
		}
		m := olderLink.FindStringSubmatch(r.Body)
		if m == nil {
			if len(rows) != total-50*page {
				t.Errorf("last page: %d rows, want %d", len(rows), total-50*page)
			}
			break
		}
		if len(rows) != 50 {
			t.Fatalf("page %d: %d rows, want 50", page, len(rows))
		}
		path = html.UnescapeString(m[1])
	}
	if len(seen) != total || seen[0] != "a ajouté l'agent Jean Agent69" || seen[len(seen)-1] != all.Entries[total-1].What {
		t.Errorf("walked %d entries (first %q), want %d newest first", len(seen), seen[0], total)
	}

	// The filters stay on the pages.
	r := ts.get(t, p.Client, "/compte/journal?type=agent")
	m := olderLink.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("no older entries of type agent")
	}
	u, _ := url.Parse(html.UnescapeString(m[1]))
	if u.Query().Get("type") != "agent" {
		t.Errorf("older link %q lost the filter", m[1])
	}
	r = ts.get(t, p.Client, u.String())
	if rows := journalRows(t, r); len(rows) != 20 {
		t.Errorf("second page of agents: %d rows, want 20", len(rows))
	}
	wantMarkup(t, r, `href="/compte/journal?type=agent"><span class="govuk-pagination__link-title">Revenir aux entrées les plus récentes`)
}

// TestJournalPersonOfLink: a change made through an e-mailed link is the
// link's person's, even in a browser signed in as someone else.
func TestJournalPersonOfLink(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	_, link := ts.createOperator(t, p, operatorFiche, "oui", "oui")
	wantStatus(t, ts.postForm(t, p.Client, link, url.Values{"reponse": {"refuse"}}), http.StatusSeeOther, link)
	rows := journalRows(t, ts.get(t, p.Client, "/compte/journal"))
	if len(rows) < 2 || rows[0][1] != "Sophie Bernard (opérateur)" || rows[0][2] != "a refusé son compte opérateur" {
		t.Errorf("journal = %q", rows)
	}
	if !strings.HasPrefix(rows[1][2], "a créé l'opérateur Sophie Bernard (identifiant ") || rows[1][1] != "Paul Martin (gestionnaire principal CT)" {
		t.Errorf("creation = %q", rows[1])
	}
}

// TestJournalPrincipalOnly: the historical manager and an operator are
// refused the journal, with the reason.
func TestJournalPrincipalOnly(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	manager := ts.loggedIn(t, ts.seedCT(t))
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "oui")
	for name, c := range map[string]*http.Client{"historical manager": manager, "operator": o.Client} {
		t.Run(name, func(t *testing.T) {
			r := ts.get(t, c, "/compte/journal")
			wantStatus(t, r, http.StatusForbidden, "")
			wantText(t, r, "Seul le gestionnaire principal de la collectivité peut consulter le journal.")
			wantNoText(t, r, "a créé la collectivité")
		})
	}
}
