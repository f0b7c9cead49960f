// Package mailtest runs an in-process SMTP server for tests, so that code
// sending e-mail can be tested end to end without a network beyond
// 127.0.0.1: the server records every message it accepts, can be told to
// refuse them, and can be stopped and restarted on the same port to play an
// outage.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message the server accepted.
type Received struct {
	From    string   // envelope sender (MAIL FROM)
	To      []string // envelope recipients (RCPT TO)
	Data    []byte   // the message as received, headers and body
	Subject string   // the Subject header, RFC 2047-decoded
	Text    string   // the text/plain part, decoded, with LF line ends
	// Attachments are the parts sent as attachments, decoded, in order.
	Attachments []Attachment
}

// Attachment is one attached file as received.
type Attachment struct {
	Filename    string // Content-Disposition's filename, RFC 2231-decoded
	ContentType string // the Content-Type header, as sent
	Data        []byte // decoded from base64
}

// mode is how clients secure their connection to the server.
type mode int

const (
	plain    mode = iota // no TLS at all
	startTLS             // STARTTLS offered
	implicit             // TLS from the first byte (smtps)
)

// Server is an SMTP server on 127.0.0.1 that records what it receives.
// Its methods are safe for concurrent use.
type Server struct {
	mode      mode
	serverTLS *tls.Config
	clientTLS *tls.Config

	mu     sync.Mutex
	addr   string // kept across Restart
	srv    *smtp.Server
	ln     net.Listener
	served chan struct{} // closed when the current Serve returns
	msgs   []Received
	reject int
	user   string
	pass   string
}

// NewServer starts a plain server (no TLS; AUTH allowed in clear) and stops
// it when the test ends. Its URL asks for ?tls=none, which the portal
// allows on 127.0.0.1 only.
func NewServer(t testing.TB) *Server {
	t.Helper()
	return start(t, plain)
}

// NewStartTLSServer starts a server that offers STARTTLS with a self-signed
// certificate for 127.0.0.1, and refuses mail sent without it; clients must
// trust ClientTLSConfig.
func NewStartTLSServer(t testing.TB) *Server {
	t.Helper()
	return start(t, startTLS)
}

// NewTLSServer starts an implicit-TLS server (smtps) with a self-signed
// certificate for 127.0.0.1; clients must trust ClientTLSConfig.
func NewTLSServer(t testing.TB) *Server {
	t.Helper()
	return start(t, implicit)
}

func start(t testing.TB, m mode) *Server {
	t.Helper()
	s := &Server{mode: m, addr: "127.0.0.1:0"}
	if m != plain {
		var err error
		if s.serverTLS, s.clientTLS, err = selfSigned(); err != nil {
			t.Fatalf("mailtest: certificate: %v", err)
		}
	}
	if err := s.listen(); err != nil {
		t.Fatalf("mailtest: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// URL returns the server's address as the portal configures it:
// "smtp://127.0.0.1:PORT?tls=none" for NewServer, "smtp://127.0.0.1:PORT"
// (STARTTLS) for NewStartTLSServer, "smtps://127.0.0.1:PORT" for
// NewTLSServer.
func (s *Server) URL() string {
	addr := s.Addr()
	switch s.mode {
	case implicit:
		return "smtps://" + addr
	case plain:
		return "smtp://" + addr + "?tls=none"
	}
	return "smtp://" + addr
}

// Addr returns the server's address, "127.0.0.1:PORT".
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// ClientTLSConfig returns a TLS configuration that trusts the server's
// certificate, or nil for a plain server.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.clientTLS == nil {
		return nil
	}
	return s.clientTLS.Clone()
}

// SetReject makes the server refuse every recipient with code: 451
// (temporary) or 550 (permanent), or accept again with 0.
func (s *Server) SetReject(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = code
}

// SetAuth makes the server require AUTH PLAIN with these credentials before
// it accepts a message; an empty user accepts anyone again.
func (s *Server) SetAuth(user, pass string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.pass = user, pass
}

// Messages returns a copy of what the server has accepted so far, oldest
// first.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

// WaitFor waits until the server has accepted at least n messages and
// returns them, failing the test after timeout.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailtest: got %d messages after %v, want %d", len(msgs), timeout, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Close stops the server and drops its connections. Calling it again does
// nothing.
func (s *Server) Close() {
	s.mu.Lock()
	srv, ln, served := s.srv, s.ln, s.served
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv == nil {
		return
	}
	_ = srv.Close()
	// srv.Close only closes the listeners Serve has registered, and Serve
	// may not have started yet.
	_ = ln.Close()
	<-served
}

// Restart stops the server if it runs, then listens again on the same port,
// keeping the messages received so far.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Close()
	// The port was just freed: another process could take it meanwhile, so
	// retry briefly rather than fail on the first refusal.
	var err error
	for range 50 {
		if err = s.listen(); err == nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("mailtest: restart: %v", err)
}

func (s *Server) listen() error {
	s.mu.Lock()
	addr := s.addr
	s.mu.Unlock()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	if s.mode == implicit {
		ln = tls.NewListener(ln, s.serverTLS)
	}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0) // clients hanging up is not news in tests
	if s.mode == startTLS {
		srv.TLSConfig = s.serverTLS
	}
	served := make(chan struct{})
	s.mu.Lock()
	s.addr = ln.Addr().String()
	s.srv, s.ln, s.served = srv, ln, served
	s.mu.Unlock()
	go func() {
		defer close(served)
		_ = srv.Serve(ln)
	}()
	return nil
}

