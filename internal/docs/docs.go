// Package docs makes the documents about a registration: the convocation
// and the attestation de présence as PDF, and the session as an RFC 5545
// calendar event.
//
// Documents are made from the stored values only, so that one registration
// always gives the same bytes: the PDF's dates (creation, modification) are
// the registration's DecidedAt, never the clock, and nothing random goes
// in. The text is French; DejaVu Sans, embedded (subset) in every PDF,
// draws its accents, « », ’ and –.
package docs

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"time"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/line"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/johnfercher/maroto/v2/pkg/repository"
	"github.com/phpdave11/gofpdf"

	"iel/internal/domain"
)

// Author is every document's author in its metadata.
const Author = "CNFPT – inscription en ligne"

// Language is every document's language, the catalog's /Lang.
const Language = "fr-FR"

// The documents' titles, also their metadata titles.
const (
	ConvocationTitle = "Convocation"
	AttestationTitle = "Attestation de présence"
)

// The content types of the documents, for attachments and downloads.
const (
	PDFType      = "application/pdf"
	CalendarType = "text/calendar; charset=utf-8; method=PUBLISH"
)

const family = "dejavusans"

var (
	//go:embed fonts/DejaVuSans.ttf
	regularFont []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	boldFont []byte
)

// rendering bounds the documents made at once to one per CPU: each takes
// about 17 MB while it is made (its own copy of the fonts, parsed), so a
// burst of downloads or decisions queues here instead of taking hundreds
// of megabytes, as the argon2id hashes do in internal/auth.
var rendering = make(chan struct{}, runtime.GOMAXPROCS(0))

// The PDF library under maroto writes its resource dictionaries (fonts…)
// in map order unless told to sort them; maroto does not pass the setting,
// so it is the library's default, set before any document is made.
func init() { gofpdf.SetDefaultCatalogSort(true) }

// loadFonts gives each document its own copy of the fonts: the PDF library
// pads the font's tables in place (append on slices of the font file), so
// documents made at once must not share the bytes.
func loadFonts() ([]*entity.CustomFont, error) {
	return repository.New().
		AddUTF8FontFromBytes(family, fontstyle.Normal, bytes.Clone(regularFont)).
		AddUTF8FontFromBytes(family, fontstyle.Bold, bytes.Clone(boldFont)).
		Load()
}

// ConvocationFilename is the convocation's file name: "convocation-INS-000123.pdf".
func ConvocationFilename(r domain.Registration) string {
	return "convocation-" + r.Reference() + ".pdf"
}

// AttestationFilename is the attestation's file name: "attestation-INS-000123.pdf".
func AttestationFilename(r domain.Registration) string {
	return "attestation-" + r.Reference() + ".pdf"
}

// CalendarFilename is the calendar event's file name: "session-INS-000123.ics".
func CalendarFilename(r domain.Registration) string {
	return "session-" + r.Reference() + ".ics"
}

// Convocation is the PDF calling agent a of ct to session s, for the
// registration r (acceptée, or promoted from the waiting list).
func Convocation(ct domain.Collectivity, s domain.Session, r domain.Registration, a domain.Agent) ([]byte, error) {
	body := []string{
		fmt.Sprintf("%s, agent de la collectivité %s, est convoqué%s à la session de formation %s (%s), %s, %s.",
			agentName(a), ct.Name, feminine(a), quoted(s.Title), s.Code, lowerFirst(s.TypeName()), Period(s)),
		fmt.Sprintf("Merci de vous présenter à l’heure au lieu indiqué, muni%s de cette convocation. "+
			"En cas d’empêchement, la collectivité annule l’inscription sur le portail "+quoted("inscription en ligne")+" dès que possible, "+
			"afin que la place profite à un autre agent.", feminine(a)),
	}
	return render(ConvocationTitle, ct, s, r, a, body)
}

// Attestation is the PDF attesting that agent a of ct attended session s
// (registration r, présent).
func Attestation(ct domain.Collectivity, s domain.Session, r domain.Registration, a domain.Agent) ([]byte, error) {
	days := "1 jour"
	if n := s.Days(); n > 1 {
		days = strconv.Itoa(n) + " jours"
	}
	body := []string{
		fmt.Sprintf("Le CNFPT atteste que %s, agent de la collectivité %s, a suivi la session de formation %s (%s), %s, %s, soit %s de formation.",
			agentName(a), ct.Name, quoted(s.Title), s.Code, lowerFirst(s.TypeName()), Period(s), days),
		"Attestation délivrée pour servir et valoir ce que de droit.",
	}
	return render(AttestationTitle, ct, s, r, a, body)
}

// quoted puts s between French quotation marks, held to it by no-break
// spaces so that a line never starts with a closing mark.
func quoted(s string) string { return "«\u00a0" + s + "\u00a0»" }

// lowerFirst writes a training type inside a sentence: "formation inter".
func lowerFirst(label string) string {
	if label == "" {
		return label
	}
	r := []rune(label)
	if r[0] >= 'A' && r[0] <= 'Z' {
		r[0] += 'a' - 'A'
	}
	return string(r)
}

// agentName is "Mme Prénom Nom".
func agentName(a domain.Agent) string {
	if a.Civility == "" {
		return a.FullName()
	}
	civ := string(a.Civility)
	if a.Civility == domain.Monsieur {
		civ = "M."
	}
	return civ + " " + a.FullName()
}

// feminine is the agreement of a past participle with the agent.
func feminine(a domain.Agent) string {
	if a.Civility == domain.Madame {
		return "e"
	}
	return ""
}

// Period is the session's dates in words: "le lundi 11 janvier 2027", or
// "du lundi 11 janvier 2027 au mercredi 13 janvier 2027".
func Period(s domain.Session) string {
	if !s.EndsOn.After(s.StartsOn) {
		return "le " + LongDate(s.StartsOn)
	}
	return "du " + LongDate(s.StartsOn) + " au " + LongDate(s.EndsOn)
}

