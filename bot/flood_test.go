package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
)

// Who floods and who waits: Alpha's rep sends kudos to a teammate in
// Alpha's channel while Bravo's reps fall due for their check-in DMs.
const (
	flooder     = "UREPA1"
	floodTarget = "UREPA2"
	alphaChan   = "C0ALPHA"
	bravoReps   = 30 // beyond the workspace's burst, so Bravo's DMs are paced
	floodSize   = 60
)

// floodRun is what one run of the scenario saw.
type floodRun struct {
	dms     time.Duration // from the tick until every Bravo DM was posted
	answers []string      // the flood's acks, in the order sent

	h     *harness
	alpha *pulse.Team
}

// runFlood sets up Alpha and Bravo on a paced bot and, when flood, sends
// Alpha's rep's floodSize kudos at once; then it ticks the engine at
// Bravo's check-in time and times Bravo's DMs.
func runFlood(t *testing.T, flood bool) floodRun {
	t.Helper()
	h := start(t, withSteadyAllowance())
	ctx := t.Context()
	now := h.Clock.Now() // Monday 09:00 UTC
	h.Slack.AddChannel(alphaChan, "alpha")

	alpha := pulse.NewTeam("Alpha", "UTC")
	alpha.Managers, alpha.Reps, alpha.Channel = []string{"UMGRALPHA"}, []string{flooder, floodTarget}, alphaChan
	alpha.CheckInTime = pulse.TimeOfDay(15 * 60) // not due now
	bravo := pulse.NewTeam("Bravo", "UTC")
	bravo.Managers = []string{"UMGRBRAVO"}
	bravo.CheckInTime = pulse.TimeOfDay(now.Hour()*60 + now.Minute())
	for i := range bravoReps {
		bravo.Reps = append(bravo.Reps, fmt.Sprintf("UREPB%03d", i))
	}
	everyone := append(append(append([]string{}, alpha.Managers...), alpha.Reps...), append(bravo.Managers, bravo.Reps...)...)
	for _, id := range everyone {
		h.Slack.AddUser(slackUser(id, "Person "+id, "UTC", false))
		// A profile fetched today: the DMs need no users.info.
		if err := h.DB.SavePerson(ctx, &pulse.Person{ID: id, Name: "Person " + id, TZ: "UTC", FetchedAt: now}); err != nil {
			t.Fatal(err)
		}
	}
	for _, team := range []*pulse.Team{alpha, bravo} {
		if err := h.DB.CreateTeam(ctx, team); err != nil {
			t.Fatal(err)
		}
	}
	e, err := cadence.New(cadence.Config{Clock: h.Clock, Store: h.DB, Notifier: h.Bot, Directory: h.Bot})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })

	var run floodRun
	if flood {
		ids := make([]string, floodSize)
		var wg sync.WaitGroup
		for i := range floodSize {
			wg.Go(func() {
				id, err := h.Slack.SendSlashCommand(context.Background(), slack.SlashCommand{
					Command: "/pulse", Text: fmt.Sprintf("kudos <@%s> Great call number %d", floodTarget, i+1),
					UserID: flooder, ChannelID: alphaChan,
				})
				if err != nil {
					t.Errorf("send kudos %d: %v", i+1, err)
				}
				ids[i] = id
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != "" {
				run.answers = append(run.answers, decodeReply(t, h.ack(id, 1)).Text)
			}
		}
	}

	began := time.Now()
	wait, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := e.Tick(wait); err != nil {
		t.Fatalf("Tick: %v", err)
	}
	if err := e.Drain(wait); err != nil {
		t.Fatalf("Drain: %v", err)
	}
	run.dms = time.Since(began)

	day := pulse.DateOf(now)
	for _, rep := range bravo.Reps {
		var got int
		for _, m := range h.Slack.Messages(rep) {
			if jobOf(m) == pulse.CheckInKey(bravo.ID, rep, day).String() {
				got++
			}
		}
		if got != 1 {
			t.Errorf("%s got %d check-in DMs, want 1", rep, got)
		}
	}
	run.alpha, run.h = alpha, h
	return run
}

// kudosPosts waits until every kudos the run saved is posted in Alpha's
// channel, and returns how many were.
func (run floodRun) kudosPosts(t *testing.T) int {
	t.Helper()
	saved := len(kudosOf(t, run.h, run.alpha))
	posted := func() int {
		n := 0
		for _, m := range run.h.Slack.Messages(alphaChan) {
			if strings.HasPrefix(m.Text, ":tada:") && !m.Ephemeral && !m.ViaAck {
				n++
			}
		}
		return n
	}
	run.h.waitFor("every saved kudos posted", func() bool { return posted() >= saved })
	return posted()
}

// TestOneRepsSixtyKudos: one rep's sixty kudos at once must not hold back
// another team's check-in DMs. It logs how much later Bravo's last DM went
// out than in a quiet run (go test ./bot/ -run TestOneRepsSixtyKudos -v).
func TestOneRepsSixtyKudos(t *testing.T) {
	if testing.Short() {
		t.Skip("paces real posts for seconds")
	}
	quiet := runFlood(t, false)
	flood := runFlood(t, true)
	t.Logf("Bravo's %d DMs: %v quiet, %v beside %d kudos; delay %v",
		bravoReps, quiet.dms.Round(time.Millisecond), flood.dms.Round(time.Millisecond), floodSize,
		(flood.dms - quiet.dms).Round(time.Millisecond))
	if len(flood.answers) != floodSize {
		t.Fatalf("%d of %d kudos answered", len(flood.answers), floodSize)
	}
	allowed := pulse.DefaultPostAllowance.Burst
	said := map[string]int{}
	for _, a := range flood.answers {
		said[a]++
	}
	saved := flood.h.en("commands.kudos_saved", map[string]any{"Rep": "<@" + floodTarget + ">", "Channel": "<#" + alphaChan + ">"})
	// The rest are told they send too many, or, while the rep's earlier
	// kudos are still being handled, that Pulse is busy.
	tooMany, busy := flood.h.en("commands.kudos_too_many", nil), flood.h.en("err.busy", nil)
	if said[saved] != allowed || said[tooMany]+said[busy] != floodSize-allowed {
		t.Errorf("the flood was answered %v, want %d saved and the rest told they send too many or to wait", said, allowed)
	}
	if n := flood.kudosPosts(t); n != allowed {
		t.Errorf("%d kudos posted in Alpha's channel, want the %d allowed", n, allowed)
	}
}
