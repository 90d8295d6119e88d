package pulse_test

import (
	"reflect"
	"testing"

	"github.com/salespulse/pulse"
)

// TestTeamCloneSharesNothing fills every field of a team and checks, field
// by field through reflection, that a clone holds equal values in memory
// of its own: a field added to Team with a slice or map in it fails here
// until Clone copies it.
func TestTeamCloneSharesNothing(t *testing.T) {
	team := pulse.NewTeam("Nordic", "Europe/Oslo")
	team.ID, team.Channel = "T1", "C1"
	team.Managers, team.Reps, team.Directors = []string{"UMGR"}, []string{"UANNA", "UBO"}, []string{"UDIR"}
	team.Holidays = []pulse.Date{pulse.MustDate("2026-12-24")}
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}}
	team.Questions = []pulse.Question{{ID: "q1", Version: 1, Text: "Channel", Type: pulse.QuestionChoice, Options: []string{"Call", "Email"}}}
	team.RetiredQuestions = []pulse.Question{{ID: "q0", Version: 2, Text: "Mood", Type: pulse.QuestionChoice, Options: []string{"Good", "Bad"}}}
	orig := reflect.ValueOf(team).Elem()
	for i := range orig.NumField() {
		f := orig.Field(i)
		if (f.Kind() == reflect.Slice || f.Kind() == reflect.Map) && f.Len() == 0 {
			t.Fatalf("fill %s in this test: an empty field cannot show whether it is shared", orig.Type().Field(i).Name)
		}
	}
	clone := team.Clone()
	if !reflect.DeepEqual(clone, team) {
		t.Fatalf("clone %+v differs from %+v", clone, team)
	}
	c := reflect.ValueOf(clone).Elem()
	for i := range orig.NumField() {
		name := orig.Type().Field(i).Name
		switch f := orig.Field(i); f.Kind() {
		case reflect.Slice, reflect.Map, reflect.Pointer:
			if f.Pointer() == c.Field(i).Pointer() {
				t.Errorf("the clone shares %s with the team", name)
			}
		}
	}
}
