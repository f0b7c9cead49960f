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
)

// The notice's paragraph under "Paramétrage courriels", word for word.
const prefsParagraph = "Le gestionnaire principal de la CT peut être destinataire (ou pas) des courriels et documents envoyés par l'application selon le paramétrage ci-dessous. L'application vérifie qu'au moins un compte opérateur ou gestionnaire principal soit destinataire des courriels et documents."

// The notice's paragraph of "ACCEPTATION DU RÔLE : GESTIONNAIRE PRINCIPAL CT", word for word.
const answerParagraph = "Le gestionnaire actuel de l'application « inscription en ligne » vient de procéder à la désignation d'un nouveau gestionnaire principal. Ce changement ne prendra effet qu'après votre validation. Il vous est demandé de prendre connaissance des conditions générales d'utilisation et d'accepter, ou le cas échéant de refuser, ce changement."

// The recipients rule's message for the integration training.
const noIntegrationRecipient = "Ce changement est impossible : plus aucun compte de la collectivité ne recevrait les courriels et documents de la formation d'intégration. Au moins un compte actif (gestionnaire principal ou opérateur) doit les recevoir."

// The recipients rule's message when neither training would have a recipient.
const noRecipient = "Ce changement est impossible : plus aucun compte de la collectivité ne recevrait les courriels et documents de la formation d'intégration ni de la formation inter. Au moins un compte actif (gestionnaire principal ou opérateur) doit les recevoir."

// The recipients rule's message for the inter training.
const noInterRecipient = "Ce changement est impossible : plus aucun compte de la collectivité ne recevrait les courriels et documents de la formation inter. Au moins un compte actif (gestionnaire principal ou opérateur) doit les recevoir."

var frenchDate = `\d{2}/\d{2}/\d{4} à \d{2} h \d{2}`

// pending returns the CT's pending designation; ok is false when there is none.
func (ts *testServer) pending(t testing.TB, ctID int64) (domain.Designation, bool) {
	t.Helper()
	d, err := ts.Store.GetPendingDesignation(cliCtx(), ctID)
	if err != nil {
		return d, false
	}
	return d, true
}

func TestDesignationForm(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)

	r := ts.get(t, c, "/compte")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Changer le compte Gestionnaire principal")
	if !strings.Contains(r.Body, `href="/compte/gestionnaire-principal"`) {
		t.Error("/compte does not link to /compte/gestionnaire-principal")
	}

	r = ts.get(t, c, "/compte/gestionnaire-principal")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Nouveau gestionnaire principal CT : "+s.CT.Name,
		"Civilité", "Monsieur", "Madame", "Nom", "Prénom", "Fonction", "Adresse courriel du service",
		"Numéro de téléphone (10 chiffres)", "Paramétrage courriels", prefsParagraph,
		"Formation d'intégration", "Formation inter", "Oui", "Non", "Retour", "Tout effacer", "Enregistrer")
	// Pre-filled with the manager's fiche; the manager receives everything.
	wantMarkup(t, r, `value="Durand"`, `value="Claire"`, `value="Responsable formation"`,
		`value="rh@cholet.example.fr"`, `value="02 41 00 00 00"`, `value="Mme" checked`,
		`name="courriel_integration" type="radio" value="oui" checked`, `name="courriel_inter" type="radio" value="oui" checked`)
	if !strings.Contains(r.Body, `href="/compte/gestionnaire-principal?vide=1"`) || !strings.Contains(r.Body, `href="/compte"`) {
		t.Error("Tout effacer or Retour does not lead where expected")
	}

	// "Tout effacer": the same form, empty.
	r = ts.get(t, c, "/compte/gestionnaire-principal?vide=1")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Nouveau gestionnaire principal CT : "+s.CT.Name, "Enregistrer")
	wantNoMarkup(t, r, `value="Durand"`, `value="Claire"`, `value="Responsable formation"`, `value="rh@cholet.example.fr"`, `value="02 41 00 00 00"`, "checked")
}

func TestDesignationRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	mails := ts.outboxCount(t)

	valid := func(change map[string]string) url.Values {
		v := ficheValues(principalFiche, "oui", "oui")
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
		form   url.Values
		status int
		msg    string
		kept   []string // raw HTML the form must hold
	}{
		{name: "bad phone", form: valid(map[string]string{"telephone": "02 41 11", "nom": "Lefèvre"}), status: 422,
			msg: "Le numéro de téléphone doit comporter 10 chiffres, par exemple 02 41 00 00 00.", kept: []string{`value="02 41 11"`, `value="Lefèvre"`}},
		{name: "bad email", form: valid(map[string]string{"courriel": "dgs@cholet"}), status: 422,
			msg: "Saisissez une adresse courriel valide, par exemple prenom.nom@mairie.fr.", kept: []string{`value="dgs@cholet"`, `value="Paul"`}},
		{name: "missing nom", form: valid(map[string]string{"nom": "", "fonction": "DGS adjoint"}), status: 422,
			msg: "Saisissez le nom.", kept: []string{`value="DGS adjoint"`, `value="dgs@cholet.example.fr"`}},
		{name: "missing prefs", form: valid(map[string]string{"courriel_integration": "", "courriel_inter": ""}), status: 422,
			msg: "Indiquez si ce compte reçoit les courriels de la formation d'intégration.", kept: []string{`value="Martin"`, `value="02 41 11 22 33"`}},
		{name: "no recipient left", form: valid(map[string]string{"courriel_integration": "non", "courriel_inter": "non"}), status: 409,
			msg: noRecipient, kept: []string{`value="Martin"`, `name="courriel_integration" type="radio" value="non" checked`}},
		{name: "no inter recipient left", form: valid(map[string]string{"courriel_inter": "non"}), status: 409,
			msg: noInterRecipient, kept: []string{`name="courriel_integration" type="radio" value="oui" checked`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.postForm(t, c, "/compte/gestionnaire-principal", tt.form)
			wantStatus(t, r, tt.status, "")
			wantText(t, r, "Nouveau gestionnaire principal CT : "+s.CT.Name, "Le formulaire contient", tt.msg)
			for _, k := range tt.kept {
				if !strings.Contains(r.Body, k) {
					t.Errorf("typed value lost: no %s", k)
				}
			}
			if n := ts.outboxCount(t); n != mails {
				t.Errorf("%d e-mails queued", n-mails)
			}
			if d, ok := ts.pending(t, s.CT.ID); ok {
				t.Errorf("designation recorded: %+v", d)
			}
		})
	}
	if a := ts.account(t, s); a.Role != domain.RoleManager || a.State != domain.StateActive {
		t.Errorf("manager now %s %s", a.Role, a.State)
	}
}

