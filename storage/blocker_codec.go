package storage

import (
	"fmt"

	"github.com/salespulse/pulse"
)

// Every /pulse of a manager reads the team's open blockers, and decoding
// them from JSON was, once check-ins, nudges and commitments were binary,
// the largest part of reading a team; since schema 3 blockers share the
// check-ins' binary form too (see checkin_codec.go): a format byte, then
// ID, TeamID, UserID, Date, Text, Status, RaisedAt, TakenBy, TakenAt,
// ResolvedBy and ResolvedAt in that order.

// blockerFormat is the first byte of every encoded blocker.
const blockerFormat byte = 1

// encodeBlocker returns b in the stored binary form.
func encodeBlocker(bl *pulse.Blocker) ([]byte, error) {
	b := make([]byte, 0, 96+len(bl.ID)+len(bl.TeamID)+len(bl.UserID)+len(bl.Text)+len(bl.TakenBy)+len(bl.ResolvedBy))
	b = append(b, blockerFormat)
	b = appendString(b, bl.ID)
	b = appendString(b, bl.TeamID)
	b = appendString(b, bl.UserID)
	b = appendDate(b, bl.Date)
	b = appendString(b, bl.Text)
	b = appendString(b, string(bl.Status))
	var err error
	if b, err = appendTime(b, bl.RaisedAt); err != nil {
		return nil, fmt.Errorf("encode blocker: %w", err)
	}
	b = appendString(b, bl.TakenBy)
	if b, err = appendTime(b, bl.TakenAt); err != nil {
		return nil, fmt.Errorf("encode blocker: %w", err)
	}
	b = appendString(b, bl.ResolvedBy)
	if b, err = appendTime(b, bl.ResolvedAt); err != nil {
		return nil, fmt.Errorf("encode blocker: %w", err)
	}
	return b, nil
}

// decodeBlocker reads a blocker written by encodeBlocker into bl.
func decodeBlocker(buf []byte, bl *pulse.Blocker) error {
	return decodeBlockerText(buf, bl, nil, true)
}

// decodeBlockerText is decodeBlocker that leaves the text empty unless
// text is set, for a caller that only counts, keeping the strings many
// blockers share once in strs (nil copies each).
func decodeBlockerText(buf []byte, bl *pulse.Blocker, strs *names, text bool) error {
	r, err := readForm(buf, blockerFormat, "blocker")
	if err != nil {
		return err
	}
	*bl = pulse.Blocker{}
	bl.ID = r.string()
	bl.TeamID = strs.of(r.bytes())
	bl.UserID = strs.of(r.bytes())
	bl.Date = r.date()
	if text {
		bl.Text = r.string()
	} else {
		r.bytes()
	}
	bl.Status = pulse.BlockerStatus(strs.of(r.bytes()))
	bl.RaisedAt = r.time()
	bl.TakenBy = strs.of(r.bytes())
	bl.TakenAt = r.time()
	bl.ResolvedBy = strs.of(r.bytes())
	bl.ResolvedAt = r.time()
	return r.end("blocker")
}
