package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

// crmCheckTimeout bounds the call made to each CRM.
const crmCheckTimeout = 30 * time.Second

// crmCmd runs `pulse crm check`: for each team whose numbers come from a
// CRM, whether the CRM answers with the environment's credentials, how the
// last pull went, and each rep's match (by email, by hand, or none). It
// prints no secret: credentials are only ever sent to their CRM. While
// `pulse run` holds the database, it reads a snapshot the running pulse
// makes over its control socket.
func crmCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	const usage = "usage: pulse crm check"
	if len(args) != 1 || args[0] != "check" {
		fmt.Fprintf(stderr, "pulse crm: %s\n", usage)
		return exitUsage
	}
	cfg, err := loadCRMConfig(env)
	if err != nil {
		fmt.Fprintf(stderr, "pulse crm check: %v\n", err)
		return exitUsage
	}
	crms, err := cfg.CRMs()
	if err != nil {
		fmt.Fprintf(stderr, "pulse crm check: %v\n", err)
		return exitUsage
	}
	dbPath := lookupOrDefault(env, "PULSE_DB_PATH")
	if err := requireFile(dbPath); err != nil {
		fmt.Fprintf(stderr, "pulse crm check: %v\n", err)
		return exitFail
	}
	db, cleanup, err := openForReading(ctx, env, dbPath)
	if err != nil {
		fmt.Fprintf(stderr, "pulse crm check: %v\n", err)
		return exitFail
	}
	defer cleanup()
	healthy, err := crmCheck(ctx, db, crms, cfg.crmNotes(crms), stdout)
	if err != nil {
		fmt.Fprintf(stderr, "pulse crm check: %v\n", err)
		return exitFail
	}
	if !healthy {
		return exitFail
	}
	return exitOK
}

// loadCRMConfig reads only the CRM variables of Config, so that the check
// runs without the Slack tokens.
func loadCRMConfig(env Env) (*Config, error) {
	cfg := &Config{}
	spec := reflect.ValueOf(cfg).Elem()
	var errs []error
	for _, v := range configVars() {
		if !strings.HasPrefix(v.Key, "PULSE_HUBSPOT_") && !strings.HasPrefix(v.Key, "PULSE_PIPEDRIVE_") && !strings.HasPrefix(v.Key, "PULSE_SALESFORCE_") {
			continue
		}
		value, ok := env(v.Key)
		if !ok || value == "" {
			value = v.Default
		}
		if err := setField(spec.FieldByName(v.Name), value); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", v.Key, err))
		}
	}
	return cfg, errors.Join(errs...)
}

// openForReading opens the database, or, while a running pulse holds it,
// a snapshot of it taken through the control socket.
func openForReading(ctx context.Context, env Env, dbPath string) (*storage.DB, func(), error) {
	db, err := storage.Open(dbPath)
	if err == nil {
		return db, func() { _ = db.Close() }, nil
	}
	if !errors.Is(err, storage.ErrLocked) {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "pulse-crm-check-")
	if err != nil {
		return nil, nil, err
	}
	snap := filepath.Join(dir, "pulse.db")
	if _, err := backupViaControl(ctx, controlPaths(env, dbPath), snap); err != nil {
		_ = os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("%s is held by a running pulse, and a snapshot failed: %w", dbPath, err)
	}
	db, err = storage.Open(snap)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, nil, err
	}
	return db, func() { _ = db.Close(); _ = os.RemoveAll(dir) }, nil
}

// crmNotes says, per CRM with a client, the settings it reads with beside
// its credentials.
func (c *Config) crmNotes(crms map[pulse.CRMKind]pulse.CRM) map[pulse.CRMKind]string {
	notes := map[pulse.CRMKind]string{}
	if crms[pulse.CRMPipedrive] != nil {
		if s, err := c.pipedriveSettings(); err == nil {
			notes[pulse.CRMPipedrive] = s.summary()
		}
	}
	return notes
}

