package kv_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/salespulse/pulse/storage/kv"
	"github.com/salespulse/pulse/storage/pgtest"
)

var ctx = context.Background()

// engines returns a fresh bbolt file and, when PULSE_TEST_DATABASE_URL is
// set, a fresh PostgreSQL schema, both with bucket b created.
func engines(t *testing.T) map[string]kv.DB {
	t.Helper()
	bdb, err := bolt.Open(filepath.Join(t.TempDir(), "kv.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]kv.DB{"bolt": kv.Bolt{DB: bdb}}
	t.Cleanup(func() { bdb.Close() })
	if pg := openPostgres(t); pg != nil {
		out["postgres"] = pg
	} else {
		t.Log(pgtest.SkipMessage)
	}
	for name, db := range out {
		if err := db.Update(ctx, func(tx kv.Tx) error {
			_, err := tx.CreateBucketIfNotExists([]byte("b"))
			return err
		}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return out
}

// openPostgres opens a new schema of the test database, dropped at the end,
// or returns nil without PULSE_TEST_DATABASE_URL.
func openPostgres(t *testing.T) *kv.Postgres {
	t.Helper()
	if pgtest.URL() == "" {
		return nil
	}
	pg, err := kv.OpenPostgres(ctx, pgtest.Schema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	if err := pg.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return pg
}

// TestCursorsAgree drives both engines through one random sequence of
// writes and cursor walks and checks that every read agrees with a sorted
// model, across PostgreSQL's page boundaries.
func TestCursorsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	keys := make([][]byte, 0, 3000)
	for i := range 3000 {
		k := fmt.Appendf(nil, "%c/%05d", 'a'+r.IntN(3), i)
		if i%7 == 0 {
			k = append(k, 0xff, 0x00)
		}
		keys = append(keys, k)
	}
	for name, db := range engines(t) {
		t.Run(name, func(t *testing.T) {
			model := map[string][]byte{}
			err := db.Update(ctx, func(tx kv.Tx) error {
				b := tx.Bucket([]byte("b"))
				for i, k := range keys {
					v := []byte{}
					if i%3 != 0 {
						v = fmt.Appendf(nil, "v%d", i)
					}
					if err := b.Put(k, v); err != nil {
						return err
					}
					model[string(k)] = v
				}
				for _, k := range keys[:500] {
					if err := b.Delete(k); err != nil {
						return err
					}
					delete(model, string(k))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			sorted := sortedKeys(model)
			err = db.View(ctx, func(tx kv.Tx) error {
				b := tx.Bucket([]byte("b"))
				// A whole walk forwards and backwards.
				var fwd, back []string
				c := b.Cursor()
				for k, v := c.First(); k != nil; k, v = c.Next() {
					if !bytes.Equal(v, model[string(k)]) || v == nil {
						return fmt.Errorf("value of %q = %q, want %q", k, v, model[string(k)])
					}
					fwd = append(fwd, string(k))
				}
				for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
					back = append(back, string(k))
				}
				if fmt.Sprint(fwd) != fmt.Sprint(sorted) {
					return fmt.Errorf("forward walk differs: %d keys, want %d", len(fwd), len(sorted))
				}
				for i := range back {
					if back[i] != sorted[len(sorted)-1-i] {
						return fmt.Errorf("backward walk differs at %d", i)
					}
				}
				// Seeks, then steps both ways.
				for range 200 {
					seek := keys[r.IntN(len(keys))]
					i := lowerBound(sorted, string(seek))
					k, _ := c.Seek(seek)
					if want := at(sorted, i); string(k) != want {
						return fmt.Errorf("Seek(%q) = %q, want %q", seek, k, want)
					}
					if k == nil {
						continue
					}
					steps := r.IntN(40)
					for range steps {
						k, _ = c.Next()
						i++
						if want := at(sorted, i); string(k) != want {
							return fmt.Errorf("Next = %q, want %q", k, want)
						}
						if k == nil {
							break
						}
					}
					if k == nil {
						continue
					}
					for range r.IntN(40) {
						k, _ = c.Prev()
						i--
						if want := at(sorted, i); string(k) != want {
							return fmt.Errorf("Prev = %q, want %q", k, want)
						}
						if k == nil {
							break
						}
					}
				}
				// Walks told where they stop (kv.Until), and carried on
				// a few keys past it.
				for range 100 {
					seek, end := keys[r.IntN(len(keys))], keys[r.IntN(len(keys))]
					if bytes.Compare(seek, end) > 0 {
						seek, end = end, seek
					}
					bc := b.Cursor()
					kv.Until(bc, end)
					i := lowerBound(sorted, string(seek))
					past := 0
					for k, _ := bc.Seek(seek); past < 3; k, _ = bc.Next() {
						if want := at(sorted, i); string(k) != want {
							return fmt.Errorf("walk from %q until %q: %q, want %q", seek, end, k, want)
						}
						if k == nil {
							break
						}
						if bytes.Compare(k, end) >= 0 {
							past++
						}
						i++
					}
				}
				// Get, present empty values included.
				for _, k := range keys {
					v := b.Get(k)
					want, ok := model[string(k)]
					if ok != (v != nil) || !bytes.Equal(v, want) {
						return fmt.Errorf("Get(%q) = %q, want %q (present %v)", k, v, want, ok)
					}
				}
				// Gets in falling key order, then seeks among what they
				// read.
				for i := len(keys) - 1; i >= 0; i -= 1 + r.IntN(3) {
					k := keys[i]
					v := b.Get(k)
					want, ok := model[string(k)]
					if ok != (v != nil) || !bytes.Equal(v, want) {
						return fmt.Errorf("Get(%q) = %q, want %q (present %v)", k, v, want, ok)
					}
				}
				for range 100 {
					seek := keys[r.IntN(len(keys))]
					i := lowerBound(sorted, string(seek))
					k, _ := b.Cursor().Seek(append(bytes.Clone(seek), 0))
					if at(sorted, i) == string(seek) {
						i++
					}
					if want := at(sorted, i); string(k) != want {
						return fmt.Errorf("Seek just past %q = %q, want %q", seek, k, want)
					}
				}
				n := 0
				if err := b.ForEach(func(_, _ []byte) error { n++; return nil }); err != nil {
					return err
				}
				if n != len(sorted) {
					return fmt.Errorf("ForEach saw %d keys, want %d", n, len(sorted))
				}
				if err := b.Put([]byte("x"), nil); err == nil {
					return fmt.Errorf("a write in a read-only transaction was accepted")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func sortedKeys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func lowerBound(s []string, k string) int {
	lo, hi := 0, len(s)
	for lo < hi {
		mid := (lo + hi) / 2
		if s[mid] < k {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

func at(s []string, i int) string {
	if i < 0 || i >= len(s) {
		return ""
	}
	return s[i]
}

// TestInsertIsAClaim inserts one key from many goroutines at once, each in
// its own transaction that also counts its win: exactly one wins, and the
// count agrees.
func TestInsertIsAClaim(t *testing.T) {
	for name, db := range engines(t) {
		t.Run(name, func(t *testing.T) {
			for round := range 20 {
				k := fmt.Appendf(nil, "claim/%d", round)
				var wins atomic.Int32
				var wg sync.WaitGroup
				for range 8 {
					wg.Go(func() {
						var won bool
						err := db.Update(ctx, func(tx kv.Tx) error {
							b := tx.Bucket([]byte("b"))
							var err error
							if won, err = b.Insert(k, []byte("owner")); err != nil || !won {
								return err
							}
							seq, err := b.NextSequence()
							if err != nil {
								return err
							}
							return b.Put(fmt.Appendf(nil, "won/%d/%d", round, seq), []byte{})
						})
						if err != nil {
							t.Error(err)
						}
						if won {
							wins.Add(1)
						}
					})
				}
				wg.Wait()
				if n := wins.Load(); n != 1 {
					t.Fatalf("round %d: %d winners", round, n)
				}
			}
			var stored int
			_ = db.View(ctx, func(tx kv.Tx) error {
				c := tx.Bucket([]byte("b")).Cursor()
				for k, _ := c.Seek([]byte("won/")); k != nil && bytes.HasPrefix(k, []byte("won/")); k, _ = c.Next() {
					stored++
				}
				return nil
			})
			if stored != 20 {
				t.Errorf("%d wins stored, want 20", stored)
			}
		})
	}
}

// TestLeadHandsOver runs two leaders on one database: one leads; when its
// connection is killed it stops leading at once, and the other takes over.
func TestLeadHandsOver(t *testing.T) {
	a := openPostgres(t)
	if a == nil {
		t.Skip(pgtest.SkipMessage)
	}
	// A second pool on the same schema stands for a second replica.
	b, err := kv.OpenPostgres(ctx, a.Pool().Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	type event struct {
		who     string
		leading bool
	}
	events := make(chan event, 16)
	pids := make(chan uint32, 4)
	run := func(ctx context.Context, p *kv.Postgres, who string) {
		p.Lead(ctx, "test leader", kv.Leading{
			Retry:   50 * time.Millisecond,
			Check:   20 * time.Millisecond,
			Changed: func(leading bool) { events <- event{who, leading} },
		}, func(ctx context.Context) error {
			var pid uint32
			// The lock's own backend: the one holding the advisory lock.
			err := p.Pool().QueryRow(ctx, `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted LIMIT 1`).Scan(&pid)
			if err != nil {
				return err
			}
			pids <- pid
			<-ctx.Done()
			return nil
		})
	}
	cctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { run(cctx, a, "a") })
	first := <-events
	if !first.leading {
		t.Fatalf("first event %+v", first)
	}
	wg.Go(func() { run(cctx, b, "b") })
	pid := <-pids
	if err := pgtest.Exec(pgtest.URL(), "SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	// The old leader notices its lost connection and the other takes the
	// freed lock, in either order.
	other := map[string]string{"a": "b", "b": "a"}[first.who]
	seen := map[event]bool{}
	for !seen[event{first.who, false}] || !seen[event{other, true}] {
		seen[<-events] = true
	}
	cancel()
	wg.Wait()
}

// Inside one write transaction, reads see the transaction's own writes,
// also after a scan has read the range they fall in.
func TestReadsSeeOwnWrites(t *testing.T) {
	for name, db := range engines(t) {
		t.Run(name, func(t *testing.T) {
			err := db.Update(ctx, func(tx kv.Tx) error {
				b := tx.Bucket([]byte("b"))
				for i := range 20 {
					if err := b.Put(fmt.Appendf(nil, "k%02d", i), []byte("old")); err != nil {
						return err
					}
				}
				n := 0
				if err := b.ForEach(func(_, _ []byte) error { n++; return nil }); err != nil || n != 20 {
					return fmt.Errorf("ForEach: %d keys, %v", n, err)
				}
				if err := b.Put([]byte("k05"), []byte("new")); err != nil {
					return err
				}
				if err := b.Delete([]byte("k06")); err != nil {
					return err
				}
				if won, err := b.Insert([]byte("k065"), []byte("ins")); err != nil || !won {
					return fmt.Errorf("Insert: %v, %v", won, err)
				}
				if v := b.Get([]byte("k05")); string(v) != "new" {
					return fmt.Errorf("Get(k05) = %q after Put", v)
				}
				if v := b.Get([]byte("k06")); v != nil {
					return fmt.Errorf("Get(k06) = %q after Delete", v)
				}
				c := b.Cursor()
				var got []string
				for k, v := c.Seek([]byte("k05")); k != nil && len(got) < 3; k, v = c.Next() {
					got = append(got, string(k)+"="+string(v))
				}
				if want := "[k05=new k065=ins k07=old]"; fmt.Sprint(got) != want {
					return fmt.Errorf("scan after writes = %v, want %s", got, want)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A statement PostgreSQL refuses fails its transaction with the cause, rolls
// back what the transaction wrote, and leaves the pool's connections fit
// for the next transactions.
func TestFailedStatementRollsBack(t *testing.T) {
	pg := openPostgres(t)
	if pg == nil {
		t.Skip(pgtest.SkipMessage)
	}
	for range 20 { // more than the pool's connections
		err := pg.Update(ctx, func(tx kv.Tx) error {
			if err := tx.Bucket([]byte("b")).Put([]byte("written"), []byte("v")); err != nil {
				return err
			}
			// Not UTF-8: refused as a bucket name.
			_ = tx.Bucket([]byte{0xff}).Put([]byte("k"), []byte("v"))
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "put") {
			t.Fatalf("Update = %v, want the refused put", err)
		}
	}
	err := pg.View(ctx, func(tx kv.Tx) error {
		if v := tx.Bucket([]byte("b")).Get([]byte("written")); v != nil {
			return fmt.Errorf("the failed transaction's write is there: %q", v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Concurrent read-modify-writes of one record lose no update: writers that
// each read a counter, absent at first, and put it back one higher end
// with the counter at the number of writes. A second record each writer
// also counts in stays in step with the first.
func TestConcurrentWritersLoseNoUpdate(t *testing.T) {
	const writers, each = 8, 25
	for name, db := range engines(t) {
		t.Run(name, func(t *testing.T) {
			add := func(b kv.Bucket, k string) error {
				n := 0
				if v := b.Get([]byte(k)); v != nil {
					fmt.Sscan(string(v), &n)
				}
				return b.Put([]byte(k), fmt.Append(nil, n+1))
			}
			var wg sync.WaitGroup
			for range writers {
				wg.Go(func() {
					for range each {
						err := db.Update(ctx, func(tx kv.Tx) error {
							b := tx.Bucket([]byte("b"))
							if err := add(b, "counter"); err != nil {
								return err
							}
							return add(b, "counter/again")
						})
						if err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			err := db.View(ctx, func(tx kv.Tx) error {
				b := tx.Bucket([]byte("b"))
				for _, k := range []string{"counter", "counter/again"} {
					if got, want := string(b.Get([]byte(k))), fmt.Sprint(writers*each); got != want {
						return fmt.Errorf("%s = %s after %s increments", k, got, want)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// InsertAll inserts the keys not there yet, the first of a key given twice,
// and reports which; reads in the same transaction see them.
func TestInsertAll(t *testing.T) {
	for name, db := range engines(t) {
		t.Run(name, func(t *testing.T) {
			err := db.Update(ctx, func(tx kv.Tx) error {
				b := tx.Bucket([]byte("b"))
				if err := b.Put([]byte("j2"), []byte("old")); err != nil {
					return err
				}
				keys := [][]byte{[]byte("j1"), []byte("j2"), []byte("j3"), []byte("j1")}
				values := [][]byte{[]byte("a"), []byte("b"), {}, []byte("d")}
				won, err := kv.InsertAll(b, keys, values)
				if err != nil {
					return err
				}
				if want := "[true false true false]"; fmt.Sprint(won) != want {
					return fmt.Errorf("InsertAll won %v, want %s", won, want)
				}
				for k, want := range map[string]string{"j1": "a", "j2": "old", "j3": ""} {
					if v := b.Get([]byte(k)); v == nil || string(v) != want {
						return fmt.Errorf("Get(%s) = %q, want %q", k, v, want)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A seek into a range that lookups in falling key order read finds the
// key after it, also when that range knew none.
func TestSeekAfterLookupsDown(t *testing.T) {
	for name, db := range engines(t) {
		t.Run(name, func(t *testing.T) {
			err := db.Update(ctx, func(tx kv.Tx) error {
				b := tx.Bucket([]byte("b"))
				if err := b.Put([]byte("k1"), []byte("1")); err != nil {
					return err
				}
				return b.Put([]byte("k5"), []byte("5"))
			})
			if err != nil {
				t.Fatal(err)
			}
			err = db.View(ctx, func(tx kv.Tx) error {
				b := tx.Bucket([]byte("b"))
				if v := b.Get([]byte("k9")); v != nil {
					return fmt.Errorf("Get(k9) = %q", v)
				}
				if v := b.Get([]byte("k3")); v != nil {
					return fmt.Errorf("Get(k3) = %q", v)
				}
				if v := b.Get([]byte("k1")); string(v) != "1" {
					return fmt.Errorf("Get(k1) = %q", v)
				}
				if k, _ := b.Cursor().Seek([]byte("k2")); string(k) != "k5" {
					return fmt.Errorf("Seek(k2) = %q, want k5", k)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Keys read ahead with Prefetch answer Gets and Seeks as reads would, also
// walking on past them, and a write after them is seen.
func TestPrefetch(t *testing.T) {
	for name, db := range engines(t) {
		t.Run(name, func(t *testing.T) {
			err := db.Update(ctx, func(tx kv.Tx) error {
				b := tx.Bucket([]byte("b"))
				for _, k := range []string{"p1", "p3", "p5"} {
					if err := b.Put([]byte(k), []byte("v"+k)); err != nil {
						return err
					}
				}
				kv.Prefetch(b, [][]byte{[]byte("p3"), []byte("p2"), []byte("p1")})
				for k, want := range map[string]string{"p1": "vp1", "p2": "", "p3": "vp3"} {
					if v := b.Get([]byte(k)); string(v) != want || (want == "") != (v == nil) {
						return fmt.Errorf("Get(%s) = %q, want %q", k, v, want)
					}
				}
				c := b.Cursor()
				var walk []string
				for k, _ := c.Seek([]byte("p3")); k != nil; k, _ = c.Next() {
					walk = append(walk, string(k))
				}
				if k, _ := c.Seek([]byte("p1")); string(k) != "p1" {
					return fmt.Errorf("Seek(p1) = %q", k)
				}
				if k, _ := c.Prev(); k != nil {
					return fmt.Errorf("Prev before p1 = %q", k)
				}
				if fmt.Sprint(walk) != "[p3 p5]" {
					return fmt.Errorf("walk from p3 = %v", walk)
				}
				if err := b.Put([]byte("p2"), []byte("new")); err != nil {
					return err
				}
				if v := b.Get([]byte("p2")); string(v) != "new" {
					return fmt.Errorf("Get(p2) after Put = %q", v)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestAReadFindsEachBucketItOpened looks up more buckets than a read
// keeps, each twice and in turn, and on bbolt checks that a bucket found
// again is not opened anew.
func TestAReadFindsEachBucketItOpened(t *testing.T) {
	names := make([][]byte, 20)
	for i := range names {
		names[i] = fmt.Appendf(nil, "bucket%02d", i)
	}
	for name, db := range engines(t) {
		t.Run(name, func(t *testing.T) {
			err := db.Update(ctx, func(tx kv.Tx) error {
				for i, n := range names {
					b, err := tx.CreateBucketIfNotExists(n)
					if err != nil {
						return err
					}
					if err := b.Put([]byte("k"), fmt.Appendf(nil, "v%d", i)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			err = db.View(ctx, func(tx kv.Tx) error {
				for round := range 2 {
					for i, n := range names {
						if v := tx.Bucket(n).Get([]byte("k")); string(v) != fmt.Sprintf("v%d", i) {
							return fmt.Errorf("round %d: %s holds %q, want v%d", round, n, v, i)
						}
					}
				}
				if name == "bolt" {
					// PostgreSQL's buckets are names in one table: every
					// name is a bucket there.
					if tx.Bucket([]byte("absent")) != nil {
						return fmt.Errorf("an absent bucket was found")
					}
					if allocs := testing.AllocsPerRun(100, func() { tx.Bucket(names[3]) }); allocs != 0 {
						return fmt.Errorf("a bucket found again allocates %v times, want none", allocs)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
