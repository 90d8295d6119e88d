package pulse_test

import (
	"slices"
	"testing"

	"github.com/salespulse/pulse"
)

func TestChangeOfRosterAndWhoIsTold(t *testing.T) {
	team := func(managers, reps []string) *pulse.Team {
		return &pulse.Team{Managers: managers, Reps: reps}
	}
	tests := []struct {
		name          string
		before, after *pulse.Team
		by            string
		want          pulse.RosterChange
		told          []string
	}{
		{
			name:   "an admin who adds themself as manager is told to the managers, not to themself",
			before: team([]string{"UA", "UB"}, []string{"UR1"}), after: team([]string{"UA", "UB", "UADMIN"}, []string{"UR1"}), by: "UADMIN",
			want: pulse.RosterChange{ManagersAdded: []string{"UADMIN"}}, told: []string{"UA", "UB"},
		},
		{
			name:   "a manager removed by another is told, and so is the one who stays",
			before: team([]string{"UA", "UB", "UC"}, nil), after: team([]string{"UA", "UB"}, nil), by: "UA",
			want: pulse.RosterChange{ManagersRemoved: []string{"UC"}}, told: []string{"UB", "UC"},
		},
		{
			name:   "reps moved in and out are named in the team's order",
			before: team([]string{"UA"}, []string{"UR1", "UR2", "UR3"}), after: team([]string{"UA"}, []string{"UR4", "UR2", "UR5"}), by: "UADMIN",
			want: pulse.RosterChange{RepsAdded: []string{"UR4", "UR5"}, RepsRemoved: []string{"UR1", "UR3"}}, told: []string{"UA"},
		},
		{
			name:   "a new team adds everyone in it and tells its other managers",
			before: nil, after: team([]string{"UADMIN", "UA"}, []string{"UR1"}), by: "UADMIN",
			want: pulse.RosterChange{ManagersAdded: []string{"UADMIN", "UA"}, RepsAdded: []string{"UR1"}}, told: []string{"UA"},
		},
		{
			name:   "a manager handing the team to another tells the new one",
			before: team([]string{"UA"}, nil), after: team([]string{"UB"}, nil), by: "UA",
			want: pulse.RosterChange{ManagersAdded: []string{"UB"}, ManagersRemoved: []string{"UA"}}, told: []string{"UB"},
		},
		{
			name:   "the same people in another order is no change",
			before: team([]string{"UA", "UB"}, []string{"UR1", "UR2"}), after: team([]string{"UB", "UA"}, []string{"UR2", "UR1"}), by: "UA",
			want: pulse.RosterChange{}, told: []string{"UB"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := pulse.ChangeOfRoster(tt.before, tt.after)
			if !slices.Equal(got.ManagersAdded, tt.want.ManagersAdded) || !slices.Equal(got.ManagersRemoved, tt.want.ManagersRemoved) ||
				!slices.Equal(got.RepsAdded, tt.want.RepsAdded) || !slices.Equal(got.RepsRemoved, tt.want.RepsRemoved) {
				t.Errorf("ChangeOfRoster = %+v, want %+v", got, tt.want)
			}
			if got.IsEmpty() != (tt.want.ManagersAdded == nil && tt.want.ManagersRemoved == nil && tt.want.RepsAdded == nil && tt.want.RepsRemoved == nil) {
				t.Errorf("IsEmpty = %v for %+v", got.IsEmpty(), got)
			}
			if told := pulse.ToldOfRosterChange(tt.before, tt.after, tt.by); !slices.Equal(told, tt.told) {
				t.Errorf("ToldOfRosterChange = %v, want %v", told, tt.told)
			}
		})
	}
}
