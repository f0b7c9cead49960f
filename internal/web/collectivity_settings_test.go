package web_test

import (
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
)

// settingsValues is "PARAMÈTRES" filled in as a person types it; change
// overrides some inputs ("" empties one).
func settingsValues(change map[string]string) url.Values {
	v := url.Values{
		"siret": {"214 900 995 00017"}, "type": {"commune"},
		"voie": {"Place Jean-Moulin"}, "complement": {"BP 32135"}, "code_postal": {"49321"}, "commune": {"Cholet"},
		"telephone": {"02.41.49.25.00"}, "effectif": {"1 450"},
	}
	for k, val := range change {
		v.Set(k, val)
	}
	return v
}

// settingsOf reads the saved "PARAMÈTRES" of the CT ctID.
func (ts *testServer) settingsOf(t testing.TB, ctID int64) domain.CollectivitySettings {
	t.Helper()
	cs, err := ts.Store.GetCollectivitySettings(cliCtx(), ctID)
	if err != nil {
		t.Fatalf("GetCollectivitySettings: %v", err)
	}
	return cs
}

// TestSettingsEveryAccount: "PARAMÈTRES" is every account's of the CT,
// the historical manager, the principal and the operators alike.
func TestSettingsEveryAccount(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	manager := ts.loggedIn(t, s)
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "oui")
	for _, c := range []struct {
		name   string
		client *http.Client
		ct     domain.Collectivity
		siret  string
	}{
		{"historical manager", manager, s.CT, "214 900 995 00017"},
		{"principal", p.Client, p.CT, "224 900 019 00015"},
		{"operator", o.Client, p.CT, "224900019 00023"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := ts.get(t, c.client, "/compte/parametres")
			wantStatus(t, r, http.StatusOK, "")
			wantText(t, r, "Coordonnées de la collectivité", "Nom de la collectivité", c.ct.Name, "SIRET", "Type de collectivité",
				"Adresse", "Voie", "Complément", "Code postal", "Commune", "Téléphone du standard", "Effectif", "Annuler", "Enregistrer")
			if got := accountTabsOf(t, r); !slices.Contains(got, tab{"Paramètres", "/compte/parametres", true}) {
				t.Errorf("tabs = %+v, want Paramètres current", got)
			}
			r = ts.postForm(t, c.client, "/compte/parametres", settingsValues(map[string]string{"siret": c.siret}))
			wantStatus(t, r, http.StatusSeeOther, "/compte/parametres")
			r = ts.get(t, c.client, "/compte/parametres")
			wantText(t, r, "Les paramètres de la collectivité sont enregistrés.")
		})
	}
}

// TestSettingsSave: what is saved is normalized, shown grouped, and
// belongs to the viewer's CT only, whatever the form names.
func TestSettingsSave(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	other := ts.seedCT(t)
	c := ts.loggedIn(t, s)

	r := ts.get(t, c, "/compte/parametres")
	wantMarkup(t, r, `name="siret" type="text" value=""`, `<option value="" selected>Choisissez un type</option>`)

	form := settingsValues(nil)
	form.Set("collectivite", "999") // a CT named in the form means nothing
	form.Set("id", "999")
	r = ts.postForm(t, c, "/compte/parametres", form)
	wantStatus(t, r, http.StatusSeeOther, "/compte/parametres")
	want := domain.CollectivitySettings{Name: s.CT.Name, SIRET: "21490099500017", Kind: domain.KindCommune,
		Address: domain.Address{Street: "Place Jean-Moulin", Complement: "BP 32135", Postcode: "49321", City: "Cholet"},
		Phone:   "0241492500", Headcount: new(1450)}
	if diff := cmp.Diff(want, ts.settingsOf(t, s.CT.ID)); diff != "" {
		t.Errorf("saved (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(domain.CollectivitySettings{Name: other.CT.Name}, ts.settingsOf(t, other.CT.ID)); diff != "" {
		t.Errorf("the other CT changed (-want +got):\n%s", diff)
	}

	r = ts.get(t, c, "/compte/parametres")
	wantStatus(t, r, http.StatusOK, "")
	wantMarkup(t, r, `value="214 900 995 00017"`, `value="02 41 49 25 00"`, `value="1450"`, `value="49321"`,
		`<option value="commune" selected>Commune</option>`)

	// The optional fields emptied are emptied.
	r = ts.postForm(t, c, "/compte/parametres", settingsValues(map[string]string{
		"voie": "", "complement": "", "code_postal": "", "commune": "", "telephone": "", "effectif": ""}))
	wantStatus(t, r, http.StatusSeeOther, "/compte/parametres")
	want.Address, want.Phone, want.Headcount = domain.Address{}, "", nil
	if diff := cmp.Diff(want, ts.settingsOf(t, s.CT.ID)); diff != "" {
		t.Errorf("emptied (-want +got):\n%s", diff)
	}
}

// TestSettingsRefused: each rule refuses the page with its message next to
// its field, keeps what was typed, and saves nothing, not even the valid
// fields beside the refused one.
func TestSettingsRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	wantStatus(t, ts.postForm(t, c, "/compte/parametres", settingsValues(nil)), http.StatusSeeOther, "/compte/parametres")
	before := ts.settingsOf(t, s.CT.ID)

	tests := []struct {
		name   string
		change map[string]string
		input  string
		msg    string
	}{
		{"SIRET missing", map[string]string{"siret": " "}, "siret", "Saisissez le SIRET de la collectivité."},
		{"SIRET with a bad key", map[string]string{"siret": "214 900 995 00018", "commune": "Angers"}, "siret",
			"Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez chacun des 14 chiffres."},
		{"SIRET of 13 digits", map[string]string{"siret": "214 900 995 0001"}, "siret", "Le SIRET doit comporter 14 chiffres, par exemple 214 900 995 00017."},
		{"SIRET of 15 digits", map[string]string{"siret": "214 900 995 000170"}, "siret", "Le SIRET doit comporter 14 chiffres, par exemple 214 900 995 00017."},
		{"SIRET with letters", map[string]string{"siret": "SIRET 21490099500017"}, "siret", "Le SIRET ne doit contenir que des chiffres (14), par exemple 214 900 995 00017."},
		{"kind missing", map[string]string{"type": ""}, "type", "Choisissez le type de collectivité."},
		{"kind not in the list", map[string]string{"type": "mairie"}, "type", "Choisissez un type de collectivité de la liste."},
		{"address without street", map[string]string{"voie": "", "effectif": "12"}, "voie", "Saisissez la voie (numéro et nom de la rue) : l'adresse est incomplète."},
		{"address without city", map[string]string{"commune": ""}, "commune", "Saisissez la commune : l'adresse est incomplète."},
		{"postcode of 4 digits", map[string]string{"code_postal": "4932"}, "code_postal", "Le code postal doit comporter 5 chiffres, par exemple 49300."},
		{"street on two lines", map[string]string{"voie": "Place\r\nJean-Moulin"}, "voie",
			"La voie ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."},
		{"phone of 9 digits", map[string]string{"telephone": "02 41 49 25 0"}, "telephone",
			"Le téléphone du standard doit comporter 10 chiffres, par exemple 02 41 00 00 00."},
		{"headcount in words", map[string]string{"effectif": "environ 300"}, "effectif", "L'effectif doit être un nombre entier d'agents, par exemple 350."},
		{"headcount negative", map[string]string{"effectif": "-4"}, "effectif", "L'effectif doit être un nombre entier d'agents, par exemple 350."},
		{"headcount too large", map[string]string{"effectif": "200 001"}, "effectif", "L'effectif ne peut pas dépasser 200 000 agents."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := settingsValues(tt.change)
			r := ts.postForm(t, c, "/compte/parametres", form)
			wantStatus(t, r, http.StatusUnprocessableEntity, "")
			wantText(t, r, tt.msg)
			wantMarkup(t, r, `id="`+tt.input+`-error"`, `href="#`+tt.input+`"`)
			if tt.input != "type" && tt.input != "voie" {
				// What was typed is shown back as typed.
				wantMarkup(t, r, `name="`+tt.input+`" type="`+inputType(tt.input)+`" value="`+html.EscapeString(strings.TrimSpace(form.Get(tt.input)))+`"`)
			}
			if diff := cmp.Diff(before, ts.settingsOf(t, s.CT.ID)); diff != "" {
				t.Errorf("the refused page was saved (-before +after):\n%s", diff)
			}
		})
	}
}