func TestDesignationPending(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)

	r := ts.postForm(t, c, "/compte/gestionnaire-principal", ficheValues(principalFiche, "oui", "oui"))
	wantStatus(t, r, http.StatusSeeOther, "/compte")
	m := ts.newestMail(t, subjectDesignation, principalFiche.Email)
	link := linkIn(t, m, "/validationgestprin/")
	wantMail := "Bonjour Paul Martin\n\n" +
		"Vous avez été désigné(e) comme le gestionnaire principal de la Collectivité " + s.CT.Name + "\n\n" +
		"Vous pouvez accepter ou refuser en vous connectant au " + baseURL + link + ".\n\n" +
		"Cordialement,\nLe CNFPT.\n"
	if diff := cmp.Diff(wantMail, m.Text); diff != "" {
		t.Errorf("designation e-mail (-want +got):\n%s", diff)
	}
	if ts.outboxCount(t) != 1 {
		t.Errorf("%d e-mails queued, want 1", ts.outboxCount(t))
	}

	// The flash, then the pending designation, with the name and the dates.
	r = ts.get(t, c, "/compte")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "La désignation est enregistrée : un courriel a été envoyé à dgs@cholet.example.fr.",
		"Désignation en attente", "Paul Martin", "dgs@cholet.example.fr", "Renvoyer le courriel", "Annuler la désignation")
	if !regexp.MustCompile(`le ` + frenchDate + `\. Le lien envoyé est valable jusqu'au ` + frenchDate).MatchString(r.Text) {
		t.Errorf("pending designation without its dates:\n%s", excerpt(r.Text))
	}
	d, ok := ts.pending(t, s.CT.ID)
	if !ok || d.LastName != "Martin" || d.Phone != digits(principalFiche.Phone) || !d.Prefs.Equal(domain.MailPrefs{domain.Integration: true, domain.Inter: true}) {
		t.Errorf("pending designation = %+v, %v", d, ok)
	}

	// Nothing changes before acceptance: the codes of the CT still work.
	if a := ts.account(t, s); a.Role != domain.RoleManager || a.State != domain.StateActive {
		t.Errorf("manager now %s %s", a.Role, a.State)
	}
	ts.loggedIn(t, s)
	wantStatus(t, ts.get(t, ts.client(t), link), http.StatusOK, "")

	// Renvoyer: a new e-mail with a new link; the old one is dead.
	r = ts.postForm(t, c, "/compte/gestionnaire-principal/renvoyer", nil)
	wantStatus(t, r, http.StatusSeeOther, "/compte")
	link2 := ts.mailPath(t, subjectDesignation, principalFiche.Email, "/validationgestprin/")
	if link2 == link || ts.outboxCount(t) != 2 {
		t.Fatalf("resend: link %s (old %s), %d e-mails", link2, link, ts.outboxCount(t))
	}
	r = ts.get(t, ts.client(t), link)
	wantStatus(t, r, http.StatusGone, "")
	wantText(t, r, "Lien inutilisable")
	wantStatus(t, ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"accepte"}}), http.StatusGone, "")
	wantStatus(t, ts.get(t, ts.client(t), link2), http.StatusOK, "")
	wantText(t, ts.get(t, c, "/compte"), "Le courriel de désignation a été renvoyé à dgs@cholet.example.fr")

	// A new designation replaces the pending one and kills its link.
	other := principalFiche
	other.Email, other.FirstName = "paul.martin@cholet.example.fr", "Paulo"
	wantStatus(t, ts.postForm(t, c, "/compte/gestionnaire-principal", ficheValues(other, "oui", "oui")), http.StatusSeeOther, "/compte")
	r = ts.get(t, ts.client(t), link2)
	wantStatus(t, r, http.StatusGone, "")
	wantText(t, r, "remplacée")
	link3 := ts.mailPath(t, subjectDesignation, other.Email, "/validationgestprin/")

	// Annuler: asked first, naming the person; then the link dies and
	// says why, and the person is told.
	r = ts.get(t, c, "/compte")
	wantMarkup(t, r, `href="/compte/gestionnaire-principal/annuler">Annuler la désignation</a>`)
	r = ts.get(t, c, "/compte/gestionnaire-principal/annuler")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Annuler la désignation de Paulo Martin ?", "paul.martin@cholet.example.fr", "un courriel informera cette personne", "Garder la désignation")
	wantMarkup(t, r, `<form method="post" action="/compte/gestionnaire-principal/annuler">`)
	if _, ok := ts.pending(t, s.CT.ID); !ok {
		t.Fatal("the confirmation page cancelled the designation")
	}
	mails := ts.outboxCount(t)
	r = ts.postForm(t, c, "/compte/gestionnaire-principal/annuler", nil)
	wantStatus(t, r, http.StatusSeeOther, "/compte")
	r = ts.get(t, c, "/compte")
	wantText(t, r, "La désignation de Paulo Martin est annulée : son lien ne fonctionne plus, et un courriel l'en a informé(e) à paul.martin@cholet.example.fr.")
	wantNoText(t, r, "Désignation en attente")
	if n := ts.outboxCount(t); n != mails+1 {
		t.Errorf("%d e-mails queued by the cancellation, want 1", n-mails)
	}
	withdrawn := ts.newestMail(t, "inscription en ligne : annulation de votre désignation comme gestionnaire principal CT", other.Email)
	wantMail = "Bonjour Paulo Martin\n\n" +
		"Votre désignation comme gestionnaire principal de la collectivité " + s.CT.Name + " a été annulée par le gestionnaire actuel.\n\n" +
		"Le lien reçu pour accepter ou refuser ce rôle ne fonctionne plus : vous n'avez rien à faire.\n\n" +
		"Cordialement,\nLe CNFPT.\n"
	if diff := cmp.Diff(wantMail, withdrawn.Text); diff != "" {
		t.Errorf("withdrawal e-mail (-want +got):\n%s", diff)
	}
	r = ts.get(t, ts.client(t), link3)
	wantStatus(t, r, http.StatusGone, "")
	wantText(t, r, "Cette désignation a été annulée par le gestionnaire actuel de la collectivité.")
	if _, ok := ts.pending(t, s.CT.ID); ok {
		t.Error("designation still pending after Annuler")
	}
	// Nothing left to resend or cancel.
	wantStatus(t, ts.postForm(t, c, "/compte/gestionnaire-principal/renvoyer", nil), http.StatusNotFound, "")
	wantStatus(t, ts.postForm(t, c, "/compte/gestionnaire-principal/annuler", nil), http.StatusNotFound, "")
	r = ts.get(t, c, "/compte/gestionnaire-principal/annuler")
	wantStatus(t, r, http.StatusNotFound, "")
	wantText(t, r, "Aucune désignation n'est en attente.")
}

func TestDesignationAnswerPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	wantStatus(t, ts.postForm(t, c, "/compte/gestionnaire-principal", ficheValues(principalFiche, "oui", "oui")), http.StatusSeeOther, "/compte")
	link := ts.mailPath(t, subjectDesignation, principalFiche.Email, "/validationgestprin/")
	anon := ts.client(t)

	r := ts.get(t, anon, link)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Acceptation du rôle : gestionnaire principal CT", s.CT.Name, answerParagraph,
		"Consulter les conditions générales d'utilisation", "j'accepte", "je refuse",
		"Commentaires à destination du gestionnaire principal actuel")
	if !strings.Contains(r.Body, `href="/conditions-generales"`) {
		t.Error("no link to /conditions-generales")
	}
	if got := r.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q, want no-referrer", got)
	}

	cgu := ts.get(t, anon, "/conditions-generales")
	wantStatus(t, cgu, http.StatusOK, "")
	wantText(t, cgu, `<html lang="fr"`, "Conditions générales d'utilisation", "Comptes et rôles", "Données personnelles",
		"gestionnaire principal CT")

	// No answer: refused, the comment kept, nothing changes.
	r = ts.postForm(t, anon, link, url.Values{"commentaire": {"Je réfléchis."}})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "Indiquez si vous acceptez ou refusez le rôle de gestionnaire principal CT.", "Je réfléchis.")
	long := strings.Repeat("é", 2001)
	r = ts.postForm(t, anon, link, url.Values{"reponse": {"accepte"}, "commentaire": {long}})
	wantStatus(t, r, http.StatusUnprocessableEntity, "")
	wantText(t, r, "Le commentaire ne doit pas dépasser 2000 caractères.")
	if _, ok := ts.pending(t, s.CT.ID); !ok || ts.outboxCount(t) != 1 {
		t.Fatalf("a refused answer changed something: pending %v, %d e-mails", ok, ts.outboxCount(t))
	}
	wantStatus(t, ts.get(t, ts.client(t), "/validationgestprin/inconnu"), http.StatusGone, "")
}

