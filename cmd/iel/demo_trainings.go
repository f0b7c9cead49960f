package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// demoSession is a session of the demo's catalogue. Its days are counted
// from the day the demo runs, so that the catalogue holds past sessions
// and sessions to come whatever the day: it starts on the weekday on or
// before that day start days from today (negative: in the past).
type demoSession struct {
	code, title string
	typ         domain.TrainingType
	start       int          // days from today to the start, before the weekday
	weekday     time.Weekday // the day of the week it starts
	days        int          // how many days it lasts
	hours       string
	place       string
	capacity    int
	deadline    int // days between the deadline and the start
	audience    string
}

// The places of the demo's sessions, in Maine-et-Loire and in Vendée.
const (
	placeAngers   = "CNFPT Pays de la Loire, antenne d'Angers, 2 rue Lakanal, 49100 Angers"
	placeCholet   = "Hôtel de ville de Cholet, salle du conseil, rue Saint-Bonaventure, 49300 Cholet"
	placeSaumur   = "Centre technique municipal, 4 rue Fardeau, 49400 Saumur"
	placeRoche    = "CNFPT Pays de la Loire, antenne de Vendée, 17 boulevard Aristide-Briand, 85000 La Roche-sur-Yon"
	placeSables   = "Maison des associations, 8 rue de la Poissonnerie, 85100 Les Sables-d'Olonne"
	placeFontenay = "Centre de formation du SDIS, 12 rue des Gravants, 85200 Fontenay-le-Comte"
	hoursDay      = "9 h 00 – 12 h 30 et 13 h 30 – 17 h 00"
	hoursShort    = "9 h 00 – 12 h 00 et 13 h 30 – 16 h 30"
)

// The codes of the sessions the demo's registrations are about.
const (
	demoPastInter       = "ACCUEIL-49-01" // past: présent, absent, refusée
	demoPastIntegration = "INTEGC-49-01"  // past: présent, présent
	demoFull            = "HABELEC-85-02" // full, with its waiting list
	demoDecided         = "MARCHES-49-01" // acceptée, refusée, transmise
	demoSoon            = "SST-49-03"     // acceptée, in ten days or so
	demoIntegrationB    = "INTEGB-85-01"  // transmise today
)

// demoCatalogue is the demo's catalogue: a few past sessions, the others
// over the coming months, of both types.
var demoCatalogue = []demoSession{
	{demoPastInter, "Accueil du public et gestion des situations difficiles", domain.Inter, -45, time.Tuesday, 2, hoursDay, placeCholet, 12, 15,
		"Agents d'accueil, agents des services à la population"},
	{demoPastIntegration, "Formation d'intégration des agents de catégorie C", domain.Integration, -28, time.Monday, 5, hoursDay, placeAngers, 20, 21,
		"Agents de catégorie C nommés stagiaires depuis moins d'un an"},
	{demoSoon, "Sauveteur secouriste du travail : formation initiale", domain.Inter, 10, time.Thursday, 2, hoursDay, placeCholet, 10, 7,
		"Tout agent désigné par sa collectivité"},
	{demoFull, "Habilitation électrique B0-H0V : personnel non électricien", domain.Inter, 21, time.Tuesday, 2, hoursDay, placeSables, 4, 14,
		"Agents techniques intervenant à proximité d'installations électriques"},
	{demoDecided, "Initiation aux marchés publics", domain.Inter, 35, time.Tuesday, 3, hoursDay, placeRoche, 15, 21,
		"Agents chargés de la commande publique, gestionnaires administratifs"},
	{demoIntegrationB, "Formation d'intégration des agents de catégorie B", domain.Integration, 49, time.Monday, 5, hoursDay, placeRoche, 18, 28,
		"Agents de catégorie B nommés stagiaires depuis moins d'un an"},
	{"ACTES-49-02", "Rédaction des actes administratifs", domain.Inter, 28, time.Thursday, 2, hoursDay, placeAngers, 14, 14,
		"Secrétaires de mairie, rédacteurs, assistants administratifs"},
	{"PRAP-49-01", "Prévention des risques liés à l'activité physique", domain.Inter, 42, time.Wednesday, 2, hoursShort, placeSaumur, 10, 21,
		"Agents des services techniques, de restauration et d'entretien"},
	{"INTEGC-85-02", "Formation d'intégration des agents de catégorie C", domain.Integration, 63, time.Monday, 5, hoursDay, placeRoche, 20, 28,
		"Agents de catégorie C nommés stagiaires depuis moins d'un an"},
	{"ENTPRO-49-01", "Conduire l'entretien professionnel annuel", domain.Inter, 70, time.Thursday, 1, hoursDay, placeAngers, 16, 21,
		"Encadrants de proximité et responsables de service"},
	{"ESPVERTS-85-01", "Gestion écologique des espaces verts sans pesticides", domain.Inter, 84, time.Tuesday, 2, hoursShort, placeFontenay, 12, 21,
		"Agents des espaces verts et des services techniques"},
	{"INTEGA-49-01", "Formation d'intégration des agents de catégorie A", domain.Integration, 98, time.Monday, 5, hoursDay, placeAngers, 24, 35,
		"Agents de catégorie A nommés stagiaires depuis moins d'un an"},
	{"STATUT-85-01", "Le statut de la fonction publique territoriale", domain.Inter, 112, time.Tuesday, 2, hoursDay, placeRoche, 20, 21,
		"Agents nouvellement arrivés dans la fonction publique territoriale"},
	{"INTEGC-49-03", "Formation d'intégration des agents de catégorie C", domain.Integration, 140, time.Monday, 5, hoursDay, placeCholet, 20, 28,
		"Agents de catégorie C nommés stagiaires depuis moins d'un an"},
}

