package pulse_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

// fields returns the names of the fields a validation error complains about.
func fields(t *testing.T, err error) []string {
	t.Helper()
	var v pulse.ValidationErrors
	if !errors.As(err, &v) {
		t.Fatalf("error %v is not ValidationErrors", err)
	}
	var out []string
	for _, e := range v {
		out = append(out, e.Field)
	}
	return out
}

func wantFields(t *testing.T, err error, want ...string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("Validate() = %v, want nil", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("Validate() = nil, want errors on %v", want)
	}
	got := fields(t, err)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("Validate() complains about %v, want %v (%v)", got, want, err)
	}
	if pulse.ErrorCode(err) != pulse.EINVALID {
		t.Fatalf("ErrorCode = %q, want %q", pulse.ErrorCode(err), pulse.EINVALID)
	}
}

func goodTeam() *pulse.Team {
	t := pulse.NewTeam("Nordic Sales", "Europe/Oslo")
	t.Managers = []string{"UMANAGER1"}
	t.Reps = []string{"UREP00001", "UREP00002"}
	t.Channel = "CSALES001"
	t.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 100}, {Key: "meetings", Name: "Meetings booked", Target: 5}}
	return t
}

func TestTeamValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*pulse.Team)
		want   []string
	}{
		{"a complete team is valid", func(*pulse.Team) {}, nil},
		{"a team without a manager is refused", func(t *pulse.Team) { t.Managers = nil }, []string{"managers"}},
		{"a blank name is refused", func(t *pulse.Team) { t.Name = "   " }, []string{"name"}},
		{"a name over 80 characters is refused", func(t *pulse.Team) { t.Name = strings.Repeat("Ø", 81) }, []string{"name"}},
		{"a time zone Go does not know is refused", func(t *pulse.Team) { t.TZ = "Europe/Atlantis" }, []string{"tz"}},
		{"the server's Local zone is refused", func(t *pulse.Team) { t.TZ = "Local" }, []string{"tz"}},
		{"an unknown language is refused", func(t *pulse.Team) { t.Lang = "de" }, []string{"lang"}},
		{"no workdays is refused", func(t *pulse.Team) { t.Workdays = nil }, []string{"workdays"}},
		{"a check-in time past midnight is refused", func(t *pulse.Team) { t.CheckInTime = 24 * 60 }, []string{"checkin_time"}},
		{"a malformed rep ID is refused", func(t *pulse.Team) { t.Reps = append(t.Reps, "<@U123|bob>") }, []string{"reps"}},
		{"a malformed channel is refused", func(t *pulse.Team) { t.Channel = "#sales" }, []string{"channel"}},
		{"a coaching cadence of zero days is refused", func(t *pulse.Team) { t.CoachingCadence = 0 }, []string{"coaching_cadence"}},
		{"eleven metrics are refused", func(t *pulse.Team) {
			for i := 0; i < 9; i++ {
				t.Metrics = append(t.Metrics, pulse.Metric{Key: "m" + string(rune('a'+i)), Name: "M", Target: 1})
			}
		}, []string{"metrics"}},
		{"a repeated metric key is refused", func(t *pulse.Team) { t.Metrics[1].Key = "calls" }, []string{"metrics"}},
		{"a negative target is refused", func(t *pulse.Team) { t.Metrics[0].Target = -1 }, []string{"metrics"}},
		{"every problem is reported at once", func(t *pulse.Team) { t.Managers = nil; t.TZ = "Mars/Base" }, []string{"managers", "tz"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			team := goodTeam()
			tt.change(team)
			wantFields(t, team.Validate(), tt.want...)
		})
	}
}

func TestTeamWorkdays(t *testing.T) {
	team := goodTeam()
	team.Holidays = []pulse.Date{pulse.MustDate("2026-12-24")}
	tests := []struct {
		day  string
		want bool
	}{
		{"2026-11-23", true},  // Monday
		{"2026-11-28", false}, // Saturday
		{"2026-11-29", false}, // Sunday
		{"2026-12-24", false}, // Thursday, a team holiday
		{"2026-12-23", true},  // Wednesday
	}
	for _, tt := range tests {
		if got := team.IsWorkday(pulse.MustDate(tt.day)); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}
}