func TestDesignationAccepted(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	manager := ts.loggedIn(t, s)
	wantStatus(t, ts.postForm(t, manager, "/compte/gestionnaire-principal", ficheValues(principalFiche, "oui", "oui")), http.StatusSeeOther, "/compte")
	link := ts.mailPath(t, subjectDesignation, principalFiche.Email, "/validationgestprin/")

	// The answer leads, 303, to the link's own page, which shows it: a
	// refresh posts nothing, and never reads that the link served.
	pc := ts.client(t)
	r := ts.postForm(t, pc, link, url.Values{"reponse": {"accepte"}, "commentaire": {"Merci pour votre confiance."}})
	wantStatus(t, r, http.StatusSeeOther, link)
	for range 2 {
		r = ts.get(t, pc, link)
		wantStatus(t, r, http.StatusOK, "")
		wantText(t, r, "Acceptation du rôle : gestionnaire principal CT", "Votre réponse a été enregistrée",
			"Vous avez accepté le rôle de gestionnaire principal CT le ", "Un courriel a été envoyé à <strong>dgs@cholet.example.fr</strong> avec votre identifiant personnel")
		wantNoText(t, r, "Lien inutilisable", "déjà servi", "j'accepte")
		wantLinkHeaders(t, r)
	}

	// The new principal's e-mail: its identifiant and its password link.
	m := ts.newestMail(t, subjectPrincipalAccount, principalFiche.Email)
	login := loginIn(t, m)
	pw := linkIn(t, m, "/mot-de-passe/")
	wantMail := "Bonjour Paul Martin\n\n" +
		"Vous avez accepté d'être gestionnaire principal de la collectivité " + s.CT.Name + ".\n\n" +
		"Vous pouvez vous connecter à l'Inscription en ligne du CNFPT avec votre login : " + login +
		" et sur le lien suivant pour saisir votre mot de passe : " + baseURL + pw + "\n\n" +
		"Cordialement,\nLe CNFPT.\n"
	if diff := cmp.Diff(wantMail, m.Text); diff != "" {
		t.Errorf("principal e-mail (-want +got):\n%s", diff)
	}
	if login == s.Account.Login {
		t.Error("the principal got the CT's codes, not its own identifiant")
	}
	// The answer to the manager, with the comment.
	ans := ts.newestMail(t, subjectDesignationAnswer, s.Account.Email)
	for _, w := range []string{"Bonjour Claire Durand", "Paul Martin a accepté le rôle de gestionnaire principal de la collectivité " + s.CT.Name + ".",
		"Votre compte gestionnaire CT est fermé", "Commentaire : Merci pour votre confiance."} {
		if !strings.Contains(ans.Text, w) {
			t.Errorf("answer e-mail lacks %q:\n%s", w, ans.Text)
		}
	}
	if n := ts.outboxCount(t); n != 3 {
		t.Errorf("%d e-mails, want 3 (designation, account, answer)", n)
	}

	// The link served once: posted again (a double click, another tab),
	// it changes nothing and leads to what was answered.
	r = ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"refuse"}})
	wantStatus(t, r, http.StatusSeeOther, link)
	if n := ts.outboxCount(t); n != 3 {
		t.Errorf("%d e-mails after a second answer, want 3", n)
	}
	wantText(t, ts.get(t, ts.client(t), link), "Vous avez accepté le rôle de gestionnaire principal CT")

	// The historical manager is closed: its session ends, its codes stop.
	r = ts.get(t, manager, "/compte")
	wantStatus(t, r, http.StatusSeeOther, "/connexion?suite=%2Fcompte")
	if a := ts.account(t, s); a.State != domain.StateClosed {
		t.Errorf("manager state %s, want closed", a.State)
	}
	r = ts.postForm(t, ts.client(t), "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {s.Password}})
	wantStatus(t, r, http.StatusUnauthorized, "")
	wantText(t, r, "Identifiant ou mot de passe incorrect.")
	// Nor can the closed account come back through "Mot de passe oublié".
	mails := ts.outboxCount(t)
	wantStatus(t, ts.postForm(t, ts.client(t), "/mot-de-passe-oublie", url.Values{"identifiant": {s.Account.Login}}), http.StatusSeeOther, "/mot-de-passe-oublie/envoye")
	if n := ts.outboxCount(t); n != mails {
		t.Errorf("a closed manager was sent %d reset e-mails", n-mails)
	}

	// The principal sets its password and logs in.
	ts.setPassword(t, pw, principalPassword)
	c := ts.client(t)
	ts.login(t, c, login, principalPassword)
	p := ts.accountByLogin(t, login)
	want := domain.Account{ID: p.ID, CollectivityID: s.CT.ID, Login: login, Role: domain.RolePrincipal, State: domain.StateActive,
		Fiche: domain.Fiche{Civility: domain.Monsieur, LastName: "Martin", FirstName: "Paul", Function: "Directeur général des services",
			Email: "dgs@cholet.example.fr", Phone: "0241112233"}, Prefs: domain.MailPrefs{domain.Integration: true, domain.Inter: true}, PasswordHash: p.PasswordHash}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("principal (-want +got):\n%s", diff)
	}
	if _, ok := ts.pending(t, s.CT.ID); ok {
		t.Error("designation still pending")
	}
}