// sessionOf is the session d describes, the demo running on day today.
// A session that would span a public holiday or the days between
// Christmas and New Year moves a week: earlier in the past, later to come.
func (d demoSession) sessionOf(today time.Time) domain.Session {
	start := today.AddDate(0, 0, d.start)
	for start.Weekday() != d.weekday {
		start = start.AddDate(0, 0, -1)
	}
	week := 7
	if d.start < 0 {
		week = -7
	}
	for spansHoliday(start, d.days) {
		start = start.AddDate(0, 0, week)
	}
	return domain.Session{Code: d.code, Title: d.title, Type: d.typ, StartsOn: start, EndsOn: start.AddDate(0, 0, d.days-1),
		Hours: d.hours, Place: d.place, Capacity: d.capacity, Deadline: start.AddDate(0, 0, -d.deadline), Audience: d.audience}
}

// spansHoliday reports whether the days days from start hold a fixed
// public holiday of France or one of the days from 24 December to
// 1 January, when the CNFPT holds no session.
func spansHoliday(start time.Time, days int) bool {
	for i := range days {
		day := start.AddDate(0, 0, i)
		m, d := day.Month(), day.Day()
		switch {
		case m == time.December && d >= 24, m == time.January && d == 1,
			m == time.May && (d == 1 || d == 8), m == time.July && d == 14,
			m == time.August && d == 15, m == time.November && (d == 1 || d == 11):
			return true
		}
	}
	return false
}

// demoEvent is one step of the demo's trainings, done with the store's
// clock at at.
type demoEvent struct {
	at time.Time
	do func() error
}

// demoTrainings is what seedDemoTrainings needs to tell the story.
type demoTrainings struct {
	st      *store.Store
	letters *mail.Letters
	ct      domain.Collectivity
	staff   context.Context // the demo's agent of the CNFPT
	holder  context.Context // the CT's principal
	op      context.Context // the CT's operator Sophie Énard
	now     time.Time
	today   time.Time
	// sessions by code, once published; agents to register, by kind, not
	// yet taken; registrations by agent's place in the story.
	sessions   map[string]domain.Session
	stagiaires []domain.Agent
	others     []domain.Agent
	regs       map[string]int64 // "code/n": the n-th agent registered to code
	events     []demoEvent
}

