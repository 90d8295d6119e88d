// Package chart draws the weekly summary's picture: participation per
// workday as bars and the day's average energy as a line over them, as a
// PNG of a fixed size that needs no fonts installed on the machine (the
// Liberation fonts are compiled in).
//
// It knows no language: every word on the picture comes from the caller,
// already translated.
package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	vgdraw "gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/salespulse/pulse"
)

// The picture's size in pixels. Slack shows an image at up to about 360
// points high in a channel, so 800×400 reads well on a laptop and a phone.
const (
	Width  = 800
	Height = 400
	dpi    = 96
)

// The colours of the bars and the energy line. BarColor is exported so a
// test can find the bars among the pixels.
var (
	BarColor  = color.RGBA{R: 0x36, G: 0x7C, B: 0xC4, A: 0xFF} // blue
	LineColor = color.RGBA{R: 0xE0, G: 0x7A, B: 0x1F, A: 0xFF} // orange
)

// Labels are the words on the picture, in the reader's language.
type Labels struct {
	Title         string // e.g. "Week of 2 March"
	Participation string // legend of the bars, e.g. "Check-ins answered (%)"
	Energy        string // legend of the line, e.g. "Average energy (1–5)"
	// Days labels each of the summary's days, in the order of s.Days; a
	// missing one shows the ISO date.
	Days []string
	// Number formats an energy value shown over its point, e.g. "4,2" in
	// Norwegian; one decimal with a point when nil.
	Number func(float64) string
}

// sans is the typeface of every word on the picture.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// WeekPNG draws the week's participation (0–100 %, bars) and average
// energy (1–5, drawn on the same axis as a share of 5 so both read against
// one scale, each point labelled with its value) for each day in s.Days,
// and encodes the picture as a Width×Height PNG. A week with no days
// still gives a picture, with its title and an empty axis.
func WeekPNG(s pulse.Summary, labels Labels) ([]byte, error) {
	p := newPlot(labels.Title)
	w := readWeek(s, labels)
	if err := w.addBars(p, labels.Participation); err != nil {
		return nil, err
	}
	if err := w.addEnergy(p, labels.Energy); err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	c := vgimg.NewWith(vgimg.UseImage(img), vgimg.UseDPI(dpi))
	p.Draw(vgdraw.New(c))
	var buf bytes.Buffer
	if err := png.Encode(&buf, c.Image()); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// newPlot is an empty chart with its title, fonts, legend, percent axis
// and grid.
func newPlot(title string) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = color.White
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 16)
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans, 11)
		ax.Tick.Label.Font = font.From(sans, 11)
	}
	p.Legend.TextStyle.Font = font.From(sans, 11)
	p.Legend.Top = true
	p.Legend.Left = true
	p.Y.Min, p.Y.Max = 0, 130 // room above 100 % for the legend and the energy labels
	p.Y.Tick.Marker = percentTicks{}
	p.Add(plotter.NewGrid())
	return p
}

// week is what the chart draws of a week's days.
type week struct {
	bars   plotter.Values   // participation, in percent
	names  []string         // the days' names under the bars
	runs   []plotter.XYs    // the energy line, broken on a day without answers
	points plotter.XYLabels // the energy of each day with answers, labelled
}

func readWeek(s pulse.Summary, labels Labels) week {
	n := len(s.Days)
	w := week{bars: make(plotter.Values, n), names: make([]string, n)}
	number := labels.Number
	if number == nil {
		number = func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	}
	for i, d := range s.Days {
		w.bars[i] = 100 * clamp(d.Participation, 0, 1)
		w.names[i] = d.Date.String()
		if i < len(labels.Days) && labels.Days[i] != "" {
			w.names[i] = labels.Days[i]
		}
		if d.Energy > 0 {
			y := 100 * clamp(d.Energy, 0, 5) / 5
			if len(w.runs) == 0 || i == 0 || s.Days[i-1].Energy <= 0 {
				w.runs = append(w.runs, nil)
			}
			w.runs[len(w.runs)-1] = append(w.runs[len(w.runs)-1], plotter.XY{X: float64(i), Y: y})
			w.points.XYs = append(w.points.XYs, plotter.XY{X: float64(i), Y: y})
			w.points.Labels = append(w.points.Labels, number(d.Energy))
		}
	}
	return w
}

// addBars draws the participation bars and names the days under them.
func (w week) addBars(p *plot.Plot, legend string) error {
	n := len(w.bars)
	if n == 0 {
		p.X.Min, p.X.Max = -0.5, 0.5
		p.X.Tick.Marker = plot.ConstantTicks(nil)
		return nil
	}
	p.NominalX(w.names...)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	bc, err := plotter.NewBarChart(w.bars, barWidth(n))
	if err != nil {
		return fmt.Errorf("chart: bars: %w", err)
	}
	bc.Color = BarColor
	bc.LineStyle.Width = 0
	p.Add(bc)
	p.Legend.Add(legend, bc)
	return nil
}

// addEnergy draws the energy line with its dots and labels.
func (w week) addEnergy(p *plot.Plot, legend string) error {
	for i, run := range w.runs {
		line, dots, err := plotter.NewLinePoints(run)
		if err != nil {
			return fmt.Errorf("chart: energy line: %w", err)
		}
		line.Color, line.Width = LineColor, vg.Points(2.5)
		dots.Color, dots.Shape, dots.Radius = LineColor, vgdraw.CircleGlyph{}, vg.Points(4)
		p.Add(line, dots)
		if i == 0 {
			p.Legend.Add(legend, line, dots)
		}
	}
	if len(w.points.XYs) == 0 {
		return nil
	}
	lbl, err := plotter.NewLabels(w.points)
	if err != nil {
		return fmt.Errorf("chart: energy labels: %w", err)
	}
	for i := range lbl.TextStyle {
		lbl.TextStyle[i].Font = font.From(sans, 11)
		lbl.TextStyle[i].Color = color.RGBA{R: 0x9A, G: 0x4A, B: 0x00, A: 0xFF} // darker, to read over a bar
		lbl.TextStyle[i].XAlign = vgdraw.XCenter
	}
	lbl.Offset = vg.Point{Y: vg.Points(7)}
	p.Add(lbl)
	return nil
}

// barWidth keeps bars wide with a gap between them, however many days.
func barWidth(days int) vg.Length {
	const plotWidth = Width * 72 / dpi * 0.85 // points across the data area, roughly
	return vg.Length(plotWidth / float64(max(days, 1)) * 0.55)
}

func clamp(v, lo, hi float64) float64 { return min(max(v, lo), hi) }

// percentTicks marks 0–100 % every 20, and nothing above: the room over
// 100 holds the energy labels, not a scale.
type percentTicks struct{}

func (percentTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for v := 0.0; v <= 100; v += 10 {
		t := plot.Tick{Value: v}
		if int(v)%20 == 0 {
			t.Label = strconv.Itoa(int(v)) + " %"
		}
		out = append(out, t)
	}
	return out
}
