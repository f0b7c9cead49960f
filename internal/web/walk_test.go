package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"iel/internal/domain"
	"iel/internal/web"
)

// The walk of the portal that TestEveryPageRenders, TestPageText and
// TestPagesHaveNoInlineCode read: every page, in each state worth reading.

// renderedPage is one page of the portal as a browser gets it, and the
// text a person reads on it.
type renderedPage struct {
	name string
	r    response
	text string // visibleText, with what changes from run to run replaced
}

// pageWalk collects the pages of renderedPages, and names the generated
// identifiants it meets so that the text of a page is the same at every run.
type pageWalk struct {
	t      *testing.T
	pages  []renderedPage
	logins *strings.Replacer
	pairs  []string

	mu    sync.Mutex
	views map[string]bool // the view-model types the servers rendered
}

// watch has ts tell the walk every page it renders; it is called before
// ts answers anything.
func (w *pageWalk) watch(ts *testServer) *testServer {
	web.SetOnRender(ts.Server, func(view string) {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.views[view] = true
	})
	return ts
}

// name makes login read as the identifiant of who in the pages' text.
func (w *pageWalk) name(login, who string) {
	w.pairs = append(w.pairs, login, "‹identifiant de "+who+"›")
	w.logins = strings.NewReplacer(w.pairs...)
}

var (
	textDate  = regexp.MustCompile(`\d{2}/\d{2}/\d{4} à \d{2} ?h ?\d{2}`)
	textToken = regexp.MustCompile(`(/(?:mot-de-passe|validationgestprin|validationoperateur)/)[A-Za-z0-9_-]{16,}`)
	textRef   = regexp.MustCompile(`référence [0-9a-f]{16}`)
	textLogin = regexp.MustCompile(`\b[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{10}\b`)
)

// add keeps the page r under name, after checking its status.
func (w *pageWalk) add(name string, status int, r response) {
	w.t.Helper()
	if r.Status != status {
		w.t.Fatalf("%s: %v, want %d; page:\n%s", name, r, status, excerpt(r.Text))
	}
	text := visibleText(r.Body)
	if w.logins != nil {
		text = w.logins.Replace(text)
	}
	text = textDate.ReplaceAllString(text, "JJ/MM/AAAA à HHhMM")
	text = textToken.ReplaceAllString(text, "${1}‹jeton›")
	text = textRef.ReplaceAllString(text, "référence ‹id›")
	if m := textLogin.FindString(text); m != "" {
		w.t.Fatalf("%s: identifiant %s not named by the walk; text:\n%s", name, m, text)
	}
	w.pages = append(w.pages, renderedPage{name: name, r: r, text: text})
}

// renderedPages walks the portal as its visitors do and returns every
// page state worth reading: each page, refused and accepted forms, each
// role's account page, the error pages, the mail viewer.
func renderedPages(t *testing.T) []renderedPage {
	t.Helper()
	return walkPortal(t).pages
}

