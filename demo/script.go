package demo

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

// step is one thing a person does at a minute of the week.
type step struct {
	at   time.Time
	name string
	do   func(ctx context.Context) error
}

// dm is the direct-message conversation of the bot with user, as the
// stand-in names it.
func dm(user string) string { return "D" + user[1:] }

// mention is how Slack writes a mention in an escaped slash command.
func (w *world) mention(user string) string {
	return "<@" + user + "|" + strings.ToLower(strings.Fields(w.tr.nameOr(user))[0]) + ">"
}

// day returns the instant of hh:mm on the week's day n (0 = Monday) in zone.
func day(n, hh, mm int, zone *time.Location) time.Time {
	return monday.AddDays(n).At(pulse.TimeOfDay(hh*60+mm), zone)
}

// step names a step of the week about a person, in the team's language.
func (w *world) step(key, person string) string {
	return w.tr.say(key, map[string]any{"Name": w.tr.nameOr(person)})
}

// dayAnswer is what a rep writes in one day's check-in.
type dayAnswer struct {
	calls, meetings, energy int
	results, plan, blocker  string
	skill                   string
	deal                    string // the answer to the team's own question
}

func (a dayAnswer) fields() map[string]string {
	return map[string]string{
		"results":         a.results,
		"plan":            a.plan,
		"blocker":         a.blocker,
		"energy":          strconv.Itoa(a.energy),
		"metric_calls":    strconv.Itoa(a.calls),
		"metric_meetings": strconv.Itoa(a.meetings),
		"skill":           a.skill,
		"answer_q1":       a.deal,
	}
}

// viewsGrew expects the bot to open (or update) a view.
func (w *world) viewsGrew() func() bool {
	n := len(w.srv.Views())
	return func() bool { return len(w.srv.Views()) > n }
}

// messagesGrew expects the bot to post or change n messages.
func (w *world) messagesGrew(n int) func() bool {
	before := len(w.srv.Messages(""))
	return func() bool { return len(w.srv.Messages("")) >= before+n }
}

// checkIn is a rep pressing Check in on the newest DM that shows it and
// submitting the modal.
func (w *world) checkIn(ctx context.Context, rep string, a dayAnswer) error {
	if err := w.people.press(ctx, rep, dm(rep), bot.ActionCheckIn, nil, w.viewsGrew()); err != nil {
		return fmt.Errorf("press Check in: %w", err)
	}
	// The check-in DM changes to say it is done, and a blocker alerts
	// the manager at once.
	answers := 1
	if a.blocker != "" {
		answers = 2
	}
	if err := w.people.submit(ctx, rep, bot.ViewCheckIn, a.fields(), w.messagesGrew(answers)); err != nil {
		return fmt.Errorf("submit the check-in: %w", err)
	}
	return nil
}

// stepList collects a script's steps.
type stepList []step

func (s *stepList) add(at time.Time, name string, do func(ctx context.Context) error) {
	*s = append(*s, step{at: at, name: name, do: do})
}

// script is the week as the people live it. Times are Oslo's, but Anna's,
// which are New York's.
func (w *world) script() []step {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		oslo = w.zone
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		ny = w.zone
	}
	var s stepList
	w.checkInScript(&s, oslo, ny)
	w.meetingScript(&s, oslo, ny)
	w.coachingScript(&s, oslo)
	w.planScript(&s, oslo)
	// Friday: the manager's look before the summary.
	s.add(day(4, 12, 0, oslo), w.say("step_types_friday"), func(ctx context.Context) error {
		return w.people.command(ctx, ingrid, dm(ingrid), "", w.messagesGrew(1))
	})
	w.leaderScript(&s, oslo)
	return s
}

