package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"

	"iel/internal/mail/mailtest"
)

// The in-process SMTP server (a go-smtp Backend recording every message)
// lives in package mailtest so that the store and web tests share it; this
// file holds what only this package's tests need on top of it.

// testFrom is the portal's From header in tests; the accented name checks
// that it is encoded.
const testFrom = `"Inscription en ligne — CNFPT" <ne-pas-repondre@cnfpt.example>`

// decoded is a received message taken apart.
type decoded struct {
	Header     mail.Header
	Subject    string // RFC 2047-decoded
	Text, HTML string // decoded parts, with LF line ends
	Types      []string
	// Attachments are the files after the body of a multipart/mixed.
	Attachments []Attachment
}

// parseMessage takes a message apart with net/mail and mime/multipart, as a
// mail client would.
func parseMessage(t *testing.T, data []byte) decoded {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("message does not parse: %v\n%s", err, data)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject does not decode: %v", err)
	}
	d := decoded{Header: msg.Header, Subject: subject}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || (mediaType != "multipart/alternative" && mediaType != "multipart/mixed") {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative, or multipart/mixed with attachments", msg.Header.Get("Content-Type"), err)
	}
	var body io.Reader = msg.Body
	if mediaType == "multipart/mixed" {
		// The body, then the attachments.
		mr := multipart.NewReader(msg.Body, params["boundary"])
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("first part of multipart/mixed: %v", err)
		}
		if mediaType, params, err = mime.ParseMediaType(p.Header.Get("Content-Type")); err != nil || mediaType != "multipart/alternative" {
			t.Fatalf("first part of multipart/mixed is %q (%v), want multipart/alternative", p.Header.Get("Content-Type"), err)
		}
		inner, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(inner)
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("attachment: %v", err)
			}
			disp, dp, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
			if err != nil || disp != "attachment" || p.Header.Get("Content-Transfer-Encoding") != "base64" {
				t.Fatalf("part after the body is not a base64 attachment: %v", p.Header)
			}
			data, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, p))
			if err != nil {
				t.Fatalf("attachment %s: %v", dp["filename"], err)
			}
			_, tp, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
			name, err := dec.DecodeHeader(tp["name"])
			if err != nil || name != dp["filename"] {
				t.Errorf("Content-Type name %q (%v) is not the filename %q", tp["name"], err, dp["filename"])
			}
			d.Attachments = append(d.Attachments, Attachment{Filename: dp["filename"], ContentType: p.Header.Get("Content-Type"), Data: data})
		}
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("part: %v", err)
		}
		body, err := io.ReadAll(p)
		if err != nil {
			t.Fatalf("part body: %v", err)
		}
		text := strings.ReplaceAll(string(body), "\r\n", "\n")
		ct := p.Header.Get("Content-Type")
		d.Types = append(d.Types, ct)
		switch {
		case strings.HasPrefix(ct, "text/plain"):
			d.Text = text
		case strings.HasPrefix(ct, "text/html"):
			d.HTML = text
		}
	}
	return d
}

// newTestSender returns a sender to srv, trusting its certificate.
func newTestSender(t *testing.T, srv *mailtest.Server, rawURL string) *SMTPSender {
	t.Helper()
	if rawURL == "" {
		rawURL = srv.URL()
	}
	s, err := NewSMTPSender(rawURL, testFrom, srv.ClientTLSConfig())
	if err != nil {
		t.Fatalf("NewSMTPSender: %v", err)
	}
	return s
}

// testMessage returns a message as the Composer makes them, with accents
// in the subject and both parts, and a long line for quoted-printable.
func testMessage() Message {
	return Message{
		MessageID: "<0123456789abcdef0123456789abcdef@iel.example>",
		To:        "jean.dupont@mairie.example",
		Subject:   "inscription en ligne : réponse à l'invitation d'un opérateur CT",
		Text:      "Bonjour Jean Dupont\n\nVous avez été désigné(e) comme opérateur de la Collectivité Mairie d'Évry-Courcouronnes, avec une ligne assez longue pour être coupée par l'encodage.\n\nCordialement,\nLe CNFPT.\n",
		HTML:      "<!DOCTYPE html>\n<html lang=\"fr\"><body><p>Bonjour Jean Dupont</p><p>Désigné(e) : <a href=\"https://iel.example/d?t=abc\">lien</a></p></body></html>\n",
	}
}
