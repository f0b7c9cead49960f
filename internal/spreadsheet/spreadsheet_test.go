package spreadsheet

import (
	"strings"
	"testing"
)

// TestText: a cell Text writes never starts a formula, and Read's unquote
// gives back what was written.
func TestText(t *testing.T) {
	for _, s := range []string{"", "=", "'", "''", "'=", "''=", "'''=x", "=x", "+", "-", "@", "\t", "\r", "a=b", "'t", "’=x"} {
		if got := unquote(Text(s)); got != s {
			t.Errorf("unquote(Text(%q)) = %q", s, got)
		}
		if n := Text(s); n != "" && strings.IndexByte(formula, n[0]) >= 0 {
			t.Errorf("Text(%q) = %q starts a formula", s, n)
		}
	}
	tests := []struct{ in, want string }{
		{"Formation inter", "Formation inter"},
		{"", ""},
		{`=HYPERLINK("http://example.com")`, `'=HYPERLINK("http://example.com")`},
		{"+33 2 41", "'+33 2 41"},
		{"-1", "'-1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcaché", "'\tcaché"},
		{"'=1", "''=1"},
		{"'texte", "'texte"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
