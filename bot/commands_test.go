package bot_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

func TestCommandsLangSetsTheLanguageAndAnswersInIt(t *testing.T) {
	h := start(t)
	got := h.command(repA1, "lang nb")
	want := h.Bot.Catalog().T(pulse.Norwegian, "commands.lang_saved", map[string]any{"Lang": "Norsk bokmål"})
	wantText(t, "/pulse lang nb", got, want)
	p, err := h.DB.Person(t.Context(), repA1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Lang != pulse.Norwegian {
		t.Errorf("stored language %q, want nb", p.Lang)
	}
}

func TestCommandsLangRefusesWhatIsNotALanguage(t *testing.T) {
	tests := []struct {
		name string
		args string
	}{
		{"an unknown language", "xx"},
		{"no language at all", ""},
		{"a language with extra words", "en please"},
	}
	h := start(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := h.command(repA1, strings.TrimSpace("lang "+tt.args))
			wantText(t, "/pulse lang "+tt.args, got, escaped(h.en("err.lang", map[string]any{"Value": tt.args})))
			if _, err := h.DB.Person(t.Context(), repA1); !pulse.IsNotFound(err) {
				t.Errorf("a refused /pulse lang stored the person (err %v)", err)
			}
		})
	}
}

func TestCommandsGoal(t *testing.T) {
	h := start(t)
	seedTeams(h)
	got := h.command(repA1, "goal Close 10 deals this quarter")
	wantText(t, "/pulse goal", got, h.en("commands.goal_saved", map[string]any{"Goal": "Close 10 deals this quarter"}))
	p, err := h.DB.Person(t.Context(), repA1)
	if err != nil || p.Goal != "Close 10 deals this quarter" {
		t.Fatalf("stored person %+v, %v; want the goal", p, err)
	}

	// Slack sends a typed & as &amp;: the goal is stored as typed and
	// escaped again when shown.
	got = h.command(repA2, "goal Win &amp; grow &lt;3")
	wantText(t, "/pulse goal with an ampersand", got, h.en("commands.goal_saved", map[string]any{"Goal": "Win &amp; grow &lt;3"}))
	if p, err := h.DB.Person(t.Context(), repA2); err != nil || p.Goal != "Win & grow <3" {
		t.Errorf("stored goal %q (%v), want it as typed", p.Goal, err)
	}

	refusals := []struct {
		name string
		user string
		args string
		want string
	}{
		{"an empty goal", repA1, "goal", h.en("commands.goal_usage", nil)},
		{"a goal over the limit", repA1, "goal " + strings.Repeat("g", pulse.MaxGoalLen+1), h.en("err.too_long", map[string]any{"Max": pulse.MaxGoalLen})},
		{"someone in no team", outsider, "goal Win", h.en("commands.no_team", nil)},
		{"a manager who is no rep", mgrA, "goal Win", h.en("deny.checkin", nil)},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			wantText(t, tt.args, h.command(tt.user, tt.args), escaped(tt.want))
			p, err := h.DB.Person(t.Context(), repA1)
			if err != nil || p.Goal != "Close 10 deals this quarter" {
				t.Errorf("after a refusal the goal is %q (%v), want it unchanged", p.Goal, err)
			}
			if tt.user != repA1 {
				if _, err := h.DB.Person(t.Context(), tt.user); !pulse.IsNotFound(err) {
					t.Errorf("a refusal stored %s (err %v)", tt.user, err)
				}
			}
		})
	}
}

func TestCommandsAway(t *testing.T) {
	h := start(t)
	seedTeams(h)
	wantText(t, "one day", h.command(repA1, "away 2026-03-10"), h.en("commands.away_saved_day", map[string]any{"Day": "Tue 10 Mar"}))
	wantText(t, "a span", h.command(repA1, "away 2026-04-01 2026-04-03"), h.en("commands.away_saved", map[string]any{"From": "Wed 1 Apr", "To": "Fri 3 Apr"}))
	got, err := h.DB.AwayPeriods(t.Context(), repA1)
	if err != nil {
		t.Fatal(err)
	}
	want := []pulse.AwayPeriod{
		{UserID: repA1, From: pulse.MustDate("2026-03-10"), To: pulse.MustDate("2026-03-10")},
		{UserID: repA1, From: pulse.MustDate("2026-04-01"), To: pulse.MustDate("2026-04-03")},
	}
	if len(got) != len(want) {
		t.Fatalf("stored %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].UserID != want[i].UserID || got[i].From != want[i].From || got[i].To != want[i].To {
			t.Errorf("away %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	refusals := []struct {
		name string
		user string
		args string
		want string
	}{
		{"an impossible date", repA1, "away 2026-13-40", h.en("err.date", map[string]any{"Value": "2026-13-40"})},
		{"an impossible end", repA1, "away 2026-03-10 2026-02-30", h.en("err.date", map[string]any{"Value": "2026-02-30"})},
		{"an end before the start", repA1, "away 2026-03-10 2026-03-09", h.en("err.date_order", map[string]any{"From": "2026-03-10", "To": "2026-03-09"})},
		{"extra words", repA1, "away 2026-03-10 2026-03-11 and more", h.en("commands.away_usage", nil)},
		{"a year and more", repA1, "away 2026-03-10 2027-06-01", h.en("err.away_too_long", map[string]any{"Max": 366})},
		{"someone in no team", outsider, "away 2026-03-10", h.en("commands.no_team", nil)},
		{"a manager who is no rep", mgrA, "away 2026-03-10", h.en("deny.checkin", nil)},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			wantText(t, tt.args, h.command(tt.user, tt.args), escaped(tt.want))
			for _, u := range []string{repA1, tt.user} {
				got, err := h.DB.AwayPeriods(t.Context(), u)
				if err != nil {
					t.Fatal(err)
				}
				if n := map[bool]int{true: 2, false: 0}[u == repA1]; len(got) != n {
					t.Errorf("after a refusal %s has %d away periods, want %d", u, len(got), n)
				}
			}
		})
	}
}