func TestPrincipalOwnTab(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	c := p.Client

	r := ts.get(t, c, "/compte")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Gestionnaire principal CT", "Comptes opérateurs", "Ma fiche gestionnaire principal CT",
		"Martin", "Paul", "dgs@cholet.example.fr", p.Login, "Paramétrage courriels", prefsParagraph,
		"Changer le compte Gestionnaire principal", "Enregistrer", "Annuler")
	wantNoText(t, r, "Ma fiche gestionnaire CT", "Codes de connexion de la collectivité")
	wantNoMarkup(t, r, `name="nom"`, `name="prenom"`, `name="courriel"`)
	wantMarkup(t, r, `value="Directeur général des services"`, `value="02 41 11 22 33"`, `value="M" checked`)

	// Nom, prénom and courriel posted anyway are ignored; the rest is saved.
	form := ficheValues(principalFiche, "oui", "oui")
	form.Set("nom", "Pirate")
	form.Set("prenom", "Jack")
	form.Set("courriel", "pirate@example.com")
	form.Set("fonction", "DGS")
	form.Set("telephone", "02.41.99.88.77")
	wantStatus(t, ts.postForm(t, c, "/compte", form), http.StatusSeeOther, "/compte")
	got := ts.accountByLogin(t, p.Login)
	if got.LastName != "Martin" || got.FirstName != "Paul" || got.Email != "dgs@cholet.example.fr" {
		t.Errorf("protected fields changed: %+v", got.Fiche)
	}
	if got.Function != "DGS" || got.Phone != "0241998877" {
		t.Errorf("fiche not saved: %+v", got.Fiche)
	}
	wantText(t, ts.get(t, c, "/compte"), "Votre fiche est enregistrée.")

	// Alone, the principal cannot stop receiving a type.
	form = ficheValues(principalFiche, "non", "oui")
	r = ts.postForm(t, c, "/compte", form)
	wantStatus(t, r, http.StatusConflict, "")
	wantText(t, r, noIntegrationRecipient)
	if a := ts.accountByLogin(t, p.Login); !a.Prefs.Equal(domain.MailPrefs{domain.Integration: true, domain.Inter: true}) {
		t.Errorf("prefs changed to %+v", a.Prefs)
	}

	// With an active operator receiving both, its preferences are its own.
	ts.operator(t, p, operatorFiche, "oui", "oui")
	wantStatus(t, ts.postForm(t, c, "/compte", ficheValues(principalFiche, "non", "non")), http.StatusSeeOther, "/compte")
	if a := ts.accountByLogin(t, p.Login); !a.Prefs.Equal(domain.MailPrefs{}) {
		t.Errorf("prefs = %+v, want Non/Non", a.Prefs)
	}
	r = ts.get(t, c, "/compte")
	wantMarkup(t, r, `name="courriel_integration" type="radio" value="non" checked`, `name="courriel_inter" type="radio" value="non" checked`)
}

