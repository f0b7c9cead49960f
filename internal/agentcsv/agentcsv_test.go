package agentcsv

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"

	"iel/internal/domain"
	"iel/internal/spreadsheet"
)

var today = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

const header = "Civilité;Nom;Prénom;Date de naissance;Courriel;Catégorie;Statut;Grade;Date de nomination"

// csvFile is a file of lines ended by CR LF.
func csvFile(lines ...string) []byte { return []byte(strings.Join(lines, "\r\n") + "\r\n") }

// agentLine is a valid line, of an agent of its own for each i.
func agentLine(i int) string {
	return fmt.Sprintf("Mme;Agent%d;Hélène;%02d/%02d/%d;;B;Titulaire;Rédacteur;01/09/2025", i, 1+i%28, 1+i%12, 1960+i%40)
}

// win1252 is s in Windows-1252.
func win1252(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// problemText is a problem as the tests compare it: "line column: message".
func problemText(p spreadsheet.Problem) string {
	s := fmt.Sprint(p.Line)
	if p.Column != "" {
		s += " " + p.Column + " «" + p.Value + "»"
	}
	return s + ": " + p.Message
}

func TestParse(t *testing.T) {
	lea := "Mme;Lefèvre;Léa;17/05/1980;lea.lefevre@cholet.example.fr;B;Titulaire;Rédacteur principal de 2e classe;01/09/2005"
	hugo := "M.;Œuvray;Hugo;1985-02-03;;C;stagiaire;Adjoint technique;2025-09-01"
	tests := []struct {
		name     string
		data     func(t *testing.T) []byte
		encoding string
		agents   int      // when accepted
		problems []string // when refused: each problem, or its start
	}{
		{name: "UTF-8", data: func(*testing.T) []byte { return csvFile(header, lea, hugo) }, encoding: spreadsheet.UTF8, agents: 2},
		{name: "UTF-8 with a BOM", data: func(*testing.T) []byte { return append([]byte("\ufeff"), csvFile(header, lea, hugo)...) }, encoding: spreadsheet.UTF8, agents: 2},
		{name: "Windows-1252", data: func(t *testing.T) []byte { return win1252(t, string(csvFile(header, lea, hugo))) }, encoding: spreadsheet.Windows1252, agents: 2},
		{name: "LF line ends", data: func(*testing.T) []byte { return []byte(header + "\n" + lea + "\n" + hugo) }, encoding: spreadsheet.UTF8, agents: 2},
		{name: "CR line ends", data: func(*testing.T) []byte { return []byte(header + "\r" + lea + "\r" + hugo + "\r") }, encoding: spreadsheet.UTF8, agents: 2},
		{name: "UTF-16", data: func(*testing.T) []byte { return append([]byte{0xff, 0xfe}, utf16(header)...) },
			problems: []string{"0: Le fichier est encodé en UTF-16 (« texte Unicode ») : enregistrez-le au format « CSV UTF-8 » ou « CSV (séparateur : point-virgule) »."}},
		{name: "UTF-16 without BOM", data: func(*testing.T) []byte { return utf16(header) },
			problems: []string{"1: Le fichier contient des caractères nuls"}},
		{name: "a byte Windows-1252 does not define", data: func(t *testing.T) []byte {
			return append(win1252(t, string(csvFile(header, lea))), []byte("Mme;B\x81rard;Anne;01/01/1980;;C;Titulaire;Agent;01/01/2005\r\n")...)
		}, problems: []string{"3: Le fichier n'est ni en UTF-8 ni en Windows-1252 : enregistrez-le au format « CSV UTF-8 »."}},
		{name: "UTF-8 and Windows-1252 mixed", data: func(t *testing.T) []byte {
			return append(csvFile(header, lea), win1252(t, hugo)...)
		}, problems: []string{"3: Le fichier mélange deux encodages : des caractères en UTF-8 et d'autres non. Enregistrez-le de nouveau au format « CSV UTF-8 »."}},
		{name: "empty", data: func(*testing.T) []byte { return nil }, problems: []string{"0: Le fichier est vide."}},
		{name: "blank", data: func(*testing.T) []byte { return []byte("\ufeff \r\n\r\n") }, problems: []string{"0: Le fichier est vide."}},
		{name: "header only", data: func(*testing.T) []byte { return csvFile(header, ";;;;;;;;") },
			problems: []string{"0: Le fichier ne contient aucun agent : seulement sa ligne d'en-tête."}},
		{name: "commas", data: func(*testing.T) []byte {
			return csvFile(strings.ReplaceAll(header, ";", ","), strings.ReplaceAll(lea, ";", ","))
		},
			problems: []string{"1: Les colonnes doivent être séparées par des points-virgules (;), pas par des virgules"}},
		{name: "tabs", data: func(*testing.T) []byte { return csvFile(strings.ReplaceAll(header, ";", "\t")) },
			problems: []string{"1: Les colonnes doivent être séparées par des points-virgules (;), pas par des tabulations"}},
		{name: "a missing column", data: func(*testing.T) []byte {
			return csvFile(strings.Replace(header, ";Grade", "", 1), strings.Replace(hugo, ";Adjoint technique", "", 1))
		}, problems: []string{"1: Colonne manquante : « Grade »."}},
		{name: "an extra column", data: func(*testing.T) []byte { return csvFile(header+";Service", lea+";RH") },
			problems: []string{"1: Colonne en trop : « Service » ; supprimez-la."}},
		{name: "a column without a name", data: func(*testing.T) []byte { return csvFile(strings.Replace(header, "Nom;", "Nom;;", 1), lea) },
			problems: []string{"1: La colonne 3 n'a pas de nom : supprimez-la."}},
		{name: "a column twice", data: func(*testing.T) []byte { return csvFile(strings.Replace(header, "Grade", "Nom", 1), lea) },
			problems: []string{"1: Colonne en double : « Nom ».", "1: Colonne manquante : « Grade »."}},
		{name: "empty columns after the header", data: func(*testing.T) []byte { return csvFile(header+";;", lea+";;", hugo) }, encoding: spreadsheet.UTF8, agents: 2},
		{name: "header case and accents aside", data: func(*testing.T) []byte {
			return csvFile("CIVILITE ; nom;prenom;Date  de naissance;COURRIEL;categorie;STATUT;grade;Date de Nomination", lea)
		}, encoding: spreadsheet.UTF8, agents: 1},
		{name: "columns in another order", data: func(*testing.T) []byte {
			return csvFile("Nom;Civilité;Prénom;Date de naissance;Courriel;Catégorie;Statut;Grade;Date de nomination", lea)
		}, problems: []string{"1: Les colonnes ne sont pas dans l'ordre attendu : Civilité ; Nom ; Prénom ; Date de naissance ; Courriel ; Catégorie ; Statut ; Grade ; Date de nomination."}},
		{name: "duplicate lines", data: func(*testing.T) []byte {
			return csvFile(header, lea, hugo, lea, strings.NewReplacer("Lefèvre", "LEFEVRE", "Léa", "Lea", "17/05/1980", "1980-05-17").Replace(lea))
		}, problems: []string{
			"4: Même agent que la ligne 2 (même nom, même prénom et même date de naissance) : gardez une seule ligne par agent.",
			"5: Même agent que la ligne 2",
		}},
		{name: "dates in the wrong format", data: func(*testing.T) []byte {
			return csvFile(header, strings.Replace(lea, "17/05/1980", "1980/05/17", 1), strings.Replace(hugo, "2025-09-01", "01-09-2025", 1),
				strings.Replace(lea, "17/05/1980", "17/05/80", 1))
		}, problems: []string{
			"2 Date de naissance «1980/05/17»: La date de naissance doit être au format JJ/MM/AAAA, par exemple 14/07/1985.",
			"3 Date de nomination «01-09-2025»: La date de nomination doit être au format JJ/MM/AAAA, par exemple 14/07/1985.",
			"4 Date de naissance «17/05/80»: La date de naissance doit être au format JJ/MM/AAAA",
		}},
		{name: "a date that does not exist", data: func(*testing.T) []byte { return csvFile(header, strings.Replace(lea, "17/05/1980", "31/02/1980", 1)) },
			problems: []string{"2 Date de naissance «31/02/1980»: La date de naissance n'existe pas : vérifiez le jour et le mois."}},
		{name: "every bad line with its reasons", data: func(*testing.T) []byte {
			return csvFile(header, lea, "Dr;Martin;;01/01/1980;martin@;D;Titulaire;Agent;01/01/2005", hugo, "Mme;Petit;Inès;01/01/1980;;A;vacataire;Attaché;01/01/2010")
		}, problems: []string{
			"3 Civilité «Dr»: La civilité doit être « M. » ou « Mme ».",
			"3 Prénom «»: Saisissez le prénom.",
			"3 Courriel «martin@»: Saisissez une adresse courriel valide",
			"3 Catégorie «D»: La catégorie doit être A, B ou C.",
			"5 Statut «vacataire»: Le statut doit être Titulaire, Stagiaire ou Contractuel.",
		}},
		{name: "a line too short", data: func(*testing.T) []byte { return csvFile(header, "Mme;Petit;Inès;01/01/1980") },
			problems: []string{"2: La ligne compte 4 colonnes au lieu de 9 : vérifiez les points-virgules."}},
		{name: "a line too long", data: func(*testing.T) []byte { return csvFile(header, lea+";RH") },
			problems: []string{"2: La ligne compte 10 colonnes au lieu de 9"}},
		{name: "blank lines skipped, lines counted", data: func(*testing.T) []byte {
			return csvFile(header, "", lea, ";;;;;;;;", "Dr;Petit;Inès;01/01/1980;;A;Titulaire;Attaché;01/01/2005")
		},
			problems: []string{"5 Civilité «Dr»: La civilité doit être « M. » ou « Mme »."}},
		{name: "a stray quote", data: func(*testing.T) []byte {
			return csvFile(header, `Mme;Pe"tit;Inès;01/01/1980;;A;Titulaire;Attaché;01/01/2005`, lea)
		},
			problems: []string{`2: La ligne est illisible : un guillemet (") se trouve au milieu d'une valeur`}},
		{name: "a quote left open", data: func(*testing.T) []byte {
			return csvFile(header, lea, `Mme;"Petit;Inès;01/01/1980;;A;Titulaire;Attaché;01/01/2005`)
		},
			problems: []string{`3: La ligne est illisible : un guillemet (") ouvert n'est pas refermé.`}},
		{name: "quoted cells", data: func(*testing.T) []byte {
			return csvFile(header, `"Mme";"Petit; dite ""Lili""";Inès;01/01/1980;;A;Titulaire;Attaché;01/01/2005`)
		},
			encoding: spreadsheet.UTF8, agents: 1},
		{name: "a control character", data: func(*testing.T) []byte {
			return csvFile(header, "Mme;Pe\x07tit;Inès;01/01/1980;;A;Titulaire;Attaché;01/01/2005")
		},
			problems: []string{"2 Nom «Pe\atit»: Le nom ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."}},
		{name: "a line break in a cell", data: func(*testing.T) []byte {
			return csvFile(header, "Mme;\"Pe\r\ntit\";Inès;01/01/1980;;A;Titulaire;Attaché;01/01/2005")
		},
			problems: []string{"2 Nom «Pe\ntit»: Le nom ne doit contenir ni retour à la ligne"}},
		{name: "5,000 agents", data: func(*testing.T) []byte { return manyLines(5000) }, encoding: spreadsheet.UTF8, agents: 5000},
		{name: "5,001 lines", data: func(*testing.T) []byte { return manyLines(5001) },
			problems: []string{"0: Le fichier compte plus de 5 000 agents : découpez-le en plusieurs fichiers."}},
		{name: "over 2 MB", data: func(*testing.T) []byte {
			b := csvFile(header, lea)
			return append(b, bytes.Repeat([]byte(" "), spreadsheet.MaxBytes+1-len(b))...)
		}, problems: []string{"0: Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers."}},
		{name: "2 MB exactly", data: func(*testing.T) []byte {
			b := csvFile(header, lea)
			return append(b, bytes.Repeat([]byte(" "), spreadsheet.MaxBytes-len(b))...)
		}, encoding: spreadsheet.UTF8, agents: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse(tt.data(t), today)
			if tt.problems == nil {
				if !res.OK() {
					t.Fatalf("refused: %v", res.Problems[:min(5, len(res.Problems))])
				}
				if res.Encoding != tt.encoding || len(res.Agents) != tt.agents || len(res.Lines) != tt.agents {
					t.Errorf("encoding %s, %d agents, %d lines; want %s, %d", res.Encoding, len(res.Agents), len(res.Lines), tt.encoding, tt.agents)
				}
				return
			}
			if res.OK() || len(res.Agents) != 0 {
				t.Fatalf("accepted, %d agents; want refused", len(res.Agents))
			}
			var got []string
			for _, p := range res.Problems {
				got = append(got, problemText(p))
			}
			if len(got) != len(tt.problems) {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.problems, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.problems[i]) {
					t.Errorf("problem %d:\n%s\nwant it to start with:\n%s", i, got[i], tt.problems[i])
				}
			}
		})
	}
}

