package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
	"iel/internal/mail"
)

// operatorPath is the "Modifier" page of the account a.
func operatorPath(a domain.Account) string { return fmt.Sprintf("/compte/operateurs/%d", a.ID) }

// operatorCount is the number of rows of "COMPTES OPÉRATEURS" in the database.
func (ts *testServer) operatorCount(t testing.TB, ctID int64) int {
	t.Helper()
	ops, err := ts.Store.ListOperators(cliCtx(), ctID)
	if err != nil {
		t.Fatalf("ListOperators: %v", err)
	}
	return len(ops)
}

func TestOperatorTabs(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	manager := ts.loggedIn(t, ts.seedCT(t))
	p := ts.principalCT(t)

	// The tab exists for the principal only.
	r := ts.get(t, p.Client, "/compte")
	wantText(t, r, "Comptes opérateurs")
	if !strings.Contains(r.Body, `href="/compte/operateurs"`) {
		t.Error("the principal has no link to /compte/operateurs")
	}
	r = ts.get(t, manager, "/compte")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Ma fiche gestionnaire CT")
	wantNoText(t, r, "Comptes opérateurs")

	r = ts.get(t, p.Client, "/compte/operateurs")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "1 opérateur a été trouvé", "Créer un opérateur",
		"Prénom / Nom", "Fonction", "Téléphone", "Principal", "Courriel Intégration", "Courriel Inter", "Etat")
	if got, want := listRows(r), []listRow{{Name: "Paul Martin", Login: p.Login,
		Cells: []string{"Directeur général des services", "02 41 11 22 33", "oui", "oui", "oui", "gestionnaire", `<a class="govuk-link" href="/compte">Ma fiche</a>`}}}; !cmp.Equal(got, want) {
		t.Errorf("rows = %q, want %q", got, want)
	}

	o := ts.operator(t, p, operatorFiche, "oui", "non")
	r = ts.get(t, p.Client, "/compte/operateurs")
	wantText(t, r, "2 opérateurs ont été trouvés")
	row := rowOf(t, r, o.Login)
	if row.Name != "Sophie Bernard" || !cmp.Equal(row.Cells[:6], []string{"Assistante formation", "02 41 22 33 44", "non", "oui", "non", "actif"}) {
		t.Errorf("operator row = %q", row)
	}

	// The operator's own tab is "Opérateur", without the operators' tab.
	r = ts.get(t, o.Client, "/compte")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Ma fiche opérateur")
	wantMarkup(t, r, `aria-current="page">Opérateur</a>`)
	wantNoText(t, r, "Comptes opérateurs", "Changer le compte Gestionnaire principal")
}

func TestOperatorNewForm(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)

	r := ts.get(t, p.Client, "/compte/operateurs/nouveau")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Créer un opérateur", "* Champs obligatoires", "* Identifiant", "Civilité", "M.", "Mme",
		"Nom", "Prénom", "Fonction", "Tél", "Courriel", "Paramétrage courriels", prefsParagraph,
		"Formation d'intégration", "Formation inter", "Oui", "Non", "Annuler", "Valider",
		"L'identifiant est généré par l'application. Le mot de passe sera créé par l'opérateur, après acceptation, lors de sa première connexion.")
	field, login := issuedIdentifiant(t, r)
	if !strings.Contains(r.Text, "<strong>"+login+"</strong>") {
		t.Fatalf("the generated identifiant is not shown:\n%s", excerpt(r.Text))
	}
	// The identifiant shown is the one the account gets.
	form := ficheValues(operatorFiche, "oui", "non")
	form.Set("identifiant", field)
	wantStatus(t, ts.postForm(t, p.Client, "/compte/operateurs", form), http.StatusSeeOther, "/compte/operateurs")
	a := ts.accountByLogin(t, login)
	want := domain.Account{ID: a.ID, CollectivityID: p.CT.ID, Login: login, Role: domain.RoleOperator, State: domain.StateInactive,
		Fiche: domain.Fiche{Civility: domain.Madame, LastName: "Bernard", FirstName: "Sophie", Function: "Assistante formation",
			Email: "s.bernard@cholet.example.fr", Phone: "0241223344"}, Prefs: domain.MailPrefs{domain.Integration: true}}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("created operator (-want +got):\n%s", diff)
	}
	wantText(t, ts.get(t, p.Client, "/compte/operateurs"), "Le compte opérateur de Sophie Bernard est créé avec l'identifiant "+login)

	// An identifiant already taken is replaced by a fresh one.
	other := operatorFiche
	other.Email = "autre@cholet.example.fr"
	form = ficheValues(other, "non", "non")
	form.Set("identifiant", field)
	wantStatus(t, ts.postForm(t, p.Client, "/compte/operateurs", form), http.StatusSeeOther, "/compte/operateurs")
	if n := ts.operatorCount(t, p.CT.ID); n != 3 {
		t.Errorf("%d accounts, want 3", n)
	}
}