func TestDesignationRefusedByPerson(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	manager := ts.loggedIn(t, s)
	before := ts.account(t, s)
	wantStatus(t, ts.postForm(t, manager, "/compte/gestionnaire-principal", ficheValues(principalFiche, "oui", "oui")), http.StatusSeeOther, "/compte")
	link := ts.mailPath(t, subjectDesignation, principalFiche.Email, "/validationgestprin/")

	r := ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"refuse"}, "commentaire": {"Je pars en retraite."}})
	wantStatus(t, r, http.StatusSeeOther, link)
	r = ts.get(t, ts.client(t), link)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Votre réponse a été enregistrée", "Vous avez refusé le rôle de gestionnaire principal CT le ", "rien ne change pour la collectivité.")
	wantNoText(t, r, "Lien inutilisable", "j'accepte")

	ans := ts.newestMail(t, subjectDesignationAnswer, s.Account.Email)
	for _, w := range []string{"Paul Martin a refusé le rôle de gestionnaire principal de la collectivité " + s.CT.Name + ".", "Commentaire : Je pars en retraite."} {
		if !strings.Contains(ans.Text, w) {
			t.Errorf("answer e-mail lacks %q:\n%s", w, ans.Text)
		}
	}
	for _, m := range ts.allMail(t) {
		if m.Subject == subjectPrincipalAccount {
			t.Error("a principal account e-mail was sent after a refusal")
		}
	}
	// Nothing changed: the manager's session and codes work, no principal exists.
	if diff := cmp.Diff(before, ts.account(t, s)); diff != "" {
		t.Errorf("manager changed (-before +after):\n%s", diff)
	}
	wantStatus(t, ts.get(t, manager, "/compte"), http.StatusOK, "")
	ts.loggedIn(t, s)
	ops, err := ts.Store.ListOperators(cliCtx(), s.CT.ID)
	if err != nil || len(ops) != 0 {
		t.Errorf("accounts after refusal: %v, %v", ops, err)
	}
	if _, ok := ts.pending(t, s.CT.ID); ok {
		t.Error("designation still pending")
	}
	// Accepting after refusing changes nothing.
	wantStatus(t, ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"accepte"}}), http.StatusSeeOther, link)
	if diff := cmp.Diff(before, ts.account(t, s)); diff != "" {
		t.Errorf("manager changed by a second answer (-before +after):\n%s", diff)
	}
	wantText(t, ts.get(t, ts.client(t), link), "Vous avez refusé le rôle de gestionnaire principal CT")
}

// TestDesignationByPrincipal: the principal hands the role to one of its
// operators; the operator keeps its identifiant, the previous principal
// becomes an operator with its own codes.
func TestDesignationByPrincipal(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)
	o := ts.operator(t, p, operatorFiche, "oui", "oui")

	r := ts.get(t, p.Client, fmt.Sprintf("/compte/gestionnaire-principal?operateur=%d", o.Account.ID))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Désigner un opérateur existant, ou une nouvelle personne", "Sophie Bernard ("+o.Login+")")
	wantMarkup(t, r, `value="Bernard"`, `value="s.bernard@cholet.example.fr"`, fmt.Sprintf(`name="operateur" value="%d"`, o.Account.ID))
	form := ficheValues(operatorFiche, "oui", "oui")
	form.Set("operateur", fmt.Sprint(o.Account.ID))
	wantStatus(t, ts.postForm(t, p.Client, "/compte/gestionnaire-principal", form), http.StatusSeeOther, "/compte")
	wantText(t, ts.get(t, p.Client, "/compte"), "Désignation en attente", "Sophie Bernard")

	link := ts.mailPath(t, subjectDesignation, operatorFiche.Email, "/validationgestprin/")
	wantStatus(t, ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"accepte"}}), http.StatusSeeOther, link)
	m := ts.newestMail(t, subjectPrincipalAccount, operatorFiche.Email)
	if got := loginIn(t, m); got != o.Login {
		t.Errorf("login in the e-mail = %s, want the operator's own %s", got, o.Login)
	}
	ans := ts.newestMail(t, subjectDesignationAnswer, principalFiche.Email)
	if !strings.Contains(ans.Text, "votre compte devient un compte opérateur") {
		t.Errorf("answer e-mail:\n%s", ans.Text)
	}
	if a := ts.accountByLogin(t, o.Login); a.Role != domain.RolePrincipal || a.State != domain.StateActive {
		t.Errorf("designated operator now %s %s", a.Role, a.State)
	}
	if a := ts.accountByLogin(t, p.Login); a.Role != domain.RoleOperator || a.State != domain.StateActive {
		t.Errorf("previous principal now %s %s", a.Role, a.State)
	}
	// The previous principal keeps its codes, as an operator.
	wantStatus(t, ts.get(t, p.Client, "/compte/operateurs"), http.StatusForbidden, "")
	c := ts.client(t)
	ts.login(t, c, p.Login, p.Password)
	wantMarkup(t, ts.get(t, c, "/compte"), `aria-current="page">Opérateur</a>`)
	// The new principal administers the operators.
	c = ts.client(t)
	ts.login(t, c, o.Login, o.Password)
	r = ts.get(t, c, "/compte/operateurs")
	wantStatus(t, r, http.StatusOK, "")
	if got := rowOf(t, r, p.Login).state(); got != "actif" {
		t.Errorf("previous principal's Etat = %q, want actif", got)
	}
	if got := rowOf(t, r, o.Login).state(); got != "gestionnaire" {
		t.Errorf("new principal's Etat = %q, want gestionnaire", got)
	}
}

