package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"iel/internal/domain"
	"iel/internal/store"
)

// The sessions de formation in the CNFPT's back-office: staff search
// them, publish one ("Publier une session"), modify it, cancel it with a
// motif, and decide, on a session's page, every registration the CTs
// sent. The store keeps every rule (capacity, transitions, motifs); the
// pages show its refusals as it words them.

// sessionsPath is staff's list of sessions.
const sessionsPath = "/cnfpt/sessions"

// staffSessionURL is a session's page for staff.
func staffSessionURL(id int64) string { return sessionsPath + "/" + strconv.FormatInt(id, 10) }

// staffRegistrationURL is where staff's actions on registration id are posted.
func staffRegistrationURL(id int64) string { return "/cnfpt/inscriptions/" + strconv.FormatInt(id, 10) }

// sessionInputOrder is the order of the session form's inputs, for the error summary.
var sessionInputOrder = []string{"code", "intitule", "type_formation", "date_debut", "date_fin", "horaires", "lieu", "capacite", "date_limite", "public"}

// sessionDates is "Dates" of a session: one day, or from one to another.
func sessionDates(sess domain.Session) string {
	if sess.EndsOn.Equal(sess.StartsOn) {
		return "le " + domain.FormatDay(sess.StartsOn)
	}
	return "du " + domain.FormatDay(sess.StartsOn) + " au " + domain.FormatDay(sess.EndsOn)
}

// sessionListPage is "Sessions": the search and its results.
type sessionListPage struct {
	basePage
	Types                     trainingTypes
	Type, From, To, Words, At string // the search as typed
	store.StaffSessionPage
	Cursor string // the page shown starts after it: "" for the first page
}

// query is the search as a link carries it, without the cursor.
func (p sessionListPage) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"type": p.Type, "du": p.From, "au": p.To, "mots": p.Words, "lieu": p.At} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// NextHref is the next page of the results, "" on the last.
func (p sessionListPage) NextHref() string {
	if p.Next == nil {
		return ""
	}
	q := p.query()
	q.Set("apres", p.Next.String())
	return sessionsPath + "?" + q.Encode()
}

// FirstHref is the first page of the results, "" when it is the one shown.
func (p sessionListPage) FirstHref() string {
	if p.Cursor == "" {
		return ""
	}
	if q := p.query().Encode(); q != "" {
		return sessionsPath + "?" + q
	}
	return sessionsPath
}

