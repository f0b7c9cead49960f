// Package spreadsheet reads and writes the CSV files a French spreadsheet
// opens and saves: UTF-8 or Windows-1252, ";" between cells, a header
// line naming the columns, and cells that would start a formula written
// with an apostrophe before them. Reading checks the whole file and says
// what is wrong with each line, in French; what a line means is the
// caller's (agentcsv, sessioncsv).
package spreadsheet

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"iel/internal/domain"
)

// MaxBytes bounds a file read, announced on the import pages.
const MaxBytes = 2 << 20 // 2 Mo

// MaxProblems bounds the problems a report lists; the lines beyond are
// counted, not described.
const MaxProblems = 1000

// The encodings a file is read in.
const (
	UTF8        = "UTF-8"
	Windows1252 = "Windows-1252"
)

// Column is a column of a file: its header and the field it holds.
type Column struct {
	Header string
	Field  domain.Field
}

// Columns are a file's columns, in their order.
type Columns []Column

// Header is the header of the column of f; "" for a field no column has.
func (cs Columns) Header(f domain.Field) string {
	for _, c := range cs {
		if c.Field == f {
			return c.Header
		}
	}
	return ""
}

// Headers are the headers of the columns, in their order.
func (cs Columns) Headers() []string {
	h := make([]string, len(cs))
	for i, c := range cs {
		h[i] = c.Header
	}
	return h
}

// HeaderLine is the header line as the file must start, for the pages.
func (cs Columns) HeaderLine() string { return strings.Join(cs.Headers(), ";") }

// Problems are errs, the refusals of the values of one line read from
// cells, each with the header and the cell of its field's column.
func (cs Columns) Problems(line int, cells []string, errs []*domain.Error) []Problem {
	var out []Problem
	for _, e := range errs {
		p := Problem{Line: line, Column: cs.Header(e.Field), Message: e.Message}
		for i, c := range cs {
			if c.Field == e.Field {
				p.Value = cells[i]
			}
		}
		out = append(out, p)
	}
	return out
}

// Problem is a reason a file is refused.
type Problem struct {
	Line    int    // the line of the file, 1 for the header; 0 for the file as a whole
	Column  string // the header of the column at fault, when one cell is
	Value   string // that cell, as read
	Message string // a French sentence
}

// Report is what reading a file found.
type Report struct {
	Encoding string // as detected: UTF8 or Windows1252
	// Problems say why the file is refused: none when it is accepted.
	Problems []Problem
	// Unlisted counts the bad lines past the MaxProblems listed.
	Unlisted int
}

// OK reports whether every line of the file is valid.
func (r Report) OK() bool { return len(r.Problems) == 0 }

// BadLines counts the lines of the file that have a problem, listed or not.
func (r Report) BadLines() int {
	n, last := r.Unlisted, -1
	for _, p := range r.Problems {
		if p.Line != last && p.Line > 1 {
			n++
		}
		last = p.Line
	}
	return n
}

// Rows says what a file's lines are, for Read.
type Rows struct {
	Columns Columns
	Max     int    // the lines a file may hold, the header and blank lines aside
	TooMany string // the refusal of a file of more lines
	None    string // the refusal of a file of its header only
	// Row reads the cells of the line numbered line, one per column,
	// trimmed of trailing empty cells and their apostrophes taken off;
	// it returns the problems of that line, none when it is accepted.
	Row func(line int, cells []string) []Problem
}

// Read reads a file of rows. Either every line is accepted by rows.Row,
// or the file is refused and the report says why: its size, its
// encoding, its header, or each bad line with its number and reason.
func Read(data []byte, rows Rows) Report {
	var res Report
	if len(data) > MaxBytes {
		return res.refuse(0, "Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers.")
	}
	text, enc, problem := decode(data)
	res.Encoding = enc
	if problem != nil {
		res.Problems = []Problem{*problem}
		return res
	}
	if strings.TrimSpace(text) == "" {
		return res.refuse(0, "Le fichier est vide.")
	}
	if !strings.Contains(text, "\n") {
		// Line breaks of old Macs: a lone CR.
		text = strings.ReplaceAll(text, "\r", "\n")
	}

	r := csv.NewReader(strings.NewReader(text))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return res.refuse(1, "La ligne d'en-tête est illisible : "+csvReason(err))
	}
	if res.Problems = rows.Columns.check(header); len(res.Problems) > 0 {
		return res
	}

	lines, accepted, last := 0, 0, 0 // the lines read and accepted, the line of the last problem
	for {
		record, err := r.Read()
		if err == io.EOF {
			break
		}
		var perr *csv.ParseError
		if err != nil && !errors.As(err, &perr) {
			return res.refuse(0, "Le fichier est illisible.")
		}
		if err == nil && blank(record) {
			continue
		}
		if lines++; lines > rows.Max {
			return res.refuse(0, rows.TooMany)
		}
		if perr != nil {
			res.problem(Problem{Line: perr.StartLine, Message: "La ligne est illisible : " + csvReason(err)}, &last)
			continue
		}
		line, _ := r.FieldPos(0)
		problems := rows.Columns.cells(record, line)
		if problems == nil {
			problems = rows.Row(line, record)
		}
		for _, p := range problems {
			res.problem(p, &last)
		}
		if len(problems) == 0 {
			accepted++
		}
	}
	if res.OK() && accepted == 0 {
		return res.refuse(0, rows.None)
	}
	return res
}

