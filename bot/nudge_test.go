package bot_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/cadence"
)

// nudged stores a training for U0REP1 and U0REP2, delivers the day-7
// nudge of rep and records it as sent, in the nudge and in the job ledger
// (as the engine does).
func nudged(h *harness, rep string) (*pulse.Training, slacktest.Message) {
	h.tb.Helper()
	ctx := context.Background()
	team := noticeTeam(h)
	tr := &pulse.Training{TeamID: team.ID, Skill: "Objection handling", Date: noticeDay.AddDays(-7), Attendees: []string{"U0REP1", "U0REP2"}, Schedule: []int{7}, CreatedBy: "U0MGR"}
	if err := h.DB.SaveTraining(ctx, tr); err != nil {
		h.tb.Fatal(err)
	}
	if err := h.DB.SaveNudge(ctx, &pulse.Nudge{TrainingID: tr.ID, TeamID: team.ID, UserID: rep, Day: 7, SentAt: h.Clock.Now()}); err != nil {
		h.tb.Fatal(err)
	}
	key := pulse.NudgeKey(team.ID, rep, tr.ID, 7)
	d, m := deliver(h, pulse.Notice{Key: key, Team: team, To: rep, Lang: pulse.English,
		Payload: pulse.NudgeNotice{Rep: rep, TrainingID: tr.ID, Skill: tr.Skill, TrainingDate: tr.Date, Day: 7, Date: noticeDay}})
	h.recordSent(key, d)
	return tr, m
}

func TestNoticesAppliedItOpensTheReportAndSavesIt(t *testing.T) {
	h := start(t)
	tr, m := nudged(h, "U0REP1")
	pressNotice(h, "U0REP1", m, buttonsOf(t, m)[bot.ActionNudgeApplied])
	v := openedModal(h, 1)
	if v.CallbackID != bot.ViewTrainingReport || len(v.Blocks.BlockSet) != 2 || v.Blocks.BlockSet[1].ID() != "report" {
		t.Fatalf("report modal = %+v", v)
	}

	// An empty report is refused under its input, and nothing is saved.
	resp := submitReport(h, "U0REP1", v, "   ")
	if !strings.Contains(string(resp), `"report"`) || !strings.Contains(string(resp), "errors") {
		t.Errorf("an empty report was answered %s, want an error under report", resp)
	}
	if n := storedNudge(h, tr.ID, "U0REP1", 7); n.Response != pulse.NudgePending {
		t.Errorf("an empty report was saved: %+v", n)
	}

	if resp := submitReport(h, "U0REP1", v, "Used feel-felt-found with Acme; they signed."); resp != nil && string(resp) != "null" {
		t.Errorf("a good report was answered %s, want the modal closed", resp)
	}
	n := storedNudge(h, tr.ID, "U0REP1", 7)
	if n.Response != pulse.NudgeApplied || n.Report != "Used feel-felt-found with Acme; they signed." || !n.AnsweredAt.Equal(h.Clock.Now()) || n.SentAt.IsZero() {
		t.Errorf("stored nudge = %+v", n)
	}
	reported := noticeText(h, "notices.nudge_reported", nil)
	h.waitFor("the nudge to say it was reported", func() bool { return updatedSaying(h, m.Channel, m.TS, reported) })
	for _, u := range h.Slack.Messages(m.Channel) {
		if u.Updated && u.TS == m.TS && (strings.Contains(string(u.Blocks), bot.ActionNudgeApplied) || jobOf(u) != jobOf(m)) {
			t.Errorf("the answered nudge still has its buttons or lost its job: %s", u.Blocks)
		}
	}
}

func TestNoticesNotYetIsStoredAtOnce(t *testing.T) {
	h := start(t)
	tr, m := nudged(h, "U0REP1")
	id := pressNotice(h, "U0REP1", m, buttonsOf(t, m)[bot.ActionNudgeNotYet])
	h.ack(id, 1)
	n := storedNudge(h, tr.ID, "U0REP1", 7)
	if n.Response != pulse.NudgeNotYet || n.AnsweredAt.IsZero() {
		t.Errorf("stored nudge = %+v, want not yet", n)
	}
	said := noticeText(h, "notices.nudge_not_yet_done", nil)
	h.waitFor("the nudge to say not yet", func() bool { return updatedSaying(h, m.Channel, m.TS, said) })
}

