package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
)

// The authorization test walks every route of routes.go, read from its
// source, so that a route added without an entry in authzTable fails the
// test; each route is requested as each kind of visitor, and the answer
// must be the one the table says.

// The visitors.
const (
	asAnonymous = "anonyme"
	asOperator  = "opérateur"
	asPrincipal = "gestionnaire principal"
	asManager   = "gestionnaire CT historique"
	asOther     = "gestionnaire principal d'une autre CT"
	asStaff     = "agent du CNFPT"
)

var visitors = []string{asAnonymous, asOperator, asPrincipal, asManager, asOther, asStaff}

// expect is the answer a visitor must get.
type expect struct {
	status   int
	location string // the start of the Location, for redirects
	toLogin  bool   // the login page, with ?suite= for a GET
}

func answer(status int) expect        { return expect{status: status} }
func seeOther(location string) expect { return expect{status: http.StatusSeeOther, location: location} }

var (
	ok200     = answer(http.StatusOK)
	forbidden = answer(http.StatusForbidden)
	notFound  = answer(http.StatusNotFound)
	gone      = answer(http.StatusGone)
	toLogin   = expect{status: http.StatusSeeOther, toLogin: true}
)

// authzCase is how one route answers each visitor. In path, {op} is an
// inactive operator of the principal's CT, made afresh for each request,
// {mail} an e-mail of the outbox, {token} a link that does not exist.
type authzCase struct {
	path string
	form url.Values // what a POST sends
	// prepare runs before each request: a pending designation to resend, say.
	prepare func(t *testing.T, w *authzWorld)
	want    map[string]expect
}

// byRole builds the expectations: anonymous, operator, principal,
// historical manager, principal of another CT.
func byRole(anon, operator, principal, manager, other expect) map[string]expect {
	return map[string]expect{asAnonymous: anon, asOperator: operator, asPrincipal: principal, asManager: manager, asOther: other}
}

// everyone expects the same answer for every visitor.
func everyone(e expect) map[string]expect { return byRole(e, e, e, e, e) }

// signedIn expects anonymous visitors at the login page and e for the others.
func signedIn(e expect) map[string]expect { return byRole(toLogin, e, e, e, e) }

// holderOnly: the change of principal, for the account that administers its CT.
func holderOnly(e expect) map[string]expect { return byRole(toLogin, forbidden, e, e, e) }

// principalOnly: the operators' administration, each principal in its own CT.
func principalOnly(e expect) map[string]expect { return byRole(toLogin, forbidden, e, forbidden, e) }

// ourOperator: a principal's action on an operator of the first CT; the
// principal of another CT does not find it.
func ourOperator(e expect) map[string]expect {
	return byRole(toLogin, forbidden, e, forbidden, notFound)
}

var (
	accountValues = url.Values{"civilite": {"M"}, "nom": {"Dupuis"}, "prenom": {"Marc"}, "fonction": {"Agent"},
		"courriel": {"marc.dupuis@cholet.example.fr"}, "telephone": {"02 41 00 00 09"}, "courriel_integration": {"oui"}, "courriel_inter": {"oui"}}
	designationValues = ficheValues(domain.Fiche{Civility: domain.Madame, LastName: "Nouvelle", FirstName: "Nina", Function: "DGS",
		Email: "nina.nouvelle@cholet.example.fr", Phone: "0241000010"}, "oui", "oui")
	operatorValues = ficheValues(domain.Fiche{Civility: domain.Monsieur, LastName: "Intrus", FirstName: "Igor", Function: "Pirate",
		Email: "igor@example.com", Phone: "0600000000"}, "non", "non")
	// The operator's new values name another person than the one created: one person has one account per CT.
	operatorChange = ficheValues(domain.Fiche{Civility: domain.Monsieur, LastName: "Intrus", FirstName: "Ivan", Function: "Pirate",
		Email: "ivan@example.com", Phone: "0600000000"}, "non", "non")
	answerValues   = url.Values{"reponse": {"accepte"}, "commentaire": {"Oui."}}
	passwordValues = url.Values{"nouveau": {"Nouveau-Mot-2026"}, "confirmation": {"Nouveau-Mot-2026"}}
)

// withPending gives each CT of the world a pending designation.
func withPending(t *testing.T, w *authzWorld) {
	for _, who := range []string{asPrincipal, asManager, asOther} {
		r := w.ts.postForm(t, w.client(t, who), "/compte/gestionnaire-principal", designationValues)
		wantStatus(t, r, http.StatusSeeOther, "/compte")
	}
}

