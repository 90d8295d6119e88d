package pulse

import (
	"context"
	"fmt"
)

// The numbers that count. A rep's number of a metric on a day is the one
// MetricFigure picks: the CRM's when the metric comes from the team's CRM
// and the CRM counted the day (plus what the rep typed, when the team lets
// reps top up), else what the rep typed. Summed over days, that is what the
// reps typed of the metrics they may type (CountsTyped) plus what the CRM
// counted of the metrics it fills (CRMCounts), also on a day a rep did not
// check in. The status's tally, the weekly summary, pace and contests add
// their records one at a time through these two, so they all count alike.

// CountsTyped reports whether a number typed for the metric key counts: a
// typed metric, or one from the CRM that the team lets reps top up. A key
// the team does not track is left to the caller.
func (t *Team) CountsTyped(key string) bool {
	m, ok := t.Metric(key)
	return !ok || t.Typable(m)
}

// CRMCounts calls fn with each number of the CRM figure f that counts for
// the team: those of the metrics the team's current CRM fills. A figure of
// another team, or from a CRM the team no longer uses, counts nothing.
func (t *Team) CRMCounts(f *CRMFigure, fn func(key string, v float64)) {
	if f.TeamID != t.ID || f.Source != t.NumbersFrom {
		return
	}
	for _, m := range t.Metrics {
		if t.FromCRM(m) {
			fn(m.Key, f.Values[m.Key])
		}
	}
}

// CRMFigureSource is what reading a team's numbers from its CRM takes of
// the store.
type CRMFigureSource interface {
	TeamCRMFigures(ctx context.Context, team string, from, to Date) ([]CRMFigure, error)
}

// ReadCRMFigures calls fn with each of the team's figures from its CRM
// from one day to another, both included; a team whose numbers are typed
// has none, and nothing is read for it.
func ReadCRMFigures(ctx context.Context, src CRMFigureSource, team *Team, from, to Date, fn func(*CRMFigure)) error {
	if team.NumbersFrom == CRMTyped {
		return nil
	}
	figs, err := src.TeamCRMFigures(ctx, team.ID, from, to)
	if err != nil {
		return fmt.Errorf("CRM figures of team %s from %s to %s: %w", team.ID, from, to, err)
	}
	for i := range figs {
		fn(&figs[i])
	}
	return nil
}