// crmCheck writes the report and reports whether every connection a team
// uses answered. notes holds, per CRM, a line on the settings in use.
func crmCheck(ctx context.Context, store pulse.Store, crms map[pulse.CRMKind]pulse.CRM, notes map[pulse.CRMKind]string, w io.Writer) (bool, error) {
	teams, err := store.Teams(ctx)
	if err != nil {
		return false, err
	}
	healthy := true
	owners := map[pulse.CRMKind][]pulse.CRMOwner{}
	state := map[pulse.CRMKind]string{}
	for _, kind := range []pulse.CRMKind{pulse.CRMHubSpot, pulse.CRMPipedrive, pulse.CRMSalesforce} {
		used := slices.ContainsFunc(teams, func(t *pulse.Team) bool { return t.NumbersFrom == kind })
		c := crms[kind]
		switch {
		case c == nil && used:
			state[kind], healthy = "no credentials in the environment", false
		case c == nil:
			continue
		default:
			cctx, cancel := context.WithTimeout(ctx, crmCheckTimeout)
			list, err := c.Owners(cctx)
			cancel()
			switch {
			case pulse.ErrorCode(err) == pulse.EUNAUTHORIZED:
				state[kind], healthy = "credential refused", false
			case err != nil:
				state[kind], healthy = "unreachable: "+err.Error(), false
			default:
				state[kind], owners[kind] = fmt.Sprintf("ok, %d users", len(list)), list
			}
		}
		fmt.Fprintf(w, "%s: %s\n", kind.Title(), state[kind])
		if n := notes[kind]; n != "" {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
	for _, t := range teams {
		if t.NumbersFrom == pulse.CRMTyped {
			fmt.Fprintf(w, "\nteam %q: numbers typed\n", t.Name)
			continue
		}
		if err := teamReport(ctx, store, t, state[t.NumbersFrom], owners[t.NumbersFrom], w); err != nil {
			return false, err
		}
	}
	return healthy, nil
}

// teamReport writes one team's connection and each rep's match.
func teamReport(ctx context.Context, store pulse.Store, t *pulse.Team, state string, owners []pulse.CRMOwner, w io.Writer) error {
	fmt.Fprintf(w, "\nteam %q: numbers from %s (%s)\n", t.Name, t.NumbersFrom.Title(), state)
	if h, err := store.CRMHealth(ctx, t.ID); err == nil && h.Kind == t.NumbersFrom {
		last := "never"
		if !h.LastOK.IsZero() {
			last = h.LastOK.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(w, "  last pull that worked: %s", last)
		if h.Failing != "" {
			fmt.Fprintf(w, "; the last try at %s failed: %s", h.LastTry.UTC().Format(time.RFC3339), h.Failing)
		}
		fmt.Fprintln(w)
	} else {
		fmt.Fprintln(w, "  not pulled yet")
	}
	matches, err := store.CRMMatches(ctx, t.ID)
	if err != nil {
		return err
	}
	roster, err := store.Roster(ctx, t.ID, t.Reps)
	if err != nil {
		return err
	}
	emails := map[string]string{}
	for id, p := range roster.People {
		emails[id] = p.Email
	}
	byEmail, _ := pulse.MatchByEmail(t.Reps, emails, owners)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, rep := range t.Reps {
		name := rep
		if p := roster.People[rep]; p != nil && p.Name != "" {
			name = p.Name + " (" + rep + ")"
		}
		m, ok := matches[rep]
		switch {
		case ok && m.Kind == t.NumbersFrom:
			fmt.Fprintf(tw, "  %s\t%s user %s, matched by %s\n", name, t.NumbersFrom.Title(), m.OwnerID, m.By)
		case byEmail[rep].ID != "":
			fmt.Fprintf(tw, "  %s\t%s user %s by email, at the next pull\n", name, t.NumbersFrom.Title(), byEmail[rep].ID)
		default:
			fmt.Fprintf(tw, "  %s\tnot matched: /pulse crm match @rep <CRM user ID>\n", name)
		}
	}
	return tw.Flush()
}
