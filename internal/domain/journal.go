package domain

import (
	"strings"
	"time"
)

// Actor is who makes a change, as the journal tells it: an account of the
// portal, from a client address, or the command line.
type Actor struct {
	AccountID int64  // 0 for the command line
	Name      string // "Prénom Nom", or the identifiant when the fiche is empty
	Role      Role   // "" for the command line
	Addr      string // the client's address; "" for the command line
}

// CommandLine is the actor of "iel ct create", "iel staff create" and the demo.
var CommandLine = Actor{}

// AccountActor is acc acting from the client address addr.
func AccountActor(acc Account, addr string) Actor {
	name := acc.FullName()
	if name == "" {
		name = acc.Login
	}
	return Actor{AccountID: acc.ID, Name: name, Role: acc.Role, Addr: addr}
}

// IsCommandLine reports whether the change came from the command line.
func (a Actor) IsCommandLine() bool { return a.AccountID == 0 }

// Label is how the journal names the actor: "Nathalie Moreau
// (gestionnaire principal CT)", or "ligne de commande".
func (a Actor) Label() string {
	if a.IsCommandLine() {
		return "ligne de commande"
	}
	return a.Name + " (" + a.Role.Label() + ")"
}

// JournalKind groups the journal's entries for its filter.
type JournalKind string

// The kinds of journal entry.
const (
	JournalCollectivity JournalKind = "collectivity" // the CT itself: created, renamed, Paramètres
	JournalAccount      JournalKind = "account"      // an account's fiche, password, preferences, codes
	JournalPrincipal    JournalKind = "principal"    // designations and the change of principal
	JournalOperator     JournalKind = "operator"     // operator accounts and their invitations
	JournalContact      JournalKind = "contact"      // correspondants formation
	JournalAgent        JournalKind = "agent"        // agents and their imports
	JournalSession      JournalKind = "session"      // sessions de formation
	JournalRegistration JournalKind = "registration" // inscriptions
)

// JournalKinds lists the kinds in the order the filter offers them.
var JournalKinds = []JournalKind{JournalCollectivity, JournalAccount, JournalPrincipal, JournalOperator, JournalContact, JournalAgent, JournalSession, JournalRegistration}

// Label is the French name of the kind, as the filter shows it.
func (k JournalKind) Label() string {
	switch k {
	case JournalCollectivity:
		return "Collectivité"
	case JournalAccount:
		return "Comptes"
	case JournalPrincipal:
		return "Gestionnaire principal"
	case JournalOperator:
		return "Opérateurs"
	case JournalContact:
		return "Correspondants formation"
	case JournalAgent:
		return "Agents"
	case JournalSession:
		return "Sessions"
	case JournalRegistration:
		return "Inscriptions"
	}
	return string(k)
}

// ParseJournalKind accepts the kinds' values and nothing else.
func ParseJournalKind(s string) (JournalKind, bool) {
	for _, k := range JournalKinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// JournalEntry is one line of the journal: when, who, which CT, what (a
// French sentence such as "a créé l'opérateur Léa Martin") and the names of
// the fields it changed. It never holds a password, a token or a link.
type JournalEntry struct {
	ID             int64
	At             time.Time
	CollectivityID int64 // 0 when the change concerns no CT (a staff account)
	Actor          Actor
	Kind           JournalKind
	What           string
	Fields         []string
}

// FieldList is the changed fields as the journal shows them: "nom, courriel".
func (e JournalEntry) FieldList() string { return strings.Join(e.Fields, ", ") }
