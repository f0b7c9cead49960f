package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
)

func composeInvitationMail(a domain.Account) (mail.Message, error) {
	return mail.Message{MessageID: "<invitation-" + a.Login + "@test>", To: a.Email, Subject: subjectInvitationMail,
		Text: "Identifiant : " + a.Login + "\n", HTML: "<p>" + a.Login + "</p>"}, nil
}

// composeOperatorAnswer renders the answer e-mail to the principal; the
// comment reaches it the way the web handler passes it.
func composeOperatorAnswer(accepted bool, comment string) func(domain.Account, domain.Collectivity, domain.Account) (mail.Message, error) {
	return func(op domain.Account, ct domain.Collectivity, principal domain.Account) (mail.Message, error) {
		verdict := "refusé"
		if accepted {
			verdict = "accepté"
		}
		return mail.Message{MessageID: "<op-answer-" + op.Login + "@test>", To: principal.Email, Subject: subjectOperatorAnswerMail,
			Text: op.FullName() + " a " + verdict + ".\nCommentaire : " + comment + "\n", HTML: "<p>" + verdict + "</p>"}, nil
	}
}

// ctDomain is the domain of the CT's address, for its people's addresses.
func ctDomain(ct domain.Collectivity) string { return ct.Email[strings.IndexByte(ct.Email, '@')+1:] }

// createOperator creates an inactive operator of pc by its principal, with
// an invitation link valid until expiry.
func createOperator(t testing.TB, s *Store, pc principalCT, first, last string, prefs domain.MailPrefs, expiry time.Time) (domain.Account, auth.Token) {
	t.Helper()
	tok := auth.NewToken()
	a, err := s.CreateOperator(testCtx(), pc.ct.ID, pc.principal.ID, NewOperator{Fiche: personFiche(first, last, ctDomain(pc.ct)),
		Prefs: prefs, TokenHash: tok.Hash, TokenExpiry: expiry}, composeInvitationMail)
	if err != nil {
		t.Fatalf("CreateOperator(%s %s): %v", first, last, err)
	}
	return a, tok
}

// composeDeletedMail renders the e-mail telling an operator its account was deleted.
func composeDeletedMail(op domain.Account) (mail.Message, error) {
	return mail.Message{MessageID: "<deleted-" + op.Login + "@test>", To: op.Email, Subject: subjectDeletedMail,
		Text: "Compte " + op.Login + " (" + string(op.State) + ") supprimé.\n", HTML: "<p>supprimé</p>"}, nil
}

// composeOperatorAccount renders "votre compte opérateur CT", the
// operator's own e-mail on acceptance: its identifiant.
func composeOperatorAccount(op domain.Account, ct domain.Collectivity) (mail.Message, error) {
	return mail.Message{MessageID: "<op-account-" + op.Login + "@test>", To: op.Email, Subject: subjectOperatorAccountMail,
		Text: "Opérateur de " + ct.Name + ", login : " + op.Login + "\n", HTML: "<p>" + op.Login + "</p>"}, nil
}

// answerInvitation answers the invitation of link tok; on acceptance it
// returns the set-password link.
func answerInvitation(s *Store, tok auth.Token, accept bool, comment string) (domain.Account, auth.Token, error) {
	pw := auth.NewToken()
	op, err := s.AnswerInvitation(testCtx(), InvitationAnswer{TokenHash: tok.Hash, Accept: accept, Comment: comment,
		PasswordTokenHash: pw.Hash, PasswordExpiry: s.Now().Add(linkTTL), AccountMail: composeOperatorAccount}, composeOperatorAnswer(accept, comment))
	return op, pw, err
}

// addActiveOperator creates an operator that accepted and set its password.
func addActiveOperator(t testing.TB, s *Store, pc principalCT, first, last string, prefs domain.MailPrefs) domain.Account {
	t.Helper()
	_, tok := createOperator(t, s, pc, first, last, prefs, s.Now().Add(linkTTL))
	_, pw, err := answerInvitation(s, tok, true, "")
	if err != nil {
		t.Fatalf("AnswerInvitation(accept): %v", err)
	}
	a, err := s.SetPasswordWithToken(testCtx(), pw.Hash, "hash-"+last)
	if err != nil || a.State != domain.StateActive {
		t.Fatalf("SetPasswordWithToken(operator) = %+v, %v; want active", a, err)
	}
	return a
}