func TestCheckInValidate(t *testing.T) {
	team := goodTeam()
	good := func() *pulse.CheckIn {
		return &pulse.CheckIn{
			TeamID: "T1", UserID: "UREP00001", Date: pulse.MustDate("2026-11-23"), Status: pulse.CheckInOnTime,
			Results: "3 demos", Plan: "Call the Bergen leads", Energy: 4,
			Metrics: map[string]float64{"calls": 25, "meetings": 2},
		}
	}
	tests := []struct {
		name   string
		change func(*pulse.CheckIn)
		want   []string
	}{
		{"a complete check-in is valid", func(*pulse.CheckIn) {}, nil},
		{"energy 0 is refused", func(c *pulse.CheckIn) { c.Energy = 0 }, []string{"energy"}},
		{"energy 9 is refused", func(c *pulse.CheckIn) { c.Energy = 9 }, []string{"energy"}},
		{"energy 5 is accepted", func(c *pulse.CheckIn) { c.Energy = 5 }, nil},
		{"an empty plan is refused", func(c *pulse.CheckIn) { c.Plan = "  \n" }, []string{"plan"}},
		{"50,000 characters of results are refused", func(c *pulse.CheckIn) { c.Results = strings.Repeat("x", 50000) }, []string{"results"}},
		{"3,000 Cyrillic characters fit, counted as characters", func(c *pulse.CheckIn) { c.Results = strings.Repeat("ж", 3000) }, nil},
		{"3,001 characters of blocker are refused", func(c *pulse.CheckIn) { c.Blocker = strings.Repeat("b", 3001) }, []string{"blocker"}},
		{"a metric the team does not track is refused", func(c *pulse.CheckIn) { c.Metrics["revenue"] = 1 }, []string{"metric_revenue"}},
		{"a negative metric is refused", func(c *pulse.CheckIn) { c.Metrics["calls"] = -3 }, []string{"metric_calls"}},
		{"a NaN metric is refused", func(c *pulse.CheckIn) { c.Metrics["calls"] = math.NaN() }, []string{"metric_calls"}},
		{"invalid UTF-8 is refused", func(c *pulse.CheckIn) { c.Plan = "ok \xff" }, []string{"plan"}},
		{"a missed day needs no answers", func(c *pulse.CheckIn) { *c = pulse.CheckIn{Status: pulse.CheckInMissed} }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.change(c)
			wantFields(t, c.Validate(team), tt.want...)
		})
	}
}

func TestAwayPeriodValidate(t *testing.T) {
	d := pulse.MustDate
	tests := []struct {
		name     string
		from, to pulse.Date
		want     []string
	}{
		{"one day away is valid", d("2026-11-25"), d("2026-11-25"), nil},
		{"a week away is valid", d("2026-11-23"), d("2026-11-29"), nil},
		{"an end before the start is refused", d("2026-11-25"), d("2026-11-24"), []string{"to"}},
		{"more than a year is refused", d("2026-01-01"), d("2027-06-01"), []string{"to"}},
		{"a missing start is refused", pulse.Date{}, d("2026-11-24"), []string{"from"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &pulse.AwayPeriod{UserID: "UREP00001", From: tt.from, To: tt.to}
			wantFields(t, a.Validate(), tt.want...)
		})
	}
	a := pulse.AwayPeriod{UserID: "UREP00001", From: d("2026-11-25"), To: d("2026-11-26")}
	for day, want := range map[string]bool{"2026-11-24": false, "2026-11-25": true, "2026-11-26": true, "2026-11-27": false} {
		if got := pulse.IsAway([]pulse.AwayPeriod{a}, d(day)); got != want {
			t.Errorf("IsAway(%s) = %v, want %v", day, got, want)
		}
	}
}