// TestOperatorIdentifiantIssuedByServer: the client cannot choose an
// operator's identifiant. The POST takes back only the one the server
// issued, signed, for the same CT; any other (typed, tampered with,
// issued to another CT) is ignored and a fresh one drawn.
func TestOperatorIdentifiantIssuedByServer(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	other := ts.principalCT(t)
	field, login := issuedIdentifiant(t, ts.get(t, p.Client, "/compte/operateurs/nouveau"))
	otherField, otherLogin := issuedIdentifiant(t, ts.get(t, other.Client, "/compte/operateurs/nouveau"))
	_, sig, _ := strings.Cut(field, ".")

	tests := []struct{ name, posted, refused string }{
		{name: "typed by the client", posted: "CHOISI2345", refused: "CHOISI2345"},
		{name: "typed in lower case", posted: "choisi2345", refused: "CHOISI2345"},
		{name: "another identifiant under a valid signature", posted: "CHOISI2345." + sig, refused: "CHOISI2345"},
		{name: "issued to another CT", posted: otherField, refused: otherLogin},
		{name: "the signature alone", posted: "." + sig, refused: ""},
		{name: "none", posted: "", refused: ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := operatorFiche
			f.Email = fmt.Sprintf("personne%d@cholet.example.fr", i)
			form := ficheValues(f, "non", "non")
			form.Set("identifiant", tt.posted)
			wantStatus(t, ts.postForm(t, p.Client, "/compte/operateurs", form), http.StatusSeeOther, "/compte/operateurs")
			var created string
			for _, row := range listRows(ts.get(t, p.Client, "/compte/operateurs")) {
				if a := ts.accountByLogin(t, row.Login); a.Email == f.Email {
					created = a.Login
				}
			}
			if created == "" || created == tt.refused || created == login || !regexp.MustCompile(`^[A-Z2-9]{10}$`).MatchString(created) {
				t.Errorf("posted %q: account created with %q, want a fresh identifiant", tt.posted, created)
			}
		})
	}
	if _, err := ts.Store.GetAccountByLogin(cliCtx(), "CHOISI2345"); err == nil {
		t.Error("an account has the identifiant the client chose")
	}
	// The one issued is the one given.
	form := ficheValues(operatorFiche, "non", "non")
	form.Set("identifiant", field)
	wantStatus(t, ts.postForm(t, p.Client, "/compte/operateurs", form), http.StatusSeeOther, "/compte/operateurs")
	if a := ts.accountByLogin(t, login); a.Email != operatorFiche.Email || a.CollectivityID != p.CT.ID {
		t.Errorf("the issued identifiant went to %+v", a)
	}
}

func TestOperatorCreateRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	mails := ts.outboxCount(t)

	field, login := issuedIdentifiant(t, ts.get(t, p.Client, "/compte/operateurs/nouveau"))
	form := func(change map[string]string) url.Values {
		v := ficheValues(operatorFiche, "oui", "non")
		v.Set("identifiant", field)
		for k, x := range change {
			if x == "" {
				v.Del(k)
			} else {
				v.Set(k, x)
			}
		}
		return v
	}
	tests := []struct {
		name   string
		change map[string]string
		msg    string
		kept   []string // raw HTML the form must hold
	}{
		{name: "bad phone", change: map[string]string{"telephone": "02 41 AB", "nom": "Lefèvre"},
			msg: "Le numéro de téléphone doit comporter 10 chiffres, par exemple 02 41 00 00 00.", kept: []string{`value="02 41 AB"`, `value="Lefèvre"`}},
		{name: "bad email", change: map[string]string{"courriel": "sophie@@cholet.fr"},
			msg: "Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr.", kept: []string{`value="sophie@@cholet.fr"`, `value="Sophie"`}},
		{name: "missing nom", change: map[string]string{"nom": " "},
			msg: "Saisissez le nom.", kept: []string{`value="Assistante formation"`, `value="02 41 22 33 44"`}},
		{name: "missing prénom", change: map[string]string{"prenom": ""},
			msg: "Saisissez le prénom.", kept: []string{`value="Bernard"`}},
		{name: "missing fonction", change: map[string]string{"fonction": ""},
			msg: "Saisissez la fonction.", kept: []string{`value="s.bernard@cholet.example.fr"`}},
		{name: "missing civilité", change: map[string]string{"civilite": ""},
			msg: "Choisissez la civilité.", kept: []string{`value="Bernard"`}},
		{name: "nom too long", change: map[string]string{"nom": strings.Repeat("a", 101)},
			msg: "Le nom ne doit pas dépasser 100 caractères."},
		{name: "missing prefs", change: map[string]string{"courriel_inter": ""},
			msg: "Indiquez si ce compte reçoit les courriels de la formation inter.", kept: []string{`name="courriel_integration" type="radio" value="oui" checked`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.postForm(t, p.Client, "/compte/operateurs", form(tt.change))
			wantStatus(t, r, http.StatusUnprocessableEntity, "")
			// The identifiant shown stays the one issued.
			wantText(t, r, "Créer un opérateur", "Le formulaire contient une erreur", "<strong>"+login+"</strong>")
			wantMarkup(t, r, `name="identifiant" value="`+field+`"`)
			if n := strings.Count(r.Text, tt.msg); n != 2 {
				t.Errorf("%q shown %d times, want 2 (summary and field); page:\n%s", tt.msg, n, excerpt(r.Text))
			}
			for _, k := range tt.kept {
				if !strings.Contains(r.Body, k) {
					t.Errorf("typed value lost: no %s", k)
				}
			}
			if n := ts.operatorCount(t, p.CT.ID); n != 1 {
				t.Errorf("%d accounts, want only the principal", n)
			}
			if n := ts.outboxCount(t); n != mails {
				t.Errorf("%d e-mails queued", n-mails)
			}
		})
	}
}