// addOperatorRefused creates an operator (Oui/Oui) that refused its invitation.
func addOperatorRefused(t testing.TB, s *Store, pc principalCT, first, last string) domain.Account {
	t.Helper()
	_, tok := createOperator(t, s, pc, first, last, ouiOui, s.Now().Add(linkTTL))
	a, _, err := answerInvitation(s, tok, false, "")
	if err != nil || a.State != domain.StateRefused {
		t.Fatalf("AnswerInvitation(refuse) = %+v, %v; want refused", a, err)
	}
	return a
}

func TestCreateOperator(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		angers := createCT(t, s, "Commune d'Angers", true)
		tests := []struct {
			name    string
			login   string
			want    string // the identifiant kept; "" when a new one must be drawn
			avoided string // an identifiant the new one must differ from
		}{
			{"free and well-formed", "ABCDEFGH23", "ABCDEFGH23", ""},
			{"typed in lower case with blanks", "  abcdefgh24 ", "ABCDEFGH24", ""},
			{"taken by another CT's manager", angers.acc.Login, "", angers.acc.Login},
			{"taken by the principal", pc.principal.Login, "", pc.principal.Login},
			{"taken by the operator just created", "ABCDEFGH23", "", "ABCDEFGH23"},
			{"too short", "ABCDE", "", "ABCDE"},
			{"confusable characters", "ABCDEFGH01", "", "ABCDEFGH01"},
			{"empty", "", "", ""},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tok := auth.NewToken()
				expiry := s.Now().Add(linkTTL)
				fiche := personFiche("Olivier", fmt.Sprintf("Petit%c", 'a'+i), "cholet.fr")
				prefs := domain.MailPrefs{domain.Integration: i%2 == 0, domain.Inter: true}
				mails := len(outboxRows(t, s))
				a, err := s.CreateOperator(ctx, pc.ct.ID, pc.principal.ID, NewOperator{Login: tt.login, Fiche: fiche, Prefs: prefs,
					TokenHash: tok.Hash, TokenExpiry: expiry}, composeInvitationMail)
				if err != nil {
					t.Fatalf("CreateOperator: %v", err)
				}
				if tt.want != "" && a.Login != tt.want {
					t.Fatalf("login = %q, want %q", a.Login, tt.want)
				}
				if !generatedLogin.MatchString(a.Login) || (tt.avoided != "" && a.Login == tt.avoided) {
					t.Fatalf("login = %q, want a well-formed identifiant other than %q", a.Login, tt.avoided)
				}
				want := domain.Account{ID: a.ID, CollectivityID: pc.ct.ID, Login: a.Login, Role: domain.RoleOperator,
					State: domain.StateInactive, Fiche: fiche, Prefs: prefs}
				if diff := cmp.Diff(want, a); diff != "" {
					t.Fatalf("CreateOperator (-want +got):\n%s", diff)
				}
				if stored, err := s.GetOperator(ctx, pc.ct.ID, a.ID); err != nil || !cmp.Equal(stored, want) {
					t.Fatalf("GetOperator = %+v, %v; want %+v", stored, err, want)
				}
				queued := outboxRows(t, s)[mails:]
				wantMail := []outboxRow{{To: fiche.Email, Subject: subjectInvitationMail, Text: "Identifiant : " + a.Login + "\n", ExpiresAt: expiry}}
				if diff := cmp.Diff(wantMail, queued); diff != "" {
					t.Fatalf("queued mails (-want +got):\n%s", diff)
				}
				inv, ct, err := s.GetInvitation(ctx, tok.Hash)
				if err != nil || inv.ID != a.ID || ct.ID != pc.ct.ID {
					t.Fatalf("GetInvitation = %d, %d, %v; want operator %d of CT %d", inv.ID, ct.ID, err, a.ID, pc.ct.ID)
				}
			})
		}
	})
}

