package mail

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"

	"iel/internal/mail/mailtest"
)

func TestSend(t *testing.T) {
	tests := []struct {
		name  string
		start func(testing.TB) *mailtest.Server
	}{
		{name: "plain", start: mailtest.NewServer},
		{name: "starttls", start: mailtest.NewStartTLSServer},
		{name: "smtps", start: mailtest.NewTLSServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.start(t)
			m := testMessage()
			if err := newTestSender(t, srv, "").Send(t.Context(), m); err != nil {
				t.Fatalf("Send: %v", err)
			}
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("server received %d messages, want 1", len(got))
			}
			r := got[0]
			if diff := cmp.Diff([]string{m.To}, r.To); diff != "" {
				t.Errorf("RCPT TO (-want +got):\n%s", diff)
			}
			if r.From != "ne-pas-repondre@cnfpt.example" {
				t.Errorf("MAIL FROM = %q", r.From)
			}
			if r.Subject != m.Subject || r.Text != m.Text {
				t.Errorf("mailtest decoded subject %q, text %q", r.Subject, r.Text)
			}
			d := parseMessage(t, r.Data)
			if d.Subject != m.Subject {
				t.Errorf("Subject = %q, want %q", d.Subject, m.Subject)
			}
			if d.Text != m.Text {
				t.Errorf("text part (-want +got):\n%s", cmp.Diff(m.Text, d.Text))
			}
			if d.HTML != m.HTML {
				t.Errorf("html part (-want +got):\n%s", cmp.Diff(m.HTML, d.HTML))
			}
			wantTypes := []string{"text/plain; charset=utf-8", "text/html; charset=utf-8"}
			if diff := cmp.Diff(wantTypes, d.Types); diff != "" {
				t.Errorf("parts (-want +got):\n%s", diff)
			}
			if got := d.Header.Get("Message-ID"); got != m.MessageID {
				t.Errorf("Message-ID = %q, want %q", got, m.MessageID)
			}
			from, err := d.Header.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Name != "Inscription en ligne — CNFPT" {
				t.Errorf("From = %v (%v)", from, err)
			}
		})
	}
}