func TestNoticesOnlyTheNudgedRepMayAnswer(t *testing.T) {
	tests := []struct {
		name, presser, action string
	}{
		{"Another attendee pressing Applied it is refused", "U0REP2", bot.ActionNudgeApplied},
		{"The manager pressing Not yet is refused", "U0MGR", bot.ActionNudgeNotYet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t)
			tr, m := nudged(h, "U0REP1")
			pressNotice(h, tt.presser, m, buttonsOf(t, m)[tt.action])
			deny := noticeText(h, "notices.deny_nudge", nil)
			h.waitFor("the refusal", func() bool {
				for _, r := range h.Slack.Messages("") {
					if r.ViaResponseURL && strings.Contains(r.Text, deny) {
						return true
					}
				}
				return false
			})
			if n := storedNudge(h, tr.ID, "U0REP1", 7); n.Response != pulse.NudgePending {
				t.Errorf("someone else answered the nudge: %+v", n)
			}
			if len(h.Slack.CallsTo("views.open")) != 0 {
				t.Error("a modal opened for someone else's nudge")
			}
		})
	}
}

// A nudge button's value names its training, day and rep; a day that is
// not on the training's schedule names no nudge, whatever the button says.
func TestNoticesADayOffTheTrainingsScheduleIsRefused(t *testing.T) {
	tests := []struct{ name, action, day string }{
		{"Not yet for day 3 of a training nudged on day 7", bot.ActionNudgeNotYet, "3"},
		{"Applied it for day 400", bot.ActionNudgeApplied, "400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t)
			tr, m := nudged(h, "U0REP1")
			bt := *buttonsOf(t, m)[tt.action]
			bt.Value = strings.Join([]string{tr.ID, tt.day, "U0REP1"}, "|")
			h.ack(pressNotice(h, "U0REP1", m, &bt), 1)
			refusal := noticeText(h, "err.not_found", nil)
			h.waitFor("the refusal", func() bool {
				for _, r := range h.Slack.Messages("") {
					if r.ViaResponseURL && strings.Contains(r.Text, refusal) {
						return true
					}
				}
				return false
			})
			day, _ := strconv.Atoi(tt.day)
			if n, err := h.DB.Nudge(t.Context(), tr.ID, "U0REP1", day); !pulse.IsNotFound(err) {
				t.Errorf("a nudge for day %s was stored: %+v (%v)", tt.day, n, err)
			}
			if n := storedNudge(h, tr.ID, "U0REP1", 7); n.Response != pulse.NudgePending {
				t.Errorf("the day-7 nudge changed: %+v", n)
			}
			if len(h.Slack.CallsTo("views.open")) != 0 {
				t.Error("a report modal opened for a day off the schedule")
			}
			if u := h.updates(m.Channel); len(u) != 0 {
				t.Errorf("the nudge was rewritten to %q", u[0].Text)
			}
		})
	}
}

