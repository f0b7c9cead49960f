package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
)

// journalRow is an entry as the walk checks it.
type journalRow struct {
	CT     int64
	Actor  string // Actor.Label()
	Kind   domain.JournalKind
	What   string
	Fields string
}

// journalWatch reads the entries appended since its previous look.
type journalWatch struct {
	s       *Store
	last    int64
	secrets []string
}

// since returns every entry (of every CT) appended since the previous call.
func (w *journalWatch) since(t *testing.T) []journalRow {
	t.Helper()
	rows, err := w.s.db.Query(`SELECT id, COALESCE(collectivity_id, 0), COALESCE(account_id, 0), actor_name, actor_role, addr, kind, what, fields
		FROM journal WHERE id > $1 ORDER BY id`, w.last)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []journalRow
	for rows.Next() {
		var id int64
		var r journalRow
		var a domain.Actor
		var role string
		if err := rows.Scan(&id, &r.CT, &a.AccountID, &a.Name, &role, &a.Addr, &r.Kind, &r.What, &r.Fields); err != nil {
			t.Fatal(err)
		}
		a.Role = domain.Role(role)
		a.ByLink = a.AccountID == 0 && a.Name != ""
		r.Actor = a.Label()
		for _, secret := range w.secrets {
			for _, col := range []string{a.Name, a.Addr, string(r.Kind), r.What, r.Fields} {
				if secret != "" && strings.Contains(col, secret) {
					t.Errorf("journal entry %d holds the secret %q: %q", id, secret, col)
				}
			}
		}
		if strings.Contains(r.What, "http") || strings.Contains(r.What, "/") {
			t.Errorf("journal entry %d holds what looks like a link: %q", id, r.What)
		}
		w.last = id
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// want checks that exactly want was appended since the previous look.
func (w *journalWatch) want(t *testing.T, step string, want ...journalRow) {
	t.Helper()
	got := w.since(t)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: journal appended\n%v\nwant\n%v", step, got, want)
	}
}

// keep remembers secrets no entry may hold.
func (w *journalWatch) keep(secrets ...string) { w.secrets = append(w.secrets, secrets...) }

func (w *journalWatch) keepToken(tok auth.Token) { w.keep(tok.Raw, tok.Hash) }

func resetMail(a domain.Account) (mail.Message, error) {
	return mail.Message{MessageID: "<reset-" + a.Login + "@test>", To: a.Email, Subject: "inscription en ligne : mot de passe oublié",
		Text: "lien\n", HTML: "<p>lien</p>"}, nil
}

// TestJournalEveryChange walks every method of the store that changes
// data, with the actors the web and the command line give, and checks
// that each journals exactly what it did (nothing when it changed
// nothing), and never a password, a hash, a token or a link.
func TestJournalEveryChange(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		w := &journalWatch{s: s}
		bg := context.Background()
		visitor := WithActor(bg, domain.Visitor("198.51.100.7"))
		const cli = "ligne de commande"

		// The command line creates the CT.
		f := createCT(t, s, "Commune de Cholet", true)
		ct := f.ct.ID
		w.keep("hash-Commune de Cholet")
		w.keepToken(f.link)
		w.want(t, "create CT", journalRow{ct, cli, domain.JournalCollectivity,
			"a créé la collectivité « Commune de Cholet » et son compte gestionnaire CT (identifiant " + f.acc.Login + ")", "nom de la collectivité, courriel"})

		// The historical manager fills in its fiche, then changes its password.
		mgrFiche := domain.Fiche{Civility: domain.Monsieur, LastName: "Martin", FirstName: "Paul", Function: "DRH", Email: f.acc.Email, Phone: "0241000001"}
		mgr := WithActor(bg, domain.AccountActor(domain.Account{ID: f.acc.ID, Login: f.acc.Login, Role: domain.RoleManager, Fiche: mgrFiche}, "192.0.2.1"))
		const paul = "Paul Martin (gestionnaire CT)"
		if err := s.SaveOwnAccount(mgr, ct, f.acc.ID, OwnAccountChange{Fiche: mgrFiche}); err != nil {
			t.Fatal(err)
		}
		w.want(t, "own fiche", journalRow{ct, paul, domain.JournalAccount, "a modifié son compte", "civilité, nom, prénom, fonction, téléphone"})
		if err := s.SaveOwnAccount(mgr, ct, f.acc.ID, OwnAccountChange{Fiche: mgrFiche}); err != nil {
			t.Fatal(err)
		}
		w.want(t, "own fiche saved unchanged")
		w.keep("hash-secret-manager")
		if err := s.SaveOwnAccount(mgr, ct, f.acc.ID, OwnAccountChange{Fiche: mgrFiche, PasswordHash: "hash-secret-manager"}); err != nil {
			t.Fatal(err)
		}
		w.want(t, "own password", journalRow{ct, paul, domain.JournalAccount, "a changé son mot de passe", "mot de passe"})

		// PARAMÈTRES.
		if err := s.UpdateCollectivitySettings(mgr, ct, choletSettings()); err != nil {
			t.Fatal(err)
		}
		w.want(t, "settings", journalRow{ct, paul, domain.JournalCollectivity, "a modifié les paramètres de la collectivité",
			"SIRET, type de collectivité, voie, complément d'adresse, code postal, commune, téléphone, effectif"})
		if err := s.UpdateCollectivitySettings(mgr, ct, choletSettings()); err != nil {
			t.Fatal(err)
		}
		w.want(t, "settings saved unchanged")
		cs := choletSettings()
		cs.Headcount = intPtr(1500)
		if err := s.UpdateCollectivitySettings(mgr, ct, cs); err != nil {
			t.Fatal(err)
		}
		w.want(t, "headcount", journalRow{ct, paul, domain.JournalCollectivity, "a modifié les paramètres de la collectivité", "effectif"})

		// Designations: sent, resent, cancelled, refused, accepted.
		nathalie := newDesignation(personFiche("Nathalie", "Moreau", "cholet.fr"), ouiOui)
		tok := auth.NewToken()
		w.keepToken(tok)
		if _, err := s.CreateDesignation(mgr, ct, f.acc.ID, nathalie, tok.Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail); err != nil {
			t.Fatal(err)
		}
		w.want(t, "designate", journalRow{ct, paul, domain.JournalPrincipal, "a désigné Nathalie Moreau comme gestionnaire principal CT", ""})
		tok = auth.NewToken()
		w.keepToken(tok)
		if _, err := s.ResendDesignation(mgr, ct, f.acc.ID, tok.Hash, s.Now().Add(linkTTL), composeDesignationMail(nil)); err != nil {
			t.Fatal(err)
		}
		w.want(t, "resend designation", journalRow{ct, paul, domain.JournalPrincipal, "a renvoyé la désignation de Nathalie Moreau comme gestionnaire principal CT", ""})
		if _, err := s.CancelDesignation(mgr, ct, f.acc.ID, composeWithdrawnMail); err != nil {
			t.Fatal(err)
		}
		w.want(t, "cancel designation", journalRow{ct, paul, domain.JournalPrincipal, "a annulé la désignation de Nathalie Moreau comme gestionnaire principal CT", ""})
		tok = auth.NewToken()
		w.keepToken(tok)
		if _, err := s.CreateDesignation(mgr, ct, f.acc.ID, nathalie, tok.Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.AnswerDesignation(visitor, DesignationAnswer{TokenHash: tok.Hash, Comment: "Pas disponible"}, designationMails()); err != nil {
			t.Fatal(err)
		}
		w.want(t, "refuse designation",
			journalRow{ct, paul, domain.JournalPrincipal, "a désigné Nathalie Moreau comme gestionnaire principal CT", ""},
			journalRow{ct, "Nathalie Moreau (sans compte, par lien reçu par courriel)", domain.JournalPrincipal, "a refusé d'être gestionnaire principal CT", ""})
		tok, pw := auth.NewToken(), auth.NewToken()
		w.keepToken(tok)
		w.keepToken(pw)
		if _, err := s.CreateDesignation(mgr, ct, f.acc.ID, nathalie, tok.Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail); err != nil {
			t.Fatal(err)
		}
		_, principal, err := s.AnswerDesignation(visitor, DesignationAnswer{TokenHash: tok.Hash, Accept: true,
			PasswordTokenHash: pw.Hash, PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
		if err != nil {
			t.Fatal(err)
		}
		const nath = "Nathalie Moreau (gestionnaire principal CT)"
		w.want(t, "accept designation",
			journalRow{ct, paul, domain.JournalPrincipal, "a désigné Nathalie Moreau comme gestionnaire principal CT", ""},
			journalRow{ct, nath, domain.JournalPrincipal, "a accepté d'être gestionnaire principal CT ; le compte gestionnaire CT de Paul Martin est fermé", ""})
		w.keep("hash-secret-principal")
		if principal, err = s.SetPasswordWithToken(visitor, pw.Hash, "hash-secret-principal"); err != nil {
			t.Fatal(err)
		}
		w.want(t, "set password by link", journalRow{ct, nath, domain.JournalAccount, "a choisi son mot de passe avec le lien reçu par courriel", "mot de passe"})

		// Operators: created, refused, invited again, accepted, changed, deleted.
		pr := WithActor(bg, domain.AccountActor(principal, "192.0.2.2"))
		inv := auth.NewToken()
		w.keepToken(inv)
		lea, err := s.CreateOperator(pr, ct, principal.ID, NewOperator{Fiche: personFiche("Léa", "Martin", "cholet.fr"), Prefs: ouiOui,
			TokenHash: inv.Hash, TokenExpiry: s.Now().Add(linkTTL)}, composeInvitationMail)
		if err != nil {
			t.Fatal(err)
		}
		w.want(t, "create operator", journalRow{ct, nath, domain.JournalOperator, "a créé l'opérateur Léa Martin (identifiant " + lea.Login + ") et lui a envoyé son invitation", ""})
		if _, _, err := answerInvitation(s, inv, false, ""); err != nil { // the command line's context
			t.Fatal(err)
		}
		w.want(t, "refuse invitation (command line)", journalRow{ct, cli, domain.JournalOperator, "a refusé son compte opérateur", ""})
		inv = auth.NewToken()
		w.keepToken(inv)
		if _, err := s.ResendInvitation(pr, ct, principal.ID, lea.ID, inv.Hash, s.Now().Add(linkTTL), composeInvitationMail); err != nil {
			t.Fatal(err)
		}
		w.want(t, "resend invitation", journalRow{ct, nath, domain.JournalOperator, "a renvoyé l'invitation de l'opérateur Léa Martin", ""})
		opPw := auth.NewToken()
		w.keepToken(opPw)
		if _, err := s.AnswerInvitation(visitor, InvitationAnswer{TokenHash: inv.Hash, Accept: true, PasswordTokenHash: opPw.Hash,
			PasswordExpiry: s.Now().Add(linkTTL), AccountMail: composeOperatorAccount}, composeOperatorAnswer(true, "")); err != nil {
			t.Fatal(err)
		}
		w.want(t, "accept invitation", journalRow{ct, "Léa Martin (opérateur)", domain.JournalOperator, "a accepté son compte opérateur", ""})
		leaFiche := personFiche("Léa", "Martin", "cholet.fr")
		leaFiche.Phone = "0241000099"
		if err := s.UpdateOperator(pr, ct, principal.ID, lea.ID, OperatorChange{Fiche: leaFiche, Prefs: domain.MailPrefs{domain.Inter: true}}); err != nil {
			t.Fatal(err)
		}
		w.want(t, "update operator", journalRow{ct, nath, domain.JournalOperator, "a modifié l'opérateur Léa Martin", "téléphone, paramétrage courriels"})
		if err := s.UpdateOperator(pr, ct, principal.ID, lea.ID, OperatorChange{Fiche: leaFiche, Prefs: domain.MailPrefs{domain.Inter: true}}); err != nil {
			t.Fatal(err)
		}
		w.want(t, "operator saved unchanged")
		if err := s.DeleteOperator(pr, ct, principal.ID, lea.ID, composeDeletedMail); err != nil {
			t.Fatal(err)
		}
		w.want(t, "delete operator", journalRow{ct, nath, domain.JournalOperator, "a supprimé l'opérateur Léa Martin", ""})

		// "Mot de passe oublié ?": journaled when a link goes, not when the cooldown holds it back.
		reset := auth.NewToken()
		w.keepToken(reset)
		if err := s.RequestPasswordReset(visitor, principal.Login, reset.Hash, s.Now().Add(time.Hour), time.Hour, resetMail); err != nil {
			t.Fatal(err)
		}
		w.want(t, "password reset", journalRow{ct, nath, domain.JournalAccount,
			"a demandé un nouveau mot de passe (« Mot de passe oublié ? ») : un lien lui a été envoyé par courriel", ""})
		if err := s.RequestPasswordReset(visitor, principal.Login, auth.NewToken().Hash, s.Now().Add(time.Hour), time.Hour, resetMail); err != nil {
			t.Fatal(err)
		}
		if err := s.RequestPasswordReset(visitor, "NOSUCHLOGIN", auth.NewToken().Hash, s.Now().Add(time.Hour), time.Hour, resetMail); err != nil {
			t.Fatal(err)
		}
		w.want(t, "password reset held back or unknown")

		// CORRESPONDANTS FORMATION.
		anne, err := s.CreateTrainingContact(pr, ct, anneMoreau())
		if err != nil {
			t.Fatal(err)
		}
		w.want(t, "create contact", journalRow{ct, nath, domain.JournalContact, "a ajouté le correspondant formation Anne Moreau", ""})
		anne.Perimeter = "Toutes filières"
		if err := s.UpdateTrainingContact(pr, ct, anne); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateTrainingContact(pr, ct, anne); err != nil {
			t.Fatal(err)
		}
		w.want(t, "update contact", journalRow{ct, nath, domain.JournalContact, "a modifié le correspondant formation Anne Moreau", "périmètre"})
		if err := s.DeleteTrainingContact(pr, ct, anne.ID); err != nil {
			t.Fatal(err)
		}
		w.want(t, "delete contact", journalRow{ct, nath, domain.JournalContact, "a supprimé le correspondant formation Anne Moreau", ""})

		// AGENTS.
		julie, err := s.CreateAgent(pr, ct, agentNamed("Durand", "Julie", day(1980, 5, 1)))
		if err != nil {
			t.Fatal(err)
		}
		w.want(t, "create agent", journalRow{ct, nath, domain.JournalAgent, "a ajouté l'agent Julie Durand", ""})
		julie.Grade, julie.Email = "Rédacteur", "julie.durand@cholet.fr"
		if err := s.UpdateAgent(pr, ct, julie.ID, julie); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateAgent(pr, ct, julie.ID, julie); err != nil {
			t.Fatal(err)
		}
		w.want(t, "update agent", journalRow{ct, nath, domain.JournalAgent, "a modifié l'agent Julie Durand", "courriel, grade"})
		for _, left := range []bool{true, true, false} {
			if _, err := s.SetAgentLeft(pr, ct, julie.ID, left); err != nil {
				t.Fatal(err)
			}
		}
		w.want(t, "agent left and back",
			journalRow{ct, nath, domain.JournalAgent, "a indiqué que l'agent Julie Durand a quitté la collectivité", ""},
			journalRow{ct, nath, domain.JournalAgent, "a indiqué que l'agent Julie Durand est de retour dans la collectivité", ""})
		marc := agentNamed("Petit", "Marc", day(1975, 1, 2))
		julie2 := julie
		julie2.Grade = "Attaché"
		id, err := s.CreateAgentImport(pr, ct, principal.ID, NewAgentImport{FileName: "agents.csv", Encoding: "UTF-8", Agents: []domain.Agent{julie2, marc}})
		if err != nil {
			t.Fatal(err)
		}
		w.want(t, "import previewed: nothing changed yet")
		if _, err := s.ApplyAgentImport(pr, ct, principal.ID, id); err != nil {
			t.Fatal(err)
		}
		w.want(t, "import applied", journalRow{ct, nath, domain.JournalAgent, "a importé 2 agents (1 créé, 1 mis à jour) du fichier « agents.csv »", ""})
		if err := s.DeleteAgent(pr, ct, julie.ID); err != nil {
			t.Fatal(err)
		}
		w.want(t, "delete agent", journalRow{ct, nath, domain.JournalAgent, "a supprimé l'agent Julie Durand", ""})

		// Logins, logouts and the outbox are no journal entries.
		if err := s.CreateLoginSession(bg, "session-hash", principal.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteLoginSession(bg, "session-hash"); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordLoginFailure(bg, principal.Login, "192.0.2.9"); err != nil {
			t.Fatal(err)
		}
		w.want(t, "login bookkeeping")

		// The addresses are the actors'.
		var addrs []string
		rows, err := s.db.Query(`SELECT DISTINCT addr FROM journal ORDER BY addr`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var a string
			rows.Scan(&a)
			addrs = append(addrs, a)
		}
		if got := strings.Join(addrs, " "); got != " 192.0.2.1 192.0.2.2 198.51.100.7" {
			t.Errorf("journal addresses = %q", got)
		}
	})
}

// TestJournalNoActor: a change asked without an actor is refused, and
// changes nothing.
func TestJournalNoActor(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		f := createCT(t, s, "Commune de Cholet", true)
		before := count(t, s, "journal")
		_, err := s.CreateTrainingContact(context.Background(), f.ct.ID, anneMoreau())
		if !errors.Is(err, ErrNoActor) {
			t.Fatalf("CreateTrainingContact without an actor: %v, want ErrNoActor", err)
		}
		if n := count(t, s, "training_contacts"); n != 0 {
			t.Errorf("%d correspondants after a refused change", n)
		}
		_, err = s.CreateAgent(WithActor(context.Background(), domain.Visitor("192.0.2.1")), f.ct.ID, agentNamed("Durand", "Julie", day(1980, 5, 1)))
		if err == nil {
			t.Fatal("CreateAgent by a visitor that no link names: accepted")
		}
		if n := count(t, s, "agents"); n != 0 || count(t, s, "journal") != before {
			t.Errorf("%d agents, journal %d → %d after refused changes", n, before, count(t, s, "journal"))
		}
	})
}

// TestJournalAppendOnly: the database itself refuses to change or remove
// an entry, on both engines.
func TestJournalAppendOnly(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		createCT(t, s, "Commune de Cholet", true)
		if _, err := s.db.Exec(`UPDATE journal SET what = 'rien'`); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("UPDATE journal: %v, want refused", err)
		}
		if _, err := s.db.Exec(`DELETE FROM journal`); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("DELETE FROM journal: %v, want refused", err)
		}
		var what string
		if err := s.db.QueryRow(`SELECT what FROM journal`).Scan(&what); err != nil || !strings.HasPrefix(what, "a créé la collectivité") {
			t.Errorf("the entry after the refusals: %q, %v", what, err)
		}
	})
}

