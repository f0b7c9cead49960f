package web_test

import (
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/pages/*.txt from the pages")

// TestPageText pins the text a person reads on every page of the walk, in
// testdata/pages/<name>.txt, with the page's status. A change of wording,
// a lost space ("l'invitationà"), a field that no longer keeps what was
// typed shows in review. Run with -update to rewrite them after an
// intended change.
func TestPageText(t *testing.T) {
	t.Parallel()
	for _, p := range renderedPages(t) {
		t.Run(p.name, func(t *testing.T) {
			got := fmt.Sprintf("status: %d\n%s", p.r.Status, p.text)
			path := filepath.Join("testdata", "pages", p.name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", path, diff)
			}
		})
	}
}

// TestVisibleText: the reading of a page keeps apart what a browser shows
// apart, and together what it shows together.
func TestVisibleText(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, html, want string }{
		{name: "inline elements join", html: `<p>Renvoyer l'invitation<span class="x"> à Émilie</span></p>`, want: "Renvoyer l'invitation à Émilie\n"},
		{name: "a lost space shows", html: `<p>Renvoyer l'invitation<span class="x">à Émilie</span></p>`, want: "Renvoyer l'invitationà Émilie\n"},
		{name: "blocks part", html: `<td>oui</td><td>non</td>`, want: "oui\nnon\n"},
		{name: "whitespace collapses", html: "<p>  Deux\n\t mots  </p>", want: "Deux mots\n"},
		{name: "entities decoded", html: `<p>l&#39;acceptation &amp; le refus</p>`, want: "l'acceptation & le refus\n"},
		{name: "title first", html: `<head><title>Connexion – Inscription en ligne</title><script src="/a.js"></script></head><body><h1>Connexion</h1></body>`,
			want: "title: Connexion – Inscription en ligne\nConnexion\n"},
		{name: "field values", html: `<input type="text" name="nom" value="Durand"><input type="password" name="p"><input type="hidden" name="h" value="secret">`,
			want: "[Durand]\n[]\n"},
		{name: "radios", html: `<input type="radio" value="M"><label>Monsieur</label><input type="radio" value="Mme" checked><label>Madame</label>`,
			want: "( ) Monsieur\n(x) Madame\n"},
		{name: "select", html: `<select><option value="0">Une nouvelle personne</option><option value="3" selected>Sophie Bernard</option></select>`,
			want: "Une nouvelle personne\n(x) Sophie Bernard\n"},
		{name: "textarea", html: `<textarea name="c">Avec plaisir.</textarea>`, want: "[Avec plaisir.]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := visibleText(tt.html); got != tt.want {
				t.Errorf("visibleText(%q) = %q, want %q", tt.html, got, tt.want)
			}
		})
	}
}

var (
	tagPattern   = regexp.MustCompile(`(?s)<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<!--.*?-->|<!(?i:doctype)[^>]*>`)
	attrType     = regexp.MustCompile(`\stype="([^"]*)"`)
	attrValue    = regexp.MustCompile(`\svalue="([^"]*)"`)
	attrChecked  = regexp.MustCompile(`\s(checked|selected)(\s|=|/|$)`)
	headSection  = regexp.MustCompile(`(?s)<head[\s>].*?</head>`)
	titleElement = regexp.MustCompile(`(?s)<title>(.*?)</title>`)
	scriptBlock  = regexp.MustCompile(`(?s)<script[^>]*>.*?</script>`)
)

// inlineTags are the elements a browser lays out within a line: their
// tags part nothing, so the spaces around and inside them are the only
// separators a reader sees. Every other element starts a line.
var inlineTags = map[string]bool{
	"a": true, "span": true, "strong": true, "em": true, "b": true, "i": true, "abbr": true,
	"small": true, "code": true, "label": true, "button": true, "time": true,
}

// br parts the lines of visibleText: a block's edge, not the newlines of
// the source, which are spaces like any other.
const br = "\x1e"

// visibleText is what a person reads on a page: its title, then the
// text of its body, one line per block, whitespace collapsed; a field
// shows its value in brackets, a radio or an option its state.
func visibleText(page string) string {
	var lines []string
	if m := titleElement.FindStringSubmatch(page); m != nil {
		lines = append(lines, "title: "+strings.Join(strings.Fields(html.UnescapeString(m[1])), " "))
	}
	page = headSection.ReplaceAllString(page, "")
	page = scriptBlock.ReplaceAllString(page, "")

	var b strings.Builder
	last := 0
	for _, m := range tagPattern.FindAllStringSubmatchIndex(page, -1) {
		b.WriteString(html.UnescapeString(page[last:m[0]]))
		last = m[1]
		if m[4] < 0 { // a comment or the doctype
			continue
		}
		closing := page[m[2]:m[3]] == "/"
		name := strings.ToLower(page[m[4]:m[5]])
		attrs := page[m[6]:m[7]]
		switch {
		case name == "input" && !closing:
			typ := "text"
			if t := attrType.FindStringSubmatch(attrs); t != nil {
				typ = t[1]
			}
			switch typ {
			case "hidden", "submit":
			case "radio", "checkbox":
				if attrChecked.MatchString(attrs) {
					b.WriteString(br + "(x) ")
				} else {
					b.WriteString(br + "( ) ")
				}
			default:
				v := ""
				if t := attrValue.FindStringSubmatch(attrs); t != nil {
					v = html.UnescapeString(t[1])
				}
				b.WriteString(br + "[" + v + "]" + br)
			}
		case name == "option" && !closing:
			b.WriteString(br)
			if attrChecked.MatchString(attrs) {
				b.WriteString("(x) ")
			}
		case name == "textarea":
			if closing {
				b.WriteString("]" + br)
			} else {
				b.WriteString(br + "[")
			}
		case inlineTags[name]:
		default:
			b.WriteString(br)
		}
	}
	b.WriteString(html.UnescapeString(page[last:]))

	for _, l := range strings.Split(b.String(), br) {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n") + "\n"
}
