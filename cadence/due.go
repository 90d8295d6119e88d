package cadence

import (
	"cmp"
	"slices"
	"time"

	"github.com/salespulse/pulse"
)

// Facts is what Due needs to know of a team besides its settings. The
// engine gathers it from the store and the directory at every tick; tests
// build it by hand.
type Facts struct {
	// People holds the team's reps and managers by user ID. Someone
	// missing lives in the team's zone and speaks the team's language.
	People map[string]*pulse.Person
	// Away holds each person's away periods.
	Away map[string][]pulse.AwayPeriod
	// Trainings holds the team's trainings whose nudges may still be due.
	Trainings []pulse.Training
	// LastOneOnOne holds each rep's latest 1:1 day; a rep who never had
	// one is missing and counts from the day the team was created.
	LastOneOnOne map[string]pulse.Date
	// OpenBlockers holds the team's blockers that are not resolved.
	OpenBlockers []pulse.Blocker
	// Contests holds the team's contests that end today or later, or
	// ended within the days their end may still be announced.
	Contests []pulse.Contest
}

// Occurrence is one job that is due: what it is, for whom, and the span of
// time in which sending it still makes sense.
type Occurrence struct {
	Key pulse.JobKey
	// To is the recipient: a user ID for a DM, a channel ID for a post;
	// empty for a missed check-in, which is recorded, not sent.
	To   string
	Lang pulse.Lang // the recipient's language
	// Rep is the rep the job is about: the one asked, reminded, nudged,
	// due a 1:1, or whose blocker it is.
	Rep string
	// Day is the local day the job belongs to: the rep's for a check-in,
	// reminder or missed day, the recipient's for a nudge, 1:1 reminder or
	// follow-up, the team's for a meeting prompt or summary.
	Day pulse.Date
	// At is when the job fell due; from Until on it is no longer sent.
	At    time.Time
	Until time.Time

	Week         pulse.Date // meeting prompt, summary: Monday of the week it is posted in
	MeetingAt    time.Time  // meeting prompt: when the meeting starts
	TrainingID   string     // nudge
	NudgeDay     int        // nudge: the day of the schedule it stands for
	BlockerID    string     // blocker follow-up
	WorkdaysOpen int        // blocker follow-up
	LastOneOnOne pulse.Date // 1:1 reminder: the rep's last 1:1, zero when none
	Since        pulse.Date // 1:1 reminder: the day counted from (last 1:1 or team creation)
	Reps         []string   // daily thread: the reps due that day
	ContestID    string     // contest standings and end
}

// Due returns the team's occurrences that are due at now or still
// meaningful, earliest first. It reads nothing but its arguments: whether
// an occurrence was already sent is the ledger's business, and whether a
// reminder is still needed is checked when it is sent.
//
// The rules, all judged on the local day of the person concerned:
//   - check-in: a rep's workday (not pulse.DayOff: a team workday, not a
//     team day off, not a public holiday of the rep's place, not a day
//     away) at the team's check-in time in the rep's zone (the end-of-day
//     time for an evening team), until the day ends;
//   - evening prompt (a team checking in both morning and evening): the
//     end-of-day time on a rep's workday, until the day ends;
//   - reminder: ReminderDelay after the check-in time, the same day (none
//     when the delay is zero or runs past midnight);
//   - missed: from the end of a rep's workday, for up to a week;
//   - meeting prompt: MeetingLead before the meeting (team zone), until it
//     starts; none on a team holiday;
//   - summary: SummaryDay at SummaryTime (team zone), up to
//     SummaryTolerance late; none on a team holiday;
//   - nudge: on each schedule day after a training (the training's own, or
//     the team's ReinforcementDays), at the check-in time in the rep's
//     zone; on a day that is not the rep's workday, the next one is;
//   - 1:1 reminder: to each manager, on the day a rep's last 1:1 (or the
//     team's creation) is CoachingCadence days old and again every
//     cadence after, at the check-in time in the manager's zone, on the
//     first workday both are around, within a week;
//   - blocker follow-up: to the rep and each manager, once a blocker has
//     been open BlockerLimit+1 team workdays after the day it was raised,
//     and again every BlockerLimit+1 workdays while it stays open;
//   - daily thread (teams with DailyThread): when the first check-in of a
//     day is due, until the last rep's day ends;
//   - digest: to each manager on a team workday they are not away, at the
//     team's digest time in the team's zone, until the day ends;
//   - leader's week: to each manager and director on SummaryDay at
//     SummaryTime (team zone), up to SummaryTolerance late; none on a
//     team holiday.
//
// Daylight-saving changes move none of these: times are placed with
// pulse.WallClock, and each key names a local day, so a time that happens
// twice is claimed once.
func Due(now time.Time, team *pulse.Team, f Facts, opt Options) []Occurrence {
	opt = opt.withDefaults()
	c := newCalendar(team, f)
	var out []Occurrence
	for u := range c.units() {
		out = c.unit(u, now, opt, out)
	}
	slices.SortFunc(out, func(a, b Occurrence) int {
		return cmp.Or(a.At.Compare(b.At),
			cmp.Compare(a.Key.Kind, b.Key.Kind), cmp.Compare(a.Key.UserID, b.Key.UserID), cmp.Compare(a.Key.Occurrence, b.Key.Occurrence))
	})
	return out
}

