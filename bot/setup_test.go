package bot_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

// setupLabels are the setup modal's labels in English, as DESIGN.md has them.
var setupLabels = []string{
	"Team name", "Managers", "Reps", "Summary channel", "Time zone", "Language",
	"Check-in time", "Check-in mode", "End-of-day time", "Workdays", "Weekly meeting day", "Weekly meeting time",
	"Summary day", "Summary time", "Digest time", "Directors",
	"Feedback interval (workdays)", "Feedback target (per rep a week)", "Metrics", "Holidays", "Extra days off", "Numbers from", "What the CRM missed",
}

func withAdmin() harnessOption {
	return withConfig(func(c *bot.Config) { c.Admins = []string{adminID} })
}

// goodSetup is a complete, valid submission of the setup modal.
func goodSetup(name string) state {
	day := func(d time.Weekday) slack.OptionBlockObject {
		return slack.OptionBlockObject{Value: string(rune('0' + int(d)))}
	}
	return state{
		"name":         {Value: name},
		"managers":     {SelectedUsers: []string{mgrA}},
		"reps":         {SelectedUsers: []string{repA1, repB1}},
		"channel":      {SelectedConversation: "C0PACIFIC"},
		"tz":           {ActionID: "tz_search", SelectedOption: slack.OptionBlockObject{Value: "America/Los_Angeles"}},
		"lang":         {SelectedOption: slack.OptionBlockObject{Value: "en"}},
		"checkin_time": {SelectedTime: "08:30"},
		"workdays":     {SelectedOptions: []slack.OptionBlockObject{day(time.Monday), day(time.Tuesday), day(time.Wednesday), day(time.Thursday)}},
		"meeting_day":  {SelectedOption: day(time.Tuesday)},
		"meeting_time": {SelectedTime: "11:00"},
		"summary_day":  {SelectedOption: day(time.Thursday)},
		"summary_time": {SelectedTime: "17:15"},
		"metrics":      {Value: "calls: Calls = 100\n\ndemos: Demos booked = 5"},
	}
}

func teamCount(t *testing.T, h *harness) int {
	t.Helper()
	ts, err := h.DB.Teams(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return len(ts)
}

func TestCommandsSetupPermissions(t *testing.T) {
	h := start(t, withAdmin())
	seedTeams(h)
	if err := h.DB.SavePerson(t.Context(), &pulse.Person{ID: "USLACKADMIN", IsAdmin: true}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		user  string
		args  string
		opens bool
	}{
		{"an admin named in PULSE_ADMINS creates a team", adminID, "setup Pacific", true},
		{"a workspace admin creates a team", "USLACKADMIN", "setup Pacific", true},
		{"an admin edits any team", adminID, "setup Baltic", true},
		{"a manager edits their team", mgrA, "setup Nordic", true},
		{"a manager opens their team without naming it", mgrA, "setup", true},
		{"a manager cannot create a team", mgrA, "setup Pacific", false},
		{"a manager cannot edit another team", mgrB, "setup Nordic", false},
		{"a rep cannot edit their team", repA1, "setup Nordic", false},
		{"a rep cannot create a team", repA1, "setup", false},
		{"someone in no team cannot create one", outsider, "setup Pacific", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := h.viewsOpened()
			if tt.opens {
				h.opens(tt.user, tt.args)
				if v := h.openedView(before + 1); v.CallbackID != "setup" {
					t.Errorf("opened %q, want the setup modal", v.CallbackID)
				}
				return
			}
			wantText(t, tt.args, h.command(tt.user, tt.args), escaped(h.en("deny.setup", nil)))
			if h.viewsOpened() != before {
				t.Errorf("a modal opened for %s", tt.user)
			}
		})
	}
	if n := teamCount(t, h); n != 2 {
		t.Errorf("opening modals changed the teams: %d, want 2", n)
	}
	long := "setup " + strings.Repeat("n", pulse.MaxTeamNameLen+1)
	wantText(t, "a name over the limit", h.command(adminID, long), escaped(h.en("err.too_long", map[string]any{"Max": pulse.MaxTeamNameLen})))
}

