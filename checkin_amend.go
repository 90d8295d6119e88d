package pulse

import "time"

// AmendCheckIn readies next, a rep's answer for its day, to be saved over
// prev, what they had answered that day before (nil when nothing). An edit
// keeps the first answer's status and time: editing does not make an
// on-time check-in late. A first answer, or one for a day marked missed,
// takes the status its time gives (CheckInStatusAt). next is validated,
// its texts cleaned, and an invalid one is returned as the error.
//
// The blocker returned is to be raised (nil when none): next names a
// blocker and it is not the one prev raised — a new blocker, or the same
// day's blocker in other words. Clearing the text raises nothing.
func AmendCheckIn(team *Team, rep *Person, prev, next *CheckIn, now time.Time) (*Blocker, error) {
	if prev != nil && prev.Answered() {
		next.Status, next.SubmittedAt = prev.Status, prev.SubmittedAt
	} else {
		next.Status, next.SubmittedAt = CheckInStatusAt(team, rep, next.Date, now), now
	}
	next.UpdatedAt = now
	if err := next.Validate(team); err != nil {
		return nil, err
	}
	if next.Blocker == "" || (prev != nil && prev.Blocker == next.Blocker) {
		return nil, nil
	}
	return &Blocker{TeamID: team.ID, UserID: next.UserID, Date: next.Date, Text: next.Blocker, Status: BlockerOpen, RaisedAt: now}, nil
}

// DropUntypable removes from a check-in's numbers those of metrics the
// team's CRM fills, unless the team lets reps top the CRM up: the modal
// has no input for them, so such a number can only come from a forged
// submission. Numbers for metrics the team does not have are left for
// Validate to refuse.
func (t *Team) DropUntypable(metrics map[string]float64) {
	for key := range metrics {
		if m, ok := t.Metric(key); ok && !t.Typable(m) {
			delete(metrics, key)
		}
	}
}
