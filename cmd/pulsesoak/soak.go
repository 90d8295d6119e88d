package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/storage"
)

// zones are the teams' time zones, taken in turn.
var zones = []string{"Europe/Oslo", "America/New_York", "Asia/Tokyo", "Australia/Sydney",
	"America/Los_Angeles", "Asia/Kolkata", "Europe/Warsaw", "America/Sao_Paulo"}

// soakChannel is the channel slash commands are typed in.
const soakChannel = "C0SOAK001"

// soak is one run: the stand-in, the database, the pulse process and what
// the load sent.
type soak struct {
	o      options
	log    io.Writer
	dir    string
	bin    string
	dbPath string
	slack  *slacktest.Server
	teams  []*pulse.Team
	dueAt  map[string]time.Time // team ID → its check-in moment today
	reps   []string
	teamOf map[string]*pulse.Team

	cmd     *exec.Cmd
	exited  chan error
	logFile *os.File
	opsAddr string

	mu   sync.Mutex
	envs map[string]*sent // by envelope ID
}

// sent is one envelope the load sent, for redelivery and the tally.
type sent struct {
	env     slacktest.Envelope
	lastAt  time.Time
	retries int
	acked   bool
}

func newSoak(ctx context.Context, o options, log io.Writer) (*soak, error) {
	dir, err := os.MkdirTemp("", "pulsesoak-")
	if err != nil {
		return nil, err
	}
	s := &soak{o: o, log: log, dir: dir, dbPath: filepath.Join(dir, "pulse.db"), bin: o.pulse,
		dueAt: map[string]time.Time{}, teamOf: map[string]*pulse.Team{}, envs: map[string]*sent{}}
	if s.bin == "" {
		s.bin = filepath.Join(dir, "pulse")
		fmt.Fprintf(log, "building pulse into %s\n", s.bin)
		build := exec.CommandContext(ctx, "go", "build", "-o", s.bin, "github.com/salespulse/pulse/cmd/pulse")
		build.Stdout, build.Stderr = log, log
		if err := build.Run(); err != nil {
			s.close()
			return nil, fmt.Errorf("build pulse: %w", err)
		}
	}
	s.slack = slacktest.NewServer()
	s.slack.AddChannel(soakChannel, "soak")
	if err := s.seed(ctx, time.Now()); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// seed writes the teams and people, each team's check-in falling due at
// its own minute, spread from the first whole minute after 45 s to 100 s
// before the end, so the last fan-out and its reminders finish in the run.
func (s *soak) seed(ctx context.Context, now time.Time) error {
	db, err := storage.Open(s.dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	first := now.Add(45 * time.Second).Truncate(time.Minute).Add(time.Minute)
	window := max(0, now.Add(s.o.duration-100*time.Second).Sub(first))
	n := 0
	for i := range s.o.teams {
		zone := zones[i%len(zones)]
		loc, err := pulse.LoadLocation(zone)
		if err != nil {
			return err
		}
		due := first.Add(window * time.Duration(i) / time.Duration(s.o.teams)).Truncate(time.Minute)
		local := due.In(loc)
		t := pulse.NewTeam(fmt.Sprintf("Soak %02d %s", i+1, zone), zone)
		t.Workdays = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
		t.CheckInTime = pulse.TimeOfDay(local.Hour()*60 + local.Minute())
		t.ReminderDelay = 2 * time.Minute
		mgr := fmt.Sprintf("UM%07d", i+1)
		t.Managers = []string{mgr}
		size := s.o.reps / s.o.teams
		if i < s.o.reps%s.o.teams {
			size++
		}
		people := []string{mgr}
		for range size {
			n++
			rep := fmt.Sprintf("U%08d", n)
			t.Reps = append(t.Reps, rep)
			people = append(people, rep)
		}
		for _, id := range people {
			s.slack.AddUser(slack.User{ID: id, Name: id, TZ: zone, RealName: "Rep " + id, Profile: slack.UserProfile{DisplayName: id}})
			if err := db.SavePerson(ctx, &pulse.Person{ID: id, Name: "Rep " + id, TZ: zone, FetchedAt: now}); err != nil {
				return err
			}
		}
		if err := db.CreateTeam(ctx, t); err != nil {
			return fmt.Errorf("create team %s: %w", t.Name, err)
		}
		s.teams = append(s.teams, t)
		s.dueAt[t.ID] = due
		for _, r := range t.Reps {
			s.reps = append(s.reps, r)
			s.teamOf[r] = t
		}
	}
	return nil
}

// start runs `pulse run` and waits until it serves and is connected.
func (s *soak) start(ctx context.Context) error {
	f, err := os.Create(filepath.Join(s.dir, "pulse.log"))
	if err != nil {
		return err
	}
	s.logFile = f
	s.cmd = exec.Command(s.bin, "run")
	s.cmd.Env = []string{
		"PULSE_SLACK_BOT_TOKEN=" + s.slack.BotToken(),
		"PULSE_SLACK_APP_TOKEN=" + s.slack.AppToken(),
		"PULSE_SLACK_API_URL=" + s.slack.APIURL(),
		"PULSE_DB_PATH=" + s.dbPath,
		"PULSE_HTTP_ADDR=127.0.0.1:0",
		"PULSE_LOG_FORMAT=json",
		"PULSE_LOG_LEVEL=info",
		"PULSE_PPROF=" + strconv.FormatBool(s.o.profiles),
	}
	if s.o.profiles {
		// Sample the heap every 4 KiB rather than 512: finer than the
		// growth between the profiles to tell apart.
		s.cmd.Env = append(s.cmd.Env, "GODEBUG=memprofilerate=4096")
	}
	s.cmd.Stdout, s.cmd.Stderr = f, f
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start pulse: %w", err)
	}
	s.exited = make(chan error, 1)
	go func() { s.exited <- s.cmd.Wait() }()

	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err = s.slack.WaitFor(wctx, func() bool {
		s.opsAddr = s.findOpsAddr()
		return s.opsAddr != ""
	})
	if err == nil {
		err = s.slack.WaitConnected(wctx)
	}
	if err != nil {
		return fmt.Errorf("pulse did not start serving: %w (log in %s)", err, f.Name())
	}
	return nil
}

// findOpsAddr reads the log line that says where /metrics is.
func (s *soak) findOpsAddr() string {
	b, err := os.ReadFile(s.logFile.Name())
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		var rec struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "serving health and metrics" {
			return rec.Addr
		}
	}
	return ""
}

