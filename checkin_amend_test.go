package pulse_test

import (
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestAmendCheckIn(t *testing.T) {
	team := goodTeam() // Oslo, 09:00, the reminder two hours later
	team.ID = "T1"
	tokyo := &pulse.Person{ID: "UREP00001", TZ: "Europe/Oslo", TZOverride: "Asia/Tokyo"}
	day := pulse.MustDate("2026-03-10")
	early, late := utc("2026-03-10 08:30"), utc("2026-03-10 15:00") // 09:30 and 16:00 in Oslo
	answered := func(status pulse.CheckInStatus, at time.Time, blocker string) *pulse.CheckIn {
		return &pulse.CheckIn{TeamID: "T1", UserID: "UREP00001", Date: day, Status: status,
			Plan: "calls", Blocker: blocker, Energy: 3, SubmittedAt: at, UpdatedAt: at}
	}
	tests := []struct {
		name          string
		rep           *pulse.Person
		prev          *pulse.CheckIn
		blocker, plan string
		now           time.Time
		wantStatus    pulse.CheckInStatus
		wantSubmitted time.Time
		wantRaised    string // the raised blocker's text; "" for none
		wantErr       string // the invalid field; "" for none
	}{
		{name: "a first answer before the reminder is on time", now: early,
			wantStatus: pulse.CheckInOnTime, wantSubmitted: early},
		{name: "a first answer after the reminder is late", now: late,
			wantStatus: pulse.CheckInLate, wantSubmitted: late},
		{name: "the rep's own zone decides a first answer", rep: tokyo, now: early,
			wantStatus: pulse.CheckInLate, wantSubmitted: early},
		{name: "an edit after the reminder keeps the first answer on time",
			prev: answered(pulse.CheckInOnTime, early, ""), now: late,
			wantStatus: pulse.CheckInOnTime, wantSubmitted: early},
		{name: "an edit keeps a late first answer late",
			prev: answered(pulse.CheckInLate, late, ""), now: late.Add(time.Hour),
			wantStatus: pulse.CheckInLate, wantSubmitted: late},
		{name: "an answer over a day marked missed takes its own time",
			prev: &pulse.CheckIn{TeamID: "T1", UserID: "UREP00001", Date: day, Status: pulse.CheckInMissed}, now: early,
			wantStatus: pulse.CheckInOnTime, wantSubmitted: early},
		{name: "a first answer with a blocker raises it", blocker: "no leads", now: early,
			wantStatus: pulse.CheckInOnTime, wantSubmitted: early, wantRaised: "no leads"},
		{name: "an edit that keeps the blocker raises nothing again",
			prev: answered(pulse.CheckInOnTime, early, "no leads"), blocker: "no leads", now: late,
			wantStatus: pulse.CheckInOnTime, wantSubmitted: early},
		{name: "an edit that keeps the blocker but its spaces raises nothing",
			prev: answered(pulse.CheckInOnTime, early, "no leads"), blocker: "  no leads \n", now: late,
			wantStatus: pulse.CheckInOnTime, wantSubmitted: early},
		{name: "an edit that changes the blocker raises the new text",
			prev: answered(pulse.CheckInOnTime, early, "no leads"), blocker: "CRM down", now: late,
			wantStatus: pulse.CheckInOnTime, wantSubmitted: early, wantRaised: "CRM down"},
		{name: "an edit that adds a blocker raises it",
			prev: answered(pulse.CheckInOnTime, early, ""), blocker: "CRM down", now: late,
			wantStatus: pulse.CheckInOnTime, wantSubmitted: early, wantRaised: "CRM down"},
		{name: "an edit that clears the blocker raises nothing",
			prev: answered(pulse.CheckInOnTime, early, "no leads"), now: late,
			wantStatus: pulse.CheckInOnTime, wantSubmitted: early},
		{name: "an invalid answer raises nothing", blocker: "no leads", plan: " ", now: early,
			wantStatus: pulse.CheckInOnTime, wantSubmitted: early, wantErr: "plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := tt.plan
			if plan == "" {
				plan = "call ten leads"
			}
			next := &pulse.CheckIn{TeamID: "T1", UserID: "UREP00001", Date: day, Plan: plan, Blocker: tt.blocker, Energy: 4}
			raised, err := pulse.AmendCheckIn(team, tt.rep, tt.prev, next, tt.now)
			if next.Status != tt.wantStatus || !next.SubmittedAt.Equal(tt.wantSubmitted) || !next.UpdatedAt.Equal(tt.now) {
				t.Errorf("status %s submitted %v updated %v, want %s %v %v",
					next.Status, next.SubmittedAt, next.UpdatedAt, tt.wantStatus, tt.wantSubmitted, tt.now)
			}
			if tt.wantErr != "" {
				var ve pulse.ValidationErrors
				if !errors.As(err, &ve) || len(ve) != 1 || ve[0].Field != tt.wantErr {
					t.Fatalf("err = %v, want a ValidationErrors on %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatalf("err = %v", err)
			}
			switch {
			case tt.wantRaised == "" && raised != nil:
				t.Fatalf("raised %+v, want none", raised)
			case tt.wantRaised != "" && raised == nil:
				t.Fatalf("raised none, want %q", tt.wantRaised)
			case raised != nil:
				want := pulse.Blocker{TeamID: "T1", UserID: "UREP00001", Date: day, Text: tt.wantRaised, Status: pulse.BlockerOpen, RaisedAt: tt.now}
				if *raised != want {
					t.Fatalf("raised %+v, want %+v", *raised, want)
				}
			}
		})
	}
}

func TestDropUntypable(t *testing.T) {
	typed := map[string]float64{"calls": 7, "meetings": 2, "unknown": 1}
	tests := []struct {
		name   string
		change func(*pulse.Team)
		want   map[string]float64
	}{
		{"a team that types its numbers keeps them all", func(*pulse.Team) {}, typed},
		{"a metric the CRM fills loses the typed number", func(t *pulse.Team) {
			t.NumbersFrom = pulse.CRMHubSpot
			t.Metrics[0].Measure = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
		}, map[string]float64{"meetings": 2, "unknown": 1}},
		{"a team that lets reps top the CRM up keeps it", func(t *pulse.Team) {
			t.NumbersFrom = pulse.CRMHubSpot
			t.CRMTopUp = true
			t.Metrics[0].Measure = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
		}, typed},
		{"a CRM measure on a team that types is typed", func(t *pulse.Team) {
			t.Metrics[0].Measure = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
		}, typed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team := goodTeam()
			tt.change(team)
			got := maps.Clone(typed)
			team.DropUntypable(got)
			if !maps.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}