func TestOtherValidations(t *testing.T) {
	long := strings.Repeat("a", pulse.MaxTextLen+1)
	week := pulse.MustDate("2026-11-23")
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"a commitment with text is valid", (&pulse.Commitment{Text: "Book 5 meetings", Week: week, Status: pulse.CommitmentOpen}).Validate(goodTeam()), nil},
		{"an empty commitment is refused", (&pulse.Commitment{Text: " ", Week: week, Status: pulse.CommitmentOpen}).Validate(goodTeam()), []string{"text"}},
		{"a commitment for a Tuesday week is refused", (&pulse.Commitment{Text: "x", Week: week.AddDays(1), Status: pulse.CommitmentOpen}).Validate(goodTeam()), []string{"week"}},
		{"a commitment on an unknown metric is refused", (&pulse.Commitment{Text: "x", Week: week, Metric: "revenue", Status: pulse.CommitmentOpen}).Validate(goodTeam()), []string{"metric"}},
		{"a training without attendees is refused", (&pulse.Training{Skill: "Objection handling", Date: week}).Validate(), []string{"attendees"}},
		{"a training with a 101-character skill is refused", (&pulse.Training{Skill: strings.Repeat("s", 101), Date: week, Attendees: []string{"UREP00001"}}).Validate(), []string{"skill"}},
		{"an applied nudge needs a report", (&pulse.Nudge{Response: pulse.NudgeApplied}).Validate(), []string{"report"}},
		{"1:1 notes over the limit are refused", (&pulse.CoachingSession{RepID: "UREP00001", Date: week, Notes: long}).Validate(), []string{"notes"}},
		{"kudos to oneself are refused", (&pulse.Kudos{From: "UREP00001", To: "UREP00001", Text: "me!"}).Validate(), []string{"to"}},
		{"kudos without text are refused", (&pulse.Kudos{From: "UREP00001", To: "UREP00002"}).Validate(), []string{"text"}},
		{"a goal over 500 characters is refused", (&pulse.Person{ID: "UREP00001", Goal: strings.Repeat("g", 501)}).Validate(), []string{"goal"}},
		{"an unknown personal time zone is refused", (&pulse.Person{ID: "UREP00001", TZOverride: "Nowhere/City"}).Validate(), []string{"tz"}},
		{"a blocker without text is refused", (&pulse.Blocker{Status: pulse.BlockerOpen}).Validate(), []string{"blocker"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantFields(t, tt.err, tt.want...) })
	}
}

func TestPersonLanguageAndZone(t *testing.T) {
	tests := []struct {
		name string
		p    *pulse.Person
		team pulse.Lang
		want pulse.Lang
	}{
		{"a person's own choice wins", &pulse.Person{Lang: pulse.Russian, Locale: "pl-PL"}, pulse.Norwegian, pulse.Russian},
		{"a Slack locale naming a language Pulse speaks comes next", &pulse.Person{Locale: "ru-RU"}, pulse.Polish, pulse.Russian},
		{"an English Slack locale tells nothing, so the team's language applies", &pulse.Person{Locale: "en-US"}, pulse.Norwegian, pulse.Norwegian},
		{"no person falls back to the team", nil, pulse.Polish, pulse.Polish},
		{"nothing at all falls back to English", &pulse.Person{}, "", pulse.English},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Language(tt.team); got != tt.want {
				t.Fatalf("Language = %s, want %s", got, tt.want)
			}
		})
	}
	p := &pulse.Person{TZ: "America/New_York", TZOverride: "Asia/Tokyo"}
	if got := p.Zone(time.UTC).String(); got != "Asia/Tokyo" {
		t.Errorf("Zone with an override = %s, want Asia/Tokyo", got)
	}
	p.TZOverride = ""
	if got := p.Zone(time.UTC).String(); got != "America/New_York" {
		t.Errorf("Zone from Slack = %s, want America/New_York", got)
	}
	if got := (&pulse.Person{TZ: "Bad/Zone"}).Zone(time.UTC); got != time.UTC {
		t.Errorf("Zone with a bad Slack zone = %s, want the fallback", got)
	}
}

