package storage

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestBlockerCodec(t *testing.T) {
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	raised := time.Date(2026, 11, 23, 9, 5, 0, 7, time.UTC)
	for _, tt := range []struct {
		name string
		b    pulse.Blocker
	}{
		{"an open blocker", pulse.Blocker{ID: "b0000000001", TeamID: "t0000000001", UserID: "U02",
			Date: pulse.MustDate("2026-11-23"), Text: "CRM down", Status: pulse.BlockerOpen, RaisedAt: raised}},
		{"a blocker taken and resolved, in Russian and Moscow's zone", pulse.Blocker{ID: "b0000000002", TeamID: "t0000000001", UserID: "U03",
			Date: pulse.MustDate("2026-11-23"), Text: "нет доступа к CRM", Status: pulse.BlockerResolved,
			RaisedAt: raised.In(moscow), TakenBy: "U01", TakenAt: raised.Add(time.Hour).In(moscow),
			ResolvedBy: "U09", ResolvedAt: raised.Add(2 * time.Hour).In(moscow)}},
		{"a blocker with only its keys", pulse.Blocker{ID: "b1", TeamID: "t1", UserID: "U04"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			buf, err := encodeBlocker(&tt.b)
			if err != nil {
				t.Fatal(err)
			}
			var got pulse.Blocker
			if err := decodeBlocker(buf, &got); err != nil {
				t.Fatal(err)
			}
			for _, p := range [][2]time.Time{{got.RaisedAt, tt.b.RaisedAt}, {got.TakenAt, tt.b.TakenAt}, {got.ResolvedAt, tt.b.ResolvedAt}} {
				_, gotOffset := p[0].Zone()
				_, wantOffset := p[1].Zone()
				if !p[0].Equal(p[1]) || gotOffset != wantOffset {
					t.Errorf("time %v, want %v", p[0], p[1])
				}
			}
			want := tt.b
			got.RaisedAt, got.TakenAt, got.ResolvedAt = time.Time{}, time.Time{}, time.Time{}
			want.RaisedAt, want.TakenAt, want.ResolvedAt = time.Time{}, time.Time{}, time.Time{}
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			// Every cut-short value is an error, never a panic.
			for n := range len(buf) {
				if err := decodeBlocker(buf[:n], &got); err == nil {
					t.Errorf("decoding the first %d of %d bytes succeeded", n, len(buf))
				}
			}
			if err := decodeBlocker(append(buf, 0), &got); err == nil {
				t.Error("decoding with a trailing byte succeeded")
			}
		})
	}
}

func FuzzDecodeBlocker(f *testing.F) {
	b := pulse.Blocker{ID: "b1", TeamID: "t1", UserID: "U02", Date: pulse.MustDate("2026-11-23"), Text: "x",
		Status: pulse.BlockerOnIt, RaisedAt: time.Unix(1e9, 0), TakenBy: "U01", TakenAt: time.Unix(1e9+60, 0)}
	buf, err := encodeBlocker(&b)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(buf)
	f.Add([]byte{blockerFormat})
	f.Fuzz(func(t *testing.T, raw []byte) {
		var b pulse.Blocker
		if decodeBlocker(raw, &b) != nil {
			return
		}
		// What decodes encodes back to a value that decodes the same.
		again, err := encodeBlocker(&b)
		if err != nil {
			return // a time MarshalBinary refuses, such as an odd offset
		}
		var b2 pulse.Blocker
		if err := decodeBlocker(again, &b2); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if b2.Text != b.Text || b2.Status != b.Status || b2.TakenBy != b.TakenBy || !b2.RaisedAt.Equal(b.RaisedAt) {
			t.Fatalf("re-decoded %+v, want %+v", b2, b)
		}
	})
}
