package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"iel/internal/domain"
	"iel/internal/mail"
)

// The CNFPT's back-office ("Espace CNFPT"): staff accounts, the search of
// the collectivités, a CT's file as staff read it, and the few changes
// staff make on a CT's behalf (PRODUCT.md, "Rights", last row).

// Refusals of the back-office.
var (
	// ErrNoOpenManager refuses "Renvoyer les codes" to a CT whose historical manager is closed.
	ErrNoOpenManager = domain.Errorf(domain.Conflict, "", "Cette collectivité n'a plus de gestionnaire CT historique : ses codes de connexion ne servent plus. Le gestionnaire principal et les opérateurs se connectent avec leurs propres codes.")
	// ErrNoPrincipal refuses a change of principal by staff to a CT still run by its historical manager.
	ErrNoPrincipal = domain.Errorf(domain.Conflict, "", "Cette collectivité n'a pas de gestionnaire principal : elle est gérée par son gestionnaire CT historique. Renvoyez-lui ses codes de connexion.")
	// ErrNotStaff refuses a back-office change asked by another account than an active staff one.
	ErrNotStaff = domain.Errorf(domain.Forbidden, "", "Seuls les agents du CNFPT peuvent faire cette action.")
	// ErrStaffEmailTaken refuses a second staff account for one address.
	ErrStaffEmailTaken = domain.Errorf(domain.Conflict, domain.FieldEmail, "Un compte d'agent du CNFPT utilise déjà cette adresse courriel.")
)

// NewStaff is what creating a CNFPT staff account needs: the person, and
// the set-password link of its codes e-mail (or, for demo data, a password
// hash that works at once).
type NewStaff struct {
	FirstName, LastName, Email string
	TokenHash                  string
	TokenExpiry                time.Time
	PasswordHash               string // demo data: the account is active at once
}

// CreateStaff creates an account of role staff (no CT) with a generated
// identifiant, and queues the e-mail compose renders for it, in one
// transaction that the journal records.
func (s *Store) CreateStaff(ctx context.Context, ns NewStaff, compose func(domain.Account) (mail.Message, error)) (domain.Account, error) {
	acc := domain.Account{Role: domain.RoleStaff, State: domain.StateInactive, PasswordHash: ns.PasswordHash,
		Fiche: domain.Fiche{FirstName: strings.Join(strings.Fields(ns.FirstName), " "), LastName: strings.Join(strings.Fields(ns.LastName), " "),
			Email: domain.NormalizeEmail(ns.Email)}}
	if ns.PasswordHash != "" {
		acc.State = domain.StateActive
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		switch {
		case acc.FirstName == "" || acc.LastName == "":
			return domain.Errorf(domain.Invalid, domain.FieldLastName, "Saisissez le prénom et le nom de l'agent du CNFPT.")
		case !domain.ValidEmail(acc.Email):
			return domain.Errorf(domain.Invalid, domain.FieldEmail, "Saisissez une adresse courriel valide, par exemple prenom.nom@cnfpt.fr.")
		}
		if derr := domain.CheckFicheText(acc.Fiche); derr != nil {
			return derr
		}
		var taken int
		const q = `SELECT count(*) FROM accounts WHERE role = 'staff' AND state <> 'closed' AND lower(email) = lower($1)`
		if err := tx.QueryRowContext(ctx, q, acc.Email).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return ErrStaffEmailTaken
		}
		now := s.now()
		var err error
		if acc.Login, err = freeLogin(ctx, tx); err != nil {
			return err
		}
		if acc.ID, err = insertAccount(ctx, tx, acc, now); err != nil {
			return err
		}
		if err := s.record(ctx, tx, 0, domain.JournalAccount, "a créé le compte d'agent du CNFPT de "+acc.FullName(), "prénom", "nom", "courriel"); err != nil {
			return err
		}
		if ns.TokenHash == "" {
			return nil
		}
		if err := insertToken(ctx, tx, ns.TokenHash, PurposePassword, acc.ID, now, ns.TokenExpiry.Unix()); err != nil {
			return err
		}
		return enqueueLink(ctx, tx, compose, acc, ns.TokenExpiry, now)
	})
	if err != nil {
		return domain.Account{}, fmt.Errorf("store: create staff: %w", err)
	}
	acc.PasswordHash = ""
	return acc, nil
}