// Only the principal administers operators.
func TestOperatorAdministrationForbidden(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		pending, _ := createOperator(t, s, pc, "Ines", "Inactive", ouiOui, s.Now().Add(linkTTL))
		angers := setupPrincipal(t, s, "Commune d'Angers")
		saumur := createCT(t, s, "Commune de Saumur", true)
		actions := []struct {
			name string
			do   func(ctID, byID int64) error
		}{
			{"CreateOperator", func(ctID, byID int64) error {
				_, err := s.CreateOperator(ctx, ctID, byID, NewOperator{Fiche: personFiche("Anne", "Durand", "cholet.fr"), Prefs: ouiOui,
					TokenHash: auth.NewToken().Hash, TokenExpiry: s.Now().Add(linkTTL)}, composeInvitationMail)
				return err
			}},
			{"UpdateOperator", func(ctID, byID int64) error {
				return s.UpdateOperator(ctx, ctID, byID, op.ID, OperatorChange{Fiche: personFiche("Olivier", "Grand", "cholet.fr"), Prefs: domain.MailPrefs{}})
			}},
			{"DeleteOperator", func(ctID, byID int64) error { return s.DeleteOperator(ctx, ctID, byID, op.ID, composeDeletedMail) }},
			{"ResendInvitation", func(ctID, byID int64) error {
				_, err := s.ResendInvitation(ctx, ctID, byID, pending.ID, auth.NewToken().Hash, s.Now().Add(linkTTL), composeInvitationMail)
				return err
			}},
		}
		callers := []struct {
			name       string
			ctID, byID int64
		}{
			{"an operator", pc.ct.ID, op.ID},
			{"the closed manager", pc.ct.ID, pc.acc.ID},
			{"another CT's principal", pc.ct.ID, angers.principal.ID},
			{"the active manager of a CT without principal", saumur.ct.ID, saumur.acc.ID},
		}
		for _, a := range actions {
			for _, caller := range callers {
				t.Run(a.name+" by "+caller.name, func(t *testing.T) {
					same := unchanged(t, s, pc.ct.ID)
					wantDomainError(t, a.do(caller.ctID, caller.byID), domain.Forbidden, "Seul le gestionnaire principal")
					same()
				})
			}
		}
	})
}

func TestListOperators(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		angers := setupPrincipal(t, s, "Commune d'Angers")
		soon := s.Now().Add(time.Hour)
		active := addActiveOperator(t, s, pc, "Alice", "Active", ouiOui)
		expired, _ := createOperator(t, s, pc, "Eric", "Expire", ouiOui, soon)
		fresh, _ := createOperator(t, s, pc, "Flora", "Fraiche", ouiOui, s.Now().Add(linkTTL))
		resent, _ := createOperator(t, s, pc, "Remi", "Renvoye", ouiOui, soon)
		accepted, acceptedTok := createOperator(t, s, pc, "Anna", "Acceptee", ouiOui, soon)
		if _, _, err := answerInvitation(s, acceptedTok, true, ""); err != nil {
			t.Fatal(err)
		}
		refused, refusedTok := createOperator(t, s, pc, "Rene", "Refuse", ouiOui, soon)
		if _, _, err := answerInvitation(s, refusedTok, false, ""); err != nil {
			t.Fatal(err)
		}
		elsewhere := addActiveOperator(t, s, angers, "Alain", "Ailleurs", ouiOui)
		elsewhereExpired, _ := createOperator(t, s, angers, "Ella", "Ailleurs", ouiOui, soon)

		c.Add(2 * time.Hour)
		if _, err := s.ResendInvitation(ctx, pc.ct.ID, pc.principal.ID, resent.ID, auth.NewToken().Hash, s.Now().Add(linkTTL), composeInvitationMail); err != nil {
			t.Fatalf("ResendInvitation: %v", err)
		}

		type row struct {
			Role              domain.Role
			State             domain.State
			InvitationExpired bool
		}
		list := func(ctID int64) map[int64]row {
			t.Helper()
			ops, err := s.ListOperators(ctx, ctID)
			if err != nil {
				t.Fatalf("ListOperators(%d): %v", ctID, err)
			}
			out := map[int64]row{}
			for _, o := range ops {
				if o.CollectivityID != ctID {
					t.Errorf("ListOperators(%d) lists account %d of CT %d", ctID, o.ID, o.CollectivityID)
				}
				out[o.ID] = row{o.Role, o.State, o.InvitationExpired}
			}
			if len(out) != len(ops) {
				t.Errorf("ListOperators(%d) lists an account twice: %d rows, %d accounts", ctID, len(ops), len(out))
			}
			return out
		}
		want := map[int64]row{
			pc.principal.ID: {domain.RolePrincipal, domain.StateActive, false},
			active.ID:       {domain.RoleOperator, domain.StateActive, false},
			expired.ID:      {domain.RoleOperator, domain.StateInactive, true},
			fresh.ID:        {domain.RoleOperator, domain.StateInactive, false},
			resent.ID:       {domain.RoleOperator, domain.StateInactive, false},
			accepted.ID:     {domain.RoleOperator, domain.StateInactive, false}, // accepted, no password yet
			refused.ID:      {domain.RoleOperator, domain.StateRefused, false},
		}
		if diff := cmp.Diff(want, list(pc.ct.ID)); diff != "" {
			t.Fatalf("ListOperators(Cholet) (-want +got):\n%s", diff)
		}
		wantAngers := map[int64]row{
			angers.principal.ID: {domain.RolePrincipal, domain.StateActive, false},
			elsewhere.ID:        {domain.RoleOperator, domain.StateActive, false},
			elsewhereExpired.ID: {domain.RoleOperator, domain.StateInactive, true},
		}
		if diff := cmp.Diff(wantAngers, list(angers.ct.ID)); diff != "" {
			t.Fatalf("ListOperators(Angers) (-want +got):\n%s", diff)
		}
		// A CT without principal has no one to list: its manager is not an operator.
		saumur := createCT(t, s, "Commune de Saumur", true)
		if got := list(saumur.ct.ID); len(got) != 0 {
			t.Fatalf("ListOperators(Saumur) = %v, want none", got)
		}
	})
}

