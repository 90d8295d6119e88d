// Package demo runs a whole simulated week of Pulse for a small sales team
// in seconds: the real cadence engine, storage and bot, against the
// in-process Slack stand-in, with scripted people pressing buttons, filling
// in modals and typing /pulse the way Slack would send it. What everyone
// saw is written as a text transcript and as an HTML page that draws each
// message the way Slack does.
package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/storage"
)

// Options say where the demo writes and in which language its people are.
type Options struct {
	// Out is the folder for transcript.html and the chart; a new
	// temporary folder when empty.
	Out string
	// Lang is the language of the team and its people; English when empty.
	Lang pulse.Lang
	// Stdout receives the text transcript; nothing is printed when nil.
	Stdout io.Writer
	// CRM names the CRM the team's numbers come from; typed when empty.
	// Only HubSpot has a stand-in in the demo.
	CRM pulse.CRMKind

	test testHooks // set by the package's own tests only
}

// testHooks let the package's tests end the week early and add steps.
type testHooks struct {
	end   time.Time             // when the week stops; the next Monday 09:00 when zero
	extra func(w *world) []step // more steps for the script
}

// Result is what a run of the demo produced.
type Result struct {
	Dir    string // the folder written to
	HTML   string // path of transcript.html
	Charts []string
	// Dashboard lists the web dashboard's pages written beside the
	// transcript, the team page first.
	Dashboard  []string
	Transcript *Transcript
	// Delivered counts the engine's messages by job kind.
	Delivered map[pulse.JobKind]int
	// Missed counts the check-ins the engine recorded as missed.
	Missed int
	// Failures name every step of the week that did not go as a person
	// would expect; Run's error lists them too.
	Failures []string
	Elapsed  time.Duration
}

// The simulated workspace.
const (
	teamZone    = "Europe/Oslo"
	channelID   = "C0SALES"
	channelName = "sales-nordics"

	ingrid = "U0INGRID" // the manager
	ola    = "U0OLA"    // raises a blocker; trained, not yet applying it; 1:1 due Monday
	kari   = "U0KARI"   // always answers after the reminder; away on Wednesday
	piotr  = "U0PIOTR"  // trained, applies the skill, gets kudos
	anna   = "U0ANNA"   // in New York; misses Thursday; hears nothing from Ingrid
	dag    = "U0DAG"    // the head of sales, who directs Ingrid's team
)

var cast = []Person{
	{ID: ingrid, Name: "Ingrid Berg", TZ: "Europe/Oslo"},
	{ID: ola, Name: "Ola Nordmann", TZ: "Europe/Oslo"},
	{ID: kari, Name: "Kari Hansen", TZ: "Europe/Oslo"},
	{ID: piotr, Name: "Piotr Nowak", TZ: "Europe/Oslo"},
	{ID: anna, Name: "Anna Petrova", TZ: "America/New_York"},
	{ID: dag, Name: "Dag Lund", TZ: "Europe/Oslo"},
}

// goals name each rep's goal in the catalogue's [demo] table.
var goals = map[string]string{
	ola:   "goal_ola",
	kari:  "goal_kari",
	piotr: "goal_piotr",
	anna:  "goal_anna",
}

// monday is the Monday the simulated week starts; a fixed week keeps the
// transcript the same from run to run.
var monday = pulse.MustDate("2026-11-16")

// Run simulates the week and writes its transcript. It returns an error
// when anything in the week failed (a handler's error shown to a person, a
// Block Kit violation, a job kind never sent, an envelope never acked), after
// writing what it has, so the transcript shows where it went wrong.
func Run(ctx context.Context, opt Options) (Result, error) {
	started := time.Now()
	if opt.Lang == "" {
		opt.Lang = pulse.English
	}
	if _, ok := pulse.ParseLang(string(opt.Lang)); !ok {
		return Result{}, fmt.Errorf("demo: unknown language %q", opt.Lang)
	}
	res := Result{Dir: opt.Out, Delivered: map[pulse.JobKind]int{}}
	if res.Dir == "" {
		dir, err := os.MkdirTemp("", "pulse-demo-")
		if err != nil {
			return res, fmt.Errorf("demo: make output folder: %w", err)
		}
		res.Dir = dir
	} else if err := os.MkdirAll(res.Dir, 0o755); err != nil {
		return res, fmt.Errorf("demo: make output folder: %w", err)
	}

	w, err := newWorld(ctx, opt.Lang, opt.CRM)
	if err != nil {
		return res, err
	}
	w.test = opt.test
	runErr := w.week(ctx)
	if runErr == nil {
		res.Dashboard, runErr = w.dashboard(ctx, filepath.Join(res.Dir, "dashboard"))
	}
	w.close()
	res.Transcript = w.tr
	res.Delivered = w.notifier.counts()
	res.Missed = w.missed
	res.Failures = w.failures
	if runErr != nil {
		res.Failures = append(res.Failures, runErr.Error())
	}

	if err := res.write(opt.Stdout); err != nil {
		res.Failures = append(res.Failures, err.Error())
	}
	res.Elapsed = time.Since(started)
	if len(res.Failures) > 0 {
		return res, fmt.Errorf("demo: %d step(s) of the week failed:\n  %s", len(res.Failures), strings.Join(res.Failures, "\n  "))
	}
	return res, nil
}

