package store

import (
	"database/sql"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
)

// pendingLink gives the account a fresh link of purpose, as if just sent.
func pendingLink(t *testing.T, s *Store, accountID int64, purpose string) auth.Token {
	t.Helper()
	tok := auth.NewToken()
	err := s.inTx(testCtx(), func(tx *sql.Tx) error {
		return insertToken(testCtx(), tx, tok.Hash, purpose, accountID, s.now(), s.Now().Add(time.Hour).Unix())
	})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// linkAlive reports whether the link tok of purpose may still be used.
func linkAlive(t *testing.T, s *Store, tok auth.Token, purpose string) bool {
	t.Helper()
	err := linkError(testCtx(), s.db, tok.Hash, purpose, s.now())
	if err != nil && err != domain.ErrLinkUsed {
		t.Fatalf("link %s: %v, want alive or used", purpose, err)
	}
	return err == nil
}

// addressMail records the address changes it is asked to tell, and
// queues the e-mail to the old address.
type addressMail struct{ told [][2]string }

func (m *addressMail) compose(before, after domain.Account) (mail.Message, error) {
	m.told = append(m.told, [2]string{before.Email, after.Email})
	return mail.Message{MessageID: "<address-" + after.Login + "@test>", To: before.Email, Subject: "adresse changée", Text: after.Email}, nil
}

// Every pending link of an account dies when its password or its courriel
// changes, whoever changes it; other changes leave the links alone.
func TestLinksDieWithPasswordOrAddress(t *testing.T) {
	retyped := func(f domain.Fiche) domain.Fiche {
		f.Function, f.Phone = "Autre fonction", "0600000000"
		f.Email = f.Email[:len(f.Email)-2] + "FR" // the same mailbox
		return f
	}
	moved := func(f domain.Fiche) domain.Fiche {
		f.Email = "nouvelle.adresse@agglo.fr"
		return f
	}
	tests := []struct {
		name     string
		change   func(s *Store, pc principalCT, op domain.Account, m *addressMail) error
		wantDead bool
		wantTold bool
	}{
		{"the operator's own password", func(s *Store, pc principalCT, op domain.Account, m *addressMail) error {
			return s.SaveOwnAccount(testCtx(), pc.ct.ID, op.ID, OwnAccountChange{Fiche: op.Fiche, Prefs: &op.Prefs, PasswordHash: "new-hash", AddressChanged: m.compose})
		}, true, false},
		{"the operator's own courriel", func(s *Store, pc principalCT, op domain.Account, m *addressMail) error {
			return s.SaveOwnAccount(testCtx(), pc.ct.ID, op.ID, OwnAccountChange{Fiche: moved(op.Fiche), Prefs: &op.Prefs, AddressChanged: m.compose})
		}, true, true},
		{"the operator's own fiche, same mailbox", func(s *Store, pc principalCT, op domain.Account, m *addressMail) error {
			return s.SaveOwnAccount(testCtx(), pc.ct.ID, op.ID, OwnAccountChange{Fiche: retyped(op.Fiche), Prefs: &op.Prefs, AddressChanged: m.compose})
		}, false, false},
		{"the operator's courriel by the principal", func(s *Store, pc principalCT, op domain.Account, m *addressMail) error {
			return s.UpdateOperator(testCtx(), pc.ct.ID, pc.principal.ID, op.ID, OperatorChange{Fiche: moved(op.Fiche), Prefs: op.Prefs, AddressChanged: m.compose})
		}, true, true},
		{"the operator's fiche by the principal, same mailbox", func(s *Store, pc principalCT, op domain.Account, m *addressMail) error {
			return s.UpdateOperator(testCtx(), pc.ct.ID, pc.principal.ID, op.ID, OperatorChange{Fiche: retyped(op.Fiche), Prefs: op.Prefs, AddressChanged: m.compose})
		}, false, false},
		{"the password set with another link", func(s *Store, pc principalCT, op domain.Account, m *addressMail) error {
			_, err := s.SetPasswordWithToken(testCtx(), pendingLink(t, s, op.ID, PurposePassword).Hash, "new-hash")
			return err
		}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
				pc := setupPrincipal(t, s, "Commune de Cholet")
				op := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
				other := addActiveOperator(t, s, pc, "Bruno", "Morel", ouiOui)
				c.Add(time.Minute) // the links below are newer than those the setup used
				links := map[string]auth.Token{}
				for _, purpose := range []string{PurposePassword, PurposeInvitation} {
					links[purpose] = pendingLink(t, s, op.ID, purpose)
				}
				bystander := pendingLink(t, s, other.ID, PurposePassword)
				mails := len(outboxRows(t, s))
				m := &addressMail{}
				if err := tt.change(s, pc, op, m); err != nil {
					t.Fatalf("change: %v", err)
				}
				for purpose, tok := range links {
					if alive := linkAlive(t, s, tok, purpose); alive == tt.wantDead {
						t.Errorf("%s link alive = %v, want %v", purpose, alive, !tt.wantDead)
					}
				}
				if !linkAlive(t, s, bystander, PurposePassword) {
					t.Error("another account's link died")
				}
				queued := outboxRows(t, s)[mails:]
				if !tt.wantTold {
					if len(m.told) != 0 || len(queued) != 0 {
						t.Errorf("told %v, queued %v; want nothing", m.told, queued)
					}
					return
				}
				if diff := cmp.Diff([][2]string{{op.Email, "nouvelle.adresse@agglo.fr"}}, m.told); diff != "" {
					t.Errorf("address changes told (-want +got):\n%s", diff)
				}
				if len(queued) != 1 || queued[0].To != op.Email {
					t.Errorf("queued %v, want one e-mail to the old address %s", queued, op.Email)
				}
			})
		})
	}
}

