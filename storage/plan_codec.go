package storage

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// A manager's /pulse reads every plan of the team's quarter, and JSON took
// a tenth of its time to decode them, so since schema 11 plans share the
// check-ins' binary form (see checkin_codec.go): a format byte, then
// TeamID, UserID, Metric, Period, Start, Target (the float64's bits,
// big-endian), SetBy and UpdatedAt in that order.

// planFormat is the first byte of every encoded plan.
const planFormat byte = 1

// encodePlan returns p in the stored binary form.
func encodePlan(p *pulse.Plan) ([]byte, error) {
	b := make([]byte, 0, 48+len(p.TeamID)+len(p.UserID)+len(p.Metric)+len(p.Period)+len(p.SetBy))
	b = append(b, planFormat)
	b = appendString(b, p.TeamID)
	b = appendString(b, p.UserID)
	b = appendString(b, p.Metric)
	b = appendString(b, string(p.Period))
	b = appendDate(b, p.Start)
	b = binary.BigEndian.AppendUint64(b, math.Float64bits(p.Target))
	b = appendString(b, p.SetBy)
	b, err := appendTime(b, p.UpdatedAt)
	if err != nil {
		return nil, fmt.Errorf("encode plan: %w", err)
	}
	return b, nil
}

// decodePlan reads a plan written by encodePlan into p, keeping the
// strings many plans share once in strs (nil copies each).
func decodePlan(buf []byte, p *pulse.Plan, strs *names) error {
	r, err := readForm(buf, planFormat, "plan")
	if err != nil {
		return err
	}
	last := *p // the plan before, when a scan reuses p
	*p = pulse.Plan{}
	p.TeamID = strs.same(last.TeamID, r.bytes())
	p.UserID = strs.of(r.bytes())
	p.Metric = strs.same(last.Metric, r.bytes())
	p.Period = pulse.Period(strs.same(string(last.Period), r.bytes()))
	p.Start = r.date()
	p.Target = math.Float64frombits(r.uint64())
	p.SetBy = strs.same(last.SetBy, r.bytes())
	p.UpdatedAt = r.time()
	return r.end("plan")
}

// reencodePlans is schema 11: the JSON plans of schema 10 in the binary
// form, under the same keys.
func reencodePlans(tx kv.Tx) error {
	b := tx.Bucket(bucketPlans)
	if b == nil {
		return nil
	}
	err := reencode(b, func(k []byte, p *pulse.Plan) error {
		return planForm.put(b, k, p)
	})
	if err != nil {
		return fmt.Errorf("re-encode plans: %w", err)
	}
	return nil
}