func TestCommandsSetupNewTeam(t *testing.T) {
	h := start(t, withAdmin())
	seedTeams(h)
	h.opens(adminID, "setup Pacific")
	v := h.openedView(1)
	if got := labels(v); !slices.Equal(got, setupLabels) {
		t.Errorf("labels\n%q\nwant\n%q", got, setupLabels)
	}
	if v.PrivateMetadata != "" {
		t.Errorf("a new team's modal carries %q, want no team ID", v.PrivateMetadata)
	}
	if name := inputElement(t, v, "name").(*slack.PlainTextInputBlockElement); name.InitialValue != "Pacific" {
		t.Errorf("name starts as %q, want Pacific", name.InitialValue)
	}
	def := pulse.NewTeam("Pacific", "UTC")
	if el := inputElement(t, v, "checkin_time").(*slack.TimePickerBlockElement); el.InitialTime != def.CheckInTime.String() {
		t.Errorf("check-in time starts at %q, want the default %s", el.InitialTime, def.CheckInTime)
	}
	if el := inputElement(t, v, "workdays").(*slack.CheckboxGroupsBlockElement); len(el.Options) != 7 || len(el.InitialOptions) != 5 {
		t.Errorf("workdays: %d options, %d checked; want 7 and Monday to Friday", len(el.Options), len(el.InitialOptions))
	}
	if el := inputElement(t, v, "tz").(*slack.SelectBlockElement); el.Type != "external_select" || el.ActionID != "tz_search" || el.InitialOption == nil || el.InitialOption.Value != "UTC" {
		t.Errorf("time zone select %+v, want an external select starting at UTC", el)
	}
	if el := inputElement(t, v, "managers").(*slack.MultiSelectBlockElement); el.Type != "multi_users_select" {
		t.Errorf("managers is a %s, want multi_users_select", el.Type)
	}
	if el := inputElement(t, v, "channel").(*slack.SelectBlockElement); el.Type != "conversations_select" {
		t.Errorf("channel is a %s, want conversations_select", el.Type)
	}

	resp := h.submit(adminID, v, goodSetup("Pacific"))
	if resp.ResponseAction != "" {
		t.Fatalf("a good submission answered %+v", resp)
	}
	team, err := h.DB.TeamByName(t.Context(), "Pacific")
	if err != nil {
		t.Fatal(err)
	}
	want := pulse.Team{
		Name: "Pacific", Managers: []string{mgrA}, Reps: []string{repA1, repB1}, Channel: "C0PACIFIC",
		TZ: "America/Los_Angeles", Lang: pulse.English, CheckInTime: pulse.MustTime("08:30"),
		Workdays:   []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday},
		MeetingDay: time.Tuesday, MeetingTime: pulse.MustTime("11:00"), SummaryDay: time.Thursday, SummaryTime: pulse.MustTime("17:15"),
		Metrics: []pulse.Metric{{Key: "calls", Name: "Calls", Target: 100}, {Key: "demos", Name: "Demos booked", Target: 5}},
	}
	if team.Name != want.Name || !slices.Equal(team.Managers, want.Managers) || !slices.Equal(team.Reps, want.Reps) ||
		team.Channel != want.Channel || team.TZ != want.TZ || team.Lang != want.Lang || team.CheckInTime != want.CheckInTime ||
		!slices.Equal(team.Workdays, want.Workdays) || team.MeetingDay != want.MeetingDay || team.MeetingTime != want.MeetingTime ||
		team.SummaryDay != want.SummaryDay || team.SummaryTime != want.SummaryTime || !slices.Equal(team.Metrics, want.Metrics) {
		t.Errorf("stored\n%+v\nwant\n%+v", *team, want)
	}
	if !slices.Equal(team.ReinforcementDays, def.ReinforcementDays) || team.CoachingCadence != def.CoachingCadence {
		t.Errorf("settings the modal does not show lost their defaults: %+v", *team)
	}
	h.dm(adminID, h.en("setup.saved_created", map[string]any{"Team": "Pacific"}))
}

