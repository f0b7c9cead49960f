package docs

import (
	"strings"
	"unicode/utf8"

	"iel/internal/domain"
)

// Calendar is the session s of registration r as an RFC 5545 calendar
// (one VEVENT), so that the convocation lands in the recipient's agenda.
// The session's days are all-day DATE values, DTEND the day after the
// last (RFC 5545 3.6.1: the end is exclusive); the hours, which are free
// text, go in the description. UID is the registration's reference at
// host, so that a second copy (the rappel) updates the same event;
// DTSTAMP is the registration's DecidedAt: same registration, same bytes.
func Calendar(host string, ct domain.Collectivity, s domain.Session, r domain.Registration, a domain.Agent) []byte {
	var b strings.Builder
	line := func(name, value string) { b.WriteString(foldLine(name + ":" + value)) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//CNFPT//inscription en ligne//FR")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("BEGIN", "VEVENT")
	line("UID", strings.ToLower(r.Reference())+"@"+host)
	line("DTSTAMP", r.DecidedAt.UTC().Format("20060102T150405Z"))
	line("DTSTART;VALUE=DATE", s.StartsOn.Format("20060102"))
	line("DTEND;VALUE=DATE", s.EndsOn.AddDate(0, 0, 1).Format("20060102"))
	line("SUMMARY", EscapeText(s.Code+" – "+s.Title))
	line("LOCATION", EscapeText(s.Place))
	desc := "Session de formation « " + s.Title + " » (" + s.Code + "), " + lowerFirst(s.TypeName()) + ".\n" +
		"Agent : " + agentName(a) + ", " + ct.Name + ".\n" +
		"Horaires : " + s.Hours + ".\n" +
		"Référence : " + r.Reference() + "."
	line("DESCRIPTION", EscapeText(desc))
	line("TRANSP", "OPAQUE")
	line("END", "VEVENT")
	line("END", "VCALENDAR")
	return []byte(b.String())
}

// EscapeText escapes an RFC 5545 TEXT value (3.3.11): backslash, semicolon,
// comma, and line breaks as \n.
func EscapeText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", `\n`)
	return r.Replace(s)
}

// foldLine ends a content line with CRLF, folded so that no line is longer
// than 75 octets (RFC 5545 3.1): each continuation starts with a space,
// and a UTF-8 character is never cut.
func foldLine(l string) string {
	var b strings.Builder
	limit := 75
	for len(l) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		b.WriteString(l[:cut] + "\r\n ")
		l = l[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(l + "\r\n")
	return b.String()
}