// TestSettingsSIRETTaken: a SIRET another CT holds is refused next to the
// field, with 409, and the page keeps what was typed.
func TestSettingsSIRETTaken(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	a := ts.seedCT(t)
	b := ts.seedCT(t)
	wantStatus(t, ts.postForm(t, ts.loggedIn(t, a), "/compte/parametres", settingsValues(nil)), http.StatusSeeOther, "/compte/parametres")
	r := ts.postForm(t, ts.loggedIn(t, b), "/compte/parametres", settingsValues(map[string]string{"siret": "21490099500017", "commune": "Trémentines"}))
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Une autre collectivité du portail est déjà enregistrée avec ce SIRET.")
	wantMarkup(t, r, `id="siret-error"`, `value="21490099500017"`, `value="Trémentines"`)
	if got := ts.settingsOf(t, b.CT.ID); got.SIRET != "" || got.City != "" {
		t.Errorf("saved: %+v", got)
	}
}

func inputType(name string) string {
	if name == "telephone" {
		return "tel"
	}
	return "text"
}

// The SIRETs the authorization test gives the CTs of its world, none of
// them the one settingsValues posts.
var worldSIRETs = []string{"22490001900015", "21850191400012", "24490017100012"}

// withOwnSIRETs gives each CT of the authorization world a SIRET of its
// own, so that whichever CT posts settingsValues next saves it.
func withOwnSIRETs(t *testing.T, w *authzWorld) {
	t.Helper()
	for i, ct := range []int64{w.a.CT.ID, w.b.CT.ID, w.manager.CT.ID} {
		cs := domain.CollectivitySettings{SIRET: worldSIRETs[i], Kind: domain.KindCommune}
		if err := w.ts.Store.UpdateCollectivitySettings(cliCtx(), ct, cs); err != nil {
			t.Fatalf("UpdateCollectivitySettings: %v", err)
		}
	}
}

// walkSettings adds "PARAMÈTRES" to the walk of the portal, as the
// principal p and the operator o of one CT see it.
func walkSettings(w *pageWalk, ts *testServer, p, o *http.Client) {
	t := w.t
	w.add("settings", 200, ts.get(t, p, "/compte/parametres"))
	w.add("settings-refused", 422, ts.postForm(t, p, "/compte/parametres", settingsValues(map[string]string{
		"siret": "214 900 995 00018", "type": "", "voie": "", "code_postal": "4932", "telephone": "02 41", "effectif": "beaucoup"})))
	wantStatus(t, ts.postForm(t, p, "/compte/parametres", settingsValues(nil)), http.StatusSeeOther, "/compte/parametres")
	w.add("settings-saved", 200, ts.get(t, p, "/compte/parametres"))
	w.add("settings-operator", 200, ts.get(t, o, "/compte/parametres"))
}