// walkPortal is renderedPages, with the view-model types it rendered.
func walkPortal(t *testing.T) *pageWalk {
	t.Helper()
	w := &pageWalk{t: t, views: map[string]bool{}}

	// A portal without data: the visitor's pages.
	ts := w.watch(newTestServer(t))
	anon := ts.client(t)
	w.add("login", 200, ts.get(t, anon, "/connexion?suite=%2Fcompte"))
	w.add("login-refused", 422, ts.postForm(t, anon, "/connexion", url.Values{}))
	w.add("login-wrong", 401, ts.postForm(t, anon, "/connexion", url.Values{"identifiant": {"X"}, "mot_de_passe": {"y"}}))
	w.add("forgot", 200, ts.get(t, anon, "/mot-de-passe-oublie"))
	w.add("forgot-refused", 422, ts.postForm(t, anon, "/mot-de-passe-oublie", url.Values{}))
	wantStatus(t, ts.postForm(t, anon, "/mot-de-passe-oublie", url.Values{"identifiant": {"INCONNU"}}), http.StatusSeeOther, "/mot-de-passe-oublie/envoye")
	w.add("forgot-sent", 200, ts.get(t, anon, "/mot-de-passe-oublie/envoye"))
	w.add("cgu", 200, ts.get(t, anon, "/conditions-generales"))
	w.add("accessibility", 200, ts.get(t, anon, "/accessibilite"))
	w.add("legal", 200, ts.get(t, anon, "/mentions-legales"))
	w.add("privacy", 200, ts.get(t, anon, "/donnees-personnelles"))
	w.add("sitemap", 200, ts.get(t, anon, "/plan-du-site"))
	w.add("help", 200, ts.get(t, anon, "/aide"))
	w.add("error-404", 404, ts.get(t, anon, "/nulle-part"))
	w.add("error-410", 410, ts.get(t, anon, "/mot-de-passe/inconnu"))
	w.add("error-403-cross-origin", 403, ts.postForm(t, anon, "/connexion", url.Values{}, "Sec-Fetch-Site", "cross-site"))

	// The historical manager designates a principal, who accepts.
	ts = w.watch(newTestServer(t))
	s := ts.seedCT(t)
	w.name(s.Account.Login, "Claire Durand")
	m := ts.loggedIn(t, s)
	w.add("account-manager", 200, ts.get(t, m, "/compte"))
	w.add("account-manager-refused", 422, ts.postForm(t, m, "/compte", accountForm(map[string]string{
		"civilite": "", "nom": "", "prenom": "Claudine", "telephone": "02 41", "nouveau": "abc", "confirmation": "abd"})))
	wantStatus(t, ts.postForm(t, m, "/compte", accountForm(nil)), http.StatusSeeOther, "/compte")
	w.add("account-manager-saved", 200, ts.get(t, m, "/compte"))
	w.add("designation-new-manager", 200, ts.get(t, m, "/compte/gestionnaire-principal"))
	w.add("designation-new-empty", 200, ts.get(t, m, "/compte/gestionnaire-principal?vide=1"))
	w.add("designation-new-refused", 422, ts.postForm(t, m, "/compte/gestionnaire-principal",
		ficheValues(domain.Fiche{Civility: domain.Monsieur, LastName: "Martin", Email: "dgs@cholet", Phone: "02 41"}, "oui", "")))
	wantStatus(t, ts.postForm(t, m, "/compte/gestionnaire-principal", ficheValues(principalFiche, "oui", "oui")), http.StatusSeeOther, "/compte")
	w.add("account-manager-pending", 200, ts.get(t, m, "/compte"))
	w.add("designation-cancel", 200, ts.get(t, m, "/compte/gestionnaire-principal/annuler"))
	link := ts.mailPath(t, subjectDesignation, principalFiche.Email, "/validationgestprin/")
	pc := ts.client(t)
	w.add("designation-answer", 200, ts.get(t, pc, link))
	w.add("designation-answer-refused", 422, ts.postForm(t, pc, link, url.Values{"commentaire": {"Avec plaisir."}}))
	wantStatus(t, ts.postForm(t, pc, link, url.Values{"reponse": {"accepte"}, "commentaire": {"Avec plaisir."}}), http.StatusSeeOther, link)
	w.add("designation-answer-accepted", 200, ts.get(t, pc, link))
	accepted := ts.newestMail(t, subjectPrincipalAccount, principalFiche.Email)
	login := loginIn(t, accepted)
	w.name(login, "Paul Martin")
	pwLink := linkIn(t, accepted, "/mot-de-passe/")
	w.add("password-link", 200, ts.get(t, pc, pwLink))
	w.add("password-link-refused", 422, ts.postForm(t, pc, pwLink, url.Values{"nouveau": {"court"}, "confirmation": {"autre"}}))
	wantStatus(t, ts.postForm(t, pc, pwLink, url.Values{"nouveau": {principalPassword}, "confirmation": {principalPassword}}),
		http.StatusSeeOther, "/connexion?identifiant="+login)
	w.add("login-password-set", 200, ts.get(t, pc, "/connexion?identifiant="+login))
	ts.login(t, pc, login, principalPassword)
	p := principalFixture{seededCT: s, Principal: ts.accountByLogin(t, login), Login: login, Password: principalPassword, Client: pc}
	w.add("account-principal", 200, ts.get(t, pc, "/compte"))
	w.add("account-principal-refused", 422, ts.postForm(t, pc, "/compte", ficheValues(domain.Fiche{Phone: "02 41 11 22 3"}, "", "oui")))

	// The principal's operators: one accepts, one refuses, one has not answered.
	w.add("operators-alone", 200, ts.get(t, pc, "/compte/operateurs"))
	r := ts.get(t, pc, "/compte/operateurs/nouveau")
	newField, newLogin := issuedIdentifiant(t, r)
	w.name(newLogin, "l'opérateur à créer")
	w.add("operator-new", 200, r)
	form := ficheValues(domain.Fiche{LastName: "Bernard", Email: "s.bernard@", Phone: "abc"}, "", "non")
	form.Set("identifiant", newField)
	w.add("operator-new-refused", 422, ts.postForm(t, pc, "/compte/operateurs", form))
	sophie, sophieLink := ts.createOperator(t, p, operatorFiche, "oui", "non")
	w.name(sophie.Login, "Sophie Bernard")
	emilie := domain.Fiche{Civility: domain.Madame, LastName: "Émond", FirstName: "Émilie", Function: "Gestionnaire formation",
		Email: "e.emond@cholet.example.fr", Phone: "02 41 33 44 55"}
	ea, emilieLink := ts.createOperator(t, p, emilie, "non", "non")
	w.name(ea.Login, "Émilie Émond")
	invitee := ts.client(t)
	w.add("invitation-answer", 200, ts.get(t, invitee, emilieLink))
	w.add("invitation-answer-refused", 422, ts.postForm(t, invitee, emilieLink, url.Values{"commentaire": {"Je change de service."}}))
	wantStatus(t, ts.postForm(t, invitee, emilieLink, url.Values{"reponse": {"refuse"}, "commentaire": {"Je change de service."}}), http.StatusSeeOther, emilieLink)
	w.add("invitation-answer-declined", 200, ts.get(t, invitee, emilieLink))
	ts.setPassword(t, ts.acceptInvitation(t, sophieLink), operatorPassword)
	oc := ts.client(t)
	ts.login(t, oc, sophie.Login, operatorPassword)
	lea := domain.Fiche{Civility: domain.Madame, LastName: "Petit", FirstName: "Léa", Function: "Assistante RH",
		Email: "l.petit@cholet.example.fr", Phone: "02 41 44 55 66"}
	la, leaLink := ts.createOperator(t, p, lea, "non", "oui")
	w.name(la.Login, "Léa Petit")
	// Léa accepts, and has not chosen her password yet.
	lc := ts.client(t)
	wantStatus(t, ts.postForm(t, lc, leaLink, url.Values{"reponse": {"accepte"}}), http.StatusSeeOther, leaLink)
	w.add("invitation-answer-accepted", 200, ts.get(t, lc, leaLink))
	w.add("operators", 200, ts.get(t, pc, "/compte/operateurs"))
	w.add("operator-edit", 200, ts.get(t, pc, operatorPath(sophie)))
	w.add("operator-edit-refused", 422, ts.postForm(t, pc, operatorPath(sophie), ficheValues(domain.Fiche{Civility: domain.Madame,
		LastName: "Bernard", Function: "Assistante formation", Email: "s.bernard@cholet.example.fr", Phone: "02 41 22 33"}, "oui", "")))
	w.add("operator-delete", 200, ts.get(t, pc, operatorPath(la)+"/supprimer"))

	// The principal leaves the integration e-mails to Sophie, their last recipient.
	wantStatus(t, ts.postForm(t, pc, "/compte", ficheValues(principalFiche, "non", "oui")), http.StatusSeeOther, "/compte")
	w.add("account-principal-saved", 200, ts.get(t, pc, "/compte"))
	changed := operatorFiche
	changed.Function = "Autre fonction"
	w.add("operator-edit-conflict", 409, ts.postForm(t, pc, operatorPath(sophie), ficheValues(changed, "non", "non")))
	w.add("operator-delete-refused", 409, ts.postForm(t, pc, operatorPath(sophie)+"/supprimer", nil))
	w.add("account-operator", 200, ts.get(t, oc, "/compte"))
	w.add("account-operator-refused", 422, ts.postForm(t, oc, "/compte", ficheValues(domain.Fiche{Civility: domain.Madame,
		LastName: "Bernard", FirstName: "Sophie", Function: "Assistante formation", Email: "sophie", Phone: "02 41 22 33 44"}, "oui", "")))
	w.add("account-operator-conflict", 409, ts.postForm(t, oc, "/compte", ficheValues(operatorFiche, "non", "oui")))
	w.add("error-403", 403, ts.get(t, oc, "/compte/operateurs"))
	w.add("error-404-signed-in", 404, ts.get(t, oc, "/nulle-part"))
	walkSettings(w, ts, pc, oc)
	walkContacts(w, ts, s.CT.ID, pc, oc)
	w.add("journal", 200, ts.get(t, pc, "/compte/journal"))
	w.add("journal-filtered-empty", 200, ts.get(t, pc, "/compte/journal?type=registration"))

	// The principal designates someone, who refuses.
	w.add("designation-new-principal", 200, ts.get(t, pc, "/compte/gestionnaire-principal"))
	w.add("designation-new-operator", 200, ts.get(t, pc, fmt.Sprintf("/compte/gestionnaire-principal?operateur=%d", sophie.ID)))
	nina := domain.Fiche{Civility: domain.Madame, LastName: "Nouvelle", FirstName: "Nina", Function: "DGS",
		Email: "nina.nouvelle@cholet.example.fr", Phone: "02 41 00 00 10"}
	wantStatus(t, ts.postForm(t, pc, "/compte/gestionnaire-principal", ficheValues(nina, "oui", "oui")), http.StatusSeeOther, "/compte")
	w.add("account-principal-pending", 200, ts.get(t, pc, "/compte"))
	ninaMail := ts.newestMail(t, subjectDesignation, nina.Email)
	ninaLink, nc := linkIn(t, ninaMail, "/validationgestprin/"), ts.client(t)
	wantStatus(t, ts.postForm(t, nc, ninaLink, url.Values{"reponse": {"refuse"}}), http.StatusSeeOther, ninaLink)
	w.add("designation-answer-declined", 200, ts.get(t, nc, ninaLink))

	wantStatus(t, ts.postForm(t, m, "/deconnexion", url.Values{}), http.StatusSeeOther, "/connexion")
	w.add("login-logged-out", 200, ts.get(t, m, "/connexion"))

	walkAgents(t, w)
	walkFormations(t, w)
	walkHome(w)
	walkStaff(t, w)
	walkSessions(t, w)
	walkBilan(t, w)

	// A demonstration: the demo banner on every page, the e-mails kept with their links.
	ts = w.watch(newTestServer(t, withMailViewer))
	demo := ts.client(t)
	w.add("mail-list-empty", 200, ts.get(t, demo, "/courriels"))
	ds := ts.seedCT(t)
	w.name(ds.Account.Login, "Claire Durand")
	ts.resetLink(t, ds)
	w.add("mail-list", 200, ts.get(t, demo, "/courriels"))
	w.add("mail-show", 200, ts.get(t, demo, fmt.Sprintf("/courriels/%d", ts.outbox(t)[0].ID)))

	// A database that stops answering: the internal error page.
	ts = w.watch(newTestServer(t))
	c := ts.loggedIn(t, ts.seedCT(t))
	ts.Store.Close()
	w.add("error-500", 500, ts.get(t, c, "/compte"))
	return w
}

var viewDecl = regexp.MustCompile(`(?m)^templ \(\w+ (\w+)\) View\(\)`)

// declaredViews lists the view-model types that have a View in the
// package's .templ files: one per page.
func declaredViews(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.templ")
	if err != nil || len(files) == 0 {
		t.Fatalf("no .templ files: %v", err)
	}
	views := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range viewDecl.FindAllStringSubmatch(string(b), -1) {
			views[m[1]] = true
		}
	}
	return views
}