func TestOperatorInvitationAccepted(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	a, link := ts.createOperator(t, p, operatorFiche, "oui", "non")

	m := ts.newestMail(t, subjectInvitation, operatorFiche.Email)
	wantMail := "Bonjour Sophie Bernard\n\n" +
		"Vous avez été désigné(e) comme opérateur de la Collectivité " + p.CT.Name + ".\n\n" +
		"Vous pouvez accepter ou refuser en vous connectant au " + baseURL + link + ".\n\n" +
		"Cordialement,\nLe CNFPT.\n"
	if diff := cmp.Diff(wantMail, m.Text); diff != "" {
		t.Errorf("invitation e-mail (-want +got):\n%s", diff)
	}
	if got := rowOf(t, ts.get(t, p.Client, "/compte/operateurs"), a.Login).state(); got != "inactif" {
		t.Errorf("Etat = %q, want inactif", got)
	}
	// Not before the password is set.
	r := ts.postForm(t, ts.client(t), "/connexion", url.Values{"identifiant": {a.Login}, "mot_de_passe": {operatorPassword}})
	wantStatus(t, r, http.StatusUnauthorized, "")

	r = ts.get(t, ts.client(t), link)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Acceptation du rôle : opérateur CT", p.CT.Name, "j'accepte", "je refuse", "Consulter les conditions générales d'utilisation")
	wantStatus(t, ts.postForm(t, ts.client(t), link, nil), http.StatusUnprocessableEntity, "")

	pw := ts.acceptInvitation(t, link)
	// "votre compte opérateur CT": the principal's e-mail of the notice, for an operator.
	m = ts.newestMail(t, subjectOperatorAccount, operatorFiche.Email)
	wantMail = "Bonjour Sophie Bernard\n\n" +
		"Vous avez accepté d'être opérateur de la collectivité " + p.CT.Name + ".\n\n" +
		"Vous pouvez vous connecter à l'Inscription en ligne du CNFPT avec votre login : " + a.Login +
		" et sur le lien suivant pour saisir votre mot de passe : " + baseURL + pw + "\n\n" +
		"Cordialement,\nLe CNFPT.\n"
	if diff := cmp.Diff(wantMail, m.Text); diff != "" {
		t.Errorf("account e-mail (-want +got):\n%s", diff)
	}
	if want := ts.Clock.Now().Add(mail.CodesLinkTTL); m.ExpiresAt.Before(want.Add(-time.Minute)) || m.ExpiresAt.After(want) {
		t.Errorf("account e-mail expires %v, want with its link, 7 days on", m.ExpiresAt)
	}
	if got := rowOf(t, ts.get(t, p.Client, "/compte/operateurs"), a.Login).state(); got != "inactif (mot de passe à choisir)" {
		t.Errorf("Etat before the password = %q, want « inactif (mot de passe à choisir) »", got)
	}
	r = ts.get(t, ts.client(t), pw)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, a.Login)
	ts.setPassword(t, pw, operatorPassword)
	if got := rowOf(t, ts.get(t, p.Client, "/compte/operateurs"), a.Login).state(); got != "actif" {
		t.Errorf("Etat = %q, want actif", got)
	}
	ts.login(t, ts.client(t), a.Login, operatorPassword)
	ans := ts.newestMail(t, subjectOperatorAnswer, principalFiche.Email)
	if !strings.Contains(ans.Text, "Sophie Bernard a accepté son compte opérateur de la collectivité "+p.CT.Name+".") {
		t.Errorf("answer e-mail:\n%s", ans.Text)
	}
	// The invitation served once: its page shows the answer.
	r = ts.get(t, ts.client(t), link)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Votre réponse a été enregistrée", "Vous avez accepté le rôle d'opérateur CT le ",
		"Un courriel a été envoyé à <strong>s.bernard@cholet.example.fr</strong> avec votre identifiant")
	wantNoText(t, r, "j'accepte")
	// There is nothing left to re-invite.
	r = ts.postForm(t, p.Client, operatorPath(a)+"/invitation", nil)
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Cet opérateur a déjà accepté son compte")
}

