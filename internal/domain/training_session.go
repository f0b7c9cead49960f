package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Paris whatever the host has
	"unicode/utf8"
)

// The fields of a session, and the motif of a decision.
const (
	FieldCode      Field = "code"
	FieldTitle     Field = "title"
	FieldType      Field = "training_type"
	FieldStartsOn  Field = "starts_on"
	FieldEndsOn    Field = "ends_on"
	FieldHours     Field = "hours"
	FieldPlace     Field = "place"
	FieldCapacity  Field = "capacity"
	FieldDeadline  Field = "deadline"
	FieldAudience  Field = "audience"
	FieldMotif     Field = "motif"
	FieldAgents    Field = "agents" // the agents a registration names
	FieldSessionID Field = "session"
)

// The bounds of a session's values.
const (
	MaxSessionCode  = 30
	MaxSessionTitle = 200
	MaxSessionText  = 300 // hours, place, audience
	MaxMotif        = 500
	MaxCapacity     = 1000
	// MaxSessionDays is the longest span of one session.
	MaxSessionDays = 60
)

// Paris is the time zone the portal's days and times are told in. The
// zone database is embedded (time/tzdata), so it never depends on the host.
var Paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("domain: Europe/Paris missing from the embedded zone database: " + err.Error())
	}
	return l
}()

// ParisDay is the day it is in Paris at t, as midnight UTC: the day the
// deadlines and starts of sessions are compared with.
func ParisDay(t time.Time) time.Time { return Day(t.In(Paris)) }

// SessionInput is a session as typed in the form or read from a CSV line:
// every value a string, checked by ParseSession.
type SessionInput struct {
	Code, Title, Type, StartsOn, EndsOn, Hours, Place, Capacity, Deadline, Audience string
}

// SessionInputOf is a saved session as the form shows it.
func SessionInputOf(s Session) SessionInput {
	return SessionInput{Code: s.Code, Title: s.Title, Type: string(s.Type), StartsOn: FormatDay(s.StartsOn), EndsOn: FormatDay(s.EndsOn),
		Hours: s.Hours, Place: s.Place, Capacity: strconv.Itoa(s.Capacity), Deadline: FormatDay(s.Deadline), Audience: s.Audience}
}

// ParseSession reads and checks a session typed by staff: every text one
// line of plain text within its length, a type among types (the rows of
// the training_types table, written as their code or their label; the
// notice's two types when nil), days JJ/MM/AAAA or AAAA-MM-JJ with début ≤ fin and the deadline
// no later than the start, a capacity from 1 to MaxCapacity. It returns
// one Invalid error per field that breaks a rule, in the order of the
// form; the session is meaningful only when there are none.
func ParseSession(in SessionInput, types []TypeLabel) (Session, []*Error) {
	var p problems
	s := Session{
		Code:     strings.ToUpper(collapseSpaces(in.Code)),
		Title:    collapseSpaces(in.Title),
		Hours:    collapseSpaces(in.Hours),
		Place:    collapseSpaces(in.Place),
		Audience: collapseSpaces(in.Audience),
	}
	p.checkText(s.Code, FieldCode, "le code", "Le code", MaxSessionCode)
	p.checkText(s.Title, FieldTitle, "l'intitulé", "L'intitulé", MaxSessionTitle)

	if types == nil {
		for _, t := range TrainingTypes {
			types = append(types, TypeLabel{Type: t, Label: t.Label()})
		}
	}
	typ := strings.TrimSpace(in.Type)
	for _, t := range types {
		if typ == string(t.Type) || quickFold(typ) == quickFold(t.Label) {
			s.Type, s.TypeLabel = t.Type, t.Label
		}
	}
	switch {
	case typ == "":
		p.check(false, FieldType, "Choisissez le type de formation.")
	case s.Type == "":
		p.check(false, FieldType, "Ce type de formation n'existe pas.")
	}

	start, okStart := p.checkDay(in.StartsOn, FieldStartsOn, "la date de début", "La date de début")
	end, okEnd := p.checkDay(in.EndsOn, FieldEndsOn, "la date de fin", "La date de fin")
	s.StartsOn, s.EndsOn = start, end
	if okStart && okEnd {
		p.check(!end.Before(start), FieldEndsOn, "La date de fin ne peut pas précéder la date de début.")
		p.check(!end.After(start.AddDate(0, 0, MaxSessionDays-1)), FieldEndsOn, "Une session ne peut pas durer plus de "+strconv.Itoa(MaxSessionDays)+" jours.")
	}
	p.checkText(s.Hours, FieldHours, "les horaires", "Les horaires", MaxSessionText)
	p.checkText(s.Place, FieldPlace, "le lieu", "Le lieu", MaxSessionText)

	capa := strings.TrimSpace(in.Capacity)
	n, err := strconv.Atoi(capa)
	switch {
	case capa == "":
		p.check(false, FieldCapacity, "Saisissez la capacité.")
	case err != nil:
		p.check(false, FieldCapacity, "La capacité doit être un nombre entier, par exemple 15.")
	case n < 1 || n > MaxCapacity:
		p.check(false, FieldCapacity, "La capacité doit être comprise entre 1 et "+FrenchNumber(MaxCapacity)+" places.")
	default:
		s.Capacity = n
	}

	deadline, ok := p.checkDay(in.Deadline, FieldDeadline, "la date limite d'inscription", "La date limite d'inscription")
	s.Deadline = deadline
	if ok && okStart {
		p.check(!deadline.After(start), FieldDeadline, "La date limite d'inscription ne peut pas être postérieure à la date de début.")
	}
	p.checkText(s.Audience, FieldAudience, "le public visé", "Le public visé", MaxSessionText)
	return s, p
}

