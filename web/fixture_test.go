package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
	"github.com/salespulse/pulse/storage"
	"github.com/salespulse/pulse/web"
)

// The people of the fixture: Nora manages "Nordic Sales" with four reps;
// Olga manages "Baltic Sales", whose rep Erik also checks in with Nordic.
const (
	manager      = "UMGR00001"
	otherManager = "UMGR00002"
	rep1         = "UREP00001"
	rep2         = "UREP00002"
	rep3         = "UREP00003"
	rep4         = "UREP00004"
)

// fixtureNow is Wednesday 18 March 2026, 10:00 in Oslo.
var fixtureNow = time.Date(2026, 3, 18, 10, 0, 0, 0, mustZone("Europe/Oslo"))

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// fixture is a dashboard served over a real socket from a real database.
type fixture struct {
	db    *storage.DB
	srv   *httptest.Server
	web   *web.Server
	team  *pulse.Team
	other *pulse.Team
	mu    sync.Mutex
	now   time.Time
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// advance moves the fixture's clock on.
func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

var (
	catOnce sync.Once
	cat     *catalog.Catalog
	catErr  error
)

func mustCatalog(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	catOnce.Do(func() { cat, catErr = catalog.New() })
	if catErr != nil {
		tb.Fatal(catErr)
	}
	return cat
}

// newFixture seeds thirteen weeks of a team's life and serves the dashboard.
func newFixture(tb testing.TB) *fixture {
	tb.Helper()
	db, err := storage.Open(filepath.Join(tb.TempDir(), "pulse.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	f := &fixture{db: db, now: fixtureNow}
	db.Clock = pulse.ClockFunc(f.clock)
	seed(tb, f)
	f.web, err = web.New(web.Config{Store: db, Catalog: mustCatalog(tb), PublicURL: "http://pulse.test",
		Clock: pulse.ClockFunc(f.clock), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	f.srv = httptest.NewServer(f.web)
	tb.Cleanup(f.srv.Close)
	return f
}

func seed(tb testing.TB, f *fixture) {
	tb.Helper()
	ctx := context.Background()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	names := map[string]string{manager: "Nora Berg", otherManager: "Olga Nowak", rep1: "Ingrid Dahl", rep2: "Jonas Lie", rep3: "Erik Strand", rep4: "Maja Holm"}
	for id, name := range names {
		must(f.db.SavePerson(ctx, &pulse.Person{ID: id, Name: name, TZ: "Europe/Oslo"}))
	}
	team := pulse.NewTeam("Nordic Sales", "Europe/Oslo")
	team.Managers = []string{manager}
	team.Reps = []string{rep1, rep2, rep3, rep4}
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Target: 60}, {Key: "meetings", Name: "Meetings booked", Target: 5}}
	must(f.db.CreateTeam(ctx, team))
	other := pulse.NewTeam("Baltic Sales", "Europe/Warsaw")
	other.Managers = []string{otherManager}
	other.Reps = []string{rep3}
	must(f.db.CreateTeam(ctx, other))
	f.team, f.other = team, other

	today := pulse.DateOf(fixtureNow)
	start := today.WeekStart().AddDays(-7 * 12)
	var cs []pulse.CheckIn
	for d := start; !d.After(today); d = d.AddDays(1) {
		if !team.IsWorkday(d) {
			continue
		}
		for i, rep := range team.Reps {
			k := start.DaysUntil(d)
			c := pulse.CheckIn{TeamID: team.ID, UserID: rep, Date: d, Status: pulse.CheckInOnTime,
				Results: fmt.Sprintf("Day %d: followed up the fair's leads", k), Plan: "Call the warmest leads",
				Energy: 1 + (k+i*2)%5, Metrics: map[string]float64{"calls": float64(8 + (k*3+i)%9), "meetings": float64((k + i) % 3)},
				SubmittedAt: d.At(9*60, team.Location()), UpdatedAt: d.At(9*60, team.Location())}
			switch {
			case (k+i)%11 == 0:
				c = pulse.CheckIn{TeamID: team.ID, UserID: rep, Date: d, Status: pulse.CheckInMissed}
			case (k+i)%7 == 0:
				c.Status = pulse.CheckInLate
			}
			if rep == rep4 && d.DaysUntil(today) < 21 {
				c.Energy = 1 // Maja's energy has been sliding for three weeks
			}
			cs = append(cs, c)
		}
	}
	must(f.db.SaveCheckIns(ctx, cs))
	for w := start; !w.After(today); w = w.AddDays(7) {
		for i, rep := range team.Reps {
			c := &pulse.Commitment{TeamID: team.ID, UserID: rep, Week: w, Text: "Book three demos with fair leads", Status: pulse.CommitmentOpen}
			if w.Before(today.WeekStart()) {
				c.Status = []pulse.CommitmentStatus{pulse.CommitmentKept, pulse.CommitmentPartly, pulse.CommitmentMissed}[(start.DaysUntil(w)/7+i)%3]
				c.RepNote, c.ManagerNote = "Two of three booked", "Good progress"
			}
			must(f.db.SaveCommitment(ctx, c))
		}
	}
	tr := &pulse.Training{TeamID: team.ID, Skill: "Objection handling", Date: start.AddDays(21), Attendees: team.Reps, Schedule: []int{2, 7, 14, 30}, CreatedBy: manager}
	must(f.db.SaveTraining(ctx, tr))
	for _, day := range tr.Schedule {
		for i, rep := range team.Reps {
			sent := tr.Date.AddDays(day).At(10*60, team.Location())
			n := &pulse.Nudge{TrainingID: tr.ID, TeamID: team.ID, UserID: rep, Day: day, SentAt: sent}
			if (i+day)%3 != 0 {
				n.Response, n.Report, n.AnsweredAt = pulse.NudgeApplied, "Used the feel-felt-found answer on a price objection", sent.Add(time.Hour)
			}
			must(f.db.SaveNudge(ctx, n))
		}
	}
	for i := range 9 {
		must(f.db.SaveKudos(ctx, &pulse.Kudos{TeamID: team.ID, From: manager, To: team.Reps[i%4], Text: "Great demo with Nordvik",
			CreatedAt: start.AddDays(i*9+1).At(14*60, team.Location())}))
	}
	must(f.db.SaveBlocker(ctx, &pulse.Blocker{TeamID: team.ID, UserID: rep2, Date: today.AddDays(-9), Text: "CRM access is broken", Status: pulse.BlockerOpen, RaisedAt: fixtureNow.Add(-9 * 24 * time.Hour)}))
	must(f.db.SaveSession(ctx, &pulse.CoachingSession{TeamID: team.ID, RepID: rep1, ManagerID: manager, Date: today.AddDays(-6), Notes: "Secret: wants to move to key accounts"}))
	// Erik's records in the other team stay out of Nordic's pages.
	must(f.db.SaveKudos(ctx, &pulse.Kudos{TeamID: other.ID, From: otherManager, To: rep3, Text: "Baltic-only praise", CreatedAt: fixtureNow.Add(-time.Hour)}))
}

// link gives user a sign-in link, as /pulse web does.
func (f *fixture) link(tb testing.TB, user string) string {
	tb.Helper()
	token, hash, err := pulse.NewToken()
	if err != nil {
		tb.Fatal(err)
	}
	now := f.clock()
	if err := f.db.SaveSignIn(context.Background(), &pulse.SignIn{Hash: hash, UserID: user, CreatedAt: now, ExpiresAt: now.Add(pulse.SignInTTL)}); err != nil {
		tb.Fatal(err)
	}
	return f.srv.URL + "/signin/" + token
}

// client is a browser without a browser: it keeps cookies.
func client(tb testing.TB) *http.Client {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &http.Client{Jar: jar}
}