// refuse refuses the whole file for one reason.
func (res Report) refuse(line int, msg string) Report {
	return Report{Encoding: res.Encoding, Problems: []Problem{{Line: line, Message: msg}}}
}

// problem lists p, or counts its line once MaxProblems are listed; last
// is the line of the problem before.
func (res *Report) problem(p Problem, last *int) {
	newLine := p.Line != *last
	*last = p.Line
	if len(res.Problems) < MaxProblems {
		res.Problems = append(res.Problems, p)
	} else if newLine {
		res.Unlisted++
	}
}

func blank(record []string) bool {
	for _, c := range record {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// cells makes record one cell per column, its apostrophes taken off, in
// place; it refuses a line of another count of cells.
func (cs Columns) cells(record []string, line int) []Problem {
	// A spreadsheet leaves empty cells after the last column at times.
	for len(record) > len(cs) && strings.TrimSpace(record[len(record)-1]) == "" {
		record = record[:len(record)-1]
	}
	if len(record) != len(cs) {
		return []Problem{{Line: line, Message: "La ligne compte " + strconv.Itoa(len(record)) + " colonnes au lieu de " +
			strconv.Itoa(len(cs)) + " : vérifiez les points-virgules."}}
	}
	for i := range record {
		record[i] = unquote(record[i])
	}
	return nil
}

// check compares the header with the columns, case, accents and spaces aside.
func (cs Columns) check(header []string) []Problem {
	if len(header) == 1 {
		switch {
		case strings.Contains(header[0], ","):
			return []Problem{{Line: 1, Message: "Les colonnes doivent être séparées par des points-virgules (;), pas par des virgules : enregistrez le fichier au format « CSV (séparateur : point-virgule) »."}}
		case strings.Contains(header[0], "\t"):
			return []Problem{{Line: 1, Message: "Les colonnes doivent être séparées par des points-virgules (;), pas par des tabulations : enregistrez le fichier au format « CSV (séparateur : point-virgule) »."}}
		}
	}
	for len(header) > len(cs) && strings.TrimSpace(header[len(header)-1]) == "" {
		header = header[:len(header)-1]
	}
	want := map[string]string{}
	for _, c := range cs {
		want[domain.SearchFold(c.Header)] = c.Header
	}
	var out []Problem
	got := map[string]bool{}
	for i, h := range header {
		k := domain.SearchFold(h)
		switch {
		case k == "":
			out = append(out, Problem{Line: 1, Message: "La colonne " + strconv.Itoa(i+1) + " n'a pas de nom : supprimez-la."})
		case got[k]:
			out = append(out, Problem{Line: 1, Message: "Colonne en double : « " + strings.TrimSpace(h) + " »."})
		case want[k] == "":
			out = append(out, Problem{Line: 1, Message: "Colonne en trop : « " + strings.TrimSpace(h) + " » ; supprimez-la."})
		}
		got[k] = true
	}
	for _, c := range cs {
		if !got[domain.SearchFold(c.Header)] {
			out = append(out, Problem{Line: 1, Message: "Colonne manquante : « " + c.Header + " »."})
		}
	}
	if len(out) == 0 {
		for i, c := range cs {
			if domain.SearchFold(header[i]) != domain.SearchFold(c.Header) {
				return []Problem{{Line: 1, Message: "Les colonnes ne sont pas dans l'ordre attendu : " + strings.ReplaceAll(cs.HeaderLine(), ";", " ; ") + "."}}
			}
		}
	}
	return out
}

// csvReason is the French reason of a CSV syntax error.
func csvReason(err error) string {
	switch {
	case errors.Is(err, io.EOF):
		return "le fichier est vide."
	case errors.Is(err, csv.ErrBareQuote):
		return "un guillemet (\") se trouve au milieu d'une valeur ; doublez-le, ou entourez toute la valeur de guillemets."
	case errors.Is(err, csv.ErrQuote):
		return "un guillemet (\") ouvert n'est pas refermé."
	}
	return "sa syntaxe CSV est incorrecte."
}

// decode detects the encoding of data and returns its text: UTF-8 when
// data is valid UTF-8 (a BOM dropped), else Windows-1252. It refuses
// UTF-16, NUL characters, a mix of UTF-8 and another encoding, and bytes
// that are not Windows-1252.
func decode(data []byte) (string, string, *Problem) {
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return "", "", &Problem{Message: "Le fichier est encodé en UTF-16 (« texte Unicode ») : enregistrez-le au format « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »."}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return "", "", &Problem{Line: lineAt(data, i), Message: "Le fichier contient des caractères nuls : ce n'est pas un fichier CSV en UTF-8 ou Windows-1252. Enregistrez-le au format « CSV UTF-8 »."}
	}
	if utf8.Valid(data) {
		return string(bytes.TrimPrefix(data, []byte("\ufeff"))), UTF8, nil
	}
	if utf8French(data) {
		return "", "", &Problem{Line: lineAt(data, firstInvalid(data)), Message: "Le fichier mélange deux encodages : des caractères en UTF-8 et d'autres non. Enregistrez-le de nouveau au format « CSV UTF-8 »."}
	}
	text, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", &Problem{Message: "Le fichier est illisible : enregistrez-le au format « CSV UTF-8 »."}
	}
	// The five bytes Windows-1252 leaves undefined decode as U+FFFD.
	if i := bytes.Index(text, []byte("\ufffd")); i >= 0 {
		return "", "", &Problem{Line: lineAt(text, i), Message: "Le fichier n'est ni en UTF-8 ni en Windows-1252 : enregistrez-le au format « CSV UTF-8 »."}
	}
	return string(text), Windows1252, nil
}

