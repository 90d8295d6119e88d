package storage_test

import (
	"sync"
	"testing"

	"github.com/salespulse/pulse"
)

func TestOutboxEffectCommitsWithTheCommandsWrite(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02")
	post := pulse.Effect{TeamID: team.ID, To: "C0SALES", Body: []byte(`{"text":"kudos"}`)}

	// A write that fails (no such team) leaves no effect behind.
	bad := &pulse.Kudos{TeamID: "T404", From: "U01", To: "U02", Text: "well done"}
	if err := db.SaveKudos(pulse.WithEffects(ctx, post), bad); err == nil {
		t.Fatal("kudos saved to a team that does not exist")
	}
	if got, err := db.PendingEffects(ctx); err != nil || len(got) != 0 {
		t.Fatalf("after a failed write, pending = %+v, %v; want none", got, err)
	}

	// The write that commits carries its effect, once, however many writes follow with the same context.
	wctx := pulse.WithEffects(ctx, post)
	must(t, db.SaveKudos(wctx, &pulse.Kudos{TeamID: team.ID, From: "U01", To: "U02", Text: "well done"}))
	must(t, db.SaveKudos(wctx, &pulse.Kudos{TeamID: team.ID, From: "U02", To: "U01", Text: "and you"}))
	got, err := db.PendingEffects(ctx)
	if err != nil || len(got) != 1 {
		t.Fatalf("pending = %+v, %v; want the one effect", got, err)
	}
	e := got[0]
	if e.Key.Kind != pulse.JobEffect || e.Key.TeamID != team.ID || e.Key.UserID != "" || e.To != "C0SALES" || string(e.Body) != `{"text":"kudos"}` || e.CreatedAt.IsZero() {
		t.Fatalf("effect = %+v", e)
	}
	dm := pulse.Effect{TeamID: team.ID, To: "U02", Body: []byte(`{}`)}
	must(t, db.SaveKudos(pulse.WithEffects(ctx, dm), &pulse.Kudos{TeamID: team.ID, From: "U01", To: "U02", Text: "again"}))
	got, _ = db.PendingEffects(ctx)
	if len(got) != 2 || got[0].Key != e.Key || got[1].Key.UserID != "U02" {
		t.Fatalf("pending = %+v; want the post, then the DM naming its recipient", got)
	}

	// An effect is claimed like a job; forgetting it empties the outbox but keeps the ledger's entry.
	if _, won, err := db.Claim(ctx, e.Key, "run-1", testNow); err != nil || !won {
		t.Fatalf("claim = %v, %v", won, err)
	}
	must(t, db.MarkSent(ctx, e.Key, "C0SALES", "1.000001", testNow))
	must(t, db.ForgetEffect(ctx, e.Key))
	must(t, db.ForgetEffect(ctx, e.Key))
	got, _ = db.PendingEffects(ctx)
	if len(got) != 1 || got[0].Key == e.Key {
		t.Fatalf("after forgetting, pending = %+v", got)
	}
	if j, err := db.Job(ctx, e.Key); err != nil || j.State != pulse.JobSent {
		t.Fatalf("ledger entry = %+v, %v; want sent", j, err)
	}
	if err := db.ForgetEffect(ctx, pulse.CheckInKey(team.ID, "U01", pulse.MustDate("2026-11-23"))); pulse.ErrorCode(err) != pulse.EINVALID {
		t.Errorf("forgetting a job that is no effect: %v, want EINVALID", err)
	}
}

