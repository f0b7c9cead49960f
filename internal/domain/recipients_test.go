package domain

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAccountReceives(t *testing.T) {
	integrationOnly := MailPrefs{Integration: true}
	interOnly := MailPrefs{Inter: true}
	tests := []struct {
		name            string
		role            Role
		state           State
		prefs           MailPrefs
		wantIntegration bool
		wantInter       bool
	}{
		// The historical manager gets everything while open, whatever its preferences say.
		{"manager inactive", RoleManager, StateInactive, MailPrefs{}, true, true},
		{"manager active", RoleManager, StateActive, MailPrefs{}, true, true},
		{"manager active Oui/Oui", RoleManager, StateActive, MailPrefs{Integration: true, Inter: true}, true, true},
		{"manager refused", RoleManager, StateRefused, integrationOnly, true, true},
		{"manager closed", RoleManager, StateClosed, MailPrefs{Integration: true, Inter: true}, false, false},

		{"principal inactive", RolePrincipal, StateInactive, MailPrefs{Integration: true, Inter: true}, false, false},
		{"principal active Oui/Non", RolePrincipal, StateActive, integrationOnly, true, false},
		{"principal active Non/Oui", RolePrincipal, StateActive, interOnly, false, true},
		{"principal active Non/Non", RolePrincipal, StateActive, MailPrefs{}, false, false},
		{"principal refused", RolePrincipal, StateRefused, MailPrefs{Integration: true, Inter: true}, false, false},
		{"principal closed", RolePrincipal, StateClosed, MailPrefs{Integration: true, Inter: true}, false, false},

		{"operator inactive", RoleOperator, StateInactive, MailPrefs{Integration: true, Inter: true}, false, false},
		{"operator active Oui/Oui", RoleOperator, StateActive, MailPrefs{Integration: true, Inter: true}, true, true},
		{"operator active Oui/Non", RoleOperator, StateActive, integrationOnly, true, false},
		{"operator active Non/Oui", RoleOperator, StateActive, interOnly, false, true},
		{"operator active Non/Non", RoleOperator, StateActive, MailPrefs{}, false, false},
		{"operator refused", RoleOperator, StateRefused, MailPrefs{Integration: true, Inter: true}, false, false},
		{"operator closed", RoleOperator, StateClosed, MailPrefs{Integration: true, Inter: true}, false, false},

		{"staff inactive", RoleStaff, StateInactive, MailPrefs{Integration: true, Inter: true}, false, false},
		{"staff active", RoleStaff, StateActive, MailPrefs{Integration: true, Inter: true}, false, false},
		{"staff refused", RoleStaff, StateRefused, MailPrefs{Integration: true, Inter: true}, false, false},
		{"staff closed", RoleStaff, StateClosed, MailPrefs{Integration: true, Inter: true}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Account{Role: tt.role, State: tt.state, Prefs: tt.prefs}
			if got := a.Receives(Integration); got != tt.wantIntegration {
				t.Errorf("Receives(Integration) = %t, want %t", got, tt.wantIntegration)
			}
			if got := a.Receives(Inter); got != tt.wantInter {
				t.Errorf("Receives(Inter) = %t, want %t", got, tt.wantInter)
			}
		})
	}
}

// noticeTypes are the two training types of the notice, as the
// training_types table holds them.
var noticeTypes = []TypeLabel{{Integration, "Formation d'intégration"}, {Inter, "Formation inter"}}