// write prints the text transcript and writes the HTML page and charts.
func (res *Result) write(stdout io.Writer) error {
	for i := range res.Transcript.Entries {
		f := res.Transcript.Entries[i].File
		if f == nil || len(f.Bytes) == 0 {
			continue
		}
		name := filepath.Base(f.Name)
		if name == "." || name == "/" || name == "" {
			name = fmt.Sprintf("upload-%d", i)
		}
		path := filepath.Join(res.Dir, name)
		if err := os.WriteFile(path, f.Bytes, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		f.Path = name
		res.Charts = append(res.Charts, path)
	}
	if stdout != nil {
		if err := WriteText(stdout, res.Transcript); err != nil {
			return fmt.Errorf("print transcript: %w", err)
		}
	}
	res.HTML = filepath.Join(res.Dir, "transcript.html")
	f, err := os.Create(res.HTML)
	if err != nil {
		return fmt.Errorf("write transcript.html: %w", err)
	}
	title := res.Transcript.pageTitle(res.Transcript.say("team_name", nil), monday)
	if err := WriteHTML(f, res.Transcript, title); err != nil {
		f.Close()
		return fmt.Errorf("write transcript.html: %w", err)
	}
	return f.Close()
}

// world is the running simulation: stand-in, database, bot and engine on
// one simulated clock.
type world struct {
	clock    *pulse.ManualClock // the simulated time: everything reads it, only the week's loop moves it
	srv      *slacktest.Server
	db       *storage.DB
	dbDir    string
	bot      *bot.Bot
	botDone  chan error
	stopBot  context.CancelFunc
	engine   *cadence.Engine
	notifier *countingNotifier
	crm      *crmWorld // nil when the numbers are typed
	crmKind  pulse.CRMKind
	logs     *logSink
	tr       *Transcript
	rec      *recorder
	people   *people
	team     *pulse.Team
	zone     *time.Location
	lang     pulse.Lang
	// lastWeek holds the commitments seeded for the week before, by rep.
	lastWeek map[string]string
	failures []string
	missed   int
	test     testHooks
}

func newWorld(ctx context.Context, lang pulse.Lang, crm pulse.CRMKind) (*world, error) {
	zone, err := pulse.LoadLocation(teamZone)
	if err != nil {
		return nil, err
	}
	w := &world{clock: &pulse.ManualClock{}, zone: zone, lang: lang, logs: &logSink{}, lastWeek: map[string]string{}, crmKind: crm}
	w.clock.Set(monday.At(7*60, zone))
	w.tr = &Transcript{Zone: zone, People: map[string]Person{}, Channels: map[string]string{channelID: channelName}, Lang: lang}
	for _, p := range cast {
		w.tr.People[p.ID] = p
	}

	w.srv = slacktest.NewServer(slacktest.WithClock(w.clock))
	w.srv.AddChannel(channelID, channelName)
	for _, p := range cast {
		w.srv.AddUser(slack.User{ID: p.ID, Name: strings.ToLower(strings.Fields(p.Name)[0]), RealName: p.Name, TZ: p.TZ,
			Profile: slack.UserProfile{RealName: p.Name, DisplayName: p.Name, Email: crmEmail(p)}})
	}
	w.rec = newRecorder(w.srv, w.tr)
	w.people = &people{srv: w.srv, clock: w.clock, rec: w.rec, tr: w.tr}

	if w.dbDir, err = os.MkdirTemp("", "pulse-demo-db-"); err != nil {
		w.close()
		return nil, fmt.Errorf("demo: database folder: %w", err)
	}
	if w.db, err = storage.Open(filepath.Join(w.dbDir, "pulse.db")); err != nil {
		w.close()
		return nil, fmt.Errorf("demo: open database: %w", err)
	}
	w.db.Clock = w.clock
	if err := w.seed(ctx); err != nil {
		w.close()
		return nil, fmt.Errorf("demo: seed the team: %w", err)
	}

	logger := slog.New(w.logs)
	w.bot, err = bot.New(bot.Config{
		BotToken: w.srv.BotToken(), AppToken: w.srv.AppToken(), APIURL: w.srv.APIURL(),
		DefaultTZ: teamZone, NoPacing: true,
	}, w.db, logger, w.clock)
	if err != nil {
		w.close()
		return nil, fmt.Errorf("demo: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	w.stopBot, w.botDone = cancel, make(chan error, 1)
	go func() { w.botDone <- w.bot.Run(runCtx) }()
	readyCtx, cancelReady := context.WithTimeout(ctx, 10*time.Second)
	defer cancelReady()
	if err := w.srv.WaitFor(readyCtx, func() bool { return w.bot.Ready() && w.srv.Connections() > 0 }); err != nil {
		w.close()
		return nil, fmt.Errorf("demo: the bot did not connect to the stand-in: %w", err)
	}
	w.notifier = &countingNotifier{Notifier: w.bot, n: map[pulse.JobKind]int{}}
	w.engine, err = cadence.New(cadence.Config{
		Clock: w.clock, Store: w.db, Notifier: w.notifier, Directory: w.bot,
		Owner: "demo", Logger: logger,
		// One worker sends the jobs of a minute in the order Due names
		// them, so the transcript reads the same at every run.
		Options: cadence.Options{Workers: 1},
	})
	if err != nil {
		w.close()
		return nil, fmt.Errorf("demo: %w", err)
	}
	if crm != pulse.CRMTyped {
		if err := w.startCRM(crm); err != nil {
			w.close()
			return nil, err
		}
	}
	return w, nil
}

// say is a [demo] sentence without placeholders in the team's language.
func (w *world) say(key string) string { return w.tr.say(key, nil) }

// seed stores the team as it stands on Monday morning: its people, last
// week's commitments, and the 1:1s before this week.
func (w *world) seed(ctx context.Context) error {
	now := w.clock.Now()
	for _, p := range cast {
		goal := ""
		if key, ok := goals[p.ID]; ok {
			goal = w.say(key)
		}
		person := &pulse.Person{ID: p.ID, Name: p.Name, TZ: p.TZ, Lang: w.lang, Goal: goal, Email: crmEmail(p), FetchedAt: now}
		if p.ID == anna {
			person.HolidayPlace = "US"
		}
		if err := w.db.SavePerson(ctx, person); err != nil {
			return fmt.Errorf("person %s: %w", p.Name, err)
		}
	}
	team := pulse.NewTeam(w.say("team_name"), teamZone)
	team.Managers = []string{ingrid}
	team.Reps = []string{ola, kari, piotr, anna}
	team.Directors = []string{dag}
	team.Channel = channelID
	team.Lang = w.lang
	team.Metrics = []pulse.Metric{{Key: "calls", Name: w.say("metric_calls"), Target: 100}, {Key: "meetings", Name: w.say("metric_meetings"), Target: 5}}
	// The team's own question, and Norway's public holidays; Anna in New
	// York keeps the US's (the week has none of either: tests show them).
	team.Questions = []pulse.Question{{ID: "q1", Version: 1, Text: w.say("question_deal"), Type: pulse.QuestionShortText}}
	team.QuestionSeq = 1
	team.HolidayPlace = "NO"
	if w.crmKind != pulse.CRMTyped {
		crmTeam(team, w.crmKind)
	}
	// The team has been on Pulse for ten days, so Anna, who never had a
	// 1:1, is due one on Friday.
	w.clock.Set(now.AddDate(0, 0, -10))
	err := w.db.CreateTeam(ctx, team)
	w.clock.Set(now)
	if err != nil {
		return fmt.Errorf("team: %w", err)
	}
	w.team = team

	lastWeek := monday.AddDays(-7)
	for rep, text := range map[string]string{
		ola:   w.say("last_ola"),
		kari:  w.say("last_kari"),
		piotr: w.say("last_piotr"),
	} {
		c := &pulse.Commitment{TeamID: team.ID, UserID: rep, Week: lastWeek, Text: text, Due: lastWeek.AddDays(4), Status: pulse.CommitmentOpen}
		if err := w.db.SaveCommitment(ctx, c); err != nil {
			return fmt.Errorf("commitment of %s: %w", rep, err)
		}
		w.lastWeek[rep] = c.ID
	}
	// Piotr's and Kari's plans for the month came from a file; Anna's and
	// Ola's Ingrid sets on Monday.
	var plans []pulse.Plan
	for rep, calls := range map[string]float64{piotr: 220, kari: 150} {
		plans = append(plans, pulse.Plan{UserID: rep, Metric: "calls", Period: pulse.PeriodMonth, Start: monday, Target: calls, SetBy: ingrid, UpdatedAt: now})
	}
	if err := w.db.SavePlans(ctx, team.ID, plans); err != nil {
		return fmt.Errorf("plans: %w", err)
	}
	// Ola's last 1:1 is a cadence (14 days) old on Monday, so Ingrid is
	// reminded then; Anna never had one, and hers falls due on Friday,
	// 14 days after the team started.
	for rep, daysAgo := range map[string]int{ola: 14, kari: 6, piotr: 6} {
		s := &pulse.CoachingSession{TeamID: team.ID, RepID: rep, ManagerID: ingrid, Date: monday.AddDays(-daysAgo), Notes: w.say("coaching_notes")}
		if err := w.db.SaveSession(ctx, s); err != nil {
			return fmt.Errorf("1:1 of %s: %w", rep, err)
		}
	}
	return nil
}

// week walks the clock from Monday 07:00 to the next Monday 09:00 a
// minute at a time: at each minute the engine ticks and its deliveries are
// awaited, then the people due to act at that minute act.
func (w *world) week(ctx context.Context) error {
	start := monday.At(7*60, w.zone)
	end := monday.AddDays(7).At(9*60, w.zone)
	if !w.test.end.IsZero() {
		end = w.test.end
	}
	steps := w.script()
	if w.test.extra != nil {
		steps = append(steps, w.test.extra(w)...)
	}
	slices.SortStableFunc(steps, func(a, b step) int { return a.at.Compare(b.at) })
	next := 0
	for t := start; t.Before(end); t = t.Add(time.Minute) {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("stopped at %s: %w", t.In(w.zone).Format("Mon 15:04"), err)
		}
		w.clock.Set(t)
		if err := w.engine.Tick(ctx); err != nil {
			w.fail(t, "engine tick", err)
		}
		w.tickCRM(ctx, t)
		dctx, cancel := context.WithTimeout(ctx, actionWait)
		err := w.engine.Drain(dctx)
		cancel()
		if err != nil {
			w.fail(t, "engine deliveries", err)
		}
		w.rec.collect(t, "")
		for next < len(steps) && !steps[next].at.After(t) {
			s := steps[next]
			next++
			if err := s.do(ctx); err != nil {
				w.fail(s.at, s.name, err)
			}
			w.rec.collect(t, "")
		}
	}
	w.check(ctx)
	return nil
}

func (w *world) fail(at time.Time, what string, err error) {
	w.failures = append(w.failures, fmt.Sprintf("%s %s: %v", at.In(w.zone).Format("Mon 15:04"), what, err))
}

// close stops everything the world started, in order, and removes the
// database.
func (w *world) close() {
	w.crm.close()
	if w.engine != nil {
		if err := w.engine.Close(); err != nil {
			w.failures = append(w.failures, "close the engine: "+err.Error())
		}
	}
	if w.stopBot != nil {
		w.stopBot()
		if err := <-w.botDone; err != nil {
			w.failures = append(w.failures, "bot: "+err.Error())
		}
		w.stopBot = nil
	}
	if w.srv != nil {
		w.srv.Close()
	}
	if w.db != nil {
		if err := w.db.Close(); err != nil {
			w.failures = append(w.failures, "close the database: "+err.Error())
		}
	}
	if w.dbDir != "" {
		_ = os.RemoveAll(w.dbDir)
	}
}

// countingNotifier counts the engine's deliveries by job kind.
type countingNotifier struct {
	pulse.Notifier
	mu sync.Mutex
	n  map[pulse.JobKind]int
}

// Deliver delivers through the bot and counts what went out.
func (c *countingNotifier) Deliver(ctx context.Context, n pulse.Notice) (pulse.Delivery, error) {
	d, err := c.Notifier.Deliver(ctx, n)
	if err == nil {
		c.mu.Lock()
		c.n[n.Key.Kind]++
		c.mu.Unlock()
	}
	return d, err
}

func (c *countingNotifier) counts() map[pulse.JobKind]int {
	if c == nil {
		return map[pulse.JobKind]int{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.n)
}
