package web

import (
	"strconv"
	"strings"
)

// The chart of the "Bilan formation": horizontal bars drawn on the server
// as inline SVG, no script. Each bar carries its name and its value in
// text, so that the colours are never the only way to read it; the
// chart's description says the same in words for screen readers, and the
// table above it holds every figure.

// Geometry of the chart, in SVG user units.
const (
	chartWidth      = 640
	chartLabelRight = 150 // the bars' names end here
	chartBarLeft    = 158
	chartBarMax     = 400 // the longest bar
	chartGroupHead  = 30  // a type's name above its bars
	chartRow        = 24
	chartBarHeight  = 16
)

// chartMetric is one kind of bar: its name and colour (GOV.UK colours,
// each at least 3:1 against white) and its value in a line of the bilan.
type chartMetric struct {
	Name  string
	Fill  string
	Value func(l bilanLine) int
}

var chartMetrics = []chartMetric{
	{"Inscriptions", "#1d70b8", func(l bilanLine) int { return l.Registrations }},
	{"Acceptées", "#4c2c92", func(l bilanLine) int { return l.Accepted }},
	{"Refusées", "#d4351c", func(l bilanLine) int { return l.Refused }},
	{"Présents", "#00703c", func(l bilanLine) int { return l.Present }},
	{"Absents", "#505a5f", func(l bilanLine) int { return l.Absent }},
}

// chartBar is one bar, placed.
type chartBar struct {
	Name, Fill, Value string
	Y, TextY, Width   int
	ValueX            int
}

// chartGroup is the bars of one type of training.
type chartGroup struct {
	Label string
	Y     int // the baseline of its name
	Bars  []chartBar
}

// bilanChart is the chart of a year's bilan.
type bilanChart struct {
	Height int
	Groups []chartGroup
	Desc   string // the chart in words
}

// ViewBox is the chart's SVG viewBox.
func (c bilanChart) ViewBox() string { return "0 0 " + itoa(chartWidth) + " " + itoa(c.Height) }

func itoa(n int) string { return strconv.Itoa(n) }

// Chart draws the lines of the bilan, one group of bars per type of
// training, all to one scale.
func (d bilanData) Chart() bilanChart {
	most := 1
	for _, l := range d.Lines {
		for _, m := range chartMetrics {
			most = max(most, m.Value(l))
		}
	}
	var c bilanChart
	var desc []string
	y := 0
	for _, l := range d.Lines {
		g := chartGroup{Label: l.Label, Y: y + 20}
		y += chartGroupHead
		var words []string
		for _, m := range chartMetrics {
			v := m.Value(l)
			width := v * chartBarMax / most
			if v > 0 {
				width = max(width, 2) // a one among thousands still shows
			}
			g.Bars = append(g.Bars, chartBar{Name: m.Name, Fill: m.Fill, Value: itoa(v), Y: y + (chartRow-chartBarHeight)/2,
				TextY: y + chartRow/2 + 5, Width: width, ValueX: chartBarLeft + width + 6})
			words = append(words, strings.ToLower(m.Name)+" "+itoa(v))
			y += chartRow
		}
		c.Groups = append(c.Groups, g)
		desc = append(desc, l.Label+" : "+strings.Join(words, ", ")+".")
	}
	c.Height = y + 8
	c.Desc = strings.Join(desc, " ")
	return c
}