// A third type is a row of the table: the rule checks it as the others,
// and names it by its label.
func TestCheckRecipientsThirdType(t *testing.T) {
	union := TrainingType("union")
	types := append(noticeTypes[:len(noticeTypes):len(noticeTypes)], TypeLabel{union, "Formation union"})
	principal := func(p MailPrefs) Account { return Account{Role: RolePrincipal, State: StateActive, Prefs: p} }
	end := " Au moins un compte actif (gestionnaire principal ou opérateur) doit les recevoir."
	tests := []struct {
		name     string
		accounts []Account
		want     string
	}{
		{"the open manager receives every type, missing from its map", []Account{{Role: RoleManager, State: StateActive}}, ""},
		{"Oui for the notice's two only", []Account{principal(MailPrefs{Integration: true, Inter: true})}, "de la formation union."},
		{"Oui for the third", []Account{principal(MailPrefs{Integration: true, Inter: true, union: true})}, ""},
		{"Non for all three", []Account{principal(MailPrefs{Integration: false, Inter: false, union: false})},
			"de la formation d'intégration, de la formation inter ni de la formation union."},
		{"the third on an operator", []Account{principal(MailPrefs{Integration: true, Inter: true}),
			{Role: RoleOperator, State: StateActive, Prefs: MailPrefs{union: true}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckRecipients(types, tt.accounts)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("CheckRecipients = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.HasSuffix(err.Message, tt.want+end)):
				t.Fatalf("CheckRecipients = %v, want a conflict naming %q", err, tt.want)
			}
		})
	}
	// With the notice's two types only, the third preference is ignored.
	if err := CheckRecipients(noticeTypes, []Account{principal(MailPrefs{Integration: true, Inter: true})}); err != nil {
		t.Errorf("CheckRecipients(two types) = %v, want nil", err)
	}
}

func TestMailPrefsEqual(t *testing.T) {
	tests := []struct {
		p, q MailPrefs
		want bool
	}{
		{nil, MailPrefs{}, true},
		{MailPrefs{Inter: false}, nil, true},
		{MailPrefs{Inter: true}, MailPrefs{Inter: true, Integration: false}, true},
		{MailPrefs{Inter: true}, MailPrefs{Integration: true}, false},
		{MailPrefs{"union": true}, MailPrefs{}, false},
	}
	for _, tt := range tests {
		if got := tt.p.Equal(tt.q); got != tt.want {
			t.Errorf("%v.Equal(%v) = %t, want %t", tt.p, tt.q, got, tt.want)
		}
	}
}

func TestShortLabel(t *testing.T) {
	for label, want := range map[string]string{
		"Formation d'intégration": "Intégration", "Formation inter": "Inter", "Formation union": "Union",
		"Formation de la santé": "Santé", "Préparation aux concours": "Préparation aux concours", "Formation": "Formation",
	} {
		if got := (TypeLabel{Label: label}).ShortLabel(); got != want {
			t.Errorf("ShortLabel(%q) = %q, want %q", label, got, want)
		}
	}
}

func TestCheckRecipients(t *testing.T) {
	const (
		integration = "de la formation d'intégration."
		inter       = "de la formation inter."
		both        = "de la formation d'intégration ni de la formation inter."
	)
	acc := func(r Role, s State, integration, inter bool) Account {
		return Account{Role: r, State: s, Prefs: MailPrefs{Integration: integration, Inter: inter}}
	}
	tests := []struct {
		name     string
		accounts []Account
		want     string // the types the error names, as its sentence ends; "" for none
	}{
		{"no account", nil, both},
		{"the open manager alone", []Account{acc(RoleManager, StateActive, false, false)}, ""},
		{"the manager not yet active", []Account{acc(RoleManager, StateInactive, false, false)}, ""},
		{"the closed manager alone", []Account{acc(RoleManager, StateClosed, true, true)}, both},
		{"principal Oui/Oui", []Account{acc(RoleManager, StateClosed, true, true), acc(RolePrincipal, StateActive, true, true)}, ""},
		{"principal Non/Oui alone", []Account{acc(RolePrincipal, StateActive, false, true)}, integration},
		{"principal Oui/Non alone", []Account{acc(RolePrincipal, StateActive, true, false)}, inter},
		{"principal Non/Non alone names both types", []Account{acc(RolePrincipal, StateActive, false, false)}, both},
		{"principal not active", []Account{acc(RolePrincipal, StateInactive, true, true)}, both},
		{"principal Non/Oui and an active operator Oui/Non",
			[]Account{acc(RolePrincipal, StateActive, false, true), acc(RoleOperator, StateActive, true, false)}, ""},
		{"principal Non/Non and two active operators share the types",
			[]Account{acc(RolePrincipal, StateActive, false, false), acc(RoleOperator, StateActive, false, true), acc(RoleOperator, StateActive, true, false)}, ""},
		{"principal Non/Non and an active operator Non/Non",
			[]Account{acc(RolePrincipal, StateActive, false, false), acc(RoleOperator, StateActive, false, false)}, both},
		{"an inactive operator does not count",
			[]Account{acc(RolePrincipal, StateActive, false, true), acc(RoleOperator, StateInactive, true, true)}, integration},
		{"a refused operator does not count",
			[]Account{acc(RolePrincipal, StateActive, true, false), acc(RoleOperator, StateRefused, true, true)}, inter},
		{"staff does not count", []Account{acc(RoleStaff, StateActive, true, true)}, both},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckRecipients(noticeTypes, tt.accounts)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckRecipients = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("CheckRecipients = nil, want a conflict naming %q", tt.want)
			}
			if err.Kind != Conflict || err.Field != FieldPrefs {
				t.Errorf("error = {Kind %d, Field %q}, want {Conflict, prefs}", err.Kind, err.Field)
			}
			want := "Ce changement est impossible : plus aucun compte de la collectivité ne recevrait les courriels et documents " +
				tt.want + " Au moins un compte actif (gestionnaire principal ou opérateur) doit les recevoir."
			if err.Message != want {
				t.Errorf("message\n%q, want\n%q", err.Message, want)
			}
		})
	}
}

