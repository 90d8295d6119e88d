package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/bot/slacktest"
)

// Slack redelivers an envelope left unacknowledged a few seconds, up to
// three times; the soak does the same, so an envelope is lost only when no
// delivery of it was ever acknowledged.
const (
	redeliverAfter = 10 * time.Second
	sampleEvery    = 5 * time.Second
	maxRetries     = 3
)

// run starts pulse on the seeded database, loads it for the duration,
// lets it settle, stops it, and tallies.
func (s *soak) run(ctx context.Context) (*report, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	rep := &report{o: s.o, startSample: s.sample(), started: time.Now()}
	fmt.Fprintf(s.log, "pulse runs (pid %d); load for %s\n", s.cmd.Process.Pid, s.o.duration)

	loadCtx, cancel := context.WithTimeout(ctx, s.o.duration)
	defer cancel()
	samples := s.sampleUntil(loadCtx, rep.started)
	s.load(loadCtx, rep)
	rep.endSample = s.sample()
	s.profile("end-of-load")
	all := <-samples
	for _, t := range append(all, timedSample{s: rep.endSample}) {
		rep.peakRSS = max(rep.peakRSS, t.s.rssBytes)
	}
	if s.o.duration >= 3*time.Minute {
		rep.baseline = medianSample(all, time.Minute, 2*time.Minute)
		rep.lastMinute = medianSample(all, s.o.duration-time.Minute, s.o.duration)
		rep.hasBaseline = true
	}
	s.settle(ctx, rep)
	s.awaitIdle(ctx, rep)
	rep.idleAfter = time.Since(rep.started) - s.o.duration
	s.profile("idle")
	rep.exitErr = s.stopPulse()
	rep.ended = time.Now()
	s.tally(rep)
	return rep, nil
}

// sampleUntil samples the process all along until ctx ends, then sends
// what it sampled: the second minute is the baseline a steady process
// stays near (the first still grows caches and pools), and the last minute
// is compared with it. Medians of a minute's samples are compared, since
// goroutines include the requests in flight at the instant of a sample.
func (s *soak) sampleUntil(ctx context.Context, started time.Time) <-chan []timedSample {
	samples := make(chan []timedSample, 1)
	go func() {
		var got []timedSample
		t := time.NewTicker(sampleEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				samples <- got
				return
			case <-t.C:
				at := time.Since(started)
				got = append(got, timedSample{at: at, s: s.sample()})
				if at >= 2*time.Minute && at < 2*time.Minute+sampleEvery {
					s.profile("minute-2") // the baseline's profiles, to diff the end against
				}
			}
		}
	}()
	return samples
}

// profile saves the process's profiles under name, when asked to.
func (s *soak) profile(name string) {
	if !s.o.profiles {
		return
	}
	if err := s.saveProfiles(name); err != nil {
		fmt.Fprintf(s.log, "pulsesoak: %v\n", err)
	}
}

// settle redelivers what is still unacknowledged, and gives the last
// team's fan-out and reminders time to finish.
func (s *soak) settle(ctx context.Context, rep *report) {
	settle, cancel := context.WithTimeout(ctx, redeliverAfter*(maxRetries+1)+5*time.Second)
	defer cancel()
	for settle.Err() == nil && s.unacked() > 0 {
		s.redeliver(settle, rep)
		select {
		case <-settle.Done():
		case <-time.After(time.Second):
		}
	}
}

// awaitIdle waits up to a minute for the goroutines of work still in
// flight to end; what remains above the start would be a leak.
func (s *soak) awaitIdle(ctx context.Context, rep *report) {
	idleBy := time.Now().Add(time.Minute)
	for rep.idleSample = s.sample(); rep.idleSample.goroutines > rep.startSample.goroutines+10 && time.Now().Before(idleBy); rep.idleSample = s.sample() {
		select {
		case <-ctx.Done():
			idleBy = time.Now()
		case <-time.After(2 * time.Second):
		}
	}
}

// load sends envelopes at the configured rate and injects the faults until
// ctx ends.
func (s *soak) load(ctx context.Context, rep *report) {
	every := time.Duration(float64(time.Second) / s.o.rate)
	send := time.NewTicker(every)
	defer send.Stop()
	drop := time.NewTicker(s.o.drop)
	defer drop.Stop()
	burst := time.NewTicker(s.o.burst)
	defer burst.Stop()
	retry := time.NewTicker(time.Second)
	defer retry.Stop()
	progress := time.NewTicker(time.Minute)
	defer progress.Stop()
	var buttons []slacktest.Message
	refreshed := time.Time{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-send.C:
			if time.Since(refreshed) > 2*time.Second {
				buttons = s.buttonMessages()
				refreshed = time.Now()
			}
			s.sendOne(ctx, buttons, rep)
		case <-drop.C:
			s.slack.DropSockets()
			rep.drops++
		case <-burst.C:
			s.slack.RateLimit("chat.postMessage", 20, time.Second)
			rep.bursts++
		case <-retry.C:
			s.redeliver(ctx, rep)
		case <-progress.C:
			fmt.Fprintf(s.log, "%s: %d envelopes sent, %d unacknowledged\n",
				time.Since(rep.started).Round(time.Second), rep.sent, s.unacked())
		}
	}
}

