package storage

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/salespulse/pulse"
)

// A team's status and weekly summary read every commitment of the week,
// and JSON took as long to decode them as the week's check-ins took in
// binary, so since schema 3 commitments share the check-ins' binary form
// (see checkin_codec.go): a format byte, then ID, TeamID, UserID, Week,
// Text, Metric, Target (the float64's bits, big-endian), Due, Status,
// RepNote, ManagerNote, CreatedAt and ReviewedAt in that order.

// commitmentFormat is the first byte of every encoded commitment.
const commitmentFormat byte = 1

// encodeCommitment returns c in the stored binary form.
func encodeCommitment(c *pulse.Commitment) ([]byte, error) {
	b := make([]byte, 0, 96+len(c.ID)+len(c.TeamID)+len(c.UserID)+len(c.Text)+len(c.Metric)+len(c.RepNote)+len(c.ManagerNote))
	b = append(b, commitmentFormat)
	b = appendString(b, c.ID)
	b = appendString(b, c.TeamID)
	b = appendString(b, c.UserID)
	b = appendDate(b, c.Week)
	b = appendString(b, c.Text)
	b = appendString(b, c.Metric)
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.Target))
	b = appendDate(b, c.Due)
	b = appendString(b, string(c.Status))
	b = appendString(b, c.RepNote)
	b = appendString(b, c.ManagerNote)
	for _, t := range []time.Time{c.CreatedAt, c.ReviewedAt} {
		var err error
		if b, err = appendTime(b, t); err != nil {
			return nil, fmt.Errorf("encode commitment: %w", err)
		}
	}
	return b, nil
}

// decodeCommitment reads a commitment written by encodeCommitment into c,
// keeping the strings many commitments share once in strs (nil copies
// each).
func decodeCommitment(buf []byte, c *pulse.Commitment, strs *names) error {
	return decodeCommitmentText(buf, c, strs, true)
}

// decodeCommitmentText is decodeCommitment that leaves the texts (the
// promise and the notes) empty unless texts is set, for a caller that only
// counts.
func decodeCommitmentText(buf []byte, c *pulse.Commitment, strs *names, texts bool) error {
	r, err := readForm(buf, commitmentFormat, "commitment")
	if err != nil {
		return err
	}
	last := *c // the commitment before, when a scan reuses c
	*c = pulse.Commitment{}
	c.ID = r.string()
	c.TeamID = strs.same(last.TeamID, r.bytes())
	c.UserID = strs.of(r.bytes())
	c.Week = r.date()
	text := func() string {
		if !texts {
			r.bytes()
			return ""
		}
		return r.string()
	}
	c.Text = text()
	c.Metric = strs.same(last.Metric, r.bytes())
	c.Target = math.Float64frombits(r.uint64())
	c.Due = r.date()
	c.Status = pulse.CommitmentStatus(strs.same(string(last.Status), r.bytes()))
	c.RepNote = text()
	c.ManagerNote = text()
	c.CreatedAt = r.time()
	c.ReviewedAt = r.time()
	return r.end("commitment")
}
