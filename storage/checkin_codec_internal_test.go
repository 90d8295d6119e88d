package storage

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

var checkInCodec = codec[pulse.CheckIn]{
	form:  checkInForm,
	times: func(c *pulse.CheckIn) []*time.Time { return []*time.Time{&c.SubmittedAt, &c.UpdatedAt} },
}

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
		t.Run(tt.name, func(t *testing.T) { checkInCodec.roundTrip(t, tt.c) })
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
	f.Fuzz(checkInCodec.fuzz)
}