// requireStaff checks, in the transaction, that byID is an active staff account.
func requireStaff(ctx context.Context, tx *sql.Tx, byID int64) error {
	var n int
	const q = `SELECT count(*) FROM accounts WHERE id = $1 AND role = 'staff' AND state = 'active'`
	if err := tx.QueryRowContext(ctx, q, byID).Scan(&n); err != nil {
		return err
	}
	if n != 1 {
		return ErrNotStaff
	}
	return nil
}

// CollectivityRow is a CT in the back-office's lists.
type CollectivityRow struct {
	ID        int64
	Name      string
	SIRET     string // "" until the CT saves its Paramètres
	CreatedAt time.Time
	// Holder tells who administers the CT: "gestionnaire principal",
	// "gestionnaire CT", or "" when nobody active does.
	Holder string
	// CodesUnused says the historical manager never set its password.
	CodesUnused bool
}

// collectivityRowSQL reads the CollectivityRow columns of the CT aliased c.
const collectivityRowSQL = `c.id, c.name, c.siret, c.created_at,
	COALESCE((SELECT a.role FROM accounts a WHERE a.collectivity_id = c.id AND a.state = 'active'
		AND a.role IN ('manager', 'principal')), ''),
	EXISTS (SELECT 1 FROM accounts a WHERE a.collectivity_id = c.id AND a.role = 'manager' AND a.state = 'inactive')`

func scanCollectivityRow(row scanner, extra ...any) (CollectivityRow, error) {
	var c CollectivityRow
	var created int64
	var role string
	err := row.Scan(append([]any{&c.ID, &c.Name, &c.SIRET, &created, &role, &c.CodesUnused}, extra...)...)
	c.CreatedAt = time.Unix(created, 0)
	switch domain.Role(role) {
	case domain.RolePrincipal:
		c.Holder = "gestionnaire principal"
	case domain.RoleManager:
		c.Holder = "gestionnaire CT"
	}
	return c, err
}

