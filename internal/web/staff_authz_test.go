package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The CNFPT's staff in the authorization table: what staff get on every
// route of the CT accounts (staffAuthz), and the back-office's routes for
// every visitor (added to authzTable). Staff read everywhere the rights
// say "read", and change only what PRODUCT.md's last row of "Rights"
// gives them; CT accounts never reach the back-office.

// staffOnly: the back-office, for staff alone; CT accounts are refused.
func staffOnly(e expect) map[string]expect {
	m := byRole(toLogin, forbidden, forbidden, forbidden, forbidden)
	m[asStaff] = e
	return m
}

var renameValues = url.Values{"nom_collectivite": {"Commune renommée par le CNFPT"}}

func init() {
	for pattern, tc := range map[string]authzCase{
		"GET /cnfpt":                                           {path: "/cnfpt", want: staffOnly(ok200)},
		"GET /cnfpt/collectivites":                             {path: "/cnfpt/collectivites?q=cholet", want: staffOnly(ok200)},
		"GET /cnfpt/collectivites/nouvelle":                    {path: "/cnfpt/collectivites/nouvelle", want: staffOnly(ok200)},
		"POST /cnfpt/collectivites":                            {path: "/cnfpt/collectivites", form: url.Values{"nom_collectivite": {"Commune créée par le CNFPT"}, "courriel": {"rh@cree.example.fr"}}, want: staffOnly(seeOther("/cnfpt/collectivites/"))},
		"GET /cnfpt/collectivites/{id}":                        {path: "/cnfpt/collectivites/{ct}", want: staffOnly(ok200)},
		"POST /cnfpt/collectivites/{id}/codes":                 {path: "/cnfpt/collectivites/{manager-ct}/codes", form: url.Values{}, want: staffOnly(seeOther("/cnfpt/collectivites/"))},
		"GET /cnfpt/collectivites/{id}/journal":                {path: "/cnfpt/collectivites/{ct}/journal", want: staffOnly(ok200)},
		"GET /cnfpt/collectivites/{id}/agents":                 {path: "/cnfpt/collectivites/{ct}/agents", want: staffOnly(ok200)},
		"GET /cnfpt/collectivites/{id}/inscriptions":           {path: "/cnfpt/collectivites/{ct}/inscriptions", want: staffOnly(ok200)},
		"GET /cnfpt/collectivites/{id}/nom":                    {path: "/cnfpt/collectivites/{ct}/nom", want: staffOnly(ok200)},
		"POST /cnfpt/collectivites/{id}/nom":                   {path: "/cnfpt/collectivites/{ct}/nom", form: renameValues, want: staffOnly(seeOther("/cnfpt/collectivites/"))},
		"GET /cnfpt/collectivites/{id}/gestionnaire-principal": {path: "/cnfpt/collectivites/{ct}/gestionnaire-principal", want: staffOnly(ok200)},
		"POST /cnfpt/collectivites/{id}/gestionnaire-principal": {path: "/cnfpt/collectivites/{ct}/gestionnaire-principal", form: designationValues,
			want: staffOnly(seeOther("/cnfpt/collectivites/"))},
	} {
		authzTable[pattern] = tc
	}
}