func TestSendAuth(t *testing.T) {
	tests := []struct {
		name     string
		start    func(testing.TB) *mailtest.Server
		userinfo string
		wantErr  bool
	}{
		{name: "plain to localhost", start: mailtest.NewServer, userinfo: "iel:s3cret"},
		{name: "starttls", start: mailtest.NewStartTLSServer, userinfo: "iel:s3cret"},
		{name: "smtps", start: mailtest.NewTLSServer, userinfo: "iel:s3cret"},
		{name: "escaped password", start: mailtest.NewServer, userinfo: "iel:s3cret%40%3A%2F"},
		{name: "wrong password", start: mailtest.NewServer, userinfo: "iel:s3cretX", wantErr: true},
		{name: "no credentials", start: mailtest.NewServer, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := tt.start(t)
			pass := "s3cret"
			if strings.Contains(tt.userinfo, "%40") {
				pass = "s3cret@:/"
			}
			srv.SetAuth("iel", pass)
			u := srv.URL()
			if tt.userinfo != "" {
				u = strings.Replace(u, "://", "://"+tt.userinfo+"@", 1)
			}
			err := newTestSender(t, srv, u).Send(t.Context(), testMessage())
			if (err != nil) != tt.wantErr {
				t.Fatalf("Send = %v, want error %v", err, tt.wantErr)
			}
			if n := len(srv.Messages()); n != 1 && !tt.wantErr {
				t.Errorf("server received %d messages, want 1", n)
			}
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

// TestSendRequiresStartTLS: an smtp:// URL without ?tls=none sends nothing
// to a server that does not offer STARTTLS, and says so; the failure is
// temporary, so the outbox keeps the message for when the relay is fixed.
func TestSendRequiresStartTLS(t *testing.T) {
	tests := []struct {
		name     string
		userinfo string
	}{
		{name: "anonymous"},
		{name: "with credentials", userinfo: "iel:s3cret@"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.NewServer(t)
			if tt.userinfo != "" {
				srv.SetAuth("iel", "s3cret")
			}
			err := newTestSender(t, srv, "smtp://"+tt.userinfo+srv.Addr()).Send(t.Context(), testMessage())
			if err == nil {
				t.Fatal("Send to a server without STARTTLS succeeded")
			}
			if !strings.Contains(err.Error(), "does not offer STARTTLS") || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q: want it to name the missing STARTTLS, and no password", err)
			}
			if Permanent(err) {
				t.Errorf("Permanent(%v) = true, want a temporary failure", err)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server received %d messages, want 0", n)
			}
		})
	}
}

// TestSendStartTLSNeverFallsBack: a certificate that does not verify ends
// the delivery; it never goes on in clear.
func TestSendStartTLSNeverFallsBack(t *testing.T) {
	srv := mailtest.NewStartTLSServer(t)
	s, err := NewSMTPSender(srv.URL(), testFrom, nil) // the system roots do not trust the test's certificate
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(t.Context(), testMessage())
	if err == nil || Permanent(err) {
		t.Fatalf("Send = %v, want a temporary failure", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d messages, want 0", n)
	}
}

func TestSendAuthFailureIsTemporary(t *testing.T) {
	// A wrong password is the operator's to fix: the outbox must keep the
	// messages meanwhile rather than fail them all.
	srv := mailtest.NewServer(t)
	srv.SetAuth("iel", "right")
	u := strings.Replace(srv.URL(), "://", "://iel:wrong@", 1)
	err := newTestSender(t, srv, u).Send(t.Context(), testMessage())
	if err == nil {
		t.Fatal("Send with a wrong password succeeded")
	}
	if Permanent(err) {
		t.Errorf("Permanent(%v) = true, want false", err)
	}
}

func TestSendFailures(t *testing.T) {
	tests := []struct {
		name          string
		setup         func(*mailtest.Server)
		wantPermanent bool
	}{
		{name: "451", setup: func(s *mailtest.Server) { s.SetReject(451) }},
		{name: "550", setup: func(s *mailtest.Server) { s.SetReject(550) }, wantPermanent: true},
		{name: "server down", setup: func(s *mailtest.Server) { s.Close() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := mailtest.NewServer(t)
			sender := newTestSender(t, srv, strings.Replace(srv.URL(), "://", "://iel:s3cret@", 1))
			srv.SetAuth("iel", "s3cret")
			tt.setup(srv)
			err := sender.Send(t.Context(), testMessage())
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if got := Permanent(err); got != tt.wantPermanent {
				t.Errorf("Permanent(%v) = %v, want %v", err, got, tt.wantPermanent)
			}
			if !strings.HasPrefix(err.Error(), "mail: ") || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q: want a mail: prefix and no password", err)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server received %d messages, want 0", n)
			}
		})
	}
}

func TestSendRespectsContext(t *testing.T) {
	// A server that accepts the connection and never says a word.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := make(chan net.Conn, 4)
	defer func() {
		ln.Close()
		for c := range accepted {
			c.Close()
		}
	}()
	go func() {
		defer close(accepted)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			select {
			case accepted <- c:
			default:
				c.Close()
			}
		}
	}()
	s, err := NewSMTPSender("smtp://"+ln.Addr().String(), testFrom, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = s.Send(ctx, testMessage())
	if err == nil {
		t.Fatal("Send to a mute server succeeded")
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Send took %v despite a 200ms deadline", elapsed)
	}
	if !errors.Is(err, context.DeadlineExceeded) || Permanent(err) {
		t.Errorf("Send = %v, want a temporary deadline error", err)
	}
}

func TestIsLocal(t *testing.T) {
	// Credentials, and with ?tls=none whole e-mails, go in clear to these
	// hosts only.
	tests := []struct {
		name string
		host string
		want bool
	}{
		{name: "localhost", host: "localhost", want: true},
		{name: "localhost in capitals", host: "LOCALHOST", want: true},
		{name: "loopback v4", host: "127.0.0.1", want: true},
		{name: "loopback v6", host: "::1", want: true},
		{name: "remote name", host: "smtp.example", want: false},
		{name: "remote ip", host: "192.0.2.1", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isLocal(tt.host); got != tt.want {
				t.Errorf("isLocal(%q) = %v, want %v", tt.host, got, tt.want)
			}
		})
	}
}