// CheckSession is the store's last guard on a session whatever the caller
// checked: the rules of ParseSession on the typed values.
func CheckSession(s Session) *Error {
	var p problems
	p.checkText(s.Code, FieldCode, "le code", "Le code", MaxSessionCode)
	p.checkText(s.Title, FieldTitle, "l'intitulé", "L'intitulé", MaxSessionTitle)
	p.check(s.Type != "", FieldType, "Choisissez le type de formation.")
	p.check(!s.StartsOn.IsZero(), FieldStartsOn, "Saisissez la date de début.")
	p.check(!s.EndsOn.IsZero(), FieldEndsOn, "Saisissez la date de fin.")
	p.check(!s.EndsOn.Before(s.StartsOn), FieldEndsOn, "La date de fin ne peut pas précéder la date de début.")
	p.check(!s.EndsOn.After(s.StartsOn.AddDate(0, 0, MaxSessionDays-1)), FieldEndsOn, "Une session ne peut pas durer plus de "+strconv.Itoa(MaxSessionDays)+" jours.")
	p.checkText(s.Hours, FieldHours, "les horaires", "Les horaires", MaxSessionText)
	p.checkText(s.Place, FieldPlace, "le lieu", "Le lieu", MaxSessionText)
	p.check(s.Capacity >= 1 && s.Capacity <= MaxCapacity, FieldCapacity, "La capacité doit être comprise entre 1 et "+FrenchNumber(MaxCapacity)+" places.")
	p.check(!s.Deadline.IsZero(), FieldDeadline, "Saisissez la date limite d'inscription.")
	p.check(!s.Deadline.After(s.StartsOn), FieldDeadline, "La date limite d'inscription ne peut pas être postérieure à la date de début.")
	p.checkText(s.Audience, FieldAudience, "le public visé", "Le public visé", MaxSessionText)
	if len(p) > 0 {
		return p[0]
	}
	return nil
}

// SessionChanges lists the fields whose values differ between a saved
// session and its new values, in the order of the form.
func SessionChanges(before, after Session) []Field {
	var out []Field
	add := func(changed bool, f Field) {
		if changed {
			out = append(out, f)
		}
	}
	add(before.Code != after.Code, FieldCode)
	add(before.Title != after.Title, FieldTitle)
	add(before.Type != after.Type, FieldType)
	add(!before.StartsOn.Equal(after.StartsOn), FieldStartsOn)
	add(!before.EndsOn.Equal(after.EndsOn), FieldEndsOn)
	add(before.Hours != after.Hours, FieldHours)
	add(before.Place != after.Place, FieldPlace)
	add(before.Capacity != after.Capacity, FieldCapacity)
	add(!before.Deadline.Equal(after.Deadline), FieldDeadline)
	add(before.Audience != after.Audience, FieldAudience)
	return out
}

// SessionFieldLabel is the French name of a session's field, as the
// journal lists changed fields.
func SessionFieldLabel(f Field) string {
	switch f {
	case FieldCode:
		return "code"
	case FieldTitle:
		return "intitulé"
	case FieldType:
		return "type de formation"
	case FieldStartsOn:
		return "date de début"
	case FieldEndsOn:
		return "date de fin"
	case FieldHours:
		return "horaires"
	case FieldPlace:
		return "lieu"
	case FieldCapacity:
		return "capacité"
	case FieldDeadline:
		return "date limite d'inscription"
	case FieldAudience:
		return "public visé"
	}
	return string(f)
}

// IsCancelled reports whether staff cancelled the session.
func (s Session) IsCancelled() bool { return !s.Cancelled.IsZero() }

// Started reports whether the session has begun on day today (in Paris).
func (s Session) Started(today time.Time) bool { return !s.StartsOn.After(Day(today)) }

// Over reports whether the session's last day is past on day today.
func (s Session) Over(today time.Time) bool { return Day(today).After(s.EndsOn) }

// Open reports whether registrations are taken on day today: the session
// holds, has not begun and its deadline has not passed.
func (s Session) Open(today time.Time) bool {
	today = Day(today)
	return !s.IsCancelled() && today.Before(s.StartsOn) && !today.After(s.Deadline)
}

// CheckMotif checks the motif of a refusal or of a session's cancellation:
// required, plain text, at most MaxMotif characters.
func CheckMotif(motif string) (string, *Error) {
	motif = strings.TrimSpace(motif)
	switch {
	case motif == "":
		return "", Errorf(Invalid, FieldMotif, "Saisissez le motif.")
	case !IsPlainText(motif):
		return "", Errorf(Invalid, FieldMotif, "Le motif ne doit contenir ni tabulation, ni caractère de contrôle ou illisible.")
	case utf8.RuneCountInString(motif) > MaxMotif:
		return "", Errorf(Invalid, FieldMotif, "Le motif ne doit pas dépasser "+strconv.Itoa(MaxMotif)+" caractères.")
	}
	return motif, nil
}

