package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"iel/internal/store"
)

// TestBilanCSVNeutralizes: a type of training is a row of the database;
// a label that a spreadsheet would read as a formula is written as text,
// as the agents' export writes its cells (spreadsheet.TestText).
func TestBilanCSVNeutralizes(t *testing.T) {
	d := bilanData{Year: 2025, Lines: []bilanLine{{Label: "=1+1", BilanRow: store.BilanRow{Year: 2025, Registrations: 2}}},
		Total: bilanLine{Label: "Total", BilanRow: store.BilanRow{Year: 2025, Registrations: 2}}}
	rec := httptest.NewRecorder()
	(&Server{}).writeBilanCSV(rec, httptest.NewRequest("GET", "/formations/bilan/export", nil), d, "bilan.csv")
	if body := rec.Body.String(); !strings.Contains(body, "\r\n2025;'=1+1;2;0;0;0;0;;0\r\n") {
		t.Errorf("CSV:\n%q", body)
	}
}

// TestBilanChart: every bar to one scale, the longest full length, a
// small non-zero value still visible, zero none; the words say it all.
func TestBilanChart(t *testing.T) {
	d := bilanData{Lines: []bilanLine{
		{Label: "Formation inter", BilanRow: store.BilanRow{Registrations: 1000, Accepted: 1, Present: 500}},
	}}
	c := d.Chart()
	bars := c.Groups[0].Bars
	if len(c.Groups) != 1 || len(bars) != 5 {
		t.Fatalf("chart = %+v", c)
	}
	if bars[0].Width != chartBarMax || bars[1].Width != 2 || bars[2].Width != 0 || bars[3].Width != chartBarMax/2 {
		t.Errorf("widths = %d, %d, %d, %d", bars[0].Width, bars[1].Width, bars[2].Width, bars[3].Width)
	}
	if c.Height != chartGroupHead+5*chartRow+8 || c.ViewBox() != "0 0 640 158" {
		t.Errorf("height %d, viewBox %q", c.Height, c.ViewBox())
	}
	if want := "Formation inter : inscriptions 1000, acceptées 1, refusées 0, présents 500, absents 0."; c.Desc != want {
		t.Errorf("desc = %q, want %q", c.Desc, want)
	}
	// An empty year draws no bar, and divides by nothing.
	if c := (bilanData{Lines: []bilanLine{{Label: "Formation inter"}}}).Chart(); c.Groups[0].Bars[0].Width != 0 {
		t.Errorf("empty chart = %+v", c)
	}
}
