package pulse

import (
	"cmp"
	"slices"
	"time"
)

// LeaderPlaces is how many places a leaderboard names, ties included.
const LeaderPlaces = 3

// MetricLeaders is one metric's leaderboard of a week: the front only, for
// the channel. Who is behind is the managers' to see, in /pulse.
type MetricLeaders struct {
	Key      string
	Top      []Standing // up to LeaderPlaces places, ties shared; only reps who scored
	Improved []Standing // the reps most improved on last week (Score is the gain); none when nobody improved
}

// Leaderboard ranks the team's reps on each metric by their week's total,
// from the Monday week through the day through, and finds who improved most
// on the whole week before. checkIns may hold any days and teams; those of
// reps no longer in the team are left out.
func Leaderboard(team *Team, checkIns []CheckIn, week, through Date) []MetricLeaders {
	prev := week.AddDays(-7)
	cur := map[string]map[string]float64{} // metric → rep → total
	last := map[string]map[string]float64{}
	for _, c := range checkIns {
		if c.TeamID != team.ID || !c.Answered() || !team.IsRep(c.UserID) {
			continue
		}
		var into map[string]map[string]float64
		switch {
		case !c.Date.Before(week) && !c.Date.After(through):
			into = cur
		case !c.Date.Before(prev) && c.Date.Before(week):
			into = last
		default:
			continue
		}
		for k, v := range c.Metrics {
			if into[k] == nil {
				into[k] = map[string]float64{}
			}
			into[k][c.UserID] += v
		}
	}
	out := make([]MetricLeaders, 0, len(team.Metrics))
	for _, m := range team.Metrics {
		l := MetricLeaders{Key: m.Key}
		var all []Standing
		for _, rep := range team.Reps {
			all = append(all, Standing{Rep: rep, Score: cur[m.Key][rep], Total: cur[m.Key][rep]})
		}
		l.Top = Front(ContestTotal, rankByScore(all), LeaderPlaces)
		var gains []Standing
		for _, rep := range team.Reps {
			if _, had := last[m.Key][rep]; !had {
				continue // nothing to improve on: new, away or silent last week
			}
			gains = append(gains, Standing{Rep: rep, Score: cur[m.Key][rep] - last[m.Key][rep], Total: cur[m.Key][rep]})
		}
		l.Improved = Front(ContestTotal, rankByScore(gains), 1)
		out = append(out, l)
	}
	return out
}

// rankByScore sorts by score, highest first, and ranks with ties shared.
func rankByScore(st []Standing) []Standing {
	slices.SortStableFunc(st, func(a, b Standing) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Rep, b.Rep)) })
	for i := range st {
		st[i].Rank = i + 1
		if i > 0 && st[i].Score == st[i-1].Score {
			st[i].Rank = st[i-1].Rank
		}
	}
	return st
}

// TeamAttainment is a team's plans on one metric this month, summed over
// its reps, against the share of the month's team workdays gone.
type TeamAttainment struct {
	Key     string
	Done    float64
	Target  float64
	Elapsed float64
}

// Attain sums the reps' month paces into the team's attainment on each
// metric with a target. tally holds the team's check-ins of the month;
// plans the team's; away each rep's away periods; people each rep's record
// (for their holiday place); the team's zone decides the month.
func Attain(team *Team, tally *PaceTally, plans []Plan, away map[string][]AwayPeriod, people map[string]*Person, now time.Time) []TeamAttainment {
	loc := team.Location()
	today := RepToday(now, loc)
	start, end := PeriodMonth.First(today), PeriodMonth.Last(today)
	elapsed := 0.0
	if all := teamWorkdays(team, start, end); all > 0 {
		elapsed = float64(teamWorkdays(team, start, today)) / float64(all)
	}
	var out []TeamAttainment
	for _, m := range team.Metrics {
		a := TeamAttainment{Key: m.Key, Elapsed: elapsed}
		for _, rep := range team.Reps {
			p := tally.Pace(rep, people[rep], m.Key, PeriodMonth, plans, away[rep], now, loc)
			a.Done += p.Done
			a.Target += p.Target
		}
		if a.Target > 0 {
			out = append(out, a)
		}
	}
	return out
}
