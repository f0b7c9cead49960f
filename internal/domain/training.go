package domain

import (
	"fmt"
	"time"
)

// Session is a "session de formation": one dated occurrence of a training,
// of one type, published by the CNFPT's staff. Dates are calendar days in
// Europe/Paris, held as midnight UTC of that day.
type Session struct {
	ID        int64
	Code      string // the CNFPT's code, unique
	Title     string // "Intitulé"
	Type      TrainingType
	TypeLabel string    // the type's label, as the types table holds it (the store fills it)
	StartsOn  time.Time // "Date de début"
	EndsOn    time.Time // "Date de fin"
	Hours     string    // "Horaires", e.g. "9 h 00 – 17 h 00"
	Place     string    // "Lieu": the address
	Capacity  int       // "Capacité"
	Deadline  time.Time // "Date limite d'inscription", the last day registrations are taken
	Audience  string    // "Public visé"
	Cancelled time.Time // when staff cancelled it; zero while it holds
	Motif     string    // why staff cancelled it
	// Accepted counts the registrations acceptée, présent or absent: the
	// places taken. PlacesLeft is Capacity minus Accepted.
	Accepted int
}

// TypeName is the session's "Type de formation" in words: the label of
// the types table, or, for a session not read from the store, the label
// of one of the notice's two types.
func (s Session) TypeName() string {
	if s.TypeLabel != "" {
		return s.TypeLabel
	}
	return s.Type.Label()
}

// PlacesLeft is "Places restantes".
func (s Session) PlacesLeft() int {
	if n := s.Capacity - s.Accepted; n > 0 {
		return n
	}
	return 0
}

// Days is the number of calendar days the session spans, its "jours de formation".
func (s Session) Days() int {
	return int(s.EndsOn.Sub(s.StartsOn).Hours()/24) + 1
}

// RegistrationState is the life of an inscription.
type RegistrationState string

// The states of a registration, as the screens write them.
const (
	RegistrationSent      RegistrationState = "sent"      // transmise
	RegistrationAccepted  RegistrationState = "accepted"  // acceptée
	RegistrationRefused   RegistrationState = "refused"   // refusée
	RegistrationWaiting   RegistrationState = "waiting"   // liste d'attente
	RegistrationCancelled RegistrationState = "cancelled" // annulée
	RegistrationPresent   RegistrationState = "present"   // présent
	RegistrationAbsent    RegistrationState = "absent"    // absent
)

// RegistrationStates lists the states in the order the filters show them.
var RegistrationStates = []RegistrationState{RegistrationSent, RegistrationAccepted, RegistrationRefused, RegistrationWaiting, RegistrationCancelled, RegistrationPresent, RegistrationAbsent}

// Label is the state in the screens' words.
func (s RegistrationState) Label() string {
	switch s {
	case RegistrationSent:
		return "transmise"
	case RegistrationAccepted:
		return "acceptée"
	case RegistrationRefused:
		return "refusée"
	case RegistrationWaiting:
		return "liste d'attente"
	case RegistrationCancelled:
		return "annulée"
	case RegistrationPresent:
		return "présent"
	case RegistrationAbsent:
		return "absent"
	}
	return string(s)
}

// Registration is an "inscription": an agent of a CT registered to a session.
type Registration struct {
	ID             int64
	SessionID      int64
	CollectivityID int64
	AgentID        int64
	State          RegistrationState
	Motif          string    // why it was refused
	CreatedAt      time.Time // when the CT sent it: the waiting list's order
	DecidedAt      time.Time // when its state last changed; documents are dated by it
}

// Reference is the registration's number on its documents: "INS-000123".
func (r Registration) Reference() string { return fmt.Sprintf("INS-%06d", r.ID) }

// TrainingMailKind is one of the e-mails about a registration (PRODUCT.md,
// "E-mail subjects about trainings").
type TrainingMailKind string

// The kinds of training e-mail.
const (
	MailReceived         TrainingMailKind = "received"          // accusé de réception
	MailAccepted         TrainingMailKind = "accepted"          // inscription acceptée – convocation
	MailRefused          TrainingMailKind = "refused"           // inscription refusée
	MailWaiting          TrainingMailKind = "waiting"           // inscription en liste d'attente
	MailPromoted         TrainingMailKind = "promoted"          // from the waiting list: acceptée – convocation
	MailCancelled        TrainingMailKind = "cancelled"         // annulation d'inscription (by the CT)
	MailSessionCancelled TrainingMailKind = "session_cancelled" // annulation de la session (by staff)
	MailReminder         TrainingMailKind = "reminder"          // rappel – session du <date>
	MailAttendance       TrainingMailKind = "attendance"        // attestation de présence
)
