package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/salespulse/pulse"
)

// Check-ins are the one record Pulse keeps by the hundred thousand and reads
// by the hundred (a team's week, a summary, an export), so since schema 2
// they are stored in a compact binary form rather than JSON, which took
// most of a team-week query's time to decode. Since schema 3 nudges,
// commitments and blockers share the form (their own files say why); teams,
// people and the rest stay JSON, read one at a time or cached decoded.
//
// The form is a format byte, then the fields in order: strings as a uvarint
// length and the bytes, integers as varints, times as a uvarint length and
// time.Time's own binary form (which keeps the zone offset), the metrics as
// a uvarint count plus one (0 for none) and, sorted by key, each key and the
// float64's bits, big-endian.

// checkInFormat is the first byte of every encoded check-in; a new form gets
// a new byte, and checkInScan.decode reads every form it knows.
const checkInFormat byte = 1

// checkInAnswersFormat (since schema 5) is checkInFormat followed by the
// answers to the team's own questions: a uvarint count and, for each, the
// question's ID, its version as a varint, its text as answered, its type
// and the value. A check-in without answers keeps the first form, so files
// of schema 4 are read as they are and scans of them cost what they did.
const checkInAnswersFormat byte = 2

// encodeCheckIn returns c in the stored binary form.
func encodeCheckIn(c *pulse.CheckIn) ([]byte, error) {
	b := make([]byte, 0, 96+len(c.TeamID)+len(c.UserID)+len(c.Results)+len(c.Plan)+len(c.Blocker)+len(c.Skill)+24*len(c.Metrics))
	if len(c.Answers) == 0 {
		b = append(b, checkInFormat)
	} else {
		b = append(b, checkInAnswersFormat)
	}
	b = appendString(b, c.TeamID)
	b = appendString(b, c.UserID)
	b = appendDate(b, c.Date)
	b = appendString(b, string(c.Status))
	b = appendString(b, c.Results)
	b = appendString(b, c.Plan)
	b = appendString(b, c.Blocker)
	b = binary.AppendVarint(b, int64(c.Energy))
	if c.Metrics == nil {
		b = binary.AppendUvarint(b, 0)
	} else {
		b = binary.AppendUvarint(b, uint64(len(c.Metrics))+1)
		for _, k := range slices.Sorted(maps.Keys(c.Metrics)) {
			b = appendString(b, k)
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(c.Metrics[k]))
		}
	}
	b = appendString(b, c.Skill)
	for _, t := range []time.Time{c.SubmittedAt, c.UpdatedAt} {
		var err error
		if b, err = appendTime(b, t); err != nil {
			return nil, fmt.Errorf("encode check-in: %w", err)
		}
	}
	if len(c.Answers) > 0 {
		b = binary.AppendUvarint(b, uint64(len(c.Answers)))
		for _, a := range c.Answers {
			b = appendString(b, a.QuestionID)
			b = binary.AppendVarint(b, int64(a.Version))
			b = appendString(b, a.Question)
			b = appendString(b, string(a.Type))
			b = appendString(b, a.Value)
		}
	}
	return b, nil
}

// checkInScan decodes the check-ins of one scan. The team, rep, status and
// metric names, the same in many records, are kept once in strs (nil copies
// each).
type checkInScan struct {
	scanNames
	fig pulse.CheckInFigures // the figures of the check-in read last

	// The team, status and metric names of the check-in before: in a
	// team's scan they are mostly the same, and comparing costs less than
	// the lookup in strs.
	team, status string
	keys         []string
}

// same returns last when b spells it, and b's string from strs otherwise.
func (d *checkInScan) same(last *string, b []byte) string {
	*last = d.strs.same(*last, b)
	return *last
}

// decode decodes buf's figures into d.fig and, when c is not nil, the
// whole check-in into c. Without c it skips the texts and times.
func (d *checkInScan) decode(buf []byte, c *pulse.CheckIn) error {
	format := checkInFormat
	if len(buf) > 0 && buf[0] == checkInAnswersFormat {
		format = checkInAnswersFormat
	}
	r, err := readForm(buf, format, "check-in")
	if err != nil {
		return err
	}
	f := &d.fig
	f.TeamID = d.same(&d.team, r.bytes())
	f.UserID = d.user(r.bytes())
	f.Date = r.date()
	f.Status = pulse.CheckInStatus(d.same(&d.status, r.bytes()))
	results, plan, blocker := r.bytes(), r.bytes(), r.bytes()
	f.Energy = int(r.varint())
	f.Metrics = f.Metrics[:0]
	n := r.uvarint()
	if n > 0 {
		if n-1 > uint64(len(r.b)) { // each metric takes more than a byte
			return errors.New("check-in: bad metric count")
		}
		for i := range int(n - 1) {
			if i == len(d.keys) {
				d.keys = append(d.keys, "")
			}
			f.Metrics = append(f.Metrics, pulse.MetricValue{Key: d.same(&d.keys[i], r.bytes()), Value: math.Float64frombits(r.uint64())})
		}
	}
	skill, submitted, updated := r.bytes(), r.bytes(), r.bytes()
	var answers []pulse.Answer
	if format == checkInAnswersFormat {
		// Only a whole check-in needs its answers; figures skip them.
		n := r.uvarint()
		if n > uint64(len(r.b)) { // each answer takes more than a byte
			return errors.New("check-in: bad answer count")
		}
		if c != nil {
			answers = make([]pulse.Answer, 0, n)
		}
		for range n {
			id, version, question, typ, value := r.bytes(), r.varint(), r.bytes(), r.bytes(), r.bytes()
			if c != nil {
				answers = append(answers, pulse.Answer{QuestionID: string(id), Version: int(version), Question: string(question), Type: pulse.QuestionType(typ), Value: string(value)})
			}
		}
	}
	if err := r.end("check-in"); err != nil {
		return err
	}
	if c == nil {
		return nil
	}
	*c = pulse.CheckIn{
		TeamID: f.TeamID, UserID: f.UserID, Date: f.Date, Status: f.Status, Energy: f.Energy,
		Results: string(results), Plan: string(plan), Blocker: string(blocker), Skill: string(skill),
		Answers: answers,
	}
	if n > 0 {
		c.Metrics = make(map[string]float64, len(f.Metrics))
		for _, m := range f.Metrics {
			c.Metrics[m.Key] = m.Value
		}
	}
	if err := c.SubmittedAt.UnmarshalBinary(submitted); err != nil {
		return fmt.Errorf("check-in: time: %w", err)
	}
	if err := c.UpdatedAt.UnmarshalBinary(updated); err != nil {
		return fmt.Errorf("check-in: time: %w", err)
	}
	return nil
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendDate appends d as three varints: year, month, day.
func appendDate(b []byte, d pulse.Date) []byte {
	b = binary.AppendVarint(b, int64(d.Year))
	b = binary.AppendVarint(b, int64(d.Month))
	return binary.AppendVarint(b, int64(d.Day))
}

// appendTime appends t as a uvarint length and time.Time's binary form,
// which keeps the zone offset.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	tb, err := t.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("time %v: %w", t, err)
	}
	return appendString(b, string(tb)), nil
}