// checkInScript is the reps' check-ins of the week, in Oslo and New York.
func (w *world) checkInScript(s *stepList, oslo, ny *time.Location) {
	checkIn := func(d, hh, mm int, zone *time.Location, rep string, a dayAnswer) {
		s.add(day(d, hh, mm, zone), w.step("step_checks_in", rep), func(ctx context.Context) error { return w.checkIn(ctx, rep, a) })
	}
	var plans, results []string
	for i := range 5 {
		plans = append(plans, w.say("plan_"+strconv.Itoa(i+1)))
		results = append(results, w.say("result_"+strconv.Itoa(i+1)))
	}

	// The Nordic team checks in in the morning, Oslo's; Anna too, from New York.
	for d := range 5 {
		if d != 1 { // Ola's Tuesday check-in raises a blocker, below
			checkIn(d, 9, 5, oslo, ola, dayAnswer{calls: 22 + d, meetings: 1, energy: 4, results: results[d], plan: plans[d], deal: w.say("deal_ola")})
		}
		pa := dayAnswer{calls: 18 + 2*d, meetings: 1 + d%2, energy: 4, results: results[(d+1)%5], plan: plans[(d+2)%5]}
		if d == 2 {
			pa.skill = w.say("skill_piotr")
		}
		checkIn(d, 9, 12, oslo, piotr, pa)
		if d != 2 { // Kari is away on Wednesday
			checkIn(d, 11, 20, oslo, kari, dayAnswer{calls: 15 + d, meetings: d % 2, energy: 3, results: results[(d+2)%5], plan: plans[(d+3)%5]})
		}
		if d != 3 { // Anna never answers on Thursday
			checkIn(d, 9, 7, ny, anna, dayAnswer{calls: 20, meetings: 1, energy: 5, results: results[(d+3)%5], plan: w.tr.say("plan_anna", map[string]any{"Plan": plans[(d+4)%5]})})
		}
	}
	// Anna's US team checks in at the end of the day: the prompt comes at
	// 17:00 in New York, and the day's numbers count for that day. Anna
	// skips Thursday's too.
	for d := range 5 {
		checkIn(d, 17, 6, ny, jake, dayAnswer{calls: 25 - d, meetings: 2, energy: 4, results: results[(d+4)%5], plan: plans[(d+1)%5]})
		if d != 3 {
			checkIn(d, 17, 12, ny, anna, dayAnswer{calls: eveningCalls(d), meetings: 1, energy: 4, results: results[(d+3)%5], plan: w.tr.say("plan_anna", map[string]any{"Plan": plans[(d+1)%5]})})
		}
	}
	checkIn(1, 9, 4, oslo, ola, dayAnswer{calls: 9, meetings: 0, energy: 2, results: w.say("ola_results"),
		plan: w.say("ola_plan"), blocker: w.say("ola_blocker")})
}

// meetingScript is Monday's meeting: last week's commitments reviewed and
// this week's made.
func (w *world) meetingScript(s *stepList, oslo, ny *time.Location) {
	review := func(at time.Time, rep, action, what string) {
		id := w.lastWeek[rep]
		s.add(at, w.step("step_review_"+what, rep), func(ctx context.Context) error {
			return w.people.press(ctx, ingrid, channelID, action, func(v string) bool { return v == id }, w.messagesGrew(1))
		})
	}
	review(day(0, 10, 5, oslo), ola, bot.ActionReviewKept, "kept")
	review(day(0, 10, 6, oslo), kari, bot.ActionReviewMissed, "missed")
	review(day(0, 10, 7, oslo), piotr, bot.ActionReviewKept, "kept")

	addCommitment := func(at time.Time, rep, text string) {
		s.add(at, w.step("step_add_commitment", rep), func(ctx context.Context) error {
			if err := w.people.press(ctx, rep, channelID, bot.ActionAddCommitment, nil, w.viewsGrew()); err != nil {
				return err
			}
			return w.people.submit(ctx, rep, bot.ViewCommitment, map[string]string{"text": text}, w.messagesGrew(1))
		})
	}
	addCommitment(day(0, 10, 20, oslo), ola, w.say("commit_ola"))
	addCommitment(day(0, 10, 25, oslo), piotr, w.say("commit_piotr"))
	s.add(day(0, 11, 30, oslo), w.step("step_commits", kari), func(ctx context.Context) error {
		return w.people.command(ctx, kari, dm(kari), "commit "+w.say("commit_kari"), w.messagesGrew(1))
	})
	s.add(day(0, 9, 30, ny), w.step("step_commits", anna), func(ctx context.Context) error {
		return w.people.command(ctx, anna, dm(anna), "commit "+w.say("commit_anna"), w.messagesGrew(1))
	})
}