// TestOperatorAcceptedNoDeadEnd: an operator who accepts, then closes
// the page and loses the e-mail, gets a link from "Mot de passe oublié ?";
// meanwhile the principal reads that the account waits for its password,
// with no invitation to resend.
func TestOperatorAcceptedNoDeadEnd(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	a, link := ts.createOperator(t, p, operatorFiche, "oui", "non")
	ts.acceptInvitation(t, link)

	r := ts.get(t, p.Client, "/compte/operateurs")
	if got := rowOf(t, r, a.Login).state(); got != "inactif (mot de passe à choisir)" {
		t.Errorf("Etat = %q, want « inactif (mot de passe à choisir) »", got)
	}
	wantNoText(t, r, "Renvoyer l'invitation")
	mails := ts.outboxCount(t)
	r = ts.postForm(t, p.Client, operatorPath(a)+"/invitation", nil)
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, "Cet opérateur a déjà accepté son compte")
	if n := ts.outboxCount(t); n != mails {
		t.Errorf("%d e-mails queued by a refused resend", n-mails)
	}

	ts.Clock.Advance(resetCooldown) // past the cooldown of the link the acceptance sent
	r = ts.postForm(t, ts.client(t), "/mot-de-passe-oublie", url.Values{"identifiant": {a.Login}})
	wantStatus(t, r, http.StatusSeeOther, "/mot-de-passe-oublie/envoye")
	reset := ts.newestMail(t, subjectReset, operatorFiche.Email)
	ts.setPassword(t, linkIn(t, reset, "/mot-de-passe/"), operatorPassword)
	ts.login(t, ts.client(t), a.Login, operatorPassword)
	if got := rowOf(t, ts.get(t, p.Client, "/compte/operateurs"), a.Login).state(); got != "actif" {
		t.Errorf("Etat = %q, want actif", got)
	}
}

func TestOperatorInvitationRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	a, link := ts.createOperator(t, p, operatorFiche, "oui", "non")

	// The answer leads, 303, to the link's own page, which shows it.
	c := ts.client(t)
	r := ts.postForm(t, c, link, url.Values{"reponse": {"refuse"}, "commentaire": {"Je change de service."}})
	wantStatus(t, r, http.StatusSeeOther, link)
	for range 2 {
		r = ts.get(t, c, link)
		wantStatus(t, r, http.StatusOK, "")
		wantText(t, r, "Votre réponse a été enregistrée", "Vous avez refusé le rôle d'opérateur CT le ", "votre compte opérateur ne sera pas ouvert.")
		wantNoText(t, r, "Lien inutilisable", "j'accepte")
	}
	if got := rowOf(t, ts.get(t, p.Client, "/compte/operateurs"), a.Login).state(); got != "refusé" {
		t.Errorf("Etat = %q, want refusé", got)
	}
	ans := ts.newestMail(t, subjectOperatorAnswer, principalFiche.Email)
	for _, w := range []string{"Bonjour Paul Martin", "Sophie Bernard a refusé son compte opérateur de la collectivité " + p.CT.Name + ".", "Commentaire : Je change de service."} {
		if !strings.Contains(ans.Text, w) {
			t.Errorf("answer e-mail lacks %q:\n%s", w, ans.Text)
		}
	}
	mails := ts.outboxCount(t)
	wantStatus(t, ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"accepte"}}), http.StatusSeeOther, link)
	if n := ts.outboxCount(t); n != mails {
		t.Errorf("%d e-mails queued by a second answer", n-mails)
	}
	if got, _ := ts.accountByID(t, p.CT.ID, a.ID); got.State != domain.StateRefused {
		t.Errorf("state %s, want refused", got.State)
	}

	// A refused person can be invited again.
	wantStatus(t, ts.postForm(t, p.Client, operatorPath(a)+"/invitation", nil), http.StatusSeeOther, "/compte/operateurs")
	wantStatus(t, ts.get(t, ts.client(t), ts.mailPath(t, subjectInvitation, operatorFiche.Email, "/validationoperateur/")), http.StatusOK, "")
	if got := rowOf(t, ts.get(t, p.Client, "/compte/operateurs"), a.Login).state(); got != "inactif" {
		t.Errorf("Etat after re-invitation = %q, want inactif", got)
	}
}

