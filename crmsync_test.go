package pulse_test

import (
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func crmTeam() *pulse.Team {
	t := goodTeam()
	t.NumbersFrom = pulse.CRMHubSpot
	t.Workdays = append(t.Workdays, time.Sunday) // the spring-forward night is a Sunday's
	t.Metrics[0].Measure = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
	return t
}

func TestCRMSyncPointsInEachZoneAcrossDaylightSaving(t *testing.T) {
	team := crmTeam()
	oslo, ny := mustZone(t, "Europe/Oslo"), mustZone(t, "America/New_York")
	// 2026-03-29: Oslo springs forward at 02:00; New York is on summer time
	// since 03-08.
	from := time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 3, 30, 5, 0, 0, 0, time.UTC)
	got := map[string]bool{}
	for _, p := range pulse.CRMSyncPoints(team, []*time.Location{oslo, ny}, from, to) {
		got[p.Occurrence()] = true
	}
	want := []string{
		"20260329T0650Z",  // Oslo 08:50 CEST, before the 09:00 check-in
		"20260329T0700Z",  // Oslo 09:00
		"20260329T1600Z",  // Oslo 18:00, the last hourly pull
		"F20260329T2230Z", // Oslo's 23-hour day ends at 22:00Z
		"20260329T1250Z",  // New York 08:50 EDT
		"20260329T2200Z",  // New York 18:00
		"F20260330T0430Z", // New York's day ends at 04:00Z
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("no sync point %s; got %v", w, got)
		}
	}
	if got["F20260329T2330Z"] {
		t.Error("Oslo's final pull placed as if the day were 24 hours long")
	}
	// Each zone: 1 before the check-in, 10 hourly, 1 final; the hours
	// 13:00Z–16:00Z are both zones' and pulled once.
	if len(got) != 20 {
		t.Errorf("%d sync points; want 20: %v", len(got), got)
	}
}

func TestCRMSyncPointsNoneForATypedTeamOrAHoliday(t *testing.T) {
	team := crmTeam()
	from := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	to := from.Add(24 * time.Hour)
	team.Holidays = []pulse.Date{pulse.MustDate("2026-12-07"), pulse.MustDate("2026-12-06")}
	if got := pulse.CRMSyncPoints(team, nil, from, to); len(got) != 0 {
		t.Errorf("points on a holiday: %v", got)
	}
	team.Holidays = nil
	team.NumbersFrom = pulse.CRMTyped
	if got := pulse.CRMSyncPoints(team, nil, from, to); len(got) != 0 {
		t.Errorf("points for a typed team: %v", got)
	}
}

func TestMetricFigureDecidesWhichNumberCounts(t *testing.T) {
	team := crmTeam()
	calls, meetings := team.Metrics[0], team.Metrics[1]
	fig := &pulse.CRMFigure{Source: pulse.CRMHubSpot, Values: map[string]float64{"calls": 7}}
	tests := []struct {
		name     string
		topUp    bool
		m        pulse.Metric
		typed    float64
		hasTyped bool
		crm      *pulse.CRMFigure
		want     float64
		src      pulse.CRMKind
		ok       bool
	}{
		{"the CRM's number wins over a typed one", false, calls, 3, true, fig, 7, pulse.CRMHubSpot, true},
		{"a team that allows it adds what the rep typed", true, calls, 3, true, fig, 10, pulse.CRMHubSpot, true},
		{"a typed metric stays typed", false, meetings, 2, true, fig, 2, pulse.CRMTyped, true},
		{"no pull yet: no number", false, calls, 0, false, nil, 0, pulse.CRMTyped, false},
		{"no pull yet, topping up allowed: the typed number", true, calls, 4, true, nil, 4, pulse.CRMTyped, true},
		{"a figure from another CRM is stale", false, calls, 0, false, &pulse.CRMFigure{Source: pulse.CRMPipedrive, Values: map[string]float64{"calls": 9}}, 0, pulse.CRMTyped, false},
		{"an empty CRM day is zero, not missing", false, calls, 0, false, &pulse.CRMFigure{Source: pulse.CRMHubSpot}, 0, pulse.CRMHubSpot, true},
	}
	for _, tt := range tests {
		team.CRMTopUp = tt.topUp
		v, src, ok := pulse.MetricFigure(team, tt.m, tt.typed, tt.hasTyped, tt.crm)
		if v != tt.want || src != tt.src || ok != tt.ok {
			t.Errorf("%s: got %v %q %v; want %v %q %v", tt.name, v, src, ok, tt.want, tt.src, tt.ok)
		}
	}
}

