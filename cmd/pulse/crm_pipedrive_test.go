package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/pipedrive"
	"github.com/salespulse/pulse/crm/pipedrive/pipedrivetest"
	"github.com/salespulse/pulse/storage"
)

// pipedriveEnv is an environment with a Pipedrive token and domain, plus extra.
func pipedriveEnv(extra map[string]string) map[string]string {
	env := goodEnv(extra)
	env["PULSE_PIPEDRIVE_TOKEN"] = pipedrivetest.DefaultToken
	env["PULSE_PIPEDRIVE_DOMAIN"] = "acme"
	return env
}

// pipedriveFromEnv loads the configuration and builds the Pipedrive client
// from it, as pulse run does, pointed at the stand-in s on clock c.
func pipedriveFromEnv(t *testing.T, env map[string]string, s *pipedrivetest.Server, c *pulse.ManualClock) *pipedrive.Client {
	t.Helper()
	cfg, err := loadConfig(envOf(env))
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	if _, ok := mustCRMs(t, cfg)[pulse.CRMPipedrive].(*pipedrive.Client); !ok {
		t.Fatal("pulse run builds no Pipedrive client from a token and a domain")
	}
	cl, err := cfg.pipedriveClient(pipedrive.WithBaseURL(s.URL()), pipedrive.WithClock(c.Now, c.Sleep), pipedrive.WithConcurrency(1))
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

func mustCRMs(t *testing.T, cfg *Config) map[pulse.CRMKind]pulse.CRM {
	t.Helper()
	crms, err := cfg.CRMs()
	if err != nil {
		t.Fatal(err)
	}
	return crms
}

// The variables' defaults are the client's: a company that sets nothing
// counts what it counted before.
func TestPipedriveSettingsDefaultToTheClients(t *testing.T) {
	cfg, err := loadConfig(envOf(pipedriveEnv(nil)))
	if err != nil {
		t.Fatal(err)
	}
	cl := mustCRMs(t, cfg)[pulse.CRMPipedrive].(*pipedrive.Client)
	if cl.ActivityTypes() != pipedrive.DefaultActivityTypes {
		t.Errorf("types %+v, want the client's defaults %+v", cl.ActivityTypes(), pipedrive.DefaultActivityTypes)
	}
	if cl.BurstLimit() != pipedrive.LiteLimit || cfg.PipedrivePlan != pipedrive.DefaultPlan {
		t.Errorf("plan %q paced to %+v, want %q at Lite's limit", cfg.PipedrivePlan, cl.BurstLimit(), pipedrive.DefaultPlan)
	}
}

func TestPipedriveCountsTheConfiguredCallType(t *testing.T) {
	c := pulse.NewManualClock(time.Date(2026, 3, 12, 8, 0, 0, 0, time.UTC))
	s := pipedrivetest.NewServer(pipedrivetest.WithClock(c.Now))
	defer s.Close()
	rep := s.AddUser("Ola Oslo", "ola@example.com")
	done := time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)
	s.AddActivity(pipedrivetest.Activity{Owner: rep, Type: "phone_call", Added: done.Add(-time.Hour), Done: done})
	s.AddActivity(pipedrivetest.Activity{Owner: rep, Type: "phone_call", Added: done.Add(-time.Hour), Done: done.Add(2 * time.Minute)})
	s.AddActivity(pipedrivetest.Activity{Owner: rep, Type: "call", Added: done.Add(-time.Hour), Done: done.Add(time.Minute)})
	s.AddActivity(pipedrivetest.Activity{Owner: rep, Type: "demo", Added: done.AddDate(0, 0, -7), Due: done, Done: done})

	owner := fmt.Sprint(rep)
	day := pulse.MustDate("2026-03-10")
	calls := pulse.MeasureSpec{Measure: pulse.MeasureCalls}
	held := pulse.MeasureSpec{Measure: pulse.MeasureMeetingsHeld}
	q := pulse.CRMQuery{Owners: []string{owner}, Zones: map[string]*time.Location{owner: time.UTC}, From: day, To: day, Measures: []pulse.MeasureSpec{calls, held}}

	tests := []struct {
		name                string
		env                 map[string]string
		wantCalls, wantHeld float64
	}{
		{"by default only the type call is a call", nil, 1, 0},
		{"PULSE_PIPEDRIVE_CALL_TYPE=phone_call counts the two phone calls, not the call", map[string]string{"PULSE_PIPEDRIVE_CALL_TYPE": "phone_call"}, 2, 0},
		{"and the meeting type of the company's own", map[string]string{"PULSE_PIPEDRIVE_CALL_TYPE": " phone_call", "PULSE_PIPEDRIVE_MEETING_TYPE": "demo "}, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := pipedriveFromEnv(t, pipedriveEnv(tt.env), s, c)
			figs, err := cl.Figures(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			got := figs[owner][day]
			if got[calls] != tt.wantCalls || got[held] != tt.wantHeld {
				t.Errorf("calls %v, meetings held %v; want %v and %v", got[calls], got[held], tt.wantCalls, tt.wantHeld)
			}
		})
	}
}

