package store

import (
	"testing"
	"time"

	"iel/internal/auth"
)

func TestLinkState(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", false)
		other := createCT(t, s, "Commune d'Angers", false)
		state := func(kind, hash string) string {
			t.Helper()
			st, a, err := s.LinkState(ctx, kind, hash)
			if err != nil {
				t.Fatalf("LinkState: %v", err)
			}
			if st != "unknown" && (a.Login == "" || a.CollectivityID == 0) {
				t.Errorf("LinkState(%s) names no account: %+v", st, a)
			}
			return st
		}
		if got := state(PurposePassword, f.link.Hash); got != "valid" {
			t.Errorf("fresh link: %q, want valid", got)
		}
		if got := state(PurposeInvitation, f.link.Hash); got != "unknown" {
			t.Errorf("link of another kind: %q, want unknown", got)
		}
		if got := state(PurposePassword, auth.NewToken().Hash); got != "unknown" {
			t.Errorf("random link: %q, want unknown", got)
		}
		if _, err := s.SetPasswordWithToken(ctx, f.link.Hash, "hash"); err != nil {
			t.Fatal(err)
		}
		if got := state(PurposePassword, f.link.Hash); got != "used" {
			t.Errorf("used link: %q, want used", got)
		}
		c.Add(8 * 24 * time.Hour)
		if got := state(PurposePassword, other.link.Hash); got != "expired" {
			t.Errorf("old link: %q, want expired", got)
		}
		if got := state(PurposePassword, f.link.Hash); got != "used" {
			t.Errorf("used, then old link: %q, want used", got)
		}
		if got := state(LinkDesignation, f.link.Hash); got != "unknown" {
			t.Errorf("no designation: %q, want unknown", got)
		}
	})
}