// NeedsIntegrationConfirmation reports whether registering agent a to
// session s on day today needs the CT's explicit confirmation: a
// Formation d'intégration is due in the first year of a stagiaire, so an
// agent who is not stagiaire, or was appointed more than a year before
// today, is probably not meant for it.
func NeedsIntegrationConfirmation(a Agent, s Session, today time.Time) bool {
	if s.Type != Integration {
		return false
	}
	return a.Status != Stagiaire || a.AppointedOn.Before(Day(today).AddDate(-1, 0, 0))
}

// Mover is who moves a registration from a state to another.
type Mover string

// The movers.
const (
	MoverCT     Mover = "ct"     // an account of the registration's CT
	MoverStaff  Mover = "staff"  // an agent of the CNFPT
	MoverSystem Mover = "system" // the portal itself: a freed place promotes the waiting list
)

// registrationMoves is the transitions table: for each state, the states
// it may move to, and who may move it there.
var registrationMoves = map[RegistrationState]map[RegistrationState][]Mover{
	RegistrationSent: {
		RegistrationAccepted:  {MoverStaff},
		RegistrationRefused:   {MoverStaff},
		RegistrationWaiting:   {MoverStaff},
		RegistrationCancelled: {MoverCT},
	},
	RegistrationWaiting: {
		RegistrationAccepted:  {MoverStaff, MoverSystem},
		RegistrationRefused:   {MoverStaff},
		RegistrationCancelled: {MoverCT},
	},
	RegistrationAccepted: {
		RegistrationCancelled: {MoverCT},
		RegistrationPresent:   {MoverStaff},
		RegistrationAbsent:    {MoverStaff},
	},
	// refusée, annulée, présent and absent are final: staff record
	// attendance once.
}

// CanMove reports whether by may move a registration from state from to
// state to. Staff cancelling a whole session is CancelSession's, not a
// move of this table.
func CanMove(from, to RegistrationState, by Mover) bool {
	return slices.Contains(registrationMoves[from][to], by)
}

// Live reports whether the registration still counts: not annulée. An
// agent has one live registration per session.
func (s RegistrationState) Live() bool { return s != RegistrationCancelled }

// TakesPlace reports whether the registration holds a place of its
// session: acceptée, présent or absent.
func (s RegistrationState) TakesPlace() bool {
	return s == RegistrationAccepted || s == RegistrationPresent || s == RegistrationAbsent
}

// The refusals of registrations and decisions, as the person reads them.
var (
	ErrSessionCancelled        = Errorf(Conflict, "", "Cette session a été annulée : elle ne prend plus d'inscription.")
	ErrSessionStarted          = Errorf(Conflict, "", "Cette session a déjà commencé : elle ne prend plus d'inscription.")
	ErrDeadlinePassed          = Errorf(Conflict, "", "La date limite d'inscription à cette session est passée.")
	ErrNoAgentChosen           = Errorf(Invalid, FieldAgents, "Choisissez au moins un agent à inscrire.")
	ErrSessionFull             = Errorf(Conflict, "", "La session est complète : il n'y a plus de place pour accepter cette inscription. Mettez-la en liste d'attente.")
	ErrCapacityBelow           = Errorf(Invalid, FieldCapacity, "La capacité ne peut pas être inférieure au nombre d'inscriptions déjà acceptées.")
	ErrSessionCodeTaken        = Errorf(Conflict, FieldCode, "Une session porte déjà ce code.")
	ErrNotStartedYet           = Errorf(Conflict, "", "La présence ne peut être indiquée qu'à partir du premier jour de la session.")
	ErrCancelTooLate           = Errorf(Conflict, "", "La session a commencé : l'inscription ne peut plus être annulée.")
	ErrSessionAlreadyCancelled = Errorf(Conflict, "", "Cette session est déjà annulée.")
	// ErrSessionOver refuses to cancel a session whose last day is past.
	ErrSessionOver = Errorf(Conflict, "", "Cette session est terminée : elle ne peut plus être annulée.")
)

// ErrAgentLeft refuses to register agent a, who left the CT.
func ErrAgentLeft(a Agent) *Error {
	return Errorf(Conflict, FieldAgents, a.FullName()+" a quitté la collectivité : cet agent ne peut plus être inscrit.")
}

// ErrAlreadyRegistered refuses to register agent a twice to one session.
func ErrAlreadyRegistered(a Agent) *Error {
	return Errorf(Conflict, FieldAgents, a.FullName()+" est déjà inscrit à cette session.")
}

// ErrCannotMove refuses a move the transitions table does not allow, from
// a registration in state from.
func ErrCannotMove(from RegistrationState) *Error {
	return Errorf(Conflict, "", "Cette inscription est dans l'état « "+from.Label()+" » : cette action n'est pas possible.")
}
