package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// The CNFPT's back-office, "Espace CNFPT": the pages of the accounts of
// role staff, who belong to no CT. Staff read every CT and change only
// what PRODUCT.md's "Rights" gives them: create a CT, rename it, resend
// its historical manager's codes, start a change of principal when its
// principal left. They never see a password or a link, and act as
// nobody but themselves.

// staffHomePath is where a staff account lands: "Espace CNFPT".
const staffHomePath = "/cnfpt"

// isStaff reports whether a is an account of the CNFPT's staff.
func isStaff(a domain.Account) bool { return a.Role == domain.RoleStaff && a.CollectivityID == 0 }

// landingPath is where a signed-in account lands when it asked for no page.
func landingPath(a domain.Account) string {
	if isStaff(a) {
		return staffHomePath
	}
	return homePath
}

// collectivityURL is a CT's page in the back-office.
func collectivityURL(id int64) string { return "/cnfpt/collectivites/" + strconv.FormatInt(id, 10) }

// staffItem is one line of a section of "Espace CNFPT".
type staffItem struct {
	Label, Href, Detail string
}

// staffSection is a list of "Espace CNFPT": what needs staff, one kind
// of thing per section. The trainings add theirs ("Inscriptions à
// décider") by appending to staffSections.
type staffSection struct {
	ID, Heading, Empty string
	Items              []staffItem
}

// staffSections are the lists of "Espace CNFPT", in the order it shows them.
func staffSections(h store.StaffHome) []staffSection {
	vacant := staffSection{ID: "sans-gestionnaire", Heading: "Collectivités sans gestionnaire actif",
		Empty: "Chaque collectivité a un gestionnaire actif."}
	for _, c := range h.NoHolder {
		detail := "Aucun gestionnaire actif : le rôle de gestionnaire principal est vacant."
		if c.CodesUnused {
			detail = "Les codes de connexion du gestionnaire CT n'ont pas encore servi."
		}
		vacant.Items = append(vacant.Items, staffItem{Label: c.Name, Href: collectivityURL(c.ID), Detail: detail})
	}
	pending := staffSection{ID: "designations", Heading: "Désignations de gestionnaire principal en attente",
		Empty: "Aucune désignation n'attend de réponse."}
	for _, d := range h.Designations {
		detail := d.Designated + " : réponse attendue jusqu'au " + frenchDate(d.ExpiresAt) + "."
		if d.Expired {
			detail = d.Designated + " : le lien a expiré le " + frenchDate(d.ExpiresAt) + " sans réponse."
		}
		pending.Items = append(pending.Items, staffItem{Label: d.Collectivity.Name, Href: collectivityURL(d.Collectivity.ID), Detail: detail})
	}
	recent := staffSection{ID: "recentes", Heading: "Collectivités créées ces 30 derniers jours",
		Empty: "Aucune collectivité n'a été créée ces 30 derniers jours."}
	for _, c := range h.Recent {
		recent.Items = append(recent.Items, staffItem{Label: c.Name, Href: collectivityURL(c.ID), Detail: "Créée le " + frenchDate(c.CreatedAt) + "."})
	}
	return []staffSection{vacant, pending, recent}
}

type staffHomePage struct {
	basePage
	Collectivities int
	Sections       []staffSection
	Shortcuts      []homeShortcut
}

// staffShortcuts are the back-office's pages, each with what it holds.
var staffShortcuts = []homeShortcut{
	{Label: "Rechercher une collectivité", Href: "/cnfpt/collectivites", Hint: "Par nom ou par SIRET : ses paramètres, ses comptes, ses correspondants formation."},
	{Label: "Créer une collectivité", Href: "/cnfpt/collectivites/nouvelle", Hint: "La collectivité et son gestionnaire CT, qui reçoit ses codes de connexion par courriel."},
	{Label: "Sessions", Href: sessionsPath, Hint: "Rechercher une session, décider des inscriptions, indiquer les présences."},
	{Label: "Publier une session", Href: sessionsPath + "/nouvelle", Hint: "Une session de formation, ouverte aux inscriptions des collectivités jusqu'à sa date limite."},
	{Label: "Importer des sessions (CSV)", Href: sessionImportPath, Hint: "Un fichier de sessions, vérifié et prévisualisé avant d'être appliqué en entier."},
	{Label: "Bilan formation", Href: "/cnfpt/bilan", Hint: "Par année et par type de formation : inscriptions, présences et jours de formation, de toutes les collectivités ou de l'une d'elles."},
}

