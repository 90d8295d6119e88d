package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/crm/hubspot"
	"github.com/salespulse/pulse/crm/hubspot/hubspottest"
)

// The week with numbers from the CRM (pulse demo --crm hubspot): the team's
// calls and meetings come from the HubSpot stand-in, which holds each rep's
// logged calls and meetings of the week; the cadence pulls them before each
// check-in, hourly and once after each day, and the check-in modal shows them
// read-only.

// crmWorld is the CRM part of the simulation.
type crmWorld struct {
	srv    *hubspottest.Server
	syncer *cadence.CRMSyncer
}

// crmEmail is the email a person has in Slack and in the CRM.
func crmEmail(p Person) string {
	return strings.ToLower(strings.Fields(p.Name)[0]) + "@nordics.example"
}

// startCRM starts the HubSpot stand-in on the simulated clock, with an
// owner per rep and each rep's calls and meetings of the week in their own
// zone, and the syncer that pulls them. The stand-in's limits are lifted
// and the client does not wait: the simulated clock moves only minute by
// minute with the week, never inside a pull.
func (w *world) startCRM(kind pulse.CRMKind) error {
	if kind != pulse.CRMHubSpot {
		return fmt.Errorf("demo: numbers from %q: only hubspot has a stand-in in the demo", kind)
	}
	srv := hubspottest.NewServer(hubspottest.WithClock(w.clock),
		hubspottest.WithSearchLimit(1_000_000, time.Second), hubspottest.WithRequestLimit(1_000_000, 10*time.Second))
	noWait := func(ctx context.Context, _ time.Duration) error { return ctx.Err() }
	client, err := hubspot.New(hubspot.Config{Token: pulse.NewSecret(srv.Token()), BaseURL: srv.URL(), Workers: 1,
		Clock: w.clock, Sleep: noWait, SearchesPerSecond: 1_000_000, RequestsPerTenSecond: 1_000_000})
	if err != nil {
		srv.Close()
		return fmt.Errorf("demo: %w", err)
	}
	for i, p := range cast {
		if !w.team.IsRep(p.ID) {
			continue
		}
		owner := srv.AddOwner(crmEmail(p), strings.Fields(p.Name)[0], strings.Fields(p.Name)[1])
		loc, err := pulse.LoadLocation(p.TZ)
		if err != nil {
			loc = w.zone
		}
		for d := range 5 {
			day := monday.AddDays(d)
			for c := range 14 + 2*d + i {
				srv.AddCall(owner, day.At(pulse.TimeOfDay(7*60+30+c*3), loc))
			}
			start := day.At(pulse.TimeOfDay(7*60+15*i), loc)
			srv.AddMeeting(owner, start, start.Add(-time.Hour))
		}
	}
	syncer, err := cadence.NewCRMSyncer(cadence.CRMSyncConfig{
		Clock: w.clock, Store: w.db, Notifier: w.notifier, Owner: "demo",
		CRMs: map[pulse.CRMKind]pulse.CRM{pulse.CRMHubSpot: client},
	})
	if err != nil {
		srv.Close()
		return fmt.Errorf("demo: %w", err)
	}
	w.crm = &crmWorld{srv: srv, syncer: syncer}
	return nil
}

// crmTeam makes the seeded team's metrics come from the CRM.
func crmTeam(team *pulse.Team, kind pulse.CRMKind) {
	team.NumbersFrom = kind
	for i := range team.Metrics {
		switch team.Metrics[i].Key {
		case "calls":
			team.Metrics[i].Measure = pulse.MeasureSpec{Measure: pulse.MeasureCalls}
		case "meetings":
			team.Metrics[i].Measure = pulse.MeasureSpec{Measure: pulse.MeasureMeetingsBooked}
		}
	}
}

// tickCRM runs the syncer's minute.
func (w *world) tickCRM(ctx context.Context, t time.Time) {
	if w.crm == nil {
		return
	}
	if err := w.crm.syncer.Tick(ctx); err != nil {
		w.fail(t, "crm sync", err)
	}
}

// checkCRM fails the week unless every rep's Monday was pulled, final,
// from HubSpot, with the calls the stand-in holds.
func (w *world) checkCRM(ctx context.Context, failf func(string, ...any)) {
	if w.crm == nil {
		return
	}
	for i, p := range cast {
		if !w.team.IsRep(p.ID) {
			continue
		}
		f, err := w.db.CRMFigure(ctx, w.team.ID, p.ID, monday)
		switch {
		case err != nil:
			failf("%s's Monday was never pulled from HubSpot: %v", p.Name, err)
		case !f.Final || f.Source != pulse.CRMHubSpot || f.Values["calls"] != float64(14+i) || f.Values["meetings"] != 1:
			failf("%s's Monday from HubSpot = %+v; want final, %d calls and 1 meeting", p.Name, f, 14+i)
		}
	}
	if st := w.crm.srv.Stats(); st.RateLimited > 0 || st.Refused > 0 {
		failf("HubSpot answered %d 429s and refused %d calls", st.RateLimited, st.Refused)
	}
}

func (c *crmWorld) close() {
	if c != nil {
		c.srv.Close()
	}
}
