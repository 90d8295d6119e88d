package storage

import (
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

var nudgeCodec = codec[pulse.Nudge]{
	form:  nudgeForm,
	times: func(n *pulse.Nudge) []*time.Time { return []*time.Time{&n.SentAt, &n.AnsweredAt} },
}

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
		t.Run(tt.name, func(t *testing.T) { nudgeCodec.roundTrip(t, tt.n) })
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
	f.Fuzz(nudgeCodec.fuzz)
}
