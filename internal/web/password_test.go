package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"iel/internal/auth"
	"iel/internal/mail"
)

// resetLink asks for a new password for s and returns the link's path.
func (ts *testServer) resetLink(t testing.TB, s seededCT) string {
	t.Helper()
	r := ts.postForm(t, ts.client(t), "/mot-de-passe-oublie", url.Values{"identifiant": {s.Account.Login}})
	wantStatus(t, r, http.StatusSeeOther, "/mot-de-passe-oublie/envoye")
	mails := ts.outbox(t)
	if len(mails) == 0 || mails[0].Subject != "inscription en ligne : mot de passe oublié" {
		t.Fatalf("no reset e-mail queued: %+v", mails)
	}
	return ts.passwordPath(t, mails[0].ID)
}

// seedMixedLogin seeds CTs until one has an identifiant with both a
// letter and a digit: only then can a password equal to it pass the
// other rules and reach the "not your identifiant" one.
func (ts *testServer) seedMixedLogin(t testing.TB) seededCT {
	t.Helper()
	for range 50 {
		s := ts.seedCT(t)
		if strings.ContainsAny(s.Account.Login, "23456789") && strings.ContainsAny(s.Account.Login, "ABCDEFGHJKMNPQRSTUVWXYZ") {
			return s
		}
	}
	t.Fatal("no identifiant with letters and digits in 50 draws")
	return seededCT{}
}

func wantLinkHeaders(t testing.TB, r response) {
	t.Helper()
	if got := r.Header.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q, want no-referrer", got)
	}
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
}

