package web

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"iel/internal/domain"
	"iel/internal/store"
)

// The agents of the CT: the list, the form, a departure and a return,
// the deletion. The CSV import and export are in agents_csv.go.

// agentsPerPage is the length of a page of the list.
const agentsPerPage = 50

// today is the day it is in Paris, by the store's clock: the agents'
// dates are checked against it.
func (s *Server) today() time.Time { return domain.ParisDay(s.store.Now()) }

// agentFilterOf reads the list's search and filter from the query.
func agentFilterOf(r *http.Request) store.AgentFilter {
	q := r.URL.Query()
	return store.AgentFilter{Search: strings.TrimSpace(q.Get("q")), WithLeft: q.Get("anciens") == "1"}
}

// agentsURL is path with the filter f and, when given, a cursor in the query.
func agentsURL(path string, f store.AgentFilter, key string, c *store.AgentCursor) string {
	v := url.Values{}
	if f.Search != "" {
		v.Set("q", f.Search)
	}
	if f.WithLeft {
		v.Set("anciens", "1")
	}
	if c != nil {
		v.Set(key, cursorParam(*c))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// cursorParam writes a position of the list in a URL: the agent's id and
// its sort key, so that the next page starts right even if that agent is
// deleted meanwhile.
func cursorParam(c store.AgentCursor) string {
	return strconv.FormatInt(c.ID, 10) + "." + base64.RawURLEncoding.EncodeToString(c.Key)
}

// parseCursor reads cursorParam; nil when s is not one (the first page).
func parseCursor(s string) *store.AgentCursor {
	id, key, ok := strings.Cut(s, ".")
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(id, 10, 64)
	k, err2 := base64.RawURLEncoding.DecodeString(key)
	if err != nil || err2 != nil || len(k) == 0 || len(k) > 2048 {
		return nil
	}
	return &store.AgentCursor{Key: k, ID: n}
}

type agentListPage struct {
	basePage
	Collectivity       string
	Filter             store.AgentFilter
	List               store.AgentPage
	PrevURL, NextURL   string
	ExportURL          string
	First, Last, Total int
	Path               string // the list's own address, where the search goes
	Back               string // for staff: the CT's page; "" for the CT's accounts
}

// ReadOnly says the list is staff's: no add, modify, delete or import.
func (p agentListPage) ReadOnly() bool { return p.Back != "" }

// agentList handles GET /agents: "N agents", searched, filtered and paged.
func (s *Server) agentList(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	s.serveAgentList(w, r, v.Collectivity.ID, v.Collectivity.Name, "/agents", "")
}

// serveAgentList draws the agents of the CT ctID, named name, at path;
// back is the CT's page for staff, who only read, "" for the CT's accounts.
func (s *Server) serveAgentList(w http.ResponseWriter, r *http.Request, ctID int64, name, path, back string) {
	f := agentFilterOf(r)
	q := store.AgentQuery{Filter: f, Limit: agentsPerPage, After: parseCursor(r.URL.Query().Get("apres"))}
	if q.After == nil {
		q.Before = parseCursor(r.URL.Query().Get("avant"))
	}
	list, err := s.store.ListAgents(r.Context(), ctID, q)
	if !s.handled(w, r, err, nil) {
		return
	}
	p := agentListPage{basePage: s.base(w, r, "Agents"), Collectivity: name, Filter: f, List: list, Path: path, Back: back,
		Total: list.Total, First: list.Offset + 1, Last: list.Offset + len(list.Agents)}
	p.Nav = "agents"
	if p.ReadOnly() {
		p.Nav = "collectivites"
	} else {
		p.ExportURL = agentsURL("/agents/export", f, "", nil)
	}
	if list.Prev != nil {
		p.PrevURL = agentsURL(path, f, "avant", list.Prev)
	}
	if list.Next != nil {
		p.NextURL = agentsURL(path, f, "apres", list.Next)
	}
	s.render(w, r, http.StatusOK, p)
}

// agentFields lists the inputs of the agent form in order, for the error summary.
var agentFields = []string{"civilite", "nom", "prenom", "date_naissance", "courriel", "categorie", "statut", "grade", "date_nomination"}

type agentFormPage struct {
	basePage
	Agent store.Agent // the agent modified; ID 0 when creating
	Form  domain.AgentInput
}

func (s *Server) agentFormPage(w http.ResponseWriter, r *http.Request, a store.Agent, in domain.AgentInput, errs map[string]string) agentFormPage {
	title := "Ajouter un agent"
	if a.ID != 0 {
		title = "Modifier un agent"
	}
	p := agentFormPage{basePage: s.base(w, r, title), Agent: a, Form: in}
	p.Nav = "agents"
	p.Errors, p.ErrorOrder = errs, agentFields
	return p
}

// parseAgentForm reads the agent form as typed.
func parseAgentForm(r *http.Request) domain.AgentInput {
	return domain.AgentInput{
		Civility:    r.PostFormValue("civilite"),
		LastName:    r.PostFormValue("nom"),
		FirstName:   r.PostFormValue("prenom"),
		BirthDate:   strings.TrimSpace(r.PostFormValue("date_naissance")),
		Email:       strings.TrimSpace(r.PostFormValue("courriel")),
		Category:    r.PostFormValue("categorie"),
		Status:      r.PostFormValue("statut"),
		Grade:       r.PostFormValue("grade"),
		AppointedOn: strings.TrimSpace(r.PostFormValue("date_nomination")),
	}
}

// checkAgentForm reads and checks the agent form; errs holds one message
// per input when it is refused.
func (s *Server) checkAgentForm(r *http.Request) (domain.AgentInput, domain.Agent, map[string]string) {
	in := parseAgentForm(r)
	a, problems := domain.ParseAgent(in, s.today())
	if len(problems) == 0 {
		return in, a, nil
	}
	c := domain.Checker{}
	for _, e := range problems {
		c.Check(false, inputName(e.Field), e.Message)
	}
	return in, a, c.Errors
}

// agentRefusal shows the agent form again, as typed, with the message of
// the rule that refused it.
func (s *Server) agentRefusal(w http.ResponseWriter, r *http.Request, a store.Agent, in domain.AgentInput) refusal {
	return func(status int, errs map[string]string) {
		s.render(w, r, status, s.agentFormPage(w, r, a, in, errs))
	}
}

// agentNew handles GET /agents/nouveau: "Ajouter un agent".
func (s *Server) agentNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, s.agentFormPage(w, r, store.Agent{}, domain.AgentInput{}, nil))
}

