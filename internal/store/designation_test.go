package store

import (
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"iel/internal/auth"
	"iel/internal/domain"
	"iel/internal/mail"
)

// The subjects of the notice's e-mails, which the fake composers of these
// tests put on what they queue.
const (
	subjectDesignationMail     = "inscription en ligne : validation de votre compte gestionnaire principal CT"
	subjectPrincipalMail       = "inscription en ligne : votre compte gestionnaire principal CT"
	subjectAnswerMail          = "inscription en ligne : réponse à la désignation du gestionnaire principal CT"
	subjectInvitationMail      = "inscription en ligne : validation de votre compte opérateur CT"
	subjectOperatorAnswerMail  = "inscription en ligne : réponse à l'invitation d'un opérateur CT"
	subjectOperatorAccountMail = "inscription en ligne : votre compte opérateur CT"
	subjectWithdrawnMail       = "inscription en ligne : annulation de votre désignation comme gestionnaire principal CT"
	subjectDeletedMail         = "inscription en ligne : suppression de votre compte opérateur CT"
)

// linkTTL is how long the links of these tests live.
const linkTTL = 7 * 24 * time.Hour

var generatedLogin = regexp.MustCompile(`^[A-Z2-9]{10}$`)

// personFiche is a valid fiche for the person last (lower case address at domain).
func personFiche(first, last, domainName string) domain.Fiche {
	return domain.Fiche{Civility: domain.Madame, LastName: last, FirstName: first, Function: "Chargée de formation",
		Email: strings.ToLower(first+"."+last) + "@" + domainName, Phone: "0241000000"}
}

func newDesignation(f domain.Fiche, prefs domain.MailPrefs) domain.Designation {
	return domain.Designation{Fiche: f, Prefs: prefs}
}

var ouiOui = domain.MailPrefs{domain.Integration: true, domain.Inter: true}

// noticeTypes are the two training types of the notice, the rows of migration 011.
var noticeTypes = []domain.TypeLabel{{Type: domain.Integration, Label: "Formation d'intégration"}, {Type: domain.Inter, Label: "Formation inter"}}

// composeDesignationMail renders the designation e-mail; seen, when not
// nil, records the designations it was given.
func composeDesignationMail(seen *[]domain.Designation) func(domain.Designation) (mail.Message, error) {
	return func(d domain.Designation) (mail.Message, error) {
		if seen != nil {
			*seen = append(*seen, d)
		}
		return mail.Message{MessageID: fmt.Sprintf("<designation-%d@test>", d.ID), To: d.Email, Subject: subjectDesignationMail,
			Text: "Bonjour " + d.FullName() + "\n", HTML: "<p>Bonjour</p>"}, nil
	}
}

// composeWithdrawnMail renders the e-mail telling a designated person
// that the designation was cancelled.
func composeWithdrawnMail(d domain.Designation) (mail.Message, error) {
	return mail.Message{MessageID: fmt.Sprintf("<withdrawn-%d@test>", d.ID), To: d.Email, Subject: subjectWithdrawnMail,
		Text: "Désignation de " + d.FullName() + " annulée.\n", HTML: "<p>annulée</p>"}, nil
}

// designationMails renders the e-mails of an answer: the new principal's
// login, and the answer with its comment to the previous holder.
func designationMails() DesignationMails {
	return DesignationMails{
		Accepted: func(d domain.Designation, ct domain.Collectivity, login string) (mail.Message, error) {
			return mail.Message{MessageID: "<principal-" + login + "@test>", To: d.Email, Subject: subjectPrincipalMail,
				Text: "Collectivité : " + ct.Name + "\nIdentifiant : " + login + "\n", HTML: "<p>" + login + "</p>"}, nil
		},
		Answer: func(d domain.Designation, ct domain.Collectivity, previous domain.Account) (mail.Message, error) {
			verdict := "refusé"
			if d.State == domain.DesignationAccepted {
				verdict = "accepté"
			}
			return mail.Message{MessageID: fmt.Sprintf("<answer-%d@test>", d.ID), To: previous.Email, Subject: subjectAnswerMail,
				Text: d.FullName() + " a " + verdict + ".\nCommentaire : " + d.Comment + "\n", HTML: "<p>" + verdict + "</p>"}, nil
		},
	}
}

// outboxRow is a queued e-mail as these tests check it.
type outboxRow struct {
	To, Subject, Text string
	ExpiresAt         time.Time
}

