package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"iel/internal/mail"
)

// TestOutboxAttachments: the files of an e-mail are queued in the
// transaction of the change (a rollback leaves none), come back in order
// from ClaimDue and GetOutbox, byte for byte, and leave the database with
// the bodies once the e-mail is sent or given up.
func TestOutboxAttachments(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store, c *clock) {
		ctx := context.Background()
		pdf := []byte("%PDF-1.3\n\x00\xff\x80 binaire\n%%EOF\n")
		files := []mail.Attachment{
			{Filename: "convocation-INS-000001.pdf", ContentType: "application/pdf", Data: pdf},
			{Filename: "session « été ».ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: []byte("BEGIN:VCALENDAR\r\n")},
		}
		withFiles := testMessage(1)
		withFiles.Attachments = files
		id := queue(t, s, withFiles)
		plain := queue(t, s, testMessage(2))

		// A change that fails takes its e-mail and the files with it.
		rolledBack := testMessage(3)
		rolledBack.Attachments = files
		boom := errors.New("the change fails")
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if err := enqueue(ctx, tx, rolledBack, s.now()); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("inTx = %v", err)
		}
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM outbox_attachments`).Scan(&n); err != nil || n != 2 {
			t.Fatalf("%d attachment rows (%v), want the 2 of the committed e-mail", n, err)
		}

		got, err := s.GetOutbox(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if diff := gocmp.Diff(files, got.Attachments); diff != "" {
			t.Errorf("GetOutbox attachments (-want +got):\n%s", diff)
		}
		if got, _ := s.GetOutbox(ctx, plain); got.Attachments != nil {
			t.Errorf("an e-mail without files has %v", got.Attachments)
		}
		due, err := s.ClaimDue(ctx, c.Now(), 10, time.Minute)
		if err != nil || len(due) != 2 {
			t.Fatalf("ClaimDue = %v, %v", due, err)
		}
		for _, p := range due {
			want := []mail.Attachment(nil)
			if p.ID == id {
				want = files
			}
			if diff := gocmp.Diff(want, p.Attachments); diff != "" {
				t.Errorf("ClaimDue message %d attachments (-want +got):\n%s", p.ID, diff)
			}
		}

		failed := testMessage(4)
		failed.Attachments = files[:1]
		failedID := queue(t, s, failed)
		if err := s.MarkSent(ctx, id, c.Now()); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkFailed(ctx, failedID, c.Now(), "550 no such user"); err != nil {
			t.Fatal(err)
		}
		if err := s.db.QueryRow(`SELECT count(*) FROM outbox_attachments`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d attachment rows (%v) after sent and failed, want 0", n, err)
		}
	})
}
