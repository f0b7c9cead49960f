package docs

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// parseCalendar reads an RFC 5545 text back: lines end with CRLF, none is
// longer than 75 octets, continuations start with a space; it returns the
// unfolded content lines as name (with parameters) → unescaped value.
func parseCalendar(t *testing.T, data []byte) map[string]string {
	t.Helper()
	s := string(data)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatal("the calendar does not end with CRLF")
	}
	var lines []string
	for _, raw := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if strings.Contains(raw, "\n") || strings.Contains(raw, "\r") {
			t.Fatalf("a bare line break in %q", raw)
		}
		if len(raw) > 75 {
			t.Errorf("a line of %d octets: %q", len(raw), raw)
		}
		if strings.HasPrefix(raw, " ") {
			lines[len(lines)-1] += raw[1:]
			continue
		}
		lines = append(lines, raw)
	}
	unescape := strings.NewReplacer(`\\`, `\`, `\;`, ";", `\,`, ",", `\n`, "\n", `\N`, "\n")
	out := map[string]string{}
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("no colon in %q", l)
		}
		if _, dup := out[name]; dup && name != "BEGIN" && name != "END" {
			t.Errorf("%s twice", name)
		}
		out[name] += unescape.Replace(value)
	}
	return out
}

func TestCalendar(t *testing.T) {
	ct, s, r, a := sample()
	data := Calendar("inscription.example.fr", ct, s, r, a)
	if string(data) != string(Calendar("inscription.example.fr", ct, s, r, a)) {
		t.Fatal("the same registration gave two calendars")
	}
	got := parseCalendar(t, data)
	for name, want := range map[string]string{
		"BEGIN":              "VCALENDARVEVENT",
		"END":                "VEVENTVCALENDAR",
		"VERSION":            "2.0",
		"UID":                "ins-000123@inscription.example.fr",
		"DTSTAMP":            "20261202T143005Z",
		"DTSTART;VALUE=DATE": "20270111",
		"DTEND;VALUE=DATE":   "20270114", // the day after the last: the end is exclusive
		"SUMMARY":            "INT-2027-01 – Intégration des agents de catégorie C – « accueil »",
		"LOCATION":           "CNFPT, 10 rue de l’Église; 91000 Évry, salle « Bleue »",
		"DESCRIPTION": "Session de formation « Intégration des agents de catégorie C – « accueil » » (INT-2027-01), formation d'intégration.\n" +
			"Agent : Mme Éloïse Lefèvre, Mairie d'Évry-Courcouronnes.\nHoraires : 9 h 00 – 17 h 00.\nRéférence : INS-000123.",
	} {
		if got[name] != want {
			t.Errorf("%s = %q, want %q", name, got[name], want)
		}
	}
	for _, esc := range []string{`LOCATION:CNFPT\, 10 rue de l’Église\; 91000 Évry\,`, `\nAgent :`} {
		if !strings.Contains(strings.ReplaceAll(string(data), "\r\n ", ""), esc) {
			t.Errorf("the text is not escaped as %s", esc)
		}
	}

	// One day: DTEND is the next day.
	s.EndsOn = s.StartsOn
	if got := parseCalendar(t, Calendar("h", ct, s, r, a)); got["DTEND;VALUE=DATE"] != "20270112" {
		t.Errorf("one-day session: DTEND %s", got["DTEND;VALUE=DATE"])
	}
}

func TestFoldLine(t *testing.T) {
	long := "DESCRIPTION:" + strings.Repeat("é", 100) // 2 octets each: a cut must not split one
	folded := foldLine(long)
	for _, l := range strings.Split(strings.TrimSuffix(folded, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("line %q (%d octets)", l, len(l))
		}
	}
	if got := strings.ReplaceAll(strings.TrimSuffix(folded, "\r\n"), "\r\n ", ""); got != long {
		t.Errorf("unfolded %q", got)
	}
}

func TestFrenchDate(t *testing.T) {
	for d, want := range map[time.Time]string{
		time.Date(2027, 1, 12, 0, 0, 0, 0, time.UTC): "12 janvier 2027",
		time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC):  "1er mars 2027",
		time.Date(2027, 8, 15, 0, 0, 0, 0, time.UTC): "15 août 2027",
	} {
		if got := FrenchDate(d); got != want {
			t.Errorf("FrenchDate(%v) = %q, want %q", d, got, want)
		}
	}
	if got := LongDate(time.Date(2027, 1, 12, 0, 0, 0, 0, time.UTC)); got != "mardi 12 janvier 2027" {
		t.Errorf("LongDate = %q", got)
	}
}
