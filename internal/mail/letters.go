package mail

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"iel/internal/domain"
)

// Link lifetimes. The e-mails say them in words ("valable 7 jours",
// "valable 1 heure"), and the outbox never sends a link past them.
const (
	// CodesLinkTTL is the life of a set-password link given with a login:
	// a new CT's codes, a new principal's or an operator's account.
	CodesLinkTTL = 7 * 24 * time.Hour
	// ResetLinkTTL is the life of a "Mot de passe oublié ?" link.
	ResetLinkTTL = time.Hour
	// DesignationTTL is the life of the link offering the principal role.
	DesignationTTL = 7 * 24 * time.Hour
	// InvitationTTL is the life of the link offering an operator account.
	InvitationTTL = 7 * 24 * time.Hour
)

// PasswordPath is the path of "MODIFICATION DU MOT DE PASSE" for a raw token.
func PasswordPath(raw string) string { return "/mot-de-passe/" + raw }

// DesignationPath is the path of "ACCEPTATION DU RÔLE : GESTIONNAIRE
// PRINCIPAL CT" for a raw token (the notice's "validationgestprin").
func DesignationPath(raw string) string { return "/validationgestprin/" + raw }

// InvitationPath is the path of "ACCEPTATION DU RÔLE : OPÉRATEUR CT" for a
// raw token (the notice's "validationoperateur").
func InvitationPath(raw string) string { return "/validationoperateur/" + raw }

// Letters composes each of the portal's e-mails from the domain's values:
// who receives it, what it says, and the link rooted at the portal's
// address. The web handlers and the command line ("ct create", the demo)
// call the same methods, so an e-mail reads the same whoever caused it. It
// is safe for concurrent use.
type Letters struct {
	composer *Composer
	baseURL  string
	pdfs     pdfCache // the documents of the training e-mails
}

// NewLetters returns the Letters of a portal served at baseURL, an
// http(s) URL: links start with it and Message-IDs end with its host.
func NewLetters(baseURL string) (*Letters, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mail: base url %q is not an http(s) URL", baseURL)
	}
	c, err := NewComposer(u.Hostname())
	if err != nil {
		return nil, err
	}
	return &Letters{composer: c, baseURL: strings.TrimRight(baseURL, "/")}, nil
}

func (l *Letters) link(path string) string { return l.baseURL + path }

// Codes is "vos codes de connexion", to a new CT's address: the login of
// its historical manager and the link to set its password (raw, valid
// CodesLinkTTL).
func (l *Letters) Codes(ct domain.Collectivity, login, raw string) (Message, error) {
	return l.composer.Codes(ct.Email, CodesData{Collectivity: ct.Name, Login: login, Link: l.link(PasswordPath(raw))})
}

// PasswordReset is "mot de passe oublié", to the account's address, with
// the set-password link raw (valid ResetLinkTTL).
func (l *Letters) PasswordReset(acc domain.Account, raw string) (Message, error) {
	return l.composer.PasswordReset(acc.Email, PasswordResetData{Login: acc.Login, Link: l.link(PasswordPath(raw))})
}

// Designation offers the principal role of ct to the person d designates,
// with the link raw to accept or refuse (valid DesignationTTL).
func (l *Letters) Designation(ct domain.Collectivity, d domain.Designation, raw string) (Message, error) {
	return l.composer.Designation(d.Email, DesignationData{FullName: d.FullName(), Collectivity: ct.Name, Link: l.link(DesignationPath(raw))})
}

// PrincipalAccount tells the person who accepted d their login as the
// principal of ct, with the link raw to set their password (valid
// CodesLinkTTL).
func (l *Letters) PrincipalAccount(ct domain.Collectivity, d domain.Designation, login, raw string) (Message, error) {
	return l.composer.PrincipalAccount(d.Email, PrincipalAccountData{FullName: d.FullName(), Collectivity: ct.Name, Login: login, Link: l.link(PasswordPath(raw))})
}

// DesignationAnswer tells the previous holder of ct what the person d
// designated answered, with their comment; a historical manager also
// reads that its account is closed.
func (l *Letters) DesignationAnswer(ct domain.Collectivity, d domain.Designation, previous domain.Account) (Message, error) {
	return l.composer.DesignationAnswer(previous.Email, AnswerData{
		HolderName:      previous.FullName(),
		FullName:        d.FullName(),
		Collectivity:    ct.Name,
		Comment:         d.Comment,
		Accepted:        d.State == domain.DesignationAccepted,
		PreviousManager: previous.Role == domain.RoleManager,
	})
}

// DesignationWithdrawn tells the person d designated that the holder of
// ct cancelled the designation.
func (l *Letters) DesignationWithdrawn(ct domain.Collectivity, d domain.Designation) (Message, error) {
	return l.composer.DesignationWithdrawn(d.Email, WithdrawnData{FullName: d.FullName(), Collectivity: ct.Name})
}

// DesignationReplaced tells the person d designated that another person
// was designated in its place: its link died with the new designation.
func (l *Letters) DesignationReplaced(ct domain.Collectivity, d domain.Designation) (Message, error) {
	return l.composer.DesignationWithdrawn(d.Email, WithdrawnData{FullName: d.FullName(), Collectivity: ct.Name, Replaced: true})
}

// OperatorDeleted tells the operator op that the principal of ct deleted its account.
func (l *Letters) OperatorDeleted(ct domain.Collectivity, op domain.Account) (Message, error) {
	return l.composer.OperatorDeleted(op.Email, OperatorDeletedData{FullName: op.FullName(), Collectivity: ct.Name, Login: op.Login,
		Active: op.State == domain.StateActive})
}

// AddressChanged tells the former address of an account of ct, before is
// the account before the change, that its courriel changed: by the
// principal of ct when byPrincipal, else from the account's own page.
func (l *Letters) AddressChanged(ct domain.Collectivity, before domain.Account, byPrincipal bool) (Message, error) {
	return l.composer.AddressChanged(before.Email, AddressChangedData{FullName: before.FullName(), Collectivity: ct.Name, Login: before.Login,
		ByPrincipal: byPrincipal, Manager: before.Role == domain.RoleManager})
}

// OperatorInvitation offers an operator account of ct to op, with the link
// raw to accept or refuse (valid InvitationTTL).
func (l *Letters) OperatorInvitation(ct domain.Collectivity, op domain.Account, raw string) (Message, error) {
	return l.composer.OperatorInvitation(op.Email, OperatorInvitationData{FullName: op.FullName(), Collectivity: ct.Name, Link: l.link(InvitationPath(raw))})
}

// OperatorAccount tells the operator op who accepted its invitation its
// login in ct, with the link raw to set its password (valid CodesLinkTTL).
func (l *Letters) OperatorAccount(ct domain.Collectivity, op domain.Account, raw string) (Message, error) {
	return l.composer.OperatorAccount(op.Email, OperatorAccountData{FullName: op.FullName(), Collectivity: ct.Name, Login: op.Login, Link: l.link(PasswordPath(raw))})
}

// OperatorAnswer tells the principal of ct whether op accepted the
// operator account, with op's comment.
func (l *Letters) OperatorAnswer(ct domain.Collectivity, op, principal domain.Account, accepted bool, comment string) (Message, error) {
	return l.composer.OperatorAnswer(principal.Email, AnswerData{HolderName: principal.FullName(), FullName: op.FullName(), Collectivity: ct.Name, Comment: comment, Accepted: accepted})
}
