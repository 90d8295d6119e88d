package pulse

// Actor is the person asking for something, as far as permissions go.
type Actor struct {
	UserID string
	// Admin is true for the user IDs in PULSE_ADMINS and for Slack
	// workspace admins and owners. Admins may create and edit any team;
	// it does not let them read a team's data.
	Admin bool
}

// Every rule of who may do what lives here, so the bot and the cadence
// engine ask the same questions and one table test covers them all. Each
// returns nil when allowed, else an EFORBIDDEN error whose sentence says
// what the person may not do, never what it would have shown.

func forbid(key, format string, args ...any) error {
	return Errorf(EFORBIDDEN, key, nil, format, args...)
}

// CanSeeTeam allows a team's managers to see its overview.
func CanSeeTeam(a Actor, t *Team) error {
	if t != nil && t.IsManager(a.UserID) {
		return nil
	}
	return forbid("deny.team", "%s does not manage the team", a.UserID)
}

// CanSeeRep allows a rep to see their own data and the managers of a team
// the rep belongs to to see it; no one else.
func CanSeeRep(a Actor, t *Team, rep string) error {
	if a.UserID == rep {
		return nil
	}
	if t != nil && t.IsManager(a.UserID) && t.IsRep(rep) {
		return nil
	}
	return forbid("deny.rep", "%s may not see %s", a.UserID, rep)
}

// CanSeeNotes allows only the team's managers to read 1:1 notes; not even
// the rep the notes are about.
func CanSeeNotes(a Actor, t *Team) error {
	if t != nil && t.IsManager(a.UserID) {
		return nil
	}
	return forbid("deny.notes", "%s may not read 1:1 notes", a.UserID)
}

// CanExport allows only the team's managers to export its check-ins.
func CanExport(a Actor, t *Team) error {
	if t != nil && t.IsManager(a.UserID) {
		return nil
	}
	return forbid("deny.export", "%s may not export the team", a.UserID)
}

// CanStartExport allows a person to start an export while none of theirs
// is being made (mine) and fewer than max are being made in all (all):
// each holds a file and a share of the workspace's upload budget, so one
// manager asking again and again must not crowd out the others.
func CanStartExport(mine, all, max int) error {
	switch {
	case mine > 0:
		return Errorf(ECONFLICT, "export.busy_yours", nil, "an export of theirs is still being made")
	case all >= max:
		return Errorf(ECONFLICT, "export.busy", nil, "%d exports are being made, the most at once", all)
	}
	return nil
}

// CanSetUpTeam allows admins to create and edit any team, and a team's
// managers to edit it. A nil team means a new one.
func CanSetUpTeam(a Actor, t *Team) error {
	if a.Admin {
		return nil
	}
	if t != nil && t.IsManager(a.UserID) {
		return nil
	}
	return forbid("deny.setup", "%s may not set up the team", a.UserID)
}

// CanEditQuestions allows a team's managers to set its own check-in
// questions; an admin who does not manage the team sets it up instead.
func CanEditQuestions(a Actor, t *Team) error {
	if t != nil && t.IsManager(a.UserID) {
		return nil
	}
	return forbid("deny.questions", "%s may not change the questions of the team", a.UserID)
}

// CanLead allows a team's managers to log trainings and 1:1s and to take
// and resolve blockers.
func CanLead(a Actor, t *Team, rep string) error {
	if t != nil && t.IsManager(a.UserID) && (rep == "" || t.IsRep(rep)) {
		return nil
	}
	return forbid("deny.lead", "%s may not lead %s in the team", a.UserID, rep)
}

// CanGiveKudos allows anyone in a team to recognise one of its reps, but not
// themselves.
func CanGiveKudos(a Actor, t *Team, to string) error {
	if t != nil && t.IsMember(a.UserID) && t.IsRep(to) && a.UserID != to {
		return nil
	}
	return forbid("deny.kudos", "%s may not give kudos to %s", a.UserID, to)
}

// CanCheckIn allows a team's reps to check in, commit and report on trainings.
func CanCheckIn(a Actor, t *Team) error {
	if t != nil && t.IsRep(a.UserID) {
		return nil
	}
	return forbid("deny.checkin", "%s is not a rep of the team", a.UserID)
}

// CanMatchCRM allows a team's managers to tie one of its reps to a CRM
// user by hand: whose records count as the rep's numbers is a leader's
// call, not an admin's and not the rep's.
func CanMatchCRM(a Actor, t *Team, rep string) error {
	if t != nil && t.IsManager(a.UserID) && t.IsRep(rep) {
		return nil
	}
	return forbid("deny.crm_match", "%s may not match %s to a CRM user", a.UserID, rep)
}

