package store

import (
	"database/sql"
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
)

// Migration 014 moves the two columns of preferences of accounts and
// designations into rows per training type, Oui and Non alike.
func TestMailPrefsMigration(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dsn := e.dsn(t)
			driver, raw := "sqlite", sqliteDSN(dsn)
			if e.name == "postgres" {
				driver, raw = "pgx", dsn
			}
			db, err := sql.Open(driver, raw)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			// The schema as it was before 014.
			if _, err := db.Exec(`CREATE TABLE schema_migrations (version TEXT PRIMARY KEY)`); err != nil {
				t.Fatal(err)
			}
			names := mustGlob(t, "migrations/"+e.name+"/*.sql")
			sort.Strings(names)
			for _, name := range names {
				version := strings.TrimSuffix(name[strings.LastIndexByte(name, '/')+1:], ".sql")
				if version >= "014" {
					break
				}
				text, err := migrations.ReadFile(name)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.Exec(string(text)); err != nil {
					t.Fatalf("%s: %v", version, err)
				}
				if _, err := db.Exec(`INSERT INTO schema_migrations (version) VALUES ($1)`, version); err != nil {
					t.Fatal(err)
				}
			}
			var ct int64
			if err := db.QueryRow(`INSERT INTO collectivities (name, name_key, email, created_at) VALUES ('Cholet', 'cholet', 'mairie@cholet.fr', 1) RETURNING id`).Scan(&ct); err != nil {
				t.Fatal(err)
			}
			old := []struct {
				login, role, state string
				integration, inter bool
			}{
				{"MANAGER001", "manager", "closed", true, true},
				{"PRINCIPAL1", "principal", "active", false, true},
				{"OPERATOR01", "operator", "active", true, false},
				{"OPERATOR02", "operator", "inactive", false, false},
			}
			for _, a := range old {
				if _, err := db.Exec(`INSERT INTO accounts (collectivity_id, login, role, state, email, mail_integration, mail_inter, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 1)`, ct, a.login, a.role, a.state, strings.ToLower(a.login)+"@cholet.fr", a.integration, a.inter); err != nil {
					t.Fatalf("account %s: %v", a.login, err)
				}
			}
			if _, err := db.Exec(`INSERT INTO accounts (login, role, state, email, created_at, updated_at) VALUES ('STAFF00001', 'staff', 'active', 'staff@cnfpt.fr', 1, 1)`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`INSERT INTO designations (collectivity_id, civility, last_name, first_name, function, email, phone,
				mail_integration, mail_inter, token_hash, state, created_at, sent_at, expires_at)
				VALUES ($1, 'Mme', 'Durand', 'Anne', 'DRH', 'anne@cholet.fr', '0241000000', TRUE, FALSE, 'hash', 'pending', 1, 1, 999999999999)`, ct); err != nil {
				t.Fatal(err)
			}
			db.Close()

			s, _ := openTest(t, dsn)
			ctx := testCtx()
			for _, a := range old {
				got, err := s.GetAccountByLogin(ctx, a.login)
				if err != nil {
					t.Fatal(err)
				}
				want := domain.MailPrefs{domain.Integration: a.integration, domain.Inter: a.inter}
				if !got.Prefs.Equal(want) {
					t.Errorf("%s: prefs = %v, want %v", a.login, got.Prefs, want)
				}
			}
			var rows, staffRows int
			if err := s.db.QueryRow(`SELECT count(*) FROM account_mail_prefs`).Scan(&rows); err != nil || rows != 2*len(old) {
				t.Errorf("account_mail_prefs rows = %d, %v; want %d (Oui and Non alike)", rows, err, 2*len(old))
			}
			if err := s.db.QueryRow(`SELECT count(*) FROM account_mail_prefs p JOIN accounts a ON a.id = p.account_id WHERE a.role = 'staff'`).Scan(&staffRows); err != nil || staffRows != 0 {
				t.Errorf("staff preference rows = %d, %v; want none", staffRows, err)
			}
			d, err := s.GetPendingDesignation(ctx, ct)
			if err != nil {
				t.Fatal(err)
			}
			if want := (domain.MailPrefs{domain.Integration: true}); !d.Prefs.Equal(want) {
				t.Errorf("designation prefs = %v, want %v", d.Prefs, want)
			}
			// The old columns are gone.
			if _, err := s.db.Exec(`UPDATE accounts SET mail_integration = FALSE`); err == nil {
				t.Errorf("accounts.mail_integration still exists")
			}
			if _, err := s.db.Exec(`UPDATE designations SET mail_inter = FALSE`); err == nil {
				t.Errorf("designations.mail_inter still exists")
			}
		})
	}
}

