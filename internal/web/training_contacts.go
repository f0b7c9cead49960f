package web

import (
	"net/http"
	"strconv"

	"iel/internal/domain"
)

// contactForm is a correspondant as typed, or as saved, ready to show.
type contactForm struct {
	domain.TrainingContact
	PhoneInput string // as typed, shown back when refused
}

// contactFields lists the inputs of the correspondant form in the order it
// shows them, for the error summary.
var contactFields = []string{"civilite", "nom", "prenom", "fonction", "courriel", "telephone", "perimetre"}

// contactFormOf shows a saved correspondant.
func contactFormOf(c domain.TrainingContact) contactForm {
	return contactForm{TrainingContact: c, PhoneInput: domain.FormatPhone(c.Phone)}
}

// checkContactForm reads a correspondant from a request (the fiche's
// inputs and "perimetre") and checks it by the domain's rules.
func checkContactForm(r *http.Request) (contactForm, domain.Checker) {
	fiche := parseFiche(r)
	f := contactForm{TrainingContact: domain.TrainingContact{Fiche: fiche.Fiche, Perimeter: r.PostFormValue("perimetre")}, PhoneInput: fiche.PhoneInput}
	c := domain.Checker{}
	for _, e := range domain.CheckTrainingContact(&f.TrainingContact) {
		c.Check(false, inputName(e.Field), e.Message)
	}
	return f, c
}

// contactURL is the "Modifier" page of the correspondant id; its deletion hangs below it.
func contactURL(id int64) string { return "/compte/correspondants/" + strconv.FormatInt(id, 10) }

// contactFormAction is where the correspondant form posts: the list to
// add (id 0), the correspondant's page to modify.
func contactFormAction(id int64) string {
	if id == 0 {
		return "/compte/correspondants"
	}
	return contactURL(id)
}

// countCorrespondants is the list's heading: "Aucun correspondant",
// "1 correspondant", "3 correspondants".
func countCorrespondants(n int) string {
	switch n {
	case 0:
		return "Aucun correspondant"
	case 1:
		return "1 correspondant"
	}
	return strconv.Itoa(n) + " correspondants"
}

type contactListPage struct {
	basePage
	Tab          string
	Role         domain.Role
	Collectivity string
	Contacts     []domain.TrainingContact
}

// contactList handles GET /compte/correspondants: "CORRESPONDANTS
// FORMATION", every correspondant of the CT by name.
func (s *Server) contactList(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	cs, err := s.store.ListTrainingContacts(r.Context(), v.Collectivity.ID)
	if !s.handled(w, r, err, nil) {
		return
	}
	sortFrenchBy(cs, func(c domain.TrainingContact) (string, string) { return c.LastName, c.FirstName })
	p := contactListPage{basePage: s.base(w, r, "Correspondants formation"), Tab: "correspondants", Role: v.Account.Role,
		Collectivity: v.Collectivity.Name, Contacts: cs}
	p.Nav = "compte"
	s.render(w, r, http.StatusOK, p)
}

type contactFormPage struct {
	basePage
	Tab          string
	Role         domain.Role
	Collectivity string
	ID           int64 // 0 when adding
	Form         contactForm
}

func (s *Server) contactFormPage(w http.ResponseWriter, r *http.Request, id int64, f contactForm) contactFormPage {
	v := viewerFrom(r)
	title := "Ajouter un correspondant"
	if id != 0 {
		title = "Modifier un correspondant"
	}
	p := contactFormPage{basePage: s.base(w, r, title), Tab: "correspondants", Role: v.Account.Role, Collectivity: v.Collectivity.Name,
		ID: id, Form: f}
	p.Nav = "compte"
	p.ErrorOrder = contactFields
	return p
}

// contactRefusal shows the correspondant form again, as typed, with the
// messages of the rules that refused it.
func (s *Server) contactRefusal(w http.ResponseWriter, r *http.Request, id int64, f contactForm) refusal {
	return func(status int, errs map[string]string) {
		p := s.contactFormPage(w, r, id, f)
		p.Errors = errs
		s.render(w, r, status, p)
	}
}

// contactNew handles GET /compte/correspondants/nouveau: "Ajouter un correspondant".
func (s *Server) contactNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, s.contactFormPage(w, r, 0, contactForm{}))
}

// contactCreate handles POST /compte/correspondants.
func (s *Server) contactCreate(w http.ResponseWriter, r *http.Request) {
	f, c := checkContactForm(r)
	if !c.Valid() {
		s.contactRefusal(w, r, 0, f)(http.StatusUnprocessableEntity, c.Errors)
		return
	}
	created, err := s.store.CreateTrainingContact(r.Context(), viewerFrom(r).Collectivity.ID, f.TrainingContact)
	if !s.handled(w, r, err, s.contactRefusal(w, r, 0, f)) {
		return
	}
	s.flash(w, created.FullName()+" est ajouté(e) aux correspondants formation.")
	http.Redirect(w, r, "/compte/correspondants", http.StatusSeeOther)
}

// contactFrom loads the correspondant named by the {id} of the path, in
// the viewer's CT only; it answers 404 itself when there is none.
func (s *Server) contactFrom(w http.ResponseWriter, r *http.Request) (domain.TrainingContact, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return domain.TrainingContact{}, false
	}
	c, err := s.store.GetTrainingContact(r.Context(), viewerFrom(r).Collectivity.ID, id)
	return c, s.handled(w, r, err, nil)
}

// contactEdit handles GET /compte/correspondants/{id}: "Modifier".
func (s *Server) contactEdit(w http.ResponseWriter, r *http.Request) {
	c, ok := s.contactFrom(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, s.contactFormPage(w, r, c.ID, contactFormOf(c)))
}

// contactUpdate handles POST /compte/correspondants/{id}.
func (s *Server) contactUpdate(w http.ResponseWriter, r *http.Request) {
	old, ok := s.contactFrom(w, r)
	if !ok {
		return
	}
	f, c := checkContactForm(r)
	f.ID = old.ID
	if !c.Valid() {
		s.contactRefusal(w, r, old.ID, f)(http.StatusUnprocessableEntity, c.Errors)
		return
	}
	err := s.store.UpdateTrainingContact(r.Context(), viewerFrom(r).Collectivity.ID, f.TrainingContact)
	if !s.handled(w, r, err, s.contactRefusal(w, r, old.ID, f)) {
		return
	}
	s.flash(w, "La fiche du correspondant "+f.FullName()+" est enregistrée.")
	http.Redirect(w, r, "/compte/correspondants", http.StatusSeeOther)
}

type contactDeletePage struct {
	basePage
	Contact domain.TrainingContact
}

// contactDeleteConfirm handles GET /compte/correspondants/{id}/supprimer:
// the confirmation asked before a correspondant is deleted.
func (s *Server) contactDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	c, ok := s.contactFrom(w, r)
	if !ok {
		return
	}
	p := contactDeletePage{basePage: s.base(w, r, "Supprimer un correspondant"), Contact: c}
	p.Nav = "compte"
	s.render(w, r, http.StatusOK, p)
}

// contactDelete handles POST /compte/correspondants/{id}/supprimer.
func (s *Server) contactDelete(w http.ResponseWriter, r *http.Request) {
	c, ok := s.contactFrom(w, r)
	if !ok {
		return
	}
	err := s.store.DeleteTrainingContact(r.Context(), viewerFrom(r).Collectivity.ID, c.ID)
	if !s.handled(w, r, err, nil) {
		return
	}
	s.flash(w, c.FullName()+" ne fait plus partie des correspondants formation.")
	http.Redirect(w, r, "/compte/correspondants", http.StatusSeeOther)
}
