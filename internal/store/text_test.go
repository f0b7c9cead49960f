package store

import (
	"errors"
	"testing"
	"time"

	"iel/internal/auth"
	"iel/internal/domain"
)

// badTexts are the bytes PostgreSQL refuses (SQLSTATE 22021 and 22P05)
// and SQLite would store: the store refuses them as a rule instead.
var badTexts = []struct{ name, text string }{
	{"NUL", "Du\x00rand"},
	{"invalid UTF-8", "Durand\xff"},
	{"line break", "Durand\nBcc: x@y.fr"},
}

// Every text the store keeps is plain: a fiche, a comment or a CT's name
// holding NUL, invalid UTF-8 or a line break is refused as a rule of the
// domain, on both engines, and nothing is written.
func TestStoreRefusesControlCharacters(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		_, tok := designate(t, s, pc.ct.ID, pc.principal.ID, newDesignation(personFiche("Nadia", "Nouvelle", "cholet.fr"), ouiOui))
		_, invitation := createOperator(t, s, pc, "Inès", "Attente", ouiOui, s.Now().Add(linkTTL))
		for _, bad := range badTexts {
			withName := func(f domain.Fiche) domain.Fiche {
				f.LastName = bad.text
				return f
			}
			changes := []struct {
				name string
				do   func() error
			}{
				{"CreateOperator", func() error {
					_, err := s.CreateOperator(ctx, pc.ct.ID, pc.principal.ID, NewOperator{Fiche: withName(personFiche("Zoé", "X", "cholet.fr")),
						Prefs: ouiOui, TokenHash: auth.NewToken().Hash, TokenExpiry: s.Now().Add(linkTTL)}, composeInvitationMail)
					return err
				}},
				{"UpdateOperator", func() error {
					return s.UpdateOperator(ctx, pc.ct.ID, pc.principal.ID, op.ID, OperatorChange{Fiche: withName(op.Fiche), Prefs: op.Prefs})
				}},
				{"SaveOwnAccount", func() error {
					return s.SaveOwnAccount(ctx, pc.ct.ID, op.ID, OwnAccountChange{Fiche: withName(op.Fiche), Prefs: &op.Prefs})
				}},
				{"CreateDesignation", func() error {
					_, err := s.CreateDesignation(ctx, pc.ct.ID, pc.principal.ID, newDesignation(withName(personFiche("Zoé", "X", "cholet.fr")), ouiOui),
						auth.NewToken().Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail)
					return err
				}},
				{"AnswerDesignation", func() error {
					_, _, err := s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: false, Comment: bad.text + "\x01"}, designationMails())
					return err
				}},
				{"AnswerInvitation", func() error {
					_, _, err := answerInvitation(s, invitation, false, bad.text+"\x01")
					return err
				}},
				{"CreateCollectivity", func() error {
					_, _, err := s.CreateCollectivity(ctx, NewCollectivity{Name: "Commune de " + bad.text + "\x01", Email: "m@cholet.fr"}, nil)
					return err
				}},
			}
			for _, ch := range changes {
				t.Run(bad.name+"/"+ch.name, func(t *testing.T) {
					same := unchanged(t, s, pc.ct.ID)
					err := ch.do()
					var derr *domain.Error
					if !errors.As(err, &derr) || derr.Kind != domain.Invalid {
						t.Fatalf("error = %v, want an Invalid rule of the domain", err)
					}
					same()
				})
			}
		}
		// Line breaks are a comment's right, as a browser sends them.
		d, _, err := s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: false, Comment: "Merci.\r\nJe pars en mutation."}, designationMails())
		if err != nil || d.Comment != "Merci.\r\nJe pars en mutation." {
			t.Fatalf("comment on two lines = %q, %v", d.Comment, err)
		}
	})
}

// A typed identifiant is looked up, throttled and reset without ever
// sending the database what it refuses: it is just unknown.
func TestLoginWithControlCharacters(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		c.Add(time.Hour) // past the codes e-mail's cooldown
		for _, login := range []string{f.acc.Login + "\x00", "\xff" + f.acc.Login, f.acc.Login[:5] + "\n" + f.acc.Login[5:], "\xc3"} {
			if _, err := s.GetAccountByLogin(ctx, login); !errors.Is(err, ErrNotFound) {
				t.Errorf("GetAccountByLogin(%q) = %v, want ErrNotFound", login, err)
			}
			if err := s.RecordLoginFailure(ctx, login, "192.0.2.1"); err != nil {
				t.Errorf("RecordLoginFailure(%q): %v", login, err)
			}
			if _, err := s.LoginWait(ctx, login, "192.0.2.1"); err != nil {
				t.Errorf("LoginWait(%q): %v", login, err)
			}
			mails := count(t, s, "outbox")
			if err := s.RequestPasswordReset(ctx, login, auth.NewToken().Hash, s.Now().Add(time.Hour), time.Minute, composeInvitationMail); err != nil {
				t.Errorf("RequestPasswordReset(%q): %v", login, err)
			}
			if n := count(t, s, "outbox"); n != mails {
				t.Errorf("RequestPasswordReset(%q) queued %d e-mails, want none", login, n-mails)
			}
		}
		if got := NormalizeLogin(" " + f.acc.Login + " "); got != f.acc.Login {
			t.Errorf("NormalizeLogin of a plain identifiant = %q, want %q", got, f.acc.Login)
		}
	})
}
