package slacktest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
)

func modal(title string) slack.ModalViewRequest {
	return slack.ModalViewRequest{
		Type:       slack.VTModal,
		Title:      slack.NewTextBlockObject(slack.PlainTextType, title, false, false),
		Submit:     slack.NewTextBlockObject(slack.PlainTextType, "Save", false, false),
		CallbackID: "checkin",
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock("note", slack.NewTextBlockObject(slack.PlainTextType, "Note", false, false), nil,
				slack.NewPlainTextInputBlockElement(nil, "note_input")),
		}},
	}
}

func TestOpenViewNeedsAFreshTrigger(t *testing.T) {
	clock := pulse.NewManualClock(time.Date(2024, 5, 6, 9, 0, 0, 0, time.UTC))
	s := newServer(t, slacktest.WithClock(clock))
	api := webClient(s)
	ctx := testCtx(t)

	trigger := s.NewTriggerID()
	resp, err := api.OpenViewContext(ctx, trigger, modal("Check-in"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.ID == "" || resp.Hash == "" || resp.CallbackID != "checkin" || resp.Title.Text != "Check-in" || resp.TeamID != s.TeamID() {
		t.Errorf("opened view = %+v, want an ID, a hash and the view sent", resp.View)
	}
	views := s.Views()
	if len(views) != 1 || views[0].Method != "views.open" || views[0].ViewID != resp.ID || views[0].TriggerID != trigger {
		t.Errorf("views = %+v, want the open recorded", views)
	}

	late := s.NewTriggerID()
	clock.Advance(3*time.Second + time.Millisecond)
	tests := []struct {
		name    string
		trigger string
		want    string
	}{
		{"a trigger used twice", trigger, "expired_trigger_id"},
		{"a trigger older than 3 seconds", late, "expired_trigger_id"},
		{"a trigger the server never issued", "123.456.made-up", "invalid_trigger_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			_, err := api.OpenViewContext(ctx, tt.trigger, modal("Check-in"))
			if got := slackError(err); got != tt.want {
				t.Errorf("error = %v, want %s", err, tt.want)
			}
		})
	}
}

func TestUpdatePushAndPublishViews(t *testing.T) {
	s := newServer(t)
	api := webClient(s)
	ctx := testCtx(t)

	m := modal("Check-in")
	m.ExternalID = "checkin-U1-2024-05-06"
	opened, err := api.OpenViewContext(ctx, s.NewTriggerID(), m)
	if err != nil {
		t.Fatal(err)
	}
	updated, err := api.UpdateViewContext(ctx, modal("Saved"), "", opened.Hash, opened.ID)
	if err != nil {
		t.Fatal(err)
	}
	if updated.ID != opened.ID || updated.Hash == opened.Hash || updated.Title.Text != "Saved" {
		t.Errorf("updated = %+v, want the same view with a new hash", updated.View)
	}
	if _, err := api.UpdateViewContext(ctx, modal("Stale"), "", opened.Hash, opened.ID); slackError(err) != "hash_conflict" {
		t.Errorf("update with a stale hash: %v, want hash_conflict", err)
	}
	byExternal, err := api.UpdateViewContext(ctx, modal("By external"), "checkin-U1-2024-05-06", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if byExternal.ID != opened.ID {
		t.Errorf("update by external_id changed view %s, want %s", byExternal.ID, opened.ID)
	}
	if _, err := api.UpdateViewContext(ctx, modal("Nobody"), "", "", "V404"); slackError(err) != "not_found" {
		t.Errorf("update of an unknown view: %v, want not_found", err)
	}

	pushed, err := api.PushViewContext(ctx, s.NewTriggerID(), modal("Details"))
	if err != nil {
		t.Fatal(err)
	}
	if pushed.ID == "" || pushed.ID == opened.ID {
		t.Errorf("pushed view id %q, want a new one", pushed.ID)
	}

	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "Your week", false, false), nil, nil),
	}}}
	published, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: home})
	if err != nil {
		t.Fatal(err)
	}
	again, err := api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: "U1", View: home})
	if err != nil {
		t.Fatal(err)
	}
	if published.ID == "" || again.ID != published.ID {
		t.Errorf("home views %q then %q, want one view per user", published.ID, again.ID)
	}

	var methods []string
	for _, v := range s.Views() {
		methods = append(methods, v.Method)
	}
	want := []string{"views.open", "views.update", "views.update", "views.push", "views.publish", "views.publish"}
	if len(methods) != len(want) {
		t.Fatalf("recorded %v, want %v", methods, want)
	}
	for i := range want {
		if methods[i] != want[i] {
			t.Errorf("recorded %v, want %v", methods, want)
			break
		}
	}
	last := s.Views()[len(s.Views())-1]
	var view map[string]any
	if err := json.Unmarshal(last.View, &view); err != nil || last.UserID != "U1" || view["type"] != "home" {
		t.Errorf("publish record = %+v, want U1's home view", last)
	}
}
