package pulse_test

import (
	"slices"
	"testing"

	"github.com/salespulse/pulse"
)

// Each rule puts its item on the agenda, and only when it holds.
func TestGatherAgenda(t *testing.T) {
	d := pulse.MustDate
	team := goodTeam() // Monday to Friday, blocker limit 2
	team.ID = "T1"
	rep := team.Reps[0]
	today := d("2026-11-26") // Thursday
	low := func(day string, energy int) pulse.CheckIn {
		return pulse.CheckIn{TeamID: "T1", UserID: rep, Date: d(day), Status: pulse.CheckInOnTime, Energy: energy}
	}
	tests := []struct {
		name string
		in   pulse.AgendaInput
		want []string
	}{
		{"nothing to raise", pulse.AgendaInput{}, nil},
		{"a blocker open three workdays, past the limit of two", pulse.AgendaInput{Blockers: []pulse.Blocker{
			{ID: "b1", TeamID: "T1", UserID: rep, Date: d("2026-11-23"), Status: pulse.BlockerOpen, Text: "No licence"},
			{ID: "b2", TeamID: "T1", UserID: rep, Date: d("2026-11-24"), Status: pulse.BlockerOpen},       // two workdays: not yet
			{ID: "b3", TeamID: "T1", UserID: "UOTHER1", Date: d("2026-11-20"), Status: pulse.BlockerOpen}, // another rep's
			{ID: "b4", TeamID: "T1", UserID: rep, Date: d("2026-11-20"), Status: pulse.BlockerResolved},
		}}, []string{"blocker:b1"}},
		{"a missed commitment", pulse.AgendaInput{Commitments: []pulse.Commitment{
			{ID: "c1", TeamID: "T1", UserID: rep, Status: pulse.CommitmentMissed, Text: "Ten calls"},
			{ID: "c2", TeamID: "T1", UserID: rep, Status: pulse.CommitmentKept},
			{ID: "c3", TeamID: "T2", UserID: rep, Status: pulse.CommitmentMissed},
		}}, []string{"commitment:c1"}},
		{"energy at 2 or below three workdays running", pulse.AgendaInput{CheckIns: []pulse.CheckIn{
			low("2026-11-24", 2), low("2026-11-25", 1), low("2026-11-26", 2),
		}}, []string{"energy:2026-11-26"}},
		{"energy 3 on one of the three days breaks the run", pulse.AgendaInput{CheckIns: []pulse.CheckIn{
			low("2026-11-24", 2), low("2026-11-25", 3), low("2026-11-26", 2),
		}}, nil},
		{"a weekend does not break the run", pulse.AgendaInput{CheckIns: []pulse.CheckIn{
			low("2026-11-27", 2), low("2026-11-30", 2), low("2026-12-01", 1),
		}}, nil}, // judged on Thursday: Friday's and later are not yet
		{"a training answered Not yet twice", pulse.AgendaInput{Nudges: []pulse.Nudge{
			{TrainingID: "tr1", TeamID: "T1", UserID: rep, Day: 2, Response: pulse.NudgeNotYet},
			{TrainingID: "tr1", TeamID: "T1", UserID: rep, Day: 7, Response: pulse.NudgeNotYet},
			{TrainingID: "tr2", TeamID: "T1", UserID: rep, Day: 2, Response: pulse.NudgeNotYet},
			{TrainingID: "tr2", TeamID: "T1", UserID: rep, Day: 7, Response: pulse.NudgeApplied},
		}, Skills: map[string]string{"tr1": "Objection handling"}}, []string{"training:tr1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, it := range pulse.GatherAgenda(team, rep, today, tt.in) {
				got = append(got, it.Ref)
				if err := it.Validate(); err != nil {
					t.Errorf("gathered item %+v does not validate: %v", it, err)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("gathered %v, want %v", got, tt.want)
			}
		})
	}
	// Energy through a weekend: Friday, Monday and Tuesday are the last three workdays.
	weekend := pulse.AgendaInput{CheckIns: []pulse.CheckIn{low("2026-11-27", 2), low("2026-11-30", 2), low("2026-12-01", 1)}}
	if got := pulse.GatherAgenda(team, rep, d("2026-12-01"), weekend); len(got) != 1 || got[0].Ref != "energy:2026-12-01" {
		t.Fatalf("energy across a weekend gathered %+v", got)
	}
}
