package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// sendTimeout bounds one delivery when the caller's context has no deadline,
// so that a relay that stops answering cannot hold the worker forever.
const sendTimeout = time.Minute

// errNoStartTLS refuses a relay that does not offer STARTTLS to an smtp://
// URL: the message would cross the network in clear, links included.
var errNoStartTLS = errors.New("the server does not offer STARTTLS, which smtp:// requires: nothing was sent " +
	"(use smtps://, or smtp://…?tls=none for a relay on this machine)")

// goSMTPNoStartTLS is go-smtp's error text for a server without STARTTLS;
// the library exports no sentinel. Whatever the text, a failed STARTTLS
// sends nothing: it only picks the clearer message, which
// TestSendRequiresStartTLS checks.
const goSMTPNoStartTLS = "doesn't support STARTTLS"

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SMTPSender delivers messages to an SMTP relay, one connection per message:
// the portal sends few e-mails, and a fresh connection never finds a stale
// session left by a relay that timed it out.
type SMTPSender struct {
	addr      string // host:port
	host      string
	implicit  bool // smtps: TLS from the first byte
	plain     bool // ?tls=none: no TLS at all, to a relay on this machine only
	user      string
	pass      string
	from      string
	tlsConfig *tls.Config
	helo      string // our name in EHLO
}

// NewSMTPSender parses "smtp://[user:pass@]host:port", which requires
// STARTTLS (a server that does not offer it is a failed delivery, retried
// later), or "smtps://[user:pass@]host:port" (implicit TLS). The port
// defaults to 25 and 465 respectively. Only "smtp://host:port?tls=none"
// talks in clear, and only to a loopback address or localhost: a relay on
// this machine, so that nothing crosses a network unencrypted.
// AUTH PLAIN is used when user is given. from is the default From header
// when m.From is empty. tlsConfig may be nil (system roots).
func NewSMTPSender(rawURL, from string, tlsConfig *tls.Config) (*SMTPSender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse quotes its input, which may hold the password.
		return nil, errors.New("mail: the smtp url does not parse")
	}
	s := &SMTPSender{from: from, tlsConfig: tlsConfig}
	port := "25"
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.implicit = true
		port = "465"
	default:
		return nil, fmt.Errorf("mail: smtp url scheme %q is neither smtp nor smtps", u.Scheme)
	}
	s.host = u.Hostname()
	if s.host == "" {
		return nil, fmt.Errorf("mail: smtp url %s has no host", u.Redacted())
	}
	if p := u.Port(); p != "" {
		port = p
	}
	if (u.Path != "" && u.Path != "/") || u.Opaque != "" || u.Fragment != "" {
		return nil, fmt.Errorf("mail: smtp url %s has unexpected parts", u.Redacted())
	}
	if s.plain, err = plainText(u, s.host); err != nil {
		return nil, err
	}
	s.addr = net.JoinHostPort(s.host, port)
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	if from != "" {
		if _, err := mail.ParseAddress(from); err != nil {
			return nil, fmt.Errorf("mail: default from %q: %w", from, err)
		}
	}
	// Relays may refuse "localhost" as a HELO name; the machine's name is
	// the honest answer when it is fully qualified.
	s.helo = "localhost"
	if h, err := os.Hostname(); err == nil && strings.Contains(h, ".") {
		s.helo = h
	}
	return s, nil
}

// plainText reads the query of an smtp URL: nothing, or tls=none for a
// relay on this machine.
func plainText(u *url.URL, host string) (bool, error) {
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return false, fmt.Errorf("mail: smtp url %s: the query does not parse", u.Redacted())
	}
	for k, v := range q {
		switch {
		case k != "tls":
			return false, fmt.Errorf("mail: smtp url %s: unknown setting %q (the only one is ?tls=none)", u.Redacted(), k)
		case len(v) != 1 || v[0] != "none":
			return false, fmt.Errorf("mail: smtp url %s: ?tls= takes one value, none (without it, smtp:// requires STARTTLS)", u.Redacted())
		}
	}
	if q.Get("tls") != "none" {
		return false, nil
	}
	if u.Scheme == "smtps" {
		return false, fmt.Errorf("mail: smtp url %s: smtps:// and ?tls=none contradict each other", u.Redacted())
	}
	if !isLocal(host) {
		return false, fmt.Errorf("mail: smtp url %s: ?tls=none sends e-mails and their links unencrypted, so it is allowed only "+
			"for a relay on this machine (127.0.0.1, ::1 or localhost), not %s: use STARTTLS (smtp:// without ?tls=none) or smtps://", u.Redacted(), host)
	}
	return true, nil
}

