package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"iel/internal/mail"
)

// enqueue writes m to the outbox in the caller's transaction, with its
// attachments: the e-mail exists if and only if the change that causes it
// is committed.
func enqueue(ctx context.Context, tx *sql.Tx, m mail.Message, now int64) error {
	const q = `INSERT INTO outbox (message_id, mail_from, to_addr, subject, text_body, html_body, expires_at, created_at, next_attempt_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`
	var id int64
	err := tx.QueryRowContext(ctx, q, m.MessageID, m.From, m.To, m.Subject, m.Text, m.HTML, nullTime(m.ExpiresAt), now).Scan(&id)
	if err != nil {
		return fmt.Errorf("enqueue mail: %w", err)
	}
	const qa = `INSERT INTO outbox_attachments (outbox_id, position, filename, content_type, data) VALUES ($1, $2, $3, $4, $5)`
	for i, a := range m.Attachments {
		if _, err := tx.ExecContext(ctx, qa, id, i, a.Filename, a.ContentType, a.Data); err != nil {
			return fmt.Errorf("enqueue mail: attachment %s: %w", a.Filename, err)
		}
	}
	return nil
}

// attachments loads the attachments of the outbox's e-mails ids, in order.
func attachments(ctx context.Context, q querier, ids ...int64) (map[int64][]mail.Attachment, error) {
	out := map[int64][]mail.Attachment{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for i, id := range ids {
		args[i], marks[i] = id, fmt.Sprintf("$%d", i+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT outbox_id, filename, content_type, data FROM outbox_attachments
		WHERE outbox_id IN (`+strings.Join(marks, ", ")+`) ORDER BY outbox_id, position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a mail.Attachment
		if err := rows.Scan(&id, &a.Filename, &a.ContentType, &a.Data); err != nil {
			return nil, err
		}
		out[id] = append(out[id], a)
	}
	return out, rows.Err()
}

// enqueueLink queues the e-mail compose renders for v, whose link works
// until expiry (zero: no link): the worker never sends it after that.
func enqueueLink[T any](ctx context.Context, tx *sql.Tx, compose func(T) (mail.Message, error), v T, expiry time.Time, now int64) error {
	m, err := compose(v)
	if err != nil {
		return err
	}
	m.ExpiresAt = expiry
	return enqueue(ctx, tx, m, now)
}

const outboxColumns = `id, message_id, mail_from, to_addr, subject, text_body, html_body, expires_at, attempts`

func scanOutbox(row scanner) (mail.Pending, error) {
	var p mail.Pending
	var exp sql.NullInt64
	err := row.Scan(&p.ID, &p.MessageID, &p.From, &p.To, &p.Subject, &p.Text, &p.HTML, &exp, &p.Attempts)
	p.ExpiresAt = fromUnix(exp)
	return p, err
}

// ClaimDue implements mail.Queue: it takes up to n due messages and pushes
// their next attempt past the lease so that another worker (another
// process on the same database) leaves them alone meanwhile. The outer
// condition on next_attempt_at is checked again on PostgreSQL against a row
// a concurrent worker just claimed, so a message is never taken twice.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, n int, lease time.Duration) ([]mail.Pending, error) {
	const q = `UPDATE outbox SET next_attempt_at = $3
		WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $2)
		AND sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
		RETURNING ` + outboxColumns
	var out []mail.Pending
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, q, now.Unix(), n, now.Add(lease).Unix())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			p, err := scanOutbox(rows)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		ids := make([]int64, len(out))
		for i, p := range out {
			ids[i] = p.ID
		}
		files, err := attachments(ctx, tx, ids...)
		for i := range out {
			out[i].Attachments = files[out[i].ID]
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim due mail: %w", err)
	}
	return out, nil
}

// MarkSent implements mail.Queue. Once delivered, the bodies (and the
// links in them) and the attachments leave the database: only the hashes
// of links stay, and the documents can be made again from the stored data.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time) error {
	const q = `UPDATE outbox SET sent_at = $2, attempts = attempts + 1, text_body = '', html_body = '', last_error = '' WHERE id = $1`
	return s.outboxDone(ctx, "mark sent", id, q, id, at.Unix())
}

// MarkRetry implements mail.Queue.
func (s *Store) MarkRetry(ctx context.Context, id int64, next time.Time, reason string) error {
	const q = `UPDATE outbox SET next_attempt_at = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1`
	return s.outboxExec(ctx, "mark retry", q, id, next.Unix(), reason)
}

// MarkFailed implements mail.Queue.
func (s *Store) MarkFailed(ctx context.Context, id int64, at time.Time, reason string) error {
	const q = `UPDATE outbox SET failed_at = $2, attempts = attempts + 1, last_error = $3, text_body = '', html_body = '' WHERE id = $1`
	return s.outboxDone(ctx, "mark failed", id, q, id, at.Unix(), reason)
}

// outboxDone runs q, which ends the life of e-mail id, and deletes its
// attachments in the same transaction.
func (s *Store) outboxDone(ctx context.Context, op string, id int64, q string, args ...any) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM outbox_attachments WHERE outbox_id = $1`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: %s: %w", op, translate(err))
	}
	return nil
}

func (s *Store) outboxExec(ctx context.Context, op, q string, args ...any) error {
	if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("store: %s: %w", op, translate(err))
	}
	return nil
}

// OutboxMail is an e-mail of the outbox as the mail viewer shows it.
type OutboxMail struct {
	mail.Message
	CreatedAt time.Time
	SentAt    time.Time
	FailedAt  time.Time
	Attempts  int
	LastError string
}

// ListOutbox returns the newest e-mails first, at most limit.
func (s *Store) ListOutbox(ctx context.Context, limit int) ([]OutboxMail, error) {
	const q = `SELECT id, message_id, to_addr, subject, created_at, sent_at, failed_at, attempts, last_error
		FROM outbox ORDER BY id DESC LIMIT $1`
	rows, err := s.db.QueryContext(ctx, q, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list outbox: %w", translate(err))
	}
	defer rows.Close()
	var out []OutboxMail
	for rows.Next() {
		var m OutboxMail
		var created int64
		var sent, failed sql.NullInt64
		if err := rows.Scan(&m.ID, &m.MessageID, &m.To, &m.Subject, &created, &sent, &failed, &m.Attempts, &m.LastError); err != nil {
			return nil, fmt.Errorf("store: list outbox: %w", err)
		}
		m.CreatedAt, m.SentAt, m.FailedAt = time.Unix(created, 0), fromUnix(sent), fromUnix(failed)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list outbox: %w", err)
	}
	return out, nil
}

// GetOutbox returns one e-mail of the outbox, with its bodies.
func (s *Store) GetOutbox(ctx context.Context, id int64) (OutboxMail, error) {
	const q = `SELECT ` + outboxColumns + `, created_at FROM outbox WHERE id = $1`
	var m OutboxMail
	var exp sql.NullInt64
	var created int64
	err := s.db.QueryRowContext(ctx, q, id).Scan(&m.ID, &m.MessageID, &m.From, &m.To, &m.Subject, &m.Text, &m.HTML, &exp, &m.Attempts, &created)
	if err != nil {
		return m, fmt.Errorf("store: get outbox %d: %w", id, translate(err))
	}
	m.ExpiresAt, m.CreatedAt = fromUnix(exp), time.Unix(created, 0)
	files, err := attachments(ctx, s.db, id)
	if err != nil {
		return m, fmt.Errorf("store: get outbox %d: %w", id, err)
	}
	m.Attachments = files[id]
	return m, nil
}