func TestNoticesEngineSendsTheCheckInDMAtNineOnMonday(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	for _, u := range append([]string{"U0MGR"}, team.Reps...) {
		h.Slack.AddUser(slackUser(u, "Person "+u, "UTC", false))
	}
	e, err := cadence.New(cadence.Config{Clock: h.Clock, Store: h.DB, Notifier: h.Bot, Directory: h.Bot, Options: cadence.Options{Workers: 2}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Tick(ctx); err != nil {
		t.Fatalf("Tick: %v", err)
	}
	if err := e.Drain(ctx); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	for _, rep := range team.Reps {
		key := pulse.CheckInKey(team.ID, rep, noticeDay)
		var dm slacktest.Message
		for _, m := range h.Slack.Messages(rep) {
			if jobOf(m) == key.String() {
				dm = m
			}
		}
		if dm.TS == "" {
			t.Fatalf("no check-in DM to %s in %+v\n%s", rep, h.Slack.Messages(rep), h.Logs)
		}
		if b := buttonsOf(t, dm); b[bot.ActionCheckIn] == nil || b[bot.ActionAwayToday] == nil {
			t.Errorf("the check-in DM to %s lacks its buttons: %s", rep, dm.Blocks)
		}
		if !strings.Contains(string(dm.Blocks), "Good morning, Person "+rep) {
			t.Errorf("the check-in DM to %s does not greet them by name: %s", rep, dm.Blocks)
		}
		j, err := h.DB.Job(ctx, key)
		if err != nil || j.State != pulse.JobSent || j.TS != dm.TS {
			t.Errorf("ledger entry for %s = %+v, %v; want sent at %s", rep, j, err, dm.TS)
		}
	}
}

func TestNoticesEverySentenceUsedIsInTheCatalogue(t *testing.T) {
	h := start(t, withoutRun())
	key := regexp.MustCompile(`"(notices\.[a-z_.]+)"`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, f := range files {
		if !strings.HasPrefix(f, "render") && !strings.HasPrefix(f, "notify") && !strings.HasPrefix(f, "nudge") && !strings.HasPrefix(f, "directory") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			k := strings.TrimSuffix(m[1], ".")
			if strings.HasSuffix(m[1], ".") {
				continue // a prefix completed at run time
			}
			found++
			if !h.Bot.Catalog().Has(pulse.English, k) {
				t.Errorf("%s uses %s, which has no English sentence", f, k)
			}
		}
	}
	for _, d := range []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"} {
		if !h.Bot.Catalog().Has(pulse.English, "format.weekday_"+d) {
			t.Errorf("no English name for %s", d)
		}
	}
	if found < 50 {
		t.Errorf("found only %d keys; is the pattern right?", found)
	}
}

func TestNoticesButtonsReachTheirHandlers(t *testing.T) {
	h := start(t)
	team := noticeTeam(h)
	ctx := context.Background()
	c := &pulse.Commitment{TeamID: team.ID, UserID: "U0REP1", Week: noticeDay.AddDays(-7), Text: "Send 3 proposals", Status: pulse.CommitmentOpen, CreatedAt: h.Clock.Now()}
	if err := h.DB.SaveCommitment(ctx, c); err != nil {
		t.Fatal(err)
	}
	bl := &pulse.Blocker{TeamID: team.ID, UserID: "U0REP1", Date: noticeDay.AddDays(-3), Text: "CRM is down", Status: pulse.BlockerOpen, RaisedAt: h.Clock.Now()}
	if err := h.DB.SaveBlocker(ctx, bl); err != nil {
		t.Fatal(err)
	}

	_, dm := deliver(h, pulse.Notice{Key: pulse.CheckInKey(team.ID, "U0REP1", noticeDay), Team: team, To: "U0REP1", Lang: pulse.English,
		Payload: pulse.CheckInNotice{Rep: "U0REP1", Date: noticeDay}})
	pressNotice(h, "U0REP1", dm, buttonsOf(t, dm)[bot.ActionCheckIn])
	waitModal(h, bot.ViewCheckIn)

	_, meeting := deliver(h, pulse.Notice{Key: pulse.MeetingKey(team.ID, noticeDay), Team: team, To: "C0SALES", Lang: pulse.English,
		Payload: pulse.MeetingNotice{Week: noticeDay, MeetingAt: time.Date(2026, 3, 2, 10, 0, 0, 0, team.Location()), LastWeek: noticeDay.AddDays(-7),
			Reps: []pulse.RepCommitments{{Rep: "U0REP1", Commitments: []pulse.Commitment{*c}}, {Rep: "U0REP2"}}}})
	pressNotice(h, "U0REP2", meeting, buttonsOf(t, meeting)[bot.ActionAddCommitment])
	waitModal(h, bot.ViewCommitment)
	pressNotice(h, "U0MGR", meeting, buttonsOf(t, meeting)[bot.ActionReviewKept])
	h.waitFor("the commitment marked kept", func() bool {
		got, err := h.DB.Commitment(ctx, c.ID)
		return err == nil && got.Status == pulse.CommitmentKept
	})

	_, alert := deliver(h, pulse.Notice{Key: pulse.BlockerKey(team.ID, "U0MGR", bl.ID, 3), Team: team, To: "U0MGR", Lang: pulse.English,
		Payload: pulse.BlockerNotice{Blocker: *bl, WorkdaysOpen: 3, ToManager: true}})
	pressNotice(h, "U0MGR", alert, buttonsOf(t, alert)[bot.ActionBlockerOnIt])
	h.waitFor("the blocker taken", func() bool {
		got, err := h.DB.Blocker(ctx, bl.ID)
		return err == nil && got.Status == pulse.BlockerOnIt && got.TakenBy == "U0MGR"
	})
}

func TestNoticesAReportBeforeTheEngineRecordedTheNudgeStillCounts(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	team := noticeTeam(h)
	tr := &pulse.Training{TeamID: team.ID, Skill: "Discovery", Date: noticeDay.AddDays(-2), Attendees: []string{"U0REP1"}, Schedule: []int{2}, CreatedBy: "U0MGR"}
	if err := h.DB.SaveTraining(ctx, tr); err != nil {
		t.Fatal(err)
	}
	_, m := deliver(h, pulse.Notice{Key: pulse.NudgeKey(team.ID, "U0REP1", tr.ID, 2), Team: team, To: "U0REP1", Lang: pulse.English,
		Payload: pulse.NudgeNotice{Rep: "U0REP1", TrainingID: tr.ID, Skill: tr.Skill, TrainingDate: tr.Date, Day: 2, Date: noticeDay}})
	pressNotice(h, "U0REP1", m, buttonsOf(t, m)[bot.ActionNudgeApplied])
	submitReport(h, "U0REP1", openedModal(h, 1), "Asked three open questions first.")
	n := storedNudge(h, tr.ID, "U0REP1", 2)
	if n.Response != pulse.NudgeApplied || n.SentAt.IsZero() || n.TeamID != team.ID {
		t.Errorf("stored nudge = %+v, want applied and counted as sent", n)
	}
}