func TestAfterAcceptance(t *testing.T) {
	fiche := Fiche{Civility: Madame, LastName: "Durand", FirstName: "Anne", Function: "DRH", Email: "anne.durand@cholet.fr", Phone: "0241000000"}
	prefs := MailPrefs{Integration: false, Inter: true}
	manager := Account{ID: 1, CollectivityID: 7, Login: "MANAGER222", Role: RoleManager, State: StateActive,
		Fiche: Fiche{Email: "mairie@cholet.fr"}, Prefs: MailPrefs{Integration: true, Inter: true}, PasswordHash: "hash-m"}
	closedManager := manager
	closedManager.State = StateClosed
	principal := Account{ID: 2, CollectivityID: 7, Login: "PRINCIPAL2", Role: RolePrincipal, State: StateActive,
		Fiche: Fiche{LastName: "Martin", Email: "martin@cholet.fr"}, Prefs: MailPrefs{Integration: true, Inter: true}, PasswordHash: "hash-p"}
	operator := Account{ID: 3, CollectivityID: 7, Login: "OPERATOR22", Role: RoleOperator, State: StateActive,
		Fiche: Fiche{LastName: "Petit", Email: "petit@cholet.fr"}, Prefs: MailPrefs{Integration: true}, PasswordHash: "hash-o"}
	inactive := Account{ID: 4, CollectivityID: 7, Login: "OPERATOR33", Role: RoleOperator, State: StateInactive,
		Fiche: Fiche{LastName: "Roux", Email: "roux@cholet.fr"}, Prefs: MailPrefs{Inter: true}}
	newPrincipal := Account{CollectivityID: 7, Role: RolePrincipal, State: StateActive, Fiche: fiche, Prefs: prefs}
	with := func(a Account, f func(*Account)) Account { f(&a); return a }

	tests := []struct {
		name     string
		accounts []Account
		target   int64
		want     []Account
	}{
		{
			name:     "first change: the manager is closed, a new principal appended",
			accounts: []Account{manager},
			want:     []Account{closedManager, newPrincipal},
		},
		{
			name:     "second change: the principal becomes an operator, keeping the rest",
			accounts: []Account{closedManager, principal, operator, inactive},
			want: []Account{closedManager, with(principal, func(a *Account) { a.Role = RoleOperator }), operator, inactive,
				newPrincipal},
		},
		{
			name:     "towards an operator: promoted in place, nothing appended",
			accounts: []Account{closedManager, principal, operator, inactive},
			target:   operator.ID,
			want: []Account{closedManager, with(principal, func(a *Account) { a.Role = RoleOperator }),
				with(operator, func(a *Account) { a.Role, a.Fiche, a.Prefs = RolePrincipal, fiche, prefs }), inactive},
		},
		{
			name:     "towards an operator while the manager is open",
			accounts: []Account{manager, operator},
			target:   operator.ID,
			want:     []Account{closedManager, with(operator, func(a *Account) { a.Role, a.Fiche, a.Prefs = RolePrincipal, fiche, prefs })},
		},
		{
			name:     "towards an inactive operator: it becomes the active principal",
			accounts: []Account{closedManager, principal, inactive},
			target:   inactive.ID,
			want: []Account{closedManager, with(principal, func(a *Account) { a.Role = RoleOperator }),
				with(inactive, func(a *Account) { a.Role, a.State, a.Fiche, a.Prefs = RolePrincipal, StateActive, fiche, prefs })},
		},
		{
			name:     "a target not among the accounts: a new principal appended",
			accounts: []Account{closedManager, principal},
			target:   99,
			want:     []Account{closedManager, with(principal, func(a *Account) { a.Role = RoleOperator }), newPrincipal},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]Account(nil), tt.accounts...)
			d := Designation{CollectivityID: 7, TargetAccount: tt.target, Fiche: fiche, Prefs: prefs}
			got := AfterAcceptance(in, d)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("AfterAcceptance (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.accounts, in); diff != "" {
				t.Errorf("AfterAcceptance changed its input (-before +after):\n%s", diff)
			}
			principals := 0
			for _, a := range got {
				if a.Role == RolePrincipal {
					principals++
				}
			}
			if principals != 1 {
				t.Errorf("%d principals after acceptance, want 1", principals)
			}
		})
	}
}

func TestIsHolder(t *testing.T) {
	tests := []struct {
		name  string
		role  Role
		state State
		want  bool
	}{
		{"manager active", RoleManager, StateActive, true},
		{"manager inactive", RoleManager, StateInactive, false},
		{"manager closed", RoleManager, StateClosed, false},
		{"principal active", RolePrincipal, StateActive, true},
		{"principal inactive", RolePrincipal, StateInactive, false},
		{"operator active", RoleOperator, StateActive, false},
		{"staff active", RoleStaff, StateActive, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Account{Role: tt.role, State: tt.state}).IsHolder(); got != tt.want {
				t.Errorf("IsHolder = %t, want %t", got, tt.want)
			}
		})
	}
}
