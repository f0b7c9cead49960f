package store

import (
	"context"
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

const (
	subjectStaffCodes = "inscription en ligne : vos codes de connexion"
	subjectToldMail   = "inscription en ligne : changement du gestionnaire principal CT"
)

// cli is the command line's context: every change it asks is journaled.
var cli = WithActor(context.Background(), domain.CommandLine)

func composeStaffCodes(acc domain.Account) (mail.Message, error) {
	return mail.Message{MessageID: "<staff-" + acc.Login + "@test>", To: acc.Email, Subject: subjectStaffCodes,
		Text: "Identifiant : " + acc.Login + "\n", HTML: "<p>" + acc.Login + "</p>"}, nil
}

// createStaff creates an active staff account (its password set) and
// returns the context of its changes.
func createStaff(t testing.TB, s *Store, first, last string) (domain.Account, context.Context) {
	t.Helper()
	acc, err := s.CreateStaff(cli, NewStaff{FirstName: first, LastName: last, Email: strings.ToLower(first+"."+last) + "@cnfpt.example",
		PasswordHash: "hash-" + last}, composeStaffCodes)
	if err != nil {
		t.Fatalf("CreateStaff: %v", err)
	}
	return acc, WithActor(context.Background(), domain.AccountActor(acc, "192.0.2.7"))
}

// journalLines returns the sentences staff wrote in the journal about the CT ctID (0: about none), oldest first.
func journalLines(t testing.TB, s *Store, ctID int64) []string {
	t.Helper()
	return journalLinesBy(t, s, ctID, "staff")
}

// journalLinesBy is journalLines of every actor when role is "", else of
// the actors of role.
func journalLinesBy(t testing.TB, s *Store, ctID int64, role domain.Role) []string {
	t.Helper()
	q := `SELECT actor_name || ' ' || what || ' [' || fields || ']' FROM journal
		WHERE COALESCE(collectivity_id, 0) = $1 AND ($2 = '' OR actor_role = $2) ORDER BY id`
	args := []any{ctID, string(role)}
	rows, err := s.db.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

func TestCreateStaff(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		tok := auth.NewToken()
		expiry := s.Now().Add(linkTTL)
		var composed []domain.Account
		acc, err := s.CreateStaff(cli, NewStaff{FirstName: " Claire ", LastName: "Roux", Email: " Claire.Roux@CNFPT.example ",
			TokenHash: tok.Hash, TokenExpiry: expiry}, func(a domain.Account) (mail.Message, error) {
			composed = append(composed, a)
			return composeStaffCodes(a)
		})
		if err != nil {
			t.Fatalf("CreateStaff: %v", err)
		}
		if !wantLogin.MatchString(acc.Login) {
			t.Errorf("login %q", acc.Login)
		}
		want := domain.Account{ID: acc.ID, Login: acc.Login, Role: domain.RoleStaff, State: domain.StateInactive,
			Fiche: domain.Fiche{FirstName: "Claire", LastName: "Roux", Email: "Claire.Roux@cnfpt.example"}}
		if diff := cmp.Diff(want, acc); diff != "" {
			t.Errorf("account (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]domain.Account{acc}, composed); diff != "" {
			t.Errorf("composed for (-want +got):\n%s", diff)
		}
		if n := countWhere(t, s, `SELECT count(*) FROM accounts WHERE id = $1 AND collectivity_id IS NULL AND role = 'staff'`, acc.ID); n != 1 {
			t.Errorf("stored staff accounts without a CT: %d", n)
		}
		mails := withSubject(outboxRows(t, s), subjectStaffCodes)
		if len(mails) != 1 || mails[0].To != "Claire.Roux@cnfpt.example" || !mails[0].ExpiresAt.Equal(expiry) {
			t.Errorf("codes e-mail: %+v", mails)
		}
		// The link sets the password, and the account then logs in.
		if _, err := s.SetPasswordWithToken(WithActor(context.Background(), domain.Visitor("192.0.2.8")), tok.Hash, "hash"); err != nil {
			t.Fatalf("SetPasswordWithToken: %v", err)
		}
		got, err := s.GetAccountByLogin(context.Background(), acc.Login)
		if err != nil || got.State != domain.StateActive || !got.CanLogIn() {
			t.Errorf("after the link: %+v, %v; want active", got, err)
		}
		wantLines := []string{
			" a créé le compte d'agent du CNFPT de Claire Roux [prénom, nom, courriel]",
			"Claire Roux a choisi son mot de passe avec le lien reçu par courriel [mot de passe]",
		}
		if diff := cmp.Diff(wantLines, journalLinesBy(t, s, 0, "")); diff != "" {
			t.Errorf("journal (-want +got):\n%s", diff)
		}

		refused := []struct {
			name string
			ctx  context.Context
			ns   NewStaff
			want error
		}{
			{"same address", cli, NewStaff{FirstName: "Autre", LastName: "Roux", Email: "CLAIRE.roux@cnfpt.example"}, ErrStaffEmailTaken},
			{"no name", cli, NewStaff{FirstName: "Claire", Email: "c2@cnfpt.example"}, nil},
			{"bad address", cli, NewStaff{FirstName: "Claire", LastName: "Roux", Email: "claire@"}, nil},
			{"nobody acts", context.Background(), NewStaff{FirstName: "Paul", LastName: "Roux", Email: "p@cnfpt.example"}, ErrNoActor},
		}
		for _, tt := range refused {
			before := count(t, s, "accounts")
			_, err := s.CreateStaff(tt.ctx, tt.ns, composeStaffCodes)
			var derr *domain.Error
			switch {
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
			case tt.want == nil && (!errors.As(err, &derr) || derr.Kind != domain.Invalid):
				t.Errorf("%s: %v, want an Invalid domain error", tt.name, err)
			}
			if n := count(t, s, "accounts"); n != before {
				t.Errorf("%s: %d accounts created", tt.name, n-before)
			}
		}
		if n := len(outboxRows(t, s)); n != 1 {
			t.Errorf("%d e-mails queued, want the first one only", n)
		}
	})
}

func TestSearchCollectivities(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		names := []string{"Commune de Cholet", "Commune d'Angers", "CCAS de Cholet", "Département de Maine-et-Loire", "Commune Cent Loire", "Région Pays de la Loire"}
		ids := map[string]int64{}
		for _, n := range names {
			ids[n] = createCT(t, s, n, false).ct.ID
		}
		if _, err := s.db.Exec(`UPDATE collectivities SET name = 'Commune 100% Loire', name_key = 'commune 100% loire' WHERE id = $1`, ids["Commune Cent Loire"]); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.Exec(`UPDATE collectivities SET siret = '21490099500017' WHERE id = $1`, ids["Commune de Cholet"]); err != nil {
			t.Fatal(err)
		}
		search := func(q CollectivityQuery) ([]string, int, int64) {
			t.Helper()
			p, err := s.SearchCollectivities(ctx, q)
			if err != nil {
				t.Fatalf("SearchCollectivities(%+v): %v", q, err)
			}
			var out []string
			for _, r := range p.Rows {
				out = append(out, r.Name)
			}
			return out, p.Total, p.Next
		}
		tests := []struct {
			search string
			want   []string
		}{
			{"cholet", []string{"CCAS de Cholet", "Commune de Cholet"}},
			{"  CHOLET ", []string{"CCAS de Cholet", "Commune de Cholet"}},
			{"214 900 995", []string{"Commune de Cholet"}},
			{"21490099500017", []string{"Commune de Cholet"}},
			{"100%", []string{"Commune 100% Loire"}},
			{"%", []string{"Commune 100% Loire"}},
			{"_", nil},
			{"Région", []string{"Région Pays de la Loire"}},
			{"Paris", nil},
		}
		for _, tt := range tests {
			got, total, next := search(CollectivityQuery{Search: tt.search})
			if diff := cmp.Diff(tt.want, got); diff != "" || total != len(tt.want) || next != 0 {
				t.Errorf("search %q: total %d, next %d (-want +got):\n%s", tt.search, total, next, diff)
			}
		}
		// Keyset pages of 4: every CT once, by name.
		var all []string
		after := int64(0)
		for range 3 {
			got, total, next := search(CollectivityQuery{After: after, Limit: 4})
			if total != len(names) {
				t.Errorf("total %d, want %d", total, len(names))
			}
			all = append(all, got...)
			if next == 0 {
				break
			}
			after = next
		}
		want := []string{"CCAS de Cholet", "Commune 100% Loire", "Commune d'Angers", "Commune de Cholet", "Département de Maine-et-Loire", "Région Pays de la Loire"}
		if diff := cmp.Diff(want, all); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
	})
}

