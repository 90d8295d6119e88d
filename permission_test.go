package pulse_test

import (
	"testing"

	"github.com/salespulse/pulse"
)

func TestPermissions(t *testing.T) {
	// UMGR1 manages "north" and is also a rep in "south"; UREP1 and UREP2
	// are reps in north; UADMIN is an admin in neither team; UOUT is in no team.
	north := goodTeam()
	north.Managers = []string{"UMGR1"}
	north.Reps = []string{"UREP1", "UREP2"}
	south := goodTeam()
	south.Managers = []string{"UMGR2"}
	south.Reps = []string{"UREP3", "UMGR1"}

	rep1 := pulse.Actor{UserID: "UREP1"}
	rep2 := pulse.Actor{UserID: "UREP2"}
	mgr1 := pulse.Actor{UserID: "UMGR1"}
	mgr2 := pulse.Actor{UserID: "UMGR2"}
	admin := pulse.Actor{UserID: "UADMIN", Admin: true}
	outsider := pulse.Actor{UserID: "UOUT"}

	tests := []struct {
		name  string
		err   error
		allow bool
	}{
		{"a rep sees their own data", pulse.CanSeeRep(rep1, north, "UREP1"), true},
		{"a rep never sees another rep's data", pulse.CanSeeRep(rep1, north, "UREP2"), false},
		{"a manager sees a rep of their team", pulse.CanSeeRep(mgr1, north, "UREP2"), true},
		{"a manager does not see a rep of another team", pulse.CanSeeRep(mgr2, north, "UREP1"), false},
		{"a manager who is a rep elsewhere does not see that team's reps", pulse.CanSeeRep(mgr1, south, "UREP3"), false},
		{"an admin does not see a rep's data by being an admin", pulse.CanSeeRep(admin, north, "UREP1"), false},
		{"a manager sees their team", pulse.CanSeeTeam(mgr1, north), true},
		{"a manager does not see another team", pulse.CanSeeTeam(mgr2, north), false},
		{"a rep does not see the team overview", pulse.CanSeeTeam(rep1, north), false},
		{"a team's manager reads 1:1 notes", pulse.CanSeeNotes(mgr1, north), true},
		{"a rep does not read 1:1 notes, not even about themselves", pulse.CanSeeNotes(rep1, north), false},
		{"another team's manager does not read 1:1 notes", pulse.CanSeeNotes(mgr2, north), false},
		{"a manager exports their team", pulse.CanExport(mgr1, north), true},
		{"a rep does not export", pulse.CanExport(rep1, north), false},
		{"an admin does not export a team they do not manage", pulse.CanExport(admin, north), false},
		{"an admin creates a new team", pulse.CanSetUpTeam(admin, nil), true},
		{"an admin edits any team", pulse.CanSetUpTeam(admin, north), true},
		{"a manager edits their own team", pulse.CanSetUpTeam(mgr1, north), true},
		{"a manager does not edit another team", pulse.CanSetUpTeam(mgr2, north), false},
		{"a manager who is not an admin does not create a team", pulse.CanSetUpTeam(mgr1, nil), false},
		{"a rep does not set up their team", pulse.CanSetUpTeam(rep1, north), false},
		{"a manager sets their team's questions", pulse.CanEditQuestions(mgr1, north), true},
		{"a manager does not set another team's questions", pulse.CanEditQuestions(mgr2, north), false},
		{"a rep does not set their team's questions", pulse.CanEditQuestions(rep1, north), false},
		{"an admin who does not manage the team does not set its questions", pulse.CanEditQuestions(admin, north), false},
		{"nobody sets the questions of a missing team", pulse.CanEditQuestions(mgr1, nil), false},
		{"a manager logs a training or 1:1 for their rep", pulse.CanLead(mgr1, north, "UREP1"), true},
		{"a manager does not log a 1:1 for someone outside the team", pulse.CanLead(mgr1, north, "UREP3"), false},
		{"a rep does not log a 1:1", pulse.CanLead(rep1, north, "UREP2"), false},
		{"a rep gives kudos to a teammate", pulse.CanGiveKudos(rep1, north, "UREP2"), true},
		{"a manager gives kudos to their rep", pulse.CanGiveKudos(mgr1, north, "UREP1"), true},
		{"nobody gives kudos to themselves", pulse.CanGiveKudos(rep2, north, "UREP2"), false},
		{"an outsider does not give kudos into a team", pulse.CanGiveKudos(outsider, north, "UREP1"), false},
		{"kudos go only to the team's reps", pulse.CanGiveKudos(rep1, north, "UREP3"), false},
		{"a rep checks in with their team", pulse.CanCheckIn(rep1, north), true},
		{"a manager matches their rep to a CRM user", pulse.CanMatchCRM(mgr1, north, "UREP1"), true},
		{"a manager does not match someone outside the team", pulse.CanMatchCRM(mgr1, north, "UREP3"), false},
		{"another team's manager does not match a rep", pulse.CanMatchCRM(mgr2, north, "UREP1"), false},
		{"a rep does not match themselves", pulse.CanMatchCRM(rep1, north, "UREP1"), false},
		{"an admin does not match a rep by being an admin", pulse.CanMatchCRM(admin, north, "UREP1"), false},
		{"a manager does not check in with the team they manage", pulse.CanCheckIn(mgr1, north), false},
		{"a manager checks in with the team they are a rep of", pulse.CanCheckIn(mgr1, south), true},
		{"nobody is allowed anything on a missing team", pulse.CanSeeTeam(mgr1, nil), false},
		{"a manager sees their team's weeks", pulse.CanSeeHistory(mgr1, north), true},
		{"a rep does not see the team's weeks", pulse.CanSeeHistory(rep1, north), false},
		{"a manager does not see another team's weeks", pulse.CanSeeHistory(mgr2, north), false},
		{"a manager who is a rep elsewhere does not see that team's weeks", pulse.CanSeeHistory(mgr1, south), false},
		{"an admin does not see a team's weeks by being an admin", pulse.CanSeeHistory(admin, north), false},
		{"a rep sees their own timeline in their team", pulse.CanSeeTimeline(rep1, north, "UREP1"), true},
		{"a rep does not see a teammate's timeline", pulse.CanSeeTimeline(rep1, north, "UREP2"), false},
		{"a manager sees the timeline of a rep of their team", pulse.CanSeeTimeline(mgr1, north, "UREP2"), true},
		{"a manager does not see a timeline in another team", pulse.CanSeeTimeline(mgr2, north, "UREP1"), false},
		{"a rep's own timeline is not shown under a team they are not in", pulse.CanSeeTimeline(rep1, south, "UREP1"), false},
		{"a manager does not see a timeline of someone outside the team", pulse.CanSeeTimeline(mgr1, north, "UREP3"), false},
		{"a manager who is a rep elsewhere does not see that team's timelines", pulse.CanSeeTimeline(mgr1, south, "UREP3"), false},
		{"an admin does not see a timeline by being an admin", pulse.CanSeeTimeline(admin, north, "UREP1"), false},
		{"nobody sees a timeline of a missing team", pulse.CanSeeTimeline(rep1, nil, "UREP1"), false},
		{"a manager sets a plan for their rep", pulse.CanSetPlan(mgr1, north, "UREP1"), true},
		{"a manager imports their team's plans", pulse.CanSetPlan(mgr1, north, ""), true},
		{"a manager does not set a plan for someone outside the team", pulse.CanSetPlan(mgr1, north, "UREP3"), false},
		{"a manager does not set plans in another team", pulse.CanSetPlan(mgr2, north, "UREP1"), false},
		{"a rep does not set their own plan", pulse.CanSetPlan(rep1, north, "UREP1"), false},
		{"an admin does not set plans by being an admin", pulse.CanSetPlan(admin, north, "UREP1"), false},
		{"a rep sees their own plan and pace", pulse.CanSeeRep(rep1, north, "UREP1"), true},
		{"a rep does not see another rep's plan and pace", pulse.CanSeeRep(rep1, north, "UREP2"), false},
		{"a manager runs their team's contest", pulse.CanRunContest(mgr1, north), true},
		{"a rep does not start or cancel a contest", pulse.CanRunContest(rep1, north), false},
		{"another team's manager does not cancel this team's contest", pulse.CanRunContest(mgr2, north), false},
		{"an admin does not run a contest by being an admin", pulse.CanRunContest(admin, north), false},
		{"a rep sees the public standings", pulse.CanSeeStandings(rep1, north), true},
		{"a manager sees the standings", pulse.CanSeeStandings(mgr1, north), true},
		{"an outsider does not see a team's standings", pulse.CanSeeStandings(outsider, north), false},
		{"a manager of another team does not see its standings", pulse.CanSeeStandings(mgr2, north), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.allow {
				if tt.err != nil {
					t.Fatalf("refused with %v, want allowed", tt.err)
				}
				return
			}
			if tt.err == nil {
				t.Fatal("allowed, want refused")
			}
			if code := pulse.ErrorCode(tt.err); code != pulse.EFORBIDDEN {
				t.Fatalf("code = %q, want %q", code, pulse.EFORBIDDEN)
			}
			key, _ := pulse.ErrorKey(tt.err)
			if key == "err.internal" || key == "" {
				t.Fatalf("refusal has no sentence to show, key %q", key)
			}
		})
	}
}

