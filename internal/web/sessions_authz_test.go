package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
	"iel/internal/store"
)

// The sessions' routes in the authorization table: staff alone reach
// them; every CT account is refused, and leaves the session, its
// registration and staff's import as they were.

var sessionTargetsMade atomic.Int64

func init() {
	motif := url.Values{"motif": {"Formateur indisponible."}}
	for pattern, tc := range map[string]authzCase{
		"GET /cnfpt/sessions":                     {path: "/cnfpt/sessions?type=inter&mots=session", want: staffOnly(ok200)},
		"GET /cnfpt/sessions/nouvelle":            {path: "/cnfpt/sessions/nouvelle", want: staffOnly(ok200)},
		"POST /cnfpt/sessions":                    {path: "/cnfpt/sessions", form: sessionValues(map[string]string{"code": "AUTHZ-NEW"}), want: staffOnly(seeOther("/cnfpt/sessions/"))},
		"GET /cnfpt/sessions/{id}":                {path: "/cnfpt/sessions/{staff-session}", want: staffOnly(ok200)},
		"GET /cnfpt/sessions/{id}/modifier":       {path: "/cnfpt/sessions/{staff-session}/modifier", want: staffOnly(ok200)},
		"POST /cnfpt/sessions/{id}/modifier":      {path: "/cnfpt/sessions/{staff-session}/modifier", form: sessionValues(map[string]string{"code": "AUTHZ-EDIT"}), want: staffOnly(seeOther("/cnfpt/sessions/"))},
		"GET /cnfpt/sessions/{id}/annuler":        {path: "/cnfpt/sessions/{staff-session}/annuler", want: staffOnly(ok200)},
		"POST /cnfpt/sessions/{id}/annuler":       {path: "/cnfpt/sessions/{staff-session}/annuler", form: motif, want: staffOnly(seeOther("/cnfpt/sessions/"))},
		"GET /cnfpt/sessions/import":              {path: "/cnfpt/sessions/import", want: staffOnly(ok200)},
		"POST /cnfpt/sessions/import":             {path: "/cnfpt/sessions/import", form: url.Values{}, want: staffOnly(answer(http.StatusUnprocessableEntity))},
		"GET /cnfpt/sessions/import/{id}/apercu":  {path: "/cnfpt/sessions/import/{simport}/apercu", want: staffOnly(ok200)},
		"POST /cnfpt/sessions/import/{id}/apercu": {path: "/cnfpt/sessions/import/{simport}/apercu", form: url.Values{}, want: staffOnly(seeOther("/cnfpt/sessions"))},
		"POST /cnfpt/inscriptions/{id}/{action}":  {path: "/cnfpt/inscriptions/{staff-reg}/accepter", form: url.Values{}, want: staffOnly(seeOther("/cnfpt/sessions/"))},
		"GET /cnfpt/inscriptions/{id}/refuser":    {path: "/cnfpt/inscriptions/{staff-reg}/refuser", want: staffOnly(ok200)},
		"POST /cnfpt/inscriptions/{id}/refuser":   {path: "/cnfpt/inscriptions/{staff-reg}/refuser", form: motif, want: staffOnly(seeOther("/cnfpt/sessions/"))},
	} {
		authzTable[pattern] = tc
	}
}

// sessionTargets puts in path a fresh session for {staff-session}, a fresh
// registration (transmise, by the first CT) for {staff-reg}, and a fresh import
// of the world's staff account for {simport}. The check it returns fails
// the test when a visitor other than staff changed any of them or queued
// an e-mail.
func (w *authzWorld) sessionTargets(t *testing.T, path string) (string, func(t *testing.T, who string)) {
	t.Helper()
	if !strings.Contains(path, "{staff-session}") && !strings.Contains(path, "{staff-reg}") && !strings.Contains(path, "{simport}") {
		return path, func(*testing.T, string) {}
	}
	n := sessionTargetsMade.Add(1)
	sess := w.ts.seedStaffSession(t, fmt.Sprintf("AUTHZ-%d", n), 5, day(2030, 3, 14))
	path = strings.ReplaceAll(path, "{staff-session}", fmt.Sprint(sess.ID))
	var reg domain.Registration
	if strings.Contains(path, "{staff-reg}") {
		reg = w.ts.registerAgents(t, w.a.CT.ID, sess.ID, w.ts.seedAgent(t, w.a.CT.ID, "Décidé", fmt.Sprintf("Agent %d", n), int(n)))[0]
		path = strings.ReplaceAll(path, "{staff-reg}", fmt.Sprint(reg.ID))
	}
	var imp string
	if strings.Contains(path, "{simport}") {
		next := sess
		next.Code, next.Place = fmt.Sprintf("AUTHZ-IMP-%d", n), "Nantes"
		var err error
		imp, err = w.ts.Store.CreateSessionImport(cliCtx(), w.staff.ID, store.NewSessionImport{FileName: "sessions.csv", Encoding: "UTF-8", Sessions: []domain.Session{next}})
		if err != nil {
			t.Fatal(err)
		}
		path = strings.ReplaceAll(path, "{simport}", imp)
	}
	mails := w.ts.outboxCount(t)
	return path, func(t *testing.T, who string) {
		if who == asStaff {
			return
		}
		if after, err := w.ts.Store.GetSession(cliCtx(), sess.ID); err != nil || !cmp.Equal(sess, after) {
			t.Errorf("%s changed the session (%v): %s", who, err, cmp.Diff(sess, after))
		}
		if reg.ID != 0 {
			if got := w.ts.registrationState(t, reg.ID); got != domain.RegistrationSent {
				t.Errorf("%s moved the registration to %s", who, got)
			}
		}
		if imp != "" {
			if got, _, err := w.ts.Store.GetSessionImport(cliCtx(), w.staff.ID, imp); err != nil || !got.AppliedAt.IsZero() {
				t.Errorf("%s: staff's import: %v, applied at %v", who, err, got.AppliedAt)
			}
		}
		if n := w.ts.outboxCount(t); n != mails {
			t.Errorf("%s queued %d e-mails", who, n-mails)
		}
	}
}