// sessionList handles GET /cnfpt/sessions: every session, cancelled and
// past ones included, by start, searched by type, period, words of the
// intitulé and place; SessionPageSize a page after ?apres=.
func (s *Server) sessionList(w http.ResponseWriter, r *http.Request) {
	types, err := s.trainingTypes(r.Context())
	if !s.handled(w, r, err, nil) {
		return
	}
	q := r.URL.Query()
	p := sessionListPage{basePage: s.base(w, r, "Sessions"), Types: types,
		Type: strings.TrimSpace(q.Get("type")), From: strings.TrimSpace(q.Get("du")), To: strings.TrimSpace(q.Get("au")),
		Words: strings.TrimSpace(q.Get("mots")), At: strings.TrimSpace(q.Get("lieu")), Cursor: q.Get("apres")}
	p.Nav = "sessions"
	p.ErrorOrder = []string{"du", "au"}
	f := store.SessionFilter{Words: p.Words, Place: p.At}
	for _, t := range types.Rows {
		if string(t.Type) == p.Type {
			f.Type = t.Type
		}
	}
	p.Errors = map[string]string{}
	if p.From != "" {
		if f.From, err = domain.ParseDay(p.From); err != nil {
			p.Errors["du"] = "Saisissez la date « Du » au format JJ/MM/AAAA, par exemple 14/03/2027."
		}
	}
	if p.To != "" {
		if f.To, err = domain.ParseDay(p.To); err != nil {
			p.Errors["au"] = "Saisissez la date « Au » au format JJ/MM/AAAA, par exemple 30/06/2027."
		}
	}
	if len(p.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	p.Errors = nil
	if p.Cursor != "" {
		if f.After, err = store.ParseSessionCursor(p.Cursor); err != nil {
			s.notFound(w, r)
			return
		}
	}
	p.StaffSessionPage, err = s.store.ListSessions(r.Context(), f)
	if !s.handled(w, r, err, nil) {
		return
	}
	s.render(w, r, http.StatusOK, p)
}

// sessionFormPage is "Publier une session" (ID 0) or "Modifier la session".
type sessionFormPage struct {
	basePage
	ID    int64
	Types trainingTypes
	In    domain.SessionInput
}

// Action is where the form posts.
func (p sessionFormPage) Action() string {
	if p.ID == 0 {
		return sessionsPath
	}
	return staffSessionURL(p.ID) + "/modifier"
}

// Cancel is where "Annuler" leads.
func (p sessionFormPage) Cancel() string {
	if p.ID == 0 {
		return sessionsPath
	}
	return staffSessionURL(p.ID)
}

func (s *Server) sessionFormPage(w http.ResponseWriter, r *http.Request, id int64) (sessionFormPage, bool) {
	types, err := s.trainingTypes(r.Context())
	if !s.handled(w, r, err, nil) {
		return sessionFormPage{}, false
	}
	title := "Publier une session"
	if id != 0 {
		title = "Modifier la session"
	}
	p := sessionFormPage{basePage: s.base(w, r, title), ID: id, Types: types}
	p.Nav = "sessions"
	p.ErrorOrder = sessionInputOrder
	return p, true
}

// sessionInputOf reads the session form.
func sessionInputOf(r *http.Request) domain.SessionInput {
	v := r.PostFormValue
	return domain.SessionInput{Code: v("code"), Title: v("intitule"), Type: v("type_formation"), StartsOn: v("date_debut"), EndsOn: v("date_fin"),
		Hours: v("horaires"), Place: v("lieu"), Capacity: v("capacite"), Deadline: v("date_limite"), Audience: v("public")}
}

// checkSessionForm parses the typed session; it reports false after
// showing the form again with one message per field.
func (s *Server) checkSessionForm(w http.ResponseWriter, r *http.Request, p *sessionFormPage) (domain.Session, bool) {
	p.In = sessionInputOf(r)
	sess, errs := domain.ParseSession(p.In, p.Types.Rows)
	if len(errs) == 0 {
		return sess, true
	}
	p.Errors = map[string]string{}
	for _, e := range errs {
		if _, seen := p.Errors[inputName(e.Field)]; !seen {
			p.Errors[inputName(e.Field)] = e.Message
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, *p)
	return sess, false
}

// sessionNew handles GET /cnfpt/sessions/nouvelle: "Publier une session".
func (s *Server) sessionNew(w http.ResponseWriter, r *http.Request) {
	p, ok := s.sessionFormPage(w, r, 0)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, p)
}

// sessionCreate handles POST /cnfpt/sessions: the session is published,
// open to the CTs' registrations until its deadline.
func (s *Server) sessionCreate(w http.ResponseWriter, r *http.Request) {
	p, ok := s.sessionFormPage(w, r, 0)
	if !ok {
		return
	}
	sess, ok := s.checkSessionForm(w, r, &p)
	if !ok {
		return
	}
	created, err := s.store.CreateSession(r.Context(), sess)
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		p.Errors = errs
		s.render(w, r, status, p)
	}) {
		return
	}
	s.flash(w, "La session "+created.Code+" – "+created.Title+" est publiée : les collectivités peuvent y inscrire leurs agents jusqu'au "+domain.FormatDay(created.Deadline)+".")
	http.Redirect(w, r, staffSessionURL(created.ID), http.StatusSeeOther)
}

// staffSession reads the session of the request's {id}: 404 for one that does not exist.
func (s *Server) staffSession(w http.ResponseWriter, r *http.Request) (domain.Session, bool) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return domain.Session{}, false
	}
	sess, err := s.store.GetSession(r.Context(), id)
	return sess, s.handled(w, r, err, nil)
}