func TestStaffHome(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		old := setupPrincipal(t, s, "Commune de Saumur")
		c.Add(RecentCollectivities + time.Hour)
		fresh := createCT(t, s, "Commune de Cholet", false)
		running := createCT(t, s, "Commune d'Angers", true)
		d, _ := designate(t, s, running.ct.ID, running.acc.ID, newDesignation(personFiche("Anne", "Durand", "angers.fr"), ouiOui))

		h, err := s.GetStaffHome(ctx)
		if err != nil {
			t.Fatalf("GetStaffHome: %v", err)
		}
		if h.Collectivities != 3 {
			t.Errorf("Collectivities = %d, want 3", h.Collectivities)
		}
		if len(h.NoHolder) != 1 || h.NoHolder[0].ID != fresh.ct.ID || !h.NoHolder[0].CodesUnused || h.NoHolder[0].Holder != "" {
			t.Errorf("NoHolder = %+v, want the CT whose codes are unused", h.NoHolder)
		}
		var recent []int64
		for _, r := range h.Recent {
			recent = append(recent, r.ID)
		}
		if diff := cmp.Diff([]int64{running.ct.ID, fresh.ct.ID}, recent); diff != "" {
			t.Errorf("Recent (-want +got):\n%s", diff)
		}
		if len(h.Designations) != 1 || h.Designations[0].Collectivity.ID != running.ct.ID || h.Designations[0].Designated != "Anne Durand" ||
			!h.Designations[0].ExpiresAt.Equal(d.ExpiresAt) || h.Designations[0].Collectivity.Holder != "gestionnaire CT" {
			t.Errorf("Designations = %+v", h.Designations)
		}
		// The principal leaves nothing vacant; its historical manager is closed.
		for _, r := range h.NoHolder {
			if r.ID == old.ct.ID {
				t.Errorf("the CT of a principal is listed as vacant")
			}
		}
		c.Add(linkTTL + time.Hour)
		h, err = s.GetStaffHome(ctx)
		if err != nil || len(h.Designations) != 1 || !h.Designations[0].Expired || len(h.Recent) != 2 {
			t.Errorf("a week later: %+v, %v; want the designation expired", h, err)
		}
	})
}

