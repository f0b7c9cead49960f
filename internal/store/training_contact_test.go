package store

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"iel/internal/domain"
)

func anneMoreau() domain.TrainingContact {
	return domain.TrainingContact{Fiche: domain.Fiche{Civility: domain.Madame, LastName: " Moreau ", FirstName: "Anne",
		Function: "Responsable formation", Email: "a.moreau@Cholet.EXAMPLE.fr", Phone: "02 41 49 25 10"}, Perimeter: " Filière technique "}
}

func TestTrainingContacts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		other := createCT(t, s, "Commune d'Angers", true)

		if got, err := s.ListTrainingContacts(ctx, f.ct.ID); err != nil || len(got) != 0 {
			t.Fatalf("ListTrainingContacts of a new CT = %v, %v", got, err)
		}
		anne, err := s.CreateTrainingContact(ctx, f.ct.ID, anneMoreau())
		if err != nil {
			t.Fatalf("CreateTrainingContact: %v", err)
		}
		want := domain.TrainingContact{ID: anne.ID, CollectivityID: f.ct.ID, Fiche: domain.Fiche{Civility: domain.Madame, LastName: "Moreau",
			FirstName: "Anne", Function: "Responsable formation", Email: "a.moreau@cholet.example.fr", Phone: "0241492510"}, Perimeter: "Filière technique"}
		if diff := cmp.Diff(want, anne); diff != "" || anne.ID == 0 {
			t.Errorf("created (-want +got):\n%s", diff)
		}
		if got, err := s.GetTrainingContact(ctx, f.ct.ID, anne.ID); err != nil || !cmp.Equal(want, got) {
			t.Errorf("GetTrainingContact = %+v, %v; want %+v", got, err, want)
		}
		hugo, err := s.CreateTrainingContact(ctx, f.ct.ID, domain.TrainingContact{Fiche: domain.Fiche{Civility: domain.Monsieur,
			LastName: "Roux", FirstName: "Hugo", Email: "h.roux@cholet.example.fr"}})
		if err != nil {
			t.Fatalf("CreateTrainingContact without fonction nor téléphone: %v", err)
		}
		// The same person may be a correspondant of another CT too.
		theirs, err := s.CreateTrainingContact(ctx, other.ct.ID, anneMoreau())
		if err != nil {
			t.Fatalf("CreateTrainingContact in another CT: %v", err)
		}
		got, err := s.ListTrainingContacts(ctx, f.ct.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]domain.TrainingContact{want, hugo}, got); diff != "" {
			t.Errorf("ListTrainingContacts (-want +got):\n%s", diff)
		}
		if n, err := s.CountTrainingContacts(ctx, f.ct.ID); err != nil || n != 2 {
			t.Errorf("CountTrainingContacts = %d, %v; want 2", n, err)
		}

		change := want
		change.Function, change.Phone, change.Perimeter = "DRH", "", "Toutes filières"
		if err := s.UpdateTrainingContact(ctx, f.ct.ID, change); err != nil {
			t.Fatalf("UpdateTrainingContact: %v", err)
		}
		if got, _ := s.GetTrainingContact(ctx, f.ct.ID, anne.ID); !cmp.Equal(change, got) {
			t.Errorf("after update: %s", cmp.Diff(change, got))
		}

		// Another CT's id is not found, for reading, changing or deleting,
		// and stays as it was.
		if _, err := s.GetTrainingContact(ctx, f.ct.ID, theirs.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("GetTrainingContact of another CT: %v, want ErrNotFound", err)
		}
		intrusion := change
		intrusion.ID = theirs.ID
		if err := s.UpdateTrainingContact(ctx, f.ct.ID, intrusion); !errors.Is(err, ErrNotFound) {
			t.Errorf("UpdateTrainingContact of another CT: %v, want ErrNotFound", err)
		}
		if err := s.DeleteTrainingContact(ctx, f.ct.ID, theirs.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("DeleteTrainingContact of another CT: %v, want ErrNotFound", err)
		}
		if got, err := s.GetTrainingContact(ctx, other.ct.ID, theirs.ID); err != nil || !cmp.Equal(theirs, got) {
			t.Errorf("the other CT's correspondant changed: %+v, %v", got, err)
		}

		if err := s.DeleteTrainingContact(ctx, f.ct.ID, anne.ID); err != nil {
			t.Fatalf("DeleteTrainingContact: %v", err)
		}
		if _, err := s.GetTrainingContact(ctx, f.ct.ID, anne.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted correspondant: %v, want ErrNotFound", err)
		}
		if err := s.DeleteTrainingContact(ctx, f.ct.ID, anne.ID); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleting twice: %v, want ErrNotFound", err)
		}
		if err := s.UpdateTrainingContact(ctx, f.ct.ID, change); !errors.Is(err, ErrNotFound) {
			t.Errorf("updating a deleted correspondant: %v, want ErrNotFound", err)
		}
		if _, err := s.CreateTrainingContact(ctx, 999999, anneMoreau()); !errors.Is(err, ErrNotFound) {
			t.Errorf("CreateTrainingContact in no CT: %v, want ErrNotFound", err)
		}
	})
}