func TestCanStartExport(t *testing.T) {
	tests := []struct {
		name           string
		mine, all, max int
		want           string // catalogue key of the refusal, "" when allowed
	}{
		{"the first export of all", 0, 0, 3, ""},
		{"another's export is under way", 0, 1, 3, ""},
		{"one slot is left", 0, 2, 3, ""},
		{"the person's own export is under way", 1, 1, 3, "export.busy_yours"},
		{"the person's own export under way says so even when all are busy", 1, 3, 3, "export.busy_yours"},
		{"every slot is taken by others", 0, 3, 3, "export.busy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := pulse.CanStartExport(tt.mine, tt.all, tt.max)
			key, _ := pulse.ErrorKey(err)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (key != tt.want || pulse.ErrorCode(err) != pulse.ECONFLICT):
				t.Errorf("error %v, want a conflict with key %s", err, tt.want)
			}
		})
	}
}

func TestFeedbackPermissions(t *testing.T) {
	// UMGR1 manages north and UDIR directs it; UMGR2 manages south; UREP1
	// and UREP2 are north's reps, UREP3 south's.
	north := goodTeam()
	north.ID, north.Managers, north.Reps, north.Directors = "T1", []string{"UMGR1"}, []string{"UREP1", "UREP2"}, []string{"UDIR"}
	south := goodTeam()
	south.ID, south.Managers, south.Reps = "T2", []string{"UMGR2"}, []string{"UREP3"}
	fb := &pulse.Feedback{ID: "f1", TeamID: "T1", RepID: "UREP1", From: "UMGR1"}
	forged := &pulse.Feedback{ID: "f2", TeamID: "T2", RepID: "UREP1", From: "UMGR1"}
	act := func(id string) pulse.Actor { return pulse.Actor{UserID: id} }

	tests := []struct {
		name  string
		err   error
		allow bool
	}{
		{"a manager gives feedback to a rep of their team", pulse.CanGiveFeedback(act("UMGR1"), north, "UREP1"), true},
		{"a director gives feedback to a rep of a team they direct", pulse.CanGiveFeedback(act("UDIR"), north, "UREP2"), true},
		{"a rep gives no feedback to a teammate", pulse.CanGiveFeedback(act("UREP2"), north, "UREP1"), false},
		{"another team's manager gives no feedback", pulse.CanGiveFeedback(act("UMGR2"), north, "UREP1"), false},
		{"feedback goes only to the team's reps", pulse.CanGiveFeedback(act("UMGR1"), north, "UREP3"), false},
		{"an admin gives no feedback by being one", pulse.CanGiveFeedback(pulse.Actor{UserID: "UADMIN", Admin: true}, north, "UREP1"), false},
		{"no team, no feedback", pulse.CanGiveFeedback(act("UMGR1"), nil, "UREP1"), false},
		{"the rep reads feedback given to them", pulse.CanSeeFeedback(act("UREP1"), north, fb), true},
		{"a rep never reads another rep's feedback", pulse.CanSeeFeedback(act("UREP2"), north, fb), false},
		{"a manager reads feedback in their team", pulse.CanSeeFeedback(act("UMGR1"), north, fb), true},
		{"a director reads feedback in a team they direct", pulse.CanSeeFeedback(act("UDIR"), north, fb), true},
		{"another team's manager reads none", pulse.CanSeeFeedback(act("UMGR2"), north, fb), false},
		{"feedback of another team is not read through this one", pulse.CanSeeFeedback(act("UMGR1"), north, forged), false},
		{"the rep replies to their feedback", pulse.CanReplyFeedback(act("UREP1"), north, fb), true},
		{"the author replies in the thread", pulse.CanReplyFeedback(act("UMGR1"), north, fb), true},
		{"another rep does not reply", pulse.CanReplyFeedback(act("UREP2"), north, fb), false},
		{"a director who did not write it does not reply as the author", pulse.CanReplyFeedback(act("UDIR"), north, fb), false},
		{"a manager reads the digest", pulse.CanSeeDigest(act("UMGR1"), north), true},
		{"a director reads the digest", pulse.CanSeeDigest(act("UDIR"), north), true},
		{"a rep does not read the digest", pulse.CanSeeDigest(act("UREP1"), north), false},
		{"another team's manager does not read the digest", pulse.CanSeeDigest(act("UMGR2"), north), false},
		{"a manager sees their own leadership pulse", pulse.CanSeeLeaderPulse(act("UMGR1"), north, "UMGR1"), true},
		{"a director sees the managers' leadership pulse", pulse.CanSeeLeaderPulse(act("UDIR"), north, "UMGR1"), true},
		{"a rep never sees the leadership pulse", pulse.CanSeeLeaderPulse(act("UREP1"), north, "UMGR1"), false},
		{"another team's manager does not see it", pulse.CanSeeLeaderPulse(act("UMGR2"), north, "UMGR1"), false},
		{"a director has no pulse of their own in the team", pulse.CanSeeLeaderPulse(act("UDIR"), north, "UDIR"), false},
		{"a director of north does not see south's manager", pulse.CanSeeLeaderPulse(act("UDIR"), south, "UMGR2"), false},
		{"a manager adds to a rep's 1:1 agenda", pulse.CanAddToAgenda(act("UMGR1"), north, "UREP1"), true},
		{"a director adds to a rep's 1:1 agenda", pulse.CanAddToAgenda(act("UDIR"), north, "UREP1"), true},
		{"a rep adds nothing to another's agenda", pulse.CanAddToAgenda(act("UREP2"), north, "UREP1"), false},
		{"another team's manager adds nothing", pulse.CanAddToAgenda(act("UMGR2"), north, "UREP1"), false},
		{"an agenda item goes only to the team's reps", pulse.CanAddToAgenda(act("UMGR1"), north, "UREP3"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.allow != (tt.err == nil) {
				t.Fatalf("err = %v, want allowed %v", tt.err, tt.allow)
			}
			if tt.err != nil {
				if code := pulse.ErrorCode(tt.err); code != pulse.EFORBIDDEN {
					t.Fatalf("code = %q, want %q", code, pulse.EFORBIDDEN)
				}
			}
		})
	}
}