func TestOperatorReinvite(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	a, link := ts.createOperator(t, p, operatorFiche, "oui", "non")
	r := ts.get(t, p.Client, "/compte/operateurs")
	if !strings.Contains(r.Text, "Renvoyer l'invitation") {
		t.Error("no « Renvoyer l'invitation » for an inactive operator")
	}
	mails := ts.outboxCount(t)

	r = ts.postForm(t, p.Client, operatorPath(a)+"/invitation", nil)
	wantStatus(t, r, http.StatusSeeOther, "/compte/operateurs")
	wantText(t, ts.get(t, p.Client, "/compte/operateurs"), "Une nouvelle invitation, valable 7 jours, a été envoyée à s.bernard@cholet.example.fr")
	if n := ts.outboxCount(t); n != mails+1 {
		t.Errorf("%d e-mails queued, want 1", n-mails)
	}
	link2 := ts.mailPath(t, subjectInvitation, operatorFiche.Email, "/validationoperateur/")
	if link2 == link {
		t.Fatal("the same link was sent again")
	}
	r = ts.get(t, ts.client(t), link)
	wantStatus(t, r, http.StatusGone, "")
	wantText(t, r, "Lien inutilisable")
	wantStatus(t, ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"accepte"}}), http.StatusGone, "")
	wantStatus(t, ts.get(t, ts.client(t), link2), http.StatusOK, "")
}

func TestOperatorInvitationExpired(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	a, link := ts.createOperator(t, p, operatorFiche, "oui", "non")

	ts.Clock.Advance(8 * 24 * time.Hour)
	// The principal's session is long idle: log in again.
	c := ts.client(t)
	ts.login(t, c, p.Login, p.Password)
	r := ts.get(t, c, "/compte/operateurs")
	if got := rowOf(t, r, a.Login).state(); got != "inactif (invitation expirée)" {
		t.Errorf("Etat = %q, want « inactif (invitation expirée) »", got)
	}
	r = ts.get(t, ts.client(t), link)
	wantStatus(t, r, http.StatusGone, "")
	wantText(t, r, "Ce lien a expiré.")

	// A new invitation makes it plain "inactif" again.
	wantStatus(t, ts.postForm(t, c, operatorPath(a)+"/invitation", nil), http.StatusSeeOther, "/compte/operateurs")
	if got := rowOf(t, ts.get(t, c, "/compte/operateurs"), a.Login).state(); got != "inactif" {
		t.Errorf("Etat = %q, want inactif", got)
	}
}

// TestOperatorAddressChanged: the principal changes an operator's
// courriel; the old address is told, its links die.
func TestOperatorAddressChanged(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "non")
	ts.Clock.Advance(resetCooldown)
	reset := ts.postForm(t, ts.client(t), "/mot-de-passe-oublie", url.Values{"identifiant": {o.Login}})
	wantStatus(t, reset, http.StatusSeeOther, "/mot-de-passe-oublie/envoye")
	link := linkIn(t, ts.newestMail(t, subjectReset, operatorFiche.Email), "/mot-de-passe/")

	mails := ts.outboxCount(t)
	moved := operatorFiche
	moved.Email = "sophie.bernard@agglo.example.fr"
	wantStatus(t, ts.postForm(t, p.Client, operatorPath(o.Account), ficheValues(moved, "oui", "non")), http.StatusSeeOther, "/compte/operateurs")
	if n := ts.outboxCount(t); n != mails+1 {
		t.Fatalf("%d e-mails queued, want 1 to the old address", n-mails)
	}
	m := ts.newestMail(t, subjectAddressChanged, operatorFiche.Email)
	wantMail := "Bonjour Sophie Bernard\n\n" +
		"Le gestionnaire principal de la collectivité " + p.CT.Name + " a modifié l'adresse courriel de votre compte opérateur (login : " + o.Login + ").\n\n" +
		"Les courriels de l'Inscription en ligne ne sont plus envoyés à cette adresse, et les liens reçus auparavant ne fonctionnent plus.\n\n" +
		"Pour toute question, adressez-vous au gestionnaire principal de votre collectivité.\n\n" +
		"Cordialement,\nLe CNFPT.\n"
	if diff := cmp.Diff(wantMail, m.Text); diff != "" {
		t.Errorf("address e-mail (-want +got):\n%s", diff)
	}
	wantStatus(t, ts.get(t, ts.client(t), link), http.StatusGone, "")

	// The same mailbox retyped tells no one.
	retyped := moved
	retyped.Email, retyped.Function = "Sophie.Bernard@AGGLO.example.fr", "Autre fonction"
	wantStatus(t, ts.postForm(t, p.Client, operatorPath(o.Account), ficheValues(retyped, "oui", "non")), http.StatusSeeOther, "/compte/operateurs")
	if n := ts.outboxCount(t); n != mails+1 {
		t.Errorf("%d e-mails queued for the same mailbox retyped", n-mails-1)
	}
}

