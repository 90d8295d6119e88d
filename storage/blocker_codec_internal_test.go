package storage

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

var blockerCodec = codec[pulse.Blocker]{
	form:  blockerForm,
	times: func(b *pulse.Blocker) []*time.Time { return []*time.Time{&b.RaisedAt, &b.TakenAt, &b.ResolvedAt} },
}

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
		t.Run(tt.name, func(t *testing.T) { blockerCodec.roundTrip(t, tt.b) })
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
	f.Fuzz(blockerCodec.fuzz)
}
