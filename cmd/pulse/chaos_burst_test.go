package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/storage"
	"github.com/salespulse/pulse/storage/pgtest"
)

// burstTeam seeds db with a team of n reps and leaders managers in UTC
// that shares check-ins in #sales, whose daily thread is open today, and
// with nothing of the cadence due today. It returns the team.
func burstTeam(t *testing.T, s *slacktest.Server, db *storage.DB, n, leaders int, now time.Time) *pulse.Team {
	t.Helper()
	ctx := context.Background()
	team := pulse.NewTeam("Burst", "UTC")
	s.AddChannel("C0SALES", "sales")
	team.Channel, team.DailyThread = "C0SALES", true
	team.Workdays = nil
	for d := time.Sunday; d <= time.Saturday; d++ {
		if d != now.Weekday() {
			team.Workdays = append(team.Workdays, d)
		}
	}
	for i := range leaders {
		team.Managers = append(team.Managers, fmt.Sprintf("UBOSS%04d", i))
	}
	for i := range n {
		team.Reps = append(team.Reps, fmt.Sprintf("UREP%05d", i))
	}
	seedPeople(t, s, db, team, now)
	if err := db.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	// The day's thread, as the cadence opened it this morning.
	api := slack.New(s.BotToken(), slack.OptionAPIURL(s.APIURL()))
	ch, ts, err := api.PostMessage("C0SALES", slack.MsgOptionText("Today's check-ins", false))
	if err != nil {
		t.Fatal(err)
	}
	key := pulse.DailyThreadKey(team.ID, pulse.DateOf(now))
	if _, won, err := db.Claim(ctx, key, "run-morning", now); err != nil || !won {
		t.Fatalf("claim %s: %v %v", key, won, err)
	}
	if err := db.MarkSent(ctx, key, ch, ts, now); err != nil {
		t.Fatal(err)
	}
	return team
}

// burstEnvelope is one thing a person did in the burst.
type burstEnvelope struct {
	kind  string // kudos, feedback, checkin, home
	user  string
	rep   string // whom it is about
	token string // the unique words it carries, to find what it made
	id    string // its envelope ID
}

// accepted reports whether Slack showed the person success: the envelope
// was acknowledged, by a command's "posted" answer or a modal closed, and
// not refused (a view_submission refused as busy closes the modal too, and
// says so in a message of its own).
func (e burstEnvelope) accepted(s *slacktest.Server, outcomes map[string]string) bool {
	acks := s.AcksFor(e.id)
	if len(acks) == 0 || outcomes[e.id] != "ok" {
		return false
	}
	p := string(acks[0].Payload)
	switch e.kind {
	case "kudos":
		var answer struct {
			Text string `json:"text"`
		}
		return json.Unmarshal(acks[0].Payload, &answer) == nil && strings.Contains(answer.Text, "<#C0SALES>")
	case "feedback", "checkin":
		return acks[0].Payload == nil || p == "null" || p == "{}" || !strings.Contains(p, "response_action")
	}
	return true
}