func TestWebDashboardPermissions(t *testing.T) {
	// UMGR1 manages north and UDIR directs it; UMGR2 manages south, where
	// UREP1 of north is no rep.
	north := goodTeam()
	north.ID, north.Managers, north.Reps, north.Directors = "T1", []string{"UMGR1"}, []string{"UREP1", "UREP2"}, []string{"UDIR"}
	south := goodTeam()
	south.ID, south.Managers, south.Reps = "T2", []string{"UMGR2"}, []string{"UREP3"}
	act := func(id string) pulse.Actor { return pulse.Actor{UserID: id} }
	tests := []struct {
		name  string
		err   error
		allow bool
	}{
		{"a director sees the weeks of a team they direct", pulse.CanSeeHistory(act("UDIR"), north), true},
		{"a director does not see the weeks of another team", pulse.CanSeeHistory(act("UDIR"), south), false},
		{"a director sees the timeline of a rep of a team they direct", pulse.CanSeeTimeline(act("UDIR"), north, "UREP2"), true},
		{"a director does not see a timeline in another team", pulse.CanSeeTimeline(act("UDIR"), south, "UREP3"), false},
		{"a director does not read 1:1 notes", pulse.CanSeeNotes(act("UDIR"), north), false},
		{"a director does not export the team", pulse.CanExport(act("UDIR"), north), false},
	}
	for _, tt := range tests {
		if tt.allow != (tt.err == nil) {
			t.Errorf("%s: err = %v, want allowed %v", tt.name, tt.err, tt.allow)
		}
	}
}
