package pulse_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// TestNewBlockerEffects: each of the team's managers but the rep who raised
// the blocker is told; an alert names its blocker by rep, day and the time
// it was raised, so one without that time is refused.
func TestNewBlockerEffects(t *testing.T) {
	team := pulse.NewTeam("Nord", "Europe/Oslo")
	team.ID, team.Managers = "t1", []string{"UMGR1", "UREP", "UMGR2"}
	at := time.Date(2026, 11, 23, 9, 4, 0, 123, time.UTC)
	raised := &pulse.Blocker{TeamID: "t1", UserID: "UREP", Date: pulse.MustDate("2026-11-23"), Text: "CRM down", RaisedAt: at}

	effects, err := pulse.NewBlockerEffects(team, raised)
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, e := range effects {
		if e.Kind != pulse.EffectBlocker || e.TeamID != "t1" {
			t.Errorf("effect %+v", e)
		}
		to = append(to, e.To)
	}
	if len(to) != 2 || to[0] != "UMGR1" || to[1] != "UMGR2" {
		t.Errorf("told %v, want the two managers but the rep", to)
	}

	for _, tt := range []struct {
		name string
		b    pulse.Blocker
		is   bool
	}{
		{"the blocker itself, read back", *raised, true},
		{"the same rep's other blocker that day", pulse.Blocker{UserID: "UREP", Date: raised.Date, RaisedAt: at.Add(time.Nanosecond)}, false},
		{"another rep's at the same time", pulse.Blocker{UserID: "UOTHER", Date: raised.Date, RaisedAt: at}, false},
		{"the same time in another zone", pulse.Blocker{UserID: "UREP", Date: raised.Date, RaisedAt: at.In(time.FixedZone("CET", 3600))}, true},
	} {
		var be pulse.BlockerEffect
		if err := json.Unmarshal(effects[0].Body, &be); err != nil {
			t.Fatal(err)
		}
		if got := be.Is(&tt.b); got != tt.is {
			t.Errorf("%s: Is = %v, want %v", tt.name, got, tt.is)
		}
	}

	unnamed := *raised
	unnamed.RaisedAt = time.Time{}
	if _, err := pulse.NewBlockerEffects(team, &unnamed); err == nil {
		t.Error("an alert of a blocker without its time raised was made")
	}
}