// staffHome handles GET /cnfpt: "Espace CNFPT", what needs staff today.
func (s *Server) staffHome(w http.ResponseWriter, r *http.Request) {
	h, err := s.store.GetStaffHome(r.Context())
	if !s.handled(w, r, err, nil) {
		return
	}
	toDecide, err := s.store.SessionsToDecide(r.Context())
	if !s.handled(w, r, err, nil) {
		return
	}
	sections := append([]staffSection{sessionsToDecideSection(toDecide)}, staffSections(h)...)
	p := staffHomePage{basePage: s.base(w, r, "Espace CNFPT"), Collectivities: h.Collectivities, Sections: sections, Shortcuts: staffShortcuts}
	p.Nav = "cnfpt"
	s.render(w, r, http.StatusOK, p)
}

type staffCTListPage struct {
	basePage
	Search string
	store.CollectivityPage
}

// NextHref is the link to the next page of the search, "" on the last.
func (p staffCTListPage) NextHref() string {
	if p.Next == 0 {
		return ""
	}
	q := url.Values{"apres": {strconv.FormatInt(p.Next, 10)}}
	if p.Search != "" {
		q.Set("q", p.Search)
	}
	return "/cnfpt/collectivites?" + q.Encode()
}

// staffCTList handles GET /cnfpt/collectivites: "Collectivités", searched
// by name or SIRET (?q=), 50 a page from ?apres=.
func (s *Server) staffCTList(w http.ResponseWriter, r *http.Request) {
	search := strings.TrimSpace(r.URL.Query().Get("q"))
	after, _ := strconv.ParseInt(r.URL.Query().Get("apres"), 10, 64)
	page, err := s.store.SearchCollectivities(r.Context(), store.CollectivityQuery{Search: search, After: after, Limit: 50})
	if !s.handled(w, r, err, nil) {
		return
	}
	p := staffCTListPage{basePage: s.base(w, r, "Collectivités"), Search: search, CollectivityPage: page}
	p.Nav = "collectivites"
	s.render(w, r, http.StatusOK, p)
}

type staffCTNewPage struct {
	basePage
	Name, Email string
}

// collectivityInputs are the inputs of "Créer une collectivité", by the domain's field.
var collectivityInputs = map[domain.Field]string{domain.FieldName: "nom_collectivite", domain.FieldEmail: "courriel"}

// staffCTNew handles GET /cnfpt/collectivites/nouvelle.
func (s *Server) staffCTNew(w http.ResponseWriter, r *http.Request) {
	p := staffCTNewPage{basePage: s.base(w, r, "Créer une collectivité")}
	p.Nav = "collectivites"
	s.render(w, r, http.StatusOK, p)
}

