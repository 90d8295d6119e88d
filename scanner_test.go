package pulse_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/salespulse/pulse"
)

// listStore is a store of plain list methods only, over records in memory;
// the methods a test does not call are the nil embedded Store's.
type listStore struct {
	pulse.Store
	checkIns    []pulse.CheckIn
	commitments []pulse.Commitment
	trainings   []pulse.Training
	nudges      map[string][]pulse.Nudge // by training
	blockers    []pulse.Blocker
	roster      pulse.Roster
}

func (s *listStore) TeamBlockers(context.Context, string, pulse.Date, pulse.Date) ([]pulse.Blocker, error) {
	return s.blockers, nil
}

func (s *listStore) TeamCheckIns(context.Context, string, pulse.Date, pulse.Date) ([]pulse.CheckIn, error) {
	return s.checkIns, nil
}

func (s *listStore) TeamCommitments(context.Context, string, pulse.Date, pulse.Date) ([]pulse.Commitment, error) {
	return s.commitments, nil
}

func (s *listStore) TeamTrainings(context.Context, string, pulse.Date, pulse.Date) ([]pulse.Training, error) {
	return s.trainings, nil
}

func (s *listStore) TrainingNudges(_ context.Context, training string) ([]pulse.Nudge, error) {
	return s.nudges[training], nil
}

func (s *listStore) Roster(context.Context, string, []string) (pulse.Roster, error) {
	return s.roster, nil
}

// scanStore is a listStore that is also a Scanner, noting which of its
// scans ran and handing out nothing.
type scanStore struct {
	*listStore
	ran []string
}

func (s *scanStore) ScanTeamCheckIns(context.Context, string, pulse.Date, pulse.Date, func(*pulse.CheckInFigures) error) error {
	s.ran = append(s.ran, "check-ins")
	return nil
}

func (s *scanStore) ScanTeamCommitments(context.Context, string, pulse.Date, pulse.Date, func(*pulse.Commitment) error) error {
	s.ran = append(s.ran, "commitments")
	return nil
}

func (s *scanStore) ScanTeamNudges(context.Context, string, pulse.Date, pulse.Date, func(*pulse.Nudge) error) error {
	s.ran = append(s.ran, "nudges")
	return nil
}

func (s *scanStore) ScanTeamBlockers(context.Context, string, pulse.Date, pulse.Date, func(*pulse.Blocker) error) error {
	s.ran = append(s.ran, "blockers")
	return nil
}

func (s *scanStore) ReadRoster(context.Context, string, []string, *pulse.Roster) error {
	s.ran = append(s.ran, "roster")
	return nil
}

