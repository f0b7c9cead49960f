package web_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
	"iel/internal/store"
)

// The flows of the notice, driven through the pages as a person would:
// the change of principal and the operators' invitations, with the links
// taken from the e-mails the portal queued.

// The subjects of the e-mails, word for word.
const (
	subjectDesignation       = "inscription en ligne : validation de votre compte gestionnaire principal CT"
	subjectPrincipalAccount  = "inscription en ligne : votre compte gestionnaire principal CT"
	subjectDesignationAnswer = "inscription en ligne : réponse à la désignation du gestionnaire principal CT"
	subjectInvitation        = "inscription en ligne : validation de votre compte opérateur CT"
	subjectOperatorAnswer    = "inscription en ligne : réponse à l'invitation d'un opérateur CT"
	subjectOperatorAccount   = "inscription en ligne : votre compte opérateur CT"
	subjectReset             = "inscription en ligne : mot de passe oublié"
	subjectOperatorDeleted   = "inscription en ligne : suppression de votre compte opérateur CT"
	subjectAddressChanged    = "inscription en ligne : changement de l'adresse courriel de votre compte"
)

// resetCooldown is the portal's: one "Mot de passe oublié ?" link a minute per account.
const resetCooldown = time.Minute

// The passwords the flows' people choose.
const (
	principalPassword = "Principal-Cholet-58"
	operatorPassword  = "Operateur-Cholet-31"
)

// principalFiche is the person the seeded manager designates, the phone as typed.
var principalFiche = domain.Fiche{Civility: domain.Monsieur, LastName: "Martin", FirstName: "Paul",
	Function: "Directeur général des services", Email: "dgs@cholet.example.fr", Phone: "02 41 11 22 33"}

// operatorFiche is the first operator the principal creates, the phone as typed.
var operatorFiche = domain.Fiche{Civility: domain.Madame, LastName: "Bernard", FirstName: "Sophie",
	Function: "Assistante formation", Email: "s.bernard@cholet.example.fr", Phone: "02 41 22 33 44"}

// ficheValues is a designation or operator form filled with f and the two
// "Paramétrage courriels" answers ("oui", "non" or "" for none).
func ficheValues(f domain.Fiche, integration, inter string) url.Values {
	v := url.Values{
		"civilite":  {string(f.Civility)},
		"nom":       {f.LastName},
		"prenom":    {f.FirstName},
		"fonction":  {f.Function},
		"courriel":  {f.Email},
		"telephone": {f.Phone},
	}
	if integration != "" {
		v.Set("courriel_integration", integration)
	}
	if inter != "" {
		v.Set("courriel_inter", inter)
	}
	return v
}

// digits is a typed phone as the database keeps it.
func digits(phone string) string {
	d, ok := domain.NormalizePhone(phone)
	if !ok {
		panic("bad test phone " + phone)
	}
	return d
}

// allMail lists every queued e-mail, newest first, without bodies.
func (ts *testServer) allMail(t testing.TB) []store.OutboxMail {
	t.Helper()
	mails, err := ts.Store.ListOutbox(cliCtx(), 1_000_000)
	if err != nil {
		t.Fatalf("ListOutbox: %v", err)
	}
	return mails
}

// newestMail returns, with its bodies, the newest e-mail with subject sent
// to the address to ("" for anyone).
func (ts *testServer) newestMail(t testing.TB, subject, to string) store.OutboxMail {
	t.Helper()
	for _, m := range ts.allMail(t) {
		if m.Subject == subject && (to == "" || m.To == to) {
			full, err := ts.Store.GetOutbox(cliCtx(), m.ID)
			if err != nil {
				t.Fatalf("GetOutbox: %v", err)
			}
			return full
		}
	}
	t.Fatalf("no e-mail %q to %q in the outbox", subject, to)
	return store.OutboxMail{}
}

var mailLink = regexp.MustCompile(regexp.QuoteMeta(baseURL) + `(/[A-Za-z0-9/_-]+)`)

// linkIn returns the path of the link of m that starts with prefix.
func linkIn(t testing.TB, m store.OutboxMail, prefix string) string {
	t.Helper()
	for _, sub := range mailLink.FindAllStringSubmatch(m.Text, -1) {
		if strings.HasPrefix(sub[1], prefix) {
			return sub[1]
		}
	}
	t.Fatalf("no %s… link in the e-mail %q:\n%s", prefix, m.Subject, m.Text)
	return ""
}

// mailPath returns the path of the link starting with prefix in the newest
// e-mail with subject sent to to.
func (ts *testServer) mailPath(t testing.TB, subject, to, prefix string) string {
	t.Helper()
	return linkIn(t, ts.newestMail(t, subject, to), prefix)
}