// TestTrainingContactRefused: the store checks the rules again and writes
// nothing of a refused correspondant.
func TestTrainingContactRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		anne, err := s.CreateTrainingContact(ctx, f.ct.ID, anneMoreau())
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			change func(*domain.TrainingContact)
			field  domain.Field
		}{
			{"no civility", func(c *domain.TrainingContact) { c.Civility = "" }, domain.FieldCivility},
			{"bad courriel", func(c *domain.TrainingContact) { c.Email = "anne@" }, domain.FieldEmail},
			{"short phone", func(c *domain.TrainingContact) { c.Phone = "0241" }, domain.FieldPhone},
			{"control character in the périmètre", func(c *domain.TrainingContact) { c.Perimeter = "Fili\x07ère" }, domain.FieldPerimeter},
		}
		for _, tt := range tests {
			in := anneMoreau()
			in.FirstName = "Annie"
			tt.change(&in)
			_, err := s.CreateTrainingContact(ctx, f.ct.ID, in)
			var derr *domain.Error
			if !errors.As(err, &derr) || derr.Kind != domain.Invalid || derr.Field != tt.field {
				t.Errorf("%s: create: %v, want an Invalid error on %s", tt.name, err, tt.field)
			}
			in.ID = anne.ID
			err = s.UpdateTrainingContact(ctx, f.ct.ID, in)
			if !errors.As(err, &derr) || derr.Kind != domain.Invalid || derr.Field != tt.field {
				t.Errorf("%s: update: %v, want an Invalid error on %s", tt.name, err, tt.field)
			}
		}
		if got, _ := s.ListTrainingContacts(ctx, f.ct.ID); !cmp.Equal([]domain.TrainingContact{anne}, got) {
			t.Errorf("the refused changes wrote: %+v", got)
		}
	})
}

// TestTrainingContactSamePerson: one person is one correspondant of a CT,
// by addition, by change, and between two additions at once.
func TestTrainingContactSamePerson(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		if _, err := s.CreateTrainingContact(ctx, f.ct.ID, anneMoreau()); err != nil {
			t.Fatal(err)
		}
		again := anneMoreau()
		again.LastName, again.Email, again.Function = "MOREAU", "A.Moreau@cholet.example.fr", "Autre fonction"
		_, err := s.CreateTrainingContact(ctx, f.ct.ID, again)
		wantDomainError(t, err, domain.Conflict, "déjà un correspondant formation")

		hugo, err := s.CreateTrainingContact(ctx, f.ct.ID, domain.TrainingContact{Fiche: domain.Fiche{Civility: domain.Monsieur,
			LastName: "Roux", FirstName: "Hugo", Email: "h.roux@cholet.example.fr"}})
		if err != nil {
			t.Fatal(err)
		}
		again.ID = hugo.ID
		err = s.UpdateTrainingContact(ctx, f.ct.ID, again)
		wantDomainError(t, err, domain.Conflict, "déjà un correspondant formation")
		if got, _ := s.GetTrainingContact(ctx, f.ct.ID, hugo.ID); !cmp.Equal(hugo, got) {
			t.Errorf("the refused change wrote: %+v", got)
		}

		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Go(func() {
				_, errs[i] = s.CreateTrainingContact(ctx, f.ct.ID, domain.TrainingContact{Fiche: domain.Fiche{Civility: domain.Madame,
					LastName: "Petit", FirstName: "Léa", Email: "l.petit@cholet.example.fr"}})
			})
		}
		wg.Wait()
		created := 0
		for _, err := range errs {
			var derr *domain.Error
			switch {
			case err == nil:
				created++
			case errors.As(err, &derr) && derr == domain.ErrSameContact:
			default:
				t.Errorf("concurrent addition: %v", err)
			}
		}
		if created != 1 {
			t.Errorf("%d additions of one person succeeded, want 1", created)
		}
		if n, _ := s.CountTrainingContacts(ctx, f.ct.ID); n != 3 {
			t.Errorf("%d correspondants, want 3", n)
		}
	})
}

// TestTrainingContactsBound: a CT lists at most MaxTrainingContacts
// correspondants, also when they are added at once.
func TestTrainingContactsBound(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := testCtx()
		f := createCT(t, s, "Commune de Cholet", true)
		contact := func(i int) domain.TrainingContact {
			return domain.TrainingContact{Fiche: domain.Fiche{Civility: domain.Madame, LastName: "Agent", FirstName: fmt.Sprint(i),
				Email: fmt.Sprintf("agent%d@cholet.example.fr", i)}}
		}
		for i := range domain.MaxTrainingContacts - 3 {
			if _, err := s.CreateTrainingContact(ctx, f.ct.ID, contact(i)); err != nil {
				t.Fatalf("contact %d: %v", i, err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Go(func() { _, errs[i] = s.CreateTrainingContact(ctx, f.ct.ID, contact(1000+i)) })
		}
		wg.Wait()
		refused := 0
		for _, err := range errs {
			var derr *domain.Error
			switch {
			case err == nil:
			case errors.As(err, &derr) && derr == domain.ErrTooManyContacts:
				refused++
			default:
				t.Errorf("addition near the bound: %v", err)
			}
		}
		if n, _ := s.CountTrainingContacts(ctx, f.ct.ID); n != domain.MaxTrainingContacts || refused != 3 {
			t.Errorf("%d correspondants and %d refusals, want %d and 3", n, refused, domain.MaxTrainingContacts)
		}
		_, err := s.CreateTrainingContact(ctx, f.ct.ID, contact(2000))
		wantDomainError(t, err, domain.Conflict, "déjà 100 correspondants")
		// Another CT has its own count.
		g := createCT(t, s, "Commune d'Angers", true)
		if _, err := s.CreateTrainingContact(ctx, g.ct.ID, contact(1)); err != nil {
			t.Errorf("another CT: %v", err)
		}
	})
}
