package domain

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// The fields of an agent, beyond those it shares with a fiche.
const (
	FieldBirthDate   Field = "birth_date"
	FieldCategory    Field = "category"
	FieldStatus      Field = "status"
	FieldGrade       Field = "grade"
	FieldAppointedOn Field = "appointed_on"
)

// Category is an agent's "Catégorie": A, B or C.
type Category string

// The categories.
const (
	CategoryA Category = "A"
	CategoryB Category = "B"
	CategoryC Category = "C"
)

// Categories lists the categories in the order the screens show them.
var Categories = []Category{CategoryA, CategoryB, CategoryC}

// AgentStatus is an agent's "Statut".
type AgentStatus string

// The statuses.
const (
	Titulaire   AgentStatus = "titulaire"
	Stagiaire   AgentStatus = "stagiaire"
	Contractuel AgentStatus = "contractuel"
)

// AgentStatuses lists the statuses in the order the screens show them.
var AgentStatuses = []AgentStatus{Titulaire, Stagiaire, Contractuel}

// Label is the status as the screens and the CSV files write it.
func (s AgentStatus) Label() string {
	switch s {
	case Titulaire:
		return "Titulaire"
	case Stagiaire:
		return "Stagiaire"
	case Contractuel:
		return "Contractuel"
	}
	return string(s)
}

// CivilityLabel is the civility as the agents' screens and files write it: "M." or "Mme".
func CivilityLabel(c Civility) string {
	if c == Monsieur {
		return "M."
	}
	return string(c)
}

// Agent is an employee of a CT, whom its accounts register to trainings.
// Dates are days: midnight UTC.
type Agent struct {
	ID             int64
	CollectivityID int64
	Civility       Civility
	LastName       string
	FirstName      string
	BirthDate      time.Time
	Email          string // optional: many agents have no professional address
	Category       Category
	Status         AgentStatus
	Grade          string
	AppointedOn    time.Time // "Date de nomination"
	// LeftAt is when the CT said the agent left it ("A quitté la
	// collectivité"); zero while the agent works there.
	LeftAt time.Time
}

// FullName is "Prénom Nom".
func (a Agent) FullName() string { return strings.TrimSpace(a.FirstName + " " + a.LastName) }

// Left reports whether the agent left the CT: hidden from the default
// list and from registrations, kept for the history.
func (a Agent) Left() bool { return !a.LeftAt.IsZero() }

// AgentInput is an agent as typed in the form or read from a CSV line:
// every value a string, checked by ParseAgent.
type AgentInput struct {
	Civility, LastName, FirstName, BirthDate, Email, Category, Status, Grade, AppointedOn string
}

// InputOf is a saved agent as the form shows it.
func InputOf(a Agent) AgentInput {
	return AgentInput{Civility: string(a.Civility), LastName: a.LastName, FirstName: a.FirstName, BirthDate: FormatDay(a.BirthDate),
		Email: a.Email, Category: string(a.Category), Status: string(a.Status), Grade: a.Grade, AppointedOn: FormatDay(a.AppointedOn)}
}

// The bounds of an agent's dates, from the day they are checked.
const (
	MinAgentAge       = 15 // years: apprentices start at 15
	MaxAgentAge       = 100
	MinAppointmentAge = 16 // no one is appointed before 16
	MaxAppointedAhead = 6  // months: a nomination may be entered before it takes effect
	dayLayout         = "02/01/2006"
)

