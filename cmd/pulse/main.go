// Command pulse runs Pulse, the Slack bot that keeps a sales team's
// leadership pulse, and the tools to operate it: backup, restore, export,
// a health check for containers, and a demo that needs no Slack account.
//
// main only turns signals into a context and hands the process's arguments,
// environment and output to Main, so that tests run every subcommand
// in-process with an environment and output of their own.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
	"text/tabwriter"

	"github.com/salespulse/pulse"

	// The static binary carries the zone database, so time zones work in a
	// container image that has none.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes of every subcommand.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and failed
	exitUsage = 2 // bad arguments or configuration: nothing was done
)

// subcommand runs one of pulse's commands. It reads its settings through
// env only, writes only to stdout and stderr, stops when ctx is done, closes
// everything it opened, and returns the process's exit code.
type subcommand func(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int

// command is one entry of pulse's command list, for dispatch and for usage.
type command struct {
	name    string
	args    string
	summary string
	run     subcommand
}

// commands lists pulse's subcommands in the order usage shows them.
// help is answered by Main itself, since it prints this list.
var commands = []command{
	{"run", "", "connect to Slack and run the bot (needs the two tokens)", runCmd},
	{"demo", "[--out DIR] [--lang en|nb|ru|pl] [--crm hubspot]", "run a simulated week of a sales team against a built-in Slack stand-in", demoCmd},
	{"backup", "[--force] <file>", "write a consistent copy of the database to file", backupCmd},
	{"restore", "<file>", "replace the database with a backup, keeping the old one beside it", restoreCmd},
	{"export", "--team NAME [--from DATE] [--to DATE] [--out FILE]", "write a team's check-ins as CSV (the last 4 weeks by default)", exportCmd},
	{"crm", "check", "print each team's CRM connection and every rep's match, without a secret", crmCmd},
	{"plan", "import FILE.csv [--team NAME] | export [--team NAME] [--out FILE]", "import reps' plans from CSV, or export them", planCmd},
	{"migrate", "--to postgres://…", "copy the bbolt database into an empty PostgreSQL database, checking every count", migrateCmd},
	{"healthcheck", "", "ask a running pulse's /healthz; exit 0 when healthy", healthcheckCmd},
	{"version", "", "print the version and how it was built", versionCmd},
}

// Main runs the subcommand named by args[0] and returns the exit code. With
// no subcommand or an unknown one it prints usage on stderr and returns 2.
func Main(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "pulse: no command given")
		printUsage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		printUsage(stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, rest, env, stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "pulse: unknown command %q\n", name)
	printUsage(stderr)
	return exitUsage
}

// printUsage writes the command list and the environment variables with
// their defaults.
func printUsage(w io.Writer) {
	fmt.Fprint(w, "Pulse keeps a sales team's leadership pulse in Slack.\n\nUsage: pulse <command> [arguments]\n\nCommands:\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s %s\t%s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintf(tw, "  help\tprint this help\n")
	tw.Flush()

	fmt.Fprint(w, "\nEnvironment (config.example.env lists them with comments):\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, v := range configVars() {
		def := v.Default
		switch {
		case v.Required:
			def = "(required by run)"
		case def == "":
			def = "(empty)"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", v.Key, def)
	}
	tw.Flush()
}

// versionCmd prints Pulse's version, the Go toolchain, and the commit it
// was built from when the build recorded it.
func versionCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "pulse version takes no arguments")
		return exitUsage
	}
	fmt.Fprintf(stdout, "pulse %s\n%s %s/%s\n", pulse.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if info, ok := debug.ReadBuildInfo(); ok {
		vcs := map[string]string{}
		for _, s := range info.Settings {
			vcs[s.Key] = s.Value
		}
		if rev := vcs["vcs.revision"]; rev != "" {
			line := "commit " + rev
			if t := vcs["vcs.time"]; t != "" {
				line += " " + t
			}
			if vcs["vcs.modified"] == "true" {
				line += " (modified)"
			}
			fmt.Fprintln(stdout, line)
		}
	}
	return exitOK
}
