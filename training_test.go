package pulse_test

import (
	"slices"
	"testing"

	"github.com/salespulse/pulse"
)

func TestTrainingNudgeDays(t *testing.T) {
	team := pulse.NewTeam("Nordic", "Europe/Oslo") // nudged on days 2, 7, 14 and 30
	tests := []struct {
		name     string
		schedule []int
		team     *pulse.Team
		want     []int
		on, off  int
	}{
		{"a training's own schedule is its days, in order", []int{14, 3}, team, []int{3, 14}, 3, 2},
		{"a day given twice counts once", []int{7, 7, 1}, team, []int{1, 7}, 7, 30},
		{"a training without a schedule follows the team's", nil, team, []int{2, 7, 14, 30}, 30, 3},
		{"a training without a schedule or team has no days", nil, nil, nil, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := &pulse.Training{Schedule: tt.schedule}
			if got := tr.NudgeDays(tt.team); !slices.Equal(got, tt.want) {
				t.Errorf("NudgeDays = %v, want %v", got, tt.want)
			}
			if tt.on != 0 && !tr.IsNudgeDay(tt.team, tt.on) {
				t.Errorf("day %d is not a nudge day; want it to be", tt.on)
			}
			if tr.IsNudgeDay(tt.team, tt.off) {
				t.Errorf("day %d is a nudge day; want it not to be", tt.off)
			}
		})
	}
}
