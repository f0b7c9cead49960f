package web

import (
	"net/http"
	"net/netip"
	"strings"
)

// What the frame of every page (layout.templ) reads besides the page:
// who is signed in, the footer's links, whether the demo banner shows.

// SignedInAs names the signed-in person and their collectivité in the
// header: "Claire Durand – Commune de Cholet". A historical manager whose
// fiche has no name yet is named by the role.
func (b basePage) SignedInAs() string {
	if b.Viewer == nil {
		return ""
	}
	who := b.Viewer.Account.FullName()
	if who == "" {
		label := b.Viewer.Account.Role.Label()
		who = strings.ToUpper(label[:1]) + label[1:]
	}
	if isStaff(b.Viewer.Account) {
		return who + " – CNFPT"
	}
	return who + " – " + b.Viewer.Collectivity.Name
}

// footerLink is a link of the footer.
type footerLink struct{ Path, Label string }

// footerLinks are the information pages, in the footer's order; every one
// is public.
var footerLinks = []footerLink{
	{Path: "/accessibilite", Label: "Accessibilité : partiellement conforme"},
	{Path: "/mentions-legales", Label: "Mentions légales"},
	{Path: "/donnees-personnelles", Label: "Données personnelles"},
	{Path: "/conditions-generales", Label: "Conditions générales d'utilisation"},
	{Path: "/plan-du-site", Label: "Plan du site"},
	{Path: "/aide", Label: "Aide et contact"},
}

// showMailViewer reports whether the pages served to r link the mail
// viewer: it exists (config.MailViewer) and answers this client, one on
// the portal's own machine (see loopbackOnly).
func (s *Server) showMailViewer(r *http.Request) bool {
	return s.cfg.MailViewer() && isLoopback(clientAddr(r))
}

// isLoopback reports whether addr is an address of this machine.
func isLoopback(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	return err == nil && ip.Unmap().IsLoopback()
}
