package pulse_test

import (
	"reflect"
	"testing"

	"github.com/salespulse/pulse"
)

func TestCommitmentsByRep(t *testing.T) {
	a1 := pulse.Commitment{ID: "c1", UserID: "UA", Text: "Book 5 demos"}
	b1 := pulse.Commitment{ID: "c2", UserID: "UB", Text: "Call 40 leads"}
	a2 := pulse.Commitment{ID: "c3", UserID: "UA", Text: "Close Hansen"}
	gone := pulse.Commitment{ID: "c4", UserID: "UGONE", Text: "Left the team"}
	tests := []struct {
		name string
		reps []string
		cs   []pulse.Commitment
		want []pulse.RepCommitments
	}{
		{"each rep in the team's order with theirs in the order given", []string{"UB", "UA"}, []pulse.Commitment{a1, b1, a2},
			[]pulse.RepCommitments{{Rep: "UB", Commitments: []pulse.Commitment{b1}}, {Rep: "UA", Commitments: []pulse.Commitment{a1, a2}}}},
		{"a rep without commitments is listed without any", []string{"UA", "UC"}, []pulse.Commitment{a1},
			[]pulse.RepCommitments{{Rep: "UA", Commitments: []pulse.Commitment{a1}}, {Rep: "UC"}}},
		{"a commitment of someone no longer a rep is left out", []string{"UA"}, []pulse.Commitment{gone, a1},
			[]pulse.RepCommitments{{Rep: "UA", Commitments: []pulse.Commitment{a1}}}},
		{"a team without reps lists nobody", nil, []pulse.Commitment{a1}, []pulse.RepCommitments{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pulse.CommitmentsByRep(tt.reps, tt.cs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("CommitmentsByRep = %+v, want %+v", got, tt.want)
			}
		})
	}
}
