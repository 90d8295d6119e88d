// Command pulsesoak runs the real pulse binary against the Slack stand-in
// for a while under a steady load and reports what held up: a thousand reps
// in teams across several time zones, whose check-ins fall due during the
// run; a stream of slash commands and button clicks; the socket dropped
// every minute; bursts of 429s. At the end it says how many envelopes were
// handled, redelivered and lost, how many check-ins went out once, twice or
// never, the ack latency's p50 and p99, and the process's memory,
// goroutines and database size at the start and the end.
//
//	go run ./cmd/pulsesoak -duration 10m
//
// It exits 1 when an envelope was lost or a check-in went out twice or
// never.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// options are the soak's flags.
type options struct {
	duration time.Duration
	reps     int
	teams    int
	rate     float64 // envelopes a second
	drop     time.Duration
	burst    time.Duration
	pulse    string
	keep     bool
	profiles bool
}

func main() {
	var o options
	flag.DurationVar(&o.duration, "duration", 10*time.Minute, "how long the load runs")
	flag.IntVar(&o.reps, "reps", 1000, "reps in all, split across the teams")
	flag.IntVar(&o.teams, "teams", 10, "teams, each in a time zone of its own")
	flag.Float64Var(&o.rate, "rate", 10, "slash commands and button clicks a second")
	flag.DurationVar(&o.drop, "drop", time.Minute, "how often the socket is dropped")
	flag.DurationVar(&o.burst, "burst", 45*time.Second, "how often a burst of 429s hits chat.postMessage")
	flag.StringVar(&o.pulse, "pulse", "", "the pulse binary to run (default: build ./cmd/pulse)")
	flag.BoolVar(&o.keep, "keep", false, "keep the working folder (database, logs) at the end")
	flag.BoolVar(&o.profiles, "profiles", false, "save pulse's goroutines and heap at the end of the load, from its /debug/pprof/, into the working folder (implies -keep)")
	flag.Parse()
	if o.duration < 2*time.Minute || o.reps < o.teams || o.teams < 1 || o.rate <= 0 {
		fmt.Fprintln(os.Stderr, "pulsesoak: need -duration of at least 2m, -teams ≥ 1, -reps ≥ -teams and -rate > 0")
		os.Exit(2)
	}
	o.keep = o.keep || o.profiles
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, o, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, o options, stdout, stderr io.Writer) int {
	s, err := newSoak(ctx, o, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "pulsesoak: %v\n", err)
		return 1
	}
	defer s.close()
	rep, err := s.run(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "pulsesoak: %v\n", err)
		return 1
	}
	rep.print(stdout)
	if !rep.ok() {
		return 1
	}
	return 0
}