// calendar answers the date questions Due asks about one team.
type calendar struct {
	team  *pulse.Team
	facts Facts
	loc   *time.Location
}

func newCalendar(team *pulse.Team, f Facts) calendar {
	return calendar{team: team, facts: f, loc: team.Location()}
}

// units is how many parts the team's occurrences come in, so that a
// fan-out can be walked a part at a time and stop anywhere: first the
// team's own (weekly posts, blocker follow-ups, the daily thread, contest
// standings, the leaders' digests and weekly DMs), then one
// part per rep (their daily jobs and the 1:1 reminders about them), then
// one per training (its nudges). Each part holds a few occurrences, a
// training's at most one per attendee.
func (c calendar) units() int { return 1 + len(c.team.Reps) + len(c.facts.Trainings) }

// unit appends the occurrences of part i, due at now or still meaningful,
// to out, unsorted. The same arguments give the same occurrences in the
// same order.
func (c calendar) unit(i int, now time.Time, opt Options, out []Occurrence) []Occurrence {
	reps := c.team.Reps
	switch {
	case i == 0:
		out = c.weekly(now, opt, out)
		out = c.blockers(now, out)
		out = c.thread(now, out)
		out = c.contests(now, out)
		return c.leaders(now, opt, out)
	case i <= len(reps):
		out = c.daily(now, reps[i-1], out)
		return c.coaching(now, reps[i-1], out)
	default:
		return c.nudges(now, c.facts.Trainings[i-1-len(reps)], out)
	}
}

// zone returns the user's time zone, as pulse.Person.Zone decides: their
// own choice, else Slack's, else the team's.
func (c calendar) zone(user string) *time.Location {
	if p := c.facts.People[user]; p != nil {
		return p.Zone(c.loc)
	}
	return c.loc
}

// lang returns the language the user reads; the empty user is the team's
// channel, which reads the team's.
func (c calendar) lang(user string) pulse.Lang {
	return c.facts.People[user].Language(c.team.Lang)
}

// today returns the user's local day at now.
func (c calendar) today(user string, now time.Time) pulse.Date {
	return pulse.DateOf(now.In(c.zone(user)))
}

// around reports whether every one of users is due to work on d: none of
// them has a day off (pulse.DayOff: the team's workdays and own days off,
// the public holidays of each one's place, their days away). With no users
// it asks of the team as a whole.
func (c calendar) around(d pulse.Date, users ...string) bool {
	if len(users) == 0 {
		return c.team.IsWorkday(d)
	}
	for _, u := range users {
		if pulse.DayOff(c.team, c.facts.People[u], c.facts.Away[u], d) {
			return false
		}
	}
	return true
}

// firstAround returns the first day from d on, within catchUpDays, that
// users are all around.
func (c calendar) firstAround(d pulse.Date, users ...string) (pulse.Date, bool) {
	for i := 0; i < catchUpDays; i++ {
		if day := d.AddDays(i); c.around(day, users...) {
			return day, true
		}
	}
	return pulse.Date{}, false
}

// holiday reports whether d is one of the team's own days off or a public
// holiday of its place: no meeting prompt and no summary then.
func (c calendar) holiday(d pulse.Date) bool { return c.team.IsHolidayIn("", d) }

func within(now, at, until time.Time) bool { return !now.Before(at) && now.Before(until) }

// daily adds the rep's check-in, evening prompt, reminder and missed days.
func (c calendar) daily(now time.Time, rep string, out []Occurrence) []Occurrence {
	loc := c.zone(rep)
	today := c.today(rep, now)
	if c.around(today, rep) {
		at, end := pulse.WallClock(today, c.team.DueTime(), loc), pulse.DayEnd(today, loc)
		base := Occurrence{To: rep, Lang: c.lang(rep), Rep: rep, Day: today, Until: end}
		if within(now, at, end) {
			o := base
			o.Key, o.At = pulse.CheckInKey(c.team.ID, rep, today), at
			out = append(out, o)
		}
		if evening := pulse.WallClock(today, c.team.EndOfDayTime, loc); c.team.AsksEvening() && within(now, evening, end) {
			o := base
			o.Key, o.At = pulse.EveningKey(c.team.ID, rep, today), evening
			out = append(out, o)
		}
		if delay := c.team.ReminderDelay; delay > 0 && within(now, at.Add(delay), end) {
			o := base
			o.Key, o.At = pulse.ReminderKey(c.team.ID, rep, today), at.Add(delay)
			out = append(out, o)
		}
	}
	for back := 1; back <= missedLookback; back++ {
		d := today.AddDays(-back)
		if !c.around(d, rep) {
			continue
		}
		out = append(out, Occurrence{
			Key: pulse.MissedKey(c.team.ID, rep, d), Rep: rep, Day: d,
			At: pulse.DayEnd(d, loc), Until: pulse.DayEnd(d.AddDays(missedLookback), loc),
		})
	}
	return out
}

