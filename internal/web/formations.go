package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"iel/internal/domain"
	"iel/internal/store"
)

// "Formations" for the accounts of a CT: the catalogue searched, a
// session's page, and "Inscrire des agents" with its confirmation. "Mes
// inscriptions" and a registration's page are in registrations.go.

// maxAgentChoices is how many agents "Inscrire des agents" lists at once;
// beyond, the search narrows them.
const maxAgentChoices = 200

// trainingTypes are the training types, as the training_types table
// lists them, and their labels by code.
type trainingTypes struct {
	Rows   []store.TrainingTypeRow
	labels map[domain.TrainingType]string
}

// Label is the type's label as the table holds it.
func (tt trainingTypes) Label(t domain.TrainingType) string {
	if l, ok := tt.labels[t]; ok {
		return l
	}
	return t.Label()
}

// Choices are the radios of "Type de formation".
func (tt trainingTypes) Choices() []choice {
	out := make([]choice, len(tt.Rows))
	for i, r := range tt.Rows {
		out[i] = choice{Value: string(r.Type), Label: r.Label}
	}
	return out
}

// Known reports whether code is a type of the table.
func (tt trainingTypes) Known(code string) bool {
	_, ok := tt.labels[domain.TrainingType(code)]
	return ok
}

func (s *Server) trainingTypes(ctx context.Context) (trainingTypes, error) {
	rows, err := s.store.ListTrainingTypes(ctx)
	tt := trainingTypes{Rows: rows, labels: map[domain.TrainingType]string{}}
	for _, r := range rows {
		tt.labels[r.Type] = r.Label
	}
	return tt, err
}

// catalogueForm is "Rechercher une session" as typed.
type catalogueForm struct {
	Type, From, To, Words, Place string
}

// catalogueFields are the inputs of the search, in order.
var catalogueFields = []string{"type", "du", "au", "mots", "lieu"}

// dayFilter reads an optional day typed in a filter; ok is false, with a
// message in errs under name, when it is no day.
func dayFilter(value, name, what string, errs map[string]string) (d dayValue) {
	value = strings.TrimSpace(value)
	if value == "" {
		return d
	}
	t, err := domain.ParseDay(value)
	if err != nil {
		errs[name] = what + " doit être une date JJ/MM/AAAA, par exemple 15/03/2027."
		return d
	}
	d.Time, d.Set = t, true
	return d
}

// dayValue is a day of a filter, Set when one was typed.
type dayValue struct {
	Time time.Time
	Set  bool
}

// periodFilter reads the days "du" and "au" of a filter, each optional;
// errs holds a message under the input that is wrong, "au" before "du"
// included.
func periodFilter(fromText, toText string, errs map[string]string) (from, to time.Time) {
	f, t := dayFilter(fromText, "du", "La date « Du »", errs), dayFilter(toText, "au", "La date « Au »", errs)
	if f.Set && t.Set && t.Time.Before(f.Time) {
		errs["au"] = "La date « Au » ne peut pas précéder la date « Du »."
	}
	return f.Time, t.Time
}

// typeFilter reads the type of training of a filter, optional; errs
// holds a message under "type" when it is none of tt.
func typeFilter(value string, tt trainingTypes, errs map[string]string) domain.TrainingType {
	if value == "" {
		return ""
	}
	if !tt.Known(value) {
		errs["type"] = "Ce type de formation n'existe pas."
		return ""
	}
	return domain.TrainingType(value)
}

// catalogueFilterOf reads the search from the query; errs holds one
// message per input that is wrong.
func catalogueFilterOf(r *http.Request, tt trainingTypes) (catalogueForm, store.SessionFilter, map[string]string) {
	q := r.URL.Query()
	f := catalogueForm{Type: q.Get("type"), From: strings.TrimSpace(q.Get("du")), To: strings.TrimSpace(q.Get("au")),
		Words: strings.TrimSpace(q.Get("mots")), Place: strings.TrimSpace(q.Get("lieu"))}
	errs := map[string]string{}
	sf := store.SessionFilter{Words: f.Words, Place: f.Place, Type: typeFilter(f.Type, tt, errs)}
	sf.From, sf.To = periodFilter(f.From, f.To, errs)
	if c, err := store.ParseSessionCursor(q.Get("apres")); err == nil {
		sf.After = c
	}
	return f, sf, errs
}

// query is the search as a link carries it, with the cursor c when given.
func (f catalogueForm) query(c *store.SessionCursor) string {
	v := url.Values{}
	for k, val := range map[string]string{"type": f.Type, "du": f.From, "au": f.To, "mots": f.Words, "lieu": f.Place} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if c != nil {
		v.Set("apres", c.String())
	}
	if len(v) == 0 {
		return "/formations"
	}
	return "/formations?" + v.Encode()
}