func TestCommandsAwayModal(t *testing.T) {
	h := start(t)
	seedTeams(h)
	h.opens(repA1, "away")
	v := h.openedView(1)
	if v.CallbackID != "away" {
		t.Fatalf("opened %q, want the away modal", v.CallbackID)
	}
	if got, want := labels(v), []string{"First day away", "Last day away"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("labels %q, want %q", got, want)
	}
	if el := inputElement(t, v, "from").(*slack.DatePickerBlockElement); el.InitialDate != "2026-03-02" {
		t.Errorf("from starts at %q, want today 2026-03-02", el.InitialDate)
	}

	resp := h.submit(repA1, v, state{"from": {SelectedDate: "2026-03-12"}, "to": {SelectedDate: "2026-03-11"}})
	if resp.ResponseAction != "errors" || resp.Errors["to"] != escaped(h.en("err.date_order", map[string]any{"From": "2026-03-12", "To": "2026-03-11"})) {
		t.Errorf("an end before the start answered %+v, want an error under to", resp)
	}
	resp = h.submit(repA1, v, state{"from": {SelectedDate: "2026-13-40"}, "to": {SelectedDate: "2026-03-11"}})
	if resp.ResponseAction != "errors" || resp.Errors["from"] == "" {
		t.Errorf("an impossible start answered %+v, want an error under from", resp)
	}
	if got, _ := h.DB.AwayPeriods(t.Context(), repA1); len(got) != 0 {
		t.Fatalf("refused submissions stored %+v", got)
	}

	resp = h.submit(repA1, v, state{"from": {SelectedDate: "2026-03-12"}, "to": {SelectedDate: "2026-03-13"}})
	if resp.ResponseAction != "" {
		t.Fatalf("a good submission answered %+v, want the modal closed", resp)
	}
	got, err := h.DB.AwayPeriods(t.Context(), repA1)
	if err != nil || len(got) != 1 || got[0].From != pulse.MustDate("2026-03-12") || got[0].To != pulse.MustDate("2026-03-13") {
		t.Fatalf("stored %+v, %v; want 2026-03-12 to 2026-03-13", got, err)
	}
	h.dm(repA1, h.en("commands.away_saved", map[string]any{"From": "Thu 12 Mar", "To": "Fri 13 Mar"}))

	// Someone who left every team since the modal opened is refused.
	resp = h.submit(outsider, v, state{"from": {SelectedDate: "2026-03-12"}, "to": {SelectedDate: "2026-03-13"}})
	if resp.ResponseAction != "errors" {
		t.Errorf("an outsider's submission answered %+v, want it refused", resp)
	}
	if got, _ := h.DB.AwayPeriods(t.Context(), outsider); len(got) != 0 {
		t.Errorf("an outsider's submission stored %+v", got)
	}
}

func TestCommandsExportIsRefusedToAnyoneButTheTeamsManagers(t *testing.T) {
	h := start(t)
	seedTeams(h)
	wantText(t, "a rep's export", h.command(repA1, "export 2026-03-01 2026-03-31"), escaped(h.en("deny.export", nil)))
	wantText(t, "an outsider's export", h.command(outsider, "export"), escaped(h.en("deny.export", nil)))
	if n := len(h.Slack.CallsTo("files.completeUploadExternal")); n != 0 {
		t.Errorf("a refused export uploaded %d files", n)
	}
}

// keyRef matches the catalogue keys of the commands' own areas in Go source.
// A key ending in "_" is a prefix, checked with its suffixes below.
var keyRef = regexp.MustCompile(`"((?:commands|setup)\.[a-z_]*[a-z])"`)

func TestCommandsEveryKeyHasAnEnglishSentence(t *testing.T) {
	h := start(t)
	cat := h.Bot.Catalog()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRef.FindAllStringSubmatch(string(src), -1) {
			n++
			if !cat.Has(pulse.English, m[1]) {
				t.Errorf("%s uses %q, which has no English sentence", f, m[1])
			}
		}
	}
	// Keys built from a prefix: each label, day and review status.
	for _, k := range []string{"setup.label_", "setup.day_", "commands.review_marked_"} {
		for _, suffix := range map[string][]string{
			"setup.label_":            {"name", "managers", "reps", "channel", "tz", "lang", "checkin_time", "workdays", "meeting_day", "meeting_time", "summary_day", "summary_time", "metrics"},
			"setup.day_":              {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"},
			"commands.review_marked_": {"kept", "partly", "missed"},
		}[k] {
			if !cat.Has(pulse.English, k+suffix) {
				t.Errorf("no English sentence for %s%s", k, suffix)
			}
		}
	}
	if n < 20 {
		t.Fatalf("found %d keys; the scan is broken", n)
	}
}