func manyLines(n int) []byte {
	lines := []string{header}
	for i := range n {
		lines = append(lines, agentLine(i))
	}
	return csvFile(lines...)
}

// utf16 is s in UTF-16 LE, ASCII only.
func utf16(s string) []byte {
	var b []byte
	for _, c := range []byte(s) {
		b = append(b, c, 0)
	}
	return b
}

func TestParseReadsValues(t *testing.T) {
	res := Parse(win1252(t, header+"\r\nM.;Œuvray;Hugo;3/2/1985;;c;CONTRACTUELLE;'=Adjoint technique;2025-09-01\r\n"), today)
	if !res.OK() {
		t.Fatalf("refused: %v", res.Problems)
	}
	want := domain.Agent{Civility: domain.Monsieur, LastName: "Œuvray", FirstName: "Hugo", BirthDate: time.Date(1985, 2, 3, 0, 0, 0, 0, time.UTC),
		Category: domain.CategoryC, Status: domain.Contractuel, Grade: "=Adjoint technique", AppointedOn: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)}
	if diff := cmp.Diff([]domain.Agent{want}, res.Agents); diff != "" || res.Lines[0] != 2 || res.Encoding != spreadsheet.Windows1252 {
		t.Errorf("line %v, encoding %s (-want +got):\n%s", res.Lines, res.Encoding, diff)
	}
}

