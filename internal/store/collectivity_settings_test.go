package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
)

func intPtr(n int) *int { return &n }

// choletSettings are valid coordinates, as a person types them.
func choletSettings() domain.CollectivitySettings {
	return domain.CollectivitySettings{SIRET: "214 900 995 00017", Kind: domain.KindCommune,
		Address: domain.Address{Street: "Place Jean-Moulin", Complement: "BP 32135", Postcode: "49321", City: "Cholet"},
		Phone:   "02 41 49 25 00", Headcount: intPtr(1450)}
}

func TestCollectivitySettings(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		other := createCT(t, s, "Commune d'Angers", true)

		// A CT starts with its name and nothing else.
		got, err := s.GetCollectivitySettings(ctx, f.ct.ID)
		if err != nil {
			t.Fatalf("GetCollectivitySettings: %v", err)
		}
		if diff := cmp.Diff(domain.CollectivitySettings{Name: "Commune de Cholet"}, got); diff != "" {
			t.Errorf("new CT's settings (-want +got):\n%s", diff)
		}

		in := choletSettings()
		in.Name = "Un autre nom"
		if err := s.UpdateCollectivitySettings(ctx, f.ct.ID, in); err != nil {
			t.Fatalf("UpdateCollectivitySettings: %v", err)
		}
		want := domain.CollectivitySettings{Name: "Commune de Cholet", SIRET: "21490099500017", Kind: domain.KindCommune,
			Address: domain.Address{Street: "Place Jean-Moulin", Complement: "BP 32135", Postcode: "49321", City: "Cholet"},
			Phone:   "0241492500", Headcount: intPtr(1450)}
		got, err = s.GetCollectivitySettings(ctx, f.ct.ID)
		if err != nil {
			t.Fatalf("GetCollectivitySettings: %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("saved settings (-want +got):\n%s", diff)
		}
		// The name is not this page's to change, and the other CT is untouched.
		if ct, _ := s.GetCollectivity(ctx, f.ct.ID); ct.Name != "Commune de Cholet" {
			t.Errorf("name changed to %q", ct.Name)
		}
		if o, _ := s.GetCollectivitySettings(ctx, other.ct.ID); !cmp.Equal(o, domain.CollectivitySettings{Name: "Commune d'Angers"}) {
			t.Errorf("the other CT changed: %+v", o)
		}

		// Emptying the optional fields empties them; the headcount becomes unknown.
		in = choletSettings()
		in.Address, in.Phone, in.Headcount = domain.Address{}, "", nil
		if err := s.UpdateCollectivitySettings(ctx, f.ct.ID, in); err != nil {
			t.Fatalf("UpdateCollectivitySettings: %v", err)
		}
		want.Address, want.Phone, want.Headcount = domain.Address{}, "", nil
		if got, _ := s.GetCollectivitySettings(ctx, f.ct.ID); !cmp.Equal(want, got) {
			t.Errorf("after emptying: %s", cmp.Diff(want, got))
		}
		in.Headcount = intPtr(0)
		if err := s.UpdateCollectivitySettings(ctx, f.ct.ID, in); err != nil {
			t.Fatalf("UpdateCollectivitySettings: %v", err)
		}
		if got, _ := s.GetCollectivitySettings(ctx, f.ct.ID); got.Headcount == nil || *got.Headcount != 0 {
			t.Errorf("headcount 0 read back as %v", got.Headcount)
		}

		if _, err := s.GetCollectivitySettings(ctx, 999999); !errors.Is(err, ErrNotFound) {
			t.Errorf("GetCollectivitySettings(unknown) = %v, want ErrNotFound", err)
		}
		if err := s.UpdateCollectivitySettings(ctx, 999999, choletSettings()); !errors.Is(err, ErrNotFound) {
			t.Errorf("UpdateCollectivitySettings(unknown) = %v, want ErrNotFound", err)
		}
	})
}

// TestCollectivitySettingsRefused: the store checks the rules again, and
// a refused change writes nothing, not even its valid fields.
func TestCollectivitySettingsRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		if err := s.UpdateCollectivitySettings(ctx, f.ct.ID, choletSettings()); err != nil {
			t.Fatal(err)
		}
		before, _ := s.GetCollectivitySettings(ctx, f.ct.ID)
		tests := []struct {
			name   string
			change func(*domain.CollectivitySettings)
			field  domain.Field
		}{
			{"bad SIRET key", func(cs *domain.CollectivitySettings) { cs.SIRET = "21490099500018" }, domain.FieldSIRET},
			{"no kind", func(cs *domain.CollectivitySettings) { cs.Kind = "" }, domain.FieldKind},
			{"postcode of 4 digits", func(cs *domain.CollectivitySettings) { cs.Postcode = "4932" }, domain.FieldPostcode},
			{"control character in the street", func(cs *domain.CollectivitySettings) { cs.Street = "Place\x00" }, domain.FieldStreet},
			{"headcount too large", func(cs *domain.CollectivitySettings) { cs.Headcount = intPtr(domain.MaxHeadcount + 1) }, domain.FieldHeadcount},
		}
		for _, tt := range tests {
			in := domain.CollectivitySettings{SIRET: "22490001900015", Kind: domain.KindDepartement,
				Address: domain.Address{Street: "Place Michel-Debré", Postcode: "49100", City: "Angers"}, Phone: "0241818181", Headcount: intPtr(4000)}
			tt.change(&in)
			err := s.UpdateCollectivitySettings(ctx, f.ct.ID, in)
			var derr *domain.Error
			if !errors.As(err, &derr) || derr.Kind != domain.Invalid || derr.Field != tt.field {
				t.Errorf("%s: error %v, want an Invalid error on %s", tt.name, err, tt.field)
			}
			if after, _ := s.GetCollectivitySettings(ctx, f.ct.ID); !cmp.Equal(before, after) {
				t.Errorf("%s: the refused change wrote (-before +after):\n%s", tt.name, cmp.Diff(before, after))
			}
		}
	})
}