func TestGetOperator(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		angers := setupPrincipal(t, s, "Commune d'Angers")
		op := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		elsewhere := addActiveOperator(t, s, angers, "Alain", "Ailleurs", ouiOui)
		if got, err := s.GetOperator(ctx, pc.ct.ID, op.ID); err != nil || !cmp.Equal(got, op) {
			t.Fatalf("GetOperator(own) = %+v, %v; want %+v", got, err, op)
		}
		tests := []struct {
			name string
			id   int64
		}{
			{"another CT's operator", elsewhere.ID},
			{"the principal", pc.principal.ID},
			{"the closed manager", pc.acc.ID},
			{"no such account", 999999},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got, err := s.GetOperator(ctx, pc.ct.ID, tt.id); !errors.Is(err, ErrNotFound) {
					t.Fatalf("GetOperator = %+v, %v; want ErrNotFound", got, err)
				}
			})
		}
	})
}

// An operator id of another CT, used on one's own CT, finds nothing and changes nothing.
func TestOperatorOfAnotherCT(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		angers := setupPrincipal(t, s, "Commune d'Angers")
		active := addActiveOperator(t, s, angers, "Alain", "Ailleurs", ouiOui)
		inactive, tok := createOperator(t, s, angers, "Ines", "Ailleurs", ouiOui, s.Now().Add(linkTTL))
		refused := addOperatorRefused(t, s, angers, "Rene", "Ailleurs")
		tests := []struct {
			name string
			do   func() error
		}{
			{"UpdateOperator of an active operator", func() error {
				return s.UpdateOperator(ctx, pc.ct.ID, pc.principal.ID, active.ID, OperatorChange{Fiche: personFiche("Pirate", "Pirate", "cholet.fr"), Prefs: domain.MailPrefs{}})
			}},
			{"UpdateOperator of an inactive operator", func() error {
				return s.UpdateOperator(ctx, pc.ct.ID, pc.principal.ID, inactive.ID, OperatorChange{Fiche: personFiche("Pirate", "Pirate", "cholet.fr"), Prefs: domain.MailPrefs{}})
			}},
			{"DeleteOperator of an active operator", func() error { return s.DeleteOperator(ctx, pc.ct.ID, pc.principal.ID, active.ID, composeDeletedMail) }},
			{"DeleteOperator of an inactive operator", func() error { return s.DeleteOperator(ctx, pc.ct.ID, pc.principal.ID, inactive.ID, composeDeletedMail) }},
			{"ResendInvitation of an inactive operator", func() error {
				_, err := s.ResendInvitation(ctx, pc.ct.ID, pc.principal.ID, inactive.ID, auth.NewToken().Hash, s.Now().Add(linkTTL), composeInvitationMail)
				return err
			}},
			{"ResendInvitation of a refused operator", func() error {
				_, err := s.ResendInvitation(ctx, pc.ct.ID, pc.principal.ID, refused.ID, auth.NewToken().Hash, s.Now().Add(linkTTL), composeInvitationMail)
				return err
			}},
			{"UpdateOperator of the other CT's principal", func() error {
				return s.UpdateOperator(ctx, pc.ct.ID, pc.principal.ID, angers.principal.ID, OperatorChange{Fiche: personFiche("Pirate", "Pirate", "cholet.fr"), Prefs: domain.MailPrefs{}})
			}},
			{"DeleteOperator of the other CT's principal", func() error {
				return s.DeleteOperator(ctx, pc.ct.ID, pc.principal.ID, angers.principal.ID, composeDeletedMail)
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				theirs, mine := unchanged(t, s, angers.ct.ID), unchanged(t, s, pc.ct.ID)
				if err := tt.do(); !errors.Is(err, ErrNotFound) {
					t.Fatalf("error = %v, want ErrNotFound", err)
				}
				theirs()
				mine()
			})
		}
		// The other CT's invitation link still works.
		if got, _, err := s.GetInvitation(ctx, tok.Hash); err != nil || got.ID != inactive.ID {
			t.Fatalf("GetInvitation = %d, %v; want operator %d", got.ID, err, inactive.ID)
		}
	})
}

