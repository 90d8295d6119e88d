package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// part stands in for the bot or the engine: it runs until its context
// ends, or fails with err when told, and records the order of events.
type part struct {
	name string
	log  *events
	fail chan error
}

type events struct {
	mu   sync.Mutex
	list []string
}

func (e *events) add(s string) {
	e.mu.Lock()
	e.list = append(e.list, s)
	e.mu.Unlock()
}

func (e *events) get() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.list...)
}

func (p *part) Run(ctx context.Context) error {
	select {
	case <-ctx.Done():
		p.log.add(p.name + " stopped")
		return nil
	case err := <-p.fail:
		p.log.add(p.name + " failed")
		return err
	}
}

func (p *part) Close() error {
	p.log.add(p.name + " closed")
	return nil
}

func TestRunBotAndEngineStopsBothAndClosesTheEngineLast(t *testing.T) {
	boom := errors.New("token refused")
	tests := []struct {
		name    string
		stop    func(cancel context.CancelFunc, bot, engine *part)
		wantErr error
		first   string // the part that ends first
	}{
		{"a signal stops both, then the engine closes",
			func(cancel context.CancelFunc, _, _ *part) { cancel() }, nil, ""},
		{"the bot failing stops the engine",
			func(_ context.CancelFunc, bot, _ *part) { bot.fail <- boom }, boom, "bot failed"},
		{"the engine failing stops the bot",
			func(_ context.CancelFunc, _, engine *part) { engine.fail <- boom }, boom, "engine failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			log := &events{}
			bot := &part{name: "bot", log: log, fail: make(chan error, 1)}
			engine := &part{name: "engine", log: log, fail: make(chan error, 1)}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- runBotAndEngine(ctx, bot, engine, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
			tt.stop(cancel, bot, engine)
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("runBotAndEngine did not return")
			}
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			got := log.get()
			if len(got) != 3 || got[2] != "engine closed" {
				t.Fatalf("events %v, want both parts ended, then the engine closed", got)
			}
			if tt.first != "" && got[0] != tt.first {
				t.Errorf("events %v, want %q first", got, tt.first)
			}
		})
	}
}