// staffCTCreate handles POST /cnfpt/collectivites: the CT and its
// historical manager, whose codes e-mail is queued, as "iel ct create" does.
func (s *Server) staffCTCreate(w http.ResponseWriter, r *http.Request) {
	p := staffCTNewPage{basePage: s.base(w, r, "Créer une collectivité"), Name: r.PostFormValue("nom_collectivite"), Email: r.PostFormValue("courriel")}
	p.Nav = "collectivites"
	p.ErrorOrder = []string{"nom_collectivite", "courriel"}
	refuse := func(status int, errs map[string]string) {
		p.Errors = errs
		s.render(w, r, status, p)
	}
	ct := domain.Collectivity{Name: p.Name, Email: p.Email}
	if errs := domain.CheckCollectivity(&ct); len(errs) > 0 {
		m := map[string]string{}
		for _, e := range errs {
			if _, seen := m[collectivityInputs[e.Field]]; !seen {
				m[collectivityInputs[e.Field]] = e.Message
			}
		}
		refuse(http.StatusUnprocessableEntity, m)
		return
	}
	tok := auth.NewToken()
	nc := store.NewCollectivity{Name: ct.Name, Email: ct.Email, TokenHash: tok.Hash, TokenExpiry: s.store.Now().Add(mail.CodesLinkTTL)}
	created, acc, err := s.store.CreateCollectivity(r.Context(), nc, func(login string) (mail.Message, error) {
		return s.letters.Codes(ct, login, tok.Raw)
	})
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		if msg, ok := errs[""]; ok { // a name taken: FieldName has no input of its own elsewhere

			errs = map[string]string{"nom_collectivite": msg}
		}
		refuse(status, errs)
	}) {
		return
	}
	s.wake()
	s.flash(w, "La collectivité "+created.Name+" est créée. Son gestionnaire CT a l'identifiant "+acc.Login+" ; ses codes de connexion ont été envoyés à "+created.Email+".")
	http.Redirect(w, r, collectivityURL(created.ID), http.StatusSeeOther)
}

// staffCT reads the CT of the request's {id}: 404 for a CT that does not exist.
func (s *Server) staffCT(w http.ResponseWriter, r *http.Request) (store.CollectivityFile, bool) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return store.CollectivityFile{}, false
	}
	f, err := s.store.GetCollectivityFile(r.Context(), id)
	return f, s.handled(w, r, err, nil)
}

type staffCTPage struct {
	basePage
	store.CollectivityFile
}

// URL is the CT's page.
func (p staffCTPage) URL() string { return collectivityURL(p.Collectivity.ID) }

// CanResend says "Renvoyer les codes" applies: the historical manager's codes still work.
func (p staffCTPage) CanResend() bool { _, ok := p.OpenManager(); return ok }

// CanDesignate says "Changer le gestionnaire principal" applies: the CT has a principal.
func (p staffCTPage) CanDesignate() bool { _, ok := p.Principal(); return ok }

// Headcount is "Effectif" as shown: "1 450".
func (p staffCTPage) Headcount() string {
	if p.Settings.Headcount == nil {
		return ""
	}
	return frenchNumber(*p.Settings.Headcount)
}

// staffStateLabel is the "Etat" column of an account, as the principal's list says it.
func staffStateLabel(a store.StaffAccount) string {
	switch {
	case a.Role == domain.RolePrincipal:
		return "gestionnaire"
	case a.State == domain.StateActive:
		return "actif"
	case a.State == domain.StateRefused:
		return "refusé"
	case a.State == domain.StateClosed:
		return "fermé"
	case a.Link != nil && a.Link.Expired:
		return "inactif (lien expiré)"
	}
	return "inactif"
}

// staffLinkLabel says what link waits for the account and until when, never the link.
func staffLinkLabel(a store.StaffAccount) string {
	l := a.Link
	if l == nil {
		return "aucun"
	}
	what := "Mot de passe à choisir"
	if l.Purpose == store.PurposeInvitation {
		what = "Invitation à accepter"
	}
	if l.Expired {
		return what + " : lien expiré le " + frenchDate(l.ExpiresAt)
	}
	return what + " : lien valable jusqu'au " + frenchDate(l.ExpiresAt)
}

// staffCTShow handles GET /cnfpt/collectivites/{id}: a CT as staff see it.
func (s *Server) staffCTShow(w http.ResponseWriter, r *http.Request) {
	f, ok := s.staffCT(w, r)
	if !ok {
		return
	}
	p := staffCTPage{basePage: s.base(w, r, f.Collectivity.Name), CollectivityFile: f}
	p.Nav = "collectivites"
	s.render(w, r, http.StatusOK, p)
}

// staffCTAgents handles GET /cnfpt/collectivites/{id}/agents: the CT's
// agents as its "Agents" list shows them, read only.
func (s *Server) staffCTAgents(w http.ResponseWriter, r *http.Request) {
	ct, ok := s.staffCTOnly(w, r)
	if !ok {
		return
	}
	s.serveAgentList(w, r, ct.ID, ct.Name, collectivityURL(ct.ID)+"/agents", collectivityURL(ct.ID))
}