// TestCollectivitySettingsSIRETTaken: two CTs never hold the same SIRET,
// however it was typed; a CT saves its own SIRET again freely.
func TestCollectivitySettingsSIRETTaken(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		other := createCT(t, s, "Commune d'Angers", true)
		if err := s.UpdateCollectivitySettings(ctx, f.ct.ID, choletSettings()); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateCollectivitySettings(ctx, f.ct.ID, choletSettings()); err != nil {
			t.Fatalf("saving one's own SIRET again: %v", err)
		}
		in := choletSettings()
		in.SIRET = "21490099500017" // the same, typed without spaces
		err := s.UpdateCollectivitySettings(ctx, other.ct.ID, in)
		wantDomainError(t, err, domain.Conflict, "déjà enregistrée avec ce SIRET")
		if got, _ := s.GetCollectivitySettings(ctx, other.ct.ID); got.SIRET != "" {
			t.Errorf("the other CT holds %q", got.SIRET)
		}
		// Another establishment of the same SIREN is another SIRET.
		in.SIRET = "214 900 995 00025"
		if err := s.UpdateCollectivitySettings(ctx, other.ct.ID, in); err != nil {
			t.Errorf("another NIC: %v", err)
		}
		// The database's index holds even when the code does not look.
		_, err = s.db.ExecContext(ctx, `UPDATE collectivities SET siret = $1 WHERE id = $2`, "21490099500017", other.ct.ID)
		if !errors.Is(translate(err), ErrConflict) {
			t.Errorf("duplicate SIRET written directly: %v, want ErrConflict", err)
		}
		for _, q := range []string{
			`UPDATE collectivities SET kind = 'mairie' WHERE id = $1`,
			`UPDATE collectivities SET siret = '2149009950001' WHERE id = $1`,
			`UPDATE collectivities SET postcode = '4932' WHERE id = $1`,
			`UPDATE collectivities SET headcount = -1 WHERE id = $1`,
		} {
			if _, err := s.db.ExecContext(ctx, q, other.ct.ID); !errors.Is(translate(err), ErrConflict) {
				t.Errorf("%s: %v, want ErrConflict", q, err)
			}
		}
	})
}

// TestCollectivitySettingsConcurrent: people saving the page at once each
// write a whole page; the last one wins, and no page is half another's.
func TestCollectivitySettingsConcurrent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		pages := make([]domain.CollectivitySettings, 6)
		for i := range pages {
			pages[i] = domain.CollectivitySettings{SIRET: "21490099500017", Kind: domain.CollectivityKinds[i],
				Address: domain.Address{Street: fmt.Sprintf("%d rue de la Paix", i+1), Complement: fmt.Sprintf("Bâtiment %d", i+1),
					Postcode: fmt.Sprintf("4930%d", i), City: fmt.Sprintf("Cholet %d", i+1)},
				Phone: fmt.Sprintf("024149250%d", i), Headcount: intPtr(100 * (i + 1))}
		}
		var wg sync.WaitGroup
		errs := make([]error, len(pages)*5)
		for i := range errs {
			wg.Go(func() { errs[i] = s.UpdateCollectivitySettings(ctx, f.ct.ID, pages[i%len(pages)]) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("concurrent saves: %v", err)
		}
		got, err := s.GetCollectivitySettings(ctx, f.ct.ID)
		if err != nil {
			t.Fatal(err)
		}
		got.Name = ""
		for _, p := range pages {
			if cmp.Equal(p, got) {
				return
			}
		}
		t.Errorf("the settings are a mix of several pages: %+v", got)
	})
}

func TestGetCollectivityByName(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		got, err := s.GetCollectivityByName(ctx, "  commune de   CHOLET")
		if err != nil || got != f.ct {
			t.Errorf("GetCollectivityByName = %+v, %v; want %+v", got, err, f.ct)
		}
		if _, err := s.GetCollectivityByName(ctx, "Commune d'Angers"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown name: %v, want ErrNotFound", err)
		}
	})
}
