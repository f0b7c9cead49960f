package web

import (
	"net/http"
	"net/netip"
)

// What the frame of every page (layout.templ) reads besides the page:
// whether the demo banner shows.

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
