package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/salespulse/pulse/storage/kv"
)

// ErrNotEmpty is matched (with errors.Is) by the error CopyToPostgres
// returns for a database that already holds a workspace.
var ErrNotEmpty = errors.New("the PostgreSQL database already holds a workspace")

// Copied tells what CopyToPostgres copied: the keys of each bucket.
type Copied map[string]int

// Total is the number of keys copied.
func (c Copied) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// CopyToPostgres copies every bucket of db, a bbolt file, into the
// PostgreSQL database at dsn, in one transaction, and then checks that
// every bucket's count of keys and its sequence arrived as they were. The
// database must hold no workspace yet (it may have Pulse's tables, empty);
// otherwise the error matches ErrNotEmpty and nothing is written.
func (db *DB) CopyToPostgres(ctx context.Context, dsn string) (Copied, error) {
	if db.bolt == nil {
		return nil, errors.New("copy to PostgreSQL: the source is not a bbolt file")
	}
	dst, err := OpenPostgres(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer dst.Close()
	where := dst.Path()
	have, _, err := dst.pg.Counts(ctx)
	if err != nil {
		return nil, fmt.Errorf("copy to %s: %w", where, err)
	}
	delete(have, string(bucketMeta)) // OpenPostgres wrote the schema version
	if len(have) > 0 {
		return nil, fmt.Errorf("copy to %s: %w (buckets %s); copy into an empty database", where, ErrNotEmpty,
			strings.Join(slices.Sorted(maps.Keys(have)), ", "))
	}

	want := Copied{}
	wantSeq := map[string]uint64{}
	err = dst.pg.Import(ctx, func(im *kv.Import) error {
		return db.bolt.View(func(tx *bolt.Tx) error {
			return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
				var rows [][2][]byte
				err := b.ForEach(func(k, v []byte) error {
					if v == nil {
						return fmt.Errorf("bucket %s holds a nested bucket %q, which Pulse never writes", name, k)
					}
					rows = append(rows, [2][]byte{bytes.Clone(k), bytes.Clone(v)})
					return nil
				})
				if err != nil {
					return err
				}
				want[string(name)] = len(rows)
				if s := b.Sequence(); s > 0 {
					wantSeq[string(name)] = s
				}
				return im.Bucket(string(name), rows, b.Sequence())
			})
		})
	})
	if err != nil {
		return nil, fmt.Errorf("copy %s to %s: %w", db.path, where, err)
	}

	got, gotSeq, err := dst.pg.Counts(ctx)
	if err != nil {
		return nil, fmt.Errorf("verify the copy in %s: %w", where, err)
	}
	var bad []string
	for name, n := range want {
		if got[name] != n {
			bad = append(bad, fmt.Sprintf("%s: %d keys in the file, %d copied", name, n, got[name]))
		}
		if gotSeq[name] != wantSeq[name] {
			bad = append(bad, fmt.Sprintf("%s: sequence %d in the file, %d copied", name, wantSeq[name], gotSeq[name]))
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return nil, fmt.Errorf("verify the copy in %s: %s", where, strings.Join(bad, "; "))
	}
	return want, nil
}