// seedDemoTrainings publishes the demo's catalogue, as the demo's agent of
// the CNFPT, and has the Département de Maine-et-Loire register its agents
// to it, in every state a registration can be in: transmise, acceptée,
// refusée, liste d'attente, annulée, présent and absent; a session full
// with its waiting list; past sessions whose attendance gives
// attestations de présence. Everything goes through the store's methods
// with the real letters, so the mail viewer shows the e-mails with their
// PDF documents and calendar events. What happened before today is done
// with the store's clock moved back to its day, then restored.
func seedDemoTrainings(ctx context.Context, st *store.Store, letters *mail.Letters) error {
	d, err := newDemoTrainings(ctx, st, letters)
	if err != nil {
		return fmt.Errorf("demo trainings: %w", err)
	}
	clock := st.Now
	defer func() { st.Now = clock }()
	d.plan()
	slices.SortStableFunc(d.events, func(a, b demoEvent) int { return a.at.Compare(b.at) })
	for _, e := range d.events {
		if e.at.After(d.now) {
			return fmt.Errorf("demo trainings: a step on %s, after now", e.at)
		}
		st.Now = func() time.Time { return e.at }
		if err := e.do(); err != nil {
			return fmt.Errorf("demo trainings, on %s: %w", e.at.Format(time.DateOnly), err)
		}
	}
	return nil
}

