// Package agentcsv reads and writes the agents of a CT as a CSV file, as
// a French spreadsheet opens and saves one (package spreadsheet: ";",
// a header line, UTF-8 or Windows-1252). Reading checks the whole file
// and says what is wrong with each line; it knows nothing of the database.
package agentcsv

import (
	"io"
	"strconv"
	"time"

	"iel/internal/domain"
	"iel/internal/spreadsheet"
)

// MaxAgents bounds the lines of agents of a file, the header aside,
// announced on the import page.
const MaxAgents = 5000

// Columns are the file's columns, in their order: the list's export
// writes them and the import expects them.
var Columns = spreadsheet.Columns{
	{Header: "Civilité", Field: domain.FieldCivility},
	{Header: "Nom", Field: domain.FieldLastName},
	{Header: "Prénom", Field: domain.FieldFirstName},
	{Header: "Date de naissance", Field: domain.FieldBirthDate},
	{Header: "Courriel", Field: domain.FieldEmail},
	{Header: "Catégorie", Field: domain.FieldCategory},
	{Header: "Statut", Field: domain.FieldStatus},
	{Header: "Grade", Field: domain.FieldGrade},
	{Header: "Date de nomination", Field: domain.FieldAppointedOn},
}

// Result is a file as read.
type Result struct {
	spreadsheet.Report
	// Agents are the file's agents in its order, checked, and Lines the
	// line of each; both are empty when the file is refused.
	Agents []domain.Agent
	Lines  []int
}

// Parse reads a file of agents sent on day today (in Paris). Either every
// line is a valid agent and Result.Agents holds them all, or the file is
// refused and Result.Problems says why: its size, its encoding, its
// header, or each bad line with its number and reason, two lines of the
// same agent (nom, prénom, date de naissance) included.
func Parse(data []byte, today time.Time) Result {
	var res Result
	seen := map[string]int{} // identity → line
	res.Report = spreadsheet.Read(data, spreadsheet.Rows{
		Columns: Columns,
		Max:     MaxAgents,
		TooMany: "Le fichier compte plus de 5 000 agents : découpez-le en plusieurs fichiers.",
		None:    "Le fichier ne contient aucun agent : seulement sa ligne d'en-tête.",
		Row: func(line int, cells []string) []spreadsheet.Problem {
			in := domain.AgentInput{Civility: cells[0], LastName: cells[1], FirstName: cells[2], BirthDate: cells[3], Email: cells[4],
				Category: cells[5], Status: cells[6], Grade: cells[7], AppointedOn: cells[8]}
			a, errs := domain.ParseAgent(in, today)
			if len(errs) > 0 {
				return Columns.Problems(line, cells, errs)
			}
			key := domain.AgentIdentity(a)
			if first, dup := seen[key]; dup {
				return []spreadsheet.Problem{{Line: line, Message: "Même agent que la ligne " + strconv.Itoa(first) + " (même nom, même prénom et même date de naissance) : gardez une seule ligne par agent."}}
			}
			seen[key] = line
			res.Agents = append(res.Agents, a)
			res.Lines = append(res.Lines, line)
			return nil
		},
	})
	if !res.OK() {
		res.Agents, res.Lines = nil, nil
	}
	return res
}

// Write writes agents as a file that Parse reads back and a spreadsheet
// opens as is (spreadsheet.Writer), every cell that would start a
// formula neutralized by an apostrophe.
func Write(w io.Writer, agents []domain.Agent) error {
	sw := spreadsheet.NewWriter(w, Columns.Headers())
	for _, a := range agents {
		sw.Write(
			domain.CivilityLabel(a.Civility),
			spreadsheet.Text(a.LastName),
			spreadsheet.Text(a.FirstName),
			domain.FormatDay(a.BirthDate),
			spreadsheet.Text(a.Email),
			string(a.Category),
			a.Status.Label(),
			spreadsheet.Text(a.Grade),
			domain.FormatDay(a.AppointedOn),
		)
	}
	return sw.Flush()
}