// sessionEdit handles GET /cnfpt/sessions/{id}/modifier: "Modifier".
func (s *Server) sessionEdit(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.staffSession(w, r)
	if !ok {
		return
	}
	if sess.IsCancelled() {
		s.domainError(w, r, domain.ErrSessionAlreadyCancelled)
		return
	}
	p, ok := s.sessionFormPage(w, r, sess.ID)
	if !ok {
		return
	}
	p.In = domain.SessionInputOf(sess)
	s.render(w, r, http.StatusOK, p)
}

// sessionUpdate handles POST /cnfpt/sessions/{id}/modifier. A capacity
// raised promotes the waiting list; one below the places taken is refused.
func (s *Server) sessionUpdate(w http.ResponseWriter, r *http.Request) {
	before, ok := s.staffSession(w, r)
	if !ok {
		return
	}
	p, ok := s.sessionFormPage(w, r, before.ID)
	if !ok {
		return
	}
	sess, ok := s.checkSessionForm(w, r, &p)
	if !ok {
		return
	}
	saved, err := s.store.UpdateSession(r.Context(), before.ID, sess, s.letters)
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		p.Errors = errs
		s.render(w, r, status, p)
	}) {
		return
	}
	s.wake()
	s.flash(w, "La session "+saved.Code+" – "+saved.Title+" est enregistrée.")
	http.Redirect(w, r, staffSessionURL(saved.ID), http.StatusSeeOther)
}

// staffSessionPage is a session's page for staff: its details, its places, and
// every registration of every CT with what staff may do with it.
type staffSessionPage struct {
	basePage
	Session       domain.Session
	TypeLabel     string
	Registrations []store.RegistrationRow // in the order they were sent
	Started       bool                    // attendance may be recorded
	Over          bool                    // its last day is past: it can no longer be cancelled
}

// Waiting is the waiting list, in its order: first come, first served.
func (p staffSessionPage) Waiting() []store.RegistrationRow {
	var out []store.RegistrationRow
	for _, r := range p.Registrations {
		if r.State == domain.RegistrationWaiting {
			out = append(out, r)
		}
	}
	return out
}

// ToDecide counts the registrations transmise.
func (p staffSessionPage) ToDecide() int {
	n := 0
	for _, r := range p.Registrations {
		if r.State == domain.RegistrationSent {
			n++
		}
	}
	return n
}

// staffMoves are the actions staff may take on a registration in the
// session's state, as the buttons of its row: the path's last element and
// the button's words.
func (p staffSessionPage) Moves(reg store.RegistrationRow) []choice {
	if p.Session.IsCancelled() {
		return nil
	}
	var out []choice
	can := func(to domain.RegistrationState) bool { return domain.CanMove(reg.State, to, domain.MoverStaff) }
	if can(domain.RegistrationAccepted) {
		out = append(out, choice{"accepter", "Accepter"})
	}
	if can(domain.RegistrationWaiting) {
		out = append(out, choice{"attente", "Mettre en liste d'attente"})
	}
	if p.Started && can(domain.RegistrationPresent) {
		out = append(out, choice{"present", "Présent"})
	}
	if p.Started && can(domain.RegistrationAbsent) {
		out = append(out, choice{"absent", "Absent"})
	}
	return out
}

// CanRefuse says "Refuser" applies to reg.
func (p staffSessionPage) CanRefuse(reg store.RegistrationRow) bool {
	return !p.Session.IsCancelled() && domain.CanMove(reg.State, domain.RegistrationRefused, domain.MoverStaff)
}

func (s *Server) staffSessionPage(w http.ResponseWriter, r *http.Request, sess domain.Session) (staffSessionPage, bool) {
	types, err := s.trainingTypes(r.Context())
	if !s.handled(w, r, err, nil) {
		return staffSessionPage{}, false
	}
	regs, err := s.store.ListSessionRegistrations(r.Context(), sess.ID)
	if !s.handled(w, r, err, nil) {
		return staffSessionPage{}, false
	}
	p := staffSessionPage{basePage: s.base(w, r, sess.Code+" – "+sess.Title), Session: sess, TypeLabel: types.Label(sess.Type),
		Registrations: regs, Started: sess.Started(s.today()), Over: sess.Over(s.today())}
	p.Nav = "sessions"
	return p, true
}

