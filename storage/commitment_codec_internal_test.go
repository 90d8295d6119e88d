package storage

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

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
		t.Run(tt.name, func(t *testing.T) {
			buf, err := encodeCommitment(&tt.c)
			if err != nil {
				t.Fatal(err)
			}
			for _, strs := range []*names{nil, newNames()} {
				var got pulse.Commitment
				if err := decodeCommitment(buf, &got, strs); err != nil {
					t.Fatal(err)
				}
				// Times come back as the same instant at the same offset.
				for _, p := range [][2]time.Time{{got.CreatedAt, tt.c.CreatedAt}, {got.ReviewedAt, tt.c.ReviewedAt}} {
					_, gotOffset := p[0].Zone()
					_, wantOffset := p[1].Zone()
					if !p[0].Equal(p[1]) || gotOffset != wantOffset {
						t.Errorf("time %v, want %v", p[0], p[1])
					}
				}
				want := tt.c
				got.CreatedAt, got.ReviewedAt, want.CreatedAt, want.ReviewedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
				if got != want {
					t.Errorf("got  %+v\nwant %+v", got, want)
				}
			}
			// Every cut-short value is an error, never a panic.
			var got pulse.Commitment
			for n := range len(buf) {
				if err := decodeCommitment(buf[:n], &got, nil); err == nil {
					t.Errorf("decoding the first %d of %d bytes succeeded", n, len(buf))
				}
			}
			if err := decodeCommitment(append(buf, 0), &got, nil); err == nil {
				t.Error("decoding with a trailing byte succeeded")
			}
		})
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
	f.Fuzz(func(t *testing.T, b []byte) {
		var c pulse.Commitment
		if decodeCommitment(b, &c, newNames()) != nil {
			return
		}
		// What decodes encodes back to a value that decodes the same.
		again, err := encodeCommitment(&c)
		if err != nil {
			return // a time MarshalBinary refuses, such as an odd offset
		}
		var c2 pulse.Commitment
		if err := decodeCommitment(again, &c2, nil); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if c2.Text != c.Text || c2.Week != c.Week || c2.Status != c.Status || !c2.CreatedAt.Equal(c.CreatedAt) {
			t.Fatalf("re-decoded %+v, want %+v", c2, c)
		}
	})
}
