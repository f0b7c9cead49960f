package domain

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func goodSessionInput() SessionInput {
	return SessionInput{Code: " int-2026-01 ", Title: "Découvrir  la FPT", Type: "integration", StartsOn: "12/01/2026", EndsOn: "2026-01-15",
		Hours: "9 h 00 – 17 h 00", Place: "CNFPT Angers", Capacity: " 20 ", Deadline: "05/01/2026", Audience: "Stagiaires"}
}

func TestParseSession(t *testing.T) {
	s, errs := ParseSession(goodSessionInput(), nil)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	want := Session{Code: "INT-2026-01", Title: "Découvrir la FPT", Type: Integration, TypeLabel: "Formation d'intégration", StartsOn: time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC),
		EndsOn: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), Hours: "9 h 00 – 17 h 00", Place: "CNFPT Angers", Capacity: 20,
		Deadline: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Audience: "Stagiaires"}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("session (-want +got):\n%s", diff)
	}
	if CheckSession(s) != nil {
		t.Errorf("CheckSession refuses a parsed session: %v", CheckSession(s))
	}
	if got := SessionInputOf(s); got.Code != "INT-2026-01" || got.StartsOn != "12/01/2026" || got.Capacity != "20" {
		t.Errorf("SessionInputOf = %+v", got)
	}
	if s, errs := ParseSession(SessionInput{Type: "Formation inter"}, nil); s.Type != Inter || hasField(errs, FieldType) {
		t.Errorf("the label of a type is accepted: %v %v", s.Type, errs)
	}

	tests := []struct {
		name  string
		edit  func(*SessionInput)
		field Field
		msg   string
	}{
		{"no code", func(in *SessionInput) { in.Code = " " }, FieldCode, "Saisissez le code."},
		{"long code", func(in *SessionInput) { in.Code = "ABCDEFGHIJABCDEFGHIJABCDEFGHIJK" }, FieldCode, "Le code ne doit pas dépasser 30 caractères."},
		{"no title", func(in *SessionInput) { in.Title = "" }, FieldTitle, "Saisissez l'intitulé."},
		{"title with a tab", func(in *SessionInput) { in.Title = "a\tb" }, FieldTitle, "L'intitulé ne doit contenir ni retour à la ligne, ni tabulation, ni caractère de contrôle ou illisible."},
		{"no type", func(in *SessionInput) { in.Type = "" }, FieldType, "Choisissez le type de formation."},
		{"unknown type", func(in *SessionInput) { in.Type = "union" }, FieldType, "Ce type de formation n'existe pas."},
		{"no start", func(in *SessionInput) { in.StartsOn = "" }, FieldStartsOn, "Saisissez la date de début."},
		{"bad start", func(in *SessionInput) { in.StartsOn = "12-01-2026" }, FieldStartsOn, "La date de début doit être au format JJ/MM/AAAA, par exemple 14/07/1985."},
		{"no such end", func(in *SessionInput) { in.EndsOn = "31/02/2026" }, FieldEndsOn, "La date de fin n'existe pas : vérifiez le jour et le mois."},
		{"end before start", func(in *SessionInput) { in.EndsOn = "11/01/2026" }, FieldEndsOn, "La date de fin ne peut pas précéder la date de début."},
		{"too long", func(in *SessionInput) { in.EndsOn = "13/03/2026" }, FieldEndsOn, "Une session ne peut pas durer plus de 60 jours."},
		{"no hours", func(in *SessionInput) { in.Hours = "" }, FieldHours, "Saisissez les horaires."},
		{"no place", func(in *SessionInput) { in.Place = "" }, FieldPlace, "Saisissez le lieu."},
		{"no capacity", func(in *SessionInput) { in.Capacity = "" }, FieldCapacity, "Saisissez la capacité."},
		{"capacity not a number", func(in *SessionInput) { in.Capacity = "douze" }, FieldCapacity, "La capacité doit être un nombre entier, par exemple 15."},
		{"capacity zero", func(in *SessionInput) { in.Capacity = "0" }, FieldCapacity, "La capacité doit être comprise entre 1 et 1\u202f000 places."},
		{"deadline after start", func(in *SessionInput) { in.Deadline = "13/01/2026" }, FieldDeadline, "La date limite d'inscription ne peut pas être postérieure à la date de début."},
		{"no audience", func(in *SessionInput) { in.Audience = "" }, FieldAudience, "Saisissez le public visé."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := goodSessionInput()
			tt.edit(&in)
			_, errs := ParseSession(in, nil)
			if len(errs) != 1 || errs[0].Field != tt.field || errs[0].Message != tt.msg || errs[0].Kind != Invalid {
				t.Fatalf("errors = %+v, want one on %s: %q", errs, tt.field, tt.msg)
			}
		})
	}
	// The deadline may be the first day itself; a third type is a row the caller passes.
	in := goodSessionInput()
	in.Deadline, in.Type = in.StartsOn, "union"
	types := []TypeLabel{{Type: Integration, Label: Integration.Label()}, {Type: Inter, Label: Inter.Label()}, {Type: "union", Label: "Formation union"}}
	if _, errs := ParseSession(in, types); len(errs) != 0 {
		t.Errorf("errors: %v", errs)
	}
	// Written as the table's label, whatever the case and accents.
	in.Type = "FORMATION UNION"
	if s, errs := ParseSession(in, types); len(errs) != 0 || s.Type != "union" || s.TypeName() != "Formation union" {
		t.Errorf("by its label: type %q %q, errors %v", s.Type, s.TypeName(), errs)
	}
}