func TestScansFallBackOnTheListMethods(t *testing.T) {
	ctx := context.Background()
	day := pulse.MustDate("2026-11-23")
	list := &listStore{
		checkIns: []pulse.CheckIn{
			{TeamID: "T1", UserID: "U02", Date: day, Status: pulse.CheckInOnTime, Energy: 4, Plan: "call", Metrics: map[string]float64{"calls": 12}},
			{TeamID: "T1", UserID: "U03", Date: day, Status: pulse.CheckInMissed},
		},
		commitments: []pulse.Commitment{{ID: "c1", TeamID: "T1", UserID: "U02", Week: day, Text: "book 5 demos", RepNote: "did 4", ManagerNote: "close", Status: pulse.CommitmentPartly}},
		trainings:   []pulse.Training{{ID: "tr2"}, {ID: "tr1"}},
		nudges: map[string][]pulse.Nudge{
			"tr1": {{TrainingID: "tr1", UserID: "U02", Day: 2, Response: pulse.NudgeApplied, Report: "asked twice"}},
			"tr2": {{TrainingID: "tr2", UserID: "U03", Day: 7}, {TrainingID: "tr2", UserID: "U02", Day: 7}},
		},
		blockers: []pulse.Blocker{
			{ID: "b1", TeamID: "T1", UserID: "U02", Date: day, Text: "pricing approval", Status: pulse.BlockerResolved, ResolvedBy: "U01"},
			{ID: "b2", TeamID: "T1", UserID: "U03", Date: day, Text: "no demo licence", Status: pulse.BlockerOpen},
		},
		roster: pulse.Roster{People: map[string]*pulse.Person{"U02": {ID: "U02", Name: "Kari"}}},
	}

	t.Run("check-ins give their figures, in the list's order, in one reused value", func(t *testing.T) {
		var got []pulse.CheckInFigures
		var seen *pulse.CheckInFigures
		err := pulse.ScanTeamCheckIns(ctx, list, "T1", day, day, func(f *pulse.CheckInFigures) error {
			if seen != nil && f != seen {
				t.Error("the fallback handed out a new value; it reuses one")
			}
			seen = f
			c := *f
			c.Metrics = append([]pulse.MetricValue(nil), f.Metrics...)
			got = append(got, c)
			return nil
		})
		want := []pulse.CheckInFigures{
			{TeamID: "T1", UserID: "U02", Date: day, Status: pulse.CheckInOnTime, Energy: 4, Metrics: []pulse.MetricValue{{Key: "calls", Value: 12}}},
			{TeamID: "T1", UserID: "U03", Date: day, Status: pulse.CheckInMissed},
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, %v; want %+v", got, err, want)
		}
	})

	t.Run("commitments come without their texts", func(t *testing.T) {
		var got []pulse.Commitment
		err := pulse.ScanTeamCommitments(ctx, list, "T1", day, day, func(c *pulse.Commitment) error {
			got = append(got, *c)
			return nil
		})
		want := []pulse.Commitment{{ID: "c1", TeamID: "T1", UserID: "U02", Week: day, Status: pulse.CommitmentPartly}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, %v; want %+v", got, err, want)
		}
		if list.commitments[0].Text == "" {
			t.Error("the fallback emptied the store's own commitment")
		}
	})

	t.Run("nudges come training by training, without their reports", func(t *testing.T) {
		var got []pulse.Nudge
		err := pulse.ScanTeamNudges(ctx, list, "T1", day, day, func(n *pulse.Nudge) error {
			got = append(got, *n)
			return nil
		})
		want := []pulse.Nudge{
			{TrainingID: "tr2", UserID: "U03", Day: 7},
			{TrainingID: "tr2", UserID: "U02", Day: 7},
			{TrainingID: "tr1", UserID: "U02", Day: 2, Response: pulse.NudgeApplied},
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, %v; want %+v", got, err, want)
		}
	})

	t.Run("blockers come without their texts", func(t *testing.T) {
		var got []pulse.Blocker
		err := pulse.ScanTeamBlockers(ctx, list, "T1", day, day, func(b *pulse.Blocker) error {
			got = append(got, *b)
			return nil
		})
		want := []pulse.Blocker{
			{ID: "b1", TeamID: "T1", UserID: "U02", Date: day, Status: pulse.BlockerResolved, ResolvedBy: "U01"},
			{ID: "b2", TeamID: "T1", UserID: "U03", Date: day, Status: pulse.BlockerOpen},
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, %v; want %+v", got, err, want)
		}
		if list.blockers[0].Text == "" {
			t.Error("the fallback emptied the store's own blocker")
		}
	})

	t.Run("a roster read replaces what the value held", func(t *testing.T) {
		r := pulse.Roster{People: map[string]*pulse.Person{"U09": {ID: "U09"}}}
		if err := pulse.ReadRoster(ctx, list, "T1", []string{"U02"}, &r); err != nil || !reflect.DeepEqual(r, list.roster) {
			t.Errorf("got %+v, %v; want %+v", r, err, list.roster)
		}
	})

	t.Run("fn's error ends the scan and comes back as it is", func(t *testing.T) {
		stop := errors.New("enough")
		calls := 0
		err := pulse.ScanTeamNudges(ctx, list, "T1", day, day, func(*pulse.Nudge) error { calls++; return stop })
		if err != stop || calls != 1 {
			t.Errorf("got %v after %d calls; want %v after 1", err, calls, stop)
		}
	})

	t.Run("a store that is a Scanner is read through it", func(t *testing.T) {
		s := &scanStore{listStore: list}
		must := func(what string, err error) {
			if err != nil {
				t.Errorf("%s: %v", what, err)
			}
		}
		must("check-ins", pulse.ScanTeamCheckIns(ctx, s, "T1", day, day, func(*pulse.CheckInFigures) error { t.Error("listed"); return nil }))
		must("commitments", pulse.ScanTeamCommitments(ctx, s, "T1", day, day, func(*pulse.Commitment) error { t.Error("listed"); return nil }))
		must("nudges", pulse.ScanTeamNudges(ctx, s, "T1", day, day, func(*pulse.Nudge) error { t.Error("listed"); return nil }))
		must("blockers", pulse.ScanTeamBlockers(ctx, s, "T1", day, day, func(*pulse.Blocker) error { t.Error("listed"); return nil }))
		var r pulse.Roster
		must("roster", pulse.ReadRoster(ctx, s, "T1", nil, &r))
		if want := []string{"check-ins", "commitments", "nudges", "blockers", "roster"}; !reflect.DeepEqual(s.ran, want) || r.People != nil {
			t.Errorf("scans run %q, roster %+v; want %q and an empty roster", s.ran, r, want)
		}
	})
}
