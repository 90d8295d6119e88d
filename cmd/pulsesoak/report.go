package main

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/salespulse/pulse"
)

// report is what the soak found.
type report struct {
	o                    options
	started, ended       time.Time
	startSample          sample
	endSample            sample // as the load ends
	idleSample           sample // once in-flight work has drained, or a minute later
	baseline             sample // median of the load's second minute
	lastMinute           sample // median of the load's last minute
	hasBaseline          bool   // the load lasted long enough for one
	idleAfter            time.Duration
	exitErr              error
	sent, commands       int
	clicks, redelivered  int
	drops, bursts        int
	handled, lost        int
	latencies            []time.Duration
	checkInsDue          int
	once, twice, never   int
	remindersOnce        int
	remindersTwice       int
	limited, connections int
	errorLines           int
	teamsLate            int   // teams whose DMs could not all go out before the end
	peakRSS              int64 // the largest RSS sampled during the load
}

// A team's check-ins are judged only once its DMs could all have gone out
// at pulse's default of 200 posts a minute, the workspace's pace, which all
// teams share: behind what is still queued of the teams due before it, with
// a margin for the bursts of 429s, and never less than fanOutTime.
const (
	fanOutTime     = 60 * time.Second
	postsPerMinute = 200
)

// tally reads the stand-in's records and pulse's log.
func (s *soak) tally(r *report) {
	s.tallyAcks(r)
	posts := s.jobPosts()
	s.tallyCheckIns(r, posts[pulse.JobCheckIn])
	for _, days := range posts[pulse.JobReminder] {
		for _, n := range days {
			if n == 1 {
				r.remindersOnce++
			} else {
				r.remindersTwice++
			}
		}
	}
	for _, c := range s.slack.Calls() {
		if c.Status == 429 {
			r.limited++
		}
	}
	r.connections = s.slack.ConnectionsOpened()
	if b, err := os.ReadFile(s.logFile.Name()); err == nil {
		r.errorLines = bytes.Count(b, []byte(`"level":"ERROR"`))
	}
}

// tallyAcks counts the envelopes sent that were acknowledged, with the
// latency of each one's first ack, and those that never were.
func (s *soak) tallyAcks(r *report) {
	first := map[string]time.Duration{}
	for _, a := range s.slack.Acks() {
		if _, seen := first[a.EnvelopeID]; !seen && !a.SentAt.IsZero() {
			first[a.EnvelopeID] = a.Latency
		}
	}
	s.mu.Lock()
	for id := range s.envs {
		if l, ok := first[id]; ok {
			r.handled++
			r.latencies = append(r.latencies, l)
		} else {
			r.lost++
		}
	}
	s.mu.Unlock()
	slices.Sort(r.latencies)
}

// jobPosts counts the scheduled messages posted per job key: kind → rep →
// occurrence → posts. A team whose local day turns during the run rightly
// gets one check-in for each of its two days.
func (s *soak) jobPosts() map[pulse.JobKind]map[string]map[string]int {
	posts := map[pulse.JobKind]map[string]map[string]int{}
	for _, m := range s.slack.Messages("") {
		if m.Updated || m.Deleted || m.Metadata == nil {
			continue
		}
		v, _ := m.Metadata.EventPayload[pulse.MetadataJobField].(string)
		k, ok := pulse.ParseJobKey(v)
		if !ok {
			continue
		}
		if posts[k.Kind] == nil {
			posts[k.Kind] = map[string]map[string]int{}
		}
		if posts[k.Kind][k.UserID] == nil {
			posts[k.Kind][k.UserID] = map[string]int{}
		}
		posts[k.Kind][k.UserID][k.Occurrence]++
	}
	return posts
}

// tallyCheckIns counts, for each rep of a team that fell due early enough
// in the run to judge, whether their check-in was posted never, once or
// twice; checkIns holds the check-ins' posts by rep and occurrence.
func (s *soak) tallyCheckIns(r *report, checkIns map[string]map[string]int) {
	teams := slices.Clone(s.teams)
	slices.SortStableFunc(teams, func(a, b *pulse.Team) int { return s.dueAt[a.ID].Compare(s.dueAt[b.ID]) })
	var drained time.Time // when the DMs of the teams before would be out
	for _, t := range teams {
		due := s.dueAt[t.ID]
		if drained.Before(due) {
			drained = due
		}
		drained = drained.Add(time.Duration(len(t.Reps)) * time.Minute / postsPerMinute)
		fanOut := max(fanOutTime, drained.Sub(due)*5/4)
		if due.Add(fanOut).After(r.ended) {
			r.teamsLate++
			continue // fell due too late in the run to judge
		}
		for _, rep := range t.Reps {
			r.checkInsDue++
			days := checkIns[rep]
			switch {
			case len(days) == 0:
				r.never++
			case slices.ContainsFunc(slices.Collect(maps.Values(days)), func(n int) bool { return n > 1 }):
				r.twice++
			default:
				r.once++
			}
		}
	}
}