// weekly adds the meeting prompt and the summary, both in the team's zone.
func (c calendar) weekly(now time.Time, opt Options, out []Occurrence) []Occurrence {
	t := c.team
	if t.Channel == "" {
		return out
	}
	today := pulse.DateOf(now.In(c.loc))
	base := Occurrence{To: t.Channel, Lang: c.lang("")}
	// The prompt may go out the day before a meeting held just after midnight.
	for _, d := range []pulse.Date{today, today.AddDays(1)} {
		if d.Weekday() != t.MeetingDay || c.holiday(d) {
			continue
		}
		meeting := pulse.WallClock(d, t.MeetingTime, c.loc)
		at, until := meeting.Add(-t.MeetingLead), meeting
		if t.MeetingLead == 0 {
			until = meeting.Add(meetingLeadless)
		}
		if within(now, at, until) {
			o := base
			o.Key, o.Day, o.Week, o.At, o.Until, o.MeetingAt = pulse.MeetingKey(t.ID, d.WeekStart()), d, d.WeekStart(), at, until, meeting
			out = append(out, o)
		}
	}
	// A summary may still be due on a day after its own, by the tolerance.
	for back := 0; back <= int(opt.SummaryTolerance/(24*time.Hour))+1; back++ {
		d := today.AddDays(-back)
		if d.Weekday() != t.SummaryDay || c.holiday(d) {
			continue
		}
		at := pulse.WallClock(d, t.SummaryTime, c.loc)
		if within(now, at, at.Add(opt.SummaryTolerance)) {
			o := base
			o.Key, o.Day, o.Week, o.At, o.Until = pulse.SummaryKey(t.ID, d.WeekStart()), d, d.WeekStart(), at, at.Add(opt.SummaryTolerance)
			out = append(out, o)
		}
	}
	return out
}

// personal adds a job for user that falls due on day anchor: sent on the
// first day from anchor on that user (and any of also) is around, at the
// team's check-in time in user's zone, if that day is user's today.
func (c calendar) personal(now time.Time, user string, anchor pulse.Date, also []string, o Occurrence, out []Occurrence) []Occurrence {
	today := c.today(user, now)
	if anchor.After(today) {
		return out
	}
	day, ok := c.firstAround(anchor, append([]string{user}, also...)...)
	if !ok || day != today {
		return out
	}
	loc := c.zone(user)
	at, end := pulse.WallClock(today, c.team.CheckInTime, loc), pulse.DayEnd(today, loc)
	if !within(now, at, end) {
		return out
	}
	o.To, o.Lang, o.Day, o.At, o.Until = user, c.lang(user), today, at, end
	return append(out, o)
}

// nudges adds the nudges of the training's attendees.
func (c calendar) nudges(now time.Time, tr pulse.Training, out []Occurrence) []Occurrence {
	schedule := tr.NudgeDays(c.team)
	for _, rep := range tr.Attendees {
		if !c.team.IsRep(rep) {
			continue
		}
		for _, day := range schedule {
			o := Occurrence{Key: pulse.NudgeKey(c.team.ID, rep, tr.ID, day), Rep: rep, TrainingID: tr.ID, NudgeDay: day}
			out = c.personal(now, rep, tr.Date.AddDays(day), nil, o, out)
		}
	}
	return out
}

// coaching adds the 1:1 reminders about the rep, once their last 1:1 is
// a cadence old.
func (c calendar) coaching(now time.Time, rep string, out []Occurrence) []Occurrence {
	t := c.team
	cadence := max(t.CoachingCadence, 1)
	last, had := c.facts.LastOneOnOne[rep]
	since := last
	if !had {
		if t.CreatedAt.IsZero() {
			return out
		}
		since = pulse.DateOf(t.CreatedAt.In(c.loc))
	}
	// Each manager is reminded in their own zone, so look at the
	// period that began by the latest of their todays.
	for _, m := range t.Managers {
		if m == rep {
			continue
		}
		days := since.DaysUntil(c.today(m, now))
		if days < cadence {
			continue
		}
		due := since.AddDays(days / cadence * cadence)
		o := Occurrence{Key: pulse.CoachingKey(t.ID, m, rep, due), Rep: rep, Since: since}
		if had {
			o.LastOneOnOne = last
		}
		out = c.personal(now, m, due, []string{rep}, o, out)
	}
	return out
}

