package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/hubspot/hubspottest"
	"github.com/salespulse/pulse/storage"
)

func TestCRMCheckPrintsEachRepsMatchAndNoSecret(t *testing.T) {
	ctx := context.Background()
	hub := hubspottest.NewServer()
	defer hub.Close()
	ola := hub.AddOwner("ola@example.com", "Ola", "Nordmann")

	dbPath := filepath.Join(t.TempDir(), "pulse.db")
	db, err := storage.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*pulse.Person{{ID: "UOLA", Name: "Ola", Email: "ola@example.com"}, {ID: "UNIA", Name: "Nia", Email: "nia@example.com"}, {ID: "UPER", Name: "Per"}} {
		if err := db.SavePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	team := pulse.NewTeam("Nordic", "Europe/Oslo")
	team.Managers, team.Reps = []string{"UBOSS"}, []string{"UOLA", "UNIA", "UPER"}
	team.NumbersFrom = pulse.CRMHubSpot
	team.Metrics = []pulse.Metric{{Key: "calls", Name: "Calls", Measure: pulse.MeasureSpec{Measure: pulse.MeasureCalls}}}
	typed := pulse.NewTeam("Typed", "Europe/Oslo")
	typed.Managers = []string{"UBOSS"}
	for _, tm := range []*pulse.Team{team, typed} {
		if err := db.CreateTeam(ctx, tm); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveCRMMatch(ctx, &pulse.CRMMatch{TeamID: team.ID, Rep: "UNIA", Kind: pulse.CRMHubSpot, OwnerID: "777", By: pulse.CRMMatchHand}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"PULSE_DB_PATH": dbPath, "PULSE_HUBSPOT_TOKEN": hub.Token(), "PULSE_HUBSPOT_API_URL": hub.URL()}

	r := runPulse(t, env, "crm", "check")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"HubSpot: ok, 1 users",
		`team "Nordic": numbers from HubSpot (ok, 1 users)`,
		"not pulled yet",
		"Ola (UOLA)  HubSpot user " + ola + " by email, at the next pull",
		"Nia (UNIA)  HubSpot user 777, matched by hand",
		"Per (UPER)  not matched",
		`team "Typed": numbers typed`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout+r.stderr, hub.Token()) {
		t.Error("the token was printed")
	}

	hub.Revoke()
	r = runPulse(t, env, "crm", "check")
	if r.code != exitFail || !strings.Contains(r.stdout, "HubSpot: credential refused") || strings.Contains(r.stdout+r.stderr, hub.Token()) {
		t.Errorf("with the token revoked: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}

	delete(env, "PULSE_HUBSPOT_TOKEN")
	if r = runPulse(t, env, "crm", "check"); r.code != exitFail || !strings.Contains(r.stdout, "HubSpot: no credentials in the environment") {
		t.Errorf("without a token: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
	if r = runPulse(t, env, "crm", "sync"); r.code != exitUsage {
		t.Errorf("pulse crm sync: exit %d; want usage", r.code)
	}
}