// agentCreate handles POST /agents.
func (s *Server) agentCreate(w http.ResponseWriter, r *http.Request) {
	in, a, errs := s.checkAgentForm(r)
	if errs != nil {
		s.render(w, r, http.StatusUnprocessableEntity, s.agentFormPage(w, r, store.Agent{}, in, errs))
		return
	}
	a, err := s.store.CreateAgent(r.Context(), viewerFrom(r).Collectivity.ID, a)
	if !s.handled(w, r, err, s.agentRefusal(w, r, store.Agent{}, in)) {
		return
	}
	s.flash(w, "L'agent "+a.FullName()+" est ajouté.")
	http.Redirect(w, r, "/agents", http.StatusSeeOther)
}

// agentFrom loads the agent named by the {id} of the path, in the
// viewer's CT only; it answers 404 itself when there is none.
func (s *Server) agentFrom(w http.ResponseWriter, r *http.Request) (store.Agent, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return store.Agent{}, false
	}
	a, err := s.store.GetAgent(r.Context(), viewerFrom(r).Collectivity.ID, id)
	return a, s.handled(w, r, err, nil)
}

// agentEdit handles GET /agents/{id}: "Modifier".
func (s *Server) agentEdit(w http.ResponseWriter, r *http.Request) {
	a, ok := s.agentFrom(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, s.agentFormPage(w, r, a, domain.InputOf(a.Agent), nil))
}