func hasField(errs []*Error, f Field) bool {
	for _, e := range errs {
		if e.Field == f {
			return true
		}
	}
	return false
}

func TestCanMove(t *testing.T) {
	allowed := map[[2]RegistrationState][]Mover{
		{RegistrationSent, RegistrationAccepted}:      {MoverStaff},
		{RegistrationSent, RegistrationRefused}:       {MoverStaff},
		{RegistrationSent, RegistrationWaiting}:       {MoverStaff},
		{RegistrationSent, RegistrationCancelled}:     {MoverCT},
		{RegistrationWaiting, RegistrationAccepted}:   {MoverStaff, MoverSystem},
		{RegistrationWaiting, RegistrationRefused}:    {MoverStaff},
		{RegistrationWaiting, RegistrationCancelled}:  {MoverCT},
		{RegistrationAccepted, RegistrationCancelled}: {MoverCT},
		{RegistrationAccepted, RegistrationPresent}:   {MoverStaff},
		{RegistrationAccepted, RegistrationAbsent}:    {MoverStaff},
	}
	for _, from := range RegistrationStates {
		for _, to := range RegistrationStates {
			for _, by := range []Mover{MoverCT, MoverStaff, MoverSystem} {
				want := false
				for _, m := range allowed[[2]RegistrationState{from, to}] {
					want = want || m == by
				}
				if got := CanMove(from, to, by); got != want {
					t.Errorf("CanMove(%s, %s, %s) = %v, want %v", from, to, by, got, want)
				}
			}
		}
	}
}

func TestRegistrationStateLabels(t *testing.T) {
	var got []string
	for _, s := range RegistrationStates {
		got = append(got, s.Label())
	}
	want := []string{"transmise", "acceptée", "refusée", "liste d'attente", "annulée", "présent", "absent"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
}

func TestNeedsIntegrationConfirmation(t *testing.T) {
	today := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	integ, inter := Session{Type: Integration}, Session{Type: Inter}
	tests := []struct {
		name    string
		status  AgentStatus
		appoint time.Time
		session Session
		want    bool
	}{
		{"stagiaire appointed this year", Stagiaire, today.AddDate(0, -3, 0), integ, false},
		{"stagiaire appointed a year ago to the day", Stagiaire, today.AddDate(-1, 0, 0), integ, false},
		{"stagiaire appointed more than a year ago", Stagiaire, today.AddDate(-1, 0, -1), integ, true},
		{"titulaire", Titulaire, today.AddDate(0, -1, 0), integ, true},
		{"contractuel", Contractuel, today.AddDate(0, -1, 0), integ, true},
		{"inter never asks", Titulaire, today.AddDate(-10, 0, 0), inter, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Agent{Status: tt.status, AppointedOn: tt.appoint}
			if got := NeedsIntegrationConfirmation(a, tt.session, today); got != tt.want {
				t.Errorf("= %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSessionDays(t *testing.T) {
	s := Session{StartsOn: time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC),
		Deadline: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Capacity: 5, Accepted: 7}
	if s.Days() != 4 || s.PlacesLeft() != 0 {
		t.Errorf("Days, PlacesLeft = %d, %d", s.Days(), s.PlacesLeft())
	}
	for _, tt := range []struct {
		day           time.Time
		open, started bool
	}{
		{time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), true, false},
		{time.Date(2026, 1, 6, 0, 0, 0, 0, time.UTC), false, false},
		{time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC), false, true},
	} {
		if s.Open(tt.day) != tt.open || s.Started(tt.day) != tt.started {
			t.Errorf("%s: Open, Started = %v, %v", FormatDay(tt.day), s.Open(tt.day), s.Started(tt.day))
		}
	}
	// 23:30 UTC on 4 January is already 5 January in Paris.
	if got := ParisDay(time.Date(2026, 1, 4, 23, 30, 0, 0, time.UTC)); !got.Equal(time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParisDay = %v", got)
	}
}

func TestCheckMotif(t *testing.T) {
	if m, err := CheckMotif("  Session complète  "); err != nil || m != "Session complète" {
		t.Errorf("CheckMotif = %q, %v", m, err)
	}
	for _, bad := range []string{"", "  ", "a\x00b", strings.Repeat("é", 501)} {
		if _, err := CheckMotif(bad); err == nil || err.Field != FieldMotif {
			t.Errorf("CheckMotif(%q) = %v", bad, err)
		}
	}
}
