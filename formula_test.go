package pulse_test

import (
	"testing"

	"github.com/salespulse/pulse"
)

func TestStartsFormula(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"=1+1", true},
		{"+cmd|' /C calc'!A0", true},
		{"-2+3+cmd|' /C calc'!A0", true},
		{"@SUM(1+1)", true},
		{"\t=1+1", true},
		{"\r=1+1", true},
		{"", false},
		{"Calls", false},
		{"Calls = 100", false},
		{"R&D @ Oslo", false},
		{" =1+1", false}, // a spreadsheet shows a leading space as text
		{"'=1+1", false},
		{"12", false},
		{"Звонки", false},
		{"＝1+1", false}, // a full-width sign is not one
	}
	for _, tt := range tests {
		if got := pulse.StartsFormula(tt.in); got != tt.want {
			t.Errorf("StartsFormula(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