// envelopeOutcomes reads the outcome each replica logged per envelope.
func envelopeOutcomes(replicas []*runningPulse) map[string]string {
	out := map[string]string{}
	for _, p := range replicas {
		for _, line := range strings.Split(p.stderr.String(), "\n") {
			var rec struct {
				Msg        string `json:"msg"`
				EnvelopeID string `json:"envelope_id"`
				Outcome    string `json:"outcome"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "envelope" && rec.Outcome != "duplicate" {
				out[rec.EnvelopeID] = rec.Outcome
			}
		}
	}
	return out
}

// send delivers the envelope to the stand-in.
func (e *burstEnvelope) send(ctx context.Context, t *testing.T, s *slacktest.Server, team *pulse.Team, day pulse.Date, n int) {
	t.Helper()
	var err error
	switch e.kind {
	case "kudos":
		e.id, err = s.SendSlashCommand(ctx, slack.SlashCommand{Command: "/pulse", UserID: e.user, ChannelID: "C0SALES",
			Text: fmt.Sprintf("kudos <@%s> %s", e.rep, e.token)})
	case "feedback":
		state := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			"kind":     {"kind": {Type: "radio_buttons", SelectedOption: slack.OptionBlockObject{Value: string(pulse.FeedbackCoaching)}}},
			"feedback": {"feedback": {Type: "plain_text_input", Value: e.token}},
		}}
		e.id, err = s.SendInteraction(ctx, slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: e.user},
			View: slack.View{ID: fmt.Sprintf("VFB%05d", n), CallbackID: bot.ViewFeedback, PrivateMetadata: strings.Join([]string{team.ID, e.rep, day.String(), "", ""}, "|"), State: state}})
	case "checkin":
		state := &slack.ViewState{Values: map[string]map[string]slack.BlockAction{
			"energy":  {"energy": {Type: "static_select", SelectedOption: slack.OptionBlockObject{Value: "4"}}},
			"results": {"results": {Type: "plain_text_input", Value: "Two demos"}},
			"plan":    {"plan": {Type: "plain_text_input", Value: e.token}},
		}}
		e.id, err = s.SendInteraction(ctx, slack.InteractionCallback{Type: slack.InteractionTypeViewSubmission, User: slack.User{ID: e.user},
			View: slack.View{ID: fmt.Sprintf("VCI%05d", n), CallbackID: bot.ViewCheckIn, PrivateMetadata: team.ID + "|" + day.String(), State: state}})
	case "home":
		e.id, err = s.SendEvent(ctx, "", slackevents.AppHomeOpenedEvent{Type: "app_home_opened", User: e.user, Channel: "D" + e.user, Tab: "home"})
	}
	if err != nil {
		t.Fatalf("send %s of %s: %v", e.kind, e.user, err)
	}
}

// postsWith returns the messages posted (not edits, not ephemeral, not a
// command's answer) in channel that carry the job metadata and text.
func postsWith(s *slacktest.Server, channel, text string) int {
	n := 0
	for _, m := range s.Messages(channel) {
		if m.Ephemeral || m.Updated || m.Deleted || m.ViaAck || m.Metadata == nil || m.Metadata.EventType != pulse.MetadataEventType {
			continue
		}
		if strings.Contains(m.Text, text) {
			n++
		}
	}
	return n
}

// Three replicas of the real binary on one PostgreSQL database; a burst of
// kudos, feedback, check-ins shared in the daily thread and App Home
// openings from many people, spread across the replicas' Socket Mode
// connections; one replica is killed with SIGKILL in the middle, with
// posts it owes claimed and not yet sent. Every command Slack showed as
// accepted is stored once and its post appears once, every stored record's
// post appears once (none twice), every Home event is handled by a
// surviving replica (the stand-in redelivers what the dead one never
// acknowledged), and the outbox ends empty.
func TestReplicasKilledMidBurstApplyEachCommandOnce(t *testing.T) {
	const reps, leaders = 24, 8
	dsn := pgtest.Schema(t)
	waitClearOfMidnight(t, "UTC") // the check-ins' day must not end during the test
	now := time.Now().UTC()
	s := slacktest.NewServer(slacktest.WithSpread(time.Second))
	defer s.Close()
	// Posts lag behind the acks, so the kill finds posts owed and claimed.
	s.PaceLimit("chat.postMessage", 15)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	db, err := storage.OpenPostgres(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	team := burstTeam(t, s, db, reps, leaders, now)
	day := pulse.DateOf(now)

	// A claim stands 10 s before another replica settles it, so that a
	// post a loaded machine holds up a second or two still lands inside
	// its sender's window (a quarter of that).
	replicas := make([]*runningPulse, 3)
	for i := range replicas {
		replicas[i] = startPulseWith(t, s, t.TempDir()+"/unused.db", "PULSE_DATABASE_URL="+dsn, "PULSE_OUTBOX_STALE=10s")
	}
	defer func() {
		if t.Failed() {
			for i, p := range replicas {
				t.Logf("replica %d:\n%s", i, p.stderr.String())
			}
		}
	}()
	if err := s.WaitFor(ctx, func() bool { return s.Connections() == len(replicas) }); err != nil {
		t.Fatalf("%d of %d replicas connected: %v", s.Connections(), len(replicas), err)
	}

	// Each rep gives a kudos, checks in and opens their Home; each leader
	// gives feedback to their share of the reps and opens their Home.
	var burst []*burstEnvelope
	for i, rep := range team.Reps {
		burst = append(burst,
			&burstEnvelope{kind: "checkin", user: rep, rep: rep, token: fmt.Sprintf("burst plan %03d", i)},
			&burstEnvelope{kind: "kudos", user: rep, rep: team.Reps[(i+1)%reps], token: fmt.Sprintf("burst kudos %03d", i)},
			&burstEnvelope{kind: "feedback", user: team.Managers[i%leaders], rep: rep, token: fmt.Sprintf("burst feedback %03d", i)},
			&burstEnvelope{kind: "home", user: rep},
		)
	}
	for _, m := range team.Managers {
		burst = append(burst, &burstEnvelope{kind: "home", user: m})
	}
	// A quarter goes out and is partly answered; then replica 0 hangs
	// (SIGSTOP) while a quarter more comes, a third of it to its
	// connection, never acknowledged; then it is killed (SIGKILL), and the
	// rest comes to the survivors.
	quarter := len(burst) / 4
	for i, e := range burst[:quarter] {
		e.send(ctx, t, s, team, day, i)
	}
	if err := s.WaitFor(ctx, func() bool { return len(s.Acks()) >= quarter/2 }); err != nil {
		t.Fatalf("%d acks: %v", len(s.Acks()), err)
	}
	if err := replicas[0].cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	for i, e := range burst[quarter : 2*quarter] {
		e.send(ctx, t, s, team, day, quarter+i)
	}
	if err := s.WaitFor(ctx, func() bool { return s.Queued() == 0 }); err != nil {
		t.Fatalf("%d envelopes queued: %v", s.Queued(), err)
	}
	spread, _ := json.Marshal(s.Spread())
	replicas[0].stop(t, syscall.SIGKILL)
	t.Logf("SIGKILL to replica 0 with %d of %d envelopes sent (%s a connection), %d acknowledged", 2*quarter, len(burst), spread, len(s.Acks()))
	for i, e := range burst[2*quarter:] {
		e.send(ctx, t, s, team, day, 2*quarter+i)
	}

	// Every event is handled: acknowledged (a redelivery by a survivor for
	// what the dead one held) and its Home published after it was sent.
	published := func(user string) bool {
		for _, v := range s.Views() {
			if v.Method == "views.publish" && v.UserID == user {
				return true
			}
		}
		return false
	}
	if err := s.WaitFor(ctx, func() bool {
		for _, e := range burst {
			if e.kind == "home" && (len(s.AcksFor(e.id)) == 0 || !published(e.user)) {
				return false
			}
		}
		return true
	}); err != nil {
		t.Fatalf("a Home event was not handled: %v", err)
	}
	stored := func() (kudos []pulse.Kudos, feedback []pulse.Feedback, checkIns []pulse.CheckIn) {
		var err error
		if kudos, err = db.TeamKudos(ctx, team.ID, time.Time{}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if feedback, err = db.TeamFeedback(ctx, team.ID, time.Time{}, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if checkIns, err = db.TeamCheckIns(ctx, team.ID, day, day); err != nil {
			t.Fatal(err)
		}
		return kudos, feedback, checkIns
	}
	// Everything stored has its post, and the outbox is empty.
	if err := s.WaitFor(ctx, func() bool {
		pending, err := db.PendingEffects(ctx)
		if err != nil || len(pending) > 0 {
			return false
		}
		posts := jobPosts(s)
		kudos, feedback, checkIns := stored()
		for _, k := range kudos {
			if postsWith(s, "C0SALES", k.Text) == 0 {
				return false
			}
		}
		for _, f := range feedback {
			if posts[pulse.FeedbackKey(team.ID, f.RepID, f.ID, 0).String()] == 0 {
				return false
			}
		}
		for _, c := range checkIns {
			if posts[pulse.ThreadEntryKey(team.ID, c.UserID, day).String()] == 0 {
				return false
			}
		}
		return true
	}); err != nil {
		pending, _ := db.PendingEffects(ctx)
		t.Fatalf("posts owed are missing (%d effects pending): %v", len(pending), err)
	}
	// Stopping cleanly waits for deliveries under way, so anything sent
	// twice is in the record before it is read.
	for _, p := range replicas[1:] {
		p.stop(t, syscall.SIGTERM)
	}

	posts := jobPosts(s)
	kudos, feedback, checkIns := stored()
	outcomes := envelopeOutcomes(replicas)
	count := func(kind string, has func(e *burstEnvelope) int) (accepted int) {
		for _, e := range burst {
			if e.kind != kind {
				continue
			}
			n := has(e)
			if e.accepted(s, outcomes) {
				accepted++
				if n != 1 {
					t.Errorf("accepted %s %q (envelope %s, ack %s) is stored %d times, want once", kind, e.token, e.id, s.AcksFor(e.id)[0].Payload, n)
				}
			} else if n > 1 {
				t.Errorf("%s %q not accepted is stored %d times", kind, e.token, n)
			}
		}
		return accepted
	}
	acceptedKudos := count("kudos", func(e *burstEnvelope) int {
		n := 0
		for _, k := range kudos {
			if strings.Contains(k.Text, e.token) {
				n++
			}
		}
		return n
	})
	acceptedFeedback := count("feedback", func(e *burstEnvelope) int {
		n := 0
		for _, f := range feedback {
			if f.Text == e.token {
				n++
			}
		}
		return n
	})
	acceptedCheckIns := count("checkin", func(e *burstEnvelope) int {
		n := 0
		for _, c := range checkIns {
			if c.UserID == e.user && c.Plan == e.token {
				n++
			}
		}
		return n
	})
	for _, k := range kudos {
		if n := postsWith(s, "C0SALES", k.Text); n != 1 {
			var keys []string
			for _, m := range s.Messages("C0SALES") {
				if strings.Contains(m.Text, k.Text) && m.Metadata != nil && !m.Updated {
					keys = append(keys, fmt.Sprintf("%v@%s", m.Metadata.EventPayload[pulse.MetadataJobField], m.TS))
				}
			}
			t.Errorf("kudos %q posted %d times, want once: %v", k.Text, n, keys)
		}
	}
	for _, f := range feedback {
		if n := posts[pulse.FeedbackKey(team.ID, f.RepID, f.ID, 0).String()]; n != 1 {
			t.Errorf("feedback %q delivered %d times, want once", f.Text, n)
		}
	}
	for _, c := range checkIns {
		if n := posts[pulse.ThreadEntryKey(team.ID, c.UserID, day).String()]; n != 1 {
			t.Errorf("%s's check-in is %d times in the daily thread, want once", c.UserID, n)
		}
	}
	homes := 0
	for _, e := range burst {
		if e.kind == "home" {
			homes++
		}
	}
	var found, taken int
	for _, p := range replicas[1:] {
		found += p.logCount("effect found delivered by an earlier run")
		taken += p.logCount("effect not delivered by an earlier run; sending it")
	}
	t.Logf("accepted %d of %d kudos, %d of %d feedback, %d of %d check-ins; stored %d, %d, %d; %d Home events handled, %d redelivered",
		acceptedKudos, reps, acceptedFeedback, reps, acceptedCheckIns, reps, len(kudos), len(feedback), len(checkIns), homes, s.Redelivered())
	t.Logf("the survivors found %d stale claims' posts in Slack and took over %d stale claims (the dead replica's, and live ones' posts that outran their window) to send", found, taken)
	if acceptedKudos == 0 || acceptedFeedback == 0 || acceptedCheckIns == 0 {
		t.Errorf("the burst proved nothing: %d kudos, %d feedback, %d check-ins accepted", acceptedKudos, acceptedFeedback, acceptedCheckIns)
	}
	if s.Redelivered() == 0 {
		t.Error("no event was redelivered: the kill found none unacknowledged")
	}
}
