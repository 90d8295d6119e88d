package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack/slackevents"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
	"github.com/salespulse/pulse/storage/pgtest"
)

// The status benchmark's database: 1,000 reps in teams of 50, each with a
// check-in on every day of the year up to the harness clock's Monday. It
// is built once per test binary, in big batches as storage's own
// benchmarks build theirs, and removed by TestMain.
type statusFixtureDB struct {
	once sync.Once
	path string // a file, or a PostgreSQL URL
	drop func() // drops a PostgreSQL fixture's schema
	err  error
}

var (
	statusFixtureDir string
	statusFixtures   = map[string]*statusFixtureDB{"bolt": {}, "postgres": {}}
)

const (
	statusBenchReps    = 1000
	statusBenchTeam    = 50
	statusBenchDays    = 365
	statusBenchManager = "UBENCHMGR"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if statusFixtureDir != "" {
		os.RemoveAll(statusFixtureDir)
	}
	if f := statusFixtures["postgres"]; f.drop != nil {
		f.drop()
	}
	os.Exit(code)
}

// statusFixturePath returns the engine's fixture (a file, or a PostgreSQL
// URL), building it on first use.
func statusFixturePath(b *testing.B, engine string) string {
	b.Helper()
	statusFixture := statusFixtures[engine]
	statusFixture.once.Do(func() {
		began := time.Now()
		if engine == "postgres" {
			statusFixture.path, statusFixture.drop = pgtest.NewSchema(b)
		} else {
			statusFixture.path, statusFixture.err = newStatusFixtureFile()
		}
		if statusFixture.err == nil {
			statusFixture.err = buildStatusFixture(statusFixture.path)
		}
		b.Logf("built %d reps × %d days of check-ins on %s in %v", statusBenchReps, statusBenchDays, engine, time.Since(began).Round(time.Millisecond))
		// The build's garbage is collected and its memory handed back
		// now, not by the runtime's scavenger during the first timed run.
		debug.FreeOSMemory()
	})
	if statusFixture.err != nil {
		b.Fatal(statusFixture.err)
	}
	return statusFixture.path
}

func newStatusFixtureFile() (string, error) {
	dir, err := os.MkdirTemp("", "pulse-bot-bench-")
	if err != nil {
		return "", err
	}
	statusFixtureDir = dir
	return filepath.Join(dir, "status.db"), nil
}

func buildStatusFixture(path string) error {
	return buildStatusFixtureOf(path, statusBenchReps, statusBenchDays)
}

