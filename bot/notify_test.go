package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

func TestNoticesDeliverEveryKind(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	ctx := context.Background()
	blocker := &pulse.Blocker{TeamID: team.ID, UserID: "U0REP1", Date: noticeDay.AddDays(-4), Text: "CRM is down", Status: pulse.BlockerOpen, RaisedAt: h.Clock.Now()}
	if err := h.DB.SaveBlocker(ctx, blocker); err != nil {
		t.Fatal(err)
	}
	// The check-in goes first: the reminder is threaded under it.
	checkInKey := pulse.CheckInKey(team.ID, "U0REP1", noticeDay)
	checkIn, _ := deliver(h, pulse.Notice{Key: checkInKey, Team: team, To: "U0REP1", Lang: pulse.English,
		Payload: pulse.CheckInNotice{Rep: "U0REP1", Date: noticeDay, Goal: "Buy a house", PrevDate: noticeDay.AddDays(-3), PrevPlan: "Call <Acme> & Co", Streak: 4}})

	summary := pulse.Summary{TeamID: team.ID, Week: noticeDay.AddDays(-7), Through: noticeDay.AddDays(-3), Due: 10, Answered: 8, Participation: 0.8,
		Energy: 3.8, PrevEnergy: 3.4, EnergyTrend: 0.4, Reviewed: 2, Kept: 1, Partly: 1, CommitmentsKept: 0.75, NudgesSent: 4, NudgesApplied: 3, Implementation: 0.75,
		Kudos: 5, BlockersRaised: 2, BlockersResolved: 1,
		Metrics: []pulse.MetricTotal{{Key: "calls", Name: "Calls", Total: 132, Target: 150}},
		Streaks: []pulse.RepStreak{{Rep: "U0REP1", Days: 9}},
		Days:    []pulse.DayFigures{{Date: noticeDay.AddDays(-7), Due: 2, Answered: 2, Participation: 1, Energy: 4}}}
	meetingAt := time.Date(2026, 3, 2, 10, 0, 0, 0, team.Location())

	tests := []struct {
		name     string
		notice   pulse.Notice
		channel  string   // where the message must land
		says     []string // in its blocks
		buttons  []string // action IDs
		threadTS string
	}{
		{"The check-in asks the rep by DM with their goal, plan, streak and buttons",
			pulse.Notice{}, "U0REP1",
			[]string{"Good morning", "Buy a house", "> Call &lt;Acme&gt; &amp; Co", "4 workdays in a row"},
			[]string{bot.ActionCheckIn, bot.ActionAwayToday}, ""},
		{"The reminder nudges the rep in the check-in's thread",
			pulse.Notice{Key: pulse.ReminderKey(team.ID, "U0REP1", noticeDay), Team: team, To: "U0REP1", Lang: pulse.English,
				Payload: pulse.ReminderNotice{Rep: "U0REP1", Date: noticeDay, CheckIn: pulse.Delivery{Channel: checkIn.Channel, TS: checkIn.TS}}},
			"U0REP1", []string{"still open"}, []string{bot.ActionCheckIn, bot.ActionAwayToday}, checkIn.TS},
		{"The meeting prompt lists commitments, blockers and focus in the channel",
			pulse.Notice{Key: pulse.MeetingKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English,
				Payload: pulse.MeetingNotice{Week: noticeDay, MeetingAt: meetingAt, LastWeek: noticeDay.AddDays(-7),
					Reps: []pulse.RepCommitments{
						{Rep: "U0REP1", Commitments: []pulse.Commitment{{ID: "c1", UserID: "U0REP1", Text: "Book 5 demos", Status: pulse.CommitmentKept}, {ID: "c2", UserID: "U0REP1", Text: "Send 3 proposals", Status: pulse.CommitmentOpen}}},
						{Rep: "U0REP2"},
					},
					OpenBlockers: []pulse.Blocker{*blocker},
					Focus:        &pulse.Training{ID: "t1", Skill: "Objection handling", Date: noticeDay.AddDays(-10)}}},
			"C0SALES", []string{"Book 5 demos", "✅", "kept", "Send 3 proposals", "<@U0REP2>: no commitment", "CRM is down", "open 4 days", "Objection handling"},
			[]string{bot.ActionAddCommitment, bot.ActionReviewKept, bot.ActionReviewPartly, bot.ActionReviewMissed}, ""},
		{"The training nudge asks the attendee by DM",
			pulse.Notice{Key: pulse.NudgeKey(team.ID, "U0REP2", "t1", 7), Team: team, To: "U0REP2", Lang: pulse.English,
				Payload: pulse.NudgeNotice{Rep: "U0REP2", TrainingID: "t1", Skill: "Objection handling", TrainingDate: noticeDay.AddDays(-7), Day: 7, Date: noticeDay}},
			"U0REP2", []string{"How did you apply *Objection handling*"}, []string{bot.ActionNudgeApplied, bot.ActionNudgeNotYet}, ""},
		{"The 1:1 reminder tells the manager when the last one was",
			pulse.Notice{Key: pulse.CoachingKey(team.ID, "U0MGR", "U0REP1", noticeDay), Team: team, To: "U0MGR", Lang: pulse.English,
				Payload: pulse.CoachingNotice{Rep: "U0REP1", LastDate: noticeDay.AddDays(-20), DaysSince: 20, Cadence: 14}},
			"U0MGR", []string{"1:1 with <@U0REP1>", "20 days ago", "every 14 days", "/pulse 1on1"}, nil, ""},
		{"A 1:1 reminder for a rep who never had one says so",
			pulse.Notice{Key: pulse.CoachingKey(team.ID, "U0MGR", "U0REP2", noticeDay), Team: team, To: "U0MGR", Lang: pulse.English,
				Payload: pulse.CoachingNotice{Rep: "U0REP2", DaysSince: 15, Cadence: 14}},
			"U0MGR", []string{"1:1 with <@U0REP2>", "not had one yet"}, nil, ""},
		{"The weekly summary gives the week's figures in the channel",
			pulse.Notice{Key: pulse.SummaryKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English, Payload: pulse.SummaryNotice{Summary: summary}},
			"C0SALES", []string{"80", "8 of 10", "up 0.4", "Commitments kept", "75", "3 of 4 nudges", "5 given", "2 raised, 1 resolved", "Calls: 132 of 150", "<@U0REP1>: 9 workdays", "chart"}, nil, ""},
		{"A blocker follow-up to a manager has On it and Resolved",
			pulse.Notice{Key: pulse.BlockerKey(team.ID, "U0MGR", blocker.ID, 3), Team: team, To: "U0MGR", Lang: pulse.English,
				Payload: pulse.BlockerNotice{Blocker: *blocker, WorkdaysOpen: 3, ToManager: true}},
			"U0MGR", []string{"<@U0REP1>'s blocker", "CRM is down", "3 workdays"}, []string{bot.ActionBlockerOnIt, bot.ActionBlockerResolved}, ""},
		{"A blocker follow-up to the rep has no buttons",
			pulse.Notice{Key: pulse.BlockerKey(team.ID, "U0REP1", blocker.ID, 3), Team: team, To: "U0REP1", Lang: pulse.English,
				Payload: pulse.BlockerNotice{Blocker: *blocker, WorkdaysOpen: 3}},
			"U0REP1", []string{"Your blocker", "still open after 3 workdays"}, nil, ""},
		{"The daily thread opens in the channel",
			pulse.Notice{Key: pulse.DailyThreadKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English,
				Payload: pulse.DailyThreadNotice{Date: noticeDay, Reps: team.Reps}},
			"C0SALES", []string{"2 reps are due"}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, m := tt.notice, slackMessageFor(h, checkIn)
			if n.Payload != nil {
				_, m = deliver(h, n)
			} else {
				n.Key = checkInKey
			}
			if got := jobOf(m); got != n.Key.String() {
				t.Errorf("metadata names job %q, want %q", got, n.Key)
			}
			if want := h.Slack.Messages(tt.channel); len(want) == 0 || want[0].Channel != m.Channel {
				t.Errorf("posted to %s, want %s", m.Channel, tt.channel)
			}
			if m.ThreadTS != tt.threadTS {
				t.Errorf("thread_ts = %q, want %q", m.ThreadTS, tt.threadTS)
			}
			if m.Text == "" {
				t.Error("no notification text")
			}
			if n := len(noticeBlocks(t, m)); n == 0 || n > 50 {
				t.Errorf("%d blocks", n)
			}
			for _, want := range tt.says {
				if !bytes.Contains(m.Blocks, []byte(jsonString(want))) {
					t.Errorf("blocks do not say %q:\n%s", want, m.Blocks)
				}
			}
			buttons := buttonsOf(t, m)
			if len(buttons) != len(tt.buttons) {
				t.Errorf("%d buttons, want %v", len(buttons), tt.buttons)
			}
			for _, id := range tt.buttons {
				if buttons[id] == nil {
					t.Errorf("no %s button", id)
				}
			}
		})
	}
	if b := buttonsOf(t, slackMessageFor(h, checkIn))[bot.ActionCheckIn]; b == nil || b.Value != team.ID+"|"+noticeDay.String() || b.Style != "primary" {
		t.Errorf("check-in button = %+v, want value team|day and primary", b)
	}
}