// The invitation of an operator who has not answered dies when the
// principal changes its address: it was sent to the old one.
func TestInvitationDiesWithAddress(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op, tok := createOperator(t, s, pc, "Inès", "Attente", ouiOui, s.Now().Add(linkTTL))
		f := op.Fiche
		f.Email = "ines.attente@agglo.fr"
		if err := s.UpdateOperator(ctx, pc.ct.ID, pc.principal.ID, op.ID, OperatorChange{Fiche: f, Prefs: op.Prefs}); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.GetInvitation(ctx, tok.Hash)
		wantDomainError(t, err, domain.Gone, msgUsed)
		_, _, err = answerInvitation(s, tok, true, "")
		wantDomainError(t, err, domain.Gone, msgUsed)
		// The principal sends it again, to the new address.
		mails := len(outboxRows(t, s))
		again := auth.NewToken()
		if _, err := s.ResendInvitation(ctx, pc.ct.ID, pc.principal.ID, op.ID, again.Hash, s.Now().Add(linkTTL), composeInvitationMail); err != nil {
			t.Fatal(err)
		}
		if rows := outboxRows(t, s)[mails:]; len(rows) != 1 || rows[0].To != f.Email {
			t.Fatalf("resent invitation = %v, want one to %s", rows, f.Email)
		}
	})
}

// A principal's courriel changes only through a change of principal: its
// own page leaves it, and so its links.
func TestPrincipalOwnAddressKeepsLinks(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		pc := setupPrincipal(t, s, "Commune de Cholet")
		c.Add(time.Minute)
		tok := pendingLink(t, s, pc.principal.ID, PurposePassword)
		f := pc.principal.Fiche
		f.Email = "ailleurs@agglo.fr"
		m := &addressMail{}
		if err := s.SaveOwnAccount(testCtx(), pc.ct.ID, pc.principal.ID, OwnAccountChange{Fiche: f, Prefs: &pc.principal.Prefs, AddressChanged: m.compose}); err != nil {
			t.Fatal(err)
		}
		if !linkAlive(t, s, tok, PurposePassword) || len(m.told) != 0 {
			t.Fatalf("link alive %v, told %v; want alive, nothing told", linkAlive(t, s, tok, PurposePassword), m.told)
		}
	})
}
