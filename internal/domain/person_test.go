package domain

import "testing"

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"as stored", "claire.durand@cholet.fr", "claire.durand@cholet.fr"},
		{"blanks", " \tclaire@cholet.fr \n", "claire@cholet.fr"},
		{"domain lower-cased", "claire@Mairie-CHOLET.Fr", "claire@mairie-cholet.fr"},
		{"local part kept", "Claire.Durand@cholet.fr", "Claire.Durand@cholet.fr"},
		{"last @ splits", `"a@b"@EXAMPLE.fr`, `"a@b"@example.fr`},
		{"accented domain", "rh@ÉCOLE.fr", "rh@école.fr"},
		{"no @", " pas-une-adresse ", "pas-une-adresse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeEmail(tt.in); got != tt.want {
				t.Errorf("NormalizeEmail(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSamePerson(t *testing.T) {
	claire := Fiche{LastName: "Durand", FirstName: "Claire", Email: "claire.durand@cholet.fr", Function: "DRH", Phone: "0241000000"}
	tests := []struct {
		name   string
		change func(*Fiche)
		want   bool
	}{
		{"identical", func(*Fiche) {}, true},
		{"other function and phone", func(f *Fiche) { f.Function, f.Phone, f.Civility = "DGS", "0600000000", Monsieur }, true},
		{"names in other cases", func(f *Fiche) { f.LastName, f.FirstName = "DURAND", "claire" }, true},
		{"names with extra blanks", func(f *Fiche) { f.LastName = " Durand  " }, true},
		{"address in another case", func(f *Fiche) { f.Email = "Claire.Durand@CHOLET.fr" }, true},
		{"another address", func(f *Fiche) { f.Email = "c.durand@cholet.fr" }, false},
		{"another prénom at the same address", func(f *Fiche) { f.FirstName = "Chloé" }, false},
		{"another nom", func(f *Fiche) { f.LastName = "Dupont" }, false},
		{"accents count", func(f *Fiche) { f.FirstName = "Clairé" }, false},
		{"names do not run together", func(f *Fiche) { f.LastName, f.FirstName = "DurandClaire", "" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other := claire
			tt.change(&other)
			if got := SamePerson(claire, other); got != tt.want {
				t.Errorf("SamePerson = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckNoDuplicate(t *testing.T) {
	person := func(first string, r Role, s State) Account {
		return Account{Role: r, State: s, Fiche: Fiche{LastName: "Durand", FirstName: first, Email: first + "@cholet.fr"}}
	}
	tests := []struct {
		name     string
		accounts []Account
		wantErr  bool
	}{
		{"none", nil, false},
		{"different people", []Account{person("anne", RolePrincipal, StateActive), person("paul", RoleOperator, StateActive)}, false},
		{"twice active", []Account{person("anne", RolePrincipal, StateActive), person("anne", RoleOperator, StateActive)}, true},
		{"an invited one counts", []Account{person("anne", RolePrincipal, StateActive), person("anne", RoleOperator, StateInactive)}, true},
		{"a refused one counts", []Account{person("anne", RoleOperator, StateRefused), person("anne", RoleOperator, StateActive)}, true},
		{"the closed manager does not", []Account{person("anne", RoleManager, StateClosed), person("anne", RolePrincipal, StateActive)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckNoDuplicate(tt.accounts)
			if (err != nil) != tt.wantErr {
				t.Fatalf("CheckNoDuplicate = %v, want error %v", err, tt.wantErr)
			}
			if err != nil && (err.Kind != Conflict || err.Field != FieldEmail) {
				t.Errorf("error = %+v, want a conflict on the address", err)
			}
		})
	}
}

func TestDesignationCheckPerson(t *testing.T) {
	fiche := func(first string) Fiche {
		return Fiche{LastName: "Durand", FirstName: first, Email: first + "@cholet.fr"}
	}
	manager := Account{ID: 1, Role: RoleManager, State: StateActive, Fiche: fiche("anne")}
	closed := Account{ID: 1, Role: RoleManager, State: StateClosed, Fiche: fiche("anne")}
	principal := Account{ID: 2, Role: RolePrincipal, State: StateActive, Fiche: fiche("paule")}
	active := Account{ID: 3, Role: RoleOperator, State: StateActive, Fiche: fiche("olivier")}
	invited := Account{ID: 4, Role: RoleOperator, State: StateInactive, Fiche: fiche("ines")}
	tests := []struct {
		name     string
		accounts []Account
		d        Designation
		want     *Error
	}{
		{"the manager's own person", []Account{manager}, Designation{Fiche: fiche("anne")}, nil},
		{"a new person", []Account{closed, principal, active}, Designation{Fiche: fiche("nadia")}, nil},
		{"the principal itself", []Account{closed, principal}, Designation{Fiche: fiche("PAULE")}, ErrDesignatesPrincipal},
		{"the principal's person onto an operator", []Account{closed, principal, active}, Designation{Fiche: fiche("paule"), TargetAccount: active.ID}, ErrDesignatesPrincipal},
		{"an active operator as a new person", []Account{closed, principal, active}, Designation{Fiche: fiche("olivier")}, ErrDesignatesOperator},
		{"an active operator as itself", []Account{closed, principal, active}, Designation{Fiche: fiche("olivier"), TargetAccount: active.ID}, nil},
		{"an invited operator", []Account{closed, principal, invited}, Designation{Fiche: fiche("ines")}, ErrSamePerson},
		{"an operator given another's person", []Account{closed, principal, active, invited}, Designation{Fiche: fiche("ines"), TargetAccount: active.ID}, ErrSamePerson},
		{"the closed manager's person", []Account{closed, principal}, Designation{Fiche: fiche("anne")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.CheckPerson(tt.accounts); got != tt.want {
				t.Errorf("CheckPerson = %v, want %v", got, tt.want)
			}
		})
	}
}