// coachingScript is the manager's coaching through the week: the training,
// Ola's blocker, a 1:1, Kari's day away, the nudges and kudos.
func (w *world) coachingScript(s *stepList, oslo *time.Location) {
	// Monday afternoon: the training the week's nudges reinforce.
	s.add(day(0, 14, 0, oslo), w.say("step_training"), func(ctx context.Context) error {
		return w.people.command(ctx, ingrid, channelID, "training "+w.say("training_skill")+" "+w.mention(ola)+" "+w.mention(piotr), w.messagesGrew(1))
	})

	// Tuesday: Ola's blocker; Ingrid takes it, then resolves it. The 1:1
	// she was reminded of on Monday.
	s.add(day(1, 9, 20, oslo), w.say("step_blocker_on_it"), func(ctx context.Context) error {
		return w.people.press(ctx, ingrid, dm(ingrid), bot.ActionBlockerOnIt, nil, w.messagesGrew(2))
	})
	s.add(day(1, 13, 10, oslo), w.say("step_blocker_resolved"), func(ctx context.Context) error {
		return w.people.press(ctx, ingrid, dm(ingrid), bot.ActionBlockerResolved, nil, w.messagesGrew(2))
	})
	s.add(day(1, 15, 0, oslo), w.say("step_oneonone"), func(ctx context.Context) error {
		return w.people.command(ctx, ingrid, dm(ingrid), "1on1 "+w.mention(ola)+" "+w.say("oneonone_notes"), w.messagesGrew(1))
	})

	// Wednesday: Kari is away; the day-2 nudges; kudos for the applied skill.
	s.add(day(2, 9, 2, oslo), w.say("step_away"), func(ctx context.Context) error {
		return w.people.press(ctx, kari, dm(kari), bot.ActionAwayToday, nil, w.messagesGrew(1))
	})
	s.add(day(2, 9, 8, oslo), w.say("step_not_yet"), func(ctx context.Context) error {
		return w.people.press(ctx, ola, dm(ola), bot.ActionNudgeNotYet, nil, w.messagesGrew(1))
	})
	s.add(day(2, 9, 16, oslo), w.say("step_applied"), func(ctx context.Context) error {
		if err := w.people.press(ctx, piotr, dm(piotr), bot.ActionNudgeApplied, nil, w.viewsGrew()); err != nil {
			return err
		}
		return w.people.submit(ctx, piotr, bot.ViewTrainingReport, map[string]string{
			"report": w.say("training_report"),
		}, w.messagesGrew(1))
	})
	s.add(day(2, 12, 0, oslo), w.say("step_types_wednesday"), func(ctx context.Context) error {
		return w.people.command(ctx, ingrid, dm(ingrid), "", w.messagesGrew(1))
	})
	s.add(day(2, 14, 30, oslo), w.say("step_kudos"), func(ctx context.Context) error {
		return w.people.command(ctx, ingrid, channelID, "kudos "+w.mention(piotr)+" "+w.say("kudos"), w.messagesGrew(2))
	})
}

// planScript is Ingrid setting this month's plans and starting the week's
// contest on Monday morning, and Kari looking at its standings on Wednesday.
func (w *world) planScript(s *stepList, oslo *time.Location) {
	s.add(day(0, 8, 30, oslo), w.say("step_sets_plan"), func(ctx context.Context) error {
		return w.people.command(ctx, ingrid, dm(ingrid), "plan "+w.mention(anna)+" calls 300 month", w.messagesGrew(1))
	})
	s.add(day(0, 8, 35, oslo), w.say("step_plan_form"), func(ctx context.Context) error {
		if err := w.people.command(ctx, ingrid, dm(ingrid), "plan "+w.mention(ola), w.viewsGrew()); err != nil {
			return err
		}
		return w.people.submit(ctx, ingrid, bot.ViewPlan, map[string]string{"metric_calls": "200"}, w.messagesGrew(1))
	})
	s.add(day(0, 8, 45, oslo), w.say("step_contest_new"), func(ctx context.Context) error {
		if err := w.people.command(ctx, ingrid, channelID, "contest new", w.viewsGrew()); err != nil {
			return err
		}
		return w.people.submit(ctx, ingrid, bot.ViewContest, map[string]string{
			"name": w.say("contest_name"), "metric": "meetings", "prize": w.say("contest_prize"), "end": monday.AddDays(4).String(),
		}, w.messagesGrew(2))
	})
	s.add(day(2, 16, 30, oslo), w.say("step_contest_standings"), func(ctx context.Context) error {
		return w.people.command(ctx, kari, dm(kari), "contest", w.messagesGrew(1))
	})
}