// CanSetPlan allows a team's managers to set the plan of one of its reps
// (rep "" asks about the team as a whole, as an import does).
func CanSetPlan(a Actor, t *Team, rep string) error {
	if t != nil && t.IsManager(a.UserID) && (rep == "" || t.IsRep(rep)) {
		return nil
	}
	return forbid("deny.plan", "%s may not set the plan of %s", a.UserID, rep)
}

// CanRunContest allows a team's managers to start and cancel its contests.
func CanRunContest(a Actor, t *Team) error {
	if t != nil && t.IsManager(a.UserID) {
		return nil
	}
	return forbid("deny.contest", "%s may not run the team's contests", a.UserID)
}

// CanSeeStandings allows anyone in a team, rep or manager, to see its
// contests' public standings, which name only the front.
func CanSeeStandings(a Actor, t *Team) error {
	if t != nil && t.IsMember(a.UserID) {
		return nil
	}
	return forbid("deny.standings", "%s is not in the team", a.UserID)
}

// CanGiveFeedback allows a team's managers and directors to answer one of
// its reps' check-ins; nobody answers their own.
func CanGiveFeedback(a Actor, t *Team, rep string) error {
	if t != nil && t.IsLeader(a.UserID) && t.IsRep(rep) && a.UserID != rep {
		return nil
	}
	return forbid("deny.feedback", "%s may not give feedback to %s", a.UserID, rep)
}

// CanSeeFeedback allows the rep it was given to and the team's managers
// and directors to read a piece of feedback: never another rep.
func CanSeeFeedback(a Actor, t *Team, f *Feedback) error {
	if t != nil && f != nil && f.TeamID == t.ID && (a.UserID == f.RepID || t.IsLeader(a.UserID)) {
		return nil
	}
	return forbid("deny.feedback_see", "%s may not read the feedback", a.UserID)
}

// CanReplyFeedback allows the rep and the leader who gave it to reply to a
// piece of feedback.
func CanReplyFeedback(a Actor, t *Team, f *Feedback) error {
	if t != nil && f != nil && f.TeamID == t.ID && (a.UserID == f.RepID || (a.UserID == f.From && t.IsLeader(a.UserID))) {
		return nil
	}
	return forbid("deny.feedback_reply", "%s may not reply to the feedback", a.UserID)
}

// CanSeeDigest allows a team's managers and directors to read its digest
// and add to its reps' 1:1 agendas.
func CanSeeDigest(a Actor, t *Team) error {
	if t != nil && t.IsLeader(a.UserID) {
		return nil
	}
	return forbid("deny.digest", "%s does not lead the team", a.UserID)
}

// CanSeeLeaderPulse allows a manager to see their own leadership pulse in
// a team, and the team's directors to see every manager's: never a rep,
// never the channel, never another team's manager.
func CanSeeLeaderPulse(a Actor, t *Team, manager string) error {
	if t != nil && t.IsManager(manager) && (a.UserID == manager || t.IsDirector(a.UserID)) {
		return nil
	}
	return forbid("deny.leader_pulse", "%s may not see the leadership pulse of %s", a.UserID, manager)
}

// CanAddToAgenda allows a team's managers and directors to put an item on
// the 1:1 agenda of one of its reps.
func CanAddToAgenda(a Actor, t *Team, rep string) error {
	if t != nil && t.IsLeader(a.UserID) && t.IsRep(rep) && a.UserID != rep {
		return nil
	}
	return forbid("deny.agenda", "%s may not add to the agenda of %s", a.UserID, rep)
}

// CanSeeHistory allows those who lead a team to see it over weeks on the
// web dashboard: its managers and directors.
func CanSeeHistory(a Actor, t *Team) error {
	if t != nil && t.IsLeader(a.UserID) {
		return nil
	}
	return forbid("deny.history", "%s may not see the team's weeks", a.UserID)
}

// CanSeeTimeline allows a rep to see their own timeline in a team they
// check in with, and the team's managers and directors to see any of its
// reps'. Unlike CanSeeRep it asks that the rep be in the team, because the timeline
// shows the team's records of them: a link naming another team shows
// nothing.
func CanSeeTimeline(a Actor, t *Team, rep string) error {
	if t != nil && t.IsRep(rep) && (a.UserID == rep || t.IsLeader(a.UserID)) {
		return nil
	}
	return forbid("deny.timeline", "%s may not see the timeline of %s", a.UserID, rep)
}