var months = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

var weekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

// FrenchDate writes a calendar day in French: "12 janvier 2027", "1er mars 2027".
func FrenchDate(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + months[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// LongDate is FrenchDate with the day of the week: "mardi 12 janvier 2027".
func LongDate(t time.Time) string { return weekdays[t.Weekday()] + " " + FrenchDate(t) }

func render(title string, ct domain.Collectivity, s domain.Session, r domain.Registration, a domain.Agent, body []string) ([]byte, error) {
	if r.DecidedAt.IsZero() {
		return nil, errors.New("docs: the registration has no decision date, which dates its documents")
	}
	rendering <- struct{}{}
	defer func() { <-rendering }()
	fonts, err := loadFonts()
	if err != nil {
		return nil, fmt.Errorf("docs: load fonts: %w", err)
	}
	dated := r.DecidedAt.UTC()
	cfg := config.NewBuilder().
		WithPageSize(pagesize.A4).
		WithLeftMargin(20).WithRightMargin(20).WithTopMargin(20).
		WithCustomFonts(fonts).
		WithDefaultFont(&props.Font{Family: family, Size: 11}).
		WithTitle(title+" – "+r.Reference(), true).
		WithAuthor(Author, true).
		WithSubject(s.Code+" – "+s.Title, true).
		WithCreator(Author, true).
		WithCreationDate(dated).
		WithSequentialMode().
		Build()
	m := maroto.New(cfg)

	small := props.Text{Size: 9, Color: &props.Color{Red: 80, Green: 80, Blue: 80}}
	m.AddRows(
		text.NewRow(6, "CNFPT – Centre national de la fonction publique territoriale", props.Text{Size: 10, Style: fontstyle.Bold}),
		text.NewRow(8, "inscription en ligne", small),
		line.NewRow(4),
		text.NewRow(14, title, props.Text{Size: 20, Style: fontstyle.Bold, Top: 4}),
		text.NewRow(8, "Référence : "+r.Reference(), props.Text{Size: 10}),
	)
	field := func(label, value string) core.Row {
		return m.AddAutoRow(
			text.NewCol(3, label, props.Text{Style: fontstyle.Bold, Bottom: 2}),
			text.NewCol(9, value, props.Text{Bottom: 2}),
		)
	}
	field("Agent", agentName(a))
	field("Collectivité", ct.Name)
	field("Session", s.Code+" – "+s.Title)
	field("Type", s.TypeName())
	field("Dates", Dates(s))
	field("Horaires", s.Hours)
	field("Lieu", s.Place)
	m.AddRow(6)
	for _, p := range body {
		m.AddAutoRow(text.NewCol(12, p, props.Text{Bottom: 4}))
	}
	m.AddRow(6)
	m.AddAutoRow(text.NewCol(12, "Document établi le "+FrenchDate(r.DecidedAt)+".", props.Text{Align: align.Right}))

	doc, err := m.Generate()
	if err != nil {
		return nil, fmt.Errorf("docs: %s: %w", title, err)
	}
	return pin(doc.GetBytes(), dated)
}

// Dates is Period as the documents and e-mails head it: "Du 12 janvier
// 2027 au 13 janvier 2027", capitalized.
func Dates(s domain.Session) string {
	p := Period(s)
	if p == "" {
		return p
	}
	r := []rune(p)
	if r[0] >= 'a' && r[0] <= 'z' {
		r[0] -= 'a' - 'A'
	}
	return string(r)
}

// modDate is the /ModDate the PDF library writes from the clock, which
// maroto offers no way to set.
var modDate = regexp.MustCompile(`/ModDate \(D:\d{14}\)`)

// pin makes the PDF maroto wrote deterministic and complete:
//   - its /ModDate, which the library takes from the clock, becomes dated,
//     digits for digits, so that no offset moves;
//   - its catalog, the last object before the cross-reference table, gets
//     /Lang, and the startxref offset moves by what was inserted (no
//     object follows the catalog, so no other offset changes).
func pin(pdf []byte, dated time.Time) ([]byte, error) {
	locs := modDate.FindAllIndex(pdf, -1)
	if len(locs) != 1 {
		return nil, fmt.Errorf("docs: expected one /ModDate in the PDF, found %d", len(locs))
	}
	out := bytes.Clone(pdf)
	copy(out[locs[0][0]:locs[0][1]], "/ModDate (D:"+dated.Format("20060102150405")+")")

	const catalog = "/Type /Catalog"
	i := bytes.LastIndex(out, []byte(catalog))
	xref := bytes.LastIndex(out, []byte("\nxref\n"))
	start := bytes.LastIndex(out, []byte("\nstartxref\n"))
	if i < 0 || xref < i || start < xref || bytes.Count(out, []byte(catalog)) != 1 {
		return nil, errors.New("docs: the PDF's catalog is not where expected")
	}
	num := start + len("\nstartxref\n")
	end := bytes.IndexByte(out[num:], '\n')
	if end < 0 {
		return nil, errors.New("docs: the PDF ends inside startxref")
	}
	end += num
	old, err := strconv.Atoi(string(out[num:end]))
	if err != nil || old != xref+1 {
		return nil, errors.New("docs: the PDF's startxref does not point to its cross-reference table")
	}
	insert := []byte("\n/Lang (" + Language + ")")
	var b bytes.Buffer
	b.Grow(len(out) + len(insert))
	b.Write(out[:i+len(catalog)])
	b.Write(insert)
	b.Write(out[i+len(catalog) : num])
	b.WriteString(strconv.Itoa(old + len(insert)))
	b.Write(out[end:])
	return b.Bytes(), nil
}
