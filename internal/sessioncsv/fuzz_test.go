package sessioncsv

import (
	"bytes"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
	"iel/internal/spreadsheet"
)

// FuzzParseSessionsCSV: whatever a file holds, Parse answers without
// panicking; an accepted file holds valid sessions, each code once, that
// Write writes and Parse reads back the same; a refused file gives no
// session and says why, in readable text. The seed corpus is in
// testdata/fuzz/FuzzParseSessionsCSV; go test runs it, and
// go test -fuzz FuzzParseSessionsCSV ./internal/sessioncsv explores further.
func FuzzParseSessionsCSV(f *testing.F) {
	f.Add([]byte(header + "\r\n" + line1 + "\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := Parse(data, nil)
		if !res.OK() {
			if len(res.Sessions) != 0 || len(res.Lines) != 0 {
				t.Fatalf("refused with %d sessions", len(res.Sessions))
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
		if len(res.Sessions) == 0 || len(res.Sessions) > MaxSessions || len(res.Lines) != len(res.Sessions) {
			t.Fatalf("%d sessions, %d lines", len(res.Sessions), len(res.Lines))
		}
		seen := map[string]bool{}
		for i, s := range res.Sessions {
			if derr := domain.CheckSession(s); derr != nil {
				t.Fatalf("line %d: accepted session refused by CheckSession: %v", res.Lines[i], derr)
			}
			if seen[s.Code] {
				t.Fatalf("line %d: code %s twice", res.Lines[i], s.Code)
			}
			seen[s.Code] = true
		}
		var b bytes.Buffer
		if err := Write(&b, res.Sessions, func(t domain.TrainingType) string { return string(t) }); err != nil {
			t.Fatal(err)
		}
		back := Parse(b.Bytes(), nil)
		if !back.OK() {
			t.Fatalf("the export of an accepted file is refused: %v", back.Problems)
		}
		if diff := cmp.Diff(res.Sessions, back.Sessions); diff != "" {
			t.Fatalf("round trip (-read +read back):\n%s", diff)
		}
	})
}