func TestAnswerInvitationAccept(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op, tok := createOperator(t, s, pc, "Olivier", "Petit", domain.MailPrefs{domain.Inter: true}, s.Now().Add(linkTTL))
		mails := len(outboxRows(t, s))
		c.Add(time.Hour)

		got, pw, err := answerInvitation(s, tok, true, "Merci, c'est noté.")
		if err != nil {
			t.Fatalf("AnswerInvitation: %v", err)
		}
		if got.ID != op.ID || got.State != domain.StateInactive || got.PasswordHash != "" {
			t.Fatalf("AnswerInvitation = %+v, want operator %d still inactive, no password", got, op.ID)
		}
		if stored, _ := s.GetOperator(ctx, pc.ct.ID, op.ID); stored.State != domain.StateInactive || stored.CanLogIn() {
			t.Fatalf("operator after accepting = %+v, want inactive until its password is set", stored)
		}
		if n := countWhere(t, s, `SELECT count(*) FROM tokens WHERE hash = $1 AND used_at IS NOT NULL`, tok.Hash); n != 1 {
			t.Fatalf("invitation link not marked used")
		}
		_, _, err = s.GetInvitation(ctx, tok.Hash)
		wantDomainError(t, err, domain.Gone, "déjà servi")
		if a, _, err := s.GetPasswordToken(ctx, pw.Hash); err != nil || a.ID != op.ID {
			t.Fatalf("GetPasswordToken = %d, %v; want operator %d", a.ID, err, op.ID)
		}
		// The operator's identifiant and set-password link, valid as long as
		// the link; the principal's answer.
		queued := outboxRows(t, s)[mails:]
		want := []outboxRow{
			{To: op.Email, Subject: subjectOperatorAccountMail, Text: "Opérateur de Commune de Cholet, login : " + op.Login + "\n", ExpiresAt: s.Now().Add(linkTTL)},
			{To: pc.principal.Email, Subject: subjectOperatorAnswerMail, Text: "Olivier Petit a accepté.\nCommentaire : Merci, c'est noté.\n"},
		}
		if diff := cmp.Diff(want, queued); diff != "" {
			t.Fatalf("queued mails (-want +got):\n%s", diff)
		}
		if n := countWhere(t, s, `SELECT count(*) FROM accounts WHERE id = $1 AND accepted_at = $2`, op.ID, s.now()); n != 1 {
			t.Fatalf("acceptance time not recorded")
		}

		active, err := s.SetPasswordWithToken(ctx, pw.Hash, "hash-olivier")
		if err != nil || active.State != domain.StateActive || !active.CanLogIn() {
			t.Fatalf("SetPasswordWithToken = %+v, %v; want active", active, err)
		}
		if stored, _ := s.GetAccountByLogin(ctx, op.Login); stored.State != domain.StateActive || stored.Role != domain.RoleOperator || !stored.CanLogIn() {
			t.Fatalf("operator = %+v, want an active operator able to log in", stored)
		}
	})
}

