package pulse_test

import (
	"testing"

	"github.com/salespulse/pulse"
)

func TestFeedbackSilence(t *testing.T) {
	// Monday 2026-11-23 to Friday 2026-12-04; Thursday 2026-11-26 is a team
	// holiday in one case, and the rep is away Wednesday in another.
	d := pulse.MustDate
	team := goodTeam()
	holiday := goodTeam()
	holiday.Holidays = []pulse.Date{d("2026-11-26")}
	away := []pulse.AwayPeriod{{UserID: "UREP1", From: d("2026-11-25"), To: d("2026-11-25")}}
	tests := []struct {
		name     string
		team     *pulse.Team
		last     pulse.Date
		today    pulse.Date
		away     []pulse.AwayPeriod
		workdays int
		silent   bool
	}{
		{"feedback today: no silence", team, d("2026-11-24"), d("2026-11-24"), nil, 0, false},
		{"two workdays after Tuesday: not yet", team, d("2026-11-24"), d("2026-11-26"), nil, 2, false},
		{"exactly three workdays after Tuesday: warned on Friday", team, d("2026-11-24"), d("2026-11-27"), nil, 3, true},
		{"a weekend does not count", team, d("2026-11-26"), d("2026-11-30"), nil, 2, false},
		{"Thursday feedback, Tuesday is the third workday", team, d("2026-11-26"), d("2026-12-01"), nil, 3, true},
		{"a holiday does not count", holiday, d("2026-11-24"), d("2026-11-27"), nil, 2, false},
		{"a holiday moves the warning to Monday", holiday, d("2026-11-24"), d("2026-11-30"), nil, 3, true},
		{"a day away does not count", team, d("2026-11-24"), d("2026-11-27"), away, 2, false},
		{"never any feedback counts from the team's start", team, pulse.Date{}, d("2026-11-25"), nil, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := pulse.FeedbackSilence(tt.team, "UREP1", nil, tt.last, d("2026-11-23"), tt.today, tt.away)
			if s.Workdays != tt.workdays || s.Silent(tt.team) != tt.silent {
				t.Fatalf("silence = %d workdays, silent %v; want %d, %v", s.Workdays, s.Silent(tt.team), tt.workdays, tt.silent)
			}
		})
	}
}

func TestFeedbackValidate(t *testing.T) {
	good := func() pulse.Feedback {
		return pulse.Feedback{TeamID: "T1", RepID: "UREP1", From: "UMGR1", Date: pulse.MustDate("2026-11-24"), Kind: pulse.FeedbackPraise, Text: "  Great call  "}
	}
	tests := []struct {
		name  string
		edit  func(*pulse.Feedback)
		field string
	}{
		{"good", func(*pulse.Feedback) {}, ""},
		{"an acknowledgement needs no text", func(f *pulse.Feedback) { f.Kind, f.Text = pulse.FeedbackAck, "" }, ""},
		{"praise needs text", func(f *pulse.Feedback) { f.Text = "   " }, "feedback"},
		{"a kind Pulse does not know", func(f *pulse.Feedback) { f.Kind = "scold" }, "kind"},
		{"a forged rep", func(f *pulse.Feedback) { f.RepID = "<@U1>" }, "rep"},
		{"to oneself", func(f *pulse.Feedback) { f.From = f.RepID }, "rep"},
		{"too long", func(f *pulse.Feedback) { f.Text = string(make([]rune, pulse.MaxTextLen+1)) + "x" }, "feedback"},
		{"without a day", func(f *pulse.Feedback) { f.Date = pulse.Date{} }, "date"},
		{"an empty reply", func(f *pulse.Feedback) { f.Replies = []pulse.FeedbackReply{{From: "UREP1", Text: " "}} }, "reply"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := good()
			tt.edit(&f)
			err := f.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v", err)
				}
				if f.Kind == pulse.FeedbackPraise && f.Text != "Great call" {
					t.Fatalf("text not trimmed: %q", f.Text)
				}
				return
			}
			wantFields(t, err, tt.field)
		})
	}
}

func TestTeamFeedbackDefaults(t *testing.T) {
	team := goodTeam()
	team.DigestTime, team.FeedbackInterval, team.FeedbackTarget = 0, 0, 0
	team.CheckInTime = pulse.MustTime("08:30")
	if got := team.Digest(); got != pulse.MustTime("10:30") {
		t.Fatalf("digest = %s, want two hours after check-in", got)
	}
	if team.Interval() != 3 || team.Target() != 2 {
		t.Fatalf("interval %d, target %d; want 3 and 2", team.Interval(), team.Target())
	}
	team.CheckInTime = pulse.MustTime("23:00")
	if got := team.Digest(); got != pulse.MustTime("23:59") {
		t.Fatalf("late check-in's digest = %s, want 23:59", got)
	}
	team.Directors = []string{team.Reps[0]}
	wantFields(t, team.Validate(), "directors")
	team.Directors = []string{"bad"}
	wantFields(t, team.Validate(), "directors")
}