// accountByLogin reads an account back by its identifiant.
func (ts *testServer) accountByLogin(t testing.TB, login string) domain.Account {
	t.Helper()
	a, err := ts.Store.GetAccountByLogin(cliCtx(), login)
	if err != nil {
		t.Fatalf("GetAccountByLogin(%s): %v", login, err)
	}
	return a
}

// accountByID reads an account of the CT ctID back; ok is false when it is gone.
func (ts *testServer) accountByID(t testing.TB, ctID, id int64) (domain.Account, bool) {
	t.Helper()
	a, err := ts.Store.GetAccount(cliCtx(), ctID, id)
	if errors.Is(err, store.ErrNotFound) {
		return a, false
	}
	if err != nil {
		t.Fatalf("GetAccount: %v", err)
	}
	return a, true
}

// setPassword chooses password on the "MODIFICATION DU MOT DE PASSE" page
// path and fails unless the person is sent to log in with its identifiant.
func (ts *testServer) setPassword(t testing.TB, path, password string) {
	t.Helper()
	r := ts.postForm(t, ts.client(t), path, url.Values{"nouveau": {password}, "confirmation": {password}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/connexion?identifiant=") {
		t.Fatalf("set password on %s: %v, want 303 to /connexion?identifiant=…; page:\n%s", path, r, excerpt(r.Text))
	}
}

// principalFixture is a CT switched to multi-operator mode through the
// pages: its historical manager (now closed) and its principal, signed in.
type principalFixture struct {
	seededCT                   // the CT and its historical manager, as seeded
	Manager   *http.Client     // the manager's browser, signed in before the change
	Principal domain.Account   // as in the database after the password was set
	Login     string           // the principal's own identifiant, from its e-mail
	Password  string           // the principal's password
	Client    *http.Client     // the principal's browser, signed in
	Answer    store.OutboxMail // the answer e-mail to the manager
	Accepted  store.OutboxMail // "votre compte gestionnaire principal CT"
}

// principalCT seeds a CT whose manager designates principalFiche, who
// accepts by the mailed link, sets a password by the mailed link, and logs in.
func (ts *testServer) principalCT(t testing.TB) principalFixture {
	t.Helper()
	s := ts.seedCT(t)
	m := ts.loggedIn(t, s)
	r := ts.postForm(t, m, "/compte/gestionnaire-principal", ficheValues(principalFiche, "oui", "oui"))
	wantStatus(t, r, http.StatusSeeOther, "/compte")

	link := ts.mailPath(t, subjectDesignation, principalFiche.Email, "/validationgestprin/")
	r = ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"accepte"}, "commentaire": {"Avec plaisir."}})
	wantStatus(t, r, http.StatusSeeOther, link)

	accepted := ts.newestMail(t, subjectPrincipalAccount, principalFiche.Email)
	login := loginIn(t, accepted)
	ts.setPassword(t, linkIn(t, accepted, "/mot-de-passe/"), principalPassword)
	c := ts.client(t)
	ts.login(t, c, login, principalPassword)
	return principalFixture{seededCT: s, Manager: m, Principal: ts.accountByLogin(t, login), Login: login, Password: principalPassword,
		Client: c, Answer: ts.newestMail(t, subjectDesignationAnswer, s.Account.Email), Accepted: accepted}
}

var loginLine = regexp.MustCompile(`votre login : ([A-Z0-9]+)`)

// loginIn returns the identifiant an e-mail gives.
func loginIn(t testing.TB, m store.OutboxMail) string {
	t.Helper()
	sub := loginLine.FindStringSubmatch(m.Text)
	if sub == nil {
		t.Fatalf("no login in the e-mail %q:\n%s", m.Subject, m.Text)
	}
	return sub[1]
}

// operatorFixture is an operator account made through the pages.
type operatorFixture struct {
	Account  domain.Account // as in the database
	Login    string
	Password string
	Client   *http.Client // signed in, once active
}

// identifiantInput is the hidden field of "Créer un opérateur": the
// identifiant the form shows, signed by the server.
var identifiantInput = regexp.MustCompile(`name="identifiant" value="(([A-Z0-9]+)\.[A-Za-z0-9_-]+)"`)

// issuedIdentifiant returns the hidden "identifiant" of the operator form
// r, as the form posts it back, and the identifiant it carries.
func issuedIdentifiant(t testing.TB, r response) (field, login string) {
	t.Helper()
	sub := identifiantInput.FindStringSubmatch(r.Body)
	if sub == nil {
		t.Fatalf("no identifiant on the form:\n%s", excerpt(r.Text))
	}
	return sub[1], sub[2]
}