func TestCollectivityFile(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		pc := setupPrincipal(t, s, "Commune de Cholet")
		other := setupPrincipal(t, s, "Commune d'Angers")
		op, _ := createOperator(t, s, pc, "Olivier", "Opérateur", ouiOui, s.Now().Add(linkTTL))
		addActiveOperator(t, s, other, "Xavier", "Autre", ouiOui)
		agent := mustCreateAgent(t, s, pc.ct.ID, domain.Agent{Civility: domain.Madame, LastName: "Agent", FirstName: "Alice",
			BirthDate: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), Category: domain.CategoryA, Status: domain.Titulaire, Grade: "Attaché",
			AppointedOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)})
		_ = agent

		f, err := s.GetCollectivityFile(ctx, pc.ct.ID)
		if err != nil {
			t.Fatalf("GetCollectivityFile: %v", err)
		}
		if f.Collectivity.Name != "Commune de Cholet" || f.Agents != 1 || f.Settings.Name != "Commune de Cholet" {
			t.Errorf("file: %+v", f)
		}
		var got []string
		for _, a := range f.Accounts {
			if a.CollectivityID != pc.ct.ID || a.PasswordHash != "" {
				t.Errorf("account %+v: another CT's, or its password hash shown", a.Account)
			}
			line := fmt.Sprintf("%s %s %s", a.LastName, a.Role, a.State)
			if a.Link != nil {
				line += " " + a.Link.Purpose
			}
			got = append(got, line)
		}
		want := []string{" manager closed", "Principale principal active", "Opérateur operator inactive invitation"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("accounts (-want +got):\n%s", diff)
		}
		if p, ok := f.Principal(); !ok || p.ID != pc.principal.ID {
			t.Errorf("Principal() = %+v, %v", p, ok)
		}
		if _, ok := f.OpenManager(); ok {
			t.Errorf("OpenManager() found the closed manager")
		}
		for _, a := range f.Accounts {
			if a.ID == op.ID && (a.Link == nil || !a.Link.ExpiresAt.Equal(s.Now().Add(linkTTL).Truncate(time.Second))) {
				t.Errorf("operator's link: %+v", a.Link)
			}
		}
		if _, err := s.GetCollectivityFile(ctx, 99999); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown CT: %v, want ErrNotFound", err)
		}
	})
}