// An operator who accepted, then closed the page, is no dead end: the
// list says it waits for its password, "Mot de passe oublié ?" sends it a
// link, and there is no invitation left to resend.
func TestAcceptedOperatorWaitsForPassword(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		accepted, tok := createOperator(t, s, pc, "Olivier", "Petit", ouiOui, s.Now().Add(linkTTL))
		if _, _, err := answerInvitation(s, tok, true, ""); err != nil {
			t.Fatal(err)
		}
		invited, _ := createOperator(t, s, pc, "Inès", "Attente", ouiOui, s.Now().Add(linkTTL))
		refused := addOperatorRefused(t, s, pc, "Rémi", "Refus")

		ops, err := s.ListOperators(ctx, pc.ct.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]bool{}
		for _, o := range ops {
			got[o.ID] = o.Accepted
		}
		if want := map[int64]bool{pc.principal.ID: false, accepted.ID: true, invited.ID: false, refused.ID: false}; !cmp.Equal(want, got) {
			t.Errorf("Accepted by account = %v, want %v", got, want)
		}

		c.Add(time.Hour) // past the cooldown of the link the acceptance sent
		reset := func(a domain.Account) auth.Token {
			t.Helper()
			tok := auth.NewToken()
			err := s.RequestPasswordReset(ctx, a.Login, tok.Hash, s.Now().Add(time.Hour), time.Minute, func(a domain.Account) (mail.Message, error) {
				return mail.Message{MessageID: "<reset-" + a.Login + "@test>", To: a.Email, Subject: "mot de passe oublié"}, nil
			})
			if err != nil {
				t.Fatalf("RequestPasswordReset(%s): %v", a.Login, err)
			}
			return tok
		}
		mails := len(outboxRows(t, s))
		pw := reset(accepted)
		if rows := outboxRows(t, s)[mails:]; len(rows) != 1 || rows[0].To != accepted.Email {
			t.Fatalf("reset for the accepted operator queued %v, want one e-mail to %s", rows, accepted.Email)
		}
		reset(invited)
		reset(refused)
		if n := len(outboxRows(t, s)); n != mails+1 {
			t.Errorf("an operator who has not accepted was sent %d reset e-mails", n-mails-1)
		}
		if a, err := s.SetPasswordWithToken(ctx, pw.Hash, "hash-olivier"); err != nil || a.State != domain.StateActive {
			t.Fatalf("SetPasswordWithToken = %+v, %v; want the operator active", a, err)
		}
	})
}

// Resending is refused to an operator who accepted but has not set its
// password yet: its invitation served.
func TestResendInvitationAcceptedInactive(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op, tok := createOperator(t, s, pc, "Olivier", "Petit", ouiOui, s.Now().Add(linkTTL))
		_, pw, err := answerInvitation(s, tok, true, "")
		if err != nil {
			t.Fatal(err)
		}
		same := unchanged(t, s, pc.ct.ID)
		_, err = s.ResendInvitation(ctx, pc.ct.ID, pc.principal.ID, op.ID, auth.NewToken().Hash, s.Now().Add(linkTTL), composeInvitationMail)
		wantDomainError(t, err, domain.Conflict, "déjà accepté")
		same()
		if a, _, err := s.GetPasswordToken(ctx, pw.Hash); err != nil || a.ID != op.ID {
			t.Fatalf("set-password link after the refused resend = %d, %v; want it alive", a.ID, err)
		}
	})
}

