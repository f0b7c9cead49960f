package web

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"iel/internal/docs"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/spreadsheet"
	"iel/internal/store"
)

// "Mes inscriptions" of a CT: the list filtered and paged, its CSV
// export, a registration's page with its documents, and "Annuler
// l'inscription". Every registration is read in the viewer's CT only: an
// id of another CT is a page that does not exist.

// registrationsForm is the filter of "Mes inscriptions" as typed.
type registrationsForm struct {
	Agent, State, Type, From, To string
}

// registrationsFields are the filter's inputs, in order.
var registrationsFields = []string{"agent", "etat", "type", "du", "au"}

// registrationFilterOf reads the filter from the query; errs holds one
// message per input that is wrong.
func registrationFilterOf(r *http.Request, tt trainingTypes) (registrationsForm, store.RegistrationFilter, map[string]string) {
	q := r.URL.Query()
	f := registrationsForm{Agent: q.Get("agent"), State: q.Get("etat"), Type: q.Get("type"),
		From: strings.TrimSpace(q.Get("du")), To: strings.TrimSpace(q.Get("au"))}
	errs := map[string]string{}
	var rf store.RegistrationFilter
	if f.Agent != "" {
		id, err := strconv.ParseInt(f.Agent, 10, 64)
		if err != nil || id <= 0 {
			errs["agent"] = "Cet agent n'existe pas dans la collectivité."
		}
		rf.AgentID = id
	}
	if f.State != "" {
		rf.State = domain.RegistrationState(f.State)
		known := false
		for _, st := range domain.RegistrationStates {
			known = known || st == rf.State
		}
		if !known {
			errs["etat"] = "Cet état n'existe pas."
		}
	}
	rf.Type = typeFilter(f.Type, tt, errs)
	rf.From, rf.To = periodFilter(f.From, f.To, errs)
	if c, err := store.ParseRegistrationCursor(q.Get("apres")); err == nil {
		rf.After = c
	}
	return f, rf, errs
}