// slackMessageFor finds a delivered message again.
func slackMessageFor(h *harness, d pulse.Delivery) slacktest.Message {
	h.tb.Helper()
	for _, m := range h.Slack.Messages(d.Channel) {
		if m.TS == d.TS && !m.Updated {
			return m
		}
	}
	h.tb.Fatalf("no message %s/%s", d.Channel, d.TS)
	return slacktest.Message{}
}

// isTrue reads a Web API flag as Slack does.
func isTrue(v string) bool { return v == "1" || v == "true" }

// jsonString is s as it appears inside a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

func TestNoticesDeliveredFindsAJobByItsMetadata(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	ctx := context.Background()
	before := time.Now().Add(-time.Minute)
	dmKey := pulse.CheckInKey(team.ID, "U0REP1", noticeDay)
	dm, _ := deliver(h, pulse.Notice{Key: dmKey, Team: team, To: "U0REP1", Lang: pulse.English, Payload: pulse.CheckInNotice{Rep: "U0REP1", Date: noticeDay}})
	postKey := pulse.DailyThreadKey(team.ID, noticeDay)
	post, _ := deliver(h, pulse.Notice{Key: postKey, Team: team, To: "C0SALES", Lang: pulse.English, Payload: pulse.DailyThreadNotice{Date: noticeDay, Reps: team.Reps}})
	// Other messages in the same conversations, later, must not hide them.
	for i := range 5 {
		deliver(h, pulse.Notice{Key: pulse.CheckInKey(team.ID, "U0REP1", noticeDay.AddDays(i+1)), Team: team, To: "U0REP1", Lang: pulse.English, Payload: pulse.CheckInNotice{Rep: "U0REP1", Date: noticeDay.AddDays(i + 1)}})
	}

	tests := []struct {
		name         string
		key          pulse.JobKey
		conversation string
		since        time.Time
		want         pulse.Delivery
		found        bool
	}{
		{"A DM is found by the rep's user ID", dmKey, "U0REP1", before, dm, true},
		{"A channel post is found by the channel ID", postKey, "C0SALES", before, post, true},
		{"A job never sent is not found", pulse.CheckInKey(team.ID, "U0REP1", noticeDay.AddDays(-1)), "U0REP1", before, pulse.Delivery{}, false},
		{"A job sent to someone else is not found in this DM", dmKey, "U0REP2", before, pulse.Delivery{}, false},
		{"A message older than since is not looked at", dmKey, "U0REP1", time.Now().Add(time.Hour), pulse.Delivery{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found, err := h.Bot.Delivered(ctx, tt.key, tt.conversation, tt.since)
			if err != nil {
				t.Fatalf("Delivered: %v", err)
			}
			if found != tt.found || got != tt.want {
				t.Errorf("Delivered = %+v, %v; want %+v, %v", got, found, tt.want, tt.found)
			}
		})
	}
	if calls := h.Slack.CallsTo("conversations.history"); len(calls) == 0 || !isTrue(calls[0].Form.Get("include_all_metadata")) {
		t.Errorf("conversations.history was not asked for metadata: %+v", calls)
	}
}

