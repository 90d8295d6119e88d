package storage_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

// batchKeys returns n check-in keys of distinct reps, from rep number from.
func batchKeys(from, n int) []pulse.JobKey {
	out := make([]pulse.JobKey, n)
	for i := range out {
		out[i] = jobKey(fmt.Sprintf("U%05d", from+i), "2026-11-23")
	}
	return out
}

func TestClaimBatch(t *testing.T) {
	t.Run("each key ends as Claim would leave it", func(t *testing.T) {
		db := MustOpenDB(t)
		sent, held, released, fresh := jobKey("U01", "2026-11-23"), jobKey("U02", "2026-11-23"), jobKey("U03", "2026-11-23"), jobKey("U04", "2026-11-23")
		for _, k := range []pulse.JobKey{sent, held, released} {
			if _, _, err := db.Claim(ctx, k, "run0", testNow); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.MarkSent(ctx, sent, "D01", "1.0", testNow); err != nil {
			t.Fatal(err)
		}
		if err := db.Release(ctx, released); err != nil {
			t.Fatal(err)
		}

		got, err := db.ClaimBatch(ctx, []pulse.JobKey{sent, held, released, fresh, fresh}, "run1", testNow)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			won      bool
			state    pulse.JobState
			owner    string
			attempts int
		}{
			{false, pulse.JobSent, "run0", 1},
			{false, pulse.JobClaimed, "run0", 1},
			{true, pulse.JobClaimed, "run1", 2},
			{true, pulse.JobClaimed, "run1", 1},
			{false, pulse.JobClaimed, "run1", 1}, // the same key again: already this batch's
		}
		if len(got) != len(want) {
			t.Fatalf("%d results, want %d", len(got), len(want))
		}
		for i, w := range want {
			if g := got[i]; g.Won != w.won || g.Job.State != w.state || g.Job.Owner != w.owner || g.Job.Attempts != w.attempts {
				t.Errorf("result %d = won %v, %s by %s, attempt %d; want won %v, %s by %s, attempt %d",
					i, g.Won, g.Job.State, g.Job.Owner, g.Job.Attempts, w.won, w.state, w.owner, w.attempts)
			}
		}
		jobs, err := db.Unconfirmed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 3 {
			t.Errorf("%d unconfirmed jobs, want 3 (held, released and claimed again, fresh)", len(jobs))
		}
	})

	t.Run("a bad key in a batch claims none of it", func(t *testing.T) {
		db := MustOpenDB(t)
		keys := append(batchKeys(0, 10), pulse.JobKey{Kind: pulse.JobCheckIn, TeamID: "t1", UserID: "U/1", Occurrence: "2026-11-23"})
		if _, err := db.ClaimBatch(ctx, keys, "run1", testNow); pulse.ErrorCode(err) != pulse.EINVALID {
			t.Fatalf("claim a batch with a bad key: %v, want EINVALID", err)
		}
		if _, err := db.ClaimBatch(ctx, batchKeys(0, 1001), "run1", testNow); pulse.ErrorCode(err) != pulse.EINVALID {
			t.Fatalf("claim 1001 keys at once: %v, want EINVALID", err)
		}
		jobs, err := db.Unconfirmed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 0 {
			t.Errorf("%d jobs claimed by refused batches, want 0", len(jobs))
		}
	})

	t.Run("overlapping batches at once win each key once", func(t *testing.T) {
		db := MustOpenDB(t)
		const runs, size = 8, 40
		// Run i claims keys 10i to 10i+39: each key is asked for by up to four runs.
		wins := make([][]pulse.Claimed, runs)
		errs := make([]error, runs)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range runs {
			wg.Go(func() {
				<-start
				wins[i], errs[i] = db.ClaimBatch(ctx, batchKeys(10*i, size), fmt.Sprintf("run%d", i), testNow)
			})
		}
		close(start)
		wg.Wait()
		won := map[pulse.JobKey]string{}
		for i, got := range wins {
			if errs[i] != nil {
				t.Fatalf("run %d: %v", i, errs[i])
			}
			for _, c := range got {
				if !c.Won {
					continue
				}
				if by, twice := won[c.Job.Key]; twice {
					t.Errorf("%s won by %s and run%d", c.Job.Key, by, i)
				}
				won[c.Job.Key] = fmt.Sprintf("run%d", i)
			}
		}
		if len(won) != 10*(runs-1)+size {
			t.Errorf("%d keys won, want every one of %d", len(won), 10*(runs-1)+size)
		}
		for k, by := range won {
			j, err := db.Job(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			if j.Owner != by || j.Attempts != 1 {
				t.Errorf("%s is held by %s after %d claims, want by its winner %s after 1", k, j.Owner, j.Attempts, by)
			}
		}
	})
}

// claimChildEnv names the database a child process of
// TestClaimBatchKilledMidway claims into.
const claimChildEnv = "PULSE_TEST_CLAIM_BATCHES_INTO"

const (
	killedKeys  = 20000
	killedBatch = 50
)

// claimBatchesUntilKilled is the child: it claims killedKeys keys in
// batches, saying on stdout when each batch is committed, until it is
// killed or done.
func claimBatchesUntilKilled(path string) {
	db, err := storage.Open(path)
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	for from := 0; from < killedKeys; from += killedBatch {
		if _, err := db.ClaimBatch(ctx, batchKeys(from, killedBatch), "run-killed", testNow); err != nil {
			fmt.Println("claim:", err)
			os.Exit(1)
		}
		fmt.Println("committed", from/killedBatch)
	}
	fmt.Println("done")
	os.Exit(0)
}

// A process killed with SIGKILL while it claims batch after batch leaves
// whole batches claimed, each job once, and none half-claimed: the next
// run gets exactly the rest, so no job is claimed twice or lost.
func TestClaimBatchKilledMidway(t *testing.T) {
	if path := os.Getenv(claimChildEnv); path != "" {
		claimBatchesUntilKilled(path)
		return
	}
	onlyBolt(t) // a killed PostgreSQL client is the server's to roll back
	path := filepath.Join(t.TempDir(), "pulse.db")
	MustClose(t, MustOpenPath(t, path)) // migrated before the child starts
	child := exec.Command(os.Args[0], "-test.run=^TestClaimBatchKilledMidway$")
	child.Env = append(os.Environ(), claimChildEnv+"="+path)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill it once a few batches are in, while it is claiming the next.
	lines := bufio.NewScanner(out)
	committed := 0
	for committed < 5 && lines.Scan() {
		if strings.HasPrefix(lines.Text(), "committed") {
			committed++
			continue
		}
		t.Fatalf("child: %s", lines.Text())
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "committed") {
			committed++
		}
	}
	_ = child.Wait()
	if committed < 5 {
		t.Fatalf("the child committed %d batches before it ended, want at least 5", committed)
	}

	db := MustOpenPath(t, path)
	left, err := db.Unconfirmed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(left)%killedBatch != 0 || len(left) < committed*killedBatch || len(left) == killedKeys {
		t.Fatalf("%d jobs claimed after the kill, %d batches reported committed: want whole batches of %d, at least those reported, not all",
			len(left), committed, killedBatch)
	}
	held := map[pulse.JobKey]bool{}
	for _, j := range left {
		if j.Owner != "run-killed" || j.Attempts != 1 {
			t.Errorf("%s: held by %s after %d claims, want by run-killed after 1", j.Key, j.Owner, j.Attempts)
		}
		held[j.Key] = true
	}
	t.Logf("killed with %d jobs claimed (%d batches reported committed)", len(left), committed)

	// The next run claims everything: it wins exactly what the killed run
	// did not hold.
	won := 0
	for from := 0; from < killedKeys; from += 1000 {
		got, err := db.ClaimBatch(ctx, batchKeys(from, 1000), "run-next", testNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range got {
			switch {
			case c.Won && held[c.Job.Key]:
				t.Errorf("%s claimed twice: by the killed run and the next", c.Job.Key)
			case !c.Won && !held[c.Job.Key]:
				t.Errorf("%s lost: neither run holds it (%s by %s)", c.Job.Key, c.Job.State, c.Job.Owner)
			case c.Won:
				won++
			}
		}
	}
	if won+len(held) != killedKeys {
		t.Errorf("the next run won %d and the killed one held %d of %d jobs", won, len(held), killedKeys)
	}
}