// staffCTRegistrations handles GET /cnfpt/collectivites/{id}/inscriptions:
// the CT's registrations as its "Mes inscriptions" shows them, read only.
func (s *Server) staffCTRegistrations(w http.ResponseWriter, r *http.Request) {
	ct, ok := s.staffCTOnly(w, r)
	if !ok {
		return
	}
	s.serveRegistrationList(w, r, ct.ID, ct.Name, collectivityURL(ct.ID)+"/inscriptions", collectivityURL(ct.ID))
}

// staffCTOnly reads the CT of the request's {id}, without its file: 404
// for a CT that does not exist.
func (s *Server) staffCTOnly(w http.ResponseWriter, r *http.Request) (domain.Collectivity, bool) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return domain.Collectivity{}, false
	}
	ct, err := s.store.GetCollectivity(r.Context(), id)
	return ct, s.handled(w, r, err, nil)
}

// staffResendCodes handles POST /cnfpt/collectivites/{id}/codes:
// "Renvoyer les codes", a new set-password link for the historical
// manager, the previous one dead.
func (s *Server) staffResendCodes(w http.ResponseWriter, r *http.Request) {
	f, ok := s.staffCT(w, r)
	if !ok {
		return
	}
	tok := auth.NewToken()
	acc, err := s.store.ResendManagerCodes(r.Context(), f.Collectivity.ID, viewerFrom(r).Account.ID, tok.Hash, s.store.Now().Add(mail.CodesLinkTTL),
		func(ct domain.Collectivity, acc domain.Account) (mail.Message, error) {
			ct.Email = acc.Email // the manager's address as it keeps it now
			return s.letters.Codes(ct, acc.Login, tok.Raw)
		})
	if !s.handled(w, r, err, nil) {
		return
	}
	s.wake()
	s.flash(w, "Les codes de connexion du gestionnaire CT ont été renvoyés à "+acc.Email+" avec un nouveau lien, valable 7 jours ; l'ancien lien ne fonctionne plus.")
	http.Redirect(w, r, collectivityURL(f.Collectivity.ID), http.StatusSeeOther)
}

type staffRenamePage struct {
	basePage
	ID            int64
	Current, Name string
}

// staffRenameForm handles GET /cnfpt/collectivites/{id}/nom: "Renommer".
func (s *Server) staffRenameForm(w http.ResponseWriter, r *http.Request) {
	f, ok := s.staffCT(w, r)
	if !ok {
		return
	}
	p := staffRenamePage{basePage: s.base(w, r, "Renommer la collectivité"), ID: f.Collectivity.ID, Current: f.Collectivity.Name, Name: f.Collectivity.Name}
	p.Nav = "collectivites"
	s.render(w, r, http.StatusOK, p)
}

// staffRename handles POST /cnfpt/collectivites/{id}/nom.
func (s *Server) staffRename(w http.ResponseWriter, r *http.Request) {
	f, ok := s.staffCT(w, r)
	if !ok {
		return
	}
	p := staffRenamePage{basePage: s.base(w, r, "Renommer la collectivité"), ID: f.Collectivity.ID, Current: f.Collectivity.Name, Name: r.PostFormValue("nom_collectivite")}
	p.Nav = "collectivites"
	p.ErrorOrder = []string{"nom_collectivite"}
	ct, err := s.store.RenameCollectivity(r.Context(), f.Collectivity.ID, viewerFrom(r).Account.ID, p.Name)
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		var msg string
		for _, m := range errs {
			msg = m
		}
		p.Errors = map[string]string{"nom_collectivite": msg}
		s.render(w, r, status, p)
	}) {
		return
	}
	s.flash(w, "La collectivité s'appelle désormais "+ct.Name+".")
	http.Redirect(w, r, collectivityURL(ct.ID), http.StatusSeeOther)
}

type staffDesignationPage struct {
	basePage
	ID           int64
	Collectivity string
	Former       string // the principal who left
	Form         ficheForm
	Prefs        prefsForm
	Operators    []domain.Account // the CT's active operators, who may be designated
	Target       int64
}