// staffAuthz is what staff get on the routes whose expectations byRole
// builds for the CT's visitors. A route added to authzTable without its
// staff expectation fails TestAuthorization ("no expectation").
var staffAuthz = map[string]expect{
	"GET /static/":     ok200,
	"GET /healthz":     ok200,
	"GET /favicon.ico": answer(http.StatusMovedPermanently),
	"GET /{$}":         seeOther("/cnfpt"),

	"GET /connexion":                  seeOther("/cnfpt"),
	"POST /connexion":                 answer(http.StatusUnprocessableEntity),
	"POST /deconnexion":               seeOther("/connexion"),
	"GET /mot-de-passe-oublie":        ok200,
	"POST /mot-de-passe-oublie":       seeOther("/mot-de-passe-oublie/envoye"),
	"GET /mot-de-passe-oublie/envoye": ok200,
	"GET /mot-de-passe/{token}":       gone,
	"POST /mot-de-passe/{token}":      gone,
	// "Mon compte" and everything of a CT: staff belong to no CT.
	"GET /compte":                       forbidden,
	"POST /compte":                      forbidden,
	"GET /conditions-generales":         ok200,
	"GET /validationgestprin/{token}":   gone,
	"POST /validationgestprin/{token}":  gone,
	"GET /validationoperateur/{token}":  gone,
	"POST /validationoperateur/{token}": gone,

	// Staff change a principal through their own page, never as the holder.
	"GET /compte/gestionnaire-principal":           forbidden,
	"POST /compte/gestionnaire-principal":          forbidden,
	"POST /compte/gestionnaire-principal/renvoyer": forbidden,
	"GET /compte/gestionnaire-principal/annuler":   forbidden,
	"POST /compte/gestionnaire-principal/annuler":  forbidden,

	// Staff read the operators on the CT's page (/cnfpt/collectivites/{id}), not here.
	"GET /compte/journal":                     forbidden, // staff read it at /cnfpt/collectivites/{id}/journal
	"GET /compte/operateurs":                  forbidden,
	"GET /compte/operateurs/nouveau":          forbidden,
	"POST /compte/operateurs":                 forbidden,
	"GET /compte/operateurs/{id}":             forbidden,
	"POST /compte/operateurs/{id}":            forbidden,
	"GET /compte/operateurs/{id}/supprimer":   forbidden,
	"POST /compte/operateurs/{id}/supprimer":  forbidden,
	"POST /compte/operateurs/{id}/invitation": forbidden,

	"GET /accueil":                               forbidden,
	"GET /compte/parametres":                     forbidden,
	"POST /compte/parametres":                    forbidden,
	"GET /compte/correspondants":                 forbidden,
	"GET /compte/correspondants/nouveau":         forbidden,
	"POST /compte/correspondants":                forbidden,
	"GET /compte/correspondants/{id}":            forbidden,
	"POST /compte/correspondants/{id}":           forbidden,
	"GET /compte/correspondants/{id}/supprimer":  forbidden,
	"POST /compte/correspondants/{id}/supprimer": forbidden,
	"GET /agents":                                forbidden,
	"GET /agents/nouveau":                        forbidden,
	"POST /agents":                               forbidden,
	"GET /agents/{id}":                           forbidden,
	"POST /agents/{id}":                          forbidden,
	"GET /agents/{id}/supprimer":                 forbidden,
	"POST /agents/{id}/supprimer":                forbidden,
	"POST /agents/{id}/depart":                   forbidden,
	"POST /agents/{id}/retour":                   forbidden,
	"GET /agents/export":                         forbidden,
	"GET /agents/import":                         forbidden,
	"POST /agents/import":                        forbidden,
	"GET /agents/import/{id}/apercu":             forbidden,
	"POST /agents/import/{id}/apercu":            forbidden,

	"GET /accessibilite":                     ok200,
	"GET /mentions-legales":                  ok200,
	"GET /donnees-personnelles":              ok200,
	"GET /plan-du-site":                      ok200,
	"GET /aide":                              ok200,
	"GET /courriels":                         ok200,
	"GET /courriels/{id}":                    ok200,
	"GET /courriels/{id}/pieces-jointes/{n}": notFound, // the test world's e-mails carry no file
	"/":                                      notFound,
}

// staffTargets puts in path the first CT for {ct} and the CT of the
// historical manager for {manager-ct}. The check it returns fails the
// test when a visitor other than staff changed the CT: its name, its
// pending designation, or the e-mails queued.
func (w *authzWorld) staffTargets(t *testing.T, path string) (string, func(t *testing.T, who string)) {
	t.Helper()
	var ctID int64
	switch {
	case strings.Contains(path, "{ct}"):
		ctID = w.a.CT.ID
		path = strings.ReplaceAll(path, "{ct}", fmt.Sprint(ctID))
	case strings.Contains(path, "{manager-ct}"):
		ctID = w.manager.CT.ID
		path = strings.ReplaceAll(path, "{manager-ct}", fmt.Sprint(ctID))
	default:
		return path, func(*testing.T, string) {}
	}
	ctx := context.Background()
	before, err := w.ts.Store.GetCollectivity(ctx, ctID)
	if err != nil {
		t.Fatal(err)
	}
	pending, hadPending := w.ts.pending(t, ctID)
	mails := w.ts.outboxCount(t)
	return path, func(t *testing.T, who string) {
		if who == asStaff {
			return
		}
		if after, _ := w.ts.Store.GetCollectivity(ctx, ctID); after != before {
			t.Errorf("%s renamed the CT: %+v", who, after)
		}
		if now, has := w.ts.pending(t, ctID); has != hadPending || now.ID != pending.ID {
			t.Errorf("%s changed the CT's pending designation: %+v", who, now)
		}
		if n := w.ts.outboxCount(t); n != mails {
			t.Errorf("%s queued %d e-mails", who, n-mails)
		}
	}
}
