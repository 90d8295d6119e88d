package storage

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

var commitmentCodec = codec[pulse.Commitment]{
	form:  commitmentForm,
	times: func(c *pulse.Commitment) []*time.Time { return []*time.Time{&c.CreatedAt, &c.ReviewedAt} },
}

func TestCommitmentCodec(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		c    pulse.Commitment
	}{
		{"an open commitment on a metric", pulse.Commitment{
			ID: "c0000000001", TeamID: "t0000000001", UserID: "U02", Week: pulse.MustDate("2026-11-23"),
			Text: "book 5 demos", Metric: "demos", Target: 5, Due: pulse.MustDate("2026-11-27"), Status: pulse.CommitmentOpen,
			CreatedAt: time.Date(2026, 11, 23, 9, 0, 0, 42, time.UTC),
		}},
		{"a reviewed one with notes in Norwegian, in Oslo's zone", pulse.Commitment{
			ID: "c0000000002", TeamID: "t0000000001", UserID: "U03", Week: pulse.MustDate("2026-03-23"),
			Text: "ringe 20 kunder", Target: 0.5, Due: pulse.MustDate("2026-03-27"), Status: pulse.CommitmentPartly,
			RepNote: "nådde 14", ManagerNote: "godt jobbet, «neste uke» 20",
			CreatedAt: time.Date(2026, 3, 23, 9, 0, 0, 0, oslo), ReviewedAt: time.Date(2026, 3, 30, 10, 0, 0, 0, oslo),
		}},
		{"a commitment with nothing but its keys", pulse.Commitment{ID: "c1", TeamID: "t1", UserID: "U04"}},
	} {
		t.Run(tt.name, func(t *testing.T) { commitmentCodec.roundTrip(t, tt.c) })
	}
}

func FuzzDecodeCommitment(f *testing.F) {
	c := pulse.Commitment{ID: "c1", TeamID: "t1", UserID: "U02", Week: pulse.MustDate("2026-11-23"), Text: "x",
		Target: 3, Status: pulse.CommitmentKept, CreatedAt: time.Unix(1e9, 0)}
	buf, err := encodeCommitment(&c)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(buf)
	f.Add([]byte{commitmentFormat})
	f.Fuzz(commitmentCodec.fuzz)
}
