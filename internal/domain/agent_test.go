package domain

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

var agentToday = time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)

// goodAgent is a valid agent as typed.
func goodAgent() AgentInput {
	return AgentInput{Civility: "Mme", LastName: "Durand", FirstName: "Hélène", BirthDate: "17/05/1980", Email: "",
		Category: "B", Status: "titulaire", Grade: "Rédacteur principal de 2e classe", AppointedOn: "01/09/2005"}
}

func TestParseAgent(t *testing.T) {
	tests := []struct {
		name   string
		change func(*AgentInput)
		field  Field  // the field refused; "" when valid
		msg    string // the refusal
		check  func(t *testing.T, a Agent)
	}{
		{name: "valid", change: func(*AgentInput) {}, check: func(t *testing.T, a Agent) {
			want := Agent{Civility: Madame, LastName: "Durand", FirstName: "Hélène", BirthDate: time.Date(1980, 5, 17, 0, 0, 0, 0, time.UTC),
				Category: CategoryB, Status: Titulaire, Grade: "Rédacteur principal de 2e classe", AppointedOn: time.Date(2005, 9, 1, 0, 0, 0, 0, time.UTC)}
			if diff := cmp.Diff(want, a); diff != "" {
				t.Errorf("agent (-want +got):\n%s", diff)
			}
		}},
		{name: "labels and spaces", change: func(in *AgentInput) {
			in.Civility, in.Category, in.Status = " Monsieur ", "c", "CONTRACTUELLE"
			in.LastName, in.Grade = "  Le   Gall ", "Adjoint\u00a0technique"
			in.BirthDate, in.AppointedOn = "1980-05-17", "1/9/2005"
			in.Email = " Anne.LeGall@Cholet.Example.FR "
		}, check: func(t *testing.T, a Agent) {
			if a.Civility != Monsieur || a.Category != CategoryC || a.Status != Contractuel || a.LastName != "Le Gall" || a.Grade != "Adjoint technique" ||
				!a.BirthDate.Equal(time.Date(1980, 5, 17, 0, 0, 0, 0, time.UTC)) || !a.AppointedOn.Equal(time.Date(2005, 9, 1, 0, 0, 0, 0, time.UTC)) ||
				a.Email != "Anne.LeGall@cholet.example.fr" {
				t.Errorf("agent %+v", a)
			}
		}},
		{name: "civility M.", change: func(in *AgentInput) { in.Civility = "M." }},
		{name: "no civility", change: func(in *AgentInput) { in.Civility = "" }, field: FieldCivility, msg: "Choisissez la civilité."},
		{name: "unknown civility", change: func(in *AgentInput) { in.Civility = "Dr" }, field: FieldCivility, msg: "La civilité doit être « M. » ou « Mme »."},
		{name: "no name", change: func(in *AgentInput) { in.LastName = "  " }, field: FieldLastName, msg: "Saisissez le nom."},
		{name: "name on two lines", change: func(in *AgentInput) { in.LastName = "Du\nrand" }, field: FieldLastName, msg: "Le nom ne doit contenir ni retour à la ligne"},
		{name: "first name too long", change: func(in *AgentInput) { in.FirstName = string(bytes.Repeat([]byte("é"), 101)) }, field: FieldFirstName,
			msg: "Le prénom ne doit pas dépasser 100 caractères."},
		{name: "no birth date", change: func(in *AgentInput) { in.BirthDate = "" }, field: FieldBirthDate, msg: "Saisissez la date de naissance."},
		{name: "birth date two-digit year", change: func(in *AgentInput) { in.BirthDate = "17/05/80" }, field: FieldBirthDate,
			msg: "La date de naissance doit être au format JJ/MM/AAAA, par exemple 14/07/1985."},
		{name: "birth date backwards", change: func(in *AgentInput) { in.BirthDate = "1980/05/17" }, field: FieldBirthDate, msg: "au format JJ/MM/AAAA"},
		{name: "birth date with dashes", change: func(in *AgentInput) { in.BirthDate = "17-05-1980" }, field: FieldBirthDate, msg: "au format JJ/MM/AAAA"},
		{name: "birth date in words", change: func(in *AgentInput) { in.BirthDate = "17 mai 1980" }, field: FieldBirthDate, msg: "au format JJ/MM/AAAA"},
		{name: "birth date that does not exist", change: func(in *AgentInput) { in.BirthDate = "31/02/1980" }, field: FieldBirthDate,
			msg: "La date de naissance n'existe pas : vérifiez le jour et le mois."},
		{name: "month 13", change: func(in *AgentInput) { in.BirthDate = "1980-13-01" }, field: FieldBirthDate, msg: "n'existe pas"},
		{name: "29 February of a leap year", change: func(in *AgentInput) { in.BirthDate = "29/02/1980" }},
		{name: "29 February of another year", change: func(in *AgentInput) { in.BirthDate = "29/02/1981" }, field: FieldBirthDate, msg: "n'existe pas"},
		{name: "too young", change: func(in *AgentInput) { in.BirthDate = "11/03/2011" }, field: FieldBirthDate,
			msg: "La date de naissance doit être comprise entre le 10/03/1926 et le 10/03/2011."},
		{name: "15 today", change: func(in *AgentInput) { in.BirthDate, in.AppointedOn = "10/03/2011", "10/03/2027" }, field: FieldAppointedOn,
			msg: "ne peut pas être postérieure au 10/09/2026."},
		{name: "too old", change: func(in *AgentInput) { in.BirthDate = "09/03/1926" }, field: FieldBirthDate, msg: "comprise entre"},
		{name: "year 0", change: func(in *AgentInput) { in.BirthDate = "01/01/0000" }, field: FieldBirthDate, msg: "comprise entre"},
		{name: "bad address", change: func(in *AgentInput) { in.Email = "helene.durand@" }, field: FieldEmail,
			msg: "Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr, ou laissez le champ vide."},
		{name: "no category", change: func(in *AgentInput) { in.Category = "" }, field: FieldCategory, msg: "Choisissez la catégorie."},
		{name: "category D", change: func(in *AgentInput) { in.Category = "D" }, field: FieldCategory, msg: "La catégorie doit être A, B ou C."},
		{name: "no status", change: func(in *AgentInput) { in.Status = "" }, field: FieldStatus, msg: "Choisissez le statut."},
		{name: "unknown status", change: func(in *AgentInput) { in.Status = "vacataire" }, field: FieldStatus,
			msg: "Le statut doit être Titulaire, Stagiaire ou Contractuel."},
		{name: "no grade", change: func(in *AgentInput) { in.Grade = "" }, field: FieldGrade, msg: "Saisissez le grade."},
		{name: "no nomination", change: func(in *AgentInput) { in.AppointedOn = "" }, field: FieldAppointedOn, msg: "Saisissez la date de nomination."},
		{name: "nomination before 16", change: func(in *AgentInput) { in.AppointedOn = "16/05/1996" }, field: FieldAppointedOn,
			msg: "La date de nomination ne peut pas précéder les 16 ans de l'agent (17/05/1996)."},
		{name: "nomination at 16", change: func(in *AgentInput) { in.AppointedOn = "17/05/1996" }},
		{name: "nomination in 6 months", change: func(in *AgentInput) { in.AppointedOn = "10/09/2026" }},
		{name: "nomination too far ahead", change: func(in *AgentInput) { in.AppointedOn = "11/09/2026" }, field: FieldAppointedOn,
			msg: "La date de nomination ne peut pas être postérieure au 10/09/2026."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := goodAgent()
			tt.change(&in)
			a, errs := ParseAgent(in, agentToday.Add(15*time.Hour))
			if tt.field == "" {
				if len(errs) > 0 {
					t.Fatalf("refused: %v", errs[0])
				}
				if derr := CheckAgent(a); derr != nil {
					t.Errorf("CheckAgent refuses what ParseAgent accepts: %v", derr)
				}
				if tt.check != nil {
					tt.check(t, a)
				}
				return
			}
			if len(errs) != 1 || errs[0].Field != tt.field || !bytes.Contains([]byte(errs[0].Message), []byte(tt.msg)) {
				t.Fatalf("errors %v, want one on %s saying %q", errs, tt.field, tt.msg)
			}
		})
	}
}