// TestParseManyProblems: a report lists MaxProblems problems and counts the other bad lines.
func TestParseManyProblems(t *testing.T) {
	lines := []string{header}
	for i := range 1500 {
		lines = append(lines, strings.Replace(agentLine(i), "Mme", "Dr", 1))
	}
	res := Parse(csvFile(lines...), today)
	if len(res.Problems) != spreadsheet.MaxProblems || res.Unlisted != 500 || res.BadLines() != 1500 {
		t.Errorf("%d problems, %d unlisted, %d bad lines; want %d, 500, 1500", len(res.Problems), res.Unlisted, res.BadLines(), spreadsheet.MaxProblems)
	}
}

func sampleAgents() []domain.Agent {
	d := func(y int, m time.Month, dd int) time.Time { return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC) }
	return []domain.Agent{
		{Civility: domain.Madame, LastName: "Lefèvre", FirstName: "Léa", BirthDate: d(1980, 5, 17), Email: "lea.lefevre@cholet.example.fr",
			Category: domain.CategoryB, Status: domain.Titulaire, Grade: "Rédacteur principal de 2e classe", AppointedOn: d(2005, 9, 1)},
		{Civility: domain.Monsieur, LastName: "=HYPERLINK(\"http://evil.example\";\"clic\")", FirstName: "+33 6", BirthDate: d(1985, 2, 3),
			Category: domain.CategoryC, Status: domain.Contractuel, Grade: "-1+2", AppointedOn: d(2025, 9, 1)},
		{Civility: domain.Madame, LastName: "@SUM(A1)", FirstName: "'=déjà", BirthDate: d(1990, 12, 31), Email: "-moi@cholet.example.fr",
			Category: domain.CategoryA, Status: domain.Stagiaire, Grade: "Attaché; territorial \"principal\"", AppointedOn: d(2020, 1, 1)},
		{Civility: domain.Monsieur, LastName: "'t Hooft", FirstName: "Gérard", BirthDate: d(1970, 7, 14), Category: domain.CategoryA,
			Status: domain.Titulaire, Grade: "Ingénieur", AppointedOn: d(1995, 1, 1)},
	}
}

