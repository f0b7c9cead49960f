package mail

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/mail"
	"strings"
	texttemplate "text/template"
)

//go:embed templates/*.txt templates/*.html
var templateFS embed.FS

// The e-mails' subjects. Every one starts with the product's name, as the
// official notice does, so that recipients can sort and filter them.
const (
	subjectCodes                = "inscription en ligne : vos codes de connexion"
	subjectPasswordReset        = "inscription en ligne : mot de passe oublié"
	subjectDesignation          = "inscription en ligne : validation de votre compte gestionnaire principal CT"
	subjectPrincipalAccount     = "inscription en ligne : votre compte gestionnaire principal CT"
	subjectDesignationAnswer    = "inscription en ligne : réponse à la désignation du gestionnaire principal CT"
	subjectOperatorInvitation   = "inscription en ligne : validation de votre compte opérateur CT"
	subjectOperatorAnswer       = "inscription en ligne : réponse à l'invitation d'un opérateur CT"
	subjectOperatorAccount      = "inscription en ligne : votre compte opérateur CT"
	subjectDesignationWithdrawn = "inscription en ligne : annulation de votre désignation comme gestionnaire principal CT"
	subjectOperatorDeleted      = "inscription en ligne : suppression de votre compte opérateur CT"
	subjectAddressChanged       = "inscription en ligne : changement de l'adresse courriel de votre compte"
	subjectPrincipalChange      = "inscription en ligne : changement du gestionnaire principal CT"
)

// templateNames lists the e-mails, each rendered from templates/<name>.txt
// and templates/<name>.html.
var templateNames = []string{
	"codes",
	"password_reset",
	"designation",
	"principal_account",
	"designation_answer",
	"operator_invitation",
	"operator_answer",
	"operator_account",
	"designation_withdrawn",
	"operator_deleted",
	"address_changed",
	"training",
	"staff_codes",
	"principal_change",
}

// CodesData fills the e-mail that gives a collectivity its connection codes.
type CodesData struct{ Collectivity, Login, Link string }

// PasswordResetData fills the e-mail answering a forgotten password.
type PasswordResetData struct{ Login, Link string }

// DesignationData fills the e-mail asking a person to accept or refuse being
// designated principal manager of a collectivity.
type DesignationData struct {
	FullName     string // "Prénom Nom"
	Collectivity string
	Link         string
}

// PrincipalAccountData fills the e-mail giving the new principal manager
// their login, once they have accepted.
type PrincipalAccountData struct{ FullName, Collectivity, Login, Link string }

// OperatorAccountData fills the e-mail giving an operator its login, once
// it has accepted its invitation.
type OperatorAccountData struct{ FullName, Collectivity, Login, Link string }

// WithdrawnData fills the e-mail telling a designated person that the
// designation was cancelled.
type WithdrawnData struct {
	FullName, Collectivity string
	// Replaced says another person was designated in its place; else the
	// designation was cancelled.
	Replaced bool
}

// OperatorDeletedData fills the e-mail telling an operator its account was
// deleted; Active says it could log in (else only its links die).
type OperatorDeletedData struct {
	FullName, Collectivity, Login string
	Active                        bool
}

// AddressChangedData fills the e-mail telling an account's former address
// that the account's courriel changed: from "Mon compte" (by whoever holds
// the account) or by the principal (ByPrincipal). Manager says the account
// is the historical manager's, which has no principal to turn to.
type AddressChangedData struct {
	FullName, Collectivity, Login string
	ByPrincipal, Manager          bool
}

// OperatorInvitationData fills the e-mail asking a person to accept or refuse
// an operator account.
type OperatorInvitationData struct{ FullName, Collectivity, Link string }

// AnswerData fills the e-mails telling the current principal manager (the
// holder) what the designated person (FullName) answered, with their comment.
type AnswerData struct {
	HolderName   string
	FullName     string
	Collectivity string
	Comment      string
	Accepted     bool
	// PreviousManager says the holder was the historical manager, whose
	// account an accepted designation closes (a previous principal becomes
	// an operator instead).
	PreviousManager bool
}

// Composer renders the portal's e-mails from embedded templates. It is safe
// for concurrent use.
type Composer struct {
	host string
	text *texttemplate.Template
	html map[string]*htmltemplate.Template
}

// htmlPage is what the HTML layout executes: the e-mail's own data, plus
// the subject, which the layout repeats as the document title.
type htmlPage struct {
	Subject string
	Data    any
}

// NewComposer parses the templates, so that a broken one stops the program
// at start-up rather than at the first e-mail. host is the right-hand side
// of the Message-IDs, normally the portal's host name.
func NewComposer(host string) (*Composer, error) {
	if host == "" || strings.ContainsAny(host, "<>@ \t\r\n\"()[]\\,;:") {
		return nil, fmt.Errorf("mail: %q cannot be a Message-ID host", host)
	}
	text, err := texttemplate.New("").ParseFS(templateFS, "templates/*.txt")
	if err != nil {
		return nil, fmt.Errorf("mail: parse text templates: %w", err)
	}
	funcs := htmltemplate.FuncMap{"lines": lines}
	base, err := htmltemplate.New("").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("mail: parse html layout: %w", err)
	}
	c := &Composer{host: host, text: text, html: make(map[string]*htmltemplate.Template, len(templateNames))}
	for _, name := range templateNames {
		if text.Lookup(name+".txt") == nil {
			return nil, fmt.Errorf("mail: missing template %s.txt", name)
		}
		// Each e-mail defines its own "content", so each gets its own copy
		// of the layout: in a single set they would overwrite one another.
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("mail: clone html layout: %w", err)
		}
		if _, err := t.ParseFS(templateFS, "templates/"+name+".html"); err != nil {
			return nil, fmt.Errorf("mail: parse %s.html: %w", name, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("mail: %s.html defines no content", name)
		}
		c.html[name] = t
	}
	return c, nil
}