// Send delivers m. Its errors never hold the password; Permanent tells
// whether retrying is pointless.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	data, err := Encode(m, s.from, time.Now())
	if err != nil {
		return err
	}
	from := m.From
	if from == "" {
		from = s.from
	}
	sender, err := mail.ParseAddress(from)
	if err != nil {
		return &permanentError{fmt.Errorf("mail: from %q: %w", from, err)}
	}
	rcpt, err := mail.ParseAddress(m.To)
	if err != nil {
		return &permanentError{fmt.Errorf("mail: to: %w", err)}
	}

	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	c, err := s.dial(ctx)
	if err != nil {
		return s.wrap(ctx, err)
	}
	// Closing the connection is the only way to interrupt a command in
	// flight, as in session.
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	defer c.Close()

	if s.user != "" {
		if err := s.auth(c); err != nil {
			return s.wrap(ctx, &setupError{err})
		}
	}
	if err := c.SendMail(sender.Address, []string{rcpt.Address}, bytes.NewReader(data)); err != nil {
		return s.wrap(ctx, err)
	}
	// The relay has taken the message: a failed QUIT must not make the
	// worker send it again.
	_ = c.Quit()
	return nil
}

// dial connects and says hello over TLS: from the first byte for smtps://,
// after STARTTLS for smtp://, never for ?tls=none.
func (s *SMTPSender) dial(ctx context.Context) (*smtp.Client, error) {
	cfg := s.tlsConfig.Clone()
	if cfg == nil {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = s.host
	}
	dialer := &net.Dialer{}
	if s.implicit {
		td := &tls.Dialer{NetDialer: dialer, Config: cfg}
		conn, err := td.DialContext(ctx, "tcp", s.addr)
		if err != nil {
			return nil, err
		}
		return s.session(ctx, conn, nil)
	}
	conn, err := dialer.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return nil, err
	}
	if s.plain {
		return s.session(ctx, conn, nil)
	}
	return s.session(ctx, conn, cfg)
}

// session starts an SMTP session on conn, upgraded by STARTTLS when
// starttls is not nil: a server that does not offer it, or whose
// certificate does not verify, ends the session before anything is sent.
func (s *SMTPSender) session(ctx context.Context, conn net.Conn, starttls *tls.Config) (*smtp.Client, error) {
	// The client resets the connection's deadline at each command, so
	// closing the connection is the one way to make it obey ctx.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	var c *smtp.Client
	if starttls == nil {
		c = smtp.NewClient(conn)
	} else {
		var err error
		if c, err = smtp.NewClientStartTLS(conn, starttls); err != nil {
			if strings.Contains(err.Error(), goSMTPNoStartTLS) {
				err = errNoStartTLS
			}
			return nil, &setupError{err}
		}
	}
	if deadline, ok := ctx.Deadline(); ok {
		c.CommandTimeout = time.Until(deadline)
		c.SubmissionTimeout = time.Until(deadline)
	}
	// Said here, not left to the first command, so that a refused greeting
	// or a certificate that does not verify counts as a set-up failure.
	if err := c.Hello(s.helo); err != nil {
		c.Close()
		return nil, &setupError{err}
	}
	return c, nil
}

// auth authenticates, refusing to send the password in clear to anything
// but this machine (?tls=none allows no other host; this stays as a guard).
func (s *SMTPSender) auth(c *smtp.Client) error {
	if _, isTLS := c.TLSConnectionState(); !isTLS && !isLocal(s.host) {
		return errors.New("refusing to send credentials over a connection without TLS")
	}
	return c.Auth(sasl.NewPlainClient("", s.user, s.pass))
}

// wrap names the relay in err, and reports the cancelled context rather
// than the closed connection it caused.
func (s *SMTPSender) wrap(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("mail: smtp %s: %w", s.addr, ctxErr)
	}
	var pe *permanentError
	if errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("mail: smtp %s: %w", s.addr, err)
}