func TestPasswordLink(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedMixedLogin(t)
	link := ts.resetLink(t, s)
	c := ts.client(t)

	r := ts.get(t, c, link)
	wantStatus(t, r, http.StatusOK, "")
	wantLinkHeaders(t, r)
	wantText(t, r, "Modification du mot de passe", "Identifiant : <strong>"+s.Account.Login+"</strong>", "Nouveau mot de passe", "Nouveau mot de passe confirmation",
		"Votre nouveau mot de passe doit contenir 8 caractères minimum et comprendre au moins une lettre et un chiffre.")

	tests := []struct {
		name, pw, confirm, field, msg string
	}{
		{name: "empty", pw: "", confirm: "", field: "nouveau", msg: "Saisissez le nouveau mot de passe."},
		{name: "short", pw: "abc1", confirm: "abc1", field: "nouveau", msg: "Le mot de passe doit contenir 8 caractères minimum."},
		{name: "no digit", pw: "abcdefghij", confirm: "abcdefghij", field: "nouveau", msg: "Le mot de passe doit comprendre au moins une lettre et un chiffre."},
		{name: "confirmation mismatch", pw: "Nouveau-mdp-2026", confirm: "Nouveau-mdp-2027", field: "confirmation", msg: "La confirmation ne correspond pas au nouveau mot de passe."},
		{name: "identifiant", pw: strings.ToLower(s.Account.Login), confirm: strings.ToLower(s.Account.Login), field: "nouveau", msg: "Le mot de passe ne doit pas être votre identifiant."},
		{name: "common", pw: "password1", confirm: "password1", field: "nouveau", msg: "Ce mot de passe fait partie des plus courants : choisissez-en un autre."},
		{name: "too long", pw: strings.Repeat("a", 128) + "1", confirm: strings.Repeat("a", 128) + "1", field: "nouveau", msg: "Le mot de passe ne doit pas dépasser 128 caractères."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.postForm(t, c, link, url.Values{"nouveau": {tt.pw}, "confirmation": {tt.confirm}})
			wantStatus(t, r, http.StatusUnprocessableEntity, "")
			wantLinkHeaders(t, r)
			if n := strings.Count(r.Text, tt.msg); n != 2 {
				t.Errorf("%q shown %d times, want 2 (summary and field); page:\n%s", tt.msg, n, excerpt(r.Text))
			}
			// The message sits in the field's own group, before its input.
			field := `<p id="` + tt.field + `-error" class="govuk-error-message"><span class="govuk-visually-hidden">Erreur :</span> ` + tt.msg + `</p>`
			if !strings.Contains(r.Text, field) {
				t.Errorf("no message next to field %s", tt.field)
			}
			if tt.pw != "" && strings.Contains(r.Body, tt.pw) && tt.pw != strings.ToLower(s.Account.Login) {
				t.Error("typed password echoed in the page")
			}
			wantText(t, r, s.Account.Login)
		})
	}

	// None of the refusals used the link.
	const newPassword = "Nouveau-mdp-2026"
	r = ts.postForm(t, c, link, url.Values{"nouveau": {newPassword}, "confirmation": {newPassword}})
	wantStatus(t, r, http.StatusSeeOther, "/connexion?identifiant="+s.Account.Login)
	r = ts.get(t, c, r.Location)
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Votre mot de passe est enregistré. Connectez-vous avec votre identifiant "+s.Account.Login+".")
	if !strings.Contains(r.Body, `value="`+s.Account.Login+`"`) {
		t.Error("identifiant not filled in on the login page")
	}
	ts.login(t, c, s.Account.Login, newPassword)
	wantStatus(t, ts.postForm(t, ts.client(t), "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {s.Password}}), http.StatusUnauthorized, "")

	// Used once, the link serves no more: neither to show the form nor to set a password.
	for _, r := range []response{
		ts.get(t, ts.client(t), link),
		ts.postForm(t, ts.client(t), link, url.Values{"nouveau": {"Encore-autre-2026"}, "confirmation": {"Encore-autre-2026"}}),
	} {
		wantStatus(t, r, http.StatusGone, "")
		wantLinkHeaders(t, r)
		wantText(t, r, "Lien inutilisable", "Ce lien a déjà servi")
	}
	ts.login(t, ts.client(t), s.Account.Login, newPassword)
}

func TestPasswordLinkEndsSessions(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	signedIn := ts.loggedIn(t, s)
	link := ts.resetLink(t, s)
	wantStatus(t, ts.postForm(t, ts.client(t), link, url.Values{"nouveau": {"Nouveau-mdp-2026"}, "confirmation": {"Nouveau-mdp-2026"}}),
		http.StatusSeeOther, "/connexion?identifiant="+s.Account.Login)
	wantStatus(t, ts.get(t, signedIn, "/compte"), http.StatusSeeOther, "/connexion?suite=%2Fcompte")
}

func TestPasswordLinkClearsThrottle(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	for range 6 {
		ts.postForm(t, ts.client(t), "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {"Mauvais-mdp-1"}})
	}
	link := ts.resetLink(t, s)
	wantStatus(t, ts.postForm(t, ts.client(t), link, url.Values{"nouveau": {"Nouveau-mdp-2026"}, "confirmation": {"Nouveau-mdp-2026"}}),
		http.StatusSeeOther, "-")
	ts.login(t, ts.client(t), s.Account.Login, "Nouveau-mdp-2026")
}

func TestPasswordLinkExpired(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)
	link := ts.resetLink(t, s)
	wantStatus(t, ts.get(t, ts.client(t), link), http.StatusOK, "")

	ts.Clock.Advance(mail.ResetLinkTTL + time.Second)
	for _, r := range []response{
		ts.get(t, ts.client(t), link),
		ts.postForm(t, ts.client(t), link, url.Values{"nouveau": {"Nouveau-mdp-2026"}, "confirmation": {"Nouveau-mdp-2026"}}),
	} {
		wantStatus(t, r, http.StatusGone, "")
		wantLinkHeaders(t, r)
		wantText(t, r, "Lien inutilisable", "Ce lien a expiré. Demandez un nouveau lien.", "Mot de passe oublié ?")
	}
	ts.login(t, ts.client(t), s.Account.Login, s.Password)
}

func TestPasswordLinkUnknownAndReplaced(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	s := ts.seedCT(t)

	r := ts.get(t, ts.client(t), mail.PasswordPath(auth.NewToken().Raw))
	wantStatus(t, r, http.StatusGone, "")
	wantText(t, r, "Ce lien n'est pas valide.")

	first := ts.resetLink(t, s)
	ts.Clock.Advance(2 * time.Minute) // past the cooldown
	second := ts.resetLink(t, s)
	if first == second {
		t.Fatal("second request gave the same link")
	}
	r = ts.get(t, ts.client(t), first)
	wantStatus(t, r, http.StatusGone, "")
	wantText(t, r, "remplacé par un lien plus récent")
	wantStatus(t, ts.get(t, ts.client(t), second), http.StatusOK, "")
}

// TestCodesLinkActivatesManager: a new CT's manager has no password; the
// codes link sets it and the codes then work.
func TestCodesLinkActivatesManager(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	tok := auth.NewToken()
	s := ts.seedInactiveCT(t, tok.Hash)
	c := ts.client(t)
	wantStatus(t, ts.postForm(t, c, "/connexion", url.Values{"identifiant": {s.Account.Login}, "mot_de_passe": {"Premier-mdp-2026"}}), http.StatusUnauthorized, "")

	r := ts.get(t, c, mail.PasswordPath(tok.Raw))
	wantStatus(t, r, http.StatusOK, "")
	wantText(t, r, "Modification du mot de passe", s.Account.Login)
	wantStatus(t, ts.postForm(t, c, mail.PasswordPath(tok.Raw), url.Values{"nouveau": {"Premier-mdp-2026"}, "confirmation": {"Premier-mdp-2026"}}),
		http.StatusSeeOther, "/connexion?identifiant="+s.Account.Login)
	if a := ts.account(t, s); a.State != "active" || a.PasswordHash == "" {
		t.Errorf("account after the codes link: state %q, hash set %v", a.State, a.PasswordHash != "")
	}
	ts.login(t, c, s.Account.Login, "Premier-mdp-2026")
}