func TestNewSMTPSender(t *testing.T) {
	tests := []struct {
		name      string
		url       string
		from      string
		wantAddr  string
		wantPlain bool   // no TLS at all
		wantErr   string // in the error, when one is expected
	}{
		{name: "smtp with port", url: "smtp://relay.example:587", wantAddr: "relay.example:587"},
		{name: "plain on 127.0.0.1", url: "smtp://u:s3cret@127.0.0.1:2525?tls=none", wantAddr: "127.0.0.1:2525", wantPlain: true},
		{name: "plain on ::1", url: "smtp://[::1]:25?tls=none", wantAddr: "[::1]:25", wantPlain: true},
		{name: "plain on localhost", url: "smtp://localhost?tls=none", wantAddr: "localhost:25", wantPlain: true},
		{name: "plain on a remote host", url: "smtp://u:s3cret@relay.example:25?tls=none", wantErr: "allowed only for a relay on this machine"},
		{name: "plain on a remote address", url: "smtp://192.0.2.1:25?tls=none", wantErr: "allowed only for a relay on this machine"},
		{name: "plain on a name that looks local", url: "smtp://localhost.example:25?tls=none", wantErr: "allowed only for a relay on this machine"},
		{name: "smtps and plain", url: "smtps://127.0.0.1?tls=none", wantErr: "contradict"},
		{name: "other tls value", url: "smtp://u:s3cret@127.0.0.1?tls=no", wantErr: "takes one value, none"},
		{name: "tls twice", url: "smtp://127.0.0.1?tls=none&tls=none", wantErr: "takes one value, none"},
		{name: "other setting", url: "smtp://u:s3cret@relay.example?auth=plain", wantErr: "the only one is ?tls=none"},
		{name: "fragment", url: "smtp://u:s3cret@relay.example#x", wantErr: "unexpected parts"},
		{name: "smtp default port", url: "smtp://relay.example", wantAddr: "relay.example:25"},
		{name: "smtps default port", url: "smtps://u:p@relay.example", wantAddr: "relay.example:465"},
		{name: "ipv6", url: "smtp://[::1]:2525", wantAddr: "[::1]:2525"},
		{name: "bad scheme", url: "http://u:s3cret@relay.example", wantErr: "neither smtp nor smtps"},
		{name: "no host", url: "smtp://u:s3cret@:25", wantErr: "no host"},
		{name: "bad port", url: "smtp://u:s3cret@relay.example:x", wantErr: "does not parse"},
		{name: "path", url: "smtp://u:s3cret@relay.example/x", wantErr: "unexpected parts"},
		{name: "bad from", url: "smtp://relay.example", from: "not an address", wantErr: "default from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := NewSMTPSender(tt.url, tt.from, nil)
			if (err != nil) != (tt.wantErr != "") {
				t.Fatalf("NewSMTPSender(%q) = %v, want error %q", tt.url, err, tt.wantErr)
			}
			if err != nil {
				if !strings.HasPrefix(err.Error(), "mail: ") || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "s3cret") {
					t.Errorf("error %q: want a mail: prefix, %q and no password", err, tt.wantErr)
				}
				return
			}
			if s.addr != tt.wantAddr || s.plain != tt.wantPlain {
				t.Errorf("addr %q, plain %v; want %q, %v", s.addr, s.plain, tt.wantAddr, tt.wantPlain)
			}
		})
	}
}