// leaderScript is the leader's own week: Ingrid answers check-ins from
// her digest, Ola replies, Kari's agenda holds her missed commitment, and
// Dag, who directs the team, looks at its managers' pulse.
func (w *world) leaderScript(s *stepList, oslo *time.Location) {
	feedback := func(d, hh, mm int, rep, kind, textKey string) {
		entry := rep + "|" + monday.AddDays(d).String()
		s.add(day(d, hh, mm, oslo), w.step("step_feedback_"+kind, rep), func(ctx context.Context) error {
			if err := w.people.press(ctx, ingrid, dm(ingrid), bot.ActionGiveFeedback, func(v string) bool { return strings.HasSuffix(v, entry) }, w.viewsGrew()); err != nil {
				return err
			}
			// The rep's thread gets it, and the digest says it was sent.
			return w.people.submit(ctx, ingrid, bot.ViewFeedback, map[string]string{"kind": kind, "feedback": w.say(textKey)}, w.messagesGrew(2))
		})
	}
	feedback(1, 11, 10, ola, "coaching", "feedback_ola")
	s.add(day(1, 11, 40, oslo), w.step("step_feedback_reply", ola), func(ctx context.Context) error {
		if err := w.people.press(ctx, ola, dm(ola), bot.ActionFeedbackReply, nil, w.viewsGrew()); err != nil {
			return err
		}
		return w.people.submit(ctx, ola, bot.ViewFeedbackReply, map[string]string{"reply": w.say("reply_ola")}, w.messagesGrew(1))
	})
	feedback(2, 11, 10, piotr, "praise", "feedback_piotr")
	s.add(day(4, 12, 10, oslo), w.step("step_agenda", kari), func(ctx context.Context) error {
		return w.people.command(ctx, ingrid, dm(ingrid), "1on1 "+w.mention(kari), w.viewsGrew())
	})
	s.add(day(4, 15, 30, oslo), w.step("step_director", dag), func(ctx context.Context) error {
		return w.people.command(ctx, dag, dm(dag), "", w.messagesGrew(1))
	})
}

// eveningCalls is how many calls Anna gives in her evening check-in of the
// week's day d, for the end-of-week check to find on that day.
func eveningCalls(d int) int { return 24 + d }

// checkEvening looks for the US team's evening check-ins: Anna was asked
// at 17:00 in New York each day, and each answer she gave at the end of
// her day counts for that day; Thursday's, which she skipped, is missed.
func (w *world) checkEvening(ctx context.Context, failf func(string, ...any)) {
	ny, err := pulse.LoadLocation("America/New_York")
	if err != nil {
		failf("New York's zone: %v", err)
		return
	}
	for d := range 5 {
		date := monday.AddDays(d)
		asked := slices.ContainsFunc(w.tr.Entries, func(e Entry) bool {
			at := e.At.In(ny)
			return e.Job == pulse.JobCheckIn && e.Kind == KindDM && e.To == anna && pulse.DateOf(at) == date && at.Hour() == 17 && at.Minute() == 0
		})
		if !asked {
			failf("Anna was not asked for her evening check-in at 17:00 in New York on %s", date)
		}
		c, err := w.db.CheckIn(ctx, w.usTeam.ID, anna, date)
		switch {
		case err != nil:
			failf("Anna's evening check-in of %s: %v", date, err)
		case d == 3:
			if c.Status != pulse.CheckInMissed {
				failf("Anna's Thursday evening is %s, not missed", c.Status)
			}
		case c.Status != pulse.CheckInOnTime || pulse.DateOf(c.SubmittedAt.In(ny)) != date || c.SubmittedAt.In(ny).Hour() != 17:
			failf("Anna's evening check-in of %s is %s, submitted %s: want on time, that evening in New York", date, c.Status, c.SubmittedAt.In(ny).Format(time.DateTime))
		case c.Metrics["calls"] != float64(eveningCalls(d)):
			failf("Anna's evening check-in of %s counts %v calls, want the %d she gave that evening", date, c.Metrics["calls"], eveningCalls(d))
		}
	}
}

// checkLeader looks for the leader's week: the digests and the weekly
// DMs sent, Anna flagged for want of feedback, the feedback and Ola's
// reply stored, and Kari's missed commitment on her 1:1 agenda.
func (w *world) checkLeader(ctx context.Context, failf func(string, ...any)) {
	sent := w.notifier.counts()
	for _, k := range []pulse.JobKind{pulse.JobDigest, pulse.JobLeaderWeek} {
		if sent[k] == 0 {
			failf("the engine never sent a %s message", k)
		}
	}
	flagged := false
	unescape := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">")
	for _, m := range w.srv.Messages(dm(ingrid)) {
		flagged = flagged || strings.Contains(unescape.Replace(string(m.Blocks)), "⚠️ <@"+anna+">")
	}
	if !flagged {
		failf("Anna was never flagged in Ingrid's digest as having had no feedback")
	}
	fbs, err := w.db.TeamFeedback(ctx, w.team.ID, monday.In(w.zone), monday.AddDays(7).In(w.zone))
	replied, praised := false, false
	for _, f := range fbs {
		replied = replied || (f.RepID == ola && f.Kind == pulse.FeedbackCoaching && len(f.Replies) > 0)
		praised = praised || (f.RepID == piotr && f.Kind == pulse.FeedbackPraise)
	}
	if err != nil || !replied || !praised {
		failf("the week's feedback is %d pieces, want coaching to Ola with his reply and praise to Piotr (%v)", len(fbs), err)
	}
	items, err := w.db.RepAgenda(ctx, w.team.ID, kari)
	onAgenda := false
	for _, a := range items {
		onAgenda = onAgenda || a.Source == pulse.AgendaCommitment
	}
	if err != nil || !onAgenda {
		failf("Kari's missed commitment is not on her 1:1 agenda (%v)", err)
	}
}