// agentUpdate handles POST /agents/{id}.
func (s *Server) agentUpdate(w http.ResponseWriter, r *http.Request) {
	a, ok := s.agentFrom(w, r)
	if !ok {
		return
	}
	in, changed, errs := s.checkAgentForm(r)
	if errs != nil {
		s.render(w, r, http.StatusUnprocessableEntity, s.agentFormPage(w, r, a, in, errs))
		return
	}
	err := s.store.UpdateAgent(r.Context(), viewerFrom(r).Collectivity.ID, a.ID, changed)
	if !s.handled(w, r, err, s.agentRefusal(w, r, a, in)) {
		return
	}
	s.flash(w, "L'agent "+changed.FullName()+" est enregistré.")
	http.Redirect(w, r, "/agents", http.StatusSeeOther)
}

// agentURL is the "Modifier" page of the agent id; its actions hang below it.
func agentURL(id int64) string { return "/agents/" + strconv.FormatInt(id, 10) }

// agentFormAction is where the agent form posts: the list to create
// (id 0), the agent's page to modify.
func agentFormAction(id int64) string {
	if id == 0 {
		return "/agents"
	}
	return agentURL(id)
}

type agentDeletePage struct {
	basePage
	Agent store.Agent
}

func (s *Server) agentDeletePage(w http.ResponseWriter, r *http.Request, a store.Agent) agentDeletePage {
	p := agentDeletePage{basePage: s.base(w, r, "Supprimer un agent"), Agent: a}
	p.Nav = "agents"
	return p
}

// agentDeleteConfirm handles GET /agents/{id}/supprimer.
func (s *Server) agentDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	a, ok := s.agentFrom(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, s.agentDeletePage(w, r, a))
}

// agentDelete handles POST /agents/{id}/supprimer: only an agent never
// registered to a training is deleted.
func (s *Server) agentDelete(w http.ResponseWriter, r *http.Request) {
	a, ok := s.agentFrom(w, r)
	if !ok {
		return
	}
	err := s.store.DeleteAgent(r.Context(), viewerFrom(r).Collectivity.ID, a.ID)
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		p := s.agentDeletePage(w, r, a)
		p.Errors = map[string]string{} // the page has no field to put the message next to
		for _, msg := range errs {
			p.Errors[""] = msg
		}
		s.render(w, r, status, p)
	}) {
		return
	}
	s.flash(w, "L'agent "+a.FullName()+" est supprimé.")
	http.Redirect(w, r, "/agents", http.StatusSeeOther)
}

// agentLeave handles POST /agents/{id}/depart: "A quitté la collectivité".
func (s *Server) agentLeave(w http.ResponseWriter, r *http.Request) {
	s.agentSetLeft(w, r, true)
}

// agentReturn handles POST /agents/{id}/retour: the agent is back in the list.
func (s *Server) agentReturn(w http.ResponseWriter, r *http.Request) {
	s.agentSetLeft(w, r, false)
}

func (s *Server) agentSetLeft(w http.ResponseWriter, r *http.Request, left bool) {
	a, ok := s.agentFrom(w, r)
	if !ok {
		return
	}
	_, err := s.store.SetAgentLeft(r.Context(), viewerFrom(r).Collectivity.ID, a.ID, left)
	if !s.handled(w, r, err, nil) {
		return
	}
	if left {
		s.flash(w, a.FullName()+" a quitté la collectivité : l'agent n'apparaît plus dans la liste, son historique est conservé.")
	} else {
		s.flash(w, a.FullName()+" est de nouveau dans la liste des agents.")
	}
	http.Redirect(w, r, "/agents", http.StatusSeeOther)
}

// agentCount is "N agents", "1 agent", "0 agent".
func agentCount(n int) string {
	if n > 1 {
		return frenchNumber(n) + " agents"
	}
	return frenchNumber(n) + " agent"
}

// frenchNumber writes n with a narrow no-break space between thousands: "5 000".
func frenchNumber(n int) string { return domain.FrenchNumber(n) }
