package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"iel/internal/domain"
)

// "Formations" in the authorization table: every account of a CT searches
// the catalogue and registers its own agents; a registration is its CT's
// alone (another CT gets 404); staff, who belong to no CT, are refused.

// registerValues is the form of "Inscrire des agents"; withFreshAgent
// checks in it a new agent of the first CT before each request.
var registerValues = url.Values{}

func withFreshAgent(t *testing.T, w *authzWorld) {
	t.Helper()
	w.agents++
	a := w.ts.seedAgent(t, w.a.CT.ID, "Inscrit", fmt.Sprintf("Agent %d", w.agents), w.agents)
	registerValues.Set("agents", fmt.Sprint(a.ID))
}

func init() {
	for pattern, tc := range map[string]authzCase{
		"GET /formations":                        {path: "/formations?type=inter", want: signedIn(ok200)},
		"GET /formations/sessions/{id}":          {path: "/formations/sessions/{session}", want: signedIn(ok200)},
		"GET /formations/sessions/{id}/inscrire": {path: "/formations/sessions/{session}/inscrire", want: signedIn(ok200)},
		"POST /formations/sessions/{id}/inscrire": {path: "/formations/sessions/{session}/inscrire", form: registerValues, prepare: withFreshAgent,
			want: ourAgent(seeOther("/formations/sessions/"))},
		"GET /formations/inscriptions":                  {path: "/formations/inscriptions?etat=sent", want: signedIn(ok200)},
		"GET /formations/inscriptions/export":           {path: "/formations/inscriptions/export", want: signedIn(ok200)},
		"GET /formations/inscriptions/{id}":             {path: "/formations/inscriptions/{reg}", want: ourAgent(ok200)},
		"GET /formations/inscriptions/{id}/annuler":     {path: "/formations/inscriptions/{reg}/annuler", want: ourAgent(ok200)},
		"POST /formations/inscriptions/{id}/annuler":    {path: "/formations/inscriptions/{reg}/annuler", form: url.Values{}, want: ourAgent(seeOther("/formations/inscriptions/"))},
		"GET /formations/inscriptions/{id}/convocation": {path: "/formations/inscriptions/{reg-accepted}/convocation", want: ourAgent(ok200)},
		"GET /formations/inscriptions/{id}/attestation": {path: "/formations/inscriptions/{reg-present}/attestation", want: ourAgent(ok200)},
	} {
		authzTable[pattern] = tc
		staffAuthz[pattern] = forbidden
	}
}

// trainingWorld is what the training routes of one authzWorld act on:
// a session open to registration, and registrations of the first CT.
type trainingWorld struct {
	session           domain.Session
	accepted, present int64
}

var trainingWorlds sync.Map // *authzWorld → *trainingWorld

func (w *authzWorld) training(t *testing.T) *trainingWorld {
	t.Helper()
	if tw, ok := trainingWorlds.Load(w); ok {
		return tw.(*trainingWorld)
	}
	tw := &trainingWorld{session: w.ts.seedSession(t, "AUTHZ-01", "Session de l'autorisation", domain.Inter, sessionDay, 500)}
	w.agents++
	a := w.ts.seedAgent(t, w.a.CT.ID, "Accepté", fmt.Sprintf("Agent %d", w.agents), w.agents)
	w.agents++
	b := w.ts.seedAgent(t, w.a.CT.ID, "Présent", fmt.Sprintf("Agent %d", w.agents), w.agents)
	regs := w.ts.register(t, w.a.CT.ID, tw.session, a.ID, b.ID)
	tw.accepted, tw.present = regs[0].ID, regs[1].ID
	w.ts.accept(t, tw.accepted)
	w.ts.accept(t, tw.present)
	w.ts.markPresent(t, tw.present, tw.session)
	trainingWorlds.Store(w, tw)
	return tw
}

// trainingTargets puts in path the world's session for {session}, a new
// registration (transmise) of the first CT for {reg}, and its accepted
// and present ones for {reg-accepted} and {reg-present}. The check it
// returns fails the test when a visitor of another CT changed {reg}.
func (w *authzWorld) trainingTargets(t *testing.T, path string) (string, func(t *testing.T, who string)) {
	t.Helper()
	if !strings.Contains(path, "{session}") && !strings.Contains(path, "{reg") {
		return path, func(*testing.T, string) {}
	}
	tw := w.training(t)
	path = strings.ReplaceAll(path, "{session}", fmt.Sprint(tw.session.ID))
	path = strings.ReplaceAll(path, "{reg-accepted}", fmt.Sprint(tw.accepted))
	path = strings.ReplaceAll(path, "{reg-present}", fmt.Sprint(tw.present))
	if !strings.Contains(path, "{reg}") {
		return path, func(*testing.T, string) {}
	}
	w.agents++
	a := w.ts.seedAgent(t, w.a.CT.ID, "Transmis", fmt.Sprintf("Agent %d", w.agents), w.agents)
	reg := w.ts.register(t, w.a.CT.ID, tw.session, a.ID)[0]
	path = strings.ReplaceAll(path, "{reg}", fmt.Sprint(reg.ID))
	return path, func(t *testing.T, who string) {
		if who == asPrincipal || who == asOperator {
			return
		}
		if st := w.ts.registrationOf(t, w.a.CT.ID, reg.ID).State; st != domain.RegistrationSent {
			t.Errorf("%s moved the registration of another CT to %s", who, st)
		}
	}
}