func TestOperatorModify(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "non")

	r := ts.get(t, p.Client, operatorPath(o.Account))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Modifier un opérateur", o.Login, "Annuler", "Valider")
	wantMarkup(t, r, `value="Bernard"`, `value="Sophie"`, `value="Assistante formation"`, `value="s.bernard@cholet.example.fr"`,
		`value="02 41 22 33 44"`, `value="Mme" checked`, `name="courriel_integration" type="radio" value="oui" checked`,
		`name="courriel_inter" type="radio" value="non" checked`)

	changed := domain.Fiche{Civility: domain.Monsieur, LastName: "Bernardin", FirstName: "Simon", Function: "Chargé de formation",
		Email: "simon.bernardin@cholet.example.fr", Phone: "02.41.55.66.77"}
	r = ts.postForm(t, p.Client, operatorPath(o.Account), ficheValues(changed, "non", "oui"))
	wantStatus(t, r, http.StatusSeeOther, "/compte/operateurs")
	got, _ := ts.accountByID(t, p.CT.ID, o.Account.ID)
	want := o.Account
	want.Fiche, want.Fiche.Phone, want.Prefs = changed, "0241556677", domain.MailPrefs{domain.Inter: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operator (-want +got):\n%s", diff)
	}
	r = ts.get(t, p.Client, "/compte/operateurs")
	wantText(t, r, "Le compte opérateur de Simon Bernardin est enregistré.")
	if row := rowOf(t, r, o.Login); !cmp.Equal(row.Cells[:6], []string{"Chargé de formation", "02 41 55 66 77", "non", "non", "oui", "actif"}) {
		t.Errorf("row = %q", row.Cells)
	}

	// A refused form keeps the typed values and saves nothing.
	r = ts.postForm(t, p.Client, operatorPath(o.Account), ficheValues(domain.Fiche{Civility: domain.Monsieur, LastName: "X", FirstName: "Y", Function: "Z", Email: "pas-une-adresse", Phone: "0241556677"}, "oui", "oui"))
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "Modifier un opérateur", "Saisissez une adresse courriel valide")
	if !strings.Contains(r.Body, `value="pas-une-adresse"`) {
		t.Error("typed address lost")
	}
	if again, _ := ts.accountByID(t, p.CT.ID, o.Account.ID); !cmp.Equal(again, got) {
		t.Errorf("a refused form changed the operator: %+v", again)
	}
	// The principal has no "Modifier" page: its fiche is its own tab.
	wantStatus(t, ts.get(t, p.Client, operatorPath(p.Principal)), http.StatusNotFound, "")
	wantStatus(t, ts.get(t, p.Client, "/compte/operateurs/abc"), http.StatusNotFound, "")
}

func TestOperatorDelete(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "oui")
	wantStatus(t, ts.get(t, o.Client, "/compte"), http.StatusOK, "")

	r := ts.get(t, p.Client, operatorPath(o.Account)+"/supprimer")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Supprimer le compte opérateur de Sophie Bernard ?", o.Login, "Supprimer", "Annuler")
	if _, ok := ts.accountByID(t, p.CT.ID, o.Account.ID); !ok {
		t.Fatal("the confirmation page deleted the account")
	}

	wantText(t, r, "Un courriel en informe la personne.")
	r = ts.postForm(t, p.Client, operatorPath(o.Account)+"/supprimer", nil)
	wantStatus(t, r, http.StatusSeeOther, "/compte/operateurs")
	if _, ok := ts.accountByID(t, p.CT.ID, o.Account.ID); ok {
		t.Fatal("the account still exists")
	}
	// The person is told.
	m := ts.newestMail(t, subjectOperatorDeleted, operatorFiche.Email)
	wantMail := "Bonjour Sophie Bernard\n\n" +
		"Votre compte opérateur de la collectivité " + p.CT.Name + " a été supprimé par le gestionnaire principal de la collectivité.\n\n" +
		"Vous ne pouvez plus vous connecter à l'Inscription en ligne du CNFPT avec votre login : " + o.Login + ".\n\n" +
		"Pour toute question, adressez-vous au gestionnaire principal de votre collectivité.\n\n" +
		"Cordialement,\nLe CNFPT.\n"
	if diff := cmp.Diff(wantMail, m.Text); diff != "" {
		t.Errorf("deletion e-mail (-want +got):\n%s", diff)
	}
	r = ts.get(t, p.Client, "/compte/operateurs")
	wantText(t, r, "Le compte opérateur de Sophie Bernard est supprimé.", "1 opérateur a été trouvé")
	wantNoText(t, r, o.Login)
	// Its session ends at once; its codes stop.
	wantStatus(t, ts.get(t, o.Client, "/compte"), http.StatusSeeOther, "/connexion?suite=%2Fcompte")
	wantStatus(t, ts.postForm(t, ts.client(t), "/connexion", url.Values{"identifiant": {o.Login}, "mot_de_passe": {o.Password}}), http.StatusUnauthorized, "")
	// Gone for the principal too.
	wantStatus(t, ts.get(t, p.Client, operatorPath(o.Account)), http.StatusNotFound, "")
	wantStatus(t, ts.postForm(t, p.Client, operatorPath(o.Account)+"/supprimer", nil), http.StatusNotFound, "")

	// An invited operator deleted: its invitation link dies.
	other := operatorFiche
	other.Email = "invite@cholet.example.fr"
	a, link := ts.createOperator(t, p, other, "non", "non")
	wantStatus(t, ts.postForm(t, p.Client, operatorPath(a)+"/supprimer", nil), http.StatusSeeOther, "/compte/operateurs")
	if m := ts.newestMail(t, subjectOperatorDeleted, other.Email); !strings.Contains(m.Text, "Les liens reçus pour ce compte ne fonctionnent plus.") {
		t.Errorf("deletion e-mail to an invited operator:\n%s", m.Text)
	}
	r = ts.get(t, ts.client(t), link)
	wantStatus(t, r, http.StatusGone, "")
	wantStatus(t, ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"accepte"}}), http.StatusGone, "")
}