// ok reports whether nothing was lost or sent twice, and pulse stopped
// cleanly.
func (r *report) ok() bool {
	return r.lost == 0 && r.twice == 0 && r.never == 0 && r.remindersTwice == 0 && r.exitErr == nil
}

func (r *report) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(float64(len(r.latencies))*p))]
}

func (r *report) print(w io.Writer) {
	mb := func(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
	fmt.Fprintf(w, "pulsesoak: %s of load (%s in all), %d reps in %d teams across %d zones, %.0f envelopes/s\n",
		r.o.duration, r.ended.Sub(r.started).Round(time.Second), r.o.reps, r.o.teams, min(r.o.teams, len(zones)), r.o.rate)
	fmt.Fprintf(w, "envelopes: %d sent (%d commands, %d clicks), %d handled, %d lost; %d redeliveries\n",
		r.sent, r.commands, r.clicks, r.handled, r.lost, r.redelivered)
	fmt.Fprintf(w, "ack latency: p50 %s, p99 %s, max %s\n", r.percentile(0.50).Round(10*time.Microsecond),
		r.percentile(0.99).Round(10*time.Microsecond), r.percentile(1).Round(10*time.Microsecond))
	fmt.Fprintf(w, "check-ins due to %d reps: every one sent once %d, some sent twice %d, never %d\n", r.checkInsDue, r.once, r.twice, r.never)
	if r.teamsLate > 0 {
		fmt.Fprintf(w, "  %d teams not judged: at %d posts a minute their DMs could not all go out before the end\n", r.teamsLate, postsPerMinute)
	}
	fmt.Fprintf(w, "reminders: sent once %d, more than once %d\n", r.remindersOnce, r.remindersTwice)
	fmt.Fprintf(w, "faults: %d socket drops (%d connections opened), %d bursts of 429 (%d calls answered 429)\n",
		r.drops, r.connections, r.bursts, r.limited)
	fmt.Fprintf(w, "process: RSS %s -> %s (anonymous %s, file pages %s, Go heap in use %s), peak %s; goroutines %d -> %d, database %s -> %s (start -> end of load)\n",
		mb(r.startSample.rssBytes), mb(r.endSample.rssBytes), mb(r.endSample.anonBytes), mb(r.endSample.fileBytes), mb(r.endSample.heapBytes),
		mb(r.peakRSS), r.startSample.goroutines, r.endSample.goroutines, mb(r.startSample.dbBytes), mb(r.endSample.dbBytes))
	if r.hasBaseline {
		rss := growth(r.baseline.rssBytes, r.lastMinute.rssBytes)
		gor := growth(int64(r.baseline.goroutines), int64(r.lastMinute.goroutines))
		verdict := "flat (within 10%)"
		if rss > 0.10 || gor > 0.10 {
			verdict = "NOT flat (over 10%)"
		}
		fmt.Fprintf(w, "steady state, median of minute 2 -> of the last minute: RSS %s -> %s (%+.1f%%), goroutines %d -> %d (%+.1f%%): %s\n",
			mb(r.baseline.rssBytes), mb(r.lastMinute.rssBytes), 100*rss,
			r.baseline.goroutines, r.lastMinute.goroutines, 100*gor, verdict)
		fmt.Fprintf(w, "  RSS anonymous %s -> %s, file pages %s -> %s; Go heap in use %s -> %s\n",
			mb(r.baseline.anonBytes), mb(r.lastMinute.anonBytes), mb(r.baseline.fileBytes), mb(r.lastMinute.fileBytes),
			mb(r.baseline.heapBytes), mb(r.lastMinute.heapBytes))
	}
	fmt.Fprintf(w, "idle %s after the load: RSS %s, goroutines %d, database %s\n", r.idleAfter.Round(time.Second),
		mb(r.idleSample.rssBytes), r.idleSample.goroutines, mb(r.idleSample.dbBytes))
	exit := "clean"
	if r.exitErr != nil {
		exit = r.exitErr.Error()
	}
	fmt.Fprintf(w, "pulse exit: %s; error lines in its log: %d\n", exit, r.errorLines)
}

// growth is the relative change from a to b.
func growth(a, b int64) float64 {
	if a == 0 {
		return 0
	}
	return float64(b-a) / float64(a)
}
