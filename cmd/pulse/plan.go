package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

// maxPlanFile bounds a plans file: it travels in one control request.
const maxPlanFile = 768 << 10

const planUsage = `usage: pulse plan import FILE.csv [--team NAME] [--by USERID]
       pulse plan export [--team NAME] [--out FILE]`

// planCmd imports a team's plans from CSV or exports them. While `pulse
// run` holds the database, the running process does it over its control
// socket; with PULSE_DATABASE_URL it works on PostgreSQL directly, as
// every replica does. Emails in a file are looked up in Slack with the bot
// token.
func planCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		fmt.Fprintf(stderr, "pulse plan: say import or export\n%s\n", planUsage)
		return exitUsage
	}
	op := args[0]
	fs := flag.NewFlagSet("pulse plan "+op, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	team := fs.String("team", "", "the team's name (default: the one team the file's reps are in)")
	by := fs.String("by", "", "the Slack user ID recorded as having set the plans")
	out := fs.String("out", "", "file to write (default: standard output)")
	// Flags may come before or after the file's name.
	var files []string
	rest := args[1:]
	for {
		if err := fs.Parse(rest); err != nil {
			fmt.Fprintf(stderr, "pulse plan %s: %v\n%s\n", op, err, planUsage)
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files, rest = append(files, fs.Arg(0)), fs.Args()[1:]
	}
	req := controlRequest{Op: "plan-" + op, Team: *team, By: *by}
	switch {
	case op == "import" && len(files) != 1:
		fmt.Fprintf(stderr, "pulse plan import: name one CSV file\n%s\n", planUsage)
		return exitUsage
	case op == "export" && len(files) > 0:
		fmt.Fprintf(stderr, "pulse plan export: unexpected argument %q\n%s\n", files[0], planUsage)
		return exitUsage
	case *by != "" && !pulse.ValidUserID(*by):
		fmt.Fprintf(stderr, "pulse plan %s: --by %q is not a Slack user ID\n", op, *by)
		return exitUsage
	}
	if op == "import" {
		data, err := readPlanFile(files[0])
		if err != nil {
			fmt.Fprintf(stderr, "pulse plan import: %v\n", err)
			return exitFail
		}
		req.CSV = string(data)
		req.Emails = lookupEmails(ctx, env, data, stderr)
	}
	dbPath := lookupOrDefault(env, "PULSE_DB_PATH")
	dsn, onPostgres := env("PULSE_DATABASE_URL")
	onPostgres = onPostgres && dsn != ""
	if err := requireFile(dbPath); err != nil && !onPostgres {
		fmt.Fprintf(stderr, "pulse plan %s: %v\n", op, err)
		return exitFail
	}
	w, commit, abort := io.Writer(stdout), func() error { return nil }, func() {}
	if op == "export" {
		var err error
		if w, commit, abort, err = openOut(*out, stdout); err != nil {
			fmt.Fprintf(stderr, "pulse plan export: %v\n", err)
			return exitFail
		}
	}
	err := runPlan(ctx, env, dbPath, req, w)
	if err == nil {
		err = commit()
	} else {
		abort()
	}
	if err != nil {
		fmt.Fprintf(stderr, "pulse plan %s: %v\n", op, err)
		return exitFail
	}
	return exitOK
}

// readPlanFile reads a plans file, refusing one too big to be a team's.
func readPlanFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxPlanFile+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > maxPlanFile {
		return nil, fmt.Errorf("%s is larger than %d KiB; split it", path, maxPlanFile>>10)
	}
	return data, nil
}

// lookupEmails finds the Slack user of each email in the file's first
// column, with the bot token when there is one.
func lookupEmails(ctx context.Context, env Env, data []byte, stderr io.Writer) map[string]string {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	var emails []string
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			continue
		}
		if !first && len(rec) > 0 && pulse.IsEmail(rec[0]) && !pulse.StartsFormula(rec[0]) {
			emails = append(emails, strings.TrimSpace(rec[0]))
		}
	}
	if len(emails) == 0 {
		return nil
	}
	token := lookupOrDefault(env, "PULSE_SLACK_BOT_TOKEN")
	if token == "" {
		fmt.Fprintln(stderr, "pulse plan import: the file names people by email; set PULSE_SLACK_BOT_TOKEN to look them up in Slack")
		return nil
	}
	api := slack.New(token, slack.OptionAPIURL(lookupOrDefault(env, "PULSE_SLACK_API_URL")))
	out := make(map[string]string, len(emails))
	for _, e := range emails {
		if _, done := out[e]; done {
			continue
		}
		u, err := api.GetUserByEmailContext(ctx, e)
		if err != nil {
			continue // the row says the email is unknown
		}
		out[e] = u.ID
	}
	return out
}

