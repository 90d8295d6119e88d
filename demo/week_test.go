package demo_test

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/demo"
)

// week runs the demo once for every test in the package that reads it.
var week struct {
	once sync.Once
	res  demo.Result
	text string
	err  error
	// goroutines is how many more goroutines ran once Run returned (and
	// they had a moment to end) than before it started.
	goroutines int
}

// settledGoroutines waits up to five seconds for the goroutine count to
// fall to want, and returns the count it saw last.
func settledGoroutines(want int) int {
	deadline := time.After(5 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		n := runtime.NumGoroutine()
		if n <= want {
			return n
		}
		select {
		case <-deadline:
			return n
		case <-tick.C:
		}
	}
}

func runWeek(t *testing.T) (demo.Result, string) {
	t.Helper()
	week.once.Do(func() {
		before := runtime.NumGoroutine()
		defer func() { week.goroutines = settledGoroutines(before) - before }()
		dir, err := os.MkdirTemp("", "pulse-demo-test-")
		if err != nil {
			week.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var out bytes.Buffer
		week.res, week.err = demo.Run(ctx, demo.Options{Out: dir, Lang: pulse.English, Stdout: &out})
		week.text = out.String()
	})
	if week.err != nil {
		t.Fatalf("demo.Run: %v\n%s", week.err, week.text)
	}
	return week.res, week.text
}

func TestMain(m *testing.M) {
	code := m.Run()
	if week.res.Dir != "" {
		os.RemoveAll(week.res.Dir)
	}
	os.Exit(code)
}

// find returns the index of the first entry from i on that matches.
func find(entries []demo.Entry, from int, match func(e *demo.Entry) bool) int {
	for i := from; i < len(entries); i++ {
		if match(&entries[i]) {
			return i
		}
	}
	return -1
}

func hasButton(e *demo.Entry, actionID string) bool {
	return slices.ContainsFunc(demo.Buttons(e.Blocks), func(b *demo.Element) bool { return b.ActionID == actionID })
}

func allText(e *demo.Entry) string {
	var sb strings.Builder
	sb.WriteString(e.Text)
	for _, b := range e.Blocks {
		if b.Text != nil {
			sb.WriteString("\n" + b.Text.Text)
		}
		for _, f := range b.Fields {
			sb.WriteString("\n" + f.Text)
		}
		for _, el := range b.Elements {
			sb.WriteString("\n" + el.Label.Text)
		}
	}
	return sb.String()
}

const (
	ingrid = "U0INGRID"
	ola    = "U0OLA"
	kari   = "U0KARI"
	piotr  = "U0PIOTR"
	anna   = "U0ANNA"
)

func TestDemoWeekShowsEveryKindOfJob(t *testing.T) {
	res, text := runWeek(t)
	tr := res.Transcript
	es := tr.Entries
	t.Logf("simulated in %s; delivered %v", res.Elapsed, res.Delivered)

	for _, k := range []pulse.JobKind{pulse.JobCheckIn, pulse.JobReminder, pulse.JobMeetingPrompt, pulse.JobNudge, pulse.JobCoachingDue, pulse.JobSummary} {
		if res.Delivered[k] == 0 {
			t.Errorf("the engine delivered no %s message", k)
		}
		if find(es, 0, func(e *demo.Entry) bool { return e.Job == k }) < 0 {
			t.Errorf("the transcript shows no %s message", k)
		}
	}
	// 4 reps × 5 days; Kari says she is away on Wednesday's check-in DM.
	if n := res.Delivered[pulse.JobCheckIn]; n != 20 {
		t.Errorf("%d check-ins delivered, want 20", n)
	}
	if res.Missed != 1 {
		t.Errorf("%d missed check-ins recorded, want Anna's Thursday only", res.Missed)
	}

	tests := []struct {
		name  string
		check func() bool
	}{
		{"each check-in DM carries the Check in button", func() bool {
			for i := range es {
				if es[i].Job == pulse.JobCheckIn && es[i].Kind == demo.KindDM && !hasButton(&es[i], "checkin.open") {
					return false
				}
			}
			return true
		}},
		{"Kari is reminded and answers after the reminder", func() bool {
			r := find(es, 0, func(e *demo.Entry) bool { return e.Job == pulse.JobReminder && e.To == kari })
			return r >= 0 && find(es, r, func(e *demo.Entry) bool {
				return e.Kind == demo.KindAction && e.To == kari && strings.Contains(e.Action, "Check in")
			}) > r
		}},
		{"Anna is reminded on Thursday and never answers that day", func() bool {
			r := find(es, 0, func(e *demo.Entry) bool {
				return e.Job == pulse.JobReminder && e.To == anna && e.At.Weekday() == time.Thursday
			})
			next := find(es, r+1, func(e *demo.Entry) bool { return e.Kind == demo.KindAction && e.To == anna })
			return r >= 0 && (next < 0 || es[next].At.Sub(es[r].At) > 12*time.Hour)
		}},
		{"Ingrid is alerted to Ola's blocker at once and resolves it; Ola is told", func() bool {
			raised := find(es, 0, func(e *demo.Entry) bool {
				return e.Kind == demo.KindAction && e.To == ola && strings.Contains(e.Action, "Save") && e.At.Weekday() == time.Tuesday
			})
			alert := find(es, max(raised, 0), func(e *demo.Entry) bool {
				return e.Kind == demo.KindDM && e.To == ingrid && hasButton(e, "blocker.resolved")
			})
			press := find(es, max(alert, 0), func(e *demo.Entry) bool {
				return e.Kind == demo.KindAction && e.To == ingrid && strings.Contains(e.Action, "[Resolved]")
			})
			told := find(es, max(press, 0), func(e *demo.Entry) bool { return e.Kind == demo.KindDM && e.To == ola })
			return raised >= 0 && alert > raised && es[alert].At.Equal(es[raised].At) && press > alert && told > press
		}},
		{"the meeting prompt goes to the channel with an Add my commitment button", func() bool {
			return find(es, 0, func(e *demo.Entry) bool {
				return e.Job == pulse.JobMeetingPrompt && e.Kind == demo.KindChannel && hasButton(e, "commitment.add")
			}) >= 0
		}},
		{"last week's commitments are marked kept and missed on the prompt", func() bool {
			kept := find(es, 0, func(e *demo.Entry) bool { return e.Kind == demo.KindAction && strings.Contains(e.Action, "[Kept]") })
			missed := find(es, 0, func(e *demo.Entry) bool { return e.Kind == demo.KindAction && strings.Contains(e.Action, "[Missed]") })
			upd := find(es, max(missed, 0), func(e *demo.Entry) bool { return e.Kind == demo.KindUpdate && e.Channel == "C0SALES" })
			return kept >= 0 && missed >= 0 && upd > missed
		}},
		{"reps commit from the prompt's button and with /pulse commit", func() bool {
			modal := find(es, 0, func(e *demo.Entry) bool {
				return e.Kind == demo.KindModal && e.View != nil && e.View.CallbackID == "commitment"
			})
			typed := find(es, 0, func(e *demo.Entry) bool {
				return e.Kind == demo.KindAction && strings.Contains(e.Action, "/pulse commit")
			})
			return modal >= 0 && typed >= 0
		}},
		{"Piotr reports the trained skill from the nudge's modal", func() bool {
			nudge := find(es, 0, func(e *demo.Entry) bool {
				return e.Job == pulse.JobNudge && e.To == piotr && hasButton(e, "nudge.applied")
			})
			modal := find(es, max(nudge, 0), func(e *demo.Entry) bool {
				return e.Kind == demo.KindModal && e.View != nil && e.View.CallbackID == "training_report"
			})
			return nudge >= 0 && modal > nudge
		}},
		{"kudos for Piotr appear in the team channel", func() bool {
			return find(es, 0, func(e *demo.Entry) bool {
				return e.Kind == demo.KindChannel && e.Job == "" && strings.Contains(allText(e), "<@"+piotr+">")
			}) >= 0
		}},
		{"Ingrid is reminded of Ola's 1:1", func() bool {
			return find(es, 0, func(e *demo.Entry) bool {
				return e.Job == pulse.JobCoachingDue && e.To == ingrid && strings.Contains(allText(e), "<@"+ola+">")
			}) >= 0
		}},
		{"Ingrid's /pulse is answered on Wednesday and Friday, to her only", func() bool {
			n := 0
			for i := range es {
				if es[i].Kind == demo.KindEphemeral && es[i].To == ingrid && strings.Contains(allText(&es[i]), "Nordic Sales") {
					n++
				}
			}
			return n >= 2
		}},
		{"the weekly summary holds the week's figures against the targets", func() bool {
			s := find(es, 0, func(e *demo.Entry) bool { return e.Job == pulse.JobSummary })
			if s < 0 {
				return false
			}
			body := allText(&es[s])
			// 19 check-ins asked for, 18 answered; targets 100 calls and
			// 5 meetings a week for each of 4 reps.
			return es[s].Kind == demo.KindChannel && strings.Contains(body, "18 of 19") && strings.Contains(body, "of 400") && strings.Contains(body, "of 20")
		}},
		{"the week ends with the summary's chart uploaded to the channel", func() bool {
			// The summary's minute also ends the week's contest and sends the
			// leaders their week, in any order; nothing comes after it.
			s := find(es, 0, func(e *demo.Entry) bool { return e.Job == pulse.JobSummary })
			last := &es[len(es)-1]
			return s >= 0 && last.Kind == demo.KindFile && last.Channel == "C0SALES" && bytes.HasPrefix(last.File.Bytes, []byte("\x89PNG")) &&
				find(es, s+1, func(e *demo.Entry) bool {
					return e.At.After(es[s].At.Add(time.Minute)) && e.Kind != demo.KindFile && e.Kind != demo.KindHome
				}) < 0
		}},
	}
	for _, tc := range tests {
		if !tc.check() {
			t.Errorf("%s: not so in the transcript", tc.name)
		}
	}
	if t.Failed() {
		t.Log(text)
	}

	for _, want := range []string{"━━ Monday 16 November ━━", "DM to Anna Petrova (New York 09:00)", "#sales-nordics"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed transcript lacks %q", want)
		}
	}
	if len(res.Charts) != 1 {
		t.Fatalf("charts written: %v, want one", res.Charts)
	}
	if b, err := os.ReadFile(res.Charts[0]); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Errorf("chart file %s is not a PNG (%v)", res.Charts[0], err)
	}
}

func TestDemoLeavesNoGoroutineBehind(t *testing.T) {
	runWeek(t)
	if week.goroutines > 0 {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines still run after demo.Run returned:\n%s", week.goroutines, buf[:runtime.Stack(buf, true)])
	}
}

func TestDemoReportsAFailedStepByName(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := demo.Run(ctx, demo.BrokenMonday(demo.Options{Out: t.TempDir()}))
	if err == nil {
		t.Fatal("demo.Run reported success for a week with a failed step")
	}
	for _, want := range []string{"Mon 09:30 Ola presses a button that is not there", "no message in", "the engine never sent a summary message"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if res.HTML == "" {
		t.Error("no transcript written for the failed week")
	} else if _, err := os.Stat(res.HTML); err != nil {
		t.Errorf("transcript of the failed week: %v", err)
	}
}