// ParseAgent reads and checks an agent typed on day today (in Paris):
// civility, names and grade as one line of plain text each, dates as
// JJ/MM/AAAA (or AAAA-MM-JJ, as a date input sends it) that exist and lie
// within sane bounds, an optional valid address, a category and a
// status. Civility, category and status accept their values and labels,
// case and accents aside ("Mme", "madame", "M.", "titulaire", "b"). It
// returns one Invalid error per field that breaks a rule, the first
// found, in the order of the form; the agent is meaningful only when
// there are none.
func ParseAgent(in AgentInput, today time.Time) (Agent, []*Error) {
	var p problems
	a := Agent{
		LastName:  collapseSpaces(in.LastName),
		FirstName: collapseSpaces(in.FirstName),
		Email:     NormalizeEmail(in.Email),
		Grade:     collapseSpaces(in.Grade),
	}
	today = Day(today)

	civ := strings.TrimSpace(in.Civility)
	switch quickFold(strings.TrimSuffix(civ, ".")) {
	case "m", "monsieur":
		a.Civility = Monsieur
	case "mme", "madame":
		a.Civility = Madame
	case "":
		p.check(false, FieldCivility, "Choisissez la civilité.")
	default:
		p.check(false, FieldCivility, "La civilité doit être « M. » ou « Mme ».")
	}

	p.checkText(a.LastName, FieldLastName, "le nom", "Le nom", MaxText)
	p.checkText(a.FirstName, FieldFirstName, "le prénom", "Le prénom", MaxText)

	birth, ok := p.checkDay(in.BirthDate, FieldBirthDate, "la date de naissance", "La date de naissance")
	if ok {
		oldest, youngest := today.AddDate(-MaxAgentAge, 0, 0), today.AddDate(-MinAgentAge, 0, 0)
		if !birth.Before(oldest) && !birth.After(youngest) {
			a.BirthDate = birth
		} else {
			p.check(false, FieldBirthDate, "La date de naissance doit être comprise entre le "+FormatDay(oldest)+" et le "+FormatDay(youngest)+".")
		}
	}

	if a.Email != "" {
		p.check(IsPlainLine(a.Email), FieldEmail, notPlainLine("L'adresse courriel"))
		p.check(ValidEmail(a.Email), FieldEmail, "Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr, ou laissez le champ vide.")
	}

	switch cat := Category(strings.ToUpper(strings.TrimSpace(in.Category))); cat {
	case CategoryA, CategoryB, CategoryC:
		a.Category = cat
	case "":
		p.check(false, FieldCategory, "Choisissez la catégorie.")
	default:
		p.check(false, FieldCategory, "La catégorie doit être A, B ou C.")
	}

	switch st := quickFold(strings.TrimSpace(in.Status)); st {
	case "titulaire", "stagiaire", "contractuel":
		a.Status = AgentStatus(st)
	case "contractuelle":
		a.Status = Contractuel
	case "":
		p.check(false, FieldStatus, "Choisissez le statut.")
	default:
		p.check(false, FieldStatus, "Le statut doit être Titulaire, Stagiaire ou Contractuel.")
	}

	p.checkText(a.Grade, FieldGrade, "le grade", "Le grade", MaxText)

	appointed, ok := p.checkDay(in.AppointedOn, FieldAppointedOn, "la date de nomination", "La date de nomination")
	if ok {
		if !a.BirthDate.IsZero() {
			adult := a.BirthDate.AddDate(MinAppointmentAge, 0, 0)
			p.check(!appointed.Before(adult), FieldAppointedOn,
				"La date de nomination ne peut pas précéder les 16 ans de l'agent ("+FormatDay(adult)+").")
		}
		latest := today.AddDate(0, MaxAppointedAhead, 0)
		p.check(!appointed.After(latest), FieldAppointedOn, "La date de nomination ne peut pas être postérieure au "+FormatDay(latest)+".")
		a.AppointedOn = appointed
	}
	return a, p
}

// checkText checks a required one-line text of at most max characters;
// what reads "le nom" in a sentence, What "Le nom" at its start.
func (p *problems) checkText(s string, f Field, what, What string, max int) {
	p.check(s != "", f, "Saisissez "+what+".")
	p.check(IsPlainLine(s), f, notPlainLine(What))
	p.check(utf8.RuneCountInString(s) <= max, f, What+" ne doit pas dépasser "+strconv.Itoa(max)+" caractères.")
}

// checkDay reads a required day; it reports whether the day is good to
// check further.
func (p *problems) checkDay(s string, f Field, what, What string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		p.check(false, f, "Saisissez "+what+".")
		return time.Time{}, false
	}
	d, err := ParseDay(s)
	switch err {
	case nil:
		return d, true
	case errDayFormat:
		p.check(false, f, What+" doit être au format JJ/MM/AAAA, par exemple 14/07/1985.")
	default:
		p.check(false, f, What+" n'existe pas : vérifiez le jour et le mois.")
	}
	return time.Time{}, false
}

// CheckAgent is the store's last guard on an agent whatever the caller
// checked: every text one line of plain text within its length, known
// civility, category and status, both dates set. Bounds that depend on
// the day are ParseAgent's.
func CheckAgent(a Agent) *Error {
	var p problems
	p.check(a.Civility == Monsieur || a.Civility == Madame, FieldCivility, "Choisissez la civilité.")
	p.checkText(a.LastName, FieldLastName, "le nom", "Le nom", MaxText)
	p.checkText(a.FirstName, FieldFirstName, "le prénom", "Le prénom", MaxText)
	p.check(!a.BirthDate.IsZero(), FieldBirthDate, "Saisissez la date de naissance.")
	p.check(a.Email == "" || (IsPlainLine(a.Email) && ValidEmail(a.Email)), FieldEmail, "Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr, ou laissez le champ vide.")
	p.check(a.Category == CategoryA || a.Category == CategoryB || a.Category == CategoryC, FieldCategory, "Choisissez la catégorie.")
	p.check(a.Status == Titulaire || a.Status == Stagiaire || a.Status == Contractuel, FieldStatus, "Choisissez le statut.")
	p.checkText(a.Grade, FieldGrade, "le grade", "Le grade", MaxText)
	p.check(!a.AppointedOn.IsZero(), FieldAppointedOn, "Saisissez la date de nomination.")
	if len(p) > 0 {
		return p[0]
	}
	return nil
}

// ErrAgentExists refuses a second agent of one CT with the same nom,
// prénom and date de naissance (AgentIdentity): the CSV import matches
// agents on them.
var ErrAgentExists = Errorf(Conflict, FieldLastName, "Un agent de la collectivité a déjà ce nom, ce prénom et cette date de naissance.")

