package web

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"time"

	"iel/internal/agentcsv"
	"iel/internal/domain"
	"iel/internal/store"
)

// The agents' CSV files: the export of the list, and the import in two
// steps, the file checked and previewed, then confirmed.

// agentExport handles GET /agents/export: "Exporter (CSV)", the list as
// filtered, every page.
func (s *Server) agentExport(w http.ResponseWriter, r *http.Request) {
	agents, err := s.store.ListAllAgents(r.Context(), viewerFrom(r).Collectivity.ID, agentFilterOf(r))
	if !s.handled(w, r, err, nil) {
		return
	}
	list := make([]domain.Agent, len(agents))
	for i, a := range agents {
		list[i] = a.Agent
	}
	var buf bytes.Buffer
	if err := agentcsv.Write(&buf, list); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="agents-`+s.today().Format(time.DateOnly)+`.csv"`)
	buf.WriteTo(w)
}

// agentImportFields are the inputs of the import form.
var agentImportFields = []string{"fichier"}

type agentImportPage struct {
	basePage
	HeaderLine string
	Report     agentcsv.Result // a refused file's problems
	FileName   string
}

func (s *Server) agentImportPage(w http.ResponseWriter, r *http.Request) agentImportPage {
	p := agentImportPage{basePage: s.base(w, r, "Importer des agents (CSV)"), HeaderLine: strings.ReplaceAll(agentcsv.Columns.HeaderLine(), ";", " ; ")}
	p.Nav = "agents"
	p.ErrorOrder = agentImportFields
	return p
}

// agentImportForm handles GET /agents/import: "Importer des agents (CSV)".
func (s *Server) agentImportForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, s.agentImportPage(w, r))
}

// agentImportUpload handles POST /agents/import: the file is read,
// checked whole, and kept for its preview; a refused file is reported
// line by line, and nothing is kept.
func (s *Server) agentImportUpload(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	p := s.agentImportPage(w, r)
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
	res := agentcsv.Parse(data, s.today())
	if !res.OK() {
		p.Report = res
		refuse(http.StatusUnprocessableEntity, importRefusal(res.Report))
		return
	}
	id, err := s.store.CreateAgentImport(r.Context(), v.Collectivity.ID, v.Account.ID,
		store.NewAgentImport{FileName: name, Encoding: res.Encoding, Agents: res.Agents})
	if !s.handled(w, r, err, nil) {
		return
	}
	http.Redirect(w, r, agentImportURL(id), http.StatusSeeOther)
}

type agentPreviewPage struct {
	basePage
	Import  store.AgentImport
	Plan    store.AgentImportPlan
	Expired bool
	Message string // why the import can no longer be confirmed
}

// agentImportFrom loads the import named by the {id} of the path, of the
// viewer's account in its CT only, and its plan; it answers 404 itself
// when there is none.
func (s *Server) agentImportFrom(w http.ResponseWriter, r *http.Request) (agentPreviewPage, bool) {
	v := viewerFrom(r)
	imp, plan, err := s.store.GetAgentImport(r.Context(), v.Collectivity.ID, v.Account.ID, r.PathValue("id"))
	if !s.handled(w, r, err, nil) {
		return agentPreviewPage{}, false
	}
	p := agentPreviewPage{basePage: s.base(w, r, "Vérifier l'import"), Import: imp, Plan: plan,
		Expired: !s.store.Now().Before(imp.ExpiresAt)}
	p.Nav = "agents"
	return p, true
}

// agentImportURL is the preview of the import id, where it is confirmed.
func agentImportURL(id string) string { return "/agents/import/" + id + "/apercu" }

// agentImportPreview handles GET /agents/import/{id}/apercu: what the file will
// create and update, and "Confirmer l'import".
func (s *Server) agentImportPreview(w http.ResponseWriter, r *http.Request) {
	p, ok := s.agentImportFrom(w, r)
	if !ok {
		return
	}
	status, message := previewStatus(p.Import.AppliedAt, p.Expired)
	p.Message = message
	s.render(w, r, status, p)
}

// agentImportConfirm handles POST /agents/import/{id}/apercu: "Confirmer
// l'import" applies the file kept at its preview, all or nothing, once.
func (s *Server) agentImportConfirm(w http.ResponseWriter, r *http.Request) {
	v := viewerFrom(r)
	p, ok := s.agentImportFrom(w, r)
	if !ok {
		return
	}
	plan, err := s.store.ApplyAgentImport(r.Context(), v.Collectivity.ID, v.Account.ID, p.Import.ID)
	var derr *domain.Error
	if errors.As(err, &derr) && derr.Kind == domain.Gone {
		// Confirmed already, or too late: the page says so, nothing changed.
		p.Message = derr.Message
		s.render(w, r, http.StatusGone, p)
		return
	}
	if !s.handled(w, r, err, nil) {
		return
	}
	s.flash(w, "Import terminé : "+agentImportCounts(plan)+".")
	http.Redirect(w, r, "/agents", http.StatusSeeOther)
}

// agentImportCounts is what an import did or will do, in words.
func agentImportCounts(plan store.AgentImportPlan) string {
	return importCount(len(plan.Created), "agent créé", "agents créés") + ", " + importCount(len(plan.Updated), "agent mis à jour", "agents mis à jour") +
		", " + importCount(plan.Unchanged, "agent inchangé", "agents inchangés")
}
