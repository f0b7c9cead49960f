package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	p := agentImportPage{basePage: s.base(w, r, "Importer des agents (CSV)"), HeaderLine: strings.ReplaceAll(agentcsv.HeaderLine(), ";", " ; ")}
	p.Nav = "agents"
	p.ErrorOrder = agentImportFields
	return p
}

// agentImportForm handles GET /agents/import: "Importer des agents (CSV)".
func (s *Server) agentImportForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, s.agentImportPage(w, r))
}

// multipartSlack is what a multipart body may hold beyond its file: the
// boundaries and the part's headers.
const multipartSlack = 64 << 10

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
	r.Body = http.MaxBytesReader(w, r.Body, agentcsv.MaxBytes+multipartSlack)
	name, data, err := uploadedFile(r, "fichier")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || errors.Is(err, errFileTooBig):
		refuse(http.StatusRequestEntityTooLarge, "Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers.")
		return
	case err != nil || (name == "" && len(data) == 0):
		refuse(http.StatusUnprocessableEntity, "Choisissez le fichier CSV à importer.")
		return
	}
	p.FileName = name
	res := agentcsv.Parse(data, s.today())
	if !res.OK() {
		p.Report = res
		refuse(http.StatusUnprocessableEntity, importRefusal(res))
		return
	}
	id, err := s.store.CreateAgentImport(r.Context(), v.Collectivity.ID, v.Account.ID,
		store.NewAgentImport{FileName: name, Encoding: res.Encoding, Agents: res.Agents})
	if !s.handled(w, r, err, nil) {
		return
	}
	http.Redirect(w, r, agentImportURL(id), http.StatusSeeOther)
}

var errFileTooBig = errors.New("web: uploaded file over agentcsv.MaxBytes")

// uploadedFile reads the file of the input field from a multipart form,
// at most agentcsv.MaxBytes of it, and its name, made plain.
func uploadedFile(r *http.Request, field string) (string, []byte, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, err
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return "", nil, nil
		}
		if err != nil {
			return "", nil, err
		}
		if part.FormName() != field {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, agentcsv.MaxBytes+1))
		if err != nil {
			return "", nil, err
		}
		if len(data) > agentcsv.MaxBytes {
			return "", nil, errFileTooBig
		}
		return plainFileName(part.FileName()), data, nil
	}
}

// plainFileName keeps of a file's name what the pages may show: its last
// element, one line of at most 100 characters.
func plainFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || !domain.IsPlainLine(name) {
		return "fichier.csv"
	}
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	return name
}

// importRefusal is the message of a refused file, beside its input.
func importRefusal(res agentcsv.Result) string {
	if len(res.Problems) == 1 && res.Problems[0].Line == 0 {
		return res.Problems[0].Message
	}
	if res.Problems[0].Line == 1 && res.BadLines() == 0 {
		return "Le fichier n'a pas été importé : sa ligne d'en-tête ne donne pas les colonnes attendues (détail ci-dessous). Rien n'a été enregistré."
	}
	n := res.BadLines()
	lines := strconv.Itoa(n) + " lignes sont en erreur"
	if n == 1 {
		lines = "1 ligne est en erreur"
	}
	return "Le fichier n'a pas été importé : " + lines + " (détail ci-dessous). Corrigez-les, puis importez de nouveau le fichier ; rien n'a été enregistré."
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
	status := http.StatusOK
	if p.Import.AppliedAt.IsZero() && p.Expired {
		status, p.Message = http.StatusGone, store.ErrImportExpired.Message
	}
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
	s.flash(w, "Import terminé : "+importCounts(plan)+".")
	http.Redirect(w, r, "/agents", http.StatusSeeOther)
}

// importCounts is what an import did or will do, in words.
func importCounts(plan store.AgentImportPlan) string {
	count := func(n int, one, many string) string {
		if n > 1 {
			return frenchNumber(n) + " " + many
		}
		return frenchNumber(n) + " " + one
	}
	return count(len(plan.Created), "agent créé", "agents créés") + ", " + count(len(plan.Updated), "agent mis à jour", "agents mis à jour") +
		", " + count(plan.Unchanged, "agent inchangé", "agents inchangés")
}

// changedColumns names the columns an update changes: "Grade, Date de nomination".
func changedColumns(fields []domain.Field) string {
	var names []string
	for _, f := range fields {
		names = append(names, agentcsv.Header(f))
	}
	return strings.Join(names, ", ")
}