type cataloguePage struct {
	basePage
	Collectivity string
	Types        trainingTypes
	Form         catalogueForm
	Sessions     []domain.Session
	Searched     bool // the search was refused: no list
	Paged        bool // a page after the first
	FirstURL     string
	NextURL      string
}

// catalogueShow handles GET /formations: "Rechercher une session", the
// sessions open to registration that the search keeps, paged.
func (s *Server) catalogueShow(w http.ResponseWriter, r *http.Request) {
	tt, err := s.trainingTypes(r.Context())
	if !s.handled(w, r, err, nil) {
		return
	}
	f, sf, errs := catalogueFilterOf(r, tt)
	p := cataloguePage{basePage: s.base(w, r, "Formations"), Collectivity: viewerFrom(r).Collectivity.Name, Types: tt, Form: f}
	p.Nav = "formations"
	p.ErrorOrder = catalogueFields
	if len(errs) > 0 {
		p.Errors = errs
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	list, err := s.store.SearchCatalogue(r.Context(), sf)
	if !s.handled(w, r, err, nil) {
		return
	}
	p.Searched, p.Sessions, p.Paged = true, list.Sessions, sf.After != nil
	if p.Paged {
		p.FirstURL = f.query(nil)
	}
	if list.Next != nil {
		p.NextURL = f.query(list.Next)
	}
	s.render(w, r, http.StatusOK, p)
}

// sessionURL is the CT's page of the session id.
func sessionURL(id int64) string { return "/formations/sessions/" + strconv.FormatInt(id, 10) }

// sessionFrom loads the session named by the {id} of the path; it
// answers 404 itself when there is none.
func (s *Server) sessionFrom(w http.ResponseWriter, r *http.Request) (domain.Session, bool) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return domain.Session{}, false
	}
	sess, err := s.store.GetSession(r.Context(), id)
	return sess, s.handled(w, r, err, nil)
}

// sessionRegistrations are the CT's registrations to sess, newest first.
func (s *Server) sessionRegistrations(ctx context.Context, ctID int64, sess domain.Session) ([]store.RegistrationRow, error) {
	page, err := s.store.ListRegistrations(ctx, ctID, store.RegistrationFilter{Type: sess.Type, From: sess.StartsOn, To: sess.StartsOn, Limit: -1})
	var out []store.RegistrationRow
	for _, row := range page.Registrations {
		if row.SessionID == sess.ID {
			out = append(out, row)
		}
	}
	return out, err
}

type sessionPage struct {
	basePage
	Session       domain.Session
	TypeLabel     string
	Open          bool   // registrations are taken today
	Closed        string // why they are not, when they are not
	Registrations []store.RegistrationRow
}

// closedReason is why sess takes no registration on day today; "" when it does.
func closedReason(sess domain.Session, today time.Time) string {
	switch {
	case sess.IsCancelled():
		return domain.ErrSessionCancelled.Message
	case sess.Started(today):
		return domain.ErrSessionStarted.Message
	case today.After(sess.Deadline):
		return domain.ErrDeadlinePassed.Message
	}
	return ""
}

// sessionShow handles GET /formations/sessions/{id}: the session, the
// CT's registrations to it, and "Inscrire des agents" while it is open.
func (s *Server) sessionShow(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionFrom(w, r)
	if !ok {
		return
	}
	tt, err := s.trainingTypes(r.Context())
	if !s.handled(w, r, err, nil) {
		return
	}
	regs, err := s.sessionRegistrations(r.Context(), viewerFrom(r).Collectivity.ID, sess)
	if !s.handled(w, r, err, nil) {
		return
	}
	p := sessionPage{basePage: s.base(w, r, sess.Title), Session: sess, TypeLabel: tt.Label(sess.Type), Registrations: regs}
	p.Nav = "formations"
	p.Closed = closedReason(sess, s.today())
	p.Open = p.Closed == ""
	s.render(w, r, http.StatusOK, p)
}

// registerForm is "Inscrire des agents": the search of agents, and the
// agents checked.
type registerForm struct {
	Search  string
	Checked map[int64]bool
}

type registerPage struct {
	basePage
	Session   domain.Session
	TypeLabel string
	Form      registerForm
	Agents    []store.Agent // the CT's active agents the search keeps
	More      bool          // more agents than listed: narrow the search
	// Confirm lists the agents whose registration needs the explicit
	// confirmation, on the confirmation step; Chosen are every agent posted.
	Confirm []domain.Agent
	Chosen  []int64
}

