package storage

import (
	"context"
	"fmt"

	"github.com/salespulse/pulse/storage/kv"

	"github.com/salespulse/pulse"
)

// form is how a record kept in a binary form (check-ins, nudges,
// commitments, blockers) is encoded and decoded; see checkin_codec.go.
type form[T any] struct {
	encode func(*T) ([]byte, error)
	decode func([]byte, *T, *names) error
}

// put stores v under k.
func (f form[T]) put(b kv.Bucket, k []byte, v *T) error {
	buf, err := f.encode(v)
	if err != nil {
		return err
	}
	return b.Put(k, buf)
}

// get decodes the record under k into v, sharing names through strs (nil
// copies them), and reports whether there was one.
func (f form[T]) get(b getter, k []byte, v *T, strs *names) (bool, error) {
	buf := b.Get(k)
	if buf == nil {
		return false, nil
	}
	if err := f.decode(buf, v, strs); err != nil {
		return true, fmt.Errorf("decode %s: %w", k, err)
	}
	return true, nil
}

// viewEach reads in one read transaction, read handing each record to
// yield, which passes it on to fn: the reusing scans that status counts
// through. An error from fn ends the read and comes back as it is, so the
// caller can tell its own; any other is wrapped with format and args.
func viewEach[T any](ctx context.Context, db *DB, fn func(*T) error, read func(tx kv.Tx, yield func(*T) error) error, format string, args ...any) error {
	var fnErr error
	yield := func(v *T) error {
		fnErr = fn(v)
		return fnErr
	}
	err := db.view(ctx, func(tx kv.Tx) error { return read(tx, yield) })
	if fnErr != nil {
		return fnErr
	}
	return wrap(err, format, args...)
}

// The forms of the records kept in binary.
var (
	checkInForm = form[pulse.CheckIn]{encodeCheckIn, func(buf []byte, c *pulse.CheckIn, strs *names) error {
		d := checkInScan{scanNames: scanNames{strs: strs}}
		return d.decode(buf, c)
	}}
	nudgeForm      = form[pulse.Nudge]{encodeNudge, decodeNudge}
	planForm       = form[pulse.Plan]{encodePlan, decodePlan}
	commitmentForm = form[pulse.Commitment]{encodeCommitment, decodeCommitment}
	blockerForm    = form[pulse.Blocker]{encodeBlocker, func(buf []byte, b *pulse.Blocker, _ *names) error {
		return decodeBlocker(buf, b)
	}}
)