func TestResendManagerCodes(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		staff, ctx := createStaff(t, s, "Claire", "Roux")
		f := createCT(t, s, "Commune de Cholet", false)
		tok := auth.NewToken()
		expiry := s.Now().Add(linkTTL)
		compose := func(ct domain.Collectivity, acc domain.Account) (mail.Message, error) {
			return mail.Message{MessageID: "<codes-again@test>", To: acc.Email, Subject: subjectStaffCodes,
				Text: ct.Name + " : " + acc.Login + "\n", HTML: "<p>codes</p>"}, nil
		}
		before := len(outboxRows(t, s))
		acc, err := s.ResendManagerCodes(ctx, f.ct.ID, staff.ID, tok.Hash, expiry, compose)
		if err != nil {
			t.Fatalf("ResendManagerCodes: %v", err)
		}
		if acc.ID != f.acc.ID || acc.PasswordHash != "" {
			t.Errorf("account %+v", acc)
		}
		if linkAlive(t, s, f.link, PurposePassword) {
			t.Errorf("the first codes link still works")
		}
		if !linkAlive(t, s, tok, PurposePassword) {
			t.Errorf("the new codes link does not work")
		}
		rows := outboxRows(t, s)[before:]
		if len(rows) != 1 || rows[0].To != f.acc.Email || rows[0].Text != "Commune de Cholet : "+f.acc.Login+"\n" || !rows[0].ExpiresAt.Equal(expiry) {
			t.Errorf("e-mails: %+v", rows)
		}
		if diff := cmp.Diff([]string{"Claire Roux a renvoyé les codes de connexion du gestionnaire CT []"}, journalLines(t, s, f.ct.ID)); diff != "" {
			t.Errorf("journal (-want +got):\n%s", diff)
		}

		// Refused: by a CT's account, and once the manager is closed.
		pc := setupPrincipal(t, s, "Commune d'Angers")
		before = len(outboxRows(t, s))
		if _, err := s.ResendManagerCodes(ctx, f.ct.ID, pc.principal.ID, auth.NewToken().Hash, expiry, compose); !errors.Is(err, ErrNotStaff) {
			t.Errorf("by a principal: %v, want ErrNotStaff", err)
		}
		if _, err := s.ResendManagerCodes(ctx, pc.ct.ID, staff.ID, auth.NewToken().Hash, expiry, compose); !errors.Is(err, ErrNoOpenManager) {
			t.Errorf("closed manager: %v, want ErrNoOpenManager", err)
		}
		if _, err := s.ResendManagerCodes(ctx, 99999, staff.ID, auth.NewToken().Hash, expiry, compose); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown CT: %v, want ErrNotFound", err)
		}
		if n := len(outboxRows(t, s)); n != before {
			t.Errorf("%d e-mails queued by refused resends", n-before)
		}
		if !linkAlive(t, s, tok, PurposePassword) {
			t.Errorf("a refused resend killed the link")
		}
	})
}

