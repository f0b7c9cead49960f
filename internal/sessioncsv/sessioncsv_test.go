package sessioncsv

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/charmap"

	"iel/internal/domain"
	"iel/internal/spreadsheet"
)

const header = "Code;Intitulé;Type de formation;Date de début;Date de fin;Horaires;Lieu;Capacité;Date limite d'inscription;Public visé"

const line1 = "INT-2026-01;Découvrir la fonction publique territoriale;Formation d'intégration;12/01/2026;15/01/2026;9 h 00 – 17 h 00;CNFPT Angers, 2 rue de la Paix;20;05/01/2026;Stagiaires de catégorie C"
const line2 = "int-2026-02;Accueil du public;inter;2026-02-02;2026-02-02;9 h – 12 h;Mairie de Cholet;12;2026-01-20;Agents d'accueil"

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParse(t *testing.T) {
	res := Parse([]byte(header+"\r\n"+line1+"\r\n\r\n"+line2+"\r\n"), nil)
	if !res.OK() {
		t.Fatalf("problems: %+v", res.Problems)
	}
	want := []domain.Session{
		{Code: "INT-2026-01", Title: "Découvrir la fonction publique territoriale", Type: domain.Integration, TypeLabel: "Formation d'intégration", StartsOn: day(2026, 1, 12), EndsOn: day(2026, 1, 15),
			Hours: "9 h 00 – 17 h 00", Place: "CNFPT Angers, 2 rue de la Paix", Capacity: 20, Deadline: day(2026, 1, 5), Audience: "Stagiaires de catégorie C"},
		{Code: "INT-2026-02", Title: "Accueil du public", Type: domain.Inter, TypeLabel: "Formation inter", StartsOn: day(2026, 2, 2), EndsOn: day(2026, 2, 2),
			Hours: "9 h – 12 h", Place: "Mairie de Cholet", Capacity: 12, Deadline: day(2026, 1, 20), Audience: "Agents d'accueil"},
	}
	if diff := cmp.Diff(want, res.Sessions); diff != "" {
		t.Errorf("sessions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{2, 4}, res.Lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if res.Encoding != spreadsheet.UTF8 {
		t.Errorf("encoding %s", res.Encoding)
	}
	latin, err := charmap.Windows1252.NewEncoder().String(header + "\n" + strings.ReplaceAll(line1, "–", "-") + "\n")
	if err != nil {
		t.Fatal(err)
	}
	if res := Parse([]byte(latin), nil); !res.OK() || res.Encoding != spreadsheet.Windows1252 || res.Sessions[0].Title != want[0].Title {
		t.Errorf("Windows-1252 file: %+v", res)
	}
}

func TestParseRefused(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []spreadsheet.Problem
	}{
		{"empty", "", []spreadsheet.Problem{{Message: "Le fichier est vide."}}},
		{"header only", header + "\n", []spreadsheet.Problem{{Message: "Le fichier ne contient aucune session : seulement sa ligne d'en-tête."}}},
		{"missing column", strings.TrimSuffix(header, ";Public visé") + "\n", []spreadsheet.Problem{{Line: 1, Message: "Colonne manquante : « Public visé »."}}},
		{"commas", strings.ReplaceAll(header, ";", ",") + "\n", []spreadsheet.Problem{{Line: 1, Message: "Les colonnes doivent être séparées par des points-virgules (;), pas par des virgules : enregistrez le fichier au format « CSV (séparateur : point-virgule) »."}}},
		{"bad lines", header + "\n" + line1 + "\n" + strings.Replace(line2, ";12;", ";0;", 1) + "\n" + strings.Replace(line1, "05/01/2026", "20/01/2026", 1) + "\n",
			[]spreadsheet.Problem{
				{Line: 3, Column: "Capacité", Value: "0", Message: "La capacité doit être comprise entre 1 et 1\u202f000 places."},
				{Line: 4, Column: "Date limite d'inscription", Value: "20/01/2026", Message: "La date limite d'inscription ne peut pas être postérieure à la date de début."},
			}},
		{"same code twice", header + "\n" + line1 + "\n" + strings.Replace(line2, "int-2026-02", "int-2026-01", 1) + "\n",
			[]spreadsheet.Problem{{Line: 3, Column: "Code", Value: "INT-2026-01", Message: "Même code que la ligne 2 : gardez une seule ligne par session."}}},
		{"unknown type", header + "\n" + strings.Replace(line2, ";inter;", ";union;", 1) + "\n",
			[]spreadsheet.Problem{{Line: 2, Column: "Type de formation", Value: "union", Message: "Ce type de formation n'existe pas."}}},
		{"end before start", header + "\n" + strings.Replace(line1, "15/01/2026", "11/01/2026", 1) + "\n",
			[]spreadsheet.Problem{{Line: 2, Column: "Date de fin", Value: "11/01/2026", Message: "La date de fin ne peut pas précéder la date de début."}}},
		{"columns", header + "\nA;B\n", []spreadsheet.Problem{{Line: 2, Message: "La ligne compte 2 colonnes au lieu de 10 : vérifiez les points-virgules."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Parse([]byte(tt.file), nil)
			if len(res.Sessions) != 0 {
				t.Errorf("refused file gave %d sessions", len(res.Sessions))
			}
			if diff := cmp.Diff(tt.want, res.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
	union := []domain.TypeLabel{{Type: "union", Label: "Formation union"}}
	if res := Parse([]byte(header+"\n"+strings.Replace(line2, ";inter;", ";union;", 1)+"\n"), union); !res.OK() {
		t.Errorf("a third type given by the caller: %+v", res.Problems)
	}
	if res := Parse([]byte(header+"\n"+strings.Replace(line2, ";inter;", ";Formation union;", 1)+"\n"), union); !res.OK() || res.Sessions[0].Type != "union" {
		t.Errorf("a third type written as its label: %+v", res.Problems)
	}
}

func TestWriteReadBack(t *testing.T) {
	res := Parse([]byte(header+"\n"+line1+"\n"+strings.Replace(line2, "Accueil du public", "=Accueil", 1)+"\n"), nil)
	if !res.OK() {
		t.Fatal(res.Problems)
	}
	var b bytes.Buffer
	if err := Write(&b, res.Sessions, func(t domain.TrainingType) string { return t.Label() }); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ";'=Accueil;") {
		t.Errorf("formula not neutralized:\n%s", b.String())
	}
	back := Parse(b.Bytes(), nil)
	if diff := cmp.Diff(res.Sessions, back.Sessions); diff != "" {
		t.Errorf("round trip (-written +read back):\n%s", diff)
	}
}