func queryCollectivityRows(ctx context.Context, db *sql.DB, q string, args ...any) ([]CollectivityRow, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CollectivityRow
	for rows.Next() {
		c, err := scanCollectivityRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// StaffHome is what "Espace CNFPT" reads: the CTs that need staff, and
// the recent ones.
type StaffHome struct {
	// NoHolder are the CTs that nobody active administers: a principal
	// whose role is vacant, or codes never used.
	NoHolder []CollectivityRow
	// Designations are the pending designations of every CT, soonest expiry first.
	Designations []StaffDesignation
	// Recent are the CTs created in the last RecentCollectivities, newest first.
	Recent         []CollectivityRow
	Collectivities int // all of them
}

// StaffDesignation is a CT's pending designation, as staff see it.
type StaffDesignation struct {
	Collectivity CollectivityRow
	Designated   string // "Prénom Nom"
	ExpiresAt    time.Time
	Expired      bool
}

// RecentCollectivities is how far back "Espace CNFPT" lists new CTs.
const RecentCollectivities = 30 * 24 * time.Hour

// staffHomeLimit bounds each list of "Espace CNFPT"; the search finds the rest.
const staffHomeLimit = 20

// GetStaffHome reads "Espace CNFPT", as of now.
func (s *Store) GetStaffHome(ctx context.Context) (StaffHome, error) {
	var h StaffHome
	now := s.now()
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM collectivities`).Scan(&h.Collectivities); err != nil {
		return h, fmt.Errorf("store: staff home: count: %w", err)
	}
	var err error
	const noHolder = `SELECT ` + collectivityRowSQL + ` FROM collectivities c
		WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.collectivity_id = c.id AND a.state = 'active' AND a.role IN ('manager', 'principal'))
		ORDER BY c.name_key, c.id LIMIT $1`
	if h.NoHolder, err = queryCollectivityRows(ctx, s.db, noHolder, staffHomeLimit); err != nil {
		return h, fmt.Errorf("store: staff home: no holder: %w", err)
	}
	const recent = `SELECT ` + collectivityRowSQL + ` FROM collectivities c WHERE c.created_at > $1
		ORDER BY c.created_at DESC, c.id DESC LIMIT $2`
	if h.Recent, err = queryCollectivityRows(ctx, s.db, recent, now-int64(RecentCollectivities/time.Second), staffHomeLimit); err != nil {
		return h, fmt.Errorf("store: staff home: recent: %w", err)
	}
	const pending = `SELECT ` + collectivityRowSQL + `, d.first_name, d.last_name, d.expires_at
		FROM designations d JOIN collectivities c ON c.id = d.collectivity_id
		WHERE d.state = 'pending' ORDER BY d.expires_at, d.id LIMIT $1`
	rows, err := s.db.QueryContext(ctx, pending, staffHomeLimit)
	if err != nil {
		return h, fmt.Errorf("store: staff home: designations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d StaffDesignation
		var first, last string
		var expires int64
		if d.Collectivity, err = scanCollectivityRow(rows, &first, &last, &expires); err != nil {
			return h, fmt.Errorf("store: staff home: designations: %w", err)
		}
		d.Designated = domain.Fiche{FirstName: first, LastName: last}.FullName()
		d.ExpiresAt, d.Expired = time.Unix(expires, 0), expires <= now
		h.Designations = append(h.Designations, d)
	}
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("store: staff home: designations: %w", err)
	}
	return h, nil
}

// CollectivityQuery is a search of "Collectivités": Search matches the
// name (anywhere, case ignored) or the start of the SIRET (spaces
// ignored); After is the last CT of the previous page (0 for the first).
type CollectivityQuery struct {
	Search string
	After  int64
	Limit  int
}

// CollectivityPage is one page of a search, sorted by name.
type CollectivityPage struct {
	Rows  []CollectivityRow
	Total int   // matches of the search, all pages
	Next  int64 // the After of the next page, 0 on the last
}

// likeEscape makes s match itself in a LIKE … ESCAPE '!' pattern.
func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// SearchCollectivities returns a page of the CTs q matches, by name then id
// (keyset paging: a CT created meanwhile neither repeats nor hides one).
func (s *Store) SearchCollectivities(ctx context.Context, q CollectivityQuery) (CollectivityPage, error) {
	var p CollectivityPage
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	where := `WHERE 1 = 1`
	var args []any
	if search := strings.TrimSpace(q.Search); search != "" {
		args = append(args, "%"+likeEscape(domain.NameKey(search))+"%")
		where += fmt.Sprintf(` AND (c.name_key LIKE $%d ESCAPE '!'`, len(args))
		if digits := strings.NewReplacer(" ", "", ".", "").Replace(search); digits != "" && strings.Trim(digits, "0123456789") == "" {
			args = append(args, digits+"%")
			where += fmt.Sprintf(` OR c.siret LIKE $%d`, len(args))
		}
		where += `)`
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM collectivities c `+where, args...).Scan(&p.Total); err != nil {
		return p, fmt.Errorf("store: search collectivities: %w", err)
	}
	if q.After != 0 {
		args = append(args, q.After)
		n := len(args)
		where += fmt.Sprintf(` AND (c.name_key > (SELECT name_key FROM collectivities WHERE id = $%d)
			OR (c.name_key = (SELECT name_key FROM collectivities WHERE id = $%d) AND c.id > $%d))`, n, n, n)
	}
	args = append(args, q.Limit+1)
	rows, err := queryCollectivityRows(ctx, s.db, `SELECT `+collectivityRowSQL+` FROM collectivities c `+where+
		fmt.Sprintf(` ORDER BY c.name_key, c.id LIMIT $%d`, len(args)), args...)
	if err != nil {
		return p, fmt.Errorf("store: search collectivities: %w", err)
	}
	if len(rows) > q.Limit {
		rows = rows[:q.Limit]
		p.Next = rows[len(rows)-1].ID
	}
	p.Rows = rows
	return p, nil
}

