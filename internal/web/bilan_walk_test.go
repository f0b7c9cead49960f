package web_test

import (
	"fmt"
	"testing"
)

// walkBilan adds to the walk the "Bilan formation" of a CT (a year with
// registrations, a year without) and staff's, of every CT and of one.
func walkBilan(t *testing.T, w *pageWalk) {
	t.Helper()
	ts := w.watch(newTestServer(t))
	b := ts.seedBilan(t)
	w.name(b.a.Account.Login, "Claire Durand")
	w.name(b.b.Account.Login, "Claire Durand")
	w.name(b.staff.Login, "Agnès Cnfpt")
	c := ts.loggedIn(t, b.a)
	w.add("bilan", 200, ts.get(t, c, "/formations/bilan"))
	w.add("bilan-empty", 200, ts.get(t, c, "/formations/bilan?annee=2024"))
	w.add("staff-bilan", 200, ts.get(t, b.staff.Client, "/cnfpt/bilan"))
	w.add("staff-bilan-collectivity", 200, ts.get(t, b.staff.Client, fmt.Sprintf("/cnfpt/bilan?collectivite=%d&annee=2025", b.b.CT.ID)))
}
