package domain

import (
	"strings"
	"time"
)

// Actor is who makes a change, as the journal tells it: an account of the
// portal, from a client address, or the command line.
type Actor struct {
	AccountID int64  // 0 for the command line, and for a person with no account yet
	Name      string // "Prénom Nom", or the identifiant when the fiche is empty
	Role      Role   // "" for the command line
	Addr      string // the client's address; "" for the command line
	// ByLink marks a person not signed in, acting through an e-mailed
	// link (or asking for one): the store names it after the account or
	// the designation the link is for (see Visitor).
	ByLink bool
	// Job marks a task the portal runs by itself (the reminders); Name
	// says which.
	Job bool
}

// Visitor is a person who is not signed in, from the client address addr:
// whoever answers a designation or an invitation, sets a password with a
// link, or asks for a new one. The store records it as the person of the
// link (PersonOfLink), whatever session the browser may hold.
func Visitor(addr string) Actor { return Actor{Addr: addr, ByLink: true} }

// PersonOfLink is the visitor v recorded as the account acc the link is for.
func (v Actor) PersonOfLink(acc Account) Actor {
	a := AccountActor(acc, v.Addr)
	a.ByLink = true
	return a
}

// PersonNamed is the visitor v recorded as a person with no account yet
// (a designated person who refuses, say), named name.
func (v Actor) PersonNamed(name string) Actor {
	return Actor{Name: name, Addr: v.Addr, ByLink: true}
}

// CommandLine is the actor of "iel ct create", "iel staff create" and the demo.
var CommandLine = Actor{}

// ReminderJob is the actor of the reminders "iel serve" sends by itself.
var ReminderJob = Actor{Name: "envoi automatique des rappels", Job: true}

// AccountActor is acc acting from the client address addr.
func AccountActor(acc Account, addr string) Actor {
	name := acc.FullName()
	if name == "" {
		name = acc.Login
	}
	return Actor{AccountID: acc.ID, Name: name, Role: acc.Role, Addr: addr}
}

// IsCommandLine reports whether the change came from the command line.
func (a Actor) IsCommandLine() bool { return a.AccountID == 0 && a.Name == "" && !a.ByLink && !a.Job }

// Label is how the journal names the actor: "Nathalie Moreau
// (gestionnaire principal CT)", "Nathalie Moreau (sans compte, par lien
// reçu par courriel)", or "ligne de commande".
func (a Actor) Label() string {
	switch {
	case a.IsCommandLine():
		return "ligne de commande"
	case a.Job:
		return "tâche planifiée (" + a.Name + ")"
	case a.AccountID == 0:
		return a.Name + " (sans compte, par lien reçu par courriel)"
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

// FieldLabel is the French name of a field, as the journal lists the
// fields a change touched: "nom", "courriel".
func FieldLabel(f Field) string {
	switch f {
	case FieldCivility:
		return "civilité"
	case FieldLastName:
		return "nom"
	case FieldFirstName:
		return "prénom"
	case FieldFunction:
		return "fonction"
	case FieldEmail:
		return "courriel"
	case FieldPhone:
		return "téléphone"
	case FieldPrefs:
		return "paramétrage courriels"
	case FieldPassword:
		return "mot de passe"
	case FieldName:
		return "nom de la collectivité"
	case FieldSIRET:
		return "SIRET"
	case FieldKind:
		return "type de collectivité"
	case FieldStreet:
		return "voie"
	case FieldComplement:
		return "complément d'adresse"
	case FieldPostcode:
		return "code postal"
	case FieldCity:
		return "commune"
	case FieldHeadcount:
		return "effectif"
	case FieldPerimeter:
		return "périmètre"
	case FieldBirthDate:
		return "date de naissance"
	case FieldCategory:
		return "catégorie"
	case FieldStatus:
		return "statut"
	case FieldGrade:
		return "grade"
	case FieldAppointedOn:
		return "date de nomination"
	}
	return string(f)
}

// FieldLabels is FieldLabel of each field, in order.
func FieldLabels(fs []Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = FieldLabel(f)
	}
	return out
}

// FicheChanges lists the fields of a fiche that differ between before and
// after, in the order of the form.
func FicheChanges(before, after Fiche) []Field {
	var out []Field
	add := func(changed bool, f Field) {
		if changed {
			out = append(out, f)
		}
	}
	add(before.Civility != after.Civility, FieldCivility)
	add(before.LastName != after.LastName, FieldLastName)
	add(before.FirstName != after.FirstName, FieldFirstName)
	add(before.Function != after.Function, FieldFunction)
	add(!strings.EqualFold(before.Email, after.Email), FieldEmail)
	add(before.Phone != after.Phone, FieldPhone)
	return out
}

// SettingsChanges lists the fields of "PARAMÈTRES" that differ between
// before and after (the name aside: it is not changed there).
func SettingsChanges(before, after CollectivitySettings) []Field {
	var out []Field
	add := func(changed bool, f Field) {
		if changed {
			out = append(out, f)
		}
	}
	add(before.SIRET != after.SIRET, FieldSIRET)
	add(before.Kind != after.Kind, FieldKind)
	add(before.Street != after.Street, FieldStreet)
	add(before.Complement != after.Complement, FieldComplement)
	add(before.Postcode != after.Postcode, FieldPostcode)
	add(before.City != after.City, FieldCity)
	add(before.Phone != after.Phone, FieldPhone)
	add((before.Headcount == nil) != (after.Headcount == nil) ||
		before.Headcount != nil && after.Headcount != nil && *before.Headcount != *after.Headcount, FieldHeadcount)
	return out
}
