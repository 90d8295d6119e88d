package storage

import (
	"reflect"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func TestCheckInCodec(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		c    pulse.CheckIn
	}{
		{"an answered check-in with metrics", pulse.CheckIn{
			TeamID: "t0000000001", UserID: "U02", Date: pulse.MustDate("2026-11-23"), Status: pulse.CheckInOnTime,
			Results: "3 meetings", Plan: "call leads", Blocker: "CRM down", Energy: 4, Skill: "asked for the next step",
			Metrics:     map[string]float64{"calls": 12, "revenue": 1234.5, "zero": 0},
			SubmittedAt: time.Date(2026, 11, 23, 9, 3, 0, 123, time.UTC), UpdatedAt: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC),
		}},
		{"a missed day without metrics or times", pulse.CheckIn{
			TeamID: "t0000000001", UserID: "U02", Date: pulse.MustDate("2026-11-24"), Status: pulse.CheckInMissed,
		}},
		{"an empty metrics map stays empty, not nil", pulse.CheckIn{
			TeamID: "t1", UserID: "U02", Date: pulse.MustDate("2026-11-24"), Status: pulse.CheckInLate, Metrics: map[string]float64{},
		}},
		{"Cyrillic text and a time in Oslo's zone", pulse.CheckIn{
			TeamID: "t1", UserID: "U02", Date: pulse.MustDate("2026-03-29"), Status: pulse.CheckInLate,
			Plan: "позвонить клиентам", Energy: 5, SubmittedAt: time.Date(2026, 3, 29, 9, 0, 0, 0, oslo),
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			buf, err := encodeCheckIn(&tt.c)
			if err != nil {
				t.Fatal(err)
			}
			var got pulse.CheckIn
			if err := decodeCheckIn(buf, &got); err != nil {
				t.Fatal(err)
			}
			// Times come back as the same instant at the same offset.
			for _, p := range [][2]time.Time{{got.SubmittedAt, tt.c.SubmittedAt}, {got.UpdatedAt, tt.c.UpdatedAt}} {
				_, go1 := p[0].Zone()
				_, wo := p[1].Zone()
				if !p[0].Equal(p[1]) || go1 != wo {
					t.Errorf("time %v, want %v", p[0], p[1])
				}
			}
			want := tt.c
			got.SubmittedAt, got.UpdatedAt, want.SubmittedAt, want.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
			// Every cut-short value is an error, never a panic.
			for n := range len(buf) {
				if err := decodeCheckIn(buf[:n], &got); err == nil {
					t.Errorf("decoding the first %d of %d bytes succeeded", n, len(buf))
				}
			}
			if err := decodeCheckIn(append(buf, 0), &got); err == nil {
				t.Error("decoding with a trailing byte succeeded")
			}
		})
	}
}

func FuzzDecodeCheckIn(f *testing.F) {
	c := pulse.CheckIn{TeamID: "t1", UserID: "U02", Date: pulse.MustDate("2026-11-23"), Status: pulse.CheckInOnTime,
		Plan: "x", Energy: 3, Metrics: map[string]float64{"calls": 1}, SubmittedAt: time.Unix(1e9, 0)}
	buf, err := encodeCheckIn(&c)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(buf)
	f.Add([]byte{checkInFormat})
	f.Fuzz(func(t *testing.T, b []byte) {
		var c pulse.CheckIn
		if decodeCheckIn(b, &c) != nil {
			return
		}
		// What decodes encodes back to a value that decodes the same.
		again, err := encodeCheckIn(&c)
		if err != nil {
			return // a time MarshalBinary refuses, such as an odd offset
		}
		var c2 pulse.CheckIn
		if err := decodeCheckIn(again, &c2); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
	})
}
