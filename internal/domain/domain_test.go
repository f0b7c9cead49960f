package domain

import (
	"strings"
	"testing"
)

func TestErrorf(t *testing.T) {
	e := Errorf(Conflict, FieldEmail, "Un message.")
	if e.Error() != "Un message." || e.Field != FieldEmail || e.Kind != Conflict {
		t.Errorf("Errorf = %+v", e)
	}
}

func TestNewLogin(t *testing.T) {
	const draws = 10000
	seen := make(map[string]bool, draws)
	for range draws {
		l := NewLogin()
		if len(l) != LoginLength {
			t.Fatalf("NewLogin() = %q, %d characters, want %d", l, len(l), LoginLength)
		}
		for _, r := range l {
			if !strings.ContainsRune(loginAlphabet, r) {
				t.Fatalf("NewLogin() = %q holds %q, outside %q", l, r, loginAlphabet)
			}
		}
		if seen[l] {
			t.Fatalf("NewLogin() gave %q twice in %d draws", l, len(seen)+1)
		}
		seen[l] = true
	}
}

func TestLoginAlphabet(t *testing.T) {
	for _, confusable := range "01ILO" {
		if strings.ContainsRune(loginAlphabet, confusable) {
			t.Errorf("loginAlphabet holds %q, which people confuse", confusable)
		}
	}
	seen := map[rune]bool{}
	for _, r := range loginAlphabet {
		if seen[r] {
			t.Errorf("loginAlphabet holds %q twice: draws are not uniform", r)
		}
		seen[r] = true
	}
}

// TestNewLoginUsesWholeAlphabet guards the rejection sampling: every
// character must come out, none far more often than the others.
func TestNewLoginUsesWholeAlphabet(t *testing.T) {
	counts := map[rune]int{}
	const draws = 3000
	for range draws {
		for _, r := range NewLogin() {
			counts[r]++
		}
	}
	mean := float64(draws*LoginLength) / float64(len(loginAlphabet))
	for _, r := range loginAlphabet {
		if c := float64(counts[r]); c < mean*0.7 || c > mean*1.3 {
			t.Errorf("%q drawn %v times, expected about %.0f", r, c, mean)
		}
	}
}

func TestRoleLabel(t *testing.T) {
	tests := []struct {
		name string
		role Role
		want string
	}{
		{name: "manager", role: RoleManager, want: "gestionnaire CT"},
		{name: "principal", role: RolePrincipal, want: "gestionnaire principal CT"},
		{name: "operator", role: RoleOperator, want: "opérateur"},
		{name: "staff", role: RoleStaff, want: "agent du CNFPT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.role.Label(); got != tt.want {
				t.Errorf("Label() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCanLogIn(t *testing.T) {
	tests := []struct {
		name string
		acc  Account
		want bool
	}{
		{name: "active with password", acc: Account{State: StateActive, PasswordHash: "h"}, want: true},
		{name: "active without password", acc: Account{State: StateActive}, want: false},
		{name: "inactive", acc: Account{State: StateInactive, PasswordHash: "h"}, want: false},
		{name: "closed", acc: Account{State: StateClosed, PasswordHash: "h"}, want: false},
		{name: "refused", acc: Account{State: StateRefused, PasswordHash: "h"}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.acc.CanLogIn(); got != tt.want {
				t.Errorf("CanLogIn() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestNameKey(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{name: "case and spaces", a: "Commune de  Cholet", b: " commune DE cholet ", same: true},
		{name: "different", a: "Commune de Cholet", b: "Commune de Chollet", same: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NameKey(tt.a) == NameKey(tt.b); got != tt.same {
				t.Errorf("NameKey(%q) == NameKey(%q) is %v, want %v", tt.a, tt.b, got, tt.same)
			}
		})
	}
}