// TestListJournal: newest first, keyset pages, filters by account and by
// kind, the actors of the filter, and nothing of another CT.
func TestListJournal(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		f := createCT(t, s, "Commune de Cholet", true)
		other := createCT(t, s, "Commune d'Angers", true)
		bg := context.Background()
		zoe := WithActor(bg, domain.AccountActor(domain.Account{ID: f.acc.ID, Role: domain.RoleManager, Fiche: domain.Fiche{FirstName: "Zoé", LastName: "Arnaud"}}, "192.0.2.1"))
		angers := WithActor(bg, domain.AccountActor(other.acc, "192.0.2.3"))
		for i := range 110 {
			if _, err := s.CreateAgent(zoe, f.ct.ID, agentNamed(fmt.Sprintf("Agent%03d", i), "Jean", day(1980, 1, 1))); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.CreateTrainingContact(zoe, f.ct.ID, anneMoreau()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateAgent(angers, other.ct.ID, agentNamed("Angevin", "Paul", day(1980, 1, 1))); err != nil {
			t.Fatal(err)
		}
		// 1 (the CT's creation) + 110 + 1 entries.
		var all []domain.JournalEntry
		var before int64
		var sizes []int
		for {
			p, err := s.ListJournal(bg, f.ct.ID, JournalFilter{}, before, 50)
			if err != nil {
				t.Fatal(err)
			}
			sizes = append(sizes, len(p.Entries))
			all = append(all, p.Entries...)
			if p.Next == 0 {
				break
			}
			before = p.Next
		}
		if fmt.Sprint(sizes) != "[50 50 12]" {
			t.Errorf("page sizes %v, want [50 50 12]", sizes)
		}
		for i, e := range all {
			if e.CollectivityID != f.ct.ID || strings.Contains(e.What, "Angevin") {
				t.Errorf("entry %d of another CT: %+v", i, e)
			}
			if i > 0 && e.ID >= all[i-1].ID {
				t.Errorf("entries not newest first at %d", i)
			}
		}
		if all[0].What != "a ajouté le correspondant formation Anne Moreau" || all[0].Actor.Label() != "Zoé Arnaud (gestionnaire CT)" ||
			all[0].Actor.Addr != "192.0.2.1" || !all[0].At.Equal(s.Now()) {
			t.Errorf("newest entry = %+v", all[0])
		}
		if last := all[len(all)-1]; !last.Actor.IsCommandLine() || last.Kind != domain.JournalCollectivity {
			t.Errorf("oldest entry = %+v", last)
		}

		p, err := s.ListJournal(bg, f.ct.ID, JournalFilter{Kind: domain.JournalContact}, 0, 50)
		if err != nil || len(p.Entries) != 1 || p.Next != 0 {
			t.Errorf("kind contact: %d entries, next %d, %v", len(p.Entries), p.Next, err)
		}
		p, err = s.ListJournal(bg, f.ct.ID, JournalFilter{AccountID: f.acc.ID, Kind: domain.JournalAgent}, 0, 200)
		if err != nil || len(p.Entries) != 110 {
			t.Errorf("account and kind agent: %d entries, %v", len(p.Entries), err)
		}
		// An account of another CT shows nothing of this one.
		p, err = s.ListJournal(bg, f.ct.ID, JournalFilter{AccountID: other.acc.ID}, 0, 50)
		if err != nil || len(p.Entries) != 0 {
			t.Errorf("account of another CT: %d entries, %v", len(p.Entries), err)
		}
		actors, err := s.JournalActors(bg, f.ct.ID)
		if err != nil || fmt.Sprint(actors) != fmt.Sprint([]JournalActor{{f.acc.ID, "Zoé Arnaud"}}) {
			t.Errorf("JournalActors = %v, %v", actors, err)
		}
	})
}
