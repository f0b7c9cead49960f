package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"iel/internal/domain"
	"iel/internal/spreadsheet"
	"iel/internal/store"
)

// The "Bilan formation": per year and per type of training, the
// registrations of a CT (or of every CT, for staff), as a table, a chart
// drawn on the server, and a CSV file.

// bilanLine is one line of the bilan: a type of training, or the total.
type bilanLine struct {
	Label string
	store.BilanRow
}

// Rate is the "taux de présence" as the page shows it, "66,7 %", or a
// dash when no attendance was recorded.
func (l bilanLine) Rate() string {
	if l.Present+l.Absent == 0 {
		return "—"
	}
	return strings.Replace(strconv.FormatFloat(100*l.AttendanceRate(), 'f', 1, 64), ".", ",", 1) + "\u00a0%"
}

// bilanData is the bilan of one CT, or of every CT, for one year.
type bilanData struct {
	Year  int
	Years []int // the years with registrations, and this year, newest first
	Lines []bilanLine
	Total bilanLine
}

// Empty reports whether the year has no registration at all.
func (d bilanData) Empty() bool { return d.Total.Registrations == 0 }

type bilanPage struct {
	basePage
	bilanData
	Staff bool
	Base  string              // the page's path; its export is Base+"/export"
	CT    domain.Collectivity // the CT of the bilan; zero for every CT (staff)
	CTs   []domain.Collectivity
}

// query is the page's filters as a query string, "" when none.
func (p bilanPage) query() string {
	q := url.Values{}
	if p.CT.ID != 0 && p.Staff {
		q.Set("collectivite", strconv.FormatInt(p.CT.ID, 10))
	}
	q.Set("annee", strconv.Itoa(p.Year))
	return "?" + q.Encode()
}

// ExportURL is "Exporter (CSV)" of the bilan shown.
func (p bilanPage) ExportURL() string { return p.Base + "/export" + p.query() }

// Scope names whose registrations the bilan counts.
func (p bilanPage) Scope() string {
	if p.CT.ID == 0 {
		return "Toutes les collectivités"
	}
	return p.CT.Name
}

// Back is staff's way back to the CT's page; "" otherwise.
func (p bilanPage) Back() string {
	if !p.Staff || p.CT.ID == 0 {
		return ""
	}
	return collectivityURL(p.CT.ID)
}

// loadBilan reads the bilan of the CT ctID (0: every CT) for the year the
// query's "annee" names, this year when it names none.
func (s *Server) loadBilan(r *http.Request, ctID int64) (bilanData, error) {
	types, err := s.store.ListTrainingTypes(r.Context())
	if err != nil {
		return bilanData{}, err
	}
	rows, err := s.store.Bilan(r.Context(), store.BilanFilter{CT: ctID})
	if err != nil {
		return bilanData{}, err
	}
	d := bilanData{Year: s.today().Year()}
	if y, err := strconv.Atoi(r.URL.Query().Get("annee")); err == nil && y >= 2000 && y <= 2100 {
		d.Year = y
	}
	d.Years = []int{d.Year, s.today().Year()}
	for _, row := range rows {
		d.Years = append(d.Years, row.Year)
	}
	slices.Sort(d.Years)
	d.Years = slices.Compact(d.Years)
	slices.Reverse(d.Years)
	d.Total = bilanLine{Label: "Total", BilanRow: store.BilanRow{Year: d.Year}}
	for _, t := range types {
		l := bilanLine{Label: t.Label, BilanRow: store.BilanRow{Year: d.Year, Type: t.Type}}
		for _, row := range rows {
			if row.Year == d.Year && row.Type == t.Type {
				l.BilanRow = row
			}
		}
		d.Lines = append(d.Lines, l)
		d.Total.Registrations += l.Registrations
		d.Total.Accepted += l.Accepted
		d.Total.Refused += l.Refused
		d.Total.Present += l.Present
		d.Total.Absent += l.Absent
		d.Total.Days += l.Days
	}
	return d, nil
}

// bilanShow handles GET /formations/bilan: the CT's own bilan.
func (s *Server) bilanShow(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	d, err := s.loadBilan(r, v.Collectivity.ID)
	if !s.handled(w, r, err, nil) {
		return
	}
	p := bilanPage{basePage: s.base(w, r, "Bilan formation"), bilanData: d, Base: "/formations/bilan", CT: v.Collectivity}
	p.Nav = "formations"
	s.render(w, r, http.StatusOK, p)
}