// StaffAccount is an account of a CT as staff see it: never its password,
// and of its pending link only that it waits and until when.
type StaffAccount struct {
	domain.Account // PasswordHash always empty
	Link           *PendingLink
}

// PendingLink is an unused link e-mailed to an account: what it is for
// ("codes" to set a password, "invitation" to answer an operator
// account), when it was sent and until when it works. Never the link.
type PendingLink struct {
	Purpose           string
	SentAt, ExpiresAt time.Time
	Expired           bool
}

// CollectivityFile is a CT's page in the back-office.
type CollectivityFile struct {
	Collectivity domain.Collectivity
	CreatedAt    time.Time
	Settings     domain.CollectivitySettings
	Accounts     []StaffAccount // the closed historical manager included, by id
	Designation  *PendingDesignation
	Contacts     []domain.TrainingContact
	Agents       int // those still in the CT
}

// Principal is the CT's principal account, if any.
func (f CollectivityFile) Principal() (domain.Account, bool) {
	for _, a := range f.Accounts {
		if a.Role == domain.RolePrincipal {
			return a.Account, true
		}
	}
	return domain.Account{}, false
}

// OpenManager is the CT's historical manager while its codes still work.
func (f CollectivityFile) OpenManager() (domain.Account, bool) {
	for _, a := range f.Accounts {
		if a.Role == domain.RoleManager && a.State != domain.StateClosed {
			return a.Account, true
		}
	}
	return domain.Account{}, false
}