// Recovery after a crash asks about every unconfirmed DM, and
// conversations.open is paced at about 50 a minute: a DM's ID is learnt
// once, from a post to the user or from one conversations.open.
func TestNoticesDeliveredOpensEachDMOnce(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	ctx := context.Background()
	since := time.Now().Add(-time.Minute)
	deliver(h, pulse.Notice{Key: pulse.CheckInKey(team.ID, "U0REP1", noticeDay), Team: team, To: "U0REP1", Lang: pulse.English,
		Payload: pulse.CheckInNotice{Rep: "U0REP1", Date: noticeDay}})
	for i := range 3 {
		for _, rep := range []string{"U0REP1", "U0REP2"} {
			if _, _, err := h.Bot.Delivered(ctx, pulse.CheckInKey(team.ID, rep, noticeDay.AddDays(i)), rep, since); err != nil {
				t.Fatal(err)
			}
		}
	}
	opened := map[string]int{}
	for _, c := range h.Slack.CallsTo("conversations.open") {
		opened[c.Form.Get("users")]++
	}
	if opened["U0REP1"] != 0 || opened["U0REP2"] != 1 {
		t.Errorf("conversations.open per user = %v; want none for the rep a DM went to, one for the other", opened)
	}
}

func TestNoticesDeliverErrorsTellTheEngineWhatToDo(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	team.Channel = "C0GONE" // not known to Slack: channel_not_found
	_, err := h.Bot.Deliver(context.Background(), pulse.Notice{Key: pulse.DailyThreadKey(team.ID, noticeDay), Team: team, To: team.Channel, Lang: pulse.English,
		Payload: pulse.DailyThreadNotice{Date: noticeDay}})
	if pulse.ErrorCode(err) != pulse.ENOTFOUND || !strings.Contains(err.Error(), "thread/") {
		t.Errorf("Deliver to an unknown channel = %v, want ENOTFOUND naming the job", err)
	}
	_, err = h.Bot.Deliver(context.Background(), pulse.Notice{Key: pulse.DailyThreadKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English,
		Payload: pulse.SummaryNotice{}})
	if pulse.ErrorCode(err) != pulse.EINVALID {
		t.Errorf("Deliver of a payload of another kind = %v, want EINVALID", err)
	}
}