// bilanExport handles GET /formations/bilan/export: the CT's bilan of the
// year as a CSV file.
func (s *Server) bilanExport(w http.ResponseWriter, r *http.Request) {
	d, err := s.loadBilan(r, viewerFrom(r).Collectivity.ID)
	if !s.handled(w, r, err, nil) {
		return
	}
	s.writeBilanCSV(w, r, d, "bilan-formation-"+strconv.Itoa(d.Year)+".csv")
}

// staffBilanCT is the CT the query's "collectivite" chooses; zero for
// every CT. An id that names no CT answers 404.
func (s *Server) staffBilanCT(w http.ResponseWriter, r *http.Request) (domain.Collectivity, bool) {
	raw := r.URL.Query().Get("collectivite")
	if raw == "" || raw == "0" {
		return domain.Collectivity{}, true
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		s.notFound(w, r)
		return domain.Collectivity{}, false
	}
	ct, err := s.store.GetCollectivity(r.Context(), id)
	return ct, s.handled(w, r, err, nil)
}

// staffBilanShow handles GET /cnfpt/bilan: the bilan of every CT
// together, or of the one chosen.
func (s *Server) staffBilanShow(w http.ResponseWriter, r *http.Request) {
	ct, ok := s.staffBilanCT(w, r)
	if !ok {
		return
	}
	d, err := s.loadBilan(r, ct.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	cts, err := s.store.ListBilanCollectivities(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if ct.ID != 0 && !slices.ContainsFunc(cts, func(c domain.Collectivity) bool { return c.ID == ct.ID }) {
		cts = append(cts, ct) // chosen from its page, before any registration
	}
	c := collate.New(language.French, collate.IgnoreCase)
	slices.SortStableFunc(cts, func(a, b domain.Collectivity) int { return c.CompareString(a.Name, b.Name) })
	p := bilanPage{basePage: s.base(w, r, "Bilan formation"), bilanData: d, Staff: true, Base: "/cnfpt/bilan", CT: ct, CTs: cts}
	p.Nav = "cnfpt"
	if ct.ID != 0 {
		p.Nav = "collectivites"
	}
	s.render(w, r, http.StatusOK, p)
}

// staffBilanExport handles GET /cnfpt/bilan/export: the bilan shown at
// /cnfpt/bilan as a CSV file.
func (s *Server) staffBilanExport(w http.ResponseWriter, r *http.Request) {
	ct, ok := s.staffBilanCT(w, r)
	if !ok {
		return
	}
	d, err := s.loadBilan(r, ct.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	scope := "toutes-collectivites"
	if ct.ID != 0 {
		scope = "collectivite-" + strconv.FormatInt(ct.ID, 10)
	}
	s.writeBilanCSV(w, r, d, "bilan-formation-"+strconv.Itoa(d.Year)+"-"+scope+".csv")
}

// bilanColumns are the header of the bilan's CSV file.
var bilanColumns = []string{"Année", "Type de formation", "Inscriptions", "Acceptées", "Refusées", "Présents", "Absents", "Taux de présence", "Jours de formation"}

// writeBilanCSV sends d as the agents' export is sent (spreadsheet.Writer),
// no cell a spreadsheet would read as a formula.
func (s *Server) writeBilanCSV(w http.ResponseWriter, r *http.Request, d bilanData, name string) {
	var buf bytes.Buffer
	sw := spreadsheet.NewWriter(&buf, bilanColumns)
	for _, l := range append(slices.Clip(d.Lines), d.Total) {
		rate := ""
		if l.Present+l.Absent > 0 {
			rate = l.Rate()
		}
		sw.Write(strconv.Itoa(d.Year), spreadsheet.Text(l.Label), strconv.Itoa(l.Registrations), strconv.Itoa(l.Accepted),
			strconv.Itoa(l.Refused), strconv.Itoa(l.Present), strconv.Itoa(l.Absent), rate, strconv.Itoa(l.Days))
	}
	if err := sw.Flush(); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	buf.WriteTo(w)
}

// BilanURL is the CT's "Bilan formation" for staff, from the CT's page.
func (p staffCTPage) BilanURL() string {
	return "/cnfpt/bilan?collectivite=" + strconv.FormatInt(p.Collectivity.ID, 10)
}
