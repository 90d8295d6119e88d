package storage_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
	"github.com/salespulse/pulse/storage/pgtest"
)

// Run with: go test -bench . -run '^$' -count 6 ./storage/ | benchstat -

// fixtureDir holds the large benchmark files, built once per test binary
// and removed by TestMain.
var fixtureDir string

func TestMain(m *testing.M) {
	code := runOnPostgres(m.Run())
	fixtures.Range(func(_, v any) bool {
		f := v.(*fixture)
		if f.db != nil {
			f.db.Close()
		}
		if f.drop != nil {
			f.drop()
		}
		return true
	})
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

// fixture is a database holding a year of check-ins of some reps, in teams
// of at most 50.
type fixture struct {
	once  sync.Once
	db    *storage.DB
	teams []*pulse.Team
	err   error
	drop  func() // drops a PostgreSQL fixture's schema
}

var fixtures sync.Map // engine and reps → *fixture

// benchEngine is an engine benchmarks run on.
type benchEngine struct {
	name string
	open func(testing.TB) *storage.DB // a new, empty database for one benchmark
}

// benchEngines runs fn on bbolt and, when PULSE_TEST_DATABASE_URL is set,
// on PostgreSQL beside it in the same run, as sub-benchmarks engine=….
func benchEngines(b *testing.B, fn func(b *testing.B, e benchEngine)) {
	engines := []benchEngine{{"bolt", func(tb testing.TB) *storage.DB {
		return MustOpenPath(tb, filepath.Join(tb.TempDir(), "pulse.db"))
	}}}
	if testDatabaseURL != "" {
		engines = append(engines, benchEngine{"postgres", MustOpenPostgres})
	}
	for _, e := range engines {
		b.Run("engine="+e.name, func(b *testing.B) { fn(b, e) })
	}
}

// benchYear is the year of check-ins a fixture holds.
var benchYear = pulse.MustDate("2026-01-01")

// loadFixture returns the fixture with the given number of reps, building it
// on first use.
func loadFixture(b *testing.B, e benchEngine, reps int) *fixture {
	b.Helper()
	v, _ := fixtures.LoadOrStore(fmt.Sprint(e.name, reps), new(fixture))
	f := v.(*fixture)
	f.once.Do(func() {
		start := time.Now()
		f.err = f.build(b, e, reps)
		b.Logf("built a %s database of %d reps × 365 days in %v", e.name, reps, time.Since(start).Round(time.Millisecond))
	})
	if f.err != nil {
		b.Fatal(f.err)
	}
	return f
}

func (f *fixture) build(b *testing.B, e benchEngine, reps int) error {
	var db *storage.DB
	var err error
	if e.name == "postgres" {
		// Kept for the whole run and dropped by TestMain.
		var dsn string
		dsn, f.drop = pgtest.NewSchema(b)
		db, err = storage.OpenPostgres(ctx, dsn)
	} else {
		if fixtureDir == "" {
			dir, err := os.MkdirTemp("", "pulse-bench-")
			if err != nil {
				return err
			}
			fixtureDir = dir
		}
		db, err = storage.Open(filepath.Join(fixtureDir, fmt.Sprintf("reps%d.db", reps)))
	}
	if err != nil {
		return err
	}
	f.db = db
	for first := 0; first < reps; first += 50 {
		team := pulse.NewTeam(fmt.Sprintf("Team %d", first/50), "Europe/Oslo")
		team.Managers = []string{"UMGR"}
		team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls"}, {Key: "meetings", Name: "Meetings"}}
		for r := first; r < min(first+50, reps); r++ {
			team.Reps = append(team.Reps, fmt.Sprintf("U%05d", r))
		}
		if err := db.CreateTeam(ctx, team); err != nil {
			return err
		}
		f.teams = append(f.teams, team)
	}
	// One transaction per day of the whole file keeps each commit to a few
	// thousand check-ins.
	batch := make([]pulse.CheckIn, 0, reps)
	for d := range 365 {
		batch = batch[:0]
		day := benchYear.AddDays(d)
		for _, team := range f.teams {
			for _, rep := range team.Reps {
				batch = append(batch, benchCheckIn(team.ID, rep, day))
			}
		}
		if err := db.SaveCheckIns(ctx, batch); err != nil {
			return err
		}
	}
	return nil
}

// benchCheckIn is a check-in of typical size: a few sentences and two numbers.
func benchCheckIn(team, user string, day pulse.Date) pulse.CheckIn {
	return pulse.CheckIn{
		TeamID: team, UserID: user, Date: day, Status: pulse.CheckInOnTime,
		Results: "Closed the Nordvik renewal, two demos booked for Thursday, follow-up mails sent.",
		Plan:    "Call the ten warmest leads from the fair, prepare the Hansen proposal, update the CRM.",
		Energy:  4, Metrics: map[string]float64{"calls": 23, "meetings": 2},
		SubmittedAt: testNow, UpdatedAt: testNow,
	}
}

// BenchmarkSaveCheckIn saves check-ins one after another, each alone in its
// commit: the latency a rep sees when nobody else is saving.
func BenchmarkSaveCheckIn(b *testing.B) { benchEngines(b, benchSaveCheckIn) }

func benchSaveCheckIn(b *testing.B, e benchEngine) {
	db := e.open(b)
	team := MustCreateTeam(b, db, "Bench", "U01")
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls"}, {Key: "meetings", Name: "Meetings"}}
	must(b, db.UpdateTeam(ctx, team))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c := benchCheckIn(team.ID, fmt.Sprintf("U%05d", i%1000), benchYear.AddDays(i/1000))
		if err := db.SaveCheckIn(ctx, &c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveCheckInConcurrent saves check-ins from 8 goroutines at once,
// as when a team answers the morning check-in together; the saves share
// commits through db.Batch. It reports saves per second.
func BenchmarkSaveCheckInConcurrent(b *testing.B) { benchEngines(b, benchSaveCheckInConcurrent) }

func benchSaveCheckInConcurrent(b *testing.B, e benchEngine) {
	const writers = 8
	db := e.open(b)
	team := MustCreateTeam(b, db, "Bench", "U01")
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls"}, {Key: "meetings", Name: "Meetings"}}
	must(b, db.UpdateTeam(ctx, team))
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				c := benchCheckIn(team.ID, fmt.Sprintf("U%05d", i%1000), benchYear.AddDays(i/1000))
				if err := db.SaveCheckIn(ctx, &c); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "saves/s")
}

// BenchmarkTeamWeek lists one team's check-ins for one week (50 reps × 7
// days = 350 check-ins) from files of growing size. The query is a range
// scan, so its time should not grow with the file.
func BenchmarkTeamWeek(b *testing.B) { benchEngines(b, benchTeamWeek) }

func benchTeamWeek(b *testing.B, e benchEngine) {
	for _, reps := range []int{50, 1000} {
		b.Run(fmt.Sprintf("file=%dreps", reps), func(b *testing.B) {
			f := loadFixture(b, e, reps)
			team := f.teams[len(f.teams)/2]
			from := pulse.MustDate("2026-06-01")
			to := from.AddDays(6)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				got, err := f.db.TeamCheckIns(ctx, team.ID, from, to)
				if err != nil {
					b.Fatal(err)
				}
				if len(got) != 350 {
					b.Fatalf("%d check-ins, want 350", len(got))
				}
			}
		})
	}
}

// BenchmarkRepMonth reads one rep's history for a month from the large file,
// through the rep index.
func BenchmarkRepMonth(b *testing.B) { benchEngines(b, benchRepMonth) }

func benchRepMonth(b *testing.B, e benchEngine) {
	f := loadFixture(b, e, 1000)
	from := pulse.MustDate("2026-06-01")
	to := pulse.MustDate("2026-06-30")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, err := f.db.RepCheckIns(ctx, "U00500", from, to)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != 30 {
			b.Fatalf("%d check-ins, want 30", len(got))
		}
	}
}

// BenchmarkClaim claims a new job key per iteration, each in its own
// transaction, as the cadence engine does before sending.
func BenchmarkClaim(b *testing.B) { benchEngines(b, benchClaim) }

func benchClaim(b *testing.B, e benchEngine) {
	db := e.open(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		key := pulse.JobKey{Kind: pulse.JobCheckIn, TeamID: "t0000000001", UserID: fmt.Sprintf("U%05d", i%1000), Occurrence: benchYear.AddDays(i / 1000).String()}
		if _, won, err := db.Claim(ctx, key, "run1", testNow); err != nil || !won {
			b.Fatalf("claim %s: won %v, %v", key, won, err)
		}
	}
}
