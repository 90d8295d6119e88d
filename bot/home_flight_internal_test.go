package bot

import (
	"context"
	"errors"
	"runtime"
	"testing"
)

// A publish whose run panics ends all the same: the effect waiting for it
// is told it stopped (and is given back, not marked sent), and the
// person's entry goes.
func TestHomeFlightRunThatPanicsFailsItsWaiters(t *testing.T) {
	f := newHomeFlights()
	ctx := context.Background()
	since := f.now()
	running := make(chan struct{})
	panicNow := make(chan struct{})
	panicked := make(chan any, 1)
	go func() {
		defer func() { panicked <- recover() }()
		_ = f.publish(ctx, "U1", since, func(context.Context) error {
			close(running)
			<-panicNow
			panic("render")
		})
	}()
	<-running
	waited := make(chan error, 1)
	go func() {
		waited <- f.publish(ctx, "U1", since, func(context.Context) error {
			t.Error("a second publish ran for an effect the first covers")
			return nil
		})
	}()
	for f.inFlight("U1") != 2 { // the waiter joins at once
		runtime.Gosched()
	}
	close(panicNow)
	if p := <-panicked; p != "render" {
		t.Errorf("recovered %v, want the run's panic", p)
	}
	if err := <-waited; !errors.Is(err, errHomeStopped) {
		t.Errorf("the waiting effect got %v, want errHomeStopped", err)
	}
	if n := len(f.people); n != 0 {
		t.Errorf("%d entries left", n)
	}
}
