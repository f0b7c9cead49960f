package config

import (
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want Config
	}{
		{
			name: "defaults",
			want: Config{Addr: "127.0.0.1:8080", DB: "iel.db", BaseURL: "http://127.0.0.1:8080",
				MailFrom: "Inscription en ligne <ne-pas-repondre@inscription.localhost>"},
		},
		{
			name: "environment",
			env: map[string]string{"IEL_ADDR": "0.0.0.0:9000", "IEL_DB": "postgres://u@h/db", "IEL_SMTP": "smtps://u:p@mail:465",
				"IEL_BASE_URL": "https://inscription.example.fr/", "IEL_MAIL_FROM": "x@y.fr"},
			want: Config{Addr: "0.0.0.0:9000", DB: "postgres://u@h/db", SMTP: "smtps://u:p@mail:465",
				BaseURL: "https://inscription.example.fr", MailFrom: "x@y.fr"},
		},
		{
			name: "flags win over the environment",
			args: []string{"--addr", "127.0.0.1:0", "--db", "other.db", "--demo"},
			env:  map[string]string{"IEL_ADDR": "0.0.0.0:9000", "IEL_DB": "env.db"},
			want: Config{Addr: "127.0.0.1:0", DB: "other.db", BaseURL: "http://127.0.0.1:0", Demo: true,
				MailFrom: "Inscription en ligne <ne-pas-repondre@inscription.localhost>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("iel serve", tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{name: "address without port", args: []string{"--addr", "localhost"}},
		{name: "empty database", args: []string{"--db", ""}},
		{name: "smtp of another scheme", args: []string{"--smtp", "http://mail:25"}},
		{name: "smtp without host", args: []string{"--smtp", "smtp://"}},
		{name: "base url not http", args: []string{"--base-url", "ftp://x"}},
		{name: "stray argument", args: []string{"extra"}},
		{name: "unknown flag", args: []string{"--nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse("iel serve", tt.args, env(nil), io.Discard); err == nil {
				t.Errorf("Parse(%q) accepted", tt.args)
			}
		})
	}
}

func TestDerived(t *testing.T) {
	c := Config{BaseURL: "https://inscription.example.fr"}
	if !c.Secure() || c.Host() != "inscription.example.fr" || !c.MailViewer() {
		t.Errorf("https config: Secure=%v Host=%q MailViewer=%v", c.Secure(), c.Host(), c.MailViewer())
	}
	c = Config{BaseURL: "http://127.0.0.1:8080", SMTP: "smtp://mail:25"}
	if c.Secure() || c.MailViewer() {
		t.Errorf("http config with SMTP: Secure=%v MailViewer=%v", c.Secure(), c.MailViewer())
	}
}
