package pulse_test

import (
	"testing"

	"github.com/salespulse/pulse"
)

func TestAcknowledged(t *testing.T) {
	day := pulse.MustDate("2026-03-10")
	ack := pulse.Feedback{From: "UMGR", RepID: "UREP", Date: day, Kind: pulse.FeedbackAck}
	with := func(change func(*pulse.Feedback)) []pulse.Feedback {
		f := ack
		change(&f)
		return []pulse.Feedback{f}
	}
	tests := []struct {
		name  string
		given []pulse.Feedback
		want  bool
	}{
		{"nothing given yet", nil, false},
		{"the leader's 👍 for the rep's day", []pulse.Feedback{ack}, true},
		{"typed feedback is no 👍", with(func(f *pulse.Feedback) { f.Kind, f.Text = pulse.FeedbackPraise, "well done" }), false},
		{"another leader's 👍", with(func(f *pulse.Feedback) { f.From = "UMGR2" }), false},
		{"a 👍 to another rep", with(func(f *pulse.Feedback) { f.RepID = "UREP2" }), false},
		{"a 👍 for another day", with(func(f *pulse.Feedback) { f.Date = day.AddDays(-1) }), false},
		{"among others", append(with(func(f *pulse.Feedback) { f.RepID = "UREP2" }), ack), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pulse.Acknowledged(tt.given, "UMGR", "UREP", day); got != tt.want {
				t.Fatalf("Acknowledged = %v, want %v", got, tt.want)
			}
		})
	}
}
