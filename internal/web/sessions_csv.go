package web

import (
	"errors"
	"net/http"
	"strings"

	"iel/internal/domain"
	"iel/internal/sessioncsv"
	"iel/internal/store"
)

// "Importer des sessions (CSV)", in two steps as the agents' import: the
// file is read and checked whole, then its preview says what it creates
// and updates (sessions are matched on their Code), and "Confirmer
// l'import" applies it, all or nothing, once.

const sessionImportPath = sessionsPath + "/import"

// sessionImportURL is the preview of the import id, where it is confirmed.
func sessionImportURL(id string) string { return sessionImportPath + "/" + id + "/apercu" }

type sessionImportPage struct {
	basePage
	HeaderLine string
	Types      trainingTypes
	Report     sessioncsv.Result // a refused file's problems
	FileName   string
}

// TypeNames are the types a file may name, codes and labels.
func (p sessionImportPage) TypeNames() string {
	var out []string
	for _, t := range p.Types.Rows {
		out = append(out, "« "+t.Label+" » (ou "+string(t.Type)+")")
	}
	return strings.Join(out, ", ")
}

func (s *Server) sessionImportPage(w http.ResponseWriter, r *http.Request) (sessionImportPage, bool) {
	types, err := s.trainingTypes(r.Context())
	if !s.handled(w, r, err, nil) {
		return sessionImportPage{}, false
	}
	p := sessionImportPage{basePage: s.base(w, r, "Importer des sessions (CSV)"), Types: types,
		HeaderLine: strings.ReplaceAll(sessioncsv.Columns.HeaderLine(), ";", " ; ")}
	p.Nav = "sessions"
	p.ErrorOrder = []string{"fichier"}
	return p, true
}

// sessionImportForm handles GET /cnfpt/sessions/import: the file's format
// and bounds, and the form.
func (s *Server) sessionImportForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.sessionImportPage(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, p)
}

// sessionImportUpload handles POST /cnfpt/sessions/import: the file is
// read, checked whole and kept for its preview; a refused file is
// reported line by line, and nothing is kept.
func (s *Server) sessionImportUpload(w http.ResponseWriter, r *http.Request) {
	p, ok := s.sessionImportPage(w, r)
	if !ok {
		return
	}
	refuse := func(status int, msg string) {
		p.Errors = map[string]string{"fichier": msg}
		s.render(w, r, status, p)
	}
	name, data, status, refusal := importFile(w, r)
	if refusal != "" {
		refuse(status, refusal)
		return
	}
	p.FileName = name
	res := sessioncsv.Parse(data, p.Types.Rows)
	if !res.OK() {
		p.Report = res
		refuse(http.StatusUnprocessableEntity, importRefusal(res.Report))
		return
	}
	id, err := s.store.CreateSessionImport(r.Context(), viewerFrom(r).Account.ID,
		store.NewSessionImport{FileName: name, Encoding: res.Encoding, Sessions: res.Sessions})
	if !s.handled(w, r, err, nil) {
		return
	}
	http.Redirect(w, r, sessionImportURL(id), http.StatusSeeOther)
}

type sessionPreviewPage struct {
	basePage
	Types   trainingTypes
	Import  store.SessionImport
	Plan    store.SessionImportPlan
	Expired bool
	Message string // why the import can no longer be confirmed
}

// sessionImportFrom loads the import of the path's {id}, the viewer's
// own, and its plan; it answers 404 itself when there is none.
func (s *Server) sessionImportFrom(w http.ResponseWriter, r *http.Request) (sessionPreviewPage, bool) {
	types, err := s.trainingTypes(r.Context())
	if !s.handled(w, r, err, nil) {
		return sessionPreviewPage{}, false
	}
	imp, plan, err := s.store.GetSessionImport(r.Context(), viewerFrom(r).Account.ID, r.PathValue("id"))
	if !s.handled(w, r, err, nil) {
		return sessionPreviewPage{}, false
	}
	p := sessionPreviewPage{basePage: s.base(w, r, "Vérifier l'import"), Types: types, Import: imp, Plan: plan,
		Expired: !s.store.Now().Before(imp.ExpiresAt)}
	p.Nav = "sessions"
	return p, true
}

// sessionImportPreview handles GET /cnfpt/sessions/import/{id}/apercu:
// what the file will create and update, and "Confirmer l'import".
func (s *Server) sessionImportPreview(w http.ResponseWriter, r *http.Request) {
	p, ok := s.sessionImportFrom(w, r)
	if !ok {
		return
	}
	status, message := previewStatus(p.Import.AppliedAt, p.Expired)
	p.Message = message
	s.render(w, r, status, p)
}

// sessionImportConfirm handles POST /cnfpt/sessions/import/{id}/apercu:
// the file kept at its preview is applied, all or nothing, once. A
// session the file would break (a capacity below its places taken, a
// cancelled session) refuses the whole file, named by its code.
func (s *Server) sessionImportConfirm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.sessionImportFrom(w, r)
	if !ok {
		return
	}
	plan, err := s.store.ApplySessionImport(r.Context(), viewerFrom(r).Account.ID, p.Import.ID, s.letters)
	var derr *domain.Error
	if errors.As(err, &derr) {
		// Confirmed already, too late, or a session it would break: the page says so, nothing changed.
		p.Message = derr.Message
		s.render(w, r, statusOf(derr.Kind), p)
		return
	}
	if !s.handled(w, r, err, nil) {
		return
	}
	s.wake()
	s.flash(w, "Import terminé : "+sessionImportCounts(plan)+".")
	http.Redirect(w, r, sessionsPath, http.StatusSeeOther)
}

// sessionImportCounts is what an import did or will do, in words.
func sessionImportCounts(plan store.SessionImportPlan) string {
	return importCount(len(plan.Created), "session créée", "sessions créées") + ", " + importCount(len(plan.Updated), "session mise à jour", "sessions mises à jour") +
		", " + importCount(plan.Unchanged, "session inchangée", "sessions inchangées")
}
