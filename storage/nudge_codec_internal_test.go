package storage

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestNudgeCodec(t *testing.T) {
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		n    pulse.Nudge
	}{
		{"a nudge sent and not answered", pulse.Nudge{
			TrainingID: "tr0000000001", TeamID: "t0000000001", UserID: "U02", Day: 3,
			SentAt: time.Date(2026, 11, 23, 9, 0, 0, 17, time.UTC),
		}},
		{"an applied nudge with a Polish report in Warsaw's zone", pulse.Nudge{
			TrainingID: "tr0000000001", TeamID: "t0000000001", UserID: "U03", Day: 14,
			SentAt: time.Date(2026, 3, 29, 9, 0, 0, 0, warsaw), Response: pulse.NudgeApplied,
			Report: "zapytałem o następny krok", AnsweredAt: time.Date(2026, 3, 29, 11, 30, 0, 0, warsaw),
		}},
		{"a nudge not yet sent", pulse.Nudge{TrainingID: "tr1", TeamID: "t1", UserID: "U04", Day: 0}},
		{"a not-yet answer", pulse.Nudge{TrainingID: "tr1", TeamID: "t1", UserID: "U04", Day: 1,
			SentAt: time.Unix(1e9, 0).UTC(), Response: pulse.NudgeNotYet, AnsweredAt: time.Unix(1e9+60, 0).UTC()}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			buf, err := encodeNudge(&tt.n)
			if err != nil {
				t.Fatal(err)
			}
			for _, strs := range []*names{nil, newNames()} {
				var got pulse.Nudge
				if err := decodeNudge(buf, &got, strs); err != nil {
					t.Fatal(err)
				}
				// Times come back as the same instant at the same offset.
				for _, p := range [][2]time.Time{{got.SentAt, tt.n.SentAt}, {got.AnsweredAt, tt.n.AnsweredAt}} {
					_, gotOffset := p[0].Zone()
					_, wantOffset := p[1].Zone()
					if !p[0].Equal(p[1]) || gotOffset != wantOffset {
						t.Errorf("time %v, want %v", p[0], p[1])
					}
				}
				want := tt.n
				got.SentAt, got.AnsweredAt, want.SentAt, want.AnsweredAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
				if got != want {
					t.Errorf("got  %+v\nwant %+v", got, want)
				}
			}
			// Every cut-short value is an error, never a panic.
			var got pulse.Nudge
			for n := range len(buf) {
				if err := decodeNudge(buf[:n], &got, nil); err == nil {
					t.Errorf("decoding the first %d of %d bytes succeeded", n, len(buf))
				}
			}
			if err := decodeNudge(append(buf, 0), &got, nil); err == nil {
				t.Error("decoding with a trailing byte succeeded")
			}
		})
	}
}

func FuzzDecodeNudge(f *testing.F) {
	n := pulse.Nudge{TrainingID: "tr1", TeamID: "t1", UserID: "U02", Day: 7, SentAt: time.Unix(1e9, 0),
		Response: pulse.NudgeApplied, Report: "x"}
	buf, err := encodeNudge(&n)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(buf)
	f.Add([]byte{nudgeFormat})
	f.Fuzz(func(t *testing.T, b []byte) {
		var n pulse.Nudge
		if decodeNudge(b, &n, newNames()) != nil {
			return
		}
		// What decodes encodes back to a value that decodes the same.
		again, err := encodeNudge(&n)
		if err != nil {
			return // a time MarshalBinary refuses, such as an odd offset
		}
		var n2 pulse.Nudge
		if err := decodeNudge(again, &n2, nil); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if !n2.SentAt.Equal(n.SentAt) || n2.Report != n.Report || n2.UserID != n.UserID || n2.Day != n.Day {
			t.Fatalf("re-decoded %+v, want %+v", n2, n)
		}
	})
}
