package mailtest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/google/go-cmp/cmp"
)

const testData = "From: <a@example.org>\r\n" +
	"To: <b@example.org>\r\n" +
	"Subject: =?utf-8?q?caf=C3=A9?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Caf=C3=A9\r\nligne 2\r\n"

func send(s *Server) error {
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		return err
	}
	defer c.Close()
	return c.SendMail("a@example.org", []string{"b@example.org"}, strings.NewReader(testData))
}

func TestServer(t *testing.T) {
	s := NewServer(t)
	if err := send(s); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := s.WaitFor(t, 1, time.Second)
	want := []Received{{
		From:    "a@example.org",
		To:      []string{"b@example.org"},
		Data:    []byte(testData),
		Subject: "café",
		Text:    "Café\nligne 2\n",
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Messages (-want +got):\n%s", diff)
	}
}

func TestServerReject(t *testing.T) {
	tests := []struct {
		name string
		code int
	}{
		{name: "temporary", code: 451},
		{name: "permanent", code: 550},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(t)
			s.SetReject(tt.code)
			var smtpErr *smtp.SMTPError
			if err := send(s); !errors.As(err, &smtpErr) || smtpErr.Code != tt.code {
				t.Fatalf("send = %v, want SMTP %d", err, tt.code)
			}
			s.SetReject(0)
			if err := send(s); err != nil {
				t.Fatalf("send after SetReject(0): %v", err)
			}
			if n := len(s.Messages()); n != 1 {
				t.Errorf("%d messages recorded, want 1", n)
			}
		})
	}
}

func TestServerRestartKeepsPort(t *testing.T) {
	s := NewServer(t)
	url := s.URL()
	if err := send(s); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := send(s); err == nil {
		t.Fatal("send to a closed server succeeded")
	}
	s.Restart(t)
	if s.URL() != url {
		t.Errorf("URL after Restart = %s, want %s", s.URL(), url)
	}
	if err := send(s); err != nil {
		t.Fatalf("send after Restart: %v", err)
	}
	if n := len(s.Messages()); n != 2 {
		t.Errorf("%d messages recorded, want 2", n)
	}
}
