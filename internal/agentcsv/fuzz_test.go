package agentcsv

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
	"iel/internal/spreadsheet"
)

// FuzzParseAgentsCSV: whatever a file holds, Parse answers without
// panicking; an accepted file holds valid agents, each once, that the
// export writes and Parse reads back the same; a refused file gives no
// agent and says why, in readable text. The seed corpus is in
// testdata/fuzz/FuzzParseAgentsCSV; go test runs it, and
// go test -fuzz FuzzParseAgentsCSV ./internal/agentcsv explores further.
func FuzzParseAgentsCSV(f *testing.F) {
	f.Add([]byte(header + "\r\nMme;Lefèvre;Léa;17/05/1980;;B;Titulaire;Rédacteur;01/09/2005\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Parse(data, today)
		if !res.OK() {
			if len(res.Agents) != 0 || len(res.Lines) != 0 {
				t.Fatalf("refused with %d agents", len(res.Agents))
			}
			if len(res.Problems) > spreadsheet.MaxProblems {
				t.Fatalf("%d problems listed", len(res.Problems))
			}
			for _, p := range res.Problems {
				if p.Message == "" || !utf8.ValidString(p.Message) || !utf8.ValidString(p.Value) || !utf8.ValidString(p.Column) {
					t.Fatalf("problem %+v", p)
				}
			}
			return
		}
		if res.Encoding != spreadsheet.UTF8 && res.Encoding != spreadsheet.Windows1252 {
			t.Fatalf("encoding %q", res.Encoding)
		}
		if len(res.Agents) == 0 || len(res.Agents) > MaxAgents || len(res.Lines) != len(res.Agents) {
			t.Fatalf("%d agents, %d lines", len(res.Agents), len(res.Lines))
		}
		seen := map[string]bool{}
		for i, a := range res.Agents {
			if derr := domain.CheckAgent(a); derr != nil {
				t.Fatalf("line %d: accepted agent refused by CheckAgent: %v", res.Lines[i], derr)
			}
			if k := domain.AgentIdentity(a); seen[k] {
				t.Fatalf("line %d: agent %s twice", res.Lines[i], k)
			} else {
				seen[k] = true
			}
			if i > 0 && res.Lines[i] <= res.Lines[i-1] {
				t.Fatalf("lines %v out of order", res.Lines)
			}
		}
		var b bytes.Buffer
		if err := Write(&b, res.Agents); err != nil {
			t.Fatal(err)
		}
		back := Parse(b.Bytes(), today)
		if !back.OK() {
			t.Fatalf("the export of an accepted file is refused: %v", back.Problems)
		}
		if diff := cmp.Diff(res.Agents, back.Agents); diff != "" {
			t.Fatalf("round trip (-read +read back):\n%s", diff)
		}
	})
}
