// Package sessioncsv reads and writes sessions de formation as a CSV
// file, as a French spreadsheet opens and saves one (package
// spreadsheet: ";", a header line, UTF-8 or Windows-1252). Reading
// checks the whole file and says what is wrong with each line; it knows
// nothing of the database.
package sessioncsv

import (
	"io"
	"strconv"

	"iel/internal/domain"
	"iel/internal/spreadsheet"
)

// MaxSessions bounds the lines of sessions of a file, the header aside,
// announced on the import page.
const MaxSessions = 2000

// Columns are the file's columns, in their order.
var Columns = spreadsheet.Columns{
	{Header: "Code", Field: domain.FieldCode},
	{Header: "Intitulé", Field: domain.FieldTitle},
	{Header: "Type de formation", Field: domain.FieldType},
	{Header: "Date de début", Field: domain.FieldStartsOn},
	{Header: "Date de fin", Field: domain.FieldEndsOn},
	{Header: "Horaires", Field: domain.FieldHours},
	{Header: "Lieu", Field: domain.FieldPlace},
	{Header: "Capacité", Field: domain.FieldCapacity},
	{Header: "Date limite d'inscription", Field: domain.FieldDeadline},
	{Header: "Public visé", Field: domain.FieldAudience},
}

// Result is a file as read.
type Result struct {
	spreadsheet.Report
	// Sessions are the file's sessions in its order, checked, and Lines
	// the line of each; both are empty when the file is refused.
	Sessions []domain.Session
	Lines    []int
}

// Parse reads a file of sessions whose types must be among types (the
// rows of the types table; nil: the notice's two), each written as its
// code or its label.
// Either every line is a valid session and Result.Sessions holds them
// all, or the file is refused and Result.Problems says why: its size,
// its encoding, its header, or each bad line with its number and reason,
// two lines of the same code included.
func Parse(data []byte, types []domain.TypeLabel) Result {
	var res Result
	seen := map[string]int{} // code → line
	res.Report = spreadsheet.Read(data, spreadsheet.Rows{
		Columns: Columns,
		Max:     MaxSessions,
		TooMany: "Le fichier compte plus de 2 000 sessions : découpez-le en plusieurs fichiers.",
		None:    "Le fichier ne contient aucune session : seulement sa ligne d'en-tête.",
		Row: func(line int, cells []string) []spreadsheet.Problem {
			in := domain.SessionInput{Code: cells[0], Title: cells[1], Type: cells[2], StartsOn: cells[3], EndsOn: cells[4], Hours: cells[5],
				Place: cells[6], Capacity: cells[7], Deadline: cells[8], Audience: cells[9]}
			s, errs := domain.ParseSession(in, types)
			if len(errs) > 0 {
				return Columns.Problems(line, cells, errs)
			}
			if first, dup := seen[s.Code]; dup {
				return []spreadsheet.Problem{{Line: line, Column: Columns.Header(domain.FieldCode), Value: s.Code,
					Message: "Même code que la ligne " + strconv.Itoa(first) + " : gardez une seule ligne par session."}}
			}
			seen[s.Code] = line
			res.Sessions = append(res.Sessions, s)
			res.Lines = append(res.Lines, line)
			return nil
		},
	})
	if !res.OK() {
		res.Sessions, res.Lines = nil, nil
	}
	return res
}

// Write writes sessions as a file that Parse reads back and a spreadsheet
// opens as is (spreadsheet.Writer), every cell that would start a
// formula neutralized by an apostrophe. label names each type.
func Write(w io.Writer, sessions []domain.Session, label func(domain.TrainingType) string) error {
	sw := spreadsheet.NewWriter(w, Columns.Headers())
	for _, s := range sessions {
		sw.Write(
			spreadsheet.Text(s.Code),
			spreadsheet.Text(s.Title),
			spreadsheet.Text(label(s.Type)),
			domain.FormatDay(s.StartsOn),
			domain.FormatDay(s.EndsOn),
			spreadsheet.Text(s.Hours),
			spreadsheet.Text(s.Place),
			strconv.Itoa(s.Capacity),
			domain.FormatDay(s.Deadline),
			spreadsheet.Text(s.Audience),
		)
	}
	return sw.Flush()
}
