package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"iel/internal/domain"
)

// The CSV import of agents in two steps: the file, read and checked, is
// kept here with a random id (CreateAgentImport) while its preview is
// shown (GetAgentImport); its confirmation (ApplyAgentImport) applies it
// in one transaction, once.

// AgentImportTTL is how long a previewed import may be confirmed.
const AgentImportTTL = time.Hour

// importKept is how long an import (of agents or sessions) is kept after
// it was made, so that a late second confirmation is told it was applied.
const importKept = 7 * 24 * time.Hour

var (
	// ErrImportApplied refuses a second confirmation of an import.
	ErrImportApplied = domain.Errorf(domain.Gone, "", "Cet import a déjà été confirmé : il n'est pas appliqué une seconde fois, rien n'a changé.")
	// ErrImportExpired refuses the confirmation of an import previewed too long ago.
	ErrImportExpired = domain.Errorf(domain.Gone, "", "Cet aperçu a expiré (il est valable une heure) : rien n'a été importé. Importez de nouveau le fichier.")
)

// NewAgentImport is a checked file waiting for its confirmation.
type NewAgentImport struct {
	FileName string
	Encoding string // "UTF-8" or "Windows-1252", as detected
	Agents   []domain.Agent
}

// ImportFile is what a CSV import (of agents or sessions) keeps of its
// file between its two steps, its lines aside.
type ImportFile struct {
	ID        string
	FileName  string
	Encoding  string
	CreatedAt time.Time
	ExpiresAt time.Time
	AppliedAt time.Time // zero until confirmed
}

// newImportID is the random id of a new import, its link's secret.
func newImportID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// scanImport reads an import's id, file_name, encoding, lines as JSON,
// created_at, expires_at and applied_at, in this order.
func scanImport(row scanner, f *ImportFile, data *string) error {
	var created, expires int64
	var applied sql.NullInt64
	if err := row.Scan(&f.ID, &f.FileName, &f.Encoding, data, &created, &expires, &applied); err != nil {
		return err
	}
	f.CreatedAt, f.ExpiresAt, f.AppliedAt = time.Unix(created, 0), time.Unix(expires, 0), fromUnix(applied)
	return nil
}

// unmarked is why an import f, read after the UPDATE res that marks it
// applied, was not marked: nil when it was.
func (f ImportFile) unmarked(res sql.Result) error {
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	if !f.AppliedAt.IsZero() {
		return ErrImportApplied
	}
	return ErrImportExpired
}

// AgentImport is an import as kept between its two steps.
type AgentImport struct {
	ImportFile
	Agents []domain.Agent // in the order of the file
}

// AgentUpdate is an agent of the CT that an import changes: its new
// values (its id, and whether it left, kept) and the fields that change.
type AgentUpdate struct {
	Agent   domain.Agent
	Changes []domain.Field
}

// AgentImportPlan is what an import does to the CT's agents as they are:
// the agents it creates, those it updates (matched on
// domain.AgentIdentity, those who left the CT included, who stay so),
// and how many it leaves as they are.
type AgentImportPlan struct {
	Created   []domain.Agent
	Updated   []AgentUpdate
	Unchanged int
}

// importedAgent is an agent of an import as kept in agent_imports.
type importedAgent struct {
	Civility    domain.Civility    `json:"civilite"`
	LastName    string             `json:"nom"`
	FirstName   string             `json:"prenom"`
	BirthDate   string             `json:"naissance"`
	Email       string             `json:"courriel,omitempty"`
	Category    domain.Category    `json:"categorie"`
	Status      domain.AgentStatus `json:"statut"`
	Grade       string             `json:"grade"`
	AppointedOn string             `json:"nomination"`
}

// CreateAgentImport keeps the checked agents of a file for the account
// accountID of the CT ctID, and returns the import's random id. It also
// forgets the CT's imports older than a week.
func (s *Store) CreateAgentImport(ctx context.Context, ctID, accountID int64, ni NewAgentImport) (string, error) {
	rows := make([]importedAgent, len(ni.Agents))
	for i, a := range ni.Agents {
		if derr := domain.CheckAgent(a); derr != nil {
			return "", fmt.Errorf("store: create agent import: line %d: %w", i+1, derr)
		}
		rows[i] = importedAgent{Civility: a.Civility, LastName: a.LastName, FirstName: a.FirstName, BirthDate: a.BirthDate.Format(time.DateOnly),
			Email: a.Email, Category: a.Category, Status: a.Status, Grade: a.Grade, AppointedOn: a.AppointedOn.Format(time.DateOnly)}
	}
	data, err := json.Marshal(rows)
	if err != nil {
		return "", fmt.Errorf("store: create agent import: %w", err)
	}
	id := newImportID()
	now := s.Now()
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM agent_imports WHERE collectivity_id = $1 AND created_at < $2`, ctID, now.Add(-importKept).Unix()); err != nil {
			return err
		}
		const q = `INSERT INTO agent_imports (id, collectivity_id, account_id, file_name, encoding, agents_json, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
		_, err := tx.ExecContext(ctx, q, id, ctID, accountID, ni.FileName, ni.Encoding, string(data), now.Unix(), now.Add(AgentImportTTL).Unix())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: create agent import: %w", err)
	}
	return id, nil
}

// GetAgentImport returns the import id of the account accountID of the
// CT ctID, and what it would do to the CT's agents now.
func (s *Store) GetAgentImport(ctx context.Context, ctID, accountID int64, id string) (AgentImport, AgentImportPlan, error) {
	imp, err := getAgentImport(ctx, s.db, ctID, accountID, id)
	if err != nil {
		return imp, AgentImportPlan{}, fmt.Errorf("store: get agent import: %w", translate(err))
	}
	plan, err := planImport(ctx, s.db, ctID, imp.Agents)
	if err != nil {
		return imp, plan, fmt.Errorf("store: get agent import: %w", err)
	}
	return imp, plan, nil
}