func TestRenameCollectivity(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		staff, ctx := createStaff(t, s, "Claire", "Roux")
		f := createCT(t, s, "Commune de Cholet", true)
		createCT(t, s, "Commune d'Angers", true)
		ct, err := s.RenameCollectivity(ctx, f.ct.ID, staff.ID, "  Ville   de Cholet ")
		if err != nil || ct.Name != "Ville de Cholet" {
			t.Fatalf("RenameCollectivity = %+v, %v", ct, err)
		}
		if got, _ := s.GetCollectivity(ctx, f.ct.ID); got.Name != "Ville de Cholet" {
			t.Errorf("stored name %q", got.Name)
		}
		// Its own name in other letters is no clash.
		if _, err := s.RenameCollectivity(ctx, f.ct.ID, staff.ID, "VILLE DE CHOLET"); err != nil {
			t.Errorf("same name in capitals: %v", err)
		}
		if _, err := s.RenameCollectivity(ctx, f.ct.ID, staff.ID, "commune d'angers"); !errors.Is(err, domain.ErrCollectivityNameTaken) {
			t.Errorf("taken name: %v", err)
		}
		var derr *domain.Error
		if _, err := s.RenameCollectivity(ctx, f.ct.ID, staff.ID, "  "); !errors.As(err, &derr) || derr.Field != domain.FieldName {
			t.Errorf("empty name: %v", err)
		}
		if _, err := s.RenameCollectivity(ctx, f.ct.ID, f.acc.ID, "Mairie de Cholet"); !errors.Is(err, ErrNotStaff) {
			t.Errorf("by the CT's manager: %v, want ErrNotStaff", err)
		}
		if _, err := s.RenameCollectivity(context.Background(), f.ct.ID, staff.ID, "Mairie de Cholet"); !errors.Is(err, ErrNoActor) {
			t.Errorf("without an actor: %v, want ErrNoActor", err)
		}
		if got, _ := s.GetCollectivity(ctx, f.ct.ID); got.Name != "VILLE DE CHOLET" {
			t.Errorf("after refusals, name %q", got.Name)
		}
		want := []string{
			"Claire Roux a renommé la collectivité « Commune de Cholet » en « Ville de Cholet » [nom]",
			"Claire Roux a renommé la collectivité « Ville de Cholet » en « VILLE DE CHOLET » [nom]",
		}
		if diff := cmp.Diff(want, journalLines(t, s, f.ct.ID)); diff != "" {
			t.Errorf("journal (-want +got):\n%s", diff)
		}
	})
}