func TestDesignationExpired(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	c := ts.loggedIn(t, s)
	wantStatus(t, ts.postForm(t, c, "/compte/gestionnaire-principal", ficheValues(principalFiche, "oui", "oui")), http.StatusSeeOther, "/compte")
	link := ts.mailPath(t, subjectDesignation, principalFiche.Email, "/validationgestprin/")
	ts.Clock.Advance(8 * 24 * time.Hour)
	r := ts.get(t, ts.client(t), link)
	wantStatus(t, r, http.StatusGone, "")
	wantText(t, r, "Ce lien a expiré.")
	wantStatus(t, ts.postForm(t, ts.client(t), link, url.Values{"reponse": {"accepte"}}), http.StatusGone, "")
	if a := ts.account(t, s); a.Role != domain.RoleManager || a.State != domain.StateActive {
		t.Errorf("manager now %s %s", a.Role, a.State)
	}
	// Renvoyer gives a new link, valid again.
	c = ts.loggedIn(t, s)
	wantStatus(t, ts.postForm(t, c, "/compte/gestionnaire-principal/renvoyer", nil), http.StatusSeeOther, "/compte")
	wantStatus(t, ts.get(t, ts.client(t), ts.mailPath(t, subjectDesignation, principalFiche.Email, "/validationgestprin/")), http.StatusOK, "")
}

// TestDesignationByPrincipalNotItself: a principal hands the role over.
// Its form starts empty, never with its own values (only the historical
// manager's starts with them); designating itself anyway is refused, the
// message next to the address, the typed values kept, nothing recorded
// or sent.
func TestDesignationByPrincipalNotItself(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.principalCT(t)

	r := ts.get(t, p.Client, "/compte/gestionnaire-principal")
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Nouveau gestionnaire principal CT : "+p.CT.Name, "Vous ne pouvez pas vous désigner vous-même.")
	wantNoText(t, r, "Les valeurs du compte gestionnaire principal CT sont celles du compte actuel")
	wantNoMarkup(t, r, `value="Martin"`, `value="Paul"`, `value="Directeur général des services"`, `value="dgs@cholet.example.fr"`,
		`value="02 41 11 22 33"`, "checked")

	mails := ts.outboxCount(t)
	self := principalFiche
	self.LastName, self.Function = "MARTIN", "DGS"
	r = ts.postForm(t, p.Client, "/compte/gestionnaire-principal", ficheValues(self, "oui", "oui"))
	wantStatus(t, r, http.StatusConflict, "")
	const msg = "Cette personne est déjà le gestionnaire principal de la collectivité : désignez une autre personne."
	wantMarkup(t, r, `<a href="#courriel">`+msg+`</a>`,
		`<p id="courriel-error" class="govuk-error-message"><span class="govuk-visually-hidden">Erreur :</span> `+msg+`</p>`,
		`value="MARTIN"`, `value="DGS"`, `value="dgs@cholet.example.fr"`)
	if d, ok := ts.pending(t, p.CT.ID); ok {
		t.Errorf("designation recorded: %+v", d)
	}
	if n := ts.outboxCount(t); n != mails {
		t.Errorf("%d e-mails queued", n-mails)
	}
}