// createOperator fills "Créer un opérateur" as the principal p with f and
// the preferences, and returns the new inactive account and the path of
// its invitation link.
func (ts *testServer) createOperator(t testing.TB, p principalFixture, f domain.Fiche, integration, inter string) (domain.Account, string) {
	t.Helper()
	r := ts.get(t, p.Client, "/compte/operateurs/nouveau")
	wantStatus(t, r, http.StatusOK, "")
	field, login := issuedIdentifiant(t, r)
	form := ficheValues(f, integration, inter)
	form.Set("identifiant", field)
	r = ts.postForm(t, p.Client, "/compte/operateurs", form)
	wantStatus(t, r, http.StatusSeeOther, "/compte/operateurs")
	a := ts.accountByLogin(t, login)
	if a.Role != domain.RoleOperator || a.State != domain.StateInactive || a.CollectivityID != p.CT.ID {
		t.Fatalf("created operator: role %s, state %s, CT %d", a.Role, a.State, a.CollectivityID)
	}
	return a, ts.mailPath(t, subjectInvitation, f.Email, "/validationoperateur/")
}

// acceptInvitation answers "j'accepte" on the invitation link and returns
// the set-password link of the e-mail the operator is sent.
func (ts *testServer) acceptInvitation(t testing.TB, link string) string {
	t.Helper()
	c := ts.client(t)
	wantStatus(t, ts.postForm(t, c, link, url.Values{"reponse": {"accepte"}}), http.StatusSeeOther, link)
	wantText(t, ts.get(t, c, link), "Votre réponse a été enregistrée", "Vous avez accepté le rôle d'opérateur CT")
	return linkIn(t, ts.newestMail(t, subjectOperatorAccount, ""), "/mot-de-passe/")
}

// operator creates an operator of p's CT, who accepts, sets its password
// and logs in.
func (ts *testServer) operator(t testing.TB, p principalFixture, f domain.Fiche, integration, inter string) operatorFixture {
	t.Helper()
	a, link := ts.createOperator(t, p, f, integration, inter)
	ts.setPassword(t, ts.acceptInvitation(t, link), operatorPassword)
	c := ts.client(t)
	ts.login(t, c, a.Login, operatorPassword)
	return operatorFixture{Account: ts.accountByLogin(t, a.Login), Login: a.Login, Password: operatorPassword, Client: c}
}

// seedOperators creates inactive operators of p's CT directly in the
// store, one per fiche (phones as ten digits), each with an invitation.
func (ts *testServer) seedOperators(t testing.TB, p principalFixture, fiches ...domain.Fiche) []domain.Account {
	t.Helper()
	var out []domain.Account
	for _, f := range fiches {
		a, err := ts.Store.CreateOperator(cliCtx(), p.CT.ID, p.Principal.ID,
			store.NewOperator{Fiche: f, TokenHash: auth.NewToken().Hash, TokenExpiry: ts.Clock.Now().Add(mail.InvitationTTL)},
			func(a domain.Account) (mail.Message, error) {
				return mail.Message{MessageID: fmt.Sprintf("<seed-%d@test.local>", a.ID), To: a.Email, Subject: "seed", Text: "seed", HTML: "seed"}, nil
			})
		if err != nil {
			t.Fatalf("CreateOperator: %v", err)
		}
		out = append(out, a)
	}
	return out
}

// outboxCount is the number of queued e-mails.
func (ts *testServer) outboxCount(t testing.TB) int {
	t.Helper()
	return len(ts.allMail(t))
}

// listRow is a row of "COMPTES OPÉRATEURS".
type listRow struct {
	Name  string   // "Prénom Nom"
	Login string   // the identifiant under the name
	Cells []string // Fonction, Téléphone, Principal, Courriel Intégration, Courriel Inter, Etat
}

var (
	rowBlock  = regexp.MustCompile(`(?s)<tr class="govuk-table__row">\s*<th scope="row"[^>]*>(.*?)<br><span[^>]*>(.*?)</span></th>(.*?)</tr>`)
	cellBlock = regexp.MustCompile(`(?s)<td class="govuk-table__cell[^"]*">(.*?)</td>`)
)

// listRows reads the rows of an operators page.
func listRows(r response) []listRow {
	var out []listRow
	for _, m := range rowBlock.FindAllStringSubmatch(r.Text, -1) {
		row := listRow{Name: strings.TrimSpace(m[1]), Login: strings.TrimSpace(m[2])}
		for _, c := range cellBlock.FindAllStringSubmatch(m[3], -1) {
			row.Cells = append(row.Cells, strings.TrimSpace(c[1]))
		}
		out = append(out, row)
	}
	return out
}

// rowOf returns the row of the account login, failing when there is none.
func rowOf(t testing.TB, r response, login string) listRow {
	t.Helper()
	for _, row := range listRows(r) {
		if row.Login == login {
			return row
		}
	}
	t.Fatalf("no row for %s on the page:\n%s", login, excerpt(r.Text))
	return listRow{}
}

// state is the "Etat" cell of a row.
func (r listRow) state() string {
	if len(r.Cells) < 6 {
		return ""
	}
	return r.Cells[5]
}