func TestJobKey(t *testing.T) {
	k := pulse.JobKey{Kind: pulse.JobCheckIn, TeamID: "T1", UserID: "U1", Occurrence: "2026-11-23"}
	if got := k.String(); got != "checkin/T1/U1/2026-11-23" {
		t.Fatalf("String = %s", got)
	}
	back, ok := pulse.ParseJobKey(k.String())
	if !ok || back != k {
		t.Fatalf("ParseJobKey = %v, %v; want %v", back, ok, k)
	}
	channelJob := pulse.JobKey{Kind: pulse.JobSummary, TeamID: "T1", Occurrence: "2026-11-23"}
	if !channelJob.Valid() {
		t.Fatal("a channel job without a user is valid")
	}
	if (pulse.JobKey{Kind: pulse.JobCheckIn, TeamID: "T/1", Occurrence: "x"}).Valid() {
		t.Fatal("a slash inside a part must make the key invalid")
	}
}

func TestErrorKeyHidesInternals(t *testing.T) {
	key, _ := pulse.ErrorKey(errors.New("bolt: page 42 corrupt"))
	if key != "err.internal" {
		t.Fatalf("ErrorKey of a plain error = %s, want err.internal", key)
	}
	key, data := pulse.ErrorKey(pulse.Errorf(pulse.EINVALID, "err.date", map[string]any{"Value": "x"}, "bad"))
	if key != "err.date" || data["Value"] != "x" {
		t.Fatalf("ErrorKey = %s %v", key, data)
	}
	if pulse.ErrorCode(nil) != "" || pulse.ErrorCode(errors.New("x")) != pulse.EINTERNAL {
		t.Fatal("ErrorCode of nil or a plain error is wrong")
	}
}

func TestImplementationRate(t *testing.T) {
	sent := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	nudges := []pulse.Nudge{
		{SentAt: sent, Response: pulse.NudgeApplied},
		{SentAt: sent, Response: pulse.NudgeNotYet},
		{SentAt: sent},
		{SentAt: sent, Response: pulse.NudgeApplied},
		{}, // not sent yet: does not count
	}
	rate, ok := pulse.ImplementationRate(nudges)
	if !ok || rate != 0.5 {
		t.Fatalf("ImplementationRate = %v, %v; want 0.5, true", rate, ok)
	}
	if _, ok := pulse.ImplementationRate(nil); ok {
		t.Fatal("ImplementationRate of nothing must say there is no rate")
	}
}

func TestValidationErrorsMerge(t *testing.T) {
	read := pulse.FieldError("name", "err.form", nil, "unreadable")
	named := pulse.FieldError("name", "err.team_name", nil, "taken")
	tz := pulse.FieldError("tz", "err.zone", nil, "bad zone")
	plain := errors.New("disk full")
	tests := []struct {
		name      string
		have      pulse.ValidationErrors
		err       error
		wantField []string
		wantKey   []string
		wantErr   error
	}{
		{"new fields are added", nil, pulse.ValidationErrors{named, tz}, []string{"name", "tz"}, []string{"err.team_name", "err.zone"}, nil},
		{"a field already explained keeps its first error", pulse.ValidationErrors{read}, pulse.ValidationErrors{named, tz}, []string{"name", "tz"}, []string{"err.form", "err.zone"}, nil},
		{"wrapped field errors are found", nil, fmt.Errorf("save: %w", pulse.ValidationErrors{tz}), []string{"tz"}, []string{"err.zone"}, nil},
		{"an error without fields comes back", pulse.ValidationErrors{read}, plain, []string{"name"}, []string{"err.form"}, plain},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.have.Merge(tt.err)
			if err != tt.wantErr {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			var fields, keys []string
			for _, e := range got {
				fields, keys = append(fields, e.Field), append(keys, e.Key)
			}
			if !slices.Equal(fields, tt.wantField) || !slices.Equal(keys, tt.wantKey) {
				t.Errorf("fields %v keys %v, want %v %v", fields, keys, tt.wantField, tt.wantKey)
			}
		})
	}
}