// ErrAgentRegistered refuses to delete an agent who was registered to a
// training: its history is kept; it leaves the CT instead.
var ErrAgentRegistered = Errorf(Conflict, "", "Cet agent a déjà été inscrit à une formation : il ne peut pas être supprimé. Indiquez plutôt qu'il a quitté la collectivité ; son historique sera conservé.")

// AgentChanges lists the fields whose values differ between a saved
// agent and its new values, in the order of the form.
func AgentChanges(before, after Agent) []Field {
	var out []Field
	add := func(changed bool, f Field) {
		if changed {
			out = append(out, f)
		}
	}
	add(before.Civility != after.Civility, FieldCivility)
	add(before.LastName != after.LastName, FieldLastName)
	add(before.FirstName != after.FirstName, FieldFirstName)
	add(!before.BirthDate.Equal(after.BirthDate), FieldBirthDate)
	add(before.Email != after.Email, FieldEmail)
	add(before.Category != after.Category, FieldCategory)
	add(before.Status != after.Status, FieldStatus)
	add(before.Grade != after.Grade, FieldGrade)
	add(!before.AppointedOn.Equal(after.AppointedOn), FieldAppointedOn)
	return out
}

// Days.

var (
	frenchDay    = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)
	isoDay       = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	errDayFormat = errors.New("domain: day not JJ/MM/AAAA nor AAAA-MM-JJ")
	errNoSuchDay = errors.New("domain: no such day")
)

// ParseDay reads a day written JJ/MM/AAAA (the day and month may have one
// digit) or AAAA-MM-JJ, and refuses one that does not exist (31/02).
func ParseDay(s string) (time.Time, error) {
	var y, m, d string
	if sub := frenchDay.FindStringSubmatch(s); sub != nil {
		d, m, y = sub[1], sub[2], sub[3]
	} else if sub := isoDay.FindStringSubmatch(s); sub != nil {
		y, m, d = sub[1], sub[2], sub[3]
	} else {
		return time.Time{}, errDayFormat
	}
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if t.Year() != yi || int(t.Month()) != mi || t.Day() != di {
		return time.Time{}, errNoSuchDay
	}
	return t, nil
}

// Day is the day of t, where t is, as midnight UTC.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// FormatDay writes a day JJ/MM/AAAA; the zero day is "".
func FormatDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dayLayout)
}

// Keys: what the store keeps beside an agent so that SQL sorts, searches
// and matches agents as a French reader would.

var frenchCollators = sync.Pool{New: func() any { return collate.New(language.French, collate.IgnoreCase) }}

// AgentSortKey is the collation key of "Nom Prénom" in French, case aside
// (accents break ties only, "Émond" sorts with "Emond", "Le Gall" before
// "Legall"): compared byte by byte, keys order agents as the French
// collation orders their names, so that SQL can sort and page on them.
func AgentSortKey(lastName, firstName string) []byte {
	c := frenchCollators.Get().(*collate.Collator)
	defer frenchCollators.Put(c)
	var buf collate.Buffer
	return bytes.Clone(c.KeyFromString(&buf, collapseSpaces(lastName)+" "+collapseSpaces(firstName)))
}

// CompareAgents orders agents as their sort keys do: name, then id.
func CompareAgents(a, b Agent) int {
	if n := bytes.Compare(AgentSortKey(a.LastName, a.FirstName), AgentSortKey(b.LastName, b.FirstName)); n != 0 {
		return n
	}
	switch {
	case a.ID < b.ID:
		return -1
	case a.ID > b.ID:
		return 1
	}
	return 0
}

// SearchFold is the form names are searched in: lower case, without
// accents or ligatures, every run of other characters than letters and
// digits one space ("Jean-Pierre L'Hôte" is "jean pierre l hote").
func SearchFold(s string) string {
	s = ligatures.Replace(quickFold(s))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}

var ligatures = strings.NewReplacer("œ", "oe", "æ", "ae", "ß", "ss")

// quickFold is fold, without its Unicode machinery for ASCII text: an
// import folds every name of up to 5,000 lines.
func quickFold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return fold(s)
		}
	}
	return strings.ToLower(s)
}

// AgentSearchKey is what a search of the agents list is matched against:
// "nom prénom", folded (SearchFold).
func AgentSearchKey(lastName, firstName string) string {
	return SearchFold(lastName + " " + firstName)
}

// AgentIdentity is what makes an agent one person of its CT: nom, prénom
// (folded) and date de naissance. The CSV import matches agents on it.
func AgentIdentity(a Agent) string {
	return SearchFold(a.LastName) + "|" + SearchFold(a.FirstName) + "|" + a.BirthDate.Format(time.DateOnly)
}

// collapseSpaces trims s and makes every run of spaces (no-break ones
// included) one space; other blanks stay, for IsPlainLine to refuse.
func collapseSpaces(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") && !strings.ContainsRune(s, '\u00a0') {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\u00a0' }), " ")
}