// TestOperatorLastRecipient: the principal receives inter only, an
// operator is the last to receive the integration e-mails; deleting it,
// or setting it to Non, or the operator opting out, is refused.
func TestOperatorLastRecipient(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "non")
	wantStatus(t, ts.postForm(t, p.Client, "/compte", ficheValues(principalFiche, "non", "oui")), http.StatusSeeOther, "/compte")
	before, _ := ts.accountByID(t, p.CT.ID, o.Account.ID)

	r := ts.postForm(t, p.Client, operatorPath(o.Account)+"/supprimer", nil)
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, noIntegrationRecipient)

	f := operatorFiche
	f.Function = "Autre fonction"
	r = ts.postForm(t, p.Client, operatorPath(o.Account), ficheValues(f, "non", "non"))
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, noIntegrationRecipient, "Modifier un opérateur")
	if !strings.Contains(r.Body, `value="Autre fonction"`) {
		t.Error("typed value lost")
	}

	// The operator itself, on its own tab.
	r = ts.postForm(t, o.Client, "/compte", ficheValues(operatorFiche, "non", "oui"))
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, noIntegrationRecipient)

	// The principal cannot opt out of inter either: it is its last recipient.
	r = ts.postForm(t, p.Client, "/compte", ficheValues(principalFiche, "non", "non"))
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, noInterRecipient)

	if after, ok := ts.accountByID(t, p.CT.ID, o.Account.ID); !ok || !cmp.Equal(before, after) {
		t.Errorf("operator changed: %+v, %v", after, ok)
	}
	if got := ts.accountByLogin(t, p.Login).Prefs; !got.Equal(domain.MailPrefs{domain.Inter: true}) {
		t.Errorf("principal prefs = %+v", got)
	}
	// Changing anything but the last recipient's preference is fine.
	r = ts.postForm(t, p.Client, operatorPath(o.Account), ficheValues(f, "oui", "oui"))
	wantStatus(t, r, http.StatusSeeOther, "/compte/operateurs")
}

func TestOperatorListPaged(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	var fiches []domain.Fiche
	for i := range 55 {
		fiches = append(fiches, domain.Fiche{Civility: domain.Madame, LastName: fmt.Sprintf("Agent%02d", i), FirstName: "Anne",
			Function: "Gestionnaire", Email: fmt.Sprintf("agent%02d@cholet.example.fr", i), Phone: "0241000000"})
	}
	ts.seedOperators(t, p, fiches...)

	r := ts.get(t, p.Client, "/compte/operateurs")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "56 opérateurs ont été trouvés", "Page 1 sur 2", "Page suivante")
	rows := listRows(r)
	if len(rows) != 50 || rows[0].Name != "Anne Agent00" || rows[49].Name != "Anne Agent49" {
		t.Fatalf("page 1: %d rows, first %q", len(rows), rows[0].Name)
	}
	r = ts.get(t, p.Client, "/compte/operateurs?page=2")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "56 opérateurs ont été trouvés", "Page 2 sur 2", "Page précédente")
	var names []string
	for _, row := range listRows(r) {
		names = append(names, row.Name)
	}
	want := []string{"Anne Agent50", "Anne Agent51", "Anne Agent52", "Anne Agent53", "Anne Agent54", "Paul Martin"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("page 2 (-want +got):\n%s", diff)
	}
	// Out of range: the first page.
	if rows := listRows(ts.get(t, p.Client, "/compte/operateurs?page=9")); len(rows) != 50 || rows[0].Name != "Anne Agent00" {
		t.Errorf("page=9: %d rows", len(rows))
	}
}