// authzTable holds every route of routes.go, by its pattern.
var authzTable = map[string]authzCase{
	"GET /static/":     {path: "/static/iel.css", want: everyone(ok200)},
	"GET /healthz":     {path: "/healthz", want: everyone(ok200)},
	"GET /favicon.ico": {path: "/favicon.ico", want: everyone(answer(http.StatusMovedPermanently))},
	"GET /{$}":         {path: "/", want: byRole(seeOther("/connexion"), seeOther("/accueil"), seeOther("/accueil"), seeOther("/accueil"), seeOther("/accueil"))},

	"GET /connexion":  {path: "/connexion", want: byRole(ok200, seeOther("/accueil"), seeOther("/accueil"), seeOther("/accueil"), seeOther("/accueil"))},
	"POST /connexion": {path: "/connexion", form: url.Values{"identifiant": {"INCONNU"}}, want: everyone(answer(http.StatusUnprocessableEntity))},
	"POST /deconnexion": {path: "/deconnexion", form: url.Values{},
		want: everyone(seeOther("/connexion"))},
	"GET /mot-de-passe-oublie":        {path: "/mot-de-passe-oublie", want: everyone(ok200)},
	"POST /mot-de-passe-oublie":       {path: "/mot-de-passe-oublie", form: url.Values{"identifiant": {"INCONNU"}}, want: everyone(seeOther("/mot-de-passe-oublie/envoye"))},
	"GET /mot-de-passe-oublie/envoye": {path: "/mot-de-passe-oublie/envoye", want: everyone(ok200)},
	"GET /mot-de-passe/{token}":       {path: "/mot-de-passe/{token}", want: everyone(gone)},
	"POST /mot-de-passe/{token}":      {path: "/mot-de-passe/{token}", form: passwordValues, want: everyone(gone)},
	"GET /compte":                     {path: "/compte", want: signedIn(ok200)},
	// A new courriel without the current password is refused (422) to
	// those who may change theirs; a principal's courriel is not its own to change.
	"POST /compte": {path: "/compte", form: accountValues, want: byRole(toLogin, answer(http.StatusUnprocessableEntity), seeOther("/compte"),
		answer(http.StatusUnprocessableEntity), seeOther("/compte"))},
	"GET /conditions-generales":         {path: "/conditions-generales", want: everyone(ok200)},
	"GET /validationgestprin/{token}":   {path: "/validationgestprin/{token}", want: everyone(gone)},
	"POST /validationgestprin/{token}":  {path: "/validationgestprin/{token}", form: answerValues, want: everyone(gone)},
	"GET /validationoperateur/{token}":  {path: "/validationoperateur/{token}", want: everyone(gone)},
	"POST /validationoperateur/{token}": {path: "/validationoperateur/{token}", form: answerValues, want: everyone(gone)},

	"GET /compte/gestionnaire-principal":  {path: "/compte/gestionnaire-principal", want: holderOnly(ok200)},
	"POST /compte/gestionnaire-principal": {path: "/compte/gestionnaire-principal", form: designationValues, want: holderOnly(seeOther("/compte"))},
	"POST /compte/gestionnaire-principal/renvoyer": {path: "/compte/gestionnaire-principal/renvoyer", form: url.Values{},
		prepare: withPending, want: holderOnly(seeOther("/compte"))},
	"GET /compte/gestionnaire-principal/annuler": {path: "/compte/gestionnaire-principal/annuler",
		prepare: withPending, want: holderOnly(ok200)},
	"POST /compte/gestionnaire-principal/annuler": {path: "/compte/gestionnaire-principal/annuler", form: url.Values{},
		prepare: withPending, want: holderOnly(seeOther("/compte"))},

	"GET /compte/operateurs":                  {path: "/compte/operateurs", want: principalOnly(ok200)},
	"GET /compte/operateurs/nouveau":          {path: "/compte/operateurs/nouveau", want: principalOnly(ok200)},
	"POST /compte/operateurs":                 {path: "/compte/operateurs", form: operatorValues, want: principalOnly(seeOther("/compte/operateurs"))},
	"GET /compte/operateurs/{id}":             {path: "/compte/operateurs/{op}", want: ourOperator(ok200)},
	"POST /compte/operateurs/{id}":            {path: "/compte/operateurs/{op}", form: operatorChange, want: ourOperator(seeOther("/compte/operateurs"))},
	"GET /compte/operateurs/{id}/supprimer":   {path: "/compte/operateurs/{op}/supprimer", want: ourOperator(ok200)},
	"POST /compte/operateurs/{id}/supprimer":  {path: "/compte/operateurs/{op}/supprimer", form: url.Values{}, want: ourOperator(seeOther("/compte/operateurs"))},
	"POST /compte/operateurs/{id}/invitation": {path: "/compte/operateurs/{op}/invitation", form: url.Values{}, want: ourOperator(seeOther("/compte/operateurs"))},
	"GET /compte/journal":                     {path: "/compte/journal", want: principalOnly(ok200)},

	"GET /accueil":           {path: "/accueil", want: signedIn(ok200)},
	"GET /compte/parametres": {path: "/compte/parametres", want: signedIn(ok200)},
	"POST /compte/parametres": {path: "/compte/parametres", form: settingsValues(nil), prepare: withOwnSIRETs,
		want: signedIn(seeOther("/compte/parametres"))},
	"GET /compte/correspondants":         {path: "/compte/correspondants", want: signedIn(ok200)},
	"GET /compte/correspondants/nouveau": {path: "/compte/correspondants/nouveau", want: signedIn(ok200)},
	"POST /compte/correspondants": {path: "/compte/correspondants", form: contactValues(anne), prepare: withoutContacts,
		want: signedIn(seeOther("/compte/correspondants"))},
	"GET /compte/correspondants/{id}": {path: "/compte/correspondants/{corr}", want: ourContact(ok200)},
	"POST /compte/correspondants/{id}": {path: "/compte/correspondants/{corr}", form: contactValues(anne), prepare: withoutContacts,
		want: ourContact(seeOther("/compte/correspondants"))},
	"GET /compte/correspondants/{id}/supprimer": {path: "/compte/correspondants/{corr}/supprimer", want: ourContact(ok200)},
	"POST /compte/correspondants/{id}/supprimer": {path: "/compte/correspondants/{corr}/supprimer", form: url.Values{},
		want: ourContact(seeOther("/compte/correspondants"))},
	"GET /agents":                     {path: "/agents", want: signedIn(ok200)},
	"GET /agents/nouveau":             {path: "/agents/nouveau", want: signedIn(ok200)},
	"POST /agents":                    {path: "/agents", form: agentValues(nil), prepare: noAgents, want: signedIn(seeOther("/agents"))},
	"GET /agents/{id}":                {path: "/agents/{agent}", want: ourAgent(ok200)},
	"POST /agents/{id}":               {path: "/agents/{agent}", form: agentValues(nil), prepare: noAgents, want: ourAgent(seeOther("/agents"))},
	"GET /agents/{id}/supprimer":      {path: "/agents/{agent}/supprimer", want: ourAgent(ok200)},
	"POST /agents/{id}/supprimer":     {path: "/agents/{agent}/supprimer", form: url.Values{}, want: ourAgent(seeOther("/agents"))},
	"POST /agents/{id}/depart":        {path: "/agents/{agent}/depart", form: url.Values{}, want: ourAgent(seeOther("/agents"))},
	"POST /agents/{id}/retour":        {path: "/agents/{agent}/retour", form: url.Values{}, want: ourAgent(seeOther("/agents"))},
	"GET /agents/export":              {path: "/agents/export", want: signedIn(ok200)},
	"GET /agents/import":              {path: "/agents/import", want: signedIn(ok200)},
	"POST /agents/import":             {path: "/agents/import", form: url.Values{}, want: signedIn(answer(http.StatusUnprocessableEntity))},
	"GET /agents/import/{id}/apercu":  {path: "/agents/import/{import}/apercu", want: principalsImport(ok200)},
	"POST /agents/import/{id}/apercu": {path: "/agents/import/{import}/apercu", form: url.Values{}, prepare: noAgents, want: principalsImport(seeOther("/agents"))},

	// The information pages of the footer: public.
	"GET /accessibilite":        {path: "/accessibilite", want: everyone(ok200)},
	"GET /mentions-legales":     {path: "/mentions-legales", want: everyone(ok200)},
	"GET /donnees-personnelles": {path: "/donnees-personnelles", want: everyone(ok200)},
	"GET /plan-du-site":         {path: "/plan-du-site", want: everyone(ok200)},
	"GET /aide":                 {path: "/aide", want: everyone(ok200)},

	// The mail viewer: on in the world of this test (--mail-viewer), for loopback clients (the tests are).
	"GET /courriels":      {path: "/courriels", want: everyone(ok200)},
	"GET /courriels/{id}": {path: "/courriels/{mail}", want: everyone(ok200)},
	// The e-mails of this world carry no file; TestMailViewerAttachments downloads one.
	"GET /courriels/{id}/pieces-jointes/{n}": {path: "/courriels/{mail}/pieces-jointes/1", want: everyone(notFound)},

	"/": {path: "/nulle-part", want: everyone(notFound)},
}