// isLocal reports whether host is this machine: a loopback address, or
// localhost.
func isLocal(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// permanentError marks failures that no retry can cure, such as an address
// that does not parse.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// setupError marks failures before the message transaction (greeting,
// STARTTLS, authentication). Even a 5xx there says the relay or our
// settings are wrong, not the message: retrying gives an operator the
// chance to fix them before the outbox gives up.
type setupError struct{ err error }

func (e *setupError) Error() string { return e.err.Error() }
func (e *setupError) Unwrap() error { return e.err }

// Permanent reports whether err is a permanent delivery failure (SMTP 5xx
// to the message transaction, or a message that cannot be encoded), as
// opposed to a temporary one (4xx, network, session set-up) worth retrying.
func Permanent(err error) bool {
	var se *setupError
	if errors.As(err, &se) {
		return false
	}
	var pe *permanentError
	if errors.As(err, &pe) {
		return true
	}
	var smtpErr *smtp.SMTPError
	return errors.As(err, &smtpErr) && smtpErr.Code >= 500 && smtpErr.Code < 600
}

// Encode returns the RFC 5322 bytes of m, with from as the From header when
// m.From is empty. Both parts are quoted-printable so that every line stays
// short and 7-bit, whatever the relay supports.
func Encode(m Message, from string, date time.Time) ([]byte, error) {
	if m.From != "" {
		from = m.From
	}
	fromAddr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, &permanentError{fmt.Errorf("mail: from %q: %w", from, err)}
	}
	toAddr, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, &permanentError{fmt.Errorf("mail: to: %w", err)}
	}
	if !strings.HasPrefix(m.MessageID, "<") || !strings.HasSuffix(m.MessageID, ">") ||
		strings.ContainsAny(m.MessageID, " \t\r\n") {
		return nil, &permanentError{fmt.Errorf("mail: message-id %q is not <id@host>", m.MessageID)}
	}

	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(fold(name, value) + "\r\n") }
	header("From", fromAddr.String())
	header("To", toAddr.String())
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", date.Format(time.RFC1123Z))
	header("Message-ID", m.MessageID)
	// RFC 3834: stops out-of-office replies to a sender nobody reads.
	header("Auto-Submitted", "auto-generated")
	header("MIME-Version", "1.0")

	if len(m.Attachments) == 0 {
		if err := writeBody(&b, header, m); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	// With attachments: multipart/mixed, the e-mail's body first, then
	// each file in base64.
	mixed := multipart.NewWriter(&b)
	header("Content-Type", mime.FormatMediaType("multipart/mixed", map[string]string{"boundary": mixed.Boundary()}))
	b.WriteString("\r\n")
	var body bytes.Buffer
	bodyHeader := textproto.MIMEHeader{}
	if err := writeBody(&body, func(name, value string) { bodyHeader.Set(name, value) }, m); err != nil {
		return nil, err
	}
	w, err := mixed.CreatePart(bodyHeader)
	if err != nil {
		return nil, fmt.Errorf("mail: encode: %w", err)
	}
	// writeBody ended the (empty) header block with a blank line.
	if _, err := w.Write(bytes.TrimPrefix(body.Bytes(), []byte("\r\n"))); err != nil {
		return nil, fmt.Errorf("mail: encode: %w", err)
	}
	for _, a := range m.Attachments {
		if err := writeAttachment(mixed, a); err != nil {
			return nil, err
		}
	}
	if err := mixed.Close(); err != nil {
		return nil, fmt.Errorf("mail: encode: %w", err)
	}
	return b.Bytes(), nil
}

// writeBody writes the e-mail's text: its Content-Type headers through
// header, a blank line, then text/plain alone or, with HTML, a
// multipart/alternative of both.
func writeBody(b *bytes.Buffer, header func(name, value string), m Message) error {
	if m.HTML == "" {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		return writeQP(b, m.Text)
	}
	mw := multipart.NewWriter(b)
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	// Clients show the last part they can render: plain text first.
	for _, part := range []struct{ typ, body string }{
		{"text/plain; charset=utf-8", m.Text},
		{"text/html; charset=utf-8", m.HTML},
	} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return fmt.Errorf("mail: encode: %w", err)
		}
		if err := writeQP(w, part.body); err != nil {
			return err
		}
	}
	if err := mw.Close(); err != nil {
		return fmt.Errorf("mail: encode: %w", err)
	}
	return nil
}

// writeAttachment writes a in base64 lines of 76 characters. Its name goes
// in Content-Disposition's filename, RFC 2231-encoded when it is not ASCII,
// and in Content-Type's name, RFC 2047-encoded, which older clients read.
func writeAttachment(mixed *multipart.Writer, a Attachment) error {
	typ, params, err := mime.ParseMediaType(a.ContentType)
	if err != nil || strings.HasPrefix(typ, "multipart/") {
		return &permanentError{fmt.Errorf("mail: attachment %q: content type %q", a.Filename, a.ContentType)}
	}
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' {
			return '_'
		}
		return r
	}, a.Filename)
	if name == "" {
		return &permanentError{errors.New("mail: an attachment has no file name")}
	}
	params["name"] = mime.QEncoding.Encode("utf-8", name)
	w, err := mixed.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {mime.FormatMediaType(typ, params)},
		"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": name})},
		"Content-Transfer-Encoding": {"base64"},
	})
	if err != nil {
		return fmt.Errorf("mail: encode: %w", err)
	}
	enc := base64.StdEncoding.EncodeToString(a.Data)
	for len(enc) > 76 {
		if _, err := io.WriteString(w, enc[:76]+"\r\n"); err != nil {
			return fmt.Errorf("mail: encode: %w", err)
		}
		enc = enc[76:]
	}
	if _, err := io.WriteString(w, enc+"\r\n"); err != nil {
		return fmt.Errorf("mail: encode: %w", err)
	}
	return nil
}

// fold returns the header line "name: value", folded at spaces so that its
// lines stay within the 78 characters RFC 5322 recommends: encoded names
// and subjects easily go past. Every header written here may be folded at
// any of its spaces, encoded words included.
func fold(name, value string) string {
	var b strings.Builder
	b.WriteString(name + ":")
	width := b.Len()
	for w := range strings.SplitSeq(value, " ") {
		// A line of blanks only would be obsolete syntax: never fold before
		// an empty word, which stands for a doubled space.
		if w != "" && width+1+len(w) > 78 {
			b.WriteString("\r\n")
			width = 0
		}
		b.WriteString(" " + w)
		width += 1 + len(w)
	}
	return b.String()
}

// writeQP writes s quoted-printable; the writer turns LF into CRLF.
func writeQP(w io.Writer, s string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := io.WriteString(qp, s); err != nil {
		return fmt.Errorf("mail: encode: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("mail: encode: %w", err)
	}
	return nil
}