// Why is the reason agent a's registration to an integration training
// asks for a confirmation.
func (p registerPage) Why(a domain.Agent) string {
	if a.Status != domain.Stagiaire {
		return "cet agent n'est pas stagiaire (statut : " + strings.ToLower(a.Status.Label()) + ")"
	}
	return "cet agent a été nommé le " + domain.FormatDay(a.AppointedOn) + ", il y a plus d'un an"
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request, sess domain.Session, f registerForm) (registerPage, error) {
	tt, err := s.trainingTypes(r.Context())
	if err != nil {
		return registerPage{}, err
	}
	agents, err := s.store.ListAllAgents(r.Context(), viewerFrom(r).Collectivity.ID, store.AgentFilter{Search: f.Search})
	if err != nil {
		return registerPage{}, err
	}
	p := registerPage{basePage: s.base(w, r, "Inscrire des agents"), Session: sess, TypeLabel: tt.Label(sess.Type), Form: f}
	for _, a := range agents {
		if a.Left() {
			continue
		}
		if len(p.Agents) == maxAgentChoices {
			p.More = true
			break
		}
		p.Agents = append(p.Agents, a)
	}
	p.Nav = "formations"
	p.ErrorOrder = []string{"agents"}
	return p, nil
}

// registerOpen answers, when sess takes no registration today, the rule
// that closes it, and reports whether the handler may go on.
func (s *Server) registerOpen(w http.ResponseWriter, r *http.Request, sess domain.Session) bool {
	switch why := closedReason(sess, s.today()); why {
	case "":
		return true
	default:
		s.domainError(w, r, domain.Errorf(domain.Conflict, "", why))
		return false
	}
}

// registerNew handles GET /formations/sessions/{id}/inscrire: "Inscrire
// des agents", the CT's active agents searched by name.
func (s *Server) registerNew(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionFrom(w, r)
	if !ok || !s.registerOpen(w, r, sess) {
		return
	}
	p, err := s.registerPage(w, r, sess, registerForm{Search: strings.TrimSpace(r.URL.Query().Get("q"))})
	if !s.handled(w, r, err, nil) {
		return
	}
	s.render(w, r, http.StatusOK, p)
}

// postedAgents reads the agents checked; a value that is no id is left out.
func postedAgents(r *http.Request) []int64 {
	var ids []int64
	seen := map[int64]bool{}
	for _, v := range r.PostForm["agents"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 || seen[id] {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
	}
	return ids
}

// registerCreate handles POST /formations/sessions/{id}/inscrire: the
// agents checked are registered, all or none; when some of them need the
// explicit confirmation (domain.NeedsIntegrationConfirmation) and it was
// not given, the confirmation step is shown instead.
func (s *Server) registerCreate(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.sessionFrom(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "formulaire illisible", http.StatusBadRequest)
		return
	}
	v := viewerFrom(r)
	ids := postedAgents(r)
	f := registerForm{Search: strings.TrimSpace(r.PostFormValue("q")), Checked: map[int64]bool{}}
	for _, id := range ids {
		f.Checked[id] = true
	}
	refuse := func(status int, errs map[string]string) {
		p, err := s.registerPage(w, r, sess, f)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		p.Errors = errs
		s.render(w, r, status, p)
	}
	if len(ids) > 0 && r.PostFormValue("confirme") != "1" {
		need, err := s.store.NeedingConfirmation(r.Context(), v.Collectivity.ID, sess.ID, ids)
		if !s.handled(w, r, err, nil) {
			return
		}
		if len(need) > 0 && closedReason(sess, s.today()) == "" {
			p, err := s.registerPage(w, r, sess, f)
			if !s.handled(w, r, err, nil) {
				return
			}
			p.Title = "Confirmer l'inscription"
			p.Confirm, p.Chosen = need, ids
			s.render(w, r, http.StatusOK, p)
			return
		}
	}
	regs, err := s.store.Register(r.Context(), v.Collectivity.ID, sess.ID, ids, s.letters)
	if !s.handled(w, r, err, refuse) {
		return
	}
	s.wake()
	msg := "L'inscription a été transmise au CNFPT ; un accusé de réception est envoyé par courriel."
	if len(regs) > 1 {
		msg = strconv.Itoa(len(regs)) + " inscriptions ont été transmises au CNFPT ; un accusé de réception est envoyé par courriel pour chacune."
	}
	s.flash(w, msg)
	http.Redirect(w, r, sessionURL(sess.ID), http.StatusSeeOther)
}
