package demo_test

import (
	"context"
	"testing"

	"github.com/salespulse/pulse/demo"
)

// BenchmarkWeek measures a whole simulated week: about 10,000 engine
// ticks, 90 scripted actions and the transcript written.
func BenchmarkWeek(b *testing.B) {
	for b.Loop() {
		if _, err := demo.Run(context.Background(), demo.Options{Out: b.TempDir()}); err != nil {
			b.Fatal(err)
		}
	}
}