// A third training type is a row of training_types: the preferences store
// it for accounts and designations, the recipients rule checks it and
// Recipients routes it, with no code change.
func TestThirdTypePrefs(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		pc := setupPrincipal(t, s, "Commune de Cholet") // Oui/Oui for the notice's types; the manager closed
		if _, err := s.db.Exec(`INSERT INTO training_types (code, label, position) VALUES ('union', 'Formation union', 3)`); err != nil {
			t.Fatal(err)
		}
		union := domain.TrainingType("union")
		types, err := s.ListTrainingTypes(ctx)
		if err != nil || len(types) != 3 || types[2] != (TrainingTypeRow{Type: union, Label: "Formation union"}) {
			t.Fatalf("ListTrainingTypes = %v, %v", types, err)
		}
		// No one receives union yet: any change under the rule is refused, naming it.
		unionOnly := "documents de la formation union. Au moins"
		op, _ := createOperator(t, s, pc, "Olivier", "Petit", domain.MailPrefs{domain.Integration: false, domain.Inter: false, union: true}, s.Now().Add(linkTTL))
		if got, _ := s.GetOperator(ctx, pc.ct.ID, op.ID); !got.Prefs.Equal(domain.MailPrefs{union: true}) {
			t.Fatalf("operator prefs = %v, want union only", got.Prefs)
		}
		save := func(prefs domain.MailPrefs) error {
			return s.SaveOwnAccount(ctx, pc.ct.ID, pc.principal.ID, OwnAccountChange{Fiche: pc.principal.Fiche, Prefs: &prefs})
		}
		var derr *domain.Error
		if err := save(ouiOui); !errors.As(err, &derr) || !strings.Contains(derr.Message, unionOnly) {
			t.Fatalf("principal saving Oui/Oui and nothing for union = %v, want the rule naming union", err)
		}
		if err := save(domain.MailPrefs{domain.Integration: true, domain.Inter: true, union: true}); err != nil {
			t.Fatalf("principal saving Oui for all three: %v", err)
		}
		if got, _ := s.Recipients(ctx, pc.ct.ID, union); !cmp.Equal(got, []string{pc.principal.Email}) {
			t.Fatalf("Recipients(union) = %v, want the principal's", got)
		}
		// The operator active, the principal may leave union to it.
		op = addActiveOperator(t, s, pc, "Ivan", "Union", domain.MailPrefs{union: true})
		if err := save(ouiOui); err != nil {
			t.Fatalf("principal leaving union to an active operator: %v", err)
		}
		if got, _ := s.Recipients(ctx, pc.ct.ID, union); !cmp.Equal(got, []string{op.Email}) {
			t.Fatalf("Recipients(union) = %v, want the operator's only", got)
		}
		if err := s.DeleteOperator(ctx, pc.ct.ID, pc.principal.ID, op.ID, composeDeletedMail); !errors.As(err, &derr) || !strings.Contains(derr.Message, unionOnly) {
			t.Fatalf("deleting the last union recipient = %v, want the rule naming union", err)
		}
		// A designation offers the three answers; its new principal gets them.
		d := newDesignation(personFiche("Nina", "Nouvelle", "cholet.fr"), domain.MailPrefs{domain.Integration: true, domain.Inter: true, union: true})
		designate(t, s, pc.ct.ID, pc.principal.ID, d)
		got, err := s.GetPendingDesignation(ctx, pc.ct.ID)
		if err != nil || !got.Prefs.Equal(d.Prefs) {
			t.Fatalf("designation prefs = %v, %v; want %v", got.Prefs, err, d.Prefs)
		}
	})
}
