package bot_test

import (
	"math"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

func TestCommandsFormatNumber(t *testing.T) {
	tests := []struct {
		name string
		lang pulse.Lang
		in   float64
		want string
	}{
		{"a whole number has no fraction", pulse.English, 120, "120"},
		{"thousands are grouped in English", pulse.English, 1250, "1,250"},
		{"a fraction keeps two decimals", pulse.English, 2.5, "2.50"},
		{"Norwegian groups with a space and a decimal comma", pulse.Norwegian, 1250.5, "1\u00a0250,50"},
		{"an unknown language writes English", pulse.Lang("xx"), 1250, "1,250"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bot.FormatNumber(tt.lang, tt.in); got != tt.want {
				t.Errorf("FormatNumber(%s, %v) = %q, want %q", tt.lang, tt.in, got, tt.want)
			}
		})
	}
	if got := bot.FormatDate(pulse.English, pulse.MustDate("2026-03-02")); got != "2026-03-02" {
		t.Errorf("FormatDate = %q, want the ISO form a person can type back", got)
	}
}

func TestCommandsParseNumber(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want float64
		ok   bool
	}{
		{"a whole number", "120", 120, true},
		{"a decimal point", "2.5", 2.5, true},
		{"a decimal comma", " 2,5 ", 2.5, true},
		{"zero", "0", 0, true},
		{"a negative", "-1", 0, false},
		{"words", "lots", 0, false},
		{"not a number", "NaN", 0, false},
		{"infinity", "Inf", 0, false},
		{"absurdly large", "1e300", 0, false},
		{"empty", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := bot.ParseNumber(tt.in)
			if ok != tt.ok || (ok && got != tt.want) || math.IsNaN(got) {
				t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