// staffSessionShow handles GET /cnfpt/sessions/{id}: a session's page for staff.
func (s *Server) staffSessionShow(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.staffSession(w, r)
	if !ok {
		return
	}
	p, ok := s.staffSessionPage(w, r, sess)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, p)
}

// sessionCancelPage is "Annuler la session": its motif and its confirmation.
type sessionCancelPage struct {
	basePage
	Session domain.Session
	Live    int // the registrations the cancellation ends
	Motif   string
}

func (s *Server) sessionCancelPage(w http.ResponseWriter, r *http.Request, sess domain.Session) (sessionCancelPage, bool) {
	regs, err := s.store.ListSessionRegistrations(r.Context(), sess.ID)
	if !s.handled(w, r, err, nil) {
		return sessionCancelPage{}, false
	}
	p := sessionCancelPage{basePage: s.base(w, r, "Annuler la session"), Session: sess}
	for _, reg := range regs {
		switch reg.State {
		case domain.RegistrationSent, domain.RegistrationAccepted, domain.RegistrationWaiting:
			p.Live++
		}
	}
	p.Nav = "sessions"
	p.ErrorOrder = []string{"motif"}
	return p, true
}

// sessionCancelConfirm handles GET /cnfpt/sessions/{id}/annuler.
func (s *Server) sessionCancelConfirm(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.staffSession(w, r)
	if !ok {
		return
	}
	if sess.IsCancelled() {
		s.domainError(w, r, domain.ErrSessionAlreadyCancelled)
		return
	}
	if sess.Over(s.today()) {
		s.domainError(w, r, domain.ErrSessionOver)
		return
	}
	p, ok := s.sessionCancelPage(w, r, sess)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, p)
}

// sessionCancel handles POST /cnfpt/sessions/{id}/annuler: "Annuler la
// session" for its motif; its live registrations become annulée and
// each CT concerned is told.
func (s *Server) sessionCancel(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.staffSession(w, r)
	if !ok {
		return
	}
	p, ok := s.sessionCancelPage(w, r, sess)
	if !ok {
		return
	}
	p.Motif = r.PostFormValue("motif")
	err := s.store.CancelSession(r.Context(), sess.ID, p.Motif, s.letters)
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		p.Errors = errs
		s.render(w, r, status, p)
	}) {
		return
	}
	s.wake()
	s.flash(w, "La session "+sess.Code+" – "+sess.Title+" est annulée ; les collectivités dont des agents étaient inscrits en sont informées.")
	http.Redirect(w, r, staffSessionURL(sess.ID), http.StatusSeeOther)
}

// staffRegistration reads the registration of the request's {id}, of any CT.
func (s *Server) staffRegistration(w http.ResponseWriter, r *http.Request) (domain.Session, domain.Registration, domain.Agent, bool) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return domain.Session{}, domain.Registration{}, domain.Agent{}, false
	}
	d, err := s.store.GetAnyRegistration(r.Context(), id)
	if !s.handled(w, r, err, nil) {
		return domain.Session{}, domain.Registration{}, domain.Agent{}, false
	}
	return d.Session, d.Registration, d.Agent, true
}

// registrationDecide handles POST /cnfpt/inscriptions/{id}/{action}:
// "Accepter", "Mettre en liste d'attente", "Présent", "Absent". A refusal
// of the store (the session full, a state that does not allow it, a
// session not begun) shows the session's page again with its message.
func (s *Server) registrationDecide(w http.ResponseWriter, r *http.Request) {
	sess, reg, agent, ok := s.staffRegistration(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	var err error
	var done string
	switch r.PathValue("action") {
	case "accepter":
		_, err = s.store.AcceptRegistration(ctx, reg.ID, s.letters)
		done = "L'inscription " + of(agent.FullName()) + " est acceptée ; la convocation est envoyée."
	case "attente":
		_, err = s.store.WaitlistRegistration(ctx, reg.ID, s.letters)
		done = "L'inscription " + of(agent.FullName()) + " est en liste d'attente."
	case "present":
		_, err = s.store.MarkPresent(ctx, reg.ID, s.letters)
		done = agent.FullName() + " est indiqué présent ; l'attestation de présence est envoyée."
	case "absent":
		_, err = s.store.MarkAbsent(ctx, reg.ID)
		done = agent.FullName() + " est indiqué absent."
	default:
		s.notFound(w, r)
		return
	}
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		fresh, gerr := s.store.GetSession(r.Context(), sess.ID)
		if gerr != nil {
			s.serverError(w, r, gerr)
			return
		}
		p, ok := s.staffSessionPage(w, r, fresh)
		if !ok {
			return
		}
		var msg string
		for _, m := range errs {
			msg = m
		}
		p.Errors = map[string]string{"": msg}
		s.render(w, r, status, p)
	}) {
		return
	}
	s.wake()
	s.flash(w, done)
	http.Redirect(w, r, staffSessionURL(sess.ID), http.StatusSeeOther)
}