func TestAnswerInvitationRefuse(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op, tok := createOperator(t, s, pc, "Olivier", "Petit", ouiOui, s.Now().Add(linkTTL))
		mails := len(outboxRows(t, s))
		got, _, err := answerInvitation(s, tok, false, "Je ne suis pas concerné.")
		if err != nil {
			t.Fatalf("AnswerInvitation(refuse): %v", err)
		}
		if got.ID != op.ID || got.State != domain.StateRefused {
			t.Fatalf("AnswerInvitation = %+v, want refused", got)
		}
		if stored, _ := s.GetOperator(ctx, pc.ct.ID, op.ID); stored.State != domain.StateRefused {
			t.Fatalf("stored state %q, want refused", stored.State)
		}
		if n := countWhere(t, s, `SELECT count(*) FROM tokens WHERE account_id = $1 AND purpose = 'password'`, op.ID); n != 0 {
			t.Fatalf("%d password links for a refused operator, want 0", n)
		}
		queued := outboxRows(t, s)[mails:]
		want := []outboxRow{{To: pc.principal.Email, Subject: subjectOperatorAnswerMail, Text: "Olivier Petit a refusé.\nCommentaire : Je ne suis pas concerné.\n"}}
		if diff := cmp.Diff(want, queued); diff != "" {
			t.Fatalf("queued mails (-want +got):\n%s", diff)
		}
	})
}

func TestAnswerInvitationTwice(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		pc := setupPrincipal(t, s, "Commune de Cholet")
		tests := []struct {
			name          string
			first, second bool
			state         domain.State
		}{
			{"accept, then accept", true, true, domain.StateInactive},
			{"accept, then refuse", true, false, domain.StateInactive},
			{"refuse, then accept", false, true, domain.StateRefused},
			{"refuse, then refuse", false, false, domain.StateRefused},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				op, tok := createOperator(t, s, pc, "Olivier", fmt.Sprintf("Petit%d", i), ouiOui, s.Now().Add(linkTTL))
				if _, _, err := answerInvitation(s, tok, tt.first, ""); err != nil {
					t.Fatalf("first answer: %v", err)
				}
				same := unchanged(t, s, pc.ct.ID)
				_, _, err := answerInvitation(s, tok, tt.second, "")
				wantDomainError(t, err, domain.Gone, "déjà servi")
				same()
				if got, _ := s.GetOperator(testCtx(), pc.ct.ID, op.ID); got.State != tt.state {
					t.Fatalf("state %q, want %q", got.State, tt.state)
				}
			})
		}
	})
}

func TestInvitationExpired(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op, tok := createOperator(t, s, pc, "Olivier", "Petit", ouiOui, s.Now().Add(linkTTL))
		c.Add(linkTTL)
		_, _, err := s.GetInvitation(ctx, tok.Hash)
		wantDomainError(t, err, domain.Gone, "expiré")
		mails := count(t, s, "outbox")
		_, _, err = answerInvitation(s, tok, true, "")
		wantDomainError(t, err, domain.Gone, "expiré")
		if got, _ := s.GetOperator(ctx, pc.ct.ID, op.ID); got.State != domain.StateInactive {
			t.Fatalf("state %q, want inactive", got.State)
		}
		if n := count(t, s, "outbox"); n != mails {
			t.Fatalf("%d mails, want %d", n, mails)
		}
		ops, err := s.ListOperators(ctx, pc.ct.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range ops {
			if o.ID == op.ID && !o.InvitationExpired {
				t.Fatalf("ListOperators: %+v, want InvitationExpired", o)
			}
		}
	})
}