// Codes renders the e-mail giving a collectivity its login and the link to
// set its password.
func (c *Composer) Codes(to string, d CodesData) (Message, error) {
	return c.compose(to, "codes", subjectCodes, d)
}

// PasswordReset renders the e-mail carrying a password reset link.
func (c *Composer) PasswordReset(to string, d PasswordResetData) (Message, error) {
	return c.compose(to, "password_reset", subjectPasswordReset, d)
}

// Designation renders the e-mail asking the designated principal manager to
// accept or refuse.
func (c *Composer) Designation(to string, d DesignationData) (Message, error) {
	return c.compose(to, "designation", subjectDesignation, d)
}

// PrincipalAccount renders the e-mail giving the new principal manager
// their login and the link to set their password.
func (c *Composer) PrincipalAccount(to string, d PrincipalAccountData) (Message, error) {
	return c.compose(to, "principal_account", subjectPrincipalAccount, d)
}

// DesignationAnswer renders the e-mail telling the current principal manager
// whether the person they designated accepted.
func (c *Composer) DesignationAnswer(to string, d AnswerData) (Message, error) {
	return c.compose(to, "designation_answer", subjectDesignationAnswer, d.normalized())
}

// OperatorInvitation renders the e-mail asking an invited operator to accept
// or refuse.
func (c *Composer) OperatorInvitation(to string, d OperatorInvitationData) (Message, error) {
	return c.compose(to, "operator_invitation", subjectOperatorInvitation, d)
}

// OperatorAnswer renders the e-mail telling the manager whether the person
// they invited accepted their operator account.
func (c *Composer) OperatorAnswer(to string, d AnswerData) (Message, error) {
	return c.compose(to, "operator_answer", subjectOperatorAnswer, d.normalized())
}

// OperatorAccount renders the e-mail giving an operator who accepted its
// invitation its login and the link to set its password: the principal's
// e-mail of the notice, for an operator.
func (c *Composer) OperatorAccount(to string, d OperatorAccountData) (Message, error) {
	return c.compose(to, "operator_account", subjectOperatorAccount, d)
}

// DesignationWithdrawn renders the e-mail telling a designated person that
// the designation was cancelled: its link no longer works.
func (c *Composer) DesignationWithdrawn(to string, d WithdrawnData) (Message, error) {
	return c.compose(to, "designation_withdrawn", subjectDesignationWithdrawn, d)
}

// OperatorDeleted renders the e-mail telling an operator its account was deleted.
func (c *Composer) OperatorDeleted(to string, d OperatorDeletedData) (Message, error) {
	return c.compose(to, "operator_deleted", subjectOperatorDeleted, d)
}

// AddressChanged renders the e-mail telling an account's former address
// that the account's courriel changed.
func (c *Composer) AddressChanged(to string, d AddressChangedData) (Message, error) {
	return c.compose(to, "address_changed", subjectAddressChanged, d)
}

// normalized returns d with its comment cleaned as typed in a form: a
// comment of blanks is no comment, and CRLF line ends become LF so the text
// part does not get doubled line breaks.
func (d AnswerData) normalized() AnswerData {
	d.Comment = strings.TrimSpace(strings.ReplaceAll(d.Comment, "\r\n", "\n"))
	return d
}

func (c *Composer) compose(to, name, subject string, data any) (Message, error) {
	// Checked here rather than at delivery so that the handler that asked for
	// the e-mail reports the bad address instead of the outbox failing later.
	if _, err := mail.ParseAddress(to); err != nil {
		return Message{}, fmt.Errorf("mail: %s: invalid recipient: %w", name, err)
	}
	var text, html bytes.Buffer
	if err := c.text.ExecuteTemplate(&text, name+".txt", data); err != nil {
		return Message{}, fmt.Errorf("mail: render %s.txt: %w", name, err)
	}
	t, ok := c.html[name]
	if !ok {
		return Message{}, errors.New("mail: no html template " + name)
	}
	if err := t.ExecuteTemplate(&html, "layout", htmlPage{Subject: subject, Data: data}); err != nil {
		return Message{}, fmt.Errorf("mail: render %s.html: %w", name, err)
	}
	return Message{
		MessageID: c.newMessageID(),
		To:        to,
		Subject:   subject,
		Text:      strings.TrimRight(text.String(), "\n") + "\n",
		HTML:      html.String(),
	}, nil
}

// newMessageID returns a Message-ID that is unique without coordination
// between portal instances: 128 random bits.
func (c *Composer) newMessageID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails: crypto/rand crashes the program instead
	return "<" + hex.EncodeToString(b[:]) + "@" + c.host + ">"
}

// lines splits a comment so that the HTML part keeps its line breaks.
func lines(s string) []string {
	return strings.Split(s, "\n")
}