// URL is where the form posts.
func (p staffDesignationPage) URL() string { return collectivityURL(p.ID) + "/gestionnaire-principal" }

func (s *Server) staffDesignationPage(w http.ResponseWriter, r *http.Request, f store.CollectivityFile, types []domain.TypeLabel) staffDesignationPage {
	p := staffDesignationPage{basePage: s.base(w, r, "Changer le gestionnaire principal"), ID: f.Collectivity.ID, Collectivity: f.Collectivity.Name,
		Prefs: blankPrefs(types)}
	p.Nav = "collectivites"
	p.ErrorOrder = append([]string{"operateur"}, ficheFieldsWith(p.Prefs)...)
	if pr, ok := f.Principal(); ok {
		p.Former = pr.FullName()
	}
	for _, a := range f.Accounts {
		if a.Role == domain.RoleOperator && a.State == domain.StateActive {
			p.Operators = append(p.Operators, a.Account)
		}
	}
	sortFrenchBy(p.Operators, func(a domain.Account) (string, string) { return a.LastName, a.FirstName })
	return p
}

// staffDesignationForm handles GET /cnfpt/collectivites/{id}/gestionnaire-principal:
// "Changer le gestionnaire principal" of a CT whose principal left, empty
// or from one of its active operators (?operateur=ID).
func (s *Server) staffDesignationForm(w http.ResponseWriter, r *http.Request) {
	f, ok := s.staffCT(w, r)
	if !ok {
		return
	}
	if _, ok := f.Principal(); !ok {
		s.domainError(w, r, store.ErrNoPrincipal)
		return
	}
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := s.staffDesignationPage(w, r, f, types)
	if id, err := strconv.ParseInt(r.URL.Query().Get("operateur"), 10, 64); err == nil && id != 0 {
		found := false
		for _, o := range p.Operators {
			if o.ID == id {
				p.Form, p.Prefs, p.Target, found = ficheForm{Fiche: o.Fiche, PhoneInput: domain.FormatPhone(o.Phone)}, prefsFormOf(types, o.Prefs), o.ID, true
			}
		}
		if !found {
			s.notFound(w, r)
			return
		}
	}
	s.render(w, r, http.StatusOK, p)
}

// staffDesignationCreate handles POST /cnfpt/collectivites/{id}/gestionnaire-principal.
func (s *Server) staffDesignationCreate(w http.ResponseWriter, r *http.Request) {
	f, ok := s.staffCT(w, r)
	if !ok {
		return
	}
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := s.staffDesignationPage(w, r, f, types)
	var prefs domain.MailPrefs
	var c domain.Checker
	p.Form, p.Prefs, prefs, c = checkFicheForm(r, types)
	p.Target, _ = strconv.ParseInt(r.PostFormValue("operateur"), 10, 64)
	if !c.Valid() {
		p.Errors = c.Errors
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	tok := auth.NewToken()
	d := domain.Designation{Fiche: p.Form.Fiche, Prefs: prefs, TargetAccount: p.Target}
	_, err = s.store.DesignateForCollectivity(r.Context(), f.Collectivity.ID, viewerFrom(r).Account.ID, d, tok.Hash, s.store.Now().Add(mail.DesignationTTL),
		store.StaffDesignationMails{
			Designation: func(ct domain.Collectivity, d domain.Designation) (mail.Message, error) {
				return s.letters.Designation(ct, d, tok.Raw)
			},
			Told:     s.letters.PrincipalChange,
			Replaced: s.letters.DesignationReplaced,
		})
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		p.Errors = errs
		s.render(w, r, status, p)
	}) {
		return
	}
	s.wake()
	s.flash(w, "La désignation est enregistrée : un courriel a été envoyé à "+p.Form.Email+", et les comptes actifs de la collectivité en sont informés. Le changement ne prendra effet qu'après son acceptation.")
	http.Redirect(w, r, collectivityURL(f.Collectivity.ID), http.StatusSeeOther)
}