func TestNoticesSummaryUploadsItsChartUnderIt(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	s := pulse.Summary{TeamID: team.ID, Week: noticeDay, Through: noticeDay.AddDays(4)}
	for i := range 5 {
		s.Days = append(s.Days, pulse.DayFigures{Date: noticeDay.AddDays(i), Due: 2, Answered: 1 + i%2, Participation: float64(1+i%2) / 2, Energy: 3 + float64(i%3)/2})
	}
	d, _ := deliver(h, pulse.Notice{Key: pulse.SummaryKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English, Payload: pulse.SummaryNotice{Summary: s}})
	files := h.Slack.Files()
	if len(files) != 1 {
		t.Fatalf("%d files uploaded, want the chart\n%s", len(files), h.Logs)
	}
	f := files[0]
	if f.Channel != "C0SALES" || f.ThreadTS != d.TS {
		t.Errorf("chart shared to %s thread %q, want C0SALES under the summary %s", f.Channel, f.ThreadTS, d.TS)
	}
	img, err := png.Decode(bytes.NewReader(f.Bytes))
	if err != nil {
		t.Fatalf("the chart is not a PNG: %v", err)
	}
	if got := img.Bounds().Dx(); got != 800 {
		t.Errorf("chart width %d, want 800", got)
	}
	if !strings.HasSuffix(f.Name, ".png") || !strings.Contains(f.Title, "Week") && !strings.Contains(f.Title, "week") {
		t.Errorf("chart named %q titled %q", f.Name, f.Title)
	}
	for _, m := range []string{"files.getUploadURLExternal", "files.completeUploadExternal"} {
		if len(h.Slack.CallsTo(m)) != 1 {
			t.Errorf("%d calls to %s, want 1", len(h.Slack.CallsTo(m)), m)
		}
	}
}

