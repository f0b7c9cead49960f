package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"time"

	"iel/internal/domain"
)

// BilanFilter chooses the registrations a bilan counts: those of the CT
// CT (0: every CT, for staff) to sessions starting in Year (0: every year).
type BilanFilter struct {
	CT   int64
	Year int
}

// BilanRow is one line of the "Bilan formation": a year and a type.
type BilanRow struct {
	Year          int
	Type          domain.TrainingType
	Registrations int // inscriptions: every registration sent
	Accepted      int // acceptées: those that held a place (acceptée, présent, absent)
	Refused       int // refusées
	Present       int // présents
	Absent        int // absents
	Days          int // jours de formation: the days of the sessions attended, per agent present
}

// AttendanceRate is the "taux de présence": présents among those whose
// attendance was recorded, from 0 to 1; 0 when none was.
func (r BilanRow) AttendanceRate() float64 {
	if n := r.Present + r.Absent; n > 0 {
		return float64(r.Present) / float64(n)
	}
	return 0
}

// Bilan counts the registrations per year of the sessions' start and per
// type, years in order, types in the order of training_types.
func (s *Store) Bilan(ctx context.Context, f BilanFilter) ([]BilanRow, error) {
	const q = `SELECT s.starts_on, s.ends_on, s.type, t.position,
		count(*),
		sum(CASE WHEN r.state IN ('accepted', 'present', 'absent') THEN 1 ELSE 0 END),
		sum(CASE WHEN r.state = 'refused' THEN 1 ELSE 0 END),
		sum(CASE WHEN r.state = 'present' THEN 1 ELSE 0 END),
		sum(CASE WHEN r.state = 'absent' THEN 1 ELSE 0 END)
		FROM registrations r JOIN sessions s ON s.id = r.session_id JOIN training_types t ON t.code = s.type
		WHERE (r.collectivity_id = $1 OR $1 = 0) AND (s.starts_on >= $2 AND s.starts_on < $3)
		GROUP BY s.id, s.starts_on, s.ends_on, s.type, t.position`
	from, to := "0000-01-01", "9999-12-31"
	if f.Year != 0 {
		from, to = fmt.Sprintf("%04d-01-01", f.Year), fmt.Sprintf("%04d-01-01", f.Year+1)
	}
	rows, err := s.db.QueryContext(ctx, q, f.CT, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: bilan: %w", translate(err))
	}
	defer rows.Close()
	type key struct {
		year int
		pos  int
		typ  domain.TrainingType
	}
	lines := map[key]*BilanRow{}
	for rows.Next() {
		var start, end string
		var k key
		var n, acc, ref, pres, abs int
		if err := rows.Scan(&start, &end, &k.typ, &k.pos, &n, &acc, &ref, &pres, &abs); err != nil {
			return nil, fmt.Errorf("store: bilan: %w", err)
		}
		sess := domain.Session{}
		if sess.StartsOn, err = parseDayText(start); err != nil {
			return nil, fmt.Errorf("store: bilan: %w", err)
		}
		if sess.EndsOn, err = parseDayText(end); err != nil {
			return nil, fmt.Errorf("store: bilan: %w", err)
		}
		k.year = sess.StartsOn.Year()
		l := lines[k]
		if l == nil {
			l = &BilanRow{Year: k.year, Type: k.typ}
			lines[k] = l
		}
		l.Registrations += n
		l.Accepted += acc
		l.Refused += ref
		l.Present += pres
		l.Absent += abs
		l.Days += pres * sess.Days()
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: bilan: %w", err)
	}
	keys := make([]key, 0, len(lines))
	for k := range lines {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].year != keys[j].year {
			return keys[i].year < keys[j].year
		}
		return keys[i].pos < keys[j].pos
	})
	out := make([]BilanRow, len(keys))
	for i, k := range keys {
		out[i] = *lines[k]
	}
	return out, nil
}

// ReminderDays is how long before a session its accepted registrations
// get the "rappel".
const ReminderDays = 7

// DueReminders returns the registrations whose reminder is due at now:
// acceptée, not reminded yet, to a session that holds and starts within
// ReminderDays days (not today nor before: a job that stopped for a while
// still reminds the sessions to come), soonest first.
func (s *Store) DueReminders(ctx context.Context, now time.Time) ([]int64, error) {
	today := domain.ParisDay(now)
	const q = `SELECT r.id FROM registrations r JOIN sessions s ON s.id = r.session_id
		WHERE r.state = 'accepted' AND r.reminded_at IS NULL AND s.cancelled_at IS NULL AND s.starts_on > $1 AND s.starts_on <= $2
		ORDER BY s.starts_on, r.id`
	rows, err := s.db.QueryContext(ctx, q, dayText(today), dayText(today.AddDate(0, 0, ReminderDays)))
	if err != nil {
		return nil, fmt.Errorf("store: due reminders: %w", translate(err))
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: due reminders: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: due reminders: %w", err)
	}
	return out, nil
}

// MarkReminded claims the reminder of registration id at now and, in the
// same transaction, queues the "rappel" to the CT's recipients and to the
// agent. It reports whether this call won: when two workers race, or the
// registration is no longer acceptée, the other call (or none) sends it,
// and this one changes nothing.
func (s *Store) MarkReminded(ctx context.Context, id int64, now time.Time, letters TrainingLetters) (bool, error) {
	won := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		won = false
		res, err := tx.ExecContext(ctx, `UPDATE registrations SET reminded_at = $2 WHERE id = $1 AND reminded_at IS NULL AND state = 'accepted'`, id, now.Unix())
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return err
		}
		d, err := trainingMail(ctx, tx, 0, id)
		if err != nil {
			return err
		}
		if err := s.tellTraining(ctx, tx, letters, domain.MailReminder, d, true); err != nil {
			return err
		}
		what := "a envoyé le rappel de la session " + sessionName(d.Session) + " du " + domain.FormatDay(d.Session.StartsOn) + " pour " + d.Agent.FullName()
		if err := s.record(ctx, tx, d.Collectivity.ID, domain.JournalRegistration, what); err != nil {
			return err
		}
		won = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: mark reminded %s: %w", strconv.FormatInt(id, 10), err)
	}
	return won, nil
}
