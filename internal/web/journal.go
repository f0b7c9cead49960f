package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"iel/internal/domain"
	"iel/internal/store"
)

// journalPerPage is the length of a page of the journal.
const journalPerPage = 50

type journalPage struct {
	basePage
	Tab          string
	Role         domain.Role // the viewer's: the principal sees the tabs of "Mon compte"; staff do not
	Collectivity string
	Base         string // the page's path: its filters and pages lead there
	Actors       []store.JournalActor
	Kinds        []domain.JournalKind
	Filter       store.JournalFilter
	Before       int64 // the cursor of this page; 0 for the newest entries
	Entries      []domain.JournalEntry
	Next         int64  // the cursor of the older entries; 0 when there are none
	Back         string // staff's way back to the CT's page; "" for the principal
}

// Tabs reports whether the page is a tab of "Mon compte".
func (p journalPage) Tabs() bool { return p.Role == domain.RolePrincipal }

// Filtered reports whether a filter narrows the journal.
func (p journalPage) Filtered() bool { return p.Filter.AccountID != 0 || p.Filter.Kind != "" }

// link is the page's path with the filters and the cursor before.
func (p journalPage) link(before int64) string {
	q := url.Values{}
	if p.Filter.AccountID != 0 {
		q.Set("compte", strconv.FormatInt(p.Filter.AccountID, 10))
	}
	if p.Filter.Kind != "" {
		q.Set("type", string(p.Filter.Kind))
	}
	if before != 0 {
		q.Set("avant", strconv.FormatInt(before, 10))
	}
	if len(q) == 0 {
		return p.Base
	}
	return p.Base + "?" + q.Encode()
}

// OlderLink leads to the older entries; NewestLink back to the newest.
func (p journalPage) OlderLink() string  { return p.link(p.Next) }
func (p journalPage) NewestLink() string { return p.link(0) }

// journalAddr is the "Adresse" column: the client's address, or a dash
// for the command line.
func journalAddr(e domain.JournalEntry) string {
	if e.Actor.Addr == "" {
		return "—"
	}
	return e.Actor.Addr
}

// journalShow handles GET /compte/journal: the principal's "JOURNAL".
func (s *Server) journalShow(w http.ResponseWriter, r *http.Request) {
	s.serveJournal(w, r, viewerFrom(r).Collectivity.ID, "/compte/journal")
}

// serveJournal answers with the journal of the CT ctID, newest first, a
// page of journalPerPage entries, narrowed by the query's "compte" (an
// account id), "type" (a domain.JournalKind) and "avant" (the cursor);
// its links lead to base. The caller checked that the viewer may read
// that CT's journal: the principal its own, the CNFPT's staff any.
// Values a form cannot send are ignored; an account of another CT
// matches nothing, as every query here is scoped by ctID.
// staffCTJournal handles GET /cnfpt/collectivites/{id}/journal: staff read
// any CT's journal.
func (s *Server) staffCTJournal(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r)
	if !ok {
		s.notFound(w, r)
		return
	}
	s.serveJournal(w, r, id, "/cnfpt/collectivites/"+strconv.FormatInt(id, 10)+"/journal")
}

func (s *Server) serveJournal(w http.ResponseWriter, r *http.Request, ctID int64, base string) {
	v := viewerFrom(r)
	ct, err := s.store.GetCollectivity(r.Context(), ctID)
	if !s.handled(w, r, err, nil) {
		return
	}
	p := journalPage{basePage: s.base(w, r, "Journal"), Tab: "journal", Role: v.Account.Role, Collectivity: ct.Name, Base: base,
		Kinds: domain.JournalKinds}
	p.Nav = "compte"
	if v.Account.Role == domain.RoleStaff {
		p.Nav, p.Back = "collectivites", strings.TrimSuffix(base, "/journal")
	}
	q := r.URL.Query()
	if n, err := strconv.ParseInt(q.Get("compte"), 10, 64); err == nil && n > 0 {
		p.Filter.AccountID = n
	}
	if k, ok := domain.ParseJournalKind(q.Get("type")); ok {
		p.Filter.Kind = k
	}
	if n, err := strconv.ParseInt(q.Get("avant"), 10, 64); err == nil && n > 0 {
		p.Before = n
	}
	if p.Actors, err = s.store.JournalActors(r.Context(), ctID); err != nil {
		s.serverError(w, r, err)
		return
	}
	c := collate.New(language.French, collate.IgnoreCase)
	slices.SortStableFunc(p.Actors, func(a, b store.JournalActor) int { return c.CompareString(a.Name, b.Name) })
	page, err := s.store.ListJournal(r.Context(), ctID, p.Filter, p.Before, journalPerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Entries, p.Next = page.Entries, page.Next
	s.render(w, r, http.StatusOK, p)
}
