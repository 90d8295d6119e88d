package demo_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/demo"
)

func TestWeekRuns(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	res, err := demo.Run(ctx, demo.Options{Out: t.TempDir(), Lang: pulse.English, Stdout: &out})
	t.Logf("elapsed %s, delivered %v", res.Elapsed, res.Delivered)
	t.Log(out.String())
	if err != nil {
		t.Fatal(err)
	}
}