// backend opens a session per connection.
type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

// session records one SMTP transaction at a time.
type session struct {
	s      *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (se *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (se *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		se.s.mu.Lock()
		defer se.s.mu.Unlock()
		if identity != "" && identity != user {
			return smtp.ErrAuthFailed
		}
		if se.s.user == "" || user != se.s.user || pass != se.s.pass {
			return smtp.ErrAuthFailed
		}
		se.authed = true
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	// A STARTTLS server insists on it, as relays do, so that a client that
	// forgot to upgrade fails its test instead of passing in clear.
	if _, isTLS := se.conn.TLSConnectionState(); se.s.mode == startTLS && !isTLS {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Must issue a STARTTLS command first"}
	}
	se.s.mu.Lock()
	needAuth := se.s.user != ""
	se.s.mu.Unlock()
	if needAuth && !se.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.s.mu.Lock()
	code := se.s.reject
	se.s.mu.Unlock()
	switch {
	case code == 0:
	case code >= 400 && code < 500:
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{4, 0, 0}, Message: "Try again later"}
	default:
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
	}
	se.to = append(se.to, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	rec := Received{From: se.from, To: append([]string(nil), se.to...), Data: data}
	// A message that does not parse is still recorded: the test decides.
	rec.Subject, rec.Text, rec.Attachments, _ = decode(data)
	se.s.mu.Lock()
	se.s.msgs = append(se.s.msgs, rec)
	se.s.mu.Unlock()
	return nil
}

func (se *session) Reset() {
	se.from = ""
	se.to = nil
}

func (se *session) Logout() error { return nil }

// decode returns the decoded subject, text/plain part and attachments of a
// message, walking nested multiparts (mixed, alternative).
func decode(data []byte) (subject, text string, files []Attachment, err error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return "", "", nil, err
	}
	var dec mime.WordDecoder
	if subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return "", "", nil, err
	}
	var body []byte
	err = walk(textproto.MIMEHeader(msg.Header), msg.Body, &body, &files)
	return subject, strings.ReplaceAll(string(body), "\r\n", "\n"), files, err
}

// walk reads one part: the first text/plain that is not an attachment
// goes to text, attachments to files, multiparts are walked into.
func walk(h textproto.MIMEHeader, r io.Reader, text *[]byte, files *[]Attachment) error {
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return err
	}
	enc := strings.ToLower(h.Get("Content-Transfer-Encoding"))
	switch enc {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	}
	if disp, dparams, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil && disp == "attachment" {
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		*files = append(*files, Attachment{Filename: dparams["filename"], ContentType: h.Get("Content-Type"), Data: data})
		return nil
	}
	switch {
	case mediaType == "text/plain":
		if *text != nil {
			return nil
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		*text = b
	case strings.HasPrefix(mediaType, "multipart/"):
		mr := multipart.NewReader(r, params["boundary"])
		for {
			// RawPart: the transfer encoding is walk's to undo.
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := walk(p.Header, p, text, files); err != nil {
				return err
			}
		}
	}
	return nil
}

// selfSigned returns a server configuration with a fresh certificate for
// 127.0.0.1 and localhost, and a client configuration trusting it.
func selfSigned() (server, client *tls.Config, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}},
		MinVersion:   tls.VersionTLS12,
	}
	client = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return server, client, nil
}
