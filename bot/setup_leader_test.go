package bot_test

import (
	"slices"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// Team setup holds the digest's time (two hours after the check-in when
// left empty) and the team's directors, who may not also check in.
func TestSetupDigestTimeAndDirectors(t *testing.T) {
	h := start(t, withAdmin())
	seedTeams(h)
	h.opens(adminID, "setup Pacific")
	v := h.openedView(1)
	if el := inputElement(t, v, "digest_time").(*slack.TimePickerBlockElement); el.InitialTime != "11:00" {
		t.Errorf("the digest time starts at %q, want 11:00", el.InitialTime)
	}
	if el := inputElement(t, v, "directors").(*slack.MultiSelectBlockElement); el.Type != "multi_users_select" {
		t.Errorf("directors is a %s, want multi_users_select", el.Type)
	}
	bad := goodSetup("Pacific")
	bad["directors"] = slack.BlockAction{SelectedUsers: []string{repA1}}
	bad["digest_time"] = slack.BlockAction{SelectedTime: "25:99"}
	bad["feedback_interval"] = slack.BlockAction{Value: "0"}
	bad["feedback_target"] = slack.BlockAction{Value: "=1+1"}
	resp := h.submit(adminID, v, bad)
	for _, field := range []string{"directors", "digest_time", "feedback_interval", "feedback_target"} {
		if resp.Errors[field] == "" {
			t.Errorf("a bad %s answered %+v, want an error under it", field, resp)
		}
	}
	if el := inputElement(t, v, "feedback_interval").(*slack.NumberInputBlockElement); el.InitialValue != "3" {
		t.Errorf("the feedback interval starts at %q, want 3", el.InitialValue)
	}
	good := goodSetup("Pacific")
	good["directors"] = slack.BlockAction{SelectedUsers: []string{"UDIRECTOR"}}
	good["digest_time"] = slack.BlockAction{SelectedTime: "12:15"}
	good["feedback_interval"] = slack.BlockAction{Value: "5"}
	good["feedback_target"] = slack.BlockAction{Value: "3"}
	if resp := h.submit(adminID, v, good); resp.ResponseAction != "" {
		t.Fatalf("a good submission answered %+v", resp)
	}
	team, err := h.DB.TeamByName(t.Context(), "Pacific")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(team.Directors, []string{"UDIRECTOR"}) || team.DigestTime != pulse.MustTime("12:15") || team.Interval() != 5 || team.Target() != 3 {
		t.Fatalf("stored directors %v, digest time %s, interval %d, target %d", team.Directors, team.DigestTime, team.Interval(), team.Target())
	}
	h.opens(adminID, "setup Quiet")
	v2 := h.openedView(2)
	if resp := h.submit(adminID, v2, goodSetup("Quiet")); resp.ResponseAction != "" {
		t.Fatalf("a submission without a digest time answered %+v", resp)
	}
	quiet, err := h.DB.TeamByName(t.Context(), "Quiet")
	if err != nil {
		t.Fatal(err)
	}
	if quiet.Digest() != pulse.MustTime("10:30") {
		t.Fatalf("the digest of a team set up without one is at %s, want 10:30, two hours after its 08:30 check-in", quiet.Digest())
	}
}