func TestPermanent(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{name: "nil", err: nil, want: false},
		{name: "550", err: &smtp.SMTPError{Code: 550}, want: true},
		{name: "wrapped 554", err: fmt.Errorf("mail: x: %w", &smtp.SMTPError{Code: 554}), want: true},
		{name: "451", err: &smtp.SMTPError{Code: 451}, want: false},
		{name: "network", err: &net.OpError{Op: "dial", Err: errors.New("refused")}, want: false},
		{name: "5xx during set-up", err: fmt.Errorf("mail: %w", &setupError{&smtp.SMTPError{Code: 535}}), want: false},
		{name: "unencodable message", err: &permanentError{errors.New("bad address")}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Permanent(tt.err); got != tt.want {
				t.Errorf("Permanent(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestEncode(t *testing.T) {
	m := testMessage()
	date := time.Date(2025, 3, 14, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	data, err := Encode(m, testFrom, date)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	for i, line := range bytes.SplitAfter(data, []byte("\n")) {
		if len(line) > 0 && !bytes.HasSuffix(line, []byte("\r\n")) {
			t.Errorf("line %d %q does not end in CRLF", i+1, line)
		}
		if len(line) > 78+2 {
			t.Errorf("line %d is %d bytes long", i+1, len(line))
		}
		for _, b := range line {
			if b >= 0x80 {
				t.Fatalf("line %d %q is not 7-bit", i+1, line)
			}
		}
	}
	d := parseMessage(t, data)
	wantHeader := map[string]string{
		"To":                        "<jean.dupont@mairie.example>",
		"Date":                      "Fri, 14 Mar 2025 09:30:00 +0100",
		"Message-Id":                m.MessageID,
		"Mime-Version":              "1.0",
		"Auto-Submitted":            "auto-generated",
		"Content-Transfer-Encoding": "",
	}
	gotHeader := map[string]string{}
	for k := range wantHeader {
		gotHeader[k] = d.Header.Get(k)
	}
	if diff := cmp.Diff(wantHeader, gotHeader); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	if raw := d.Header.Get("Subject"); !strings.HasPrefix(raw, "=?utf-8?q?") {
		t.Errorf("raw Subject %q is not Q-encoded", raw)
	}
	if d.Subject != m.Subject || d.Text != m.Text || d.HTML != m.HTML {
		t.Errorf("decoded = %q / %q / %q", d.Subject, d.Text, d.HTML)
	}
	// Headers come in the order the brief gives.
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(data)))
	var order []string
	for {
		line, err := tp.ReadLine()
		if err != nil || line == "" {
			break
		}
		if k, _, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, " ") {
			order = append(order, k)
		}
	}
	wantOrder := []string{"From", "To", "Subject", "Date", "Message-ID", "Auto-Submitted", "MIME-Version", "Content-Type"}
	if diff := cmp.Diff(wantOrder, order); diff != "" {
		t.Errorf("header order (-want +got):\n%s", diff)
	}
}

func TestEncodeFrom(t *testing.T) {
	tests := []struct {
		name    string
		msgFrom string
		def     string
		want    string
	}{
		{name: "default", def: "portail@cnfpt.example", want: "portail@cnfpt.example"},
		{name: "message wins", msgFrom: "autre@cnfpt.example", def: "portail@cnfpt.example", want: "autre@cnfpt.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMessage()
			m.From = tt.msgFrom
			data, err := Encode(m, tt.def, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			from, err := parseMessage(t, data).Header.AddressList("From")
			if err != nil || len(from) != 1 || from[0].Address != tt.want {
				t.Errorf("From = %v (%v), want %s", from, err, tt.want)
			}
		})
	}
}

func TestEncodeLongSubjectFolds(t *testing.T) {
	m := testMessage()
	m.Subject = strings.Repeat("réponse à la désignation ", 12)
	data, err := Encode(m, testFrom, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	d := parseMessage(t, data)
	if d.Subject != m.Subject {
		t.Errorf("Subject = %q, want %q", d.Subject, m.Subject)
	}
	for line := range strings.SplitSeq(string(data), "\r\n") {
		if len(line) > 78 {
			t.Errorf("line of %d bytes: %q", len(line), line)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Message)
		from   string
	}{
		{name: "no from", change: func(*Message) {}, from: ""},
		{name: "bad to", change: func(m *Message) { m.To = "a@b.example\r\nBcc: x@y.example" }, from: testFrom},
		{name: "no message-id", change: func(m *Message) { m.MessageID = "" }, from: testFrom},
		{name: "bad message-id", change: func(m *Message) { m.MessageID = "<a\r\nBcc: x@y>" }, from: testFrom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testMessage()
			tt.change(&m)
			_, err := Encode(m, tt.from, time.Now())
			if err == nil {
				t.Fatal("Encode succeeded")
			}
			if !Permanent(err) || !strings.HasPrefix(err.Error(), "mail: ") {
				t.Errorf("Encode = %v, want a permanent mail: error", err)
			}
		})
	}
}

func TestEncodeTextOnly(t *testing.T) {
	m := testMessage()
	m.HTML = ""
	data, err := Encode(m, testFrom, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "Content-Type: text/plain; charset=utf-8\r\n") {
		t.Errorf("text-only message is not text/plain:\n%s", data)
	}
}

// TestSendAttachments sends an e-mail with a PDF (binary) and a calendar
// event whose names need RFC 2231 and 2047, and reads them back from the
// in-process server: byte for byte, after the text and HTML parts.
func TestSendAttachments(t *testing.T) {
	srv := mailtest.NewServer(t)
	m := testMessage()
	pdf := make([]byte, 3000)
	for i := range pdf {
		pdf[i] = byte(i * 7)
	}
	m.Attachments = []Attachment{
		{Filename: "attestation de présence – INS-000001.pdf", ContentType: "application/pdf", Data: pdf},
		{Filename: "session.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")},
	}
	if err := newTestSender(t, srv, "").Send(t.Context(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	if got.Text != m.Text {
		t.Errorf("text (-want +got):\n%s", cmp.Diff(m.Text, got.Text))
	}
	want := []mailtest.Attachment{
		{Filename: m.Attachments[0].Filename, ContentType: `application/pdf; name="=?utf-8?q?attestation_de_pr=C3=A9sence_=E2=80=93_INS-000001.pdf?="`, Data: pdf},
		{Filename: "session.ics", ContentType: `text/calendar; charset=utf-8; method=PUBLISH; name=session.ics`, Data: m.Attachments[1].Data},
	}
	if diff := cmp.Diff(want, got.Attachments); diff != "" {
		t.Errorf("attachments read by the server (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(got.Data), "filename*=utf-8''attestation%20de%20pr%C3%A9sence%20%E2%80%93%20INS-000001.pdf") {
		t.Errorf("the filename is not RFC 2231-encoded:\n%s", got.Data)
	}
	for i, line := range bytes.SplitAfter(got.Data, []byte("\n")) {
		if len(line) > 0 && !bytes.HasSuffix(line, []byte("\r\n")) || len(line) > 998 {
			t.Errorf("line %d %q: not CRLF-ended or too long", i+1, line)
		}
		for _, b := range line {
			if b >= 0x80 {
				t.Fatalf("line %d %q is not 7-bit", i+1, line)
			}
		}
	}
	d := parseMessage(t, got.Data)
	if d.Text != m.Text || d.HTML != m.HTML {
		t.Errorf("body parts: %q / %q", d.Text, d.HTML)
	}
	if len(d.Attachments) != 2 || !bytes.Equal(d.Attachments[0].Data, pdf) || d.Attachments[1].Filename != "session.ics" {
		t.Errorf("parseMessage read %+v", d.Attachments)
	}
	if !bytes.Contains(got.Data[:bytes.Index(got.Data, []byte("\r\n\r\n"))], []byte("Content-Type: multipart/mixed;")) {
		t.Error("a message with attachments is not multipart/mixed")
	}

	// Without attachments, the message stays as it was: no multipart/mixed.
	plain, err := Encode(testMessage(), testFrom, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain, []byte("multipart/mixed")) || !bytes.Contains(plain, []byte("\r\nContent-Type: multipart/alternative;")) {
		t.Error("a message without attachments is not a bare multipart/alternative")
	}
}

// TestEncodeAttachmentErrors refuses what cannot be an attachment.
func TestEncodeAttachmentErrors(t *testing.T) {
	for _, a := range []Attachment{
		{Filename: "", ContentType: "application/pdf", Data: []byte("x")},
		{Filename: "a.pdf", ContentType: "pas un type", Data: []byte("x")},
		{Filename: "a.eml", ContentType: "multipart/mixed; boundary=x", Data: []byte("x")},
	} {
		m := testMessage()
		m.Attachments = []Attachment{a}
		if _, err := Encode(m, testFrom, time.Now()); err == nil || !Permanent(err) {
			t.Errorf("Encode with %+v = %v, want a permanent error", a, err)
		}
	}
}