var (
	routeCall    = regexp.MustCompile(`mux\.Handle(?:Func)?\(`)
	routePattern = regexp.MustCompile(`mux\.Handle(?:Func)?\(\s*"([^"]+)"`)
)

// registeredRoutes reads the patterns of routes.go, in order.
func registeredRoutes(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatalf("read routes.go: %v", err)
	}
	calls := routeCall.FindAllIndex(src, -1)
	var out []string
	for _, m := range routePattern.FindAllSubmatch(src, -1) {
		out = append(out, string(m[1]))
	}
	if len(calls) != len(out) {
		t.Fatalf("routes.go registers %d routes but %d with a literal pattern: give every route a literal pattern", len(calls), len(out))
	}
	if len(out) < 20 {
		t.Fatalf("only %d routes found in routes.go: is the regexp still right?", len(out))
	}
	return out
}

// authzWorld is a portal with every kind of visitor: a CT in
// multi-operator mode (its principal, an active operator), another such
// CT, and a CT still run by its historical manager.
type authzWorld struct {
	ts       *testServer
	a, b     principalFixture
	operator operatorFixture
	manager  seededCT
	agents   int            // the agents and imports agentTargets made
	staff    domain.Account // an agent of the CNFPT
}

// client returns a fresh browser signed in as who (none for anonymous):
// every request has its own session, so a logout harms nothing.
func (w *authzWorld) client(t *testing.T, who string) *http.Client {
	t.Helper()
	c := w.ts.client(t)
	switch who {
	case asOperator:
		w.ts.login(t, c, w.operator.Login, w.operator.Password)
	case asPrincipal:
		w.ts.login(t, c, w.a.Login, w.a.Password)
	case asManager:
		w.ts.login(t, c, w.manager.Account.Login, w.manager.Password)
	case asOther:
		w.ts.login(t, c, w.b.Login, w.b.Password)
	case asStaff:
		return w.ts.staffClient(t, w.staff)
	}
	return c
}