func TestDesignateForCollectivity(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		staff, ctx := createStaff(t, s, "Claire", "Roux")
		pc := setupPrincipal(t, s, "Commune de Cholet")
		op := addActiveOperator(t, s, pc, "Olivier", "Opérateur", ouiOui)
		invited, _ := createOperator(t, s, pc, "Inès", "Invitée", ouiOui, s.Now().Add(linkTTL))
		mails := StaffDesignationMails{
			Designation: func(ct domain.Collectivity, d domain.Designation) (mail.Message, error) {
				return composeDesignationMail(nil)(d)
			},
			Told: func(ct domain.Collectivity, d domain.Designation, former, to domain.Account) (mail.Message, error) {
				return mail.Message{MessageID: "<told-" + to.Login + "@test>", To: to.Email, Subject: subjectToldMail,
					Text: ct.Name + " : " + d.FullName() + " à la place de " + former.FullName() + "\n", HTML: "<p>told</p>"}, nil
			},
			Replaced: func(ct domain.Collectivity, d domain.Designation) (mail.Message, error) {
				return composeWithdrawnMail(d)
			},
		}
		// The principal had designated someone who never answered.
		designate(t, s, pc.ct.ID, pc.principal.ID, newDesignation(personFiche("Paul", "Silencieux", "cholet.fr"), ouiOui))
		before := len(outboxRows(t, s))
		tok := auth.NewToken()
		d, err := s.DesignateForCollectivity(ctx, pc.ct.ID, staff.ID, newDesignation(personFiche("Nina", "Nouvelle", "cholet.fr"), ouiOui),
			tok.Hash, s.Now().Add(linkTTL), mails)
		if err != nil {
			t.Fatalf("DesignateForCollectivity: %v", err)
		}
		if d.DesignatedBy != staff.ID || d.State != domain.DesignationPending {
			t.Errorf("designation %+v", d)
		}
		var got []string
		for _, r := range outboxRows(t, s)[before:] {
			got = append(got, r.Subject+" → "+r.To)
		}
		want := []string{
			subjectWithdrawnMail + " → paul.silencieux@cholet.fr",
			subjectDesignationMail + " → nina.nouvelle@cholet.fr",
			subjectToldMail + " → " + pc.principal.Email,
			subjectToldMail + " → " + op.Email,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("e-mails (-want +got):\n%s", diff)
		}
		_ = invited
		if lines := journalLines(t, s, pc.ct.ID); len(lines) != 1 || !strings.HasPrefix(lines[0], "Claire Roux a désigné Nina Nouvelle comme gestionnaire principal CT à la place de Paule Principale [civilité") {
			t.Errorf("journal: %q", lines)
		}
		// The designated person accepts by link as usual: the principal who left becomes an operator.
		_, p, _ := acceptDesignation(t, s, tok, "")
		if p.Role != domain.RolePrincipal || p.Email != "nina.nouvelle@cholet.fr" {
			t.Errorf("new principal %+v", p)
		}
		if former, _ := s.GetAccount(ctx, pc.ct.ID, pc.principal.ID); former.Role != domain.RoleOperator {
			t.Errorf("former principal is %s, want operator", former.Role)
		}

		// Refused: a CT still run by its historical manager, a CT's account acting, nobody acting.
		m := createCT(t, s, "Commune d'Angers", true)
		before = len(outboxRows(t, s))
		d2 := newDesignation(personFiche("Zoé", "Zèbre", "angers.fr"), ouiOui)
		if _, err := s.DesignateForCollectivity(ctx, m.ct.ID, staff.ID, d2, auth.NewToken().Hash, s.Now().Add(linkTTL), mails); !errors.Is(err, ErrNoPrincipal) {
			t.Errorf("manager's CT: %v, want ErrNoPrincipal", err)
		}
		if _, err := s.DesignateForCollectivity(ctx, pc.ct.ID, p.ID, d2, auth.NewToken().Hash, s.Now().Add(linkTTL), mails); !errors.Is(err, ErrNotStaff) {
			t.Errorf("by the principal: %v, want ErrNotStaff", err)
		}
		if _, err := s.DesignateForCollectivity(context.Background(), pc.ct.ID, staff.ID, d2, auth.NewToken().Hash, s.Now().Add(linkTTL), mails); !errors.Is(err, ErrNoActor) {
			t.Errorf("nobody acting: %v, want ErrNoActor", err)
		}
		// An operator of another CT is not designable.
		d3 := d2
		d3.TargetAccount = op.ID
		if _, err := s.DesignateForCollectivity(ctx, m.ct.ID, staff.ID, d3, auth.NewToken().Hash, s.Now().Add(linkTTL), mails); err == nil {
			t.Errorf("another CT's operator designated")
		}
		if n := len(outboxRows(t, s)); n != before {
			t.Errorf("%d e-mails queued by refusals", n-before)
		}
		if _, err := s.GetPendingDesignation(ctx, pc.ct.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("pending designation after refusals: %v", err)
		}
	})
}
