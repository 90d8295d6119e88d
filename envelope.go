package pulse

import (
	"context"
	"errors"
	"sync/atomic"
)

// ErrEnvelopeApplied is returned by a store write made for an envelope
// (see WithEnvelope) that another process has already applied: the
// envelope was delivered twice, to two replicas, and this run of its
// handler must not write again. The router treats it as a duplicate.
var ErrEnvelopeApplied = errors.New("envelope already applied by another process")

// EnvelopeMark is the envelope a handler runs for, carried in its context
// so that the store records the envelope as applied in the same
// transaction as the handler's first write.
type EnvelopeMark struct {
	ID      string
	applied atomic.Bool // this process committed a write for it
}

// Applied reports whether a write for the envelope has committed here.
func (m *EnvelopeMark) Applied() bool { return m.applied.Load() }

// SetApplied records that a write for the envelope committed here.
func (m *EnvelopeMark) SetApplied() { m.applied.Store(true) }

type envelopeKey struct{}

// WithEnvelope returns ctx carrying the envelope id a handler runs for.
func WithEnvelope(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, envelopeKey{}, &EnvelopeMark{ID: id})
}

// EnvelopeOf returns the envelope ctx carries, or nil.
func EnvelopeOf(ctx context.Context) *EnvelopeMark {
	m, _ := ctx.Value(envelopeKey{}).(*EnvelopeMark)
	return m
}
