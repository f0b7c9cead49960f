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