// runPlan does req on the database itself when it is free (PostgreSQL
// always is), else through the pulse that holds it.
func runPlan(ctx context.Context, env Env, dbPath string, req controlRequest, w io.Writer) error {
	if dsn, ok := env("PULSE_DATABASE_URL"); ok && dsn != "" {
		db, err := storage.OpenPostgres(ctx, dsn)
		if err != nil {
			return err
		}
		defer db.Close()
		return doPlan(ctx, db, req, w, time.Now())
	}
	db, err := storage.Open(dbPath)
	if errors.Is(err, storage.ErrLocked) {
		body, err := askControl(ctx, controlPaths(env, dbPath), req)
		if errors.Is(err, errNoControl) {
			return fmt.Errorf("%s is held by another process, and %w", dbPath, err)
		}
		if err != nil {
			return err
		}
		defer body.Close()
		return readChunks(body, w)
	}
	if err != nil {
		return err
	}
	defer db.Close()
	return doPlan(ctx, db, req, w, time.Now())
}

// doPlan imports or exports a team's plans in store, writing what it did
// or the file to w.
func doPlan(ctx context.Context, store pulse.Store, req controlRequest, w io.Writer, now time.Time) error {
	team, err := planTeam(ctx, store, req)
	if err != nil {
		return err
	}
	if req.Op == "plan-export" {
		plans, err := store.TeamPlans(ctx, team.ID, pulse.Date{}, pulse.Date{})
		if err != nil {
			return err
		}
		return pulse.WritePlans(w, team, plans)
	}
	resolve := func(email string) (string, bool) {
		id, ok := req.Emails[email]
		return id, ok
	}
	plans, err := pulse.ReadPlans(strings.NewReader(req.CSV), team, resolve, req.By, now)
	if err != nil {
		return err
	}
	if err := store.SavePlans(ctx, team.ID, plans); err != nil {
		return err
	}
	reps := map[string]bool{}
	for _, p := range plans {
		reps[p.UserID] = true
	}
	_, err = fmt.Fprintf(w, "imported %d plans of %d reps into team %s\n", len(plans), len(reps), team.Name)
	return err
}

// planTeam is the team req names, or, without a name, the one team of the
// database, or the one team every user ID of the file is a rep of.
func planTeam(ctx context.Context, store pulse.Store, req controlRequest) (*pulse.Team, error) {
	if req.Team != "" {
		t, err := store.TeamByName(ctx, req.Team)
		if err != nil {
			return nil, fmt.Errorf("team %q: %w", req.Team, err)
		}
		return t, nil
	}
	teams, err := store.Teams(ctx)
	if err != nil {
		return nil, err
	}
	if len(teams) == 1 {
		return teams[0], nil
	}
	var users []string
	sc := bufio.NewScanner(strings.NewReader(req.CSV))
	for sc.Scan() {
		user, _, _ := strings.Cut(sc.Text(), ",")
		if pulse.ValidUserID(strings.TrimSpace(user)) {
			users = append(users, strings.TrimSpace(user))
		}
	}
	var fit []*pulse.Team
	for _, t := range teams {
		all := len(users) > 0
		for _, u := range users {
			all = all && t.IsRep(u)
		}
		if all {
			fit = append(fit, t)
		}
	}
	if len(fit) == 1 {
		return fit[0], nil
	}
	return nil, errors.New("the database holds several teams: name one with --team")
}

// planControl serves a plan import or export on the control socket.
func (s *controlServer) planControl(c io.Writer, req controlRequest) (int64, error) {
	var buf bytes.Buffer
	if err := doPlan(s.ctx, s.db, req, &buf, time.Now()); err != nil {
		return 0, answer(c, err)
	}
	if err := answer(c, nil); err != nil {
		return 0, err
	}
	cw := chunkWriter{c}
	if _, err := cw.Write(buf.Bytes()); err != nil {
		return 0, err
	}
	return int64(buf.Len()), cw.end()
}