// ApplyAgentImport confirms the import id of the account accountID of the
// CT ctID: in one transaction, it creates and updates the CT's agents as
// the import's plan says at that moment, and marks the import applied.
// A failure anywhere leaves every agent as it was and the import
// unapplied; an import already applied (ErrImportApplied) or past its
// time (ErrImportExpired) changes nothing.
func (s *Store) ApplyAgentImport(ctx context.Context, ctID, accountID int64, id string) (AgentImportPlan, error) {
	var plan AgentImportPlan
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		plan = AgentImportPlan{}
		now := s.now()
		const mark = `UPDATE agent_imports SET applied_at = $4
			WHERE id = $1 AND collectivity_id = $2 AND account_id = $3 AND applied_at IS NULL AND expires_at > $4`
		res, err := tx.ExecContext(ctx, mark, id, ctID, accountID, now)
		if err != nil {
			return err
		}
		imp, err := getAgentImport(ctx, tx, ctID, accountID, id)
		if err != nil {
			return err
		}
		if err := imp.unmarked(res); err != nil {
			return err
		}
		// Two imports of one CT take turns, each planned on the agents
		// the other left.
		if err := lockCollectivity(ctx, tx, ctID); err != nil {
			return err
		}
		if plan, err = planImport(ctx, tx, ctID, imp.Agents); err != nil {
			return err
		}
		for _, a := range plan.Created {
			if derr := domain.CheckAgent(a); derr != nil {
				return derr
			}
			if _, err := insertAgent(ctx, tx, ctID, a, now); err != nil {
				return err
			}
		}
		for _, u := range plan.Updated {
			if derr := domain.CheckAgent(u.Agent); derr != nil {
				return derr
			}
			if err := updateAgent(ctx, tx, ctID, u.Agent.ID, u.Agent, now); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, ctID, domain.JournalAgent, importSentence(imp.FileName, plan))
	})
	if err != nil {
		return plan, fmt.Errorf("store: apply agent import: %w", agentConflict(err))
	}
	return plan, nil
}

// querier runs queries, in a transaction or not.
type querier interface {
	queryer
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func getAgentImport(ctx context.Context, q queryer, ctID, accountID int64, id string) (AgentImport, error) {
	const query = `SELECT id, file_name, encoding, agents_json, created_at, expires_at, applied_at FROM agent_imports
		WHERE id = $1 AND collectivity_id = $2 AND account_id = $3`
	var imp AgentImport
	var data string
	if err := scanImport(q.QueryRowContext(ctx, query, id, ctID, accountID), &imp.ImportFile, &data); err != nil {
		return imp, err
	}
	var rows []importedAgent
	if err := json.Unmarshal([]byte(data), &rows); err != nil {
		return imp, fmt.Errorf("agent import %s: %w", id, err)
	}
	imp.Agents = make([]domain.Agent, len(rows))
	for i, r := range rows {
		birth, err1 := time.Parse(time.DateOnly, r.BirthDate)
		appointed, err2 := time.Parse(time.DateOnly, r.AppointedOn)
		if err := errors.Join(err1, err2); err != nil {
			return imp, fmt.Errorf("agent import %s, line %d: %w", id, i+1, err)
		}
		imp.Agents[i] = domain.Agent{CollectivityID: ctID, Civility: r.Civility, LastName: r.LastName, FirstName: r.FirstName, BirthDate: birth,
			Email: r.Email, Category: r.Category, Status: r.Status, Grade: r.Grade, AppointedOn: appointed}
	}
	return imp, nil
}

// planImport matches the agents of a file with those of the CT ctID.
func planImport(ctx context.Context, q querier, ctID int64, agents []domain.Agent) (AgentImportPlan, error) {
	var plan AgentImportPlan
	rows, err := q.QueryContext(ctx, `SELECT `+agentColumns+` FROM agents WHERE collectivity_id = $1`, ctID)
	if err != nil {
		return plan, err
	}
	defer rows.Close()
	existing := map[string]domain.Agent{}
	for rows.Next() {
		a, err := scanAgent(rows)
		if err != nil {
			return plan, err
		}
		existing[domain.AgentIdentity(a.Agent)] = a.Agent
	}
	if err := rows.Err(); err != nil {
		return plan, err
	}
	for _, a := range agents {
		before, found := existing[domain.AgentIdentity(a)]
		if !found {
			plan.Created = append(plan.Created, a)
			continue
		}
		a.ID, a.CollectivityID, a.LeftAt = before.ID, before.CollectivityID, before.LeftAt
		if changes := domain.AgentChanges(before, a); len(changes) > 0 {
			plan.Updated = append(plan.Updated, AgentUpdate{Agent: a, Changes: changes})
		} else {
			plan.Unchanged++
		}
	}
	return plan, nil
}

// importSentence is what the journal says of an applied import: "a importé
// 12 agents (3 créés, 9 mis à jour) du fichier agents.csv".
func importSentence(file string, p AgentImportPlan) string {
	n := len(p.Created) + len(p.Updated)
	plural := func(n int, one, many string) string {
		if n > 1 {
			return strconv.Itoa(n) + " " + many
		}
		return strconv.Itoa(n) + " " + one
	}
	s := "a importé " + plural(n, "agent", "agents") + " (" + plural(len(p.Created), "créé", "créés") + ", " +
		plural(len(p.Updated), "mis à jour", "mis à jour")
	if p.Unchanged > 0 {
		s += ", " + plural(p.Unchanged, "inchangé", "inchangés")
	}
	s += ")"
	if file != "" {
		s += " du fichier « " + file + " »"
	}
	return s
}
