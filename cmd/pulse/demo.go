package main

import (
	"context"
	"fmt"
	"io"
)

// demoCmd will run a simulated week for a small sales team against the
// built-in Slack stand-in; until then it says so and fails.
func demoCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "pulse demo: not built yet")
	return exitFail
}
