package web

import (
	"net/http"
	"strconv"
	"strings"

	"iel/internal/domain"
)

// isCTAccount lets through the accounts of a collectivity, whatever their
// role: the pages of the CT's own data are every such account's.
func isCTAccount(a domain.Account) bool {
	switch a.Role {
	case domain.RoleManager, domain.RolePrincipal, domain.RoleOperator:
		return a.CollectivityID != 0
	}
	return false
}

// settingsForm is "PARAMÈTRES" as typed, or as saved, ready to show.
type settingsForm struct {
	SIRET, Kind                        string
	Street, Complement, Postcode, City string
	Phone, Headcount                   string
}

// settingsFields lists the inputs of "PARAMÈTRES" in the order the form
// shows them, for the error summary.
var settingsFields = []string{"siret", "type", "voie", "complement", "code_postal", "commune", "telephone", "effectif"}

// settingsFormOf shows saved settings: the SIRET and the phone grouped.
func settingsFormOf(cs domain.CollectivitySettings) settingsForm {
	f := settingsForm{SIRET: domain.FormatSIRET(cs.SIRET), Kind: string(cs.Kind), Street: cs.Street, Complement: cs.Complement,
		Postcode: cs.Postcode, City: cs.City, Phone: domain.FormatPhone(cs.Phone)}
	if cs.Headcount != nil {
		f.Headcount = strconv.Itoa(*cs.Headcount)
	}
	return f
}

// parseSettings reads "PARAMÈTRES" from a request and checks it by the
// domain's rules; the form keeps what was typed.
func parseSettings(r *http.Request) (settingsForm, domain.CollectivitySettings, domain.Checker) {
	f := settingsForm{
		SIRET: strings.TrimSpace(r.PostFormValue("siret")), Kind: r.PostFormValue("type"),
		Street: r.PostFormValue("voie"), Complement: r.PostFormValue("complement"),
		Postcode: strings.TrimSpace(r.PostFormValue("code_postal")), City: r.PostFormValue("commune"),
		Phone: strings.TrimSpace(r.PostFormValue("telephone")), Headcount: strings.TrimSpace(r.PostFormValue("effectif")),
	}
	cs := domain.CollectivitySettings{SIRET: f.SIRET, Kind: domain.CollectivityKind(f.Kind),
		Address: domain.Address{Street: f.Street, Complement: f.Complement, Postcode: f.Postcode, City: f.City}, Phone: f.Phone}
	c := domain.Checker{}
	n, herr := domain.ParseHeadcount(f.Headcount)
	if herr != nil {
		c.Check(false, inputName(herr.Field), herr.Message)
	}
	cs.Headcount = n
	for _, e := range domain.CheckCollectivitySettings(&cs) {
		c.Check(false, inputName(e.Field), e.Message)
	}
	return f, cs, c
}

type settingsPage struct {
	basePage
	Tab          string
	Role         domain.Role
	Collectivity string
	Form         settingsForm
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, f settingsForm) settingsPage {
	v := viewerFrom(r)
	p := settingsPage{basePage: s.base(w, r, "Paramètres"), Tab: "parametres", Role: v.Account.Role, Collectivity: v.Collectivity.Name, Form: f}
	p.Nav = "compte"
	p.ErrorOrder = settingsFields
	return p
}

// settingsShow handles GET /compte/parametres: "PARAMÈTRES", the
// collectivity's coordinates as saved.
func (s *Server) settingsShow(w http.ResponseWriter, r *http.Request) {
	cs, err := s.store.GetCollectivitySettings(r.Context(), viewerFrom(r).Collectivity.ID)
	if !s.handled(w, r, err, nil) {
		return
	}
	s.render(w, r, http.StatusOK, s.settingsPage(w, r, settingsFormOf(cs)))
}

// settingsUpdate handles POST /compte/parametres: "Enregistrer" saves
// the whole page, or nothing of it.
func (s *Server) settingsUpdate(w http.ResponseWriter, r *http.Request) {
	f, cs, c := parseSettings(r)
	refuse := func(status int, errs map[string]string) {
		p := s.settingsPage(w, r, f)
		p.Errors = errs
		s.render(w, r, status, p)
	}
	if !c.Valid() {
		refuse(http.StatusUnprocessableEntity, c.Errors)
		return
	}
	err := s.store.UpdateCollectivitySettings(r.Context(), viewerFrom(r).Collectivity.ID, cs)
	if !s.handled(w, r, err, refuse) {
		return
	}
	s.flash(w, "Les paramètres de la collectivité sont enregistrés.")
	http.Redirect(w, r, "/compte/parametres", http.StatusSeeOther)
}
