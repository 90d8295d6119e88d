package web

import (
	"fmt"
	"strings"
	"testing"
)

func TestALineBreaksWhereAWeekHasNoValueAndTheScaleGrowsToTheData(t *testing.T) {
	labels := make([]string, 52)
	for i := range labels {
		labels[i] = fmt.Sprintf("w%d", i+1)
	}
	s := series{Name: "Calls", Values: make([]float64, 52), OK: make([]bool, 52)}
	for i := range s.Values {
		s.Values[i], s.OK[i] = 0.5, i != 10
	}
	s.Values[20] = 1.5
	c := lineChart("x", "Calls", labels, []series{s}, 1, 1, 4, func(v float64) string { return fmt.Sprint(v) })
	if got := strings.Count(c.Series[0].D, "M"); got != 2 {
		t.Errorf("path %q has %d pieces, want 2: broken at the week without a value", c.Series[0].D, got)
	}
	if len(c.Series[0].Points) != 51 {
		t.Errorf("%d points, want one per week with a value", len(c.Series[0].Points))
	}
	if top := c.Grid[len(c.Grid)-1].Label; top != "1.5" {
		t.Errorf("top of the scale %s, want the largest value 1.5", top)
	}
	if n := len(c.XLabels); n > 13 {
		t.Errorf("%d week labels on the axis, want at most 13 so they stay legible", n)
	}
	for _, p := range c.Series[0].Points {
		if p.X < c.X1 || p.X > c.X2 || p.Y < 0 || p.Y > chartH {
			t.Fatalf("point %+v outside the plot", p)
		}
	}
}
