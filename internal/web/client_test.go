package web

import (
	"net/netip"
	"testing"

	"iel/internal/config"
)

func TestClientIP(t *testing.T) {
	proxies := config.Proxies{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	tests := []struct {
		name      string
		remote    string
		forwarded []string
		trusted   config.Proxies
		want      string
	}{
		{name: "no proxy, no header", remote: "198.51.100.7:41000", want: "198.51.100.7"},
		{name: "no trusted proxy: the header is ignored", remote: "127.0.0.1:41000", forwarded: []string{"203.0.113.5"}, want: "127.0.0.1"},
		{name: "untrusted peer: its header is ignored", remote: "198.51.100.7:41000", forwarded: []string{"203.0.113.5"}, trusted: proxies, want: "198.51.100.7"},
		{name: "trusted peer", remote: "127.0.0.1:41000", forwarded: []string{"203.0.113.5"}, trusted: proxies, want: "203.0.113.5"},
		{name: "spoofed entries left of the proxy's", remote: "127.0.0.1:41000", forwarded: []string{"1.2.3.4, 10.9.9.9, 203.0.113.5"}, trusted: proxies, want: "203.0.113.5"},
		{name: "trusted chain skipped from the right", remote: "127.0.0.1:41000", forwarded: []string{"1.2.3.4, 203.0.113.5, 10.1.1.1, 10.2.2.2"}, trusted: proxies, want: "203.0.113.5"},
		{name: "several header lines", remote: "127.0.0.1:41000", forwarded: []string{"1.2.3.4, 203.0.113.5", "10.1.1.1"}, trusted: proxies, want: "203.0.113.5"},
		{name: "every hop trusted: the leftmost", remote: "127.0.0.1:41000", forwarded: []string{"10.1.1.1, 10.2.2.2"}, trusted: proxies, want: "10.1.1.1"},
		{name: "trusted peer without header", remote: "127.0.0.1:41000", trusted: proxies, want: "127.0.0.1"},
		{name: "garbage stops at the proxy that passed it", remote: "127.0.0.1:41000", forwarded: []string{"203.0.113.5, nonsense"}, trusted: proxies, want: "127.0.0.1"},
		{name: "garbage left of the client", remote: "127.0.0.1:41000", forwarded: []string{"nonsense, 203.0.113.5"}, trusted: proxies, want: "203.0.113.5"},
		{name: "entries with ports", remote: "127.0.0.1:41000", forwarded: []string{"[2001:db8::5]:3333, 10.1.1.1:80"}, trusted: proxies, want: "2001:db8::5"},
		{name: "IPv6 peer, mapped client", remote: "[::1]:41000", forwarded: []string{"::ffff:203.0.113.5"}, trusted: proxies, want: "203.0.113.5"},
		{name: "peer without port", remote: "198.51.100.7", want: "198.51.100.7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clientIP(tt.remote, tt.forwarded, tt.trusted); got != tt.want {
				t.Errorf("clientIP(%q, %q) = %q, want %q", tt.remote, tt.forwarded, got, tt.want)
			}
		})
	}
}