// registrationRefusePage is "Refuser l'inscription": its motif, required.
type registrationRefusePage struct {
	basePage
	Session      domain.Session
	Registration domain.Registration
	Agent        domain.Agent
	Motif        string
}

func (s *Server) registrationRefusePage(w http.ResponseWriter, r *http.Request) (registrationRefusePage, bool) {
	sess, reg, agent, ok := s.staffRegistration(w, r)
	if !ok {
		return registrationRefusePage{}, false
	}
	p := registrationRefusePage{basePage: s.base(w, r, "Refuser l'inscription"), Session: sess, Registration: reg, Agent: agent}
	p.Nav = "sessions"
	p.ErrorOrder = []string{"motif"}
	return p, true
}

// registrationRefuseForm handles GET /cnfpt/inscriptions/{id}/refuser.
func (s *Server) registrationRefuseForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.registrationRefusePage(w, r)
	if !ok {
		return
	}
	if !domain.CanMove(p.Registration.State, domain.RegistrationRefused, domain.MoverStaff) {
		s.domainError(w, r, domain.ErrCannotMove(p.Registration.State))
		return
	}
	s.render(w, r, http.StatusOK, p)
}

// registrationRefuse handles POST /cnfpt/inscriptions/{id}/refuser:
// "Refuser", with its motif, which the CT's e-mail tells.
func (s *Server) registrationRefuse(w http.ResponseWriter, r *http.Request) {
	p, ok := s.registrationRefusePage(w, r)
	if !ok {
		return
	}
	p.Motif = r.PostFormValue("motif")
	_, err := s.store.RefuseRegistration(r.Context(), p.Registration.ID, p.Motif, s.letters)
	if !s.handled(w, r, err, func(status int, errs map[string]string) {
		p.Errors = errs
		s.render(w, r, status, p)
	}) {
		return
	}
	s.wake()
	s.flash(w, "L'inscription "+of(p.Agent.FullName())+" est refusée ; la collectivité en est informée avec le motif.")
	http.Redirect(w, r, staffSessionURL(p.Session.ID), http.StatusSeeOther)
}

// sessionsToDecideSection is the section of "Espace CNFPT" that lists the
// sessions with registrations transmise, soonest first.
func sessionsToDecideSection(list []store.StaffSession) staffSection {
	sec := staffSection{ID: "inscriptions-a-decider", Heading: "Inscriptions à décider",
		Empty: "Aucune inscription n'attend de décision."}
	for _, sess := range list {
		n := strconv.Itoa(sess.ToDecide) + " inscriptions à décider"
		if sess.ToDecide == 1 {
			n = "1 inscription à décider"
		}
		places := strconv.Itoa(sess.PlacesLeft()) + " places restantes"
		if sess.PlacesLeft() <= 1 {
			places = strconv.Itoa(sess.PlacesLeft()) + " place restante"
		}
		detail := n + " ; session " + sessionDates(sess.Session) + ", " + places
		if sess.Waiting > 0 {
			detail += ", " + strconv.Itoa(sess.Waiting) + " en liste d'attente"
		}
		sec.Items = append(sec.Items, staffItem{Label: sess.Code + " – " + sess.Title, Href: staffSessionURL(sess.ID), Detail: detail + "."})
	}
	return sec
}
