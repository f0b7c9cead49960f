package config

import (
	"io"
	"net/netip"
	"strings"
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
		{
			name: "mail viewer from the environment",
			env:  map[string]string{"IEL_MAIL_VIEWER": "true"},
			want: Config{Addr: "127.0.0.1:8080", DB: "iel.db", BaseURL: "http://127.0.0.1:8080", ViewMail: true,
				MailFrom: "Inscription en ligne <ne-pas-repondre@inscription.localhost>"},
		},
		{
			name: "mail viewer flag wins over the environment",
			args: []string{"--mail-viewer=false"},
			env:  map[string]string{"IEL_MAIL_VIEWER": "1"},
			want: Config{Addr: "127.0.0.1:8080", DB: "iel.db", BaseURL: "http://127.0.0.1:8080",
				MailFrom: "Inscription en ligne <ne-pas-repondre@inscription.localhost>"},
		},
		{
			name: "demo with SMTP over https: the e-mails are sent, no viewer",
			args: []string{"--demo", "--smtp", "smtps://u:p@mail:465", "--base-url", "https://demo.example.fr"},
			want: Config{Addr: "127.0.0.1:8080", DB: "iel.db", SMTP: "smtps://u:p@mail:465", BaseURL: "https://demo.example.fr", Demo: true,
				MailFrom: "Inscription en ligne <ne-pas-repondre@inscription.localhost>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("iel serve", tt.args, env(tt.env), io.Discard)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTrustedProxies(t *testing.T) {
	prefixes := func(s ...string) Proxies {
		var p Proxies
		for _, v := range s {
			p = append(p, netip.MustParsePrefix(v))
		}
		return p
	}
	tests := []struct {
		name string
		args []string
		env  string
		want Proxies
	}{
		{name: "none", want: nil},
		{name: "environment", env: "10.0.0.0/8, 192.0.2.1,::1", want: prefixes("10.0.0.0/8", "192.0.2.1/32", "::1/128")},
		{name: "flag wins", env: "10.0.0.0/8", args: []string{"--trusted-proxies", "172.16.0.0/12"}, want: prefixes("172.16.0.0/12")},
		{name: "flag empties the environment's", env: "10.0.0.0/8", args: []string{"--trusted-proxies", ""}, want: nil},
		{name: "host bits masked, empty items skipped", env: "10.1.2.3/8,, 2001:db8::7/32 ,", want: prefixes("10.0.0.0/8", "2001:db8::/32")},
		{name: "mapped address", env: "::ffff:192.0.2.1", want: prefixes("192.0.2.1/32")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("iel serve", tt.args, env(map[string]string{"IEL_TRUSTED_PROXIES": tt.env}), io.Discard)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got.TrustedProxies, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); diff != "" {
				t.Errorf("TrustedProxies (-want +got):\n%s", diff)
			}
		})
	}

	p := prefixes("10.0.0.0/8", "192.0.2.1/32")
	for ip, want := range map[string]bool{"10.200.0.1": true, "192.0.2.1": true, "::ffff:10.0.0.1": true, "192.0.2.2": false, "11.0.0.1": false, "::1": false} {
		if got := p.Contains(netip.MustParseAddr(ip)); got != want {
			t.Errorf("Contains(%s) = %v, want %v", ip, got, want)
		}
	}
}

func TestParseTrustedProxiesRefused(t *testing.T) {
	for _, bad := range []string{"10.0.0.300", "10.0.0.0/33", "proxy.example", "10.0.0.0/8;192.0.2.1", "fe80::1%eth0"} {
		t.Run(bad, func(t *testing.T) {
			var out strings.Builder
			_, err := Parse("iel serve", []string{"--trusted-proxies", "127.0.0.1," + bad}, env(nil), &out)
			if err == nil {
				t.Fatalf("--trusted-proxies %q accepted", bad)
			}
			if msg := err.Error() + out.String(); !strings.Contains(msg, `"`+bad+`" is neither an IP address nor a CIDR`) {
				t.Errorf("message %q does not name the bad entry", msg)
			}
			_, err = Parse("iel serve", nil, env(map[string]string{"IEL_TRUSTED_PROXIES": bad}), io.Discard)
			if err == nil || !strings.Contains(err.Error(), "IEL_TRUSTED_PROXIES") || !strings.Contains(err.Error(), `"`+bad+`"`) {
				t.Errorf("IEL_TRUSTED_PROXIES=%q: error %v, want one naming the variable and the entry", bad, err)
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

// TestParseRefusesMailViewer: the mail viewer shows live links, so a
// setting that would show them on a deployed portal stops the start,
// with a message that says which setting and why.
func TestParseRefusesMailViewer(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{name: "mail viewer over https", args: []string{"--mail-viewer", "--base-url", "https://inscription.example.fr"},
			want: "--mail-viewer turns on the mail viewer, which shows every e-mail with its live links; it is refused with an https --base-url"},
		{name: "mail viewer over https, from the environment", env: map[string]string{"IEL_MAIL_VIEWER": "true", "IEL_BASE_URL": "https://inscription.example.fr"},
			want: "--mail-viewer turns on the mail viewer"},
		{name: "demo over https without SMTP", args: []string{"--demo", "--base-url", "https://demo.example.fr"},
			want: "--demo without --smtp turns on the mail viewer, which shows every e-mail with its live links; it is refused with an https --base-url (https://demo.example.fr)"},
		{name: "mail viewer with SMTP", args: []string{"--mail-viewer", "--smtp", "smtps://u:p@mail:465"},
			want: "--mail-viewer keeps the e-mails unsent to show them: it does not go with --smtp"},
		{name: "mail viewer neither true nor false", env: map[string]string{"IEL_MAIL_VIEWER": "peut-être"},
			want: `IEL_MAIL_VIEWER="peut-être": want true or false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("iel serve", tt.args, env(tt.env), io.Discard)
			if err == nil {
				t.Fatalf("Parse(%q) with %v accepted", tt.args, tt.env)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to say %q", err, tt.want)
			}
		})
	}
}

// TestMailViewer: the viewer takes --demo or --mail-viewer, no SMTP, and
// no https base URL; a configuration made by hand (not through Parse)
// that breaks the last rule still has no viewer.
func TestMailViewer(t *testing.T) {
	tests := []struct {
		name string
		c    Config
		want bool
	}{
		{name: "neither demo nor flag", c: Config{BaseURL: "http://127.0.0.1:8080"}, want: false},
		{name: "demo", c: Config{BaseURL: "http://127.0.0.1:8080", Demo: true}, want: true},
		{name: "flag", c: Config{BaseURL: "http://127.0.0.1:8080", ViewMail: true}, want: true},
		{name: "demo with SMTP", c: Config{BaseURL: "http://127.0.0.1:8080", Demo: true, SMTP: "smtp://mail:25"}, want: false},
		{name: "flag over https", c: Config{BaseURL: "https://inscription.example.fr", ViewMail: true}, want: false},
		{name: "demo over https", c: Config{BaseURL: "https://inscription.example.fr", Demo: true}, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.c.MailViewer(); got != tt.want {
				t.Errorf("MailViewer() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDerived(t *testing.T) {
	c := Config{BaseURL: "https://inscription.example.fr"}
	if !c.Secure() || c.Host() != "inscription.example.fr" {
		t.Errorf("https config: Secure=%v Host=%q", c.Secure(), c.Host())
	}
	c = Config{BaseURL: "http://127.0.0.1:8080", SMTP: "smtp://mail:25"}
	if c.Secure() {
		t.Errorf("http config: Secure=%v", c.Secure())
	}
}
