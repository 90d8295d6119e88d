package pulse

import "slices"

// RosterChange is who a change of a team's settings added to or removed
// from its managers and reps, by user ID, in the order of the team's lists.
// A change of who may read a team is recorded and told to its managers, so
// that nobody (an admin adding themself, say) joins a team unseen.
type RosterChange struct {
	ManagersAdded, ManagersRemoved []string
	RepsAdded, RepsRemoved         []string
}

// ChangeOfRoster returns who went into and out of the team's managers and
// reps from before to after; before is nil for a team being created.
func ChangeOfRoster(before, after *Team) RosterChange {
	var old Team
	if before != nil {
		old = *before
	}
	return RosterChange{
		ManagersAdded:   missingFrom(after.Managers, old.Managers),
		ManagersRemoved: missingFrom(old.Managers, after.Managers),
		RepsAdded:       missingFrom(after.Reps, old.Reps),
		RepsRemoved:     missingFrom(old.Reps, after.Reps),
	}
}

// IsEmpty reports whether nobody was added or removed.
func (c RosterChange) IsEmpty() bool {
	return len(c.ManagersAdded)+len(c.ManagersRemoved)+len(c.RepsAdded)+len(c.RepsRemoved) == 0
}

// ToldOfRosterChange returns who is told of a change of the team's roster
// that by made: the managers before it, who learn who joined them or that
// they were removed, then those after it, who learn they lead the team;
// never by, who knows.
func ToldOfRosterChange(before, after *Team, by string) []string {
	var out []string
	add := func(users []string) {
		for _, u := range users {
			if u != by && !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	if before != nil {
		add(before.Managers)
	}
	add(after.Managers)
	return out
}

// missingFrom returns the users of xs that ys lacks, each once.
func missingFrom(xs, ys []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(ys, x) && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