func TestMatchByEmail(t *testing.T) {
	owners := []pulse.CRMOwner{{ID: "1", Email: "Ola@Example.com "}, {ID: "2", Email: ""}, {ID: "3", Email: "nia@example.com"}}
	matched, unmatched := pulse.MatchByEmail([]string{"UOLA", "UNIA", "UNOMAIL", "ULOST"},
		map[string]string{"UOLA": "ola@example.com", "UNIA": " NIA@example.com", "ULOST": "lost@example.com"}, owners)
	if matched["UOLA"].ID != "1" || matched["UNIA"].ID != "3" || len(matched) != 2 {
		t.Errorf("matched = %v", matched)
	}
	if strings.Join(unmatched, ",") != "UNOMAIL,ULOST" {
		t.Errorf("unmatched = %v; want the rep without an email and the one HubSpot lacks", unmatched)
	}
}

func TestMeasureSpecsAndOwnerIDs(t *testing.T) {
	for in, want := range map[string]pulse.MeasureSpec{
		"":                 {},
		"typed":            {},
		"calls":            {Measure: pulse.MeasureCalls},
		"Deals_Won_Amount": {Measure: pulse.MeasureDealsWonAmount},
		"activities:Demo":  {Measure: pulse.MeasureActivities, ActivityType: "Demo"},
	} {
		if got, err := pulse.ParseMeasureSpec(in); err != nil || got != want {
			t.Errorf("ParseMeasureSpec(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"coffee", "activities", "calls:Demo", "activities:" + strings.Repeat("x", 101), "activities:a\x00b", "=HYPERLINK(1)"} {
		if _, err := pulse.ParseMeasureSpec(bad); pulse.ErrorCode(err) != pulse.EINVALID {
			t.Errorf("ParseMeasureSpec(%q) = %v; want EINVALID", bad, err)
		}
	}
	for id, want := range map[string]bool{"12345": true, "005Hs00000AbCdE": true, "": false, "a/b": false, "1 OR 1=1": false, "=cmd": false, "ø": false, strings.Repeat("9", 65): false} {
		if got := pulse.ValidCRMOwnerID(id); got != want {
			t.Errorf("ValidCRMOwnerID(%q) = %v", id, got)
		}
	}
	team := crmTeam()
	team.NumbersFrom = "zoho"
	team.Metrics[1].Measure = pulse.MeasureSpec{Measure: "coffee"}
	err := team.Validate()
	if err == nil || !strings.Contains(err.Error(), "zoho") || !strings.Contains(err.Error(), "measure") {
		t.Errorf("Validate = %v; want the unknown CRM and measure refused", err)
	}
}

func TestSummaryCountsTheCRMsNumbers(t *testing.T) {
	team := crmTeam() // calls from HubSpot, meetings typed
	week := pulse.MustDate("2026-03-02")
	rep := team.Reps[0]
	in := pulse.SummaryInput{
		Through: week.AddDays(4),
		CheckIns: []pulse.CheckIn{{TeamID: team.ID, UserID: rep, Date: week, Status: pulse.CheckInOnTime, Energy: 4,
			Metrics: map[string]float64{"calls": 50, "meetings": 2}}},
		CRM: []pulse.CRMFigure{
			{TeamID: team.ID, Rep: rep, Day: week, Source: pulse.CRMHubSpot, Values: map[string]float64{"calls": 7}},
			// A day the rep did not check in still counts: the calls were made.
			{TeamID: team.ID, Rep: rep, Day: week.AddDays(1), Source: pulse.CRMHubSpot, Values: map[string]float64{"calls": 5}},
			// Another CRM's stale figure, another team's rep, last week's day.
			{TeamID: team.ID, Rep: rep, Day: week.AddDays(2), Source: pulse.CRMPipedrive, Values: map[string]float64{"calls": 100}},
			{TeamID: team.ID, Rep: "UOTHER", Day: week, Source: pulse.CRMHubSpot, Values: map[string]float64{"calls": 100}},
			{TeamID: team.ID, Rep: rep, Day: week.AddDays(-1), Source: pulse.CRMHubSpot, Values: map[string]float64{"calls": 100}},
		},
	}
	totals := func() map[string]pulse.MetricTotal {
		out := map[string]pulse.MetricTotal{}
		for _, m := range pulse.Summarize(team, week, in).Metrics {
			out[m.Key] = m
		}
		return out
	}
	got := totals()
	if got["calls"].Total != 12 || got["calls"].Source != pulse.CRMHubSpot || got["meetings"].Total != 2 || got["meetings"].Source != pulse.CRMTyped {
		t.Errorf("totals = %+v; want 12 calls from HubSpot (the typed 50 ignored) and 2 typed meetings", got)
	}
	team.CRMTopUp = true
	if got := totals(); got["calls"].Total != 62 {
		t.Errorf("with topping up, calls = %v; want HubSpot's 12 and the 50 typed", got["calls"].Total)
	}
}
