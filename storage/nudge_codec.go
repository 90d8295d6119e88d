package storage

import (
	"encoding/binary"
	"fmt"

	"github.com/salespulse/pulse"
)

// Nudges are, after check-ins, the record Pulse reads most of at once: a
// team's status counts every nudge of its recent trainings, a few per rep
// per training. Decoding them from JSON took a quarter of a manager's
// /pulse, so since schema 3 they share the check-ins' binary form (see
// checkin_codec.go): a format byte, then TrainingID, TeamID, UserID, Day,
// SentAt, Response, Report and AnsweredAt in that order.

// nudgeFormat is the first byte of every encoded nudge.
const nudgeFormat byte = 1

// encodeNudge returns n in the stored binary form.
func encodeNudge(n *pulse.Nudge) ([]byte, error) {
	b := make([]byte, 0, 64+len(n.TrainingID)+len(n.TeamID)+len(n.UserID)+len(n.Report))
	b = append(b, nudgeFormat)
	b = appendString(b, n.TrainingID)
	b = appendString(b, n.TeamID)
	b = appendString(b, n.UserID)
	b = binary.AppendVarint(b, int64(n.Day))
	var err error
	if b, err = appendTime(b, n.SentAt); err != nil {
		return nil, fmt.Errorf("encode nudge: %w", err)
	}
	b = appendString(b, string(n.Response))
	b = appendString(b, n.Report)
	if b, err = appendTime(b, n.AnsweredAt); err != nil {
		return nil, fmt.Errorf("encode nudge: %w", err)
	}
	return b, nil
}

// decodeNudge reads a nudge written by encodeNudge into n, keeping the
// strings many nudges share once in strs (nil copies each).
func decodeNudge(buf []byte, n *pulse.Nudge, strs *names) error {
	return decodeNudgeText(buf, n, strs, nil, true)
}

// decodeNudgeText is decodeNudge that leaves the report empty unless
// report is set, for a caller that only counts.
func decodeNudgeText(buf []byte, n *pulse.Nudge, strs *names, met *scanNames, report bool) error {
	r, err := readForm(buf, nudgeFormat, "nudge")
	if err != nil {
		return err
	}
	last := *n // the nudge before, when a scan reuses n
	*n = pulse.Nudge{}
	n.TrainingID = strs.same(last.TrainingID, r.bytes())
	n.TeamID = strs.same(last.TeamID, r.bytes())
	if met != nil {
		n.UserID = met.user(r.bytes())
	} else {
		n.UserID = strs.of(r.bytes())
	}
	n.Day = int(r.varint())
	n.SentAt = r.time()
	if met != nil {
		n.Response = pulse.NudgeResponse(met.word(r.bytes()))
	} else {
		n.Response = pulse.NudgeResponse(strs.same(string(last.Response), r.bytes()))
	}
	if report {
		n.Report = r.string()
	} else {
		r.bytes()
	}
	n.AnsweredAt = r.time()
	return r.end("nudge")
}