func TestParseAgentEveryField(t *testing.T) {
	_, errs := ParseAgent(AgentInput{}, agentToday)
	var got []Field
	for _, e := range errs {
		got = append(got, e.Field)
	}
	want := []Field{FieldCivility, FieldLastName, FieldFirstName, FieldBirthDate, FieldCategory, FieldStatus, FieldGrade, FieldAppointedOn}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fields refused in an empty form (-want +got):\n%s", diff)
	}
}

func TestSearchFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hélène", "helene"},
		{"  LEFÈVRE  ", "lefevre"},
		{"Jean-Pierre L'Hôte", "jean pierre l hote"},
		{"Cœur Æsa Straße", "coeur aesa strasse"},
		{"100% _x_", "100 x"},
		{"Ñúñez Çağlar", "nunez caglar"},
	}
	for _, tt := range tests {
		if got := SearchFold(tt.in); got != tt.want {
			t.Errorf("SearchFold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestAgentSortKey: sort keys compared as bytes order names as the
// French collation does, name first, then first name.
func TestAgentSortKey(t *testing.T) {
	people := [][2]string{{"Zola", "Émile"}, {"Émond", "Zoé"}, {"Emond", "Abel"}, {"emond", "abel"}, {"Legall", "Bruno"}, {"Le Gall", "Anne"},
		{"Martinez", "Anne"}, {"Martin", "Zoé"}, {"Martin", "Éric"}, {"Côté", "A"}, {"Cote", "B"}, {"Œuvray", "Marc"}, {"Oudin", "Paul"}, {"d'Aubigné", "A"}}
	c := collate.New(language.French, collate.IgnoreCase)
	for _, a := range people {
		for _, b := range people {
			got := bytes.Compare(AgentSortKey(a[0], a[1]), AgentSortKey(b[0], b[1]))
			want := c.CompareString(a[0]+" "+a[1], b[0]+" "+b[1])
			if got != want {
				t.Errorf("keys of %v and %v compare %d, the collation %d", a, b, got, want)
			}
		}
	}
	sorted := slices.Clone(people)
	slices.SortStableFunc(sorted, func(a, b [2]string) int { return bytes.Compare(AgentSortKey(a[0], a[1]), AgentSortKey(b[0], b[1])) })
	want := [][2]string{{"Côté", "A"}, {"Cote", "B"}, {"d'Aubigné", "A"}, {"Emond", "Abel"}, {"emond", "abel"}, {"Émond", "Zoé"}, {"Le Gall", "Anne"},
		{"Legall", "Bruno"}, {"Martin", "Éric"}, {"Martin", "Zoé"}, {"Martinez", "Anne"}, {"Œuvray", "Marc"}, {"Oudin", "Paul"}, {"Zola", "Émile"}}
	if diff := cmp.Diff(want, sorted); diff != "" {
		t.Errorf("French order (-want +got):\n%s", diff)
	}
	if !bytes.Equal(AgentSortKey(" Le  Gall ", "Anne"), AgentSortKey("Le Gall", "Anne")) {
		t.Error("spaces change the key")
	}
}

func TestAgentIdentity(t *testing.T) {
	a := Agent{LastName: "Lefèvre", FirstName: "Jean-Pierre", BirthDate: time.Date(1980, 5, 17, 0, 0, 0, 0, time.UTC)}
	b := Agent{LastName: "LEFEVRE", FirstName: "jean pierre", BirthDate: a.BirthDate}
	if AgentIdentity(a) != AgentIdentity(b) {
		t.Errorf("%q and %q differ", AgentIdentity(a), AgentIdentity(b))
	}
	b.BirthDate = b.BirthDate.AddDate(0, 0, 1)
	if AgentIdentity(a) == AgentIdentity(b) {
		t.Error("another birth date, the same identity")
	}
	// The name and first name do not run into each other.
	if AgentIdentity(Agent{LastName: "Le", FirstName: "Gall Anne"}) == AgentIdentity(Agent{LastName: "Le Gall", FirstName: "Anne"}) {
		t.Error("the identity does not part the name from the first name")
	}
}