// url is path with the filter and, when given, the cursor c.
func (f registrationsForm) url(path string, c *store.RegistrationCursor) string {
	v := url.Values{}
	for k, val := range map[string]string{"agent": f.Agent, "etat": f.State, "type": f.Type, "du": f.From, "au": f.To} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if c != nil {
		v.Set("apres", c.String())
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

type registrationListPage struct {
	basePage
	Collectivity  string
	Types         trainingTypes
	Agents        []store.Agent // every agent of the CT, those who left included
	Form          registrationsForm
	Registrations []store.RegistrationRow
	Listed        bool // the filter was accepted
	Filtered      bool // some filter is set
	FirstURL      string
	NextURL       string
	ExportURL     string
	Path          string // the list's own address, where the filter goes
	Back          string // for staff: the CT's page; "" for the CT's accounts
}

// ReadOnly says the list is staff's: no export, rows link the sessions.
func (p registrationListPage) ReadOnly() bool { return p.Back != "" }

// registrationList handles GET /formations/inscriptions: "Mes
// inscriptions", newest first, filtered by agent, state, type and period.
func (s *Server) registrationList(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	s.serveRegistrationList(w, r, v.Collectivity.ID, v.Collectivity.Name, "/formations/inscriptions", "")
}

// serveRegistrationList draws the registrations of the CT ctID, named
// name, at path; back is the CT's page for staff, who only read, "" for
// the CT's accounts.
func (s *Server) serveRegistrationList(w http.ResponseWriter, r *http.Request, ctID int64, name, path, back string) {
	tt, err := s.trainingTypes(r.Context())
	if !s.handled(w, r, err, nil) {
		return
	}
	agents, err := s.store.ListAllAgents(r.Context(), ctID, store.AgentFilter{WithLeft: true})
	if !s.handled(w, r, err, nil) {
		return
	}
	f, rf, errs := registrationFilterOf(r, tt)
	title := "Mes inscriptions"
	if back != "" {
		title = "Inscriptions"
	}
	p := registrationListPage{basePage: s.base(w, r, title), Collectivity: name, Types: tt, Agents: agents, Form: f,
		Filtered: f != registrationsForm{}, Path: path, Back: back}
	p.Nav = "formations"
	if p.ReadOnly() {
		p.Nav = "collectivites"
	}
	p.ErrorOrder = registrationsFields
	if len(errs) > 0 {
		p.Errors = errs
		s.render(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	page, err := s.store.ListRegistrations(r.Context(), ctID, rf)
	if !s.handled(w, r, err, nil) {
		return
	}
	p.Listed, p.Registrations = true, page.Registrations
	if !p.ReadOnly() {
		p.ExportURL = f.url(path+"/export", nil)
	}
	if rf.After != nil {
		p.FirstURL = f.url(path, nil)
	}
	if page.Next != nil {
		p.NextURL = f.url(path, page.Next)
	}
	s.render(w, r, http.StatusOK, p)
}

// registrationExport handles GET /formations/inscriptions/export:
// "Exporter (CSV)", every registration the filter keeps.
func (s *Server) registrationExport(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	tt, err := s.trainingTypes(r.Context())
	if !s.handled(w, r, err, nil) {
		return
	}
	_, rf, errs := registrationFilterOf(r, tt)
	if len(errs) > 0 {
		http.Redirect(w, r, strings.Replace(r.URL.RequestURI(), "/export", "", 1), http.StatusSeeOther)
		return
	}
	rf.After, rf.Limit = nil, -1
	page, err := s.store.ListRegistrations(r.Context(), v.Collectivity.ID, rf)
	if !s.handled(w, r, err, nil) {
		return
	}
	var buf bytes.Buffer
	if err := writeRegistrationsCSV(&buf, page.Registrations, tt); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="inscriptions-`+s.today().Format(time.DateOnly)+`.csv"`)
	buf.WriteTo(w)
}

// registrationsCSVHeader are the columns of the export.
var registrationsCSVHeader = []string{"Référence", "Nom", "Prénom", "Code", "Intitulé", "Type de formation", "Date de début", "Date de fin",
	"Horaires", "Lieu", "État", "Motif", "Transmise le"}

// writeRegistrationsCSV writes rows as the agents' export writes its
// file (spreadsheet.Writer), every cell that would start a formula
// neutralized by an apostrophe.
func writeRegistrationsCSV(w io.Writer, rows []store.RegistrationRow, tt trainingTypes) error {
	sw := spreadsheet.NewWriter(w, registrationsCSVHeader)
	for _, row := range rows {
		sw.Write(
			row.Reference(),
			spreadsheet.Text(row.Agent.LastName),
			spreadsheet.Text(row.Agent.FirstName),
			spreadsheet.Text(row.Session.Code),
			spreadsheet.Text(row.Session.Title),
			spreadsheet.Text(tt.Label(row.Session.Type)),
			domain.FormatDay(row.Session.StartsOn),
			domain.FormatDay(row.Session.EndsOn),
			spreadsheet.Text(row.Session.Hours),
			spreadsheet.Text(row.Session.Place),
			row.State.Label(),
			spreadsheet.Text(row.Motif),
			domain.FormatDay(domain.ParisDay(row.CreatedAt)),
		)
	}
	return sw.Flush()
}

// registrationURL is the page of the registration id.
func registrationURL(id int64) string { return "/formations/inscriptions/" + strconv.FormatInt(id, 10) }

// registrationFrom loads the registration named by the {id} of the path,
// in the viewer's CT only; it answers 404 itself when there is none.
func (s *Server) registrationFrom(w http.ResponseWriter, r *http.Request) (mail.TrainingMail, bool) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return mail.TrainingMail{}, false
	}
	d, err := s.store.GetRegistration(r.Context(), viewerFrom(r).Collectivity.ID, id)
	return d, s.handled(w, r, err, nil)
}

// hasConvocation reports whether the convocation of a registration in
// state st is due: once acceptée, and after (présent, absent).
func hasConvocation(st domain.RegistrationState) bool { return st.TakesPlace() }

// hasAttestation reports whether the attestation de présence is due: présent.
func hasAttestation(st domain.RegistrationState) bool { return st == domain.RegistrationPresent }

// cancellable reports whether the CT may still cancel d on day today.
func cancellable(d mail.TrainingMail, today time.Time) bool {
	return domain.CanMove(d.Registration.State, domain.RegistrationCancelled, domain.MoverCT) &&
		!d.Session.Started(today) && !d.Session.IsCancelled()
}

type registrationPage struct {
	basePage
	Reg         mail.TrainingMail
	TypeLabel   string
	Convocation bool
	Attestation bool
	Cancellable bool
}

func (s *Server) registrationPage(w http.ResponseWriter, r *http.Request, d mail.TrainingMail, title string) (registrationPage, error) {
	tt, err := s.trainingTypes(r.Context())
	p := registrationPage{basePage: s.base(w, r, title), Reg: d, TypeLabel: tt.Label(d.Session.Type),
		Convocation: hasConvocation(d.Registration.State), Attestation: hasAttestation(d.Registration.State),
		Cancellable: cancellable(d, s.today())}
	p.Nav = "formations"
	return p, err
}

// registrationShow handles GET /formations/inscriptions/{id}: the
// registration, its state and motif, its documents when due.
func (s *Server) registrationShow(w http.ResponseWriter, r *http.Request) {
	d, ok := s.registrationFrom(w, r)
	if !ok {
		return
	}
	p, err := s.registrationPage(w, r, d, "Inscription "+d.Registration.Reference())
	if !s.handled(w, r, err, nil) {
		return
	}
	s.render(w, r, http.StatusOK, p)
}

// registrationCancelConfirm handles GET /formations/inscriptions/{id}/annuler:
// the confirmation asked before "Annuler l'inscription".
func (s *Server) registrationCancelConfirm(w http.ResponseWriter, r *http.Request) {
	d, ok := s.registrationFrom(w, r)
	if !ok {
		return
	}
	if !cancellable(d, s.today()) {
		s.domainError(w, r, cancelRefusal(d, s.today()))
		return
	}
	p, err := s.registrationPage(w, r, d, "Annuler l'inscription")
	if !s.handled(w, r, err, nil) {
		return
	}
	s.render(w, r, http.StatusOK, registrationCancelPage{p})
}

// cancelRefusal is the rule that keeps d from being cancelled on day today.
func cancelRefusal(d mail.TrainingMail, today time.Time) *domain.Error {
	switch {
	case !domain.CanMove(d.Registration.State, domain.RegistrationCancelled, domain.MoverCT):
		return domain.ErrCannotMove(d.Registration.State)
	case d.Session.IsCancelled():
		return domain.ErrSessionCancelled
	default:
		return domain.ErrCancelTooLate
	}
}

// registrationCancelPage is the confirmation of "Annuler l'inscription".
type registrationCancelPage struct{ registrationPage }

// registrationCancel handles POST /formations/inscriptions/{id}/annuler.
func (s *Server) registrationCancel(w http.ResponseWriter, r *http.Request) {
	d, ok := s.registrationFrom(w, r)
	if !ok {
		return
	}
	_, err := s.store.CancelRegistration(r.Context(), viewerFrom(r).Collectivity.ID, d.Registration.ID, s.letters)
	if !s.handled(w, r, err, nil) {
		return
	}
	s.wake()
	s.flash(w, "L'inscription "+of(d.Agent.FullName())+" est annulée ; le CNFPT et les destinataires des courriels de la collectivité en sont informés.")
	http.Redirect(w, r, registrationURL(d.Registration.ID), http.StatusSeeOther)
}

// registrationConvocation handles GET /formations/inscriptions/{id}/convocation:
// the convocation (PDF), once the registration is accepted.
func (s *Server) registrationConvocation(w http.ResponseWriter, r *http.Request) {
	d, ok := s.registrationFrom(w, r)
	if !ok {
		return
	}
	if !hasConvocation(d.Registration.State) {
		s.notFound(w, r)
		return
	}
	pdf, err := docs.Convocation(d.Collectivity, d.Session, d.Registration, d.Agent)
	if !s.handled(w, r, err, nil) {
		return
	}
	sendPDF(w, docs.ConvocationFilename(d.Registration), pdf)
}

// registrationAttestation handles GET /formations/inscriptions/{id}/attestation:
// the attestation de présence (PDF), once the agent was present.
func (s *Server) registrationAttestation(w http.ResponseWriter, r *http.Request) {
	d, ok := s.registrationFrom(w, r)
	if !ok {
		return
	}
	if !hasAttestation(d.Registration.State) {
		s.notFound(w, r)
		return
	}
	pdf, err := docs.Attestation(d.Collectivity, d.Session, d.Registration, d.Agent)
	if !s.handled(w, r, err, nil) {
		return
	}
	sendPDF(w, docs.AttestationFilename(d.Registration), pdf)
}

// sendPDF sends a document to download under name.
func sendPDF(w http.ResponseWriter, name string, pdf []byte) {
	w.Header().Set("Content-Type", docs.PDFType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	w.Write(pdf)
}
