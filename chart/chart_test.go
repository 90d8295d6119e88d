package chart_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/chart"
)

func week() pulse.Summary {
	mon := pulse.MustDate("2026-03-02")
	s := pulse.Summary{Week: mon, Through: mon.AddDays(4)}
	for i, f := range []struct{ part, energy float64 }{{1, 4.2}, {0.8, 3.5}, {0.6, 3}, {0.9, 0}, {0.4, 2.1}} {
		s.Days = append(s.Days, pulse.DayFigures{Date: mon.AddDays(i), Participation: f.part, Energy: f.energy})
	}
	return s
}

var labels = chart.Labels{
	Title:         "Week of 2 March",
	Participation: "Check-ins answered (%)",
	Energy:        "Average energy (1–5)",
	Days:          []string{"Mon", "Tue", "Wed", "Thu", "Fri"},
}

func TestWeekPNG(t *testing.T) {
	tests := []struct {
		name     string
		summary  pulse.Summary
		wantBars bool
	}{
		{"A full week draws bars of the bar colour", week(), true},
		{"A week with nothing due still draws a picture", pulse.Summary{Week: pulse.MustDate("2026-03-02")}, false},
		{"A week of zero participation draws no bars", func() pulse.Summary {
			s := week()
			for i := range s.Days {
				s.Days[i].Participation, s.Days[i].Energy = 0, 0
			}
			return s
		}(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := chart.WeekPNG(tt.summary, labels)
			if err != nil {
				t.Fatalf("WeekPNG: %v", err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("decode PNG: %v", err)
			}
			if got := img.Bounds().Size(); got != (image.Point{X: chart.Width, Y: chart.Height}) {
				t.Errorf("size = %v, want %dx%d", got, chart.Width, chart.Height)
			}
			bars := countColour(img, chart.BarColor)
			if tt.wantBars && bars < 1000 {
				t.Errorf("found %d pixels of the bar colour, want the bars (over 1000)", bars)
			}
			if !tt.wantBars && bars > 500 {
				t.Errorf("found %d pixels of the bar colour, want only the legend's", bars)
			}
			if dark := countDark(img); dark < 500 {
				t.Errorf("found %d dark pixels, want axes and words", dark)
			}
			if name := os.Getenv("PULSE_CHART_OUT"); name != "" && tt.wantBars {
				if err := os.WriteFile(name, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestWeekPNGIsTheSameForTheSameWeek(t *testing.T) {
	a, err := chart.WeekPNG(week(), labels)
	if err != nil {
		t.Fatal(err)
	}
	b, err := chart.WeekPNG(week(), labels)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two drawings of the same week differ")
	}
}

func countColour(img image.Image, c interface{ RGBA() (r, g, b, a uint32) }) int {
	wr, wg, wb, _ := c.RGBA()
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if pr>>8 == wr>>8 && pg>>8 == wg>>8 && pb>>8 == wb>>8 {
				n++
			}
		}
	}
	return n
}

func countDark(img image.Image) int {
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			pr, pg, pb, _ := img.At(x, y).RGBA()
			if pr>>8 < 80 && pg>>8 < 80 && pb>>8 < 80 {
				n++
			}
		}
	}
	return n
}

func BenchmarkWeekPNG(b *testing.B) {
	s := week()
	for b.Loop() {
		if _, err := chart.WeekPNG(s, labels); err != nil {
			b.Fatal(err)
		}
	}
}