// utf8French reports whether data holds the UTF-8 sequence of a
// character French text holds (accented letters, œ, typographic quotes,
// €). Read as Windows-1252 such a sequence is mojibake ("Ã©" for "é"),
// never a name: data that holds one but is not valid UTF-8 mixes two
// encodings.
func utf8French(data []byte) bool {
	for i := 0; i < len(data); i++ {
		if data[i] < 0xc2 {
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if n < 2 {
			continue
		}
		if (r >= 0xc0 && r <= 0xff) || r == 'œ' || r == 'Œ' || (r >= 0x2010 && r <= 0x20ac) {
			return true
		}
		i += n - 1
	}
	return false
}

// firstInvalid is the offset of the first byte of data that is not UTF-8.
func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// lineAt is the line of the offset i of data, from 1.
func lineAt(data []byte, i int) int { return bytes.Count(data[:i], []byte("\n")) + 1 }

// formula are the first characters that make a spreadsheet read a cell
// as a formula (or hide what follows).
const formula = "=+-@\t\r"

// quoted reports whether s needs an apostrophe before it to be read as
// text: it starts as a formula, or with an apostrophe that unquote would
// take for one.
func quoted(s string) bool {
	return s != "" && (strings.IndexByte(formula, s[0]) >= 0 || (s[0] == '\'' && quoted(s[1:])))
}

// Text is s as a cell a spreadsheet reads as text: a cell that would
// start a formula gets the apostrophe spreadsheets take for "text",
// which Read takes off again.
func Text(s string) string {
	if quoted(s) {
		return "'" + s
	}
	return s
}

// unquote undoes Text.
func unquote(s string) string {
	if strings.HasPrefix(s, "'") && quoted(s[1:]) {
		return s[1:]
	}
	return s
}

// Writer writes a file that a spreadsheet opens as is and Read reads
// back: UTF-8 with a BOM (Excel reads the accents right), ";" between
// cells, lines ended by CR LF, the header line first. Cells are written
// as given: text from people goes through Text.
type Writer struct {
	bw *bufio.Writer
	cw *csv.Writer
}

// NewWriter starts a file on w with its header line.
func NewWriter(w io.Writer, header []string) *Writer {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = ';', true
	cw.Write(header)
	return &Writer{bw: bw, cw: cw}
}

// Write writes a line of cells; Flush says whether it failed.
func (w *Writer) Write(cells ...string) { w.cw.Write(cells) }

// Flush ends the file, with the first error of writing it.
func (w *Writer) Flush() error {
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return err
	}
	return w.bw.Flush()
}