func TestOutboxTakeOverOnceAmongReplicas(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02")
	must(t, db.SaveKudos(pulse.WithEffects(ctx, pulse.Effect{TeamID: team.ID, To: "C0SALES", Body: []byte(`{}`)}),
		&pulse.Kudos{TeamID: team.ID, From: "U01", To: "U02", Text: "well done"}))
	got, err := db.PendingEffects(ctx)
	if err != nil || len(got) != 1 {
		t.Fatalf("pending = %+v, %v", got, err)
	}
	key := got[0].Key
	dead, won, err := db.Claim(ctx, key, "dead", testNow)
	if err != nil || !won {
		t.Fatalf("claim = %v, %v", won, err)
	}
	other := dead
	other.Owner = "someone-else"
	if _, won, err := db.TakeOverEffect(ctx, key, other, "r0", testNow); err != nil || won {
		t.Fatalf("took over a claim from a run that does not hold it: %v, %v", won, err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var winners []string
	for _, r := range []string{"r1", "r2", "r3", "r4"} {
		wg.Go(func() {
			_, won, err := db.TakeOverEffect(ctx, key, dead, r, testNow)
			if err != nil {
				t.Error(err)
			}
			if won {
				mu.Lock()
				winners = append(winners, r)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(winners) != 1 {
		t.Fatalf("take-over winners = %v, want one", winners)
	}
	j, err := db.Job(ctx, key)
	if err != nil || j.Owner != winners[0] || j.State != pulse.JobClaimed || j.Attempts != 2 {
		t.Fatalf("job = %+v, %v", j, err)
	}
}

// An event's effects, written alone, come back as stored (keys set, kind
// kept), and a write made with effects hands the stored copies to its
// caller.
func TestOutboxAddEffectsAndTheStoredCopies(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02")
	home := pulse.Effect{Kind: "home", TeamID: team.ID, To: "U02"}
	stored, err := db.AddEffects(ctx, home)
	if err != nil || len(stored) != 1 || stored[0].Kind != "home" || stored[0].Key.UserID != "U02" || stored[0].Key.Kind != pulse.JobEffect {
		t.Fatalf("AddEffects = %+v, %v", stored, err)
	}
	if _, err := db.AddEffects(ctx, pulse.Effect{Kind: "home", TeamID: "bad/team", To: "U02"}); pulse.ErrorCode(err) != pulse.EINVALID {
		t.Errorf("an effect of a forged team: %v, want EINVALID", err)
	}
	wctx := pulse.WithEffects(ctx, pulse.Effect{Kind: "feedback", TeamID: team.ID, To: "U02", Body: []byte(`{"id":"f1"}`)})
	must(t, db.SaveKudos(wctx, &pulse.Kudos{TeamID: team.ID, From: "U01", To: "U02", Text: "well done"}))
	written := pulse.EffectsOf(wctx).Stored()
	got, _ := db.PendingEffects(ctx)
	if len(written) != 1 || len(got) != 2 || got[0].Key != stored[0].Key || got[1].Key != written[0].Key || got[1].Kind != "feedback" {
		t.Fatalf("pending = %+v, written = %+v", got, written)
	}
	// A delivery an effect makes is taken over like the effect itself; a
	// scheduled job is not the outbox's to take.
	fb := pulse.FeedbackKey(team.ID, "U02", "f1", 0)
	seen, won, err := db.Claim(ctx, fb, "dead", testNow)
	if err != nil || !won {
		t.Fatalf("claim = %v, %v", won, err)
	}
	if _, won, err := db.TakeOverEffect(ctx, fb, seen, "r1", testNow); err != nil || !won {
		t.Fatalf("take over a feedback delivery = %v, %v", won, err)
	}
	if _, _, err := db.TakeOverEffect(ctx, pulse.CheckInKey(team.ID, "U02", pulse.MustDate("2026-11-23")), seen, "r1", testNow); pulse.ErrorCode(err) != pulse.EINVALID {
		t.Errorf("taking over a check-in: %v, want EINVALID", err)
	}
}

// A run that takes over its own stale claim leaves the owner as it was; a
// replica that saw the claim before that must not take it over as well.
func TestOutboxTakeOverOfOnesOwnClaimIsOnce(t *testing.T) {
	db := MustOpenDB(t)
	team := MustCreateTeam(t, db, "Sales", "U01", "U02")
	key := pulse.ThreadEntryKey(team.ID, "U02", pulse.MustDate("2026-11-23"))
	seen, won, err := db.Claim(ctx, key, "r1", testNow)
	if err != nil || !won {
		t.Fatalf("claim = %v, %v", won, err)
	}
	if _, won, err := db.TakeOverEffect(ctx, key, seen, "r1", testNow); err != nil || !won {
		t.Fatalf("r1 taking over its own claim = %v, %v", won, err)
	}
	if _, won, err := db.TakeOverEffect(ctx, key, seen, "r2", testNow); err != nil || won {
		t.Fatalf("r2 took over the claim r1 had already taken over again: %v, %v", won, err)
	}
}