// stopPulse sends SIGTERM and waits for the exit.
func (s *soak) stopPulse() error {
	if s.cmd == nil || s.cmd.Process == nil {
		return nil
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-s.exited:
		return err
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return errors.New("pulse did not stop within 30 s of SIGTERM; killed")
	}
}

func (s *soak) close() {
	if s.cmd != nil && s.cmd.ProcessState == nil && s.exited != nil {
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	if s.logFile != nil {
		s.logFile.Close()
	}
	if s.slack != nil {
		s.slack.Close()
	}
	if s.o.keep {
		fmt.Fprintf(s.log, "kept %s\n", s.dir)
		return
	}
	os.RemoveAll(s.dir)
}

// sample is the process's footprint at one moment. RSS splits into anonymous
// memory (the Go heap, stacks, the runtime) and file pages, most of them
// the database's, which bbolt maps into memory and the kernel counts in
// RSS once read; heap is the Go heap in use.
type sample struct {
	rssBytes   int64
	anonBytes  int64
	fileBytes  int64
	heapBytes  int64
	goroutines int
	dbBytes    int64
}

func (s *soak) sample() sample {
	var sm sample
	if f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid)); err == nil {
		sc := bufio.NewScanner(f)
		kb := func(v string) int64 {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n * 1024
		}
		for sc.Scan() {
			name, v, _ := strings.Cut(sc.Text(), ":")
			switch name {
			case "VmRSS":
				sm.rssBytes = kb(v)
			case "RssAnon":
				sm.anonBytes = kb(v)
			case "RssFile":
				sm.fileBytes = kb(v)
			}
		}
		f.Close()
	}
	if resp, err := http.Get("http://" + s.opsAddr + "/metrics"); err == nil {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "go_goroutines "); ok {
				sm.goroutines, _ = strconv.Atoi(v)
			}
			if v, ok := strings.CutPrefix(sc.Text(), "go_memstats_heap_inuse_bytes "); ok {
				f, _ := strconv.ParseFloat(v, 64)
				sm.heapBytes = int64(f)
			}
		}
		resp.Body.Close()
	}
	if fi, err := os.Stat(s.dbPath); err == nil {
		sm.dbBytes = fi.Size()
	}
	return sm
}

// saveProfiles writes pulse's goroutines (grouped by stack) and its heap, as
// its /debug/pprof/ serves them, into the working folder, for
// `go tool pprof` and a reader to see what the process holds at that point.
func (s *soak) saveProfiles(when string) error {
	for _, p := range []struct{ path, file string }{
		{"goroutine?debug=1", "goroutines-" + when + ".txt"},
		{"heap?gc=1", "heap-" + when + ".pprof"},
	} {
		resp, err := http.Get("http://" + s.opsAddr + "/debug/pprof/" + p.path)
		if err != nil {
			return fmt.Errorf("profile %s: %w", p.path, err)
		}
		f, err := os.Create(filepath.Join(s.dir, p.file))
		if err == nil {
			_, err = io.Copy(f, resp.Body)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("save profile %s: %w", p.path, err)
		}
	}
	return nil
}