func newDemoTrainings(ctx context.Context, st *store.Store, letters *mail.Letters) (*demoTrainings, error) {
	now := st.Now()
	d := &demoTrainings{st: st, letters: letters, now: now, today: domain.ParisDay(now),
		sessions: map[string]domain.Session{}, regs: map[string]int64{}}
	staff, err := st.ListStaff(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range staff {
		if a.Email == demoStaffEmail {
			d.staff = as(ctx, a)
		}
	}
	ct, accounts, err := st.GetCollectivityAccounts(ctx, demoMaine)
	if err != nil {
		return nil, err
	}
	d.ct = ct
	for _, a := range accounts {
		switch {
		case a.State != domain.StateActive:
		case a.Role == domain.RolePrincipal:
			d.holder = as(ctx, a)
		case a.Role == domain.RoleOperator:
			d.op = as(ctx, a)
		}
	}
	if d.staff == nil || d.holder == nil || d.op == nil {
		return nil, errors.New("the demo's agent of the CNFPT, principal or operator is missing")
	}
	agents, err := st.ListAllAgents(ctx, ct.ID, store.AgentFilter{})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(agents, func(a, b store.Agent) int { return cmp.Compare(a.ID, b.ID) })
	for _, a := range agents {
		if a.Status == domain.Stagiaire {
			d.stagiaires = append(d.stagiaires, a.Agent)
		} else {
			d.others = append(d.others, a.Agent)
		}
	}
	// The stagiaires appointed last first: the Formation d'intégration is
	// due in their first year.
	slices.SortStableFunc(d.stagiaires, func(a, b domain.Agent) int { return b.AppointedOn.Compare(a.AppointedOn) })
	return d, nil
}

// at is the moment days days before today (a negative days) at ten in the
// morning, Paris time, when the demo's people work; days 0 is now.
func (d *demoTrainings) at(days int) time.Time {
	if days >= 0 {
		return d.now
	}
	return d.today.AddDate(0, 0, days).Add(9 * time.Hour)
}

// fromStart is the moment days days from the start of session code, at ten
// in the morning, Paris time.
func (d *demoTrainings) fromStart(code string, days int) time.Time {
	for _, s := range demoCatalogue {
		if s.code == code {
			return s.sessionOf(d.today).StartsOn.AddDate(0, 0, days).Add(9 * time.Hour)
		}
	}
	panic("demo: no session " + code)
}

func (d *demoTrainings) add(at time.Time, do func() error) {
	d.events = append(d.events, demoEvent{at: at, do: do})
}

// register adds the registration, by ctx, of n agents to session code:
// stagiaires to a Formation d'intégration, other agents to a Formation
// inter, each agent once in the demo. They are code/1 … code/n.
func (d *demoTrainings) register(ctx context.Context, at time.Time, code string, n int) {
	var agents []domain.Agent
	pool := &d.others
	for _, s := range demoCatalogue {
		if s.code == code && s.typ == domain.Integration {
			pool = &d.stagiaires
		}
	}
	agents, *pool = (*pool)[:n], (*pool)[n:]
	d.add(at, func() error {
		var ids []int64
		for _, a := range agents {
			ids = append(ids, a.ID)
		}
		regs, err := d.st.Register(ctx, d.ct.ID, d.sessions[code].ID, ids, d.letters)
		if err != nil {
			return fmt.Errorf("register to %s: %w", code, err)
		}
		for i, r := range regs {
			d.regs[fmt.Sprintf("%s/%d", code, i+1)] = r.ID
		}
		return nil
	})
}

// decide adds a step on registration code/n: the store's method move,
// called as staff or, to cancel, as the CT's operator.
func (d *demoTrainings) decide(at time.Time, code string, n int, to domain.RegistrationState, motif string) {
	d.add(at, func() error {
		id, ok := d.regs[fmt.Sprintf("%s/%d", code, n)]
		if !ok {
			return fmt.Errorf("no registration %s/%d", code, n)
		}
		var err error
		switch to {
		case domain.RegistrationAccepted:
			_, err = d.st.AcceptRegistration(d.staff, id, d.letters)
		case domain.RegistrationRefused:
			_, err = d.st.RefuseRegistration(d.staff, id, motif, d.letters)
		case domain.RegistrationWaiting:
			_, err = d.st.WaitlistRegistration(d.staff, id, d.letters)
		case domain.RegistrationPresent:
			_, err = d.st.MarkPresent(d.staff, id, d.letters)
		case domain.RegistrationAbsent:
			_, err = d.st.MarkAbsent(d.staff, id)
		case domain.RegistrationCancelled:
			_, err = d.st.CancelRegistration(d.op, d.ct.ID, id, d.letters)
		default:
			err = fmt.Errorf("no move to %s", to)
		}
		if err != nil {
			return fmt.Errorf("registration %s/%d to %s: %w", code, n, to.Label(), err)
		}
		return nil
	})
}

// plan lays out the demo's story of trainings, in no particular order:
// seedDemoTrainings plays it by date.
func (d *demoTrainings) plan() {
	// The CNFPT published its catalogue some months ago.
	d.add(d.at(-100), func() error {
		for _, ds := range demoCatalogue {
			s, err := d.st.CreateSession(d.staff, ds.sessionOf(d.today))
			if err != nil {
				return fmt.Errorf("publish %s: %w", ds.code, err)
			}
			d.sessions[s.Code] = s
		}
		return nil
	})
	accepted, refused, waiting := domain.RegistrationAccepted, domain.RegistrationRefused, domain.RegistrationWaiting
	present, absent, cancelled := domain.RegistrationPresent, domain.RegistrationAbsent, domain.RegistrationCancelled

	// Past: a Formation inter; one agent came, one did not, one was refused.
	c := demoPastInter
	d.register(d.holder, d.fromStart(c, -30), c, 3)
	d.decide(d.fromStart(c, -12), c, 1, accepted, "")
	d.decide(d.fromStart(c, -12), c, 2, accepted, "")
	d.decide(d.fromStart(c, -12), c, 3, refused, "Deux agents au plus par collectivité sur cette session : les autres demandes sont reportées sur la session de printemps.")
	d.decide(d.fromStart(c, 2), c, 1, present, "")
	d.decide(d.fromStart(c, 2), c, 2, absent, "")

	// Past: a Formation d'intégration, registered by the operator; both attended.
	c = demoPastIntegration
	d.register(d.op, d.fromStart(c, -35), c, 2)
	d.decide(d.fromStart(c, -20), c, 1, accepted, "")
	d.decide(d.fromStart(c, -20), c, 2, accepted, "")
	d.decide(d.fromStart(c, 4), c, 1, present, "")
	d.decide(d.fromStart(c, 4), c, 2, present, "")

	// Soon: one agent accepted; the reminder comes a week before.
	c = demoSoon
	d.register(d.holder, d.at(-20), c, 1)
	d.decide(d.at(-15), c, 1, accepted, "")

	// Full: four places, six agents; one accepted agent cancelled, and
	// the first of the waiting list took the place.
	c = demoFull
	d.register(d.holder, d.at(-12), c, 6)
	for n := 1; n <= 4; n++ {
		d.decide(d.at(-6), c, n, accepted, "")
	}
	d.decide(d.at(-6), c, 5, waiting, "")
	d.decide(d.at(-6), c, 6, waiting, "")
	d.decide(d.at(-2), c, 2, cancelled, "")

	// Decided in part: one accepted, one refused, one to decide.
	c = demoDecided
	d.register(d.holder, d.at(-4), c, 3)
	d.decide(d.at(-1), c, 1, accepted, "")
	d.decide(d.at(-1), c, 2, refused, "Cette session s'adresse aux agents qui passent des marchés : le poste de l'agent ne le prévoit pas. Une session « Achat public : les bases » lui conviendra mieux.")

	// Today: the operator registers two stagiaires, to decide.
	d.register(d.op, d.at(0), demoIntegrationB, 2)
}
