package mail

import "iel/internal/domain"

// TrainingMail is what an e-mail about a registration tells: the CT, the
// session, the registration and its agent. The documents attached to it
// (convocation, attestation, calendar event) are made from the same values.
type TrainingMail struct {
	Collectivity domain.Collectivity
	Session      domain.Session
	Registration domain.Registration
	Agent        domain.Agent
	// ToAgent is set on the agent's own copy (convocation, rappel,
	// attestation), sent to the agent's address; the CT's recipients get
	// the e-mail without it.
	ToAgent bool
}