func newAuthzWorld(t *testing.T) *authzWorld {
	t.Helper()
	ts := newTestServer(t, withMailViewer)
	w := &authzWorld{ts: ts, a: ts.principalCT(t)}
	w.operator = ts.operator(t, w.a, operatorFiche, "oui", "oui")
	w.b = ts.principalCT(t)
	w.manager = ts.seedCT(t)
	w.staff = ts.staffAccount(t)
	return w
}

func TestAuthorization(t *testing.T) {
	t.Parallel()
	routes := registeredRoutes(t)
	seen := map[string]bool{}
	for _, p := range routes {
		seen[p] = true
		if _, ok := authzTable[p]; !ok {
			t.Errorf("route %q is not in the authorization table", p)
		}
	}
	for p := range authzTable {
		if !seen[p] {
			t.Errorf("the authorization table has %q, which routes.go does not register", p)
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	w := newAuthzWorld(t)
	targets := 0
	for _, pattern := range routes {
		tc := authzTable[pattern]
		method, _, found := strings.Cut(pattern, " ")
		if !found || strings.HasPrefix(method, "/") {
			method = http.MethodGet
		}
		for _, who := range visitors {
			t.Run(pattern+" as "+who, func(t *testing.T) {
				want, ok := tc.want[who]
				if !ok && who == asStaff {
					want, ok = staffAuthz[pattern]
				}
				if !ok {
					t.Fatalf("no expectation for %s", who)
				}
				if tc.prepare != nil {
					tc.prepare(t, w)
				}
				path := strings.ReplaceAll(tc.path, "{token}", "jeton-qui-n-existe-pas")
				path = strings.ReplaceAll(path, "{mail}", fmt.Sprint(w.ts.allMail(t)[0].ID))
				path, agentsUnchanged := w.agentTargets(t, path)
				path, staffUnchanged := w.staffTargets(t, path)
				path, sessionsUnchanged := w.sessionTargets(t, path)
				path, trainingUnchanged := w.trainingTargets(t, path)
				var target domain.Account
				if strings.Contains(path, "{op}") {
					// A new person each time: one person has one account per CT.
					targets++
					target = w.ts.seedOperators(t, w.a, domain.Fiche{Civility: domain.Madame, LastName: "Cible", FirstName: "Chloé",
						Function: "Agent", Email: fmt.Sprintf("cible%d@cholet.example.fr", targets), Phone: "0241000011"})[0]
					path = strings.ReplaceAll(path, "{op}", fmt.Sprint(target.ID))
				}
				var contact domain.TrainingContact
				if strings.Contains(path, "{corr}") {
					contact = w.ts.seedContact(t, w.a.CT.ID)
					path = strings.ReplaceAll(path, "{corr}", fmt.Sprint(contact.ID))
				}
				mails := w.ts.outboxCount(t)
				c := w.client(t, who)

				var r response
				if method == http.MethodPost {
					r = w.ts.postForm(t, c, path, tc.form)
				} else {
					r = w.ts.get(t, c, path)
				}
				location := want.location
				if want.toLogin {
					location = "/connexion"
					if method == http.MethodGet {
						location += "?suite=" + url.QueryEscape(path)
					}
				}
				if r.Status != want.status || !strings.HasPrefix(r.Location, location) || (want.toLogin && r.Location != location) {
					t.Errorf("%s %s as %s: %v, want %d to %q; page:\n%s", method, path, who, r, want.status, location, excerpt(r.Text))
				}
				agentsUnchanged(t, who)
				staffUnchanged(t, who)
				sessionsUnchanged(t, who)
				trainingUnchanged(t, who)
				// Whoever may not act on the operator leaves it as it was, and sends nothing.
				if target.ID != 0 && who != asPrincipal {
					after, exists := w.ts.accountByID(t, w.a.CT.ID, target.ID)
					if !exists {
						t.Errorf("%s deleted the operator of another CT", who)
					} else if diff := cmp.Diff(target, after); diff != "" {
						t.Errorf("%s changed the operator (-before +after):\n%s", who, diff)
					}
					if n := w.ts.outboxCount(t); n != mails {
						t.Errorf("%s queued %d e-mails", who, n-mails)
					}
				}
				// Whoever may not act on the correspondant leaves it as it was.
				if contact.ID != 0 && who != asPrincipal && who != asOperator {
					after, err := w.ts.Store.GetTrainingContact(cliCtx(), w.a.CT.ID, contact.ID)
					if err != nil {
						t.Errorf("%s deleted the correspondant of another CT: %v", who, err)
					} else if diff := cmp.Diff(contact, after); diff != "" {
						t.Errorf("%s changed the correspondant of another CT (-before +after):\n%s", who, diff)
					}
				}
			})
		}
	}
}

// TestAuthorizationDesignationTarget: a holder cannot designate, nor load
// the values of, an operator of another CT.
func TestAuthorizationDesignationTarget(t *testing.T) {
	t.Parallel()
	w := newAuthzWorld(t)
	op := fmt.Sprint(w.operator.Account.ID)
	for _, who := range []string{asOther, asManager} {
		c := w.client(t, who)
		r := w.ts.get(t, c, "/compte/gestionnaire-principal?operateur="+op)
		wantStatus(t, r, http.StatusNotFound, "")
		wantNoText(t, r, "Sophie", "s.bernard@cholet.example.fr")

		mails := w.ts.outboxCount(t)
		form := ficheValues(operatorFiche, "oui", "oui")
		form.Set("operateur", op)
		r = w.ts.postForm(t, c, "/compte/gestionnaire-principal", form)
		wantStatus(t, r, http.StatusNotFound, "")
		if n := w.ts.outboxCount(t); n != mails {
			t.Errorf("%s: %d e-mails queued", who, n-mails)
		}
	}
	for _, ct := range []int64{w.b.CT.ID, w.manager.CT.ID} {
		if d, ok := w.ts.pending(t, ct); ok {
			t.Errorf("designation recorded: %+v", d)
		}
	}
	// The operator's own designation by its principal works: the check is the CT, not the id.
	r := w.ts.get(t, w.client(t, asPrincipal), "/compte/gestionnaire-principal?operateur="+op)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Sophie", "s.bernard@cholet.example.fr")
}