// GetCollectivityFile reads the CT ctID as staff see it, in one
// transaction so that its parts agree.
func (s *Store) GetCollectivityFile(ctx context.Context, ctID int64) (CollectivityFile, error) {
	var f CollectivityFile
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var created int64
		err := tx.QueryRowContext(ctx, `SELECT id, name, email, created_at FROM collectivities WHERE id = $1`, ctID).Scan(
			&f.Collectivity.ID, &f.Collectivity.Name, &f.Collectivity.Email, &created)
		if err != nil {
			return err
		}
		f.CreatedAt = time.Unix(created, 0)
		accounts, err := listAccounts(ctx, tx, ctID)
		if err != nil {
			return err
		}
		// The newest unused link of each account.
		const links = `SELECT t.account_id, t.purpose, t.created_at, t.expires_at FROM tokens t
			JOIN accounts a ON a.id = t.account_id
			WHERE a.collectivity_id = $1 AND t.used_at IS NULL AND t.purpose IN ('password', 'invitation')
			ORDER BY t.created_at, t.hash`
		rows, err := tx.QueryContext(ctx, links, ctID)
		if err != nil {
			return err
		}
		byAccount := map[int64]*PendingLink{}
		for rows.Next() {
			var id, sent, expires int64
			var purpose string
			if err := rows.Scan(&id, &purpose, &sent, &expires); err != nil {
				rows.Close()
				return err
			}
			if purpose == PurposePassword {
				purpose = "codes"
			}
			byAccount[id] = &PendingLink{Purpose: purpose, SentAt: time.Unix(sent, 0), ExpiresAt: time.Unix(expires, 0), Expired: expires <= now}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, a := range accounts {
			a.PasswordHash = ""
			f.Accounts = append(f.Accounts, StaffAccount{Account: a, Link: byAccount[a.ID]})
		}
		const designation = `SELECT ` + designationColumns + ` FROM designations WHERE collectivity_id = $1 AND state = 'pending'`
		d, err := scanDesignation(tx.QueryRowContext(ctx, designation, ctID))
		switch {
		case err == nil:
			f.Designation = &PendingDesignation{Designation: d, Expired: d.ExpiresAt.Unix() <= now}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM agents WHERE collectivity_id = $1 AND left_at IS NULL`, ctID).Scan(&f.Agents)
	})
	if err != nil {
		return f, fmt.Errorf("store: get collectivity file %d: %w", ctID, translate(err))
	}
	if f.Settings, err = s.GetCollectivitySettings(ctx, ctID); err != nil {
		return f, err
	}
	if f.Contacts, err = s.ListTrainingContacts(ctx, ctID); err != nil {
		return f, err
	}
	return f, nil
}

// ResendManagerCodes gives the open historical manager of the CT ctID a
// new set-password link valid until expiry (its previous links die), and
// queues the codes e-mail compose renders, for staff byID.
func (s *Store) ResendManagerCodes(ctx context.Context, ctID, byID int64, tokenHash string, expiry time.Time, compose func(domain.Collectivity, domain.Account) (mail.Message, error)) (domain.Account, error) {
	var acc domain.Account
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := lockCollectivity(ctx, tx, ctID); err != nil {
			return err
		}
		if err := requireStaff(ctx, tx, byID); err != nil {
			return err
		}
		ct, err := getCollectivity(ctx, tx, ctID)
		if err != nil {
			return err
		}
		const q = `SELECT ` + accountColumns + ` FROM accounts WHERE collectivity_id = $1 AND role = 'manager' AND state <> 'closed'`
		acc, err = scanAccount(tx.QueryRowContext(ctx, q, ctID))
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoOpenManager
		}
		if err != nil {
			return err
		}
		now := s.now()
		if err := killTokens(ctx, tx, acc.ID, PurposePassword, now); err != nil {
			return err
		}
		if err := insertToken(ctx, tx, tokenHash, PurposePassword, acc.ID, now, expiry.Unix()); err != nil {
			return err
		}
		if err := s.record(ctx, tx, ctID, domain.JournalAccount, "a renvoyé les codes de connexion du gestionnaire CT"); err != nil {
			return err
		}
		m, err := compose(ct, acc)
		if err != nil {
			return err
		}
		m.ExpiresAt = expiry
		return enqueue(ctx, tx, m, now)
	})
	acc.PasswordHash = ""
	if err != nil {
		return acc, fmt.Errorf("store: resend manager codes: %w", err)
	}
	return acc, nil
}

// RenameCollectivity gives the CT ctID the name name (unique as at
// creation, domain.ErrCollectivityNameTaken otherwise), for staff byID.
func (s *Store) RenameCollectivity(ctx context.Context, ctID, byID int64, name string) (domain.Collectivity, error) {
	var ct domain.Collectivity
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := lockCollectivity(ctx, tx, ctID); err != nil {
			return err
		}
		if err := requireStaff(ctx, tx, byID); err != nil {
			return err
		}
		var err error
		if ct, err = getCollectivity(ctx, tx, ctID); err != nil {
			return err
		}
		before := ct.Name
		ct.Name = name
		for _, e := range domain.CheckCollectivity(&ct) {
			if e.Field == domain.FieldName {
				return e
			}
		}
		if ct.Name == before {
			return nil
		}
		var taken int
		const q = `SELECT count(*) FROM collectivities WHERE name_key = $1 AND id <> $2`
		if err := tx.QueryRowContext(ctx, q, domain.NameKey(ct.Name), ctID).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return domain.ErrCollectivityNameTaken
		}
		if err := execOne(ctx, tx, `UPDATE collectivities SET name = $2, name_key = $3 WHERE id = $1`, ctID, ct.Name, domain.NameKey(ct.Name)); err != nil {
			return err
		}
		return s.record(ctx, tx, ctID, domain.JournalCollectivity, "a renommé la collectivité « "+before+" » en « "+ct.Name+" »", "nom")
	})
	if errors.Is(err, ErrConflict) {
		err = domain.ErrCollectivityNameTaken
	}
	if err != nil {
		return ct, fmt.Errorf("store: rename collectivity %d: %w", ctID, err)
	}
	return ct, nil
}

// StaffDesignationMails renders the e-mails of a change of principal
// started by staff.
type StaffDesignationMails struct {
	// Designation offers the role to the designated person, with its link.
	Designation func(domain.Collectivity, domain.Designation) (mail.Message, error)
	// Told tells an active account of the CT (the former principal among
	// them) that the change started.
	Told func(ct domain.Collectivity, d domain.Designation, former, to domain.Account) (mail.Message, error)
	// Replaced tells the person of a pending designation, another person's,
	// that this one replaced it.
	Replaced func(domain.Collectivity, domain.Designation) (mail.Message, error)
}

// DesignateForCollectivity records, for staff byID, the designation d of
// a new principal of the CT ctID, whose principal left: as
// CreateDesignation does for the holder (a pending designation is
// replaced and its link dies; the person and recipients rules are checked
// on the accounts as they would be once d is accepted), and every active
// account of the CT but the designated one is told. The designated person
// accepts by link as usual; the principal who left becomes an operator.
func (s *Store) DesignateForCollectivity(ctx context.Context, ctID, byID int64, d domain.Designation, tokenHash string, expiry time.Time, mails StaffDesignationMails) (domain.Designation, error) {
	d.Email = domain.NormalizeEmail(d.Email)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if derr := domain.CheckFicheText(d.Fiche); derr != nil {
			return derr
		}
		if err := lockCollectivity(ctx, tx, ctID); err != nil {
			return err
		}
		if err := requireStaff(ctx, tx, byID); err != nil {
			return err
		}
		ct, err := getCollectivity(ctx, tx, ctID)
		if err != nil {
			return err
		}
		accounts, err := listAccounts(ctx, tx, ctID)
		if err != nil {
			return err
		}
		var former domain.Account
		for _, a := range accounts {
			if a.Role == domain.RolePrincipal {
				former = a
			}
		}
		if former.ID == 0 {
			return ErrNoPrincipal
		}
		now := s.now()
		var old domain.Designation
		d, old, err = insertDesignation(ctx, tx, ctID, byID, d, accounts, tokenHash, expiry, now)
		if err != nil {
			return err
		}
		replaced := func(old domain.Designation) (mail.Message, error) { return mails.Replaced(ct, old) }
		if err := tellReplaced(ctx, tx, old, d, replaced, now); err != nil {
			return err
		}
		if err := s.record(ctx, tx, ctID, domain.JournalPrincipal, "a désigné "+d.FullName()+" comme gestionnaire principal CT à la place de "+former.FullName(),
			"civilité", "nom", "prénom", "fonction", "courriel", "téléphone", "paramétrage courriels"); err != nil {
			return err
		}
		if err := enqueueLink(ctx, tx, func(d domain.Designation) (mail.Message, error) { return mails.Designation(ct, d) }, d, expiry, now); err != nil {
			return err
		}
		for _, a := range accounts {
			if a.State != domain.StateActive || a.ID == d.TargetAccount || a.Role == domain.RoleStaff {
				continue
			}
			m, err := mails.Told(ct, d, former, a)
			if err != nil {
				return err
			}
			if err := enqueue(ctx, tx, m, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return domain.Designation{}, fmt.Errorf("store: designate for collectivity %d: %w", ctID, err)
	}
	return d, nil
}

// ListStaff returns the CNFPT's staff accounts, by id (the demo prints
// how to sign in to its own).
func (s *Store) ListStaff(ctx context.Context) ([]domain.Account, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE role = 'staff' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list staff: %w", err)
	}
	defer rows.Close()
	var out []domain.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list staff: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list staff: %w", err)
	}
	return out, nil
}
