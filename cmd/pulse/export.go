package main

import (
	"context"
	"fmt"
	"io"
)

// exportCmd will write teams' check-ins as CSV; until then it says so and
// fails.
func exportCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "pulse export: not built yet")
	return exitFail
}