// reader reads the parts of an encoded value in order; after the first
// malformed part every read returns a zero value and err says what was
// wrong (and b is emptied, so the quick paths below need not look at err).
type reader struct {
	b   []byte
	err error
}

var errShort = errors.New("value cut short")

// readForm returns a reader of buf's fields, after its first byte, which
// must be format; what names the record in the error.
func readForm(buf []byte, format byte, what string) (reader, error) {
	if len(buf) == 0 || buf[0] != format {
		return reader{}, fmt.Errorf("%s: unknown format", what)
	}
	return reader{b: buf[1:]}, nil
}

// end reports what was wrong with the value read, bytes left over
// included; what names the record in the error.
func (r *reader) end(what string) error {
	if r.err == nil && len(r.b) > 0 {
		r.err = errors.New("trailing bytes")
	}
	if r.err != nil {
		return fmt.Errorf("%s: %w", what, r.err)
	}
	return nil
}

// fail records the first malformed part.
func (r *reader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.b = nil
}

// uvarint, varint and bytes read a one-byte varint, the usual case (a
// length, an energy, a day), inline: a team's status reads some four
// thousand of them.
func (r *reader) uvarint() uint64 {
	if b := r.b; len(b) > 0 && b[0] < 0x80 {
		r.b = b[1:]
		return uint64(b[0])
	}
	return r.uvarintSlow()
}

func (r *reader) uvarintSlow() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail(errShort)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if b := r.b; len(b) > 0 && b[0] < 0x80 {
		r.b = b[1:]
		return int64(b[0]>>1) ^ -int64(b[0]&1) // zigzag, as binary.Varint
	}
	return r.varintSlow()
}

func (r *reader) varintSlow() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail(errShort)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) uint64() uint64 {
	if len(r.b) < 8 {
		r.fail(errShort)
		return 0
	}
	v := binary.BigEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func (r *reader) bytes() []byte {
	if b := r.b; len(b) > 0 && b[0] < 0x80 && int(b[0]) < len(b) {
		r.b = b[b[0]+1:]
		return b[1 : b[0]+1]
	}
	return r.bytesSlow()
}

func (r *reader) bytesSlow() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail(errShort)
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) string() string { return string(r.bytes()) }

func (r *reader) date() pulse.Date {
	return pulse.Date{Year: int(r.varint()), Month: time.Month(r.varint()), Day: int(r.varint())}
}

func (r *reader) time() time.Time {
	var t time.Time
	tb := r.bytes()
	if r.err == nil {
		if err := t.UnmarshalBinary(tb); err != nil {
			r.fail(fmt.Errorf("time: %w", err))
		}
	}
	return t
}

// names holds one copy of each ID, status and metric name that scans
// decode over and over: the same few thousand people and teams appear in
// every team's records, and a fresh string for each was much of what a
// scan allocated. The set is bounded by the workspace, and capped besides.
// A nil *names copies every string.
type names struct {
	mu sync.RWMutex
	m  map[string]string
}

// maxNames caps how many strings names keeps; past it, new ones are copied
// each time.
const maxNames = 1 << 16

func newNames() *names { return &names{m: make(map[string]string, 1024)} }

// same returns last when b spells it, and b's string otherwise: a scan
// that decodes into one reused record passes the field's value from the
// record before, and in a team's scan the team, training and status are
// mostly the same from one record to the next.
func (n *names) same(last string, b []byte) string {
	if string(b) == last {
		return last
	}
	return n.of(b)
}

// of returns b as a string, the held copy when there is one. The lookup
// with string(b) does not allocate.
func (n *names) of(b []byte) string {
	if n == nil {
		return string(b)
	}
	n.mu.RLock()
	v, ok := n.m[string(b)]
	n.mu.RUnlock()
	if ok {
		return v
	}
	v = string(b)
	n.mu.Lock()
	if len(n.m) < maxNames {
		n.m[v] = v
	}
	n.mu.Unlock()
	return v
}