// The plan's burst limit is the pace: on Growth, 100 requests go out as
// fast as 40 in 2 s allows, twice Lite's pace, and none meets a 429 from a
// stand-in holding Growth's limit. The clock is moved by the client's own
// waits, so the span is the pace's, not the machine's.
func TestPipedrivePacesToThePlansBurstLimit(t *testing.T) {
	for _, tt := range []struct {
		plan     string
		requests int
	}{{"lite", 20}, {"growth", 40}, {"premium", 100}, {"ultimate", 120}} {
		t.Run(tt.plan, func(t *testing.T) {
			c := pulse.NewManualClock(time.Date(2026, 3, 12, 8, 0, 0, 0, time.UTC))
			s := pipedrivetest.NewServer(pipedrivetest.WithClock(c.Now), pipedrivetest.WithBurstLimit(tt.requests, 2*time.Second))
			defer s.Close()
			var owners []string
			zones := map[string]*time.Location{}
			for i := range 50 {
				o := fmt.Sprint(s.AddUser(fmt.Sprint("Rep ", i), fmt.Sprintf("rep%d@example.com", i)))
				owners = append(owners, o)
				zones[o] = time.UTC
			}
			cl := pipedriveFromEnv(t, pipedriveEnv(map[string]string{"PULSE_PIPEDRIVE_PLAN": tt.plan}), s, c)
			if got := cl.BurstLimit(); got.Requests != tt.requests || got.Window != 2*time.Second {
				t.Fatalf("paced to %+v, want %d per 2s", got, tt.requests)
			}
			day := pulse.MustDate("2026-03-10")
			q := pulse.CRMQuery{Owners: owners, Zones: zones, From: day, To: day, Measures: []pulse.MeasureSpec{{Measure: pulse.MeasureCalls}, {Measure: pulse.MeasureDealsWon}}}
			if _, err := cl.Figures(context.Background(), q); err != nil {
				t.Fatal(err)
			}
			calls := s.Calls()
			if len(calls) != 100 {
				t.Fatalf("%d calls, want 100", len(calls))
			}
			for i, call := range calls {
				if call.Status != http.StatusOK {
					t.Fatalf("call %d: status %d", i, call.Status)
				}
			}
			// 99 gaps of 2 s / (limit − 1), the pace the limit allows.
			most := 99*2*time.Second/time.Duration(tt.requests-1) + time.Millisecond
			if span := calls[99].At.Sub(calls[0].At); span > most || span < most*9/10 {
				t.Errorf("100 calls took %s, want the plan's pace, %s", span, most)
			}
		})
	}
}

func TestCRMCheckPrintsThePipedriveTypesAndPlanAndNoToken(t *testing.T) {
	ctx := context.Background()
	c := pulse.NewManualClock(time.Date(2026, 3, 12, 8, 0, 0, 0, time.UTC))
	s := pipedrivetest.NewServer(pipedrivetest.WithClock(c.Now))
	defer s.Close()
	s.AddUser("Ola Oslo", "ola@example.com")

	db, err := storage.Open(filepath.Join(t.TempDir(), "pulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	team := pulse.NewTeam("Nordic", "Europe/Oslo")
	team.Managers, team.Reps = []string{"UBOSS"}, []string{"UOLA"}
	team.NumbersFrom = pulse.CRMPipedrive
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Measure: pulse.MeasureSpec{Measure: pulse.MeasureCalls}}}
	if err := db.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}

	env := pipedriveEnv(map[string]string{"PULSE_PIPEDRIVE_CALL_TYPE": "phone_call", "PULSE_PIPEDRIVE_PLAN": "Premium"})
	cfg, err := loadCRMConfig(envOf(env))
	if err != nil {
		t.Fatal(err)
	}
	crms := mustCRMs(t, cfg)
	crms[pulse.CRMPipedrive] = pipedriveFromEnv(t, env, s, c)
	var out bytes.Buffer
	healthy, err := crmCheck(ctx, db, crms, cfg.crmNotes(crms), &out)
	if err != nil || !healthy {
		t.Fatalf("healthy %v, err %v:\n%s", healthy, err, out.String())
	}
	want := "Pipedrive: ok, 1 users\n  calls are activities of type \"phone_call\", meetings of type \"meeting\"; plan premium, paced under 100 requests per 2s\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
	if strings.Contains(out.String(), pipedrivetest.DefaultToken) {
		t.Error("the token was printed")
	}
}

func TestCRMCheckRefusesAnUnknownPipedrivePlanNamingTheVariable(t *testing.T) {
	env := map[string]string{"PULSE_DB_PATH": filepath.Join(t.TempDir(), "pulse.db"), "PULSE_PIPEDRIVE_PLAN": "gold", "PULSE_PIPEDRIVE_CALL_TYPE": "Cold Call"}
	r := runPulse(t, env, "crm", "check")
	if r.code != exitUsage {
		t.Errorf("exit %d, want usage", r.code)
	}
	for _, want := range []string{`PULSE_PIPEDRIVE_PLAN must be one of lite, growth, premium, ultimate, got "gold"`, `PULSE_PIPEDRIVE_CALL_TYPE must be the key of a Pipedrive activity type`} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q: %s", want, r.stderr)
		}
	}
}