func TestNoticesABigTeamStaysWithinBlockKitLimits(t *testing.T) {
	h := start(t)
	h.Slack.AddChannel("C0SALES", "sales")
	var reps []string
	for i := range 250 {
		reps = append(reps, "U1"+strconv.Itoa(1000+i))
	}
	team := h.createTeam("Everyone", []string{"U0MGR"}, reps)
	long := strings.Repeat("Close the quarter with a signed deal at a big account, ", 60)
	p := pulse.MeetingNotice{Week: noticeDay, MeetingAt: time.Date(2026, 3, 2, 10, 0, 0, 0, team.Location()), LastWeek: noticeDay.AddDays(-7),
		Focus: &pulse.Training{Skill: strings.Repeat("Discovery ", 10), Date: noticeDay.AddDays(-3)}}
	s := pulse.Summary{TeamID: team.ID, Week: noticeDay.AddDays(-7), Through: noticeDay.AddDays(-3), Due: 1250, Answered: 1000, Participation: 0.8, Energy: 3.1}
	for i, rep := range reps {
		p.Reps = append(p.Reps, pulse.RepCommitments{Rep: rep, Commitments: []pulse.Commitment{
			{ID: "c" + strconv.Itoa(i), UserID: rep, Text: long, Status: pulse.CommitmentOpen},
			{ID: "k" + strconv.Itoa(i), UserID: rep, Text: "Book demos", Status: pulse.CommitmentKept},
		}})
		p.OpenBlockers = append(p.OpenBlockers, pulse.Blocker{ID: "b" + strconv.Itoa(i), UserID: rep, Date: noticeDay.AddDays(-i % 30), Text: long})
		s.Streaks = append(s.Streaks, pulse.RepStreak{Rep: rep, Days: 250 - i})
	}
	for i := range pulse.MaxMetrics {
		s.Metrics = append(s.Metrics, pulse.MetricTotal{Key: "m" + strconv.Itoa(i), Name: strings.Repeat("Metric ", 5), Total: 123456.5, Target: 150000})
	}
	for _, n := range []pulse.Notice{
		{Key: pulse.MeetingKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English, Payload: p},
		{Key: pulse.SummaryKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English, Payload: pulse.SummaryNotice{Summary: s}},
	} {
		_, m := deliver(h, n)
		blocks := noticeBlocks(t, m)
		if len(blocks) > 50 {
			t.Errorf("%s: %d blocks", n.Key.Kind, len(blocks))
		}
		if !bytes.Contains(m.Blocks, []byte("more.")) {
			t.Errorf("%s: the long lists are not summarised with \"…and N more\"", n.Key.Kind)
		}
	}
	// The harness fails the test at cleanup if Slack would have refused
	// any of it.
}