func TestResendInvitation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		tests := []struct {
			name    string
			setup   func(last string) (domain.Account, auth.Token)
			oldWord string // why the old link no longer serves
		}{
			{"inactive, link pending", func(last string) (domain.Account, auth.Token) {
				return createOperator(t, s, pc, "Olivier", last, ouiOui, s.Now().Add(linkTTL))
			}, "déjà servi"},
			{"inactive, link expired", func(last string) (domain.Account, auth.Token) {
				a, tok := createOperator(t, s, pc, "Olivier", last, ouiOui, s.Now().Add(time.Minute))
				c.Add(time.Hour)
				return a, tok
			}, "déjà servi"},
			{"refused", func(last string) (domain.Account, auth.Token) {
				_, tok := createOperator(t, s, pc, "Olivier", last, ouiOui, s.Now().Add(linkTTL))
				a, _, err := answerInvitation(s, tok, false, "")
				if err != nil {
					t.Fatal(err)
				}
				return a, tok
			}, "déjà servi"},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				op, oldTok := tt.setup(fmt.Sprintf("Petit%d", i))
				mails := len(outboxRows(t, s))
				newTok := auth.NewToken()
				expiry := s.Now().Add(linkTTL)
				got, err := s.ResendInvitation(ctx, pc.ct.ID, pc.principal.ID, op.ID, newTok.Hash, expiry, composeInvitationMail)
				if err != nil {
					t.Fatalf("ResendInvitation: %v", err)
				}
				if got.ID != op.ID || got.State != domain.StateInactive || got.Login != op.Login {
					t.Fatalf("ResendInvitation = %+v, want operator %d inactive with its login", got, op.ID)
				}
				queued := outboxRows(t, s)[mails:]
				want := []outboxRow{{To: op.Email, Subject: subjectInvitationMail, Text: "Identifiant : " + op.Login + "\n", ExpiresAt: expiry}}
				if diff := cmp.Diff(want, queued); diff != "" {
					t.Fatalf("queued mails (-want +got):\n%s", diff)
				}
				_, _, err = s.GetInvitation(ctx, oldTok.Hash)
				wantDomainError(t, err, domain.Gone, tt.oldWord)
				if a, _, err := s.GetInvitation(ctx, newTok.Hash); err != nil || a.ID != op.ID {
					t.Fatalf("GetInvitation(new link) = %d, %v; want operator %d", a.ID, err, op.ID)
				}
				ops, err := s.ListOperators(ctx, pc.ct.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range ops {
					if o.ID == op.ID && (o.InvitationExpired || o.State != domain.StateInactive) {
						t.Fatalf("ListOperators: %+v, want inactive with a live invitation", o)
					}
				}
				accepted, _, err := answerInvitation(s, newTok, true, "")
				if err != nil || accepted.State != domain.StateInactive {
					t.Fatalf("accepting the new link = %+v, %v", accepted, err)
				}
			})
		}

		t.Run("active", func(t *testing.T) {
			op := addActiveOperator(t, s, pc, "Alice", "Active", ouiOui)
			same := unchanged(t, s, pc.ct.ID)
			_, err := s.ResendInvitation(ctx, pc.ct.ID, pc.principal.ID, op.ID, auth.NewToken().Hash, s.Now().Add(linkTTL), composeInvitationMail)
			wantDomainError(t, err, domain.Conflict, "déjà accepté")
			same()
		})
	})
}

// One person may serve several collectivités: an address holds accounts in
// several CTs, each with its own identifiant, and Recipients of one CT
// never names the other's account.
func TestAddressInSeveralCTs(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		cholet := setupPrincipal(t, s, "Commune de Cholet")
		angers := setupPrincipal(t, s, "Commune d'Angers")
		shared := personFiche("Anne", "Durand", "cc-choletais.fr")
		var accounts []domain.Account
		for _, pc := range []principalCT{cholet, angers} {
			a, err := s.CreateOperator(ctx, pc.ct.ID, pc.principal.ID, NewOperator{Fiche: shared, Prefs: ouiOui,
				TokenHash: auth.NewToken().Hash, TokenExpiry: s.Now().Add(linkTTL)}, composeInvitationMail)
			if err != nil {
				t.Fatalf("CreateOperator in %s with a shared address: %v", pc.ct.Name, err)
			}
			accounts = append(accounts, a)
		}
		if accounts[0].Login == accounts[1].Login || accounts[0].Email != accounts[1].Email {
			t.Fatalf("accounts %+v and %+v: want one address, two identifiants", accounts[0], accounts[1])
		}
		// A manager's address may also be another CT's operator's.
		if _, _, err := s.CreateCollectivity(ctx, NewCollectivity{Name: "Commune de Saumur", Email: shared.Email}, nil); err != nil {
			t.Fatalf("CreateCollectivity with an address already used elsewhere: %v", err)
		}
		for i, pc := range []principalCT{cholet, angers} {
			got, err := s.GetOperator(ctx, pc.ct.ID, accounts[i].ID)
			if err != nil || got.CollectivityID != pc.ct.ID {
				t.Fatalf("GetOperator(%s) = %+v, %v", pc.ct.Name, got, err)
			}
			if _, err := s.GetOperator(ctx, pc.ct.ID, accounts[1-i].ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("%s reaches the other CT's account of the same address: %v", pc.ct.Name, err)
			}
		}
	})
}