// sendOne sends a slash command or a button click by a random rep.
func (s *soak) sendOne(ctx context.Context, buttons []slacktest.Message, rep *report) {
	user := s.reps[rand.N(len(s.reps))]
	roll := rand.N(100)
	var env slacktest.Envelope
	switch {
	case roll < 25 && len(buttons) > 0:
		m := buttons[rand.N(len(buttons))]
		cb, ok := clickIn(m)
		if !ok {
			return
		}
		cb.TriggerID = s.slack.NewTriggerID()
		// Slack gives every press of a button on a message a response_url.
		cb.ResponseURL = s.slack.NewResponseURL(m.Channel, cb.User.ID, m.TS)
		env = s.envelope("interactive", &cb, false)
	default:
		text := "help"
		switch {
		case roll < 60:
			text = "" // the rep's own status
		case roll < 63:
			// Kudos post to a channel: about 18 a minute here, next to the
			// check-ins and reminders, keeps the load inside the workspace's
			// post rate, as a real team's would be. Above that rate posts
			// queue (Slack's limits are waited out, never dropped), and the
			// process grows with the queue.
			team := s.teamOf[user]
			to := team.Reps[rand.N(len(team.Reps))]
			text = fmt.Sprintf("kudos <@%s> great call with the customer", to)
		}
		cmd := slack.SlashCommand{Command: "/pulse", Text: text, UserID: user, UserName: user, ChannelID: soakChannel,
			TeamID: s.slack.TeamID(), APIAppID: s.slack.AppID(), TriggerID: s.slack.NewTriggerID(),
			ResponseURL: s.slack.NewResponseURL(soakChannel, user, "")}
		env = s.envelope("slash_commands", cmd, true)
	}
	at := time.Now()
	if err := s.slack.SendEnvelope(ctx, env); err != nil {
		return // the load is over
	}
	s.mu.Lock()
	s.envs[env.EnvelopeID] = &sent{env: env, lastAt: at}
	s.mu.Unlock()
	rep.sent++
	if env.Type == "interactive" {
		rep.clicks++
	} else {
		rep.commands++
	}
}

func (s *soak) envelope(typ string, payload any, accepts bool) slacktest.Envelope {
	b, err := json.Marshal(payload)
	if err != nil {
		panic(err) // the soak's own types always encode
	}
	return slacktest.Envelope{Type: typ, EnvelopeID: s.slack.NewEnvelopeID(), Payload: b, AcceptsResponsePayload: accepts}
}

// buttonMessages returns the check-in DMs that still carry their buttons.
func (s *soak) buttonMessages() []slacktest.Message {
	var out []slacktest.Message
	for _, m := range s.slack.Messages("") {
		if !m.Updated && !m.Deleted && m.Metadata != nil && len(m.Blocks) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// clickIn presses the check-in DM's "I'm away today" button, as the rep
// the DM went to.
func clickIn(m slacktest.Message) (slack.InteractionCallback, bool) {
	var blocks []struct {
		BlockID  string `json:"block_id"`
		Elements []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
		} `json:"elements"`
	}
	if json.Unmarshal(m.Blocks, &blocks) != nil || len(m.Channel) < 2 {
		return slack.InteractionCallback{}, false
	}
	for _, b := range blocks {
		for _, e := range b.Elements {
			if e.ActionID != bot.ActionAwayToday {
				continue
			}
			user := "U" + m.Channel[1:] // the stand-in's DM channel of a user
			cb := slack.InteractionCallback{Type: slack.InteractionTypeBlockActions}
			cb.User.ID = user
			cb.Channel.ID = m.Channel
			cb.Container = slack.Container{Type: "message", ChannelID: m.Channel, MessageTs: m.TS}
			cb.Message.Timestamp = m.TS
			cb.ActionCallback.BlockActions = []*slack.BlockAction{{ActionID: e.ActionID, BlockID: b.BlockID, Value: e.Value,
				Type: "button", ActionTs: fmt.Sprintf("%d.000100", time.Now().Unix())}}
			return cb, true
		}
	}
	return slack.InteractionCallback{}, false
}

// redeliver marks acknowledged envelopes and sends again those left
// unacknowledged too long, as Slack does.
func (s *soak) redeliver(ctx context.Context, rep *report) {
	acked := map[string]bool{}
	for _, a := range s.slack.Acks() {
		acked[a.EnvelopeID] = true
	}
	var again []slacktest.Envelope
	s.mu.Lock()
	for id, e := range s.envs {
		if e.acked {
			continue
		}
		if acked[id] {
			e.acked = true
			continue
		}
		if e.retries < maxRetries && time.Since(e.lastAt) > redeliverAfter && s.slack.Queued() == 0 {
			e.retries++
			e.lastAt = time.Now()
			env := e.env
			env.RetryAttempt, env.RetryReason = e.retries, "timeout"
			again = append(again, env)
		}
	}
	s.mu.Unlock()
	for _, env := range again {
		if s.slack.SendEnvelope(ctx, env) == nil {
			rep.redelivered++
		}
	}
}

func (s *soak) unacked() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.envs {
		if !e.acked && e.retries <= maxRetries {
			n++
		}
	}
	return n
}

// timedSample is a sample with its time into the load.
type timedSample struct {
	at time.Duration
	s  sample
}

// medianSample is the median of each measure of the samples taken from one
// time into the load (included) to another (excluded).
func medianSample(all []timedSample, from, to time.Duration) sample {
	var in []sample
	for _, t := range all {
		if t.at >= from && t.at < to {
			in = append(in, t.s)
		}
	}
	if len(in) == 0 {
		return sample{}
	}
	median := func(of func(sample) int64) int64 {
		v := make([]int64, len(in))
		for i, s := range in {
			v[i] = of(s)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return sample{
		rssBytes:   median(func(s sample) int64 { return s.rssBytes }),
		anonBytes:  median(func(s sample) int64 { return s.anonBytes }),
		fileBytes:  median(func(s sample) int64 { return s.fileBytes }),
		heapBytes:  median(func(s sample) int64 { return s.heapBytes }),
		goroutines: int(median(func(s sample) int64 { return int64(s.goroutines) })),
		dbBytes:    median(func(s sample) int64 { return s.dbBytes }),
	}
}
