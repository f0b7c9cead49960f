package web

import (
	"testing"

	"iel/internal/domain"
)

// TestIsCTAccount: the pages of a CT's own data let through its accounts
// of every role, and not the CNFPT's staff, who belong to no CT.
func TestIsCTAccount(t *testing.T) {
	tests := []struct {
		name string
		a    domain.Account
		want bool
	}{
		{"historical manager", domain.Account{Role: domain.RoleManager, CollectivityID: 3}, true},
		{"principal", domain.Account{Role: domain.RolePrincipal, CollectivityID: 3}, true},
		{"operator", domain.Account{Role: domain.RoleOperator, CollectivityID: 3}, true},
		{"staff", domain.Account{Role: domain.RoleStaff}, false},
		{"staff with a CT by mistake", domain.Account{Role: domain.RoleStaff, CollectivityID: 3}, false},
		{"an operator of no CT", domain.Account{Role: domain.RoleOperator}, false},
		{"no role", domain.Account{CollectivityID: 3}, false},
	}
	for _, tt := range tests {
		if got := isCTAccount(tt.a); got != tt.want {
			t.Errorf("%s: isCTAccount = %v, want %v", tt.name, got, tt.want)
		}
	}
}
