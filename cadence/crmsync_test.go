package cadence_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/cadence"
	"github.com/salespulse/pulse/crm/hubspot"
	"github.com/salespulse/pulse/crm/hubspot/hubspottest"
	"github.com/salespulse/pulse/storage"
)

// crmFixture is a team whose calls and won amounts come from the HubSpot
// stand-in: a rep in New York and one in Oslo, matched by email, and a
// third whose email HubSpot does not know. The days around 2026-03-29, the
// night Oslo moves its clocks forward (New York moved on 03-08), are
// workdays.
type crmFixture struct {
	t      *testing.T
	db     *storage.DB
	clock  *pulse.ManualClock
	slack  *slackRecorder
	hub    *hubspottest.Server
	crm    *hubspot.Client
	team   *pulse.Team
	owners map[string]string // rep → HubSpot owner ID
}

const unknownRep = "ULOST"

func newCRMFixture(t *testing.T, start time.Time) *crmFixture {
	t.Helper()
	db, err := storage.Open(filepath.Join(t.TempDir(), "pulse.db"))
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	clock := pulse.NewManualClock(start)
	db.Clock = clock
	hub := hubspottest.NewServer(hubspottest.WithClock(clock))
	t.Cleanup(hub.Close)
	client, err := hubspot.New(hubspot.Config{Token: pulse.NewSecret(hub.Token()), BaseURL: hub.URL(), Workers: 1, Clock: clock, Sleep: clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	f := &crmFixture{t: t, db: db, clock: clock, slack: newSlack(clock), hub: hub, crm: client, owners: map[string]string{}}
	for _, p := range []*pulse.Person{
		{ID: oslo, Name: "Ola", TZ: "Europe/Oslo", Email: "ola@example.com"},
		{ID: newYork, Name: "Nia", TZ: "America/New_York", Email: "nia@example.com"},
		{ID: unknownRep, Name: "Lu", TZ: "Europe/Oslo", Email: "lu@elsewhere.example"},
		{ID: boss, Name: "Bo", TZ: "Europe/Oslo"},
	} {
		if err := db.SavePerson(bg, p); err != nil {
			t.Fatal(err)
		}
	}
	f.owners[oslo] = hub.AddOwner("OLA@example.com", "Ola", "Nordmann")
	f.owners[newYork] = hub.AddOwner("nia@example.com", "Nia", "Smith")
	team := pulse.NewTeam("Nordic", "Europe/Oslo")
	team.Managers = []string{boss}
	team.Reps = []string{oslo, newYork, unknownRep}
	team.Workdays = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	team.NumbersFrom = pulse.CRMHubSpot
	team.Metrics = []pulse.Metric{
		{Key: "calls", Name: "Calls", Target: 40, Measure: pulse.MeasureSpec{Measure: pulse.MeasureCalls}},
		{Key: "won", Name: "Won", Measure: pulse.MeasureSpec{Measure: pulse.MeasureDealsWonAmount}},
		{Key: "referrals", Name: "Referrals"},
	}
	if err := db.CreateTeam(bg, team); err != nil {
		t.Fatal(err)
	}
	f.team = team
	return f
}

func (f *crmFixture) syncer(owner string) *cadence.CRMSyncer {
	f.t.Helper()
	s, err := cadence.NewCRMSyncer(cadence.CRMSyncConfig{
		Clock: f.clock, Store: f.db, Notifier: f.slack, Owner: owner,
		CRMs: map[pulse.CRMKind]pulse.CRM{pulse.CRMHubSpot: f.crm}, Admins: []string{"UADMIN"},
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

func (f *crmFixture) tickAt(s *cadence.CRMSyncer, at time.Time) {
	f.t.Helper()
	f.clock.Set(at)
	if err := s.Tick(bg); err != nil {
		f.t.Fatalf("tick at %s: %v", at, err)
	}
}

func (f *crmFixture) figure(rep string, day string) *pulse.CRMFigure {
	f.t.Helper()
	fig, err := f.db.CRMFigure(bg, f.team.ID, rep, pulse.MustDate(day))
	if err != nil {
		f.t.Fatalf("figure of %s on %s: %v", rep, day, err)
	}
	return fig
}

func TestCRMSyncCountsEachRepsLocalDayAcrossDaylightSaving(t *testing.T) {
	f := newCRMFixture(t, utc("2026-03-29 06:00"))
	osloZone, _ := time.LoadLocation("Europe/Oslo")
	nyZone, _ := time.LoadLocation("America/New_York")
	// Oslo: 00:30 on 03-29 is still winter time (22:30Z on 03-28) and 23:30
	// is summer time (21:30Z); 00:10 on 03-30 is the next day though it is
	// still 03-29 in UTC.
	f.hub.AddCall(f.owners[oslo], time.Date(2026, 3, 29, 0, 30, 0, 0, osloZone))
	f.hub.AddCall(f.owners[oslo], time.Date(2026, 3, 29, 23, 30, 0, 0, osloZone))
	f.hub.AddCall(f.owners[oslo], time.Date(2026, 3, 30, 0, 10, 0, 0, osloZone))
	// New York: 23:30 on 03-29 is 03:30Z on 03-30, still New York's 03-29.
	f.hub.AddCall(f.owners[newYork], time.Date(2026, 3, 29, 23, 30, 0, 0, nyZone))
	f.hub.AddDeal(f.owners[newYork], "1250.50", time.Date(2026, 3, 29, 15, 0, 0, 0, nyZone), true)
	f.hub.AddDeal(f.owners[newYork], "99", time.Date(2026, 3, 29, 16, 0, 0, 0, nyZone), false)

	s := f.syncer("run-a")
	// New York's day ends at 04:00Z on 03-30; its final pull is 30 minutes on.
	f.tickAt(s, utc("2026-03-30 04:30"))

	ny := f.figure(newYork, "2026-03-29")
	if !ny.Final || ny.Source != pulse.CRMHubSpot || ny.Values["calls"] != 1 || ny.Values["won"] != 1250.5 {
		t.Errorf("New York's 03-29 = %+v; want final, from HubSpot, 1 call, 1250.5 won", ny)
	}
	if _, typed := ny.Values["referrals"]; typed {
		t.Errorf("a typed metric came from the CRM: %v", ny.Values)
	}
	os := f.figure(oslo, "2026-03-29")
	if !os.Final || os.Values["calls"] != 2 {
		t.Errorf("Oslo's 03-29 = %+v; want final with 2 calls (00:30 winter time and 23:30 summer time)", os)
	}
	if got := f.figure(oslo, "2026-03-30").Values["calls"]; got != 1 {
		t.Errorf("Oslo's 03-30 has %v calls; want the one at 00:10", got)
	}
	if f.figure(oslo, "2026-03-30").Final {
		t.Error("Oslo's 03-30 is final before it ended")
	}
}

func TestCRMSyncPullsEachPointOnceAcrossRestarts(t *testing.T) {
	f := newCRMFixture(t, utc("2026-03-30 08:00"))
	first := f.syncer("run-a")
	f.tickAt(first, utc("2026-03-30 08:00")) // Oslo 10:00
	after := f.hub.Stats().Requests
	if after == 0 {
		t.Fatal("the first tick asked HubSpot nothing")
	}
	// The same minute again, and a restarted process (a new run) in it.
	f.tickAt(first, utc("2026-03-30 08:00"))
	f.tickAt(f.syncer("run-b"), utc("2026-03-30 08:00").Add(40*time.Second))
	if got := f.hub.Stats().Requests; got != after {
		t.Errorf("requests = %d after ticking the pulled point again; want %d", got, after)
	}

	// A run killed mid-pull left the 09:00Z point claimed and unfinished.
	key := pulse.JobKey{Kind: pulse.JobCRMSync, TeamID: f.team.ID, Occurrence: "20260330T0900Z"}
	if _, won, err := f.db.Claim(bg, key, "run-killed", utc("2026-03-30 09:00")); err != nil || !won {
		t.Fatalf("claim as the killed run: %v, %v", won, err)
	}
	restarted := f.syncer("run-c")
	f.tickAt(restarted, utc("2026-03-30 09:02"))
	if got := f.hub.Stats().Requests; got != after {
		t.Errorf("a claim two minutes old was taken over: requests %d, want %d", got, after)
	}
	f.tickAt(restarted, utc("2026-03-30 09:11"))
	took := f.hub.Stats().Requests
	if took == after {
		t.Error("the point left by the killed run was never pulled")
	}
	f.tickAt(restarted, utc("2026-03-30 09:12"))
	f.tickAt(f.syncer("run-d"), utc("2026-03-30 09:13"))
	if got := f.hub.Stats().Requests; got != took {
		t.Errorf("the taken-over point was pulled again: requests %d, want %d", got, took)
	}
	if job, err := f.db.Job(bg, key); err != nil || job.State != pulse.JobSent || job.Owner != "run-c" {
		t.Errorf("ledger entry = %+v, %v; want sent by run-c", job, err)
	}
}

func TestCRMSyncListsUnmatchedReps(t *testing.T) {
	f := newCRMFixture(t, utc("2026-03-30 08:00"))
	f.tickAt(f.syncer("run-a"), utc("2026-03-30 08:00"))
	h, err := f.db.CRMHealth(bg, f.team.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Unmatched) != 1 || h.Unmatched[0] != unknownRep || h.Failing != "" || !h.LastOK.Equal(utc("2026-03-30 08:00")) {
		t.Errorf("health = %+v; want %s unmatched and a pull that worked at 08:00", h, unknownRep)
	}
	if _, err := f.db.CRMFigure(bg, f.team.ID, unknownRep, pulse.MustDate("2026-03-30")); !pulse.IsNotFound(err) {
		t.Errorf("an unmatched rep has a CRM figure: %v", err)
	}
	m, err := f.db.CRMMatches(bg, f.team.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m[oslo].OwnerID != f.owners[oslo] || m[oslo].By != pulse.CRMMatchEmail {
		t.Errorf("Oslo's match = %+v; want owner %s by email (case ignored)", m[oslo], f.owners[oslo])
	}
}

func TestCRMSyncTellsARevokedTokenOnceAndKeepsTheNumbers(t *testing.T) {
	f := newCRMFixture(t, utc("2026-03-30 08:00"))
	f.hub.AddCall(f.owners[oslo], utc("2026-03-30 07:30"))
	s := f.syncer("run-a")
	f.tickAt(s, utc("2026-03-30 08:00"))
	f.hub.Revoke()
	for _, at := range []string{"2026-03-30 09:00", "2026-03-30 09:01", "2026-03-30 10:00", "2026-03-30 11:00"} {
		f.tickAt(s, utc(at))
	}
	told := f.slack.notices(pulse.JobCRMRefused)
	if len(told) != 2 {
		t.Fatalf("told %d times; want once to the manager and once to the admin: %+v", len(told), told)
	}
	for _, n := range told {
		p, ok := n.Payload.(pulse.CRMRefusedNotice)
		if !ok || p.CRM != pulse.CRMHubSpot || !p.LastOK.Equal(utc("2026-03-30 08:00")) || (n.To != boss && n.To != "UADMIN") {
			t.Errorf("notice = %+v", n)
		}
	}
	// One refused call per sync point, not one a minute.
	if got := f.hub.Stats().Refused; got != 3 {
		t.Errorf("HubSpot refused %d calls; want 3, one per hourly point", got)
	}
	fig := f.figure(oslo, "2026-03-30")
	if fig.Values["calls"] != 1 || !fig.FetchedAt.Equal(utc("2026-03-30 08:00")) {
		t.Errorf("figure after the token was revoked = %+v; want the 08:00 numbers kept", fig)
	}
	if h, _ := f.db.CRMHealth(bg, f.team.ID); h == nil || h.Failing != pulse.EUNAUTHORIZED {
		t.Errorf("health = %+v; want failing unauthorized", h)
	}
}
