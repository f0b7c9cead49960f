// Package mail composes, encodes and delivers the portal's e-mails.
//
// Handlers never talk to the SMTP server themselves: they get a Message
// from Letters, which composes each e-mail from the domain's values with
// its link, and queue it in the outbox, in the same database transaction as
// the change that warrants it (a created account, a designation…), so that
// an e-mail is sent if and only if that change is committed. A Worker then
// drains the outbox through a Sender, retrying temporary failures with
// backoff and giving up on permanent ones, so that a relay outage delays
// e-mails instead of losing them or failing requests.
package mail

import "time"

// Message is one e-mail, as composed and as stored in the outbox.
type Message struct {
	ID        int64     // outbox row id (0 before queuing)
	MessageID string    // RFC 5322 Message-ID with angle brackets, set by Compose, stable across retries
	From      string    // full From header value (may be empty: the Sender's default From applies)
	To        string    // one address
	Subject   string    // plain UTF-8; encoded when the message is
	Text      string    // text/plain part, UTF-8
	HTML      string    // text/html part, UTF-8
	ExpiresAt time.Time // zero when the message carries no link; otherwise the link's expiry: never send after it
	// Attachments are the documents sent with the e-mail (convocation,
	// attestation, calendar event), in order; none for most e-mails.
	Attachments []Attachment
}

// Attachment is one file attached to an e-mail.
type Attachment struct {
	Filename    string // as the recipient saves it; may hold any UTF-8
	ContentType string // media type, with its parameters: "application/pdf"
	Data        []byte
}
