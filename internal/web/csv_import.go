package web

import (
	"errors"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"iel/internal/domain"
	"iel/internal/spreadsheet"
	"iel/internal/store"
)

// What the CSV imports (agents, sessions) share: the file sent, the
// message of a refused file, the preview's state and words.

// multipartSlack is what a multipart body may hold beyond its file: the
// boundaries and the part's headers.
const multipartSlack = 64 << 10

// importFile reads the file sent in the input "fichier" of an import's
// form. When there is none, or it is over spreadsheet.MaxBytes, it
// returns the status and the message to show beside the input instead.
func importFile(w http.ResponseWriter, r *http.Request) (name string, data []byte, status int, refusal string) {
	r.Body = http.MaxBytesReader(w, r.Body, spreadsheet.MaxBytes+multipartSlack)
	name, data, err := uploadedFile(r, "fichier")
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || errors.Is(err, errFileTooBig):
		return "", nil, http.StatusRequestEntityTooLarge, "Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers."
	case err != nil || (name == "" && len(data) == 0):
		return "", nil, http.StatusUnprocessableEntity, "Choisissez le fichier CSV à importer."
	}
	return name, data, 0, ""
}

var errFileTooBig = errors.New("web: uploaded file over spreadsheet.MaxBytes")

// uploadedFile reads the file of the input field from a multipart form,
// at most spreadsheet.MaxBytes of it, and its name, made plain.
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
		data, err := io.ReadAll(io.LimitReader(part, spreadsheet.MaxBytes+1))
		if err != nil {
			return "", nil, err
		}
		if len(data) > spreadsheet.MaxBytes {
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
func importRefusal(res spreadsheet.Report) string {
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

// hasLineProblems reports whether a refused file has problems of its
// lines, for the report's table (a problem of the whole file is the
// message beside the input).
func hasLineProblems(res spreadsheet.Report) bool {
	for _, p := range res.Problems {
		if p.Line > 0 {
			return true
		}
	}
	return false
}

// previewStatus is the status of an import's preview, and why it can no
// longer be confirmed: expired before it was applied.
func previewStatus(appliedAt time.Time, expired bool) (int, string) {
	if appliedAt.IsZero() && expired {
		return http.StatusGone, store.ErrImportExpired.Message
	}
	return http.StatusOK, ""
}

// importCount is n of what an import did or will do, in words: "1 agent
// créé", "2 agents créés".
func importCount(n int, one, many string) string {
	if n > 1 {
		return frenchNumber(n) + " " + many
	}
	return frenchNumber(n) + " " + one
}

// changedColumns names the columns an update changes: "Grade, Date de nomination".
func changedColumns(columns spreadsheet.Columns, fields []domain.Field) string {
	var names []string
	for _, f := range fields {
		names = append(names, columns.Header(f))
	}
	return strings.Join(names, ", ")
}