// maxBlockerDays bounds how far back a blocker's workdays are counted.
const maxBlockerDays = 400

// blockers adds the follow-ups of blockers open too long.
func (c calendar) blockers(now time.Time, out []Occurrence) []Occurrence {
	t := c.team
	step := max(t.BlockerLimit, 1) + 1
	today := pulse.DateOf(now.In(c.loc))
	for _, b := range c.facts.OpenBlockers {
		if !b.Open() || b.ID == "" {
			continue
		}
		raised := b.Date
		if raised.IsZero() {
			raised = pulse.DateOf(b.RaisedAt.In(c.loc))
		}
		// The days on which the blocker reached a multiple of step workdays
		// open, up to a day past the team's today for recipients east of it.
		type mark struct {
			day  pulse.Date
			open int
		}
		var marks []mark
		open := 0
		for d := raised.AddDays(1); !d.After(today.AddDays(1)) && raised.DaysUntil(d) <= maxBlockerDays; d = d.AddDays(1) {
			if !t.IsWorkday(d) {
				continue
			}
			if open++; open%step == 0 {
				marks = append(marks, mark{d, open})
			}
		}
		recipients := slices.Clone(t.Managers)
		if t.IsRep(b.UserID) && !slices.Contains(recipients, b.UserID) {
			recipients = append([]string{b.UserID}, recipients...)
		}
		for _, u := range recipients {
			// The latest mark that has begun for u.
			i := len(marks) - 1
			for i >= 0 && marks[i].day.After(c.today(u, now)) {
				i--
			}
			if i < 0 {
				continue
			}
			m := marks[i]
			o := Occurrence{Key: pulse.BlockerKey(t.ID, u, b.ID, m.open), Rep: b.UserID, BlockerID: b.ID, WorkdaysOpen: m.open}
			out = c.personal(now, u, m.day, nil, o, out)
		}
	}
	return out
}

// thread adds the parent message of the day's check-in thread.
func (c calendar) thread(now time.Time, out []Occurrence) []Occurrence {
	t := c.team
	if !t.DailyThread || t.Channel == "" {
		return out
	}
	var days []pulse.Date
	for _, rep := range t.Reps {
		if d := c.today(rep, now); !slices.Contains(days, d) {
			days = append(days, d)
		}
	}
	for _, d := range days {
		var reps []string
		var at, until time.Time
		for _, rep := range t.Reps {
			if !c.around(d, rep) {
				continue
			}
			loc := c.zone(rep)
			start, end := pulse.WallClock(d, t.DueTime(), loc), pulse.DayEnd(d, loc)
			if len(reps) == 0 || start.Before(at) {
				at = start
			}
			if len(reps) == 0 || end.After(until) {
				until = end
			}
			reps = append(reps, rep)
		}
		if len(reps) > 0 && within(now, at, until) {
			out = append(out, Occurrence{Key: pulse.DailyThreadKey(t.ID, d), To: t.Channel, Lang: c.lang(""), Day: d, At: at, Until: until, Reps: reps})
		}
	}
	return out
}

// leaders adds each manager's daily digest and each leader's weekly DM,
// all in the team's zone: the digest reads the team's day, and a leader
// in another zone still gets it when the team's day is at that point.
func (c calendar) leaders(now time.Time, opt Options, out []Occurrence) []Occurrence {
	t := c.team
	today := pulse.DateOf(now.In(c.loc))
	if t.IsWorkday(today) {
		at, end := pulse.WallClock(today, t.Digest(), c.loc), pulse.DayEnd(today, c.loc)
		if within(now, at, end) {
			for _, m := range t.Managers {
				if pulse.IsAway(c.facts.Away[m], today) {
					continue
				}
				out = append(out, Occurrence{Key: pulse.DigestKey(t.ID, m, today), To: m, Lang: c.lang(m), Day: today, At: at, Until: end})
			}
		}
	}
	for back := 0; back <= int(opt.SummaryTolerance/(24*time.Hour))+1; back++ {
		d := today.AddDays(-back)
		if d.Weekday() != t.SummaryDay || c.holiday(d) {
			continue
		}
		at := pulse.WallClock(d, t.SummaryTime, c.loc)
		if !within(now, at, at.Add(opt.SummaryTolerance)) {
			continue
		}
		for _, u := range append(slices.Clone(t.Managers), t.Directors...) {
			out = append(out, Occurrence{Key: pulse.LeaderWeekKey(t.ID, u, d.WeekStart()), To: u, Lang: c.lang(u), Day: d, Week: d.WeekStart(),
				At: at, Until: at.Add(opt.SummaryTolerance)})
		}
	}
	return out
}