// buildStatusFixtureOf builds the status benchmark's database at path with
// reps reps in teams of statusBenchTeam, each with days days of check-ins.
func buildStatusFixtureOf(path string, reps, days int) error {
	open := storage.Open
	if strings.HasPrefix(path, "postgres://") {
		open = func(dsn string) (*storage.DB, error) { return storage.OpenPostgres(context.Background(), dsn) }
	}
	db, err := open(path)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := context.Background()
	today := ciMonday
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

	var teams []*pulse.Team
	for first := 0; first < reps; first += statusBenchTeam {
		t := pulse.NewTeam(fmt.Sprintf("Team %02d", first/statusBenchTeam), "Europe/Oslo")
		t.Managers = []string{fmt.Sprintf("UMGR%02d", first/statusBenchTeam)}
		if first == 0 {
			t.Managers = []string{statusBenchManager}
		}
		t.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 50}, {Key: "meetings", Name: "Meetings", Target: 5}}
		for r := first; r < first+statusBenchTeam; r++ {
			t.Reps = append(t.Reps, fmt.Sprintf("UBR%05d", r))
		}
		if err := db.CreateTeam(ctx, t); err != nil {
			return err
		}
		teams = append(teams, t)
	}
	// One transaction per day of the whole file: a thousand check-ins each.
	// Today, a third of the reps have not checked in yet.
	batch := make([]pulse.CheckIn, 0, reps)
	for d := range days {
		day := today.AddDays(d - days + 1)
		batch = batch[:0]
		for _, t := range teams {
			for i, rep := range t.Reps {
				if day == today && i%3 == 0 {
					continue
				}
				batch = append(batch, pulse.CheckIn{
					TeamID: t.ID, UserID: rep, Date: day, Status: pulse.CheckInOnTime,
					Results: "Closed the Nordvik renewal, two demos booked for Thursday, follow-up mails sent.",
					Plan:    "Call the ten warmest leads from the fair, prepare the Hansen proposal, update the CRM.",
					Energy:  1 + (i+d)%5, Metrics: map[string]float64{"calls": float64(20 + i%10), "meetings": float64(i % 3)},
					SubmittedAt: now, UpdatedAt: now,
				})
			}
		}
		if err := db.SaveCheckIns(ctx, batch); err != nil {
			return err
		}
	}
	// The benchmarked team also has what a real one has: people with zones,
	// open blockers, commitments, a training with nudges and some 1:1s.
	team := teams[0]
	for i, rep := range team.Reps {
		if err := db.SavePerson(ctx, &pulse.Person{ID: rep, TZ: "Europe/Oslo", Goal: "A house by the sea"}); err != nil {
			return err
		}
		if i%5 == 0 {
			if err := db.SaveBlocker(ctx, &pulse.Blocker{TeamID: team.ID, UserID: rep, Date: today, Text: "Waiting for the pricing approval", Status: pulse.BlockerOpen, RaisedAt: now.Add(-time.Duration(i) * time.Hour)}); err != nil {
				return err
			}
		}
		if err := db.SaveCommitment(ctx, &pulse.Commitment{TeamID: team.ID, UserID: rep, Week: today, Text: "Book five demos", Status: pulse.CommitmentOpen, CreatedAt: now}); err != nil {
			return err
		}
		if i%2 == 0 {
			if err := db.SaveSession(ctx, &pulse.CoachingSession{TeamID: team.ID, RepID: rep, ManagerID: statusBenchManager, Date: today.AddDays(-i), Notes: "Pipeline review"}); err != nil {
				return err
			}
		}
	}
	// Half its reps have a plan of their own for the month, the others
	// keep the team's weekly target: the status shows every rep's pace.
	var plans []pulse.Plan
	for i, rep := range team.Reps {
		if i%2 == 0 {
			plans = append(plans, pulse.Plan{UserID: rep, Metric: "calls", Period: pulse.PeriodMonth, Start: today, Target: float64(400 + 10*i), SetBy: statusBenchManager, UpdatedAt: now})
		}
	}
	if err := db.SavePlans(ctx, team.ID, plans); err != nil {
		return err
	}
	tr := &pulse.Training{TeamID: team.ID, Skill: "Objection handling", Date: today.AddDays(-14), Attendees: team.Reps, Schedule: []int{2, 7}, CreatedBy: statusBenchManager, CreatedAt: now}
	if err := db.SaveTraining(ctx, tr); err != nil {
		return err
	}
	for i, rep := range team.Reps {
		for _, day := range tr.Schedule {
			n := &pulse.Nudge{TrainingID: tr.ID, TeamID: team.ID, UserID: rep, Day: day, SentAt: now.AddDate(0, 0, day-14)}
			if i%2 == 0 {
				n.Response, n.Report, n.AnsweredAt = pulse.NudgeApplied, "Used the feel-felt-found on a call", n.SentAt
			}
			if err := db.SaveNudge(ctx, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// BenchmarkStatusManager measures a manager's /pulse for a team of 50 in
// a database of 1,000 reps × 365 days of check-ins, over the real Socket
// Mode path: from the stand-in writing the envelope to reading the ack that
// carries the answer. Beside it, in the same run, an event no handler
// takes, acked without work: the floor. Targets: p99 under 5 ms and within
// 5× the floor's. The status includes every rep's pace against their plan
// (half with a month's plan of their own), read from the quarter's
// check-ins.
//
// It runs on bbolt and, with PULSE_TEST_DATABASE_URL set, on PostgreSQL
// beside it (engine=bolt, engine=postgres).
//
//	go test -run '^$' -bench StatusManager -benchtime 2000x ./bot/
func BenchmarkStatusManager(b *testing.B) {
	engines := []string{"bolt"}
	if pgtest.URL() != "" {
		engines = append(engines, "postgres")
	}
	for _, e := range engines {
		b.Run("engine="+e, func(b *testing.B) { benchStatusManager(b, e) })
	}
}

func benchStatusManager(b *testing.B, engine string) {
	path := statusFixturePath(b, engine)
	h := start(b, withoutRun(), withLogs(io.Discard, slog.LevelInfo))
	if err := h.DB.Close(); err != nil {
		b.Fatal(err)
	}
	h.DBPath = path
	h.openDB()
	h.Bot = h.newBot()
	h.run()
	h.waitReady()
	unhandled := slackevents.ReactionAddedEvent{Type: "reaction_added", User: statusBenchManager, Reaction: "tada"}

	// The answer must be the full status, in the ack.
	first := decodeReply(b, h.ack(h.slash(statusBenchManager, ""), 1))
	if got := blocksText([]byte(first.allText())); !strings.Contains(got, "33 of 50 today") || !strings.Contains(got, "Pace against plan") {
		b.Fatalf("the answer is not the team's status:\n%s", got)
	}

	// Warm the file's pages and the bot's caches, and start the timed
	// part with a clean heap, as a long-running process would be.
	for range 200 {
		h.ack(h.slash(statusBenchManager, ""), 1)
	}
	runtime.GC()

	var status, floor []time.Duration
	for b.Loop() {
		a := h.ack(h.slash(statusBenchManager, ""), 1)
		if a.Payload == nil {
			b.Fatal("the answer did not travel in the ack")
		}
		status = append(status, a.Latency)
		id, err := h.Slack.SendEvent(b.Context(), "", unhandled)
		if err != nil {
			b.Fatal(err)
		}
		floor = append(floor, h.ack(id, 1).Latency)
	}
	sp50, sp99 := percentiles(status)
	fp50, fp99 := percentiles(floor)
	b.ReportMetric(float64(sp50), "status-p50-ns")
	b.ReportMetric(float64(sp99), "status-p99-ns")
	b.ReportMetric(float64(fp50), "floor-p50-ns")
	b.ReportMetric(float64(fp99), "floor-p99-ns")
	if fp99 > 0 {
		b.ReportMetric(float64(sp99)/float64(fp99), "p99-ratio")
	}
}
