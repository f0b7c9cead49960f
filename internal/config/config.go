// Package config reads iel's settings from flags, falling back on the
// environment, and checks them before anything starts.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Config is every setting of iel.
type Config struct {
	Addr     string // listen address, host:port
	DB       string // SQLite file path, or postgres:// URL
	SMTP     string // smtp:// or smtps:// URL; empty keeps mail for the mail viewer
	BaseURL  string // root of e-mailed links, without trailing slash
	MailFrom string // From header of e-mails
	Demo     bool   // seed demo data in an empty database; with no SMTP, turns the mail viewer on
	// ViewMail is --mail-viewer: the mail viewer without the demo data.
	ViewMail bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed; without any, forwarding headers are ignored.
	TrustedProxies Proxies
}

// Secure reports whether the portal is served over https (cookies get the
// __Host- prefix and Secure, HSTS is sent).
func (c Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// MailViewer reports whether the mail viewer (/courriels) exists: it shows
// every e-mail with its live links, so it is for a demonstration or a
// trial on one's own machine only. It takes --demo or --mail-viewer, no
// SMTP (the e-mails then stay in the database, unsent), and never an https
// base URL, which says the portal is deployed: Finish refuses that
// setting, and this answers false to it all the same.
func (c Config) MailViewer() bool {
	return c.SMTP == "" && (c.Demo || c.ViewMail) && !c.Secure()
}

// Flags registers the settings on fs with defaults from getenv.
func Flags(fs *flag.FlagSet, getenv func(string) string) *Config {
	c := &Config{}
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("IEL_ADDR", "127.0.0.1:8080"), "listen address (IEL_ADDR)")
	fs.StringVar(&c.DB, "db", env("IEL_DB", "iel.db"), "SQLite file path or postgres:// URL (IEL_DB)")
	fs.StringVar(&c.SMTP, "smtp", env("IEL_SMTP", ""), "smtp://[user:pass@]host:port (STARTTLS required), smtps://…, or smtp://127.0.0.1:port?tls=none on this machine only; empty keeps mail for the mail viewer (IEL_SMTP)")
	fs.StringVar(&c.BaseURL, "base-url", env("IEL_BASE_URL", ""), "root of e-mailed links; default from --addr (IEL_BASE_URL)")
	fs.StringVar(&c.MailFrom, "mail-from", env("IEL_MAIL_FROM", "Inscription en ligne <ne-pas-repondre@inscription.localhost>"), "From header of e-mails (IEL_MAIL_FROM)")
	return c
}

// Parse reads args (without the program and subcommand names).
func Parse(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := Flags(fs, getenv)
	fs.BoolVar(&c.Demo, "demo", false, "seed demo data into an empty database and print its logins; without --smtp, the mail viewer shows the e-mails")
	viewMail := false
	if v := getenv("IEL_MAIL_VIEWER"); v != "" {
		var err error
		if viewMail, err = strconv.ParseBool(v); err != nil {
			return Config{}, fmt.Errorf("config: IEL_MAIL_VIEWER=%q: want true or false", v)
		}
	}
	fs.BoolVar(&c.ViewMail, "mail-viewer", viewMail, "keep e-mails unsent and show them, with their links, at /courriels to clients on this machine: for a trial, never in production; refused with --smtp or an https --base-url (IEL_MAIL_VIEWER)")
	if err := c.TrustedProxies.Set(getenv("IEL_TRUSTED_PROXIES")); err != nil {
		return Config{}, fmt.Errorf("config: IEL_TRUSTED_PROXIES: %w", err)
	}
	fs.Var(&c.TrustedProxies, "trusted-proxies", "comma-separated CIDRs or addresses of the reverse proxies whose X-Forwarded-For is believed; empty ignores forwarding headers (IEL_TRUSTED_PROXIES)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("config: unexpected argument %q", fs.Arg(0))
	}
	return *c, c.Finish()
}

// Finish fills the defaults that derive from other settings and checks them.
func (c *Config) Finish() error {
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("config: --addr %q: %w", c.Addr, err)
	}
	if c.DB == "" {
		return errors.New("config: --db is empty")
	}
	if c.SMTP != "" {
		u, err := url.Parse(c.SMTP)
		if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			return errors.New("config: --smtp must be smtp://[user:pass@]host:port or smtps://[user:pass@]host:port")
		}
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: --base-url %q must be an http(s) URL", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.ViewMail && c.SMTP != "" {
		return errors.New("config: --mail-viewer keeps the e-mails unsent to show them: it does not go with --smtp")
	}
	if (c.Demo || c.ViewMail) && c.SMTP == "" && c.Secure() {
		flag := "--mail-viewer"
		if !c.ViewMail {
			flag = "--demo without --smtp"
		}
		return fmt.Errorf("config: %s turns on the mail viewer, which shows every e-mail with its live links; "+
			"it is refused with an https --base-url (%s), the address of a deployed portal: set --smtp", flag, c.BaseURL)
	}
	return nil
}

// Host is the host name of the base URL, used in Message-IDs.
func (c Config) Host() string {
	u, err := url.Parse(c.BaseURL)
	if err != nil {
		return "localhost"
	}
	return u.Hostname()
}

// Proxies is a list of networks, each a CIDR or a single address.
type Proxies []netip.Prefix

// String implements flag.Value.
func (p Proxies) String() string {
	s := make([]string, len(p))
	for i, n := range p {
		s[i] = n.String()
	}
	return strings.Join(s, ",")
}

// Set implements flag.Value: v is a comma-separated list of CIDRs
// ("10.0.0.0/8") or addresses ("192.0.2.1", "::1"); it replaces the list.
func (p *Proxies) Set(v string) error {
	var out Proxies
	for item := range strings.SplitSeq(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if n, err := netip.ParsePrefix(item); err == nil {
			out = append(out, n.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil || a.Zone() != "" {
			return fmt.Errorf("%q is neither an IP address nor a CIDR such as 10.0.0.0/8", item)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	*p = out
	return nil
}

// Contains reports whether ip is one of the proxies.
func (p Proxies) Contains(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, n := range p {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}
