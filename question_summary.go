package pulse

import "strconv"

// QuestionSummary is a week of answers to one of the team's own questions,
// as the weekly summary shows them: a scale's average and its trend
// against the week before, a choice's count per option, a yes/no's share
// of yes, a text's number of answers.
type QuestionSummary struct {
	QuestionID string
	Text       string // the question as the team asks it now
	Type       QuestionType
	Answers    int // this week's answers

	Average, PrevAverage, Trend float64 // scale; Trend is 0 without both weeks

	Options []OptionCount // choice: each option now offered, then any an older version offered

	Yes      int     // yes/no: answers "yes"
	YesShare float64 // yes/no: Yes / Answers, 0 without answers
}

// OptionCount is how many answers picked one option.
type OptionCount struct {
	Option string
	Count  int
}

// SummarizeAnswers sums up the answers of the team's current reps, in the
// week from Monday week through the day through, to each question the team
// asks now other than numbers. Answers given to an older version count
// with the question they belong to.
func SummarizeAnswers(team *Team, week, through Date, checkIns []CheckIn) []QuestionSummary {
	var out []QuestionSummary
	for _, q := range team.Questions {
		if q.Type == QuestionNumber {
			continue
		}
		qs := QuestionSummary{QuestionID: q.ID, Text: q.Text, Type: q.Type}
		if q.Type == QuestionChoice {
			for _, o := range q.Options {
				qs.Options = append(qs.Options, OptionCount{Option: o})
			}
		}
		var cur, prev mean
		for i := range checkIns {
			c := &checkIns[i]
			if c.TeamID != team.ID || !c.Answered() || !team.IsRep(c.UserID) {
				continue
			}
			a, ok := c.AnswerTo(q.ID)
			if !ok {
				continue
			}
			thisWeek := !c.Date.Before(week) && !c.Date.After(through)
			lastWeek := !c.Date.Before(week.AddDays(-7)) && c.Date.Before(week)
			if q.Type == QuestionScale {
				if n, err := strconv.Atoi(a.Value); err == nil {
					switch {
					case thisWeek:
						cur.add(float64(n))
					case lastWeek:
						prev.add(float64(n))
					}
				}
			}
			if !thisWeek {
				continue
			}
			qs.Answers++
			switch q.Type {
			case QuestionChoice:
				qs.Options = countOption(qs.Options, a.Value)
			case QuestionYesNo:
				if a.Value == AnswerYes {
					qs.Yes++
				}
			}
		}
		qs.Average, qs.PrevAverage = cur.value(), prev.value()
		if qs.Average > 0 && qs.PrevAverage > 0 {
			qs.Trend = qs.Average - qs.PrevAverage
		}
		if q.Type == QuestionYesNo {
			qs.YesShare = ratio(float64(qs.Yes), qs.Answers)
		}
		out = append(out, qs)
	}
	return out
}

func countOption(opts []OptionCount, option string) []OptionCount {
	for i := range opts {
		if opts[i].Option == option {
			opts[i].Count++
			return opts
		}
	}
	return append(opts, OptionCount{Option: option, Count: 1})
}
