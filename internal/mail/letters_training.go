package mail

import (
	"fmt"
	"sync"

	"iel/internal/docs"
	"iel/internal/domain"
)

// RegistrationsPath is the path of "Mes inscriptions", where every account
// of a CT follows its registrations.
const RegistrationsPath = "/formations/inscriptions"

// The subjects of the e-mails about trainings (PRODUCT.md), but the
// rappel's, which names the session's first day.
const (
	subjectTrainingReceived  = "inscription en ligne : accusé de réception de votre demande d'inscription"
	subjectTrainingAccepted  = "inscription en ligne : inscription acceptée – convocation"
	subjectTrainingRefused   = "inscription en ligne : inscription refusée"
	subjectTrainingWaiting   = "inscription en ligne : inscription en liste d'attente"
	subjectTrainingCancelled = "inscription en ligne : annulation d'inscription"
	subjectSessionCancelled  = "inscription en ligne : annulation de la session"
	subjectTrainingReminder  = "inscription en ligne : rappel – session du "
	subjectAttendance        = "inscription en ligne : attestation de présence"
)

// trainingSubject is the subject of an e-mail of kind about session s.
func trainingSubject(kind domain.TrainingMailKind, s domain.Session) (string, error) {
	switch kind {
	case domain.MailReceived:
		return subjectTrainingReceived, nil
	case domain.MailAccepted, domain.MailPromoted:
		return subjectTrainingAccepted, nil
	case domain.MailRefused:
		return subjectTrainingRefused, nil
	case domain.MailWaiting:
		return subjectTrainingWaiting, nil
	case domain.MailCancelled:
		return subjectTrainingCancelled, nil
	case domain.MailSessionCancelled:
		return subjectSessionCancelled, nil
	case domain.MailReminder:
		return subjectTrainingReminder + docs.FrenchDate(s.StartsOn), nil
	case domain.MailAttendance:
		return subjectAttendance, nil
	}
	return "", fmt.Errorf("mail: unknown training e-mail %q", kind)
}

// fact is one line of the session's description in a training e-mail.
type fact struct{ Label, Value string }

// trainingData fills templates/training.*.
type trainingData struct {
	Kind         string
	ToAgent      bool
	Agent        string // "Prénom Nom"
	OfAgent      string // "de Jean Dupont", "d'Éloïse Lefèvre"
	E            string // "e" for an agent who is Mme: inscrit{{.E}}
	Collectivity string
	StartsOn     string // "lundi 11 janvier 2027"
	Motif        string // why it was refused, or the session cancelled
	Link         string // "Mes inscriptions"
	Facts        []fact
}

// Training is the e-mail of kind about the registration d tells, to the
// address to: one of the CT's recipients for the session's type or, when
// d.ToAgent, the agent, greeted by name. It carries the documents of its
// kind: the convocation and the session as a calendar event when accepted
// or promoted, the calendar event again with the rappel, the attestation de
// présence after attendance.
func (l *Letters) Training(kind domain.TrainingMailKind, to string, d TrainingMail) (Message, error) {
	subject, err := trainingSubject(kind, d.Session)
	if err != nil {
		return Message{}, err
	}
	if kind == domain.MailAttendance && d.Registration.State != domain.RegistrationPresent {
		return Message{}, fmt.Errorf("mail: an attestation de présence for registration %s, which is %s", d.Registration.Reference(), d.Registration.State.Label())
	}
	s, r := d.Session, d.Registration
	motif := r.Motif
	if kind == domain.MailSessionCancelled {
		motif = s.Motif
	}
	data := trainingData{
		Kind:         string(kind),
		ToAgent:      d.ToAgent,
		Agent:        d.Agent.FullName(),
		OfAgent:      domain.Of(d.Agent.FullName()),
		Collectivity: d.Collectivity.Name,
		StartsOn:     docs.LongDate(s.StartsOn),
		Motif:        motif,
		Link:         l.link(RegistrationsPath),
		Facts: []fact{
			{"Session", s.Code + " – " + s.Title},
			{"Type", s.TypeName()},
			{"Dates", docs.Dates(s)},
			{"Horaires", s.Hours},
			{"Lieu", s.Place},
			{"Agent", d.Agent.FullName()},
			{"Collectivité", d.Collectivity.Name},
			{"Référence", r.Reference()},
			{"État de l'inscription", r.State.Label()},
		},
	}
	if d.Agent.Civility == domain.Madame {
		data.E = "e"
	}
	m, err := l.composer.compose(to, "training", subject, data)
	if err != nil {
		return Message{}, err
	}
	if m.Attachments, err = l.trainingFiles(kind, d); err != nil {
		return Message{}, err
	}
	return m, nil
}

// docKey names one document: which, and every value it is made from.
type docKey struct {
	doc          string
	collectivity domain.Collectivity
	session      domain.Session
	registration domain.Registration
	agent        domain.Agent
}

// pdfCache keeps the last documents made: one change queues the same
// convocation to each recipient and the agent, and a PDF takes tens of
// milliseconds inside the change's transaction. Documents depend on their
// values only, so a document found here is the one that would be made.
type pdfCache struct {
	mu   sync.Mutex
	docs map[docKey][]byte
}

const pdfCacheSize = 32

func (c *pdfCache) get(k docKey, render func(domain.Collectivity, domain.Session, domain.Registration, domain.Agent) ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	pdf, ok := c.docs[k]
	c.mu.Unlock()
	if ok {
		return pdf, nil
	}
	pdf, err := render(k.collectivity, k.session, k.registration, k.agent)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.docs == nil || len(c.docs) >= pdfCacheSize {
		c.docs = make(map[docKey][]byte, pdfCacheSize)
	}
	c.docs[k] = pdf
	return pdf, nil
}

// trainingFiles makes the documents an e-mail of kind carries.
func (l *Letters) trainingFiles(kind domain.TrainingMailKind, d TrainingMail) ([]Attachment, error) {
	key := func(doc string) docKey { return docKey{doc, d.Collectivity, d.Session, d.Registration, d.Agent} }
	calendar := func() Attachment {
		return Attachment{Filename: docs.CalendarFilename(d.Registration), ContentType: docs.CalendarType,
			Data: docs.Calendar(l.composer.host, d.Collectivity, d.Session, d.Registration, d.Agent)}
	}
	switch kind {
	case domain.MailAccepted, domain.MailPromoted:
		pdf, err := l.pdfs.get(key("convocation"), docs.Convocation)
		if err != nil {
			return nil, err
		}
		return []Attachment{{Filename: docs.ConvocationFilename(d.Registration), ContentType: docs.PDFType, Data: pdf}, calendar()}, nil
	case domain.MailReminder:
		return []Attachment{calendar()}, nil
	case domain.MailAttendance:
		pdf, err := l.pdfs.get(key("attestation"), docs.Attestation)
		if err != nil {
			return nil, err
		}
		return []Attachment{{Filename: docs.AttestationFilename(d.Registration), ContentType: docs.PDFType, Data: pdf}}, nil
	}
	return nil, nil
}
