// Package sessioncsv reads and writes sessions de formation as a CSV file,
// as a French spreadsheet opens and saves one: columns separated by ";", a
// header line, UTF-8 or Windows-1252. Reading checks the whole file and
// says what is wrong with each line; it knows nothing of the database.
// Its reading of encodings and headers is agentcsv's, for the same files
// from the same spreadsheets.
package sessioncsv

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

// The bounds of a file, announced on the import page.
const (
	MaxBytes    = 2 << 20 // 2 Mo
	MaxSessions = 2000    // lines of sessions, the header aside
)

// MaxProblems bounds the problems a report lists; the lines beyond are
// counted, not described.
const MaxProblems = 1000

// Column is a column of the file: its header and the session's field.
type Column struct {
	Header string
	Field  domain.Field
}

// Columns are the file's columns, in their order.
var Columns = []Column{
	{"Code", domain.FieldCode},
	{"Intitulé", domain.FieldTitle},
	{"Type de formation", domain.FieldType},
	{"Date de début", domain.FieldStartsOn},
	{"Date de fin", domain.FieldEndsOn},
	{"Horaires", domain.FieldHours},
	{"Lieu", domain.FieldPlace},
	{"Capacité", domain.FieldCapacity},
	{"Date limite d'inscription", domain.FieldDeadline},
	{"Public visé", domain.FieldAudience},
}

// Header is the header of the column of f; "" for a field no column has.
func Header(f domain.Field) string {
	for _, c := range Columns {
		if c.Field == f {
			return c.Header
		}
	}
	return ""
}

// HeaderLine is the header line as the file must start, for the pages.
func HeaderLine() string {
	h := make([]string, len(Columns))
	for i, c := range Columns {
		h[i] = c.Header
	}
	return strings.Join(h, ";")
}

// The encodings a file is read in.
const (
	UTF8        = "UTF-8"
	Windows1252 = "Windows-1252"
)

// Problem is a reason the file is refused.
type Problem struct {
	Line    int    // the line of the file, 1 for the header; 0 for the file as a whole
	Column  string // the header of the column at fault, when one cell is
	Value   string // that cell, as read
	Message string // a French sentence
}

// Result is a file as read.
type Result struct {
	Encoding string // as detected: UTF8 or Windows1252
	// Sessions are the file's sessions in its order, checked, and Lines
	// the line of each; both are empty when the file is refused.
	Sessions []domain.Session
	Lines    []int
	// Problems say why the file is refused: none when it is accepted.
	Problems []Problem
	// Unlisted counts the bad lines past the MaxProblems listed.
	Unlisted int
}

// OK reports whether every line of the file is valid.
func (r Result) OK() bool { return len(r.Problems) == 0 }

// BadLines counts the lines of the file that have a problem, listed or not.
func (r Result) BadLines() int {
	n, last := r.Unlisted, -1
	for _, p := range r.Problems {
		if p.Line != last && p.Line > 1 {
			n++
		}
		last = p.Line
	}
	return n
}

// Parse reads a file of sessions whose types must be among types (nil:
// domain.TrainingTypes; a type is written as its code or its label).
// Either every line is a valid session and Result.Sessions holds them
// all, or the file is refused and Result.Problems says why: its size,
// its encoding, its header, or each bad line with its number and reason,
// two lines of the same code included.
func Parse(data []byte, types []domain.TrainingType) Result {
	var res Result
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
		text = strings.ReplaceAll(text, "\r", "\n")
	}

	r := csv.NewReader(strings.NewReader(text))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return res.refuse(1, "La ligne d'en-tête est illisible : "+csvReason(err))
	}
	if res.Problems = checkHeader(header); len(res.Problems) > 0 {
		return res
	}

	seen := map[string]int{} // code → line
	lines, last := 0, 0
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
		if lines++; lines > MaxSessions {
			return res.refuse(0, "Le fichier compte plus de 2 000 sessions : découpez-le en plusieurs fichiers.")
		}
		if perr != nil {
			res.problem(Problem{Line: perr.StartLine, Message: "La ligne est illisible : " + csvReason(err)}, &last)
			continue
		}
		line, _ := r.FieldPos(0)
		s, problems := parseLine(record, line, types)
		if len(problems) == 0 {
			if first, dup := seen[s.Code]; dup {
				problems = []Problem{{Line: line, Column: Header(domain.FieldCode), Value: s.Code,
					Message: "Même code que la ligne " + strconv.Itoa(first) + " : gardez une seule ligne par session."}}
			} else {
				seen[s.Code] = line
			}
		}
		if len(problems) > 0 {
			for _, p := range problems {
				res.problem(p, &last)
			}
			continue
		}
		res.Sessions = append(res.Sessions, s)
		res.Lines = append(res.Lines, line)
	}
	if !res.OK() {
		res.Sessions, res.Lines = nil, nil
		return res
	}
	if len(res.Sessions) == 0 {
		return res.refuse(0, "Le fichier ne contient aucune session : seulement sa ligne d'en-tête.")
	}
	return res
}