func TestNoticesDirectoryAsksSlackOnceADayAndKeepsThePersonsChoices(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	h.Slack.AddUser(slackUser("U0REP1", "Maria", "Europe/Oslo", true))
	if err := h.DB.SavePerson(ctx, &pulse.Person{ID: "U0REP1", Lang: pulse.Norwegian, Goal: "Buy a house", TZOverride: "Europe/Warsaw"}); err != nil {
		t.Fatal(err)
	}
	check := func(when string, wantCalls int) {
		t.Helper()
		p, err := h.Bot.Person(ctx, "U0REP1")
		if err != nil {
			t.Fatalf("%s: Person: %v", when, err)
		}
		if p.Name != "Maria" || p.TZ != "Europe/Oslo" || p.Locale != "en-US" || !p.IsAdmin {
			t.Errorf("%s: Slack's profile not taken: %+v", when, p)
		}
		if p.Lang != pulse.Norwegian || p.Goal != "Buy a house" || p.TZOverride != "Europe/Warsaw" {
			t.Errorf("%s: the person's own choices were lost: %+v", when, p)
		}
		stored, err := h.DB.Person(ctx, "U0REP1")
		if err != nil || stored.FetchedAt.IsZero() || stored.Name != "Maria" {
			t.Errorf("%s: not cached in the store: %+v, %v", when, stored, err)
		}
		if got := len(h.Slack.CallsTo("users.info")); got != wantCalls {
			t.Errorf("%s: %d calls to users.info, want %d", when, got, wantCalls)
		}
	}
	check("first", 1)
	check("again at once", 1)
	h.Clock.Advance(23 * time.Hour)
	check("23 hours on", 1)

	// A day on, the stored profile is answered at once while Slack is
	// asked again in the background; the store then holds the new answer.
	h.Slack.AddUser(slackUser("U0REP1", "Maria Olsen", "Europe/Oslo", true))
	h.Clock.Advance(2 * time.Hour)
	if p, err := h.Bot.Person(ctx, "U0REP1"); err != nil || p.Name != "Maria" {
		t.Fatalf("a day on: Person = %+v, %v; want the stored profile at once", p, err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	err := h.Slack.WaitFor(waitCtx, func() bool {
		p, err := h.DB.Person(ctx, "U0REP1")
		return err == nil && p.Name == "Maria Olsen"
	})
	if err != nil {
		t.Fatalf("the profile was never refreshed in the background: %v", err)
	}
	stored, _ := h.DB.Person(ctx, "U0REP1")
	if stored.Lang != pulse.Norwegian || stored.Goal != "Buy a house" || stored.TZOverride != "Europe/Warsaw" {
		t.Errorf("the refresh lost the person's own choices: %+v", stored)
	}
	if got := len(h.Slack.CallsTo("users.info")); got != 2 {
		t.Errorf("a day on: %d calls to users.info, want 2", got)
	}
	if calls := h.Slack.CallsTo("users.info"); !isTrue(calls[0].Form.Get("include_locale")) {
		t.Errorf("users.info without include_locale: %v", calls[0].Form)
	}

	if _, err := h.Bot.Person(ctx, "U0NOBODY"); pulse.ErrorCode(err) != pulse.ENOTFOUND {
		t.Errorf("Person of an unknown user = %v, want ENOTFOUND", err)
	}
}

func TestNoticesARefusedTokenEndsRunAndIsNotGivenUp(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	h.Slack.RevokeToken(h.Slack.BotToken(), "token_revoked")
	_, err := h.Bot.Deliver(context.Background(), pulse.Notice{Key: pulse.DailyThreadKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English,
		Payload: pulse.DailyThreadNotice{Date: noticeDay}})
	if !isAuthError(err, bot.BotTokenVar, "token_revoked") {
		t.Errorf("Deliver with a revoked token = %v, want the *AuthError", err)
	}
	if code := pulse.ErrorCode(err); code != pulse.EINTERNAL {
		t.Errorf("error code %q would make the engine give the job up", code)
	}
	if err := h.stop(); !isAuthError(err, bot.BotTokenVar, "token_revoked") {
		t.Errorf("Run returned %v, want the *AuthError", err)
	}
}

func TestNoticesCheckInsArePostedUnderTheDaysThread(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	ctx := context.Background()
	if _, err := h.Bot.PostToDailyThread(ctx, team, noticeDay, bot.Message{Text: "Maria checked in"}); pulse.ErrorCode(err) != pulse.ENOTFOUND {
		t.Fatalf("a reply before the thread is open = %v, want ENOTFOUND", err)
	}
	// The engine claims the job, delivers it and records where it went.
	key := pulse.DailyThreadKey(team.ID, noticeDay)
	if _, _, err := h.DB.Claim(ctx, key, "run-1", h.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	d, _ := deliver(h, pulse.Notice{Key: key, Team: team, To: "C0SALES", Lang: pulse.English, Payload: pulse.DailyThreadNotice{Date: noticeDay, Reps: team.Reps}})
	if err := h.DB.MarkSent(ctx, key, d.Channel, d.TS, h.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	ts, err := h.Bot.PostToDailyThread(ctx, team, noticeDay, bot.Message{Text: "Maria checked in"})
	if err != nil {
		t.Fatalf("PostToDailyThread: %v", err)
	}
	var reply slacktest.Message
	for _, m := range h.Slack.Messages("C0SALES") {
		if m.TS == ts {
			reply = m
		}
	}
	if reply.ThreadTS != d.TS || reply.Text != "Maria checked in" {
		t.Errorf("reply = %+v, want it under %s", reply, d.TS)
	}
	if _, err := h.Bot.PostToDailyThread(ctx, team, noticeDay.AddDays(1), bot.Message{Text: "Tomorrow"}); pulse.ErrorCode(err) != pulse.ENOTFOUND {
		t.Errorf("a reply for a day without a thread = %v, want ENOTFOUND", err)
	}
}
