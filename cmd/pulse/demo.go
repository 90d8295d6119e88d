package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/demo"
)

const demoUsage = "usage: pulse demo [--out DIR] [--lang en|nb|ru|pl] [--crm hubspot]"

// demoCmd runs a simulated week for a small sales team against the
// built-in Slack stand-in, prints what each person saw, and writes the
// transcript as HTML with the week's chart into a folder. It needs no
// tokens and no network, and fails when any step of the week did.
func demoCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	out := fs.String("out", "", "folder for transcript.html and the chart (default: a new temporary folder)")
	lang := fs.String("lang", string(pulse.English), "language of the team and its people: en, nb, ru or pl")
	crm := fs.String("crm", "", "take the team's numbers from a CRM's stand-in: hubspot")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "pulse demo: %v\n%s\n", err, demoUsage)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "pulse demo: unexpected argument %q\n%s\n", fs.Arg(0), demoUsage)
		return exitUsage
	}
	l, ok := pulse.ParseLang(*lang)
	if !ok {
		fmt.Fprintf(stderr, "pulse demo: unknown language %q\n%s\n", *lang, demoUsage)
		return exitUsage
	}
	kind, ok := pulse.ParseCRMKind(*crm)
	if !ok || (kind != pulse.CRMTyped && kind != pulse.CRMHubSpot) {
		fmt.Fprintf(stderr, "pulse demo: no stand-in for the CRM %q; the demo has hubspot\n%s\n", *crm, demoUsage)
		return exitUsage
	}
	res, err := demo.Run(ctx, demo.Options{Out: *out, Lang: l, Stdout: stdout, CRM: kind})
	if res.HTML != "" {
		if werr := res.WriteSummary(stdout); werr != nil {
			fmt.Fprintf(stderr, "pulse demo: %v\n", werr)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "pulse %v\n", err)
		return exitFail
	}
	return exitOK
}