// outboxRows returns every queued e-mail, oldest first.
func outboxRows(t testing.TB, s *Store) []outboxRow {
	t.Helper()
	rows, err := s.db.Query(`SELECT to_addr, subject, text_body, expires_at FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		var exp sql.NullInt64
		if err := rows.Scan(&r.To, &r.Subject, &r.Text, &exp); err != nil {
			t.Fatal(err)
		}
		if exp.Valid {
			r.ExpiresAt = time.Unix(exp.Int64, 0)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// withSubject keeps the rows of one subject.
func withSubject(rows []outboxRow, subject string) []outboxRow {
	var out []outboxRow
	for _, r := range rows {
		if r.Subject == subject {
			out = append(out, r)
		}
	}
	return out
}

// countWhere runs a count(*) query.
func countWhere(t testing.TB, s *Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func countPrincipals(t testing.TB, s *Store, ctID int64) int {
	t.Helper()
	return countWhere(t, s, `SELECT count(*) FROM accounts WHERE collectivity_id = $1 AND role = 'principal'`, ctID)
}

// ctAccounts returns the accounts of the CT ctID, by id.
func ctAccounts(t testing.TB, s *Store, ctID int64) []domain.Account {
	t.Helper()
	out, err := listCTAccounts(s, ctID)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// listCTAccounts is ctAccounts for goroutines, which may not stop the test.
func listCTAccounts(s *Store, ctID int64) ([]domain.Account, error) {
	var out []domain.Account
	err := s.inTx(testCtx(), func(tx *sql.Tx) error {
		var err error
		out, err = listAccounts(testCtx(), tx, ctID)
		return err
	})
	return out, err
}

func designationState(t testing.TB, s *Store, id int64) domain.DesignationState {
	t.Helper()
	var st domain.DesignationState
	if err := s.db.QueryRow(`SELECT state FROM designations WHERE id = $1`, id).Scan(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// designate records d for the CT ctID by byID, with a link valid linkTTL.
func designate(t testing.TB, s *Store, ctID, byID int64, d domain.Designation) (domain.Designation, auth.Token) {
	t.Helper()
	tok := auth.NewToken()
	got, err := s.CreateDesignation(testCtx(), ctID, byID, d, tok.Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail)
	if err != nil {
		t.Fatalf("CreateDesignation: %v", err)
	}
	return got, tok
}

// acceptDesignation accepts the designation of link tok; it returns the
// new principal and its set-password link.
func acceptDesignation(t testing.TB, s *Store, tok auth.Token, comment string) (domain.Designation, domain.Account, auth.Token) {
	t.Helper()
	pw := auth.NewToken()
	d, p, err := s.AnswerDesignation(testCtx(), DesignationAnswer{TokenHash: tok.Hash, Accept: true, Comment: comment,
		PasswordTokenHash: pw.Hash, PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
	if err != nil {
		t.Fatalf("AnswerDesignation(accept): %v", err)
	}
	return d, p, pw
}

// principalCT is a CT past its first change of principal: its historical
// manager (fixture.acc, now closed) and its principal, whose password is set.
type principalCT struct {
	fixture
	principal domain.Account
}

func setupPrincipal(t testing.TB, s *Store, name string) principalCT {
	t.Helper()
	f := createCT(t, s, name, true)
	slug := strings.ToLower(strings.ReplaceAll(strings.ReplaceAll(name, " ", "-"), "'", "-")) + ".fr"
	_, tok := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Paule", "Principale", slug), ouiOui))
	_, _, pw := acceptDesignation(t, s, tok, "")
	p, err := s.SetPasswordWithToken(testCtx(), pw.Hash, "hash-principal-"+name)
	if err != nil {
		t.Fatalf("SetPasswordWithToken(principal): %v", err)
	}
	f.acc, err = s.GetAccount(testCtx(), f.ct.ID, f.acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	return principalCT{fixture: f, principal: p}
}

func TestCreateDesignation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		before := outboxRows(t, s)
		var seen []domain.Designation
		tok := auth.NewToken()
		expiry := s.Now().Add(linkTTL)
		in := newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui)
		d, err := s.CreateDesignation(ctx, f.ct.ID, f.acc.ID, in, tok.Hash, expiry, composeDesignationMail(&seen), composeWithdrawnMail)
		if err != nil {
			t.Fatalf("CreateDesignation: %v", err)
		}
		want := in
		want.ID, want.CollectivityID, want.DesignatedBy, want.State = d.ID, f.ct.ID, f.acc.ID, domain.DesignationPending
		want.CreatedAt, want.SentAt, want.ExpiresAt = s.Now(), s.Now(), expiry
		if d.ID == 0 {
			t.Fatal("CreateDesignation returned no id")
		}
		if diff := cmp.Diff(want, d, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
			t.Fatalf("CreateDesignation (-want +got):\n%s", diff)
		}
		if len(seen) != 1 || seen[0].ID != d.ID || seen[0].Email != "anne.durand@cholet.fr" || !seen[0].ExpiresAt.Equal(expiry) {
			t.Fatalf("compose saw %+v, want the designation %d once, with its id and expiry", seen, d.ID)
		}
		got := outboxRows(t, s)[len(before):]
		if diff := cmp.Diff([]outboxRow{{To: "anne.durand@cholet.fr", Subject: subjectDesignationMail, Text: "Bonjour Anne Durand\n", ExpiresAt: expiry}}, got); diff != "" {
			t.Fatalf("queued mails (-want +got):\n%s", diff)
		}
		pending, err := s.GetPendingDesignation(ctx, f.ct.ID)
		if err != nil || pending.ID != d.ID || pending.State != domain.DesignationPending {
			t.Fatalf("GetPendingDesignation = %+v, %v; want designation %d pending", pending, err, d.ID)
		}
		byLink, ct, err := s.GetDesignationByToken(ctx, tok.Hash)
		if err != nil || byLink.ID != d.ID || ct.ID != f.ct.ID || ct.Name != "Commune de Cholet" {
			t.Fatalf("GetDesignationByToken = %+v, %+v, %v; want designation %d of Commune de Cholet", byLink, ct, err, d.ID)
		}
		// Nothing changes before acceptance.
		if diff := cmp.Diff([]domain.Account{f.acc}, ctAccounts(t, s, f.ct.ID)); diff != "" {
			t.Fatalf("accounts changed by a designation (-want +got):\n%s", diff)
		}
		if n := countPrincipals(t, s, f.ct.ID); n != 0 {
			t.Fatalf("%d principals before acceptance, want 0", n)
		}
	})
}

func TestCreateDesignationNotHolder(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		angers := createCT(t, s, "Commune d'Angers", true)
		saumur := createCT(t, s, "Commune de Saumur", false)
		tests := []struct {
			name       string
			ctID, byID int64
		}{
			{"an operator of the CT", pc.ct.ID, op.ID},
			{"the closed historical manager", pc.ct.ID, pc.acc.ID},
			{"another CT's manager", pc.ct.ID, angers.acc.ID},
			{"another CT's principal, on its own CT's behalf", angers.ct.ID, pc.principal.ID},
			{"a manager that has not set its password", saumur.ct.ID, saumur.acc.ID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				same := unchanged(t, s, tt.ctID)
				_, err := s.CreateDesignation(ctx, tt.ctID, tt.byID, newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui),
					auth.NewToken().Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail)
				wantDomainError(t, err, domain.Forbidden, "Seul le gestionnaire")
				same()
			})
		}
	})
}

func TestCreateDesignationRecipientsRule(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		tests := []struct {
			name      string
			principal bool // the CT already has a principal (Oui/Oui), who designates
			prefs     domain.MailPrefs
			want      string // words of the conflict; "" for none
		}{
			{"manager alone, new principal Non/Non", false, domain.MailPrefs{}, "formation d'intégration"},
			{"manager alone, new principal Non/Oui", false, domain.MailPrefs{domain.Inter: true}, "formation d'intégration"},
			{"manager alone, new principal Oui/Non", false, domain.MailPrefs{domain.Integration: true}, "formation inter"},
			{"manager alone, new principal Oui/Oui", false, ouiOui, ""},
			// The previous principal, an operator afterwards, still receives.
			{"principal Oui/Oui, new principal Non/Non", true, domain.MailPrefs{}, ""},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				name := fmt.Sprintf("Commune %d", i)
				var ctID, byID int64
				if tt.principal {
					pc := setupPrincipal(t, s, name)
					ctID, byID = pc.ct.ID, pc.principal.ID
				} else {
					f := createCT(t, s, name, true)
					ctID, byID = f.ct.ID, f.acc.ID
				}
				// A pending designation, which a refused one must leave alone.
				first, firstTok := designate(t, s, ctID, byID, newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui))
				same := unchanged(t, s, ctID)
				d, err := s.CreateDesignation(ctx, ctID, byID, newDesignation(personFiche("Bruno", "Morel", "cholet.fr"), tt.prefs),
					auth.NewToken().Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail)
				if tt.want == "" {
					if err != nil {
						t.Fatalf("CreateDesignation: %v", err)
					}
					if !d.Prefs.Equal(tt.prefs) || d.State != domain.DesignationPending {
						t.Fatalf("designation = %+v, want pending with prefs %+v", d, tt.prefs)
					}
					return
				}
				wantDomainError(t, err, domain.Conflict, tt.want)
				same()
				if p, err := s.GetPendingDesignation(ctx, ctID); err != nil || p.ID != first.ID {
					t.Errorf("pending designation = %d, %v; want the first one, %d", p.ID, err, first.ID)
				}
				if _, _, err := s.GetDesignationByToken(ctx, firstTok.Hash); err != nil {
					t.Errorf("the first designation's link: %v, want it working", err)
				}
			})
		}
	})
}

func TestCreateDesignationReplaces(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		first, firstTok := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui))
		c.Add(time.Hour)
		second, secondTok := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Bruno", "Morel", "cholet.fr"), ouiOui))

		if st := designationState(t, s, first.ID); st != domain.DesignationReplaced {
			t.Fatalf("first designation is %q, want replaced", st)
		}
		_, _, err := s.GetDesignationByToken(ctx, firstTok.Hash)
		wantDomainError(t, err, domain.Gone, "remplacée")
		_, _, err = s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: firstTok.Hash, Accept: true, PasswordTokenHash: auth.NewToken().Hash,
			PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
		wantDomainError(t, err, domain.Gone, "remplacée")

		if p, err := s.GetPendingDesignation(ctx, f.ct.ID); err != nil || p.ID != second.ID || p.Email != "bruno.morel@cholet.fr" {
			t.Fatalf("pending designation = %+v, %v; want the second, %d", p, err, second.ID)
		}
		if _, _, err := s.GetDesignationByToken(ctx, secondTok.Hash); err != nil {
			t.Fatalf("the second link: %v", err)
		}
		if n := countWhere(t, s, `SELECT count(*) FROM designations WHERE collectivity_id = $1 AND state = 'pending'`, f.ct.ID); n != 1 {
			t.Fatalf("%d pending designations, want 1", n)
		}
		var to []string
		for _, m := range withSubject(outboxRows(t, s), subjectDesignationMail) {
			to = append(to, m.To)
		}
		if diff := cmp.Diff([]string{"anne.durand@cholet.fr", "bruno.morel@cholet.fr"}, to); diff != "" {
			t.Fatalf("designation mails (-want +got):\n%s", diff)
		}
		if n := countPrincipals(t, s, f.ct.ID); n != 0 {
			t.Fatalf("%d principals, want 0", n)
		}
		// The person replaced is told; a new designation of the same
		// address tells nobody of a replacement: its new link says all.
		told := withSubject(outboxRows(t, s), subjectWithdrawnMail)
		if len(told) != 1 || told[0].To != "anne.durand@cholet.fr" {
			t.Fatalf("replacement e-mails: %+v, want one to anne.durand@cholet.fr", told)
		}
		again := newDesignation(personFiche("Bruno", "Morel", "cholet.fr"), ouiOui)
		again.Phone = "0241999999"
		if _, err := s.CreateDesignation(ctx, f.ct.ID, f.acc.ID, again, auth.NewToken().Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail); err != nil {
			t.Fatal(err)
		}
		if got := len(withSubject(outboxRows(t, s), subjectWithdrawnMail)); got != 1 {
			t.Fatalf("%d replacement e-mails after designating the same address again, want 1", got)
		}
	})
}

func TestResendDesignation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		angers := createCT(t, s, "Commune d'Angers", true)

		_, err := s.ResendDesignation(ctx, f.ct.ID, f.acc.ID, auth.NewToken().Hash, s.Now().Add(linkTTL), composeDesignationMail(nil))
		wantDomainError(t, err, domain.NotFound, "Aucune désignation")

		d, oldTok := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui))
		c.Add(6 * 24 * time.Hour)

		_, err = s.ResendDesignation(ctx, f.ct.ID, angers.acc.ID, auth.NewToken().Hash, s.Now().Add(linkTTL), composeDesignationMail(nil))
		wantDomainError(t, err, domain.Forbidden, "Seul le gestionnaire")

		mails := len(outboxRows(t, s))
		newTok := auth.NewToken()
		expiry := s.Now().Add(linkTTL)
		var seen []domain.Designation
		got, err := s.ResendDesignation(ctx, f.ct.ID, f.acc.ID, newTok.Hash, expiry, composeDesignationMail(&seen))
		if err != nil {
			t.Fatalf("ResendDesignation: %v", err)
		}
		if got.ID != d.ID || got.State != domain.DesignationPending || !got.ExpiresAt.Equal(expiry) || !got.SentAt.Equal(s.Now()) || !got.CreatedAt.Equal(d.CreatedAt) {
			t.Fatalf("ResendDesignation = %+v, want designation %d pending, sent now, expiring %v", got, d.ID, expiry)
		}
		if len(seen) != 1 || seen[0].ID != d.ID {
			t.Fatalf("compose saw %+v, want designation %d", seen, d.ID)
		}
		queued := outboxRows(t, s)[mails:]
		if diff := cmp.Diff([]outboxRow{{To: "anne.durand@cholet.fr", Subject: subjectDesignationMail, Text: "Bonjour Anne Durand\n", ExpiresAt: expiry}}, queued); diff != "" {
			t.Fatalf("queued mails (-want +got):\n%s", diff)
		}
		_, _, err = s.GetDesignationByToken(ctx, oldTok.Hash)
		wantDomainError(t, err, domain.Gone, "pas valide")

		// Past the first expiry, the new link still works.
		c.Add(2 * 24 * time.Hour)
		if byLink, _, err := s.GetDesignationByToken(ctx, newTok.Hash); err != nil || byLink.ID != d.ID {
			t.Fatalf("GetDesignationByToken(new link) = %d, %v; want designation %d", byLink.ID, err, d.ID)
		}
		_, _, err = s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: oldTok.Hash, Accept: true, PasswordTokenHash: auth.NewToken().Hash,
			PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
		wantDomainError(t, err, domain.Gone, "pas valide")
		if _, p, _ := acceptDesignation(t, s, newTok, ""); p.Role != domain.RolePrincipal {
			t.Fatalf("accepting with the new link gave %+v, want a principal", p)
		}
	})
}

func TestCancelDesignation(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		angers := createCT(t, s, "Commune d'Angers", true)
		d, tok := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui))

		_, err := s.CancelDesignation(ctx, f.ct.ID, angers.acc.ID, composeWithdrawnMail)
		wantDomainError(t, err, domain.Forbidden, "Seul le gestionnaire")
		if st := designationState(t, s, d.ID); st != domain.DesignationPending {
			t.Fatalf("after a refused cancel: %q, want pending", st)
		}

		mails := len(outboxRows(t, s))
		got, err := s.CancelDesignation(ctx, f.ct.ID, f.acc.ID, composeWithdrawnMail)
		if err != nil {
			t.Fatalf("CancelDesignation: %v", err)
		}
		if st := designationState(t, s, d.ID); st != domain.DesignationCancelled || got.ID != d.ID || got.State != domain.DesignationCancelled {
			t.Fatalf("designation is %q, returned %+v; want %d cancelled", st, got, d.ID)
		}
		// The designated person is told; the e-mail has no link to expire.
		want := []outboxRow{{To: "anne.durand@cholet.fr", Subject: subjectWithdrawnMail, Text: "Désignation de Anne Durand annulée.\n"}}
		if diff := cmp.Diff(want, outboxRows(t, s)[mails:]); diff != "" {
			t.Fatalf("queued mails (-want +got):\n%s", diff)
		}
		mails++
		_, _, err = s.GetDesignationByToken(ctx, tok.Hash)
		wantDomainError(t, err, domain.Gone, "annulée")
		_, _, err = s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: true, PasswordTokenHash: auth.NewToken().Hash,
			PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
		wantDomainError(t, err, domain.Gone, "annulée")
		if _, err := s.GetPendingDesignation(ctx, f.ct.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("GetPendingDesignation = %v, want ErrNotFound", err)
		}
		_, err = s.CancelDesignation(ctx, f.ct.ID, f.acc.ID, composeWithdrawnMail)
		wantDomainError(t, err, domain.NotFound, "Aucune désignation")
		if n := count(t, s, "outbox"); n != mails {
			t.Fatalf("%d mails after cancelling, want %d", n, mails)
		}
		if diff := cmp.Diff([]domain.Account{f.acc}, ctAccounts(t, s, f.ct.ID)); diff != "" {
			t.Fatalf("accounts changed (-want +got):\n%s", diff)
		}
	})
}

func TestDesignationExpired(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		d, tok := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui))
		c.Add(linkTTL - time.Second)
		if _, _, err := s.GetDesignationByToken(ctx, tok.Hash); err != nil {
			t.Fatalf("a second before expiry: %v", err)
		}
		c.Add(time.Second)
		_, _, err := s.GetDesignationByToken(ctx, tok.Hash)
		wantDomainError(t, err, domain.Gone, "expiré")
		mails := count(t, s, "outbox")
		_, _, err = s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: true, PasswordTokenHash: auth.NewToken().Hash,
			PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
		wantDomainError(t, err, domain.Gone, "expiré")
		if st := designationState(t, s, d.ID); st != domain.DesignationPending {
			t.Fatalf("designation is %q, want still pending (resendable)", st)
		}
		if n := count(t, s, "outbox"); n != mails {
			t.Fatalf("%d mails, want %d", n, mails)
		}
		if diff := cmp.Diff([]domain.Account{f.acc}, ctAccounts(t, s, f.ct.ID)); diff != "" {
			t.Fatalf("accounts changed (-want +got):\n%s", diff)
		}
	})
}

func TestDesignationUnknownLink(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		createCT(t, s, "Commune de Cholet", true)
		unknown := auth.NewToken()
		_, _, err := s.GetDesignationByToken(ctx, unknown.Hash)
		wantDomainError(t, err, domain.Gone, "pas valide")
		_, _, err = s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: unknown.Hash, Accept: true, PasswordTokenHash: auth.NewToken().Hash,
			PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
		wantDomainError(t, err, domain.Gone, "pas valide")
	})
}

// The first change of principal, from the historical manager.
func TestAnswerDesignationAcceptFromManager(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		for _, id := range []string{"manager-desk", "manager-phone"} {
			if err := s.CreateLoginSession(ctx, id, f.acc.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := s.GetPasswordToken(ctx, f.link.Hash); err != nil {
			t.Fatalf("the manager's codes link before: %v", err)
		}
		in := newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui)
		_, tok := designate(t, s, f.ct.ID, f.acc.ID, in)
		mails := len(outboxRows(t, s))
		c.Add(time.Hour)

		pw := auth.NewToken()
		pwExpiry := s.Now().Add(linkTTL)
		d, p, err := s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: true, Comment: "Avec plaisir.",
			PasswordTokenHash: pw.Hash, PasswordExpiry: pwExpiry}, designationMails())
		if err != nil {
			t.Fatalf("AnswerDesignation: %v", err)
		}
		if d.State != domain.DesignationAccepted || d.Comment != "Avec plaisir." || !d.AnsweredAt.Equal(s.Now()) {
			t.Fatalf("designation = %+v, want accepted now with the comment", d)
		}

		// The historical manager is closed: codes, sessions and links end.
		m, err := s.GetAccount(ctx, f.ct.ID, f.acc.ID)
		if err != nil || m.State != domain.StateClosed || m.Role != domain.RoleManager || m.CanLogIn() {
			t.Fatalf("manager = %+v, %v; want closed", m, err)
		}
		for _, id := range []string{"manager-desk", "manager-phone"} {
			if _, _, err := s.GetLoginSession(ctx, id); !errors.Is(err, ErrNotFound) {
				t.Errorf("manager's session %s = %v, want ErrNotFound", id, err)
			}
		}
		if n := countWhere(t, s, `SELECT count(*) FROM login_sessions WHERE account_id = $1`, f.acc.ID); n != 0 {
			t.Errorf("%d login sessions of the closed manager, want 0", n)
		}
		_, _, err = s.GetPasswordToken(ctx, f.link.Hash)
		wantDomainError(t, err, domain.Gone, "déjà servi")

		// The new principal: a new account, a new identifiant, the designation's fiche, no password yet.
		want := domain.Account{ID: p.ID, CollectivityID: f.ct.ID, Login: p.Login, Role: domain.RolePrincipal, State: domain.StateActive,
			Fiche: in.Fiche, Prefs: in.Prefs}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Fatalf("new principal (-want +got):\n%s", diff)
		}
		if p.ID == f.acc.ID || p.ID == 0 || !generatedLogin.MatchString(p.Login) || p.Login == f.acc.Login {
			t.Fatalf("new principal id %d login %q; want a new account with a new identifiant (manager %d %q)", p.ID, p.Login, f.acc.ID, f.acc.Login)
		}
		stored, err := s.GetAccountByLogin(ctx, p.Login)
		if diff := cmp.Diff(want, stored); err != nil || diff != "" {
			t.Fatalf("GetAccountByLogin(%s): %v (-want +got):\n%s", p.Login, err, diff)
		}
		if n := countPrincipals(t, s, f.ct.ID); n != 1 {
			t.Fatalf("%d principals, want 1", n)
		}
		if n := len(ctAccounts(t, s, f.ct.ID)); n != 2 {
			t.Fatalf("%d accounts, want the closed manager and the principal", n)
		}

		queued := outboxRows(t, s)[mails:]
		wantMails := []outboxRow{
			{To: "anne.durand@cholet.fr", Subject: subjectPrincipalMail, Text: "Collectivité : Commune de Cholet\nIdentifiant : " + p.Login + "\n", ExpiresAt: pwExpiry},
			{To: f.ct.Email, Subject: subjectAnswerMail, Text: "Anne Durand a accepté.\nCommentaire : Avec plaisir.\n"},
		}
		if diff := cmp.Diff(wantMails, queued); diff != "" {
			t.Fatalf("queued mails (-want +got):\n%s", diff)
		}

		// The set-password link works, and then the codes do.
		if got, _, err := s.GetPasswordToken(ctx, pw.Hash); err != nil || got.ID != p.ID {
			t.Fatalf("GetPasswordToken = %d, %v; want the principal %d", got.ID, err, p.ID)
		}
		after, err := s.SetPasswordWithToken(ctx, pw.Hash, "hash-anne")
		if err != nil || after.ID != p.ID || !after.CanLogIn() {
			t.Fatalf("SetPasswordWithToken = %+v, %v; want the principal able to log in", after, err)
		}
		if got, _ := s.GetAccountByLogin(ctx, p.Login); !got.CanLogIn() || got.PasswordHash != "hash-anne" {
			t.Fatalf("principal after setting its password = %+v, want able to log in", got)
		}

		_, _, err = s.GetDesignationByToken(ctx, tok.Hash)
		wantDomainError(t, err, domain.Gone, "déjà servi")
	})
}

// A failing e-mail undoes the whole acceptance: one transaction.
func TestAnswerDesignationAtomic(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		if err := s.CreateLoginSession(ctx, "manager-desk", f.acc.ID); err != nil {
			t.Fatal(err)
		}
		d, tok := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui))
		boom := errors.New("template broken")
		tests := []struct {
			name  string
			mails DesignationMails
		}{
			{"the new principal's mail fails", DesignationMails{
				Accepted: func(domain.Designation, domain.Collectivity, string) (mail.Message, error) {
					return mail.Message{}, boom
				},
				Answer: designationMails().Answer,
			}},
			{"the answer mail fails", DesignationMails{
				Accepted: designationMails().Accepted,
				Answer: func(domain.Designation, domain.Collectivity, domain.Account) (mail.Message, error) {
					return mail.Message{}, boom
				},
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				same := unchanged(t, s, f.ct.ID)
				_, _, err := s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: true, PasswordTokenHash: auth.NewToken().Hash,
					PasswordExpiry: s.Now().Add(linkTTL)}, tt.mails)
				if !errors.Is(err, boom) {
					t.Fatalf("AnswerDesignation = %v, want %v", err, boom)
				}
				same()
				if st := designationState(t, s, d.ID); st != domain.DesignationPending {
					t.Fatalf("designation is %q, want pending", st)
				}
				if _, _, err := s.GetLoginSession(ctx, "manager-desk"); err != nil {
					t.Fatalf("manager's session: %v, want kept", err)
				}
				if _, _, err := s.GetPasswordToken(ctx, f.link.Hash); err != nil {
					t.Fatalf("manager's link: %v, want kept", err)
				}
			})
		}
	})
}

func TestAnswerDesignationRefuse(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		if err := s.CreateLoginSession(ctx, "manager-desk", f.acc.ID); err != nil {
			t.Fatal(err)
		}
		_, tok := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui))
		accounts, mails, tokens := ctAccounts(t, s, f.ct.ID), len(outboxRows(t, s)), count(t, s, "tokens")

		d, p, err := s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: false, Comment: "Je pars en mutation.",
			PasswordTokenHash: auth.NewToken().Hash, PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
		if err != nil {
			t.Fatalf("AnswerDesignation(refuse): %v", err)
		}
		if d.State != domain.DesignationRefused || d.Comment != "Je pars en mutation." || p.ID != 0 {
			t.Fatalf("AnswerDesignation = %+v, %+v; want refused with the comment and no principal", d, p)
		}
		if diff := cmp.Diff(accounts, ctAccounts(t, s, f.ct.ID)); diff != "" {
			t.Fatalf("accounts changed by a refusal (-before +after):\n%s", diff)
		}
		if n := count(t, s, "tokens"); n != tokens {
			t.Fatalf("%d tokens, want %d", n, tokens)
		}
		if _, _, err := s.GetLoginSession(ctx, "manager-desk"); err != nil {
			t.Fatalf("manager's session: %v, want kept", err)
		}
		queued := outboxRows(t, s)[mails:]
		want := []outboxRow{{To: f.ct.Email, Subject: subjectAnswerMail, Text: "Anne Durand a refusé.\nCommentaire : Je pars en mutation.\n"}}
		if diff := cmp.Diff(want, queued); diff != "" {
			t.Fatalf("queued mails (-want +got):\n%s", diff)
		}
		if _, err := s.GetPendingDesignation(ctx, f.ct.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("GetPendingDesignation = %v, want ErrNotFound", err)
		}
	})
}

func TestAnswerDesignationTwice(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		tests := []struct {
			name          string
			first, second bool // accept?
		}{
			{"accept, then accept", true, true},
			{"accept, then refuse", true, false},
			{"refuse, then accept", false, true},
			{"refuse, then refuse", false, false},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := createCT(t, s, fmt.Sprintf("Commune %d", i), true)
				d, tok := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui))
				answer := func(accept bool) error {
					_, _, err := s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: accept, Comment: "second",
						PasswordTokenHash: auth.NewToken().Hash, PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
					return err
				}
				if err := answer(tt.first); err != nil {
					t.Fatalf("first answer: %v", err)
				}
				same, state := unchanged(t, s, f.ct.ID), designationState(t, s, d.ID)
				wantDomainError(t, answer(tt.second), domain.Gone, "déjà servi")
				same()
				if st := designationState(t, s, d.ID); st != state {
					t.Fatalf("designation is %q, want %q", st, state)
				}
				want := 0
				if tt.first {
					want = 1
				}
				if n := countPrincipals(t, s, f.ct.ID); n != want {
					t.Fatalf("%d principals, want %d", n, want)
				}
			})
		}
	})
}

// The second change: the principal hands over to a new person and stays an operator.
func TestSecondChangeOfPrincipal(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		if err := s.CreateLoginSession(ctx, "p1-desk", pc.principal.ID); err != nil {
			t.Fatal(err)
		}
		prefs := domain.MailPrefs{domain.Inter: true} // the previous principal keeps receiving integration
		in := newDesignation(personFiche("Bruno", "Morel", "cholet.fr"), prefs)
		_, tok := designate(t, s, pc.ct.ID, pc.principal.ID, in)
		mails := len(outboxRows(t, s))
		_, p2, _ := acceptDesignation(t, s, tok, "Je prends le relais.")

		p1, err := s.GetAccount(ctx, pc.ct.ID, pc.principal.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantP1 := pc.principal
		wantP1.Role = domain.RoleOperator
		if diff := cmp.Diff(wantP1, p1); diff != "" {
			t.Fatalf("previous principal (-want +got):\n%s", diff)
		}
		if !p1.CanLogIn() || p1.Login != pc.principal.Login || p1.PasswordHash != "hash-principal-Commune de Cholet" {
			t.Fatalf("previous principal = %+v, want its codes to keep working", p1)
		}
		if _, _, err := s.GetLoginSession(ctx, "p1-desk"); err != nil {
			t.Fatalf("previous principal's session: %v, want kept", err)
		}
		if p2.ID == pc.principal.ID || p2.Role != domain.RolePrincipal || p2.Fiche != in.Fiche || !p2.Prefs.Equal(prefs) ||
			!generatedLogin.MatchString(p2.Login) || p2.Login == pc.principal.Login {
			t.Fatalf("new principal = %+v, want a new account with the designation's fiche and prefs", p2)
		}
		if n := countPrincipals(t, s, pc.ct.ID); n != 1 {
			t.Fatalf("%d principals, want 1", n)
		}
		if got, _ := s.GetAccount(ctx, pc.ct.ID, pc.acc.ID); got.State != domain.StateClosed {
			t.Fatalf("manager = %q, want still closed", got.State)
		}
		if op, err := s.GetOperator(ctx, pc.ct.ID, pc.principal.ID); err != nil || op.ID != pc.principal.ID {
			t.Fatalf("GetOperator(previous principal) = %+v, %v", op, err)
		}
		queued := outboxRows(t, s)[mails:]
		if len(queued) != 2 || queued[0].Subject != subjectPrincipalMail || queued[0].To != "bruno.morel@cholet.fr" ||
			queued[1].Subject != subjectAnswerMail || queued[1].To != pc.principal.Email || !strings.Contains(queued[1].Text, "Je prends le relais.") {
			t.Fatalf("queued mails = %+v, want the new principal's then the answer to %s", queued, pc.principal.Email)
		}
		// The previous principal, now an operator, no longer holds the CT.
		_, err = s.CreateDesignation(ctx, pc.ct.ID, pc.principal.ID, newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui),
			auth.NewToken().Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail)
		wantDomainError(t, err, domain.Forbidden, "Seul le gestionnaire")
	})
}

func TestDesignationTowardsOperator(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		other := addActiveOperator(t, s, pc, "Claire", "Roux", ouiOui)
		accountsBefore := len(ctAccounts(t, s, pc.ct.ID))
		in := newDesignation(personFiche("Olivier", "Petit-Durand", "agglo-cholet.fr"), domain.MailPrefs{domain.Integration: true})
		in.TargetAccount = op.ID
		d, tok := designate(t, s, pc.ct.ID, pc.principal.ID, in)
		if d.TargetAccount != op.ID {
			t.Fatalf("designation target = %d, want %d", d.TargetAccount, op.ID)
		}
		mails := len(outboxRows(t, s))
		_, p, pw := acceptDesignation(t, s, tok, "")

		want := op
		want.Role, want.Fiche, want.Prefs = domain.RolePrincipal, in.Fiche, in.Prefs
		if diff := cmp.Diff(want, p); diff != "" {
			t.Fatalf("promoted operator (-want +got):\n%s", diff)
		}
		if stored, _ := s.GetAccount(ctx, pc.ct.ID, op.ID); !cmp.Equal(stored, want) {
			t.Fatalf("stored promoted operator = %+v, want %+v", stored, want)
		}
		prev, _ := s.GetAccount(ctx, pc.ct.ID, pc.principal.ID)
		wantPrev := pc.principal
		wantPrev.Role = domain.RoleOperator
		if !cmp.Equal(prev, wantPrev) {
			t.Fatalf("previous principal = %+v, want %+v", prev, wantPrev)
		}
		if got, _ := s.GetAccount(ctx, pc.ct.ID, other.ID); !cmp.Equal(got, other) {
			t.Fatalf("other operator = %+v, want unchanged %+v", got, other)
		}
		if n := len(ctAccounts(t, s, pc.ct.ID)); n != accountsBefore {
			t.Fatalf("%d accounts, want %d: no new account", n, accountsBefore)
		}
		if n := countPrincipals(t, s, pc.ct.ID); n != 1 {
			t.Fatalf("%d principals, want 1", n)
		}
		queued := outboxRows(t, s)[mails:]
		if len(queued) != 2 || queued[0].To != "olivier.petit-durand@agglo-cholet.fr" || queued[0].Subject != subjectPrincipalMail ||
			!strings.Contains(queued[0].Text, "Identifiant : "+op.Login) || queued[1].To != pc.principal.Email || queued[1].Subject != subjectAnswerMail {
			t.Fatalf("queued mails = %+v, want the principal mail with login %s, then the answer", queued, op.Login)
		}
		if got, _, err := s.GetPasswordToken(ctx, pw.Hash); err != nil || got.ID != op.ID {
			t.Fatalf("GetPasswordToken = %d, %v; want the promoted operator %d", got.ID, err, op.ID)
		}
	})
}

func TestDesignationTargetNotActiveOperator(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		angers := setupPrincipal(t, s, "Commune d'Angers")
		inactive, _ := createOperator(t, s, pc, "Ines", "Inactive", ouiOui, s.Now().Add(linkTTL))
		refused := addOperatorRefused(t, s, pc, "Rene", "Refuse")
		elsewhere := addActiveOperator(t, s, angers, "Alain", "Ailleurs", ouiOui)
		tests := []struct {
			name   string
			target int64
		}{
			{"an inactive operator", inactive.ID},
			{"a refused operator", refused.ID},
			{"another CT's active operator", elsewhere.ID},
			{"the principal itself", pc.principal.ID},
			{"the closed manager", pc.acc.ID},
			{"no such account", 999999},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				same := unchanged(t, s, pc.ct.ID)
				in := newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui)
				in.TargetAccount = tt.target
				_, err := s.CreateDesignation(ctx, pc.ct.ID, pc.principal.ID, in, auth.NewToken().Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail)
				wantDomainError(t, err, domain.NotFound, "opérateur")
				same()
			})
		}
	})
}

// Fifty clicks on one link at once: one acceptance.
func TestAnswerDesignationRace(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		_, tok := designate(t, s, f.ct.ID, f.acc.ID, newDesignation(personFiche("Anne", "Durand", "cholet.fr"), ouiOui))
		const n = 50
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				_, _, errs[i] = s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: true, Comment: fmt.Sprint(i),
					PasswordTokenHash: auth.NewToken().Hash, PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			var derr *domain.Error
			switch {
			case err == nil:
				won++
			case errors.As(err, &derr) && derr.Kind == domain.Gone && strings.Contains(derr.Message, "déjà servi"):
			default:
				t.Errorf("AnswerDesignation: %v, want nil or Gone", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d answers won, want 1", won)
		}
		if n := countPrincipals(t, s, f.ct.ID); n != 1 {
			t.Fatalf("%d principals, want 1", n)
		}
		if n := len(ctAccounts(t, s, f.ct.ID)); n != 2 {
			t.Fatalf("%d accounts, want the closed manager and one principal", n)
		}
		rows := outboxRows(t, s)
		if n := len(withSubject(rows, subjectPrincipalMail)); n != 1 {
			t.Fatalf("%d principal mails, want 1", n)
		}
		if n := len(withSubject(rows, subjectAnswerMail)); n != 1 {
			t.Fatalf("%d answer mails, want 1", n)
		}
		if n := countWhere(t, s, `SELECT count(*) FROM tokens WHERE purpose = 'password' AND used_at IS NULL AND account_id IN
			(SELECT id FROM accounts WHERE collectivity_id = $1 AND role = 'principal')`, f.ct.ID); n != 1 {
			t.Fatalf("%d live password links for the principal, want 1", n)
		}
	})
}

// Twenty designations at once on one CT: they take turns, each replacing
// the one before; one stays pending.
func TestCreateDesignationConcurrent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		const n = 20
		errs := make([]error, n)
		toks := make([]auth.Token, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			toks[i] = auth.NewToken()
			wg.Go(func() {
				<-start
				_, errs[i] = s.CreateDesignation(ctx, f.ct.ID, f.acc.ID, newDesignation(personFiche("Anne", fmt.Sprintf("Durand%d", i), "cholet.fr"), ouiOui),
					toks[i].Hash, s.Now().Add(linkTTL), composeDesignationMail(nil), composeWithdrawnMail)
			})
		}
		close(start)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("concurrent CreateDesignation: %v", err)
		}
		if got := countWhere(t, s, `SELECT count(*) FROM designations WHERE collectivity_id = $1 AND state = 'pending'`, f.ct.ID); got != 1 {
			t.Fatalf("%d pending designations, want 1", got)
		}
		if got := countWhere(t, s, `SELECT count(*) FROM designations WHERE collectivity_id = $1 AND state = 'replaced'`, f.ct.ID); got != n-1 {
			t.Fatalf("%d replaced designations, want %d", got, n-1)
		}
		if got := len(withSubject(outboxRows(t, s), subjectDesignationMail)); got != n {
			t.Fatalf("%d designation mails, want %d", got, n)
		}
		if got := len(withSubject(outboxRows(t, s), subjectWithdrawnMail)); got != n-1 {
			t.Fatalf("%d replacement mails, want %d", got, n-1)
		}
		pending, err := s.GetPendingDesignation(ctx, f.ct.ID)
		if err != nil {
			t.Fatal(err)
		}
		live := 0
		for _, tok := range toks {
			d, _, err := s.GetDesignationByToken(ctx, tok.Hash)
			if err == nil {
				live++
				if d.ID != pending.ID {
					t.Errorf("a live link for designation %d, pending is %d", d.ID, pending.ID)
				}
				continue
			}
			wantDomainError(t, err, domain.Gone, "remplacée")
		}
		if live != 1 {
			t.Fatalf("%d live links, want 1", live)
		}
		if got := countPrincipals(t, s, f.ct.ID); got != 0 {
			t.Fatalf("%d principals, want 0", got)
		}
	})
}

// The rule is checked again at acceptance: the accounts may have changed
// since the designation.
func TestAnswerDesignationRechecksRecipients(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op := addActiveOperator(t, s, pc, "Olivier", "Petit", ouiOui)
		in := newDesignation(personFiche("Olivier", "Petit", "cholet.fr"), domain.MailPrefs{})
		in.TargetAccount = op.ID
		// Allowed now: the principal, an operator afterwards, receives both.
		d, tok := designate(t, s, pc.ct.ID, pc.principal.ID, in)
		// Allowed now too: the operator receives both meanwhile.
		none := domain.MailPrefs{}
		if err := s.SaveOwnAccount(ctx, pc.ct.ID, pc.principal.ID, OwnAccountChange{Fiche: pc.principal.Fiche, Prefs: &none}); err != nil {
			t.Fatalf("SaveOwnAccount: %v", err)
		}
		same := unchanged(t, s, pc.ct.ID)
		_, _, err := s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: true, PasswordTokenHash: auth.NewToken().Hash,
			PasswordExpiry: s.Now().Add(linkTTL)}, designationMails())
		wantDomainError(t, err, domain.Conflict, "ont changé depuis la désignation")
		wantDomainError(t, err, domain.Conflict, "formation d'intégration")
		same()
		if st := designationState(t, s, d.ID); st != domain.DesignationPending {
			t.Fatalf("designation is %q, want still pending", st)
		}
		// Refusing is always possible.
		if d, _, err := s.AnswerDesignation(ctx, DesignationAnswer{TokenHash: tok.Hash, Accept: false}, designationMails()); err != nil || d.State != domain.DesignationRefused {
			t.Fatalf("refusing = %+v, %v; want refused", d, err)
		}
	})
}
