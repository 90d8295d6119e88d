package web

import (
	"fmt"
	"math"
	"strings"
)

// The charts are drawn on the server as inline SVG, through the same
// html/template as the page, so a name in a legend is escaped like any
// other text and the page needs no script and no chart library: a line per
// series over the weeks, a point per week with its value as a tooltip
// (SVG's <title>, which browsers show on hover), and the figures again in
// the table beneath, for keyboards, screen readers and copying.

// chartW and chartH are the drawing's size in its own units; CSS scales it
// to the page's width.
const (
	chartW, chartH         = 720.0, 240.0
	padL, padR, padT, padB = 52.0, 16.0, 28.0, 30.0
)

// chart is what the "chart" template draws.
type chart struct {
	ID      string
	Title   string
	W, H    float64
	X1, X2  float64 // the plot's left and right edges
	Grid    []gridLine
	XLabels []axisLabel
	Series  []seriesLine
	Target  *gridLine // a dashed line, such as 100 % of plan
}

type gridLine struct {
	Y     float64
	Label string
}

type axisLabel struct {
	X      float64
	Label  string
	Anchor string // text-anchor: the last label ends at the plot's edge
}

type seriesLine struct {
	Class   string // s0, s1, … for its colour in style.css
	Name    string
	D       string // the path, broken where a week has no value
	Points  []point
	LegendX float64
}

type point struct {
	X, Y  float64
	Title string // "Week of 2 Mar: 80 %"
}

// series is one line of values, one per week; ok false where a week has none.
type series struct {
	Name   string
	Values []float64
	OK     []bool
}

// lineChart lays out ss over the labels (one per week) from 0 to yMax,
// with ticks+1 grid lines written by format. target, when above 0, draws
// a dashed line at that value.
func lineChart(id, title string, labels []string, ss []series, yMax, target float64, ticks int, format func(float64) string) *chart {
	for _, s := range ss {
		for i, v := range s.Values {
			if s.OK[i] && v > yMax {
				yMax = v
			}
		}
	}
	if yMax <= 0 {
		yMax = 1
	}
	c := &chart{ID: id, Title: title, W: chartW, H: chartH, X1: padL, X2: chartW - padR}
	plotW, plotH := chartW-padL-padR, chartH-padT-padB
	y := func(v float64) float64 { return round1(padT + plotH*(1-v/yMax)) }
	x := func(i int) float64 {
		if len(labels) < 2 {
			return round1(padL + plotW/2)
		}
		return round1(padL + plotW*float64(i)/float64(len(labels)-1))
	}
	for i := 0; i <= ticks; i++ {
		v := yMax * float64(i) / float64(ticks)
		c.Grid = append(c.Grid, gridLine{Y: y(v), Label: format(v)})
	}
	if target > 0 && target <= yMax {
		c.Target = &gridLine{Y: y(target), Label: format(target)}
	}
	// At most about a dozen week labels, so 52 weeks stay legible.
	step := max(1, int(math.Ceil(float64(len(labels))/12)))
	for i := 0; i < len(labels); i += step {
		c.XLabels = append(c.XLabels, axisLabel{X: x(i), Label: labels[i], Anchor: "middle"})
	}
	if n := len(c.XLabels); n > 1 && c.XLabels[n-1].X == c.X2 {
		c.XLabels[n-1].Anchor = "end"
	}
	legendX := padL
	for n, s := range ss {
		sl := seriesLine{Class: fmt.Sprintf("s%d", n%6), Name: s.Name, LegendX: legendX}
		legendX += 24 + 7*float64(len([]rune(s.Name)))
		var d strings.Builder
		pen := false
		for i, v := range s.Values {
			if !s.OK[i] {
				pen = false
				continue
			}
			cmd := "L"
			if !pen {
				cmd = "M"
			}
			fmt.Fprintf(&d, "%s%g %g ", cmd, x(i), y(v))
			pen = true
			sl.Points = append(sl.Points, point{X: x(i), Y: y(v), Title: labels[i] + ": " + format(v)})
		}
		sl.D = strings.TrimSpace(d.String())
		c.Series = append(c.Series, sl)
	}
	return c
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