func TestOperatorListFrenchOrder(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	for _, n := range [][2]string{{"Zoé", "Abel"}, {"Élodie", "Éclair"}, {"Eve", "Dupont"}, {"Ève", "Durand"}, {"anne", "de Gaulle"}} {
		ts.seedOperators(t, p, domain.Fiche{Civility: domain.Madame, FirstName: n[0], LastName: n[1], Function: "Agent",
			Email: "x@cholet.example.fr", Phone: "0241000000"})
	}
	var names []string
	for _, row := range listRows(ts.get(t, p.Client, "/compte/operateurs")) {
		names = append(names, row.Name)
	}
	want := []string{"Zoé Abel", "anne de Gaulle", "Eve Dupont", "Ève Durand", "Élodie Éclair", "Paul Martin"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestOperatorOwnTab(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "non")

	r := ts.get(t, o.Client, "/compte")
	wantStatus(t, r, http.StatusOK, "")
	// Its sections are named for a personal account, not the CT's shared codes.
	wantText(t, r, "Opérateur", "Mes codes de connexion", "Ma fiche opérateur", o.Login, "Mot de passe actuel", "Nouveau mot de passe",
		"Nouveau mot de passe confirmation", "Nom de la collectivité", p.CT.Name, "Civilité", "Monsieur", "Madame",
		"Nom", "Prénom", "Fonction", "Adresse courriel du service", "Numéro de téléphone (10 chiffres)",
		"Paramétrage courriels", prefsParagraph, "Formation d'intégration", "Formation inter", "Annuler", "Valider")
	wantMarkup(t, r, `name="nom" type="text" value="Bernard"`, `name="prenom" type="text" value="Sophie"`,
		`name="fonction" type="text" value="Assistante formation"`, `name="courriel" type="email" value="s.bernard@cholet.example.fr"`,
		`name="telephone" type="tel" value="02 41 22 33 44"`, `value="Mme" checked`,
		`name="courriel_integration" type="radio" value="oui" checked`, `name="courriel_inter" type="radio" value="non" checked`)
	wantNoText(t, r, "Codes de connexion de la collectivité", "Ma fiche gestionnaire CT")

	// Every field is the operator's own, preferences included (a new
	// courriel with the current password).
	changed := domain.Fiche{Civility: domain.Monsieur, LastName: "Bernardo", FirstName: "Sam", Function: "Chargé RH",
		Email: "sam@cholet.example.fr", Phone: "06 11 22 33 44"}
	form := ficheValues(changed, "oui", "oui")
	form.Set("mot_de_passe_actuel", o.Password)
	wantStatus(t, ts.postForm(t, o.Client, "/compte", form), http.StatusSeeOther, "/compte")
	got := ts.accountByLogin(t, o.Login)
	want := o.Account
	want.Fiche, want.Fiche.Phone, want.Prefs = changed, "0611223344", domain.MailPrefs{domain.Integration: true, domain.Inter: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operator (-want +got):\n%s", diff)
	}
	wantText(t, ts.get(t, o.Client, "/compte"), "Votre fiche est enregistrée.")

	// Its password too.
	form = ficheValues(changed, "oui", "oui")
	form.Set("mot_de_passe_actuel", o.Password)
	form.Set("nouveau", "Nouveau-Operateur-77")
	form.Set("confirmation", "Nouveau-Operateur-77")
	wantStatus(t, ts.postForm(t, o.Client, "/compte", form), http.StatusSeeOther, "/compte")
	ts.login(t, ts.client(t), o.Login, "Nouveau-Operateur-77")

	// The principal stops receiving integration: the operator is now its last recipient.
	wantStatus(t, ts.postForm(t, p.Client, "/compte", ficheValues(principalFiche, "non", "oui")), http.StatusSeeOther, "/compte")
	r = ts.postForm(t, o.Client, "/compte", ficheValues(changed, "non", "oui"))
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, noIntegrationRecipient)
	if !strings.Contains(r.Body, `value="Chargé RH"`) {
		t.Error("typed value lost")
	}
	if got := ts.accountByLogin(t, o.Login).Prefs; !got.Equal(domain.MailPrefs{domain.Integration: true, domain.Inter: true}) {
		t.Errorf("prefs = %+v", got)
	}
}

// TestOperatorLongestFiche: the longest names and address a form accepts
// are saved whole and the confirmation still shows.
func TestOperatorLongestFiche(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	f := domain.Fiche{Civility: domain.Madame, LastName: strings.Repeat("É", 100), FirstName: strings.Repeat("é", 100),
		Function: strings.Repeat("ç", 100), Email: strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + ".example.fr",
		Phone: "02 41 00 00 00"}
	a, _ := ts.createOperator(t, p, f, "oui", "oui")
	if a.LastName != f.LastName || a.FirstName != f.FirstName || a.Email != f.Email {
		t.Errorf("fiche not saved whole: %+v", a.Fiche)
	}
	r := ts.get(t, p.Client, "/compte/operateurs")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Le compte opérateur d'"+f.FirstName+" "+f.LastName+" est créé avec l'identifiant "+a.Login+" ; une invitation a été envoyée à "+f.Email+".")
}