func TestCommandsSetupInlineErrors(t *testing.T) {
	h := start(t, withAdmin())
	seedTeams(h)
	h.opens(adminID, "setup Pacific")
	v := h.openedView(1)
	with := func(changes state) state {
		s := goodSetup("Pacific")
		for k, val := range changes {
			s[k] = val
		}
		return s
	}
	without := func(field string) state {
		s := goodSetup("Pacific")
		delete(s, field)
		return s
	}
	tests := []struct {
		name  string
		state state
		field string
		want  string
	}{
		{"an empty name", with(state{"name": {Value: "  "}}), "name", h.en("err.team_name_empty", nil)},
		{"a name another team has", with(state{"name": {Value: "nordic"}}), "name", h.en("err.team_name_taken", map[string]any{"Name": "nordic"})},
		{"no manager", without("managers"), "managers", h.en("err.team_no_manager", nil)},
		{"an unknown zone", with(state{"tz": {ActionID: "tz_search", SelectedOption: slack.OptionBlockObject{Value: "Mars/Base"}}}), "tz", h.en("err.tz", map[string]any{"Value": "Mars/Base"})},
		{"an unknown language", with(state{"lang": {SelectedOption: slack.OptionBlockObject{Value: "xx"}}}), "lang", h.en("err.lang", map[string]any{"Value": "xx"})},
		{"no workday", with(state{"workdays": {SelectedOptions: nil}}), "workdays", h.en("err.workdays_empty", nil)},
		{"a workday that is no day", with(state{"workdays": {SelectedOptions: []slack.OptionBlockObject{{Value: "9"}}}}), "workdays", h.en("setup.day", nil)},
		{"no check-in time", without("checkin_time"), "checkin_time", h.en("err.time", map[string]any{"Value": ""})},
		{"a meeting time out of the day", with(state{"meeting_time": {SelectedTime: "25:00"}}), "meeting_time", h.en("err.time", map[string]any{"Value": "25:00"})},
		{"no summary day", without("summary_day"), "summary_day", h.en("setup.day", nil)},
		{"a metric line without a name", with(state{"metrics": {Value: "calls: Calls = 100\ndemos"}}), "metrics", h.en("setup.metric_line", map[string]any{"Line": 2, "Value": "demos"})},
		{"a metric with a negative target", with(state{"metrics": {Value: "calls: Calls = -1"}}), "metrics", h.en("setup.metric_line", map[string]any{"Line": 1, "Value": "calls: Calls = -1"})},
		{"a metric key with capitals", with(state{"metrics": {Value: "Calls: Calls = 10"}}), "metrics", h.en("err.metric", map[string]any{"Value": "Calls"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := h.submit(adminID, v, tt.state)
			if resp.ResponseAction != "errors" || resp.Errors[tt.field] != escaped(tt.want) {
				t.Errorf("answered %+v, want %q under %s", resp, escaped(tt.want), tt.field)
			}
			if n := teamCount(t, h); n != 2 {
				t.Errorf("a refused submission changed the teams: %d, want 2", n)
			}
		})
	}

	resp := h.submit(adminID, v, with(state{"name": {Value: ""}, "workdays": {}, "checkin_time": {SelectedTime: "9"}}))
	for _, f := range []string{"name", "workdays", "checkin_time"} {
		if resp.Errors[f] == "" {
			t.Errorf("three bad inputs at once: no error under %s in %+v", f, resp.Errors)
		}
	}
}

func TestCommandsSetupEditsAnExistingTeamPrefilled(t *testing.T) {
	h := start(t)
	nordic, _ := seedTeams(h)
	metricsTeam(t, h, nordic)
	h.opens(mgrA, "setup nordic")
	v := h.openedView(1)
	if v.PrivateMetadata != nordic.ID {
		t.Fatalf("modal carries %q, want Nordic's ID %s", v.PrivateMetadata, nordic.ID)
	}
	if el := inputElement(t, v, "name").(*slack.PlainTextInputBlockElement); el.InitialValue != "Nordic" {
		t.Errorf("name starts as %q", el.InitialValue)
	}
	if el := inputElement(t, v, "managers").(*slack.MultiSelectBlockElement); !slices.Equal(el.InitialUsers, nordic.Managers) {
		t.Errorf("managers start as %v, want %v", el.InitialUsers, nordic.Managers)
	}
	if el := inputElement(t, v, "reps").(*slack.MultiSelectBlockElement); !slices.Equal(el.InitialUsers, nordic.Reps) {
		t.Errorf("reps start as %v, want %v", el.InitialUsers, nordic.Reps)
	}
	if el := inputElement(t, v, "channel").(*slack.SelectBlockElement); el.InitialConversation != "C0SALES" {
		t.Errorf("channel starts as %q", el.InitialConversation)
	}
	if el := inputElement(t, v, "tz").(*slack.SelectBlockElement); el.InitialOption == nil || el.InitialOption.Value != "Europe/Oslo" {
		t.Errorf("time zone starts as %+v, want Europe/Oslo", el.InitialOption)
	}
	if el := inputElement(t, v, "meeting_day").(*slack.SelectBlockElement); el.InitialOption == nil || el.InitialOption.Text.Text != "Monday" {
		t.Errorf("meeting day starts as %+v, want Monday", el.InitialOption)
	}
	if el := inputElement(t, v, "metrics").(*slack.PlainTextInputBlockElement); el.InitialValue != "calls: Calls = 100\ndemos: Demos = 5" {
		t.Errorf("metrics start as %q", el.InitialValue)
	}

	s := goodSetup("Nordic North")
	s["managers"] = slack.BlockAction{SelectedUsers: []string{mgrA, mgrB}}
	s["reps"] = slack.BlockAction{SelectedUsers: []string{repA1}}
	// A rep of the team may not save it, nor a manager of another team.
	for _, user := range []string{repA1, mgrB} {
		if resp := h.submit(user, v, s); resp.ResponseAction != "errors" {
			t.Errorf("%s's submission answered %+v, want it refused", user, resp)
		}
	}
	if got, err := h.DB.Team(t.Context(), nordic.ID); err != nil || got.Name != "Nordic" || !slices.Equal(got.Reps, nordic.Reps) {
		t.Fatalf("refused submissions changed Nordic: %+v, %v", got, err)
	}

	if resp := h.submit(mgrA, v, s); resp.ResponseAction != "" {
		t.Fatalf("the manager's submission answered %+v", resp)
	}
	got, err := h.DB.Team(t.Context(), nordic.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Nordic North" || !slices.Equal(got.Managers, []string{mgrA, mgrB}) || !slices.Equal(got.Reps, []string{repA1}) || got.TZ != "America/Los_Angeles" {
		t.Errorf("stored %+v, want the edits", *got)
	}
	if !got.CreatedAt.Equal(nordic.CreatedAt) {
		t.Errorf("editing changed CreatedAt from %s to %s", nordic.CreatedAt, got.CreatedAt)
	}
	h.dm(mgrA, h.en("setup.saved_updated", map[string]any{"Team": "Nordic North"}))
	if n := teamCount(t, h); n != 2 {
		t.Errorf("editing made %d teams, want 2", n)
	}
}

// suggest sends the time zone select's block_suggestion for query and
// returns the options offered.
func suggest(t *testing.T, h *harness, query string) []string {
	t.Helper()
	id, err := h.Slack.SendInteraction(t.Context(), slack.InteractionCallback{
		Type:     slack.InteractionTypeBlockSuggestion,
		User:     slack.User{ID: adminID},
		ActionID: "tz_search",
		BlockID:  "tz",
		Value:    query,
		View:     slack.View{ID: "V1", CallbackID: "setup", Type: slack.VTModal},
	})
	if err != nil {
		t.Fatal(err)
	}
	a := h.ack(id, 1)
	var resp struct {
		Options *[]struct {
			Text  slack.TextBlockObject `json:"text"`
			Value string                `json:"value"`
		} `json:"options"`
	}
	if err := json.Unmarshal(a.Payload, &resp); err != nil || resp.Options == nil {
		t.Fatalf("suggestion answer %s (%v), want {\"options\":[…]}", a.Payload, err)
	}
	var out []string
	for _, o := range *resp.Options {
		if o.Text.Text != o.Value || o.Text.Type != slack.PlainTextType {
			t.Errorf("option %+v: its text should be its zone, in plain text", o)
		}
		out = append(out, o.Value)
	}
	return out
}

func TestCommandsSetupTimeZoneSearch(t *testing.T) {
	h := start(t, withAdmin())
	tests := []struct {
		name     string
		query    string
		first    string
		contains string
		max      int
	}{
		{"a city finds its zone", "oslo", "Europe/Oslo", "oslo", 1},
		{"a city in two words", "new york", "America/New_York", "new_york", 1},
		{"case does not matter", "TOKYO", "Asia/Tokyo", "tokyo", 1},
		{"a region lists its zones, at most a hundred", "america/", "", "america/", 100},
		{"an empty query lists a hundred", "", "", "", 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := suggest(t, h, tt.query)
			if len(got) == 0 || len(got) > tt.max {
				t.Fatalf("%d options, want 1 to %d: %v", len(got), tt.max, got)
			}
			if tt.first != "" && got[0] != tt.first {
				t.Errorf("first option %q, want %q", got[0], tt.first)
			}
			for _, z := range got {
				if !strings.Contains(strings.ToLower(z), tt.contains) {
					t.Errorf("option %q does not match %q", z, tt.query)
				}
			}
		})
	}
	if got := suggest(t, h, "zzzz"); len(got) != 0 {
		t.Errorf("a query nothing matches offered %v", got)
	}
	if n := len(suggest(t, h, "america/")); n != 100 {
		t.Errorf("america/ offered %d zones; Slack shows at most 100 and there are more", n)
	}
}

func TestCommandsSetupZonesAllLoad(t *testing.T) {
	if len(bot.ZoneNames) < 400 {
		t.Fatalf("%d zones; want the ~400 canonical ones", len(bot.ZoneNames))
	}
	if !slices.IsSorted(bot.ZoneNames) {
		t.Error("zones are not sorted")
	}
	for _, z := range bot.ZoneNames {
		if _, err := pulse.LoadLocation(z); err != nil {
			t.Errorf("zone %q does not load: %v", z, err)
		}
	}
}