// TestWrite: the export as a spreadsheet reads it, formulas neutralized.
func TestWrite(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, sampleAgents()); err != nil {
		t.Fatal(err)
	}
	want := "\ufeff" + header + "\r\n" +
		"Mme;Lefèvre;Léa;17/05/1980;lea.lefevre@cholet.example.fr;B;Titulaire;Rédacteur principal de 2e classe;01/09/2005\r\n" +
		`M.;"'=HYPERLINK(""http://evil.example"";""clic"")";'+33 6;03/02/1985;;C;Contractuel;'-1+2;01/09/2025` + "\r\n" +
		`Mme;'@SUM(A1);''=déjà;31/12/1990;'-moi@cholet.example.fr;A;Stagiaire;"Attaché; territorial ""principal""";01/01/2020` + "\r\n" +
		"M.;'t Hooft;Gérard;14/07/1970;;A;Titulaire;Ingénieur;01/01/1995\r\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("file (-want +got):\n%s", diff)
	}
	// No cell of the file starts a formula.
	res := Parse(b.Bytes(), today)
	for _, line := range strings.Split(strings.TrimPrefix(b.String(), "\ufeff"), "\r\n") {
		for _, cell := range strings.Split(line, ";") {
			if c := strings.TrimPrefix(cell, `"`); c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q starts a formula", cell)
			}
		}
	}
	// And the file reads back as written.
	if diff := cmp.Diff(sampleAgents(), res.Agents); diff != "" || !res.OK() {
		t.Errorf("round trip, problems %v (-written +read):\n%s", res.Problems, diff)
	}
}
