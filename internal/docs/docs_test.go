package docs

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"iel/internal/domain"
)

func sample() (domain.Collectivity, domain.Session, domain.Registration, domain.Agent) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	ct := domain.Collectivity{ID: 7, Name: "Mairie d'Évry-Courcouronnes", Email: "mairie@evry.example"}
	s := domain.Session{ID: 3, Code: "INT-2027-01", Title: "Intégration des agents de catégorie C – « accueil »",
		Type: domain.Integration, StartsOn: day(2027, 1, 11), EndsOn: day(2027, 1, 13), Hours: "9 h 00 – 17 h 00",
		Place: "CNFPT, 10 rue de l’Église; 91000 Évry, salle « Bleue »", Capacity: 20}
	r := domain.Registration{ID: 123, SessionID: 3, CollectivityID: 7, AgentID: 5, State: domain.RegistrationAccepted,
		CreatedAt: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), DecidedAt: time.Date(2026, 12, 2, 14, 30, 5, 0, time.UTC)}
	a := domain.Agent{ID: 5, CollectivityID: 7, Civility: domain.Madame, FirstName: "Éloïse", LastName: "Lefèvre"}
	return ct, s, r, a
}

// poppler runs a poppler-utils tool on the PDF (pdftotext writes to
// stdout), or skips when poppler-utils is absent.
func poppler(t *testing.T, tool string, pdf []byte, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s (poppler-utils) is not installed: .ci/run installs it", tool)
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append(args, path)
	if tool == "pdftotext" {
		args = append(args, "-")
	}
	out, err := exec.Command(tool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}

func TestDocuments(t *testing.T) {
	ct, s, r, a := sample()
	for _, tc := range []struct {
		name  string
		make  func(domain.Collectivity, domain.Session, domain.Registration, domain.Agent) ([]byte, error)
		title string
		want  []string
	}{
		{"convocation", Convocation, ConvocationTitle, []string{
			"Convocation", "Référence : INS-000123",
			"Mme Éloïse Lefèvre, agent de la collectivité Mairie d'Évry-Courcouronnes, est convoquée",
			"« Intégration des agents de catégorie C – « accueil » » (INT-2027-01)",
			"formation d'intégration", "du lundi 11 janvier 2027 au mercredi 13 janvier 2027",
			"9 h 00 – 17 h 00", "CNFPT, 10 rue de l’Église; 91000 Évry, salle « Bleue »",
			"munie de cette convocation", "Document établi le 2 décembre 2026.",
		}},
		{"attestation", Attestation, AttestationTitle, []string{
			"Attestation de présence", "Référence : INS-000123",
			"Le CNFPT atteste que Mme Éloïse Lefèvre, agent de la collectivité Mairie d'Évry-Courcouronnes, a suivi",
			"du lundi 11 janvier 2027 au mercredi 13 janvier 2027, soit 3 jours de formation.",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf, err := tc.make(ct, s, r, a)
			if err != nil {
				t.Fatal(err)
			}
			again, err := tc.make(ct, s, r, a)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pdf, again) {
				t.Fatal("the same registration gave two different PDFs")
			}
			other := r
			other.DecidedAt = r.DecidedAt.Add(time.Hour)
			if moved, _ := tc.make(ct, s, other, a); bytes.Equal(pdf, moved) {
				t.Fatal("another decision date gave the same bytes: the date is not in the document")
			}
			if !bytes.Contains(pdf, []byte("/Lang (fr-FR)")) {
				t.Error("the catalog has no /Lang (fr-FR)")
			}

			// pdftotext joins the lines a paragraph wraps into.
			txt := strings.Join(strings.Fields(poppler(t, "pdftotext", pdf, "-enc", "UTF-8")), " ")
			for _, w := range tc.want {
				if !strings.Contains(txt, w) {
					t.Errorf("the text lacks %q:\n%s", w, txt)
				}
			}
			info := poppler(t, "pdfinfo", pdf)
			for _, re := range []string{
				`(?m)^Title:\s+` + regexp.QuoteMeta(tc.title+" – INS-000123") + `$`,
				`(?m)^Author:\s+CNFPT – inscription en ligne$`,
				`(?m)^CreationDate:\s+.*2026`,
				`(?m)^Pages:\s+1$`,
			} {
				if !regexp.MustCompile(re).MatchString(info) {
					t.Errorf("pdfinfo does not match %s:\n%s", re, info)
				}
			}
			// pdffonts: name type… encoding emb sub uni object ID.
			fonts := strings.Split(strings.TrimSpace(poppler(t, "pdffonts", pdf)), "\n")[2:]
			if len(fonts) == 0 {
				t.Error("pdffonts lists no font")
			}
			for _, f := range fonts {
				fields := strings.Fields(f)
				if !strings.Contains(f, "dejavusans") || fields[len(fields)-5] != "yes" {
					t.Errorf("a font is not DejaVu Sans, embedded: %s", f)
				}
			}
		})
	}
}