// check looks, once the week is over, for what should have happened and
// for anything that went wrong on the way.
func (w *world) check(ctx context.Context) {
	end := w.clock.Now()
	failf := func(format string, a ...any) { w.fail(end, "week", fmt.Errorf(format, a...)) }
	for _, v := range w.srv.Violations() {
		failf("Slack would refuse %s: %s (%s)", v.Method, v.Error, v.Pointer)
	}
	for _, p := range w.logs.problems() {
		failf("the bot logged: %s", p)
	}
	for _, id := range w.people.unacked() {
		failf("envelope %s was never acknowledged", id)
	}
	w.checkCRM(ctx, failf)
	sent := w.notifier.counts()
	for _, k := range []pulse.JobKind{pulse.JobCheckIn, pulse.JobReminder, pulse.JobMeetingPrompt, pulse.JobNudge, pulse.JobCoachingDue, pulse.JobSummary} {
		if sent[k] == 0 {
			failf("the engine never sent a %s message", k)
		}
	}
	if c, err := w.db.CheckIn(ctx, w.team.ID, anna, monday.AddDays(3)); err != nil || c.Status != pulse.CheckInMissed {
		failf("Anna's Thursday is not recorded as missed (%v)", err)
	}
	w.checkEvening(ctx, failf)
	if all, err := w.db.TeamCheckIns(ctx, w.team.ID, monday, monday.AddDays(6)); err == nil {
		for _, c := range all {
			if c.Status == pulse.CheckInMissed {
				w.missed++
			}
		}
	}
	if c, err := w.db.CheckIn(ctx, w.team.ID, kari, monday); err != nil || c.Status != pulse.CheckInLate {
		failf("Kari's Monday check-in is not recorded as late (%v)", err)
	}
	blockers, err := w.db.TeamBlockers(ctx, w.team.ID, monday, monday.AddDays(6))
	switch {
	case err != nil:
		failf("read blockers: %v", err)
	case len(blockers) == 0:
		failf("Ola's blocker was never raised")
	case blockers[0].Status != pulse.BlockerResolved:
		failf("Ola's blocker is %s, not resolved", blockers[0].Status)
	}
	for rep, want := range map[string]pulse.CommitmentStatus{ola: pulse.CommitmentKept, kari: pulse.CommitmentMissed, piotr: pulse.CommitmentKept} {
		c, err := w.db.Commitment(ctx, w.lastWeek[rep])
		if err != nil || c.Status != want {
			failf("%s's commitment of last week is not %s (%v)", w.tr.nameOr(rep), want, err)
		}
	}
	if cs, err := w.db.TeamCommitments(ctx, w.team.ID, monday, monday); err != nil || len(cs) < 4 {
		failf("this week holds %d commitments, want 4 (%v)", len(cs), err)
	}
	nudges, err := w.db.RepNudges(ctx, piotr)
	applied := false
	for _, n := range nudges {
		applied = applied || n.Response == pulse.NudgeApplied
	}
	if err != nil || !applied {
		failf("Piotr's report on the training is not stored (%v)", err)
	}
	if ks, err := w.db.TeamKudos(ctx, w.team.ID, monday.In(w.zone), monday.AddDays(7).In(w.zone)); err != nil || len(ks) == 0 {
		failf("no kudos stored (%v)", err)
	}
	w.checkPlansAndContest(ctx, failf)
	charts := 0
	for _, f := range w.srv.Files() {
		if f.Channel == channelID && strings.HasSuffix(strings.ToLower(f.Name), ".png") && len(f.Bytes) > 0 {
			charts++
		}
	}
	if charts == 0 {
		failf("the weekly summary's chart was never uploaded to #%s", channelName)
	}
	w.checkLeader(ctx, failf)
}