// parseLine reads the session of one line.
func parseLine(record []string, line int, types []domain.TrainingType) (domain.Session, []Problem) {
	for len(record) > len(Columns) && strings.TrimSpace(record[len(record)-1]) == "" {
		record = record[:len(record)-1]
	}
	if len(record) != len(Columns) {
		return domain.Session{}, []Problem{{Line: line, Message: "La ligne compte " + strconv.Itoa(len(record)) + " colonnes au lieu de " +
			strconv.Itoa(len(Columns)) + " : vérifiez les points-virgules."}}
	}
	for i := range record {
		record[i] = unquote(record[i])
	}
	in := domain.SessionInput{Code: record[0], Title: record[1], Type: record[2], StartsOn: record[3], EndsOn: record[4], Hours: record[5],
		Place: record[6], Capacity: record[7], Deadline: record[8], Audience: record[9]}
	s, errs := domain.ParseSession(in, types)
	var out []Problem
	for _, e := range errs {
		p := Problem{Line: line, Column: Header(e.Field), Message: e.Message}
		for i, c := range Columns {
			if c.Field == e.Field {
				p.Value = record[i]
			}
		}
		out = append(out, p)
	}
	return s, out
}

// Write writes sessions as a file that Parse reads back and a spreadsheet
// opens as is: UTF-8 with a BOM, ";" separated, lines ended by CR LF, the
// header line first, every cell that would start a formula neutralized
// by an apostrophe. label names each type.
func Write(w io.Writer, sessions []domain.Session, label func(domain.TrainingType) string) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = ';', true
	cw.Write(strings.Split(HeaderLine(), ";"))
	for _, s := range sessions {
		cw.Write([]string{
			neutralize(s.Code),
			neutralize(s.Title),
			neutralize(label(s.Type)),
			domain.FormatDay(s.StartsOn),
			domain.FormatDay(s.EndsOn),
			neutralize(s.Hours),
			neutralize(s.Place),
			strconv.Itoa(s.Capacity),
			domain.FormatDay(s.Deadline),
			neutralize(s.Audience),
		})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// refuse refuses the whole file for one reason.
func (res Result) refuse(line int, msg string) Result {
	return Result{Encoding: res.Encoding, Problems: []Problem{{Line: line, Message: msg}}}
}

// problem lists p, or counts its line once MaxProblems are listed; last
// is the line of the problem before.
func (res *Result) problem(p Problem, last *int) {
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

// checkHeader compares the header with Columns, case, accents and spaces aside.
func checkHeader(header []string) []Problem {
	if len(header) == 1 {
		switch {
		case strings.Contains(header[0], ","):
			return []Problem{{Line: 1, Message: "Les colonnes doivent être séparées par des points-virgules (;), pas par des virgules : enregistrez le fichier au format « CSV (séparateur : point-virgule) »."}}
		case strings.Contains(header[0], "\t"):
			return []Problem{{Line: 1, Message: "Les colonnes doivent être séparées par des points-virgules (;), pas par des tabulations : enregistrez le fichier au format « CSV (séparateur : point-virgule) »."}}
		}
	}
	for len(header) > len(Columns) && strings.TrimSpace(header[len(header)-1]) == "" {
		header = header[:len(header)-1]
	}
	want := map[string]string{}
	for _, c := range Columns {
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
	for _, c := range Columns {
		if !got[domain.SearchFold(c.Header)] {
			out = append(out, Problem{Line: 1, Message: "Colonne manquante : « " + c.Header + " »."})
		}
	}
	if len(out) == 0 {
		for i, c := range Columns {
			if domain.SearchFold(header[i]) != domain.SearchFold(c.Header) {
				return []Problem{{Line: 1, Message: "Les colonnes ne sont pas dans l'ordre attendu : " + strings.ReplaceAll(HeaderLine(), ";", " ; ") + "."}}
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

// neutralize makes a cell that would start a formula plain text, with
// the apostrophe spreadsheets take for "text".
func neutralize(s string) string {
	if quoted(s) {
		return "'" + s
	}
	return s
}

// unquote undoes neutralize.
func unquote(s string) string {
	if strings.HasPrefix(s, "'") && quoted(s[1:]) {
		return s[1:]
	}
	return s
}
