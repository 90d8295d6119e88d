package pulse

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The rhythm of pulling a team's numbers from its CRM, in each rep's zone:
// CRMSyncLead before the check-in (so the check-in shows fresh numbers),
// every whole hour from the check-in time to CRMWorkEnd, and CRMFinalDelay
// after the day ends, when the day's figures become final.
const (
	CRMSyncLead   = 10 * time.Minute
	CRMWorkEnd    = TimeOfDay(18 * 60)
	CRMFinalDelay = 30 * time.Minute
	// MaxActivityTypeLen bounds the CRM activity type a metric names.
	MaxActivityTypeLen = 100
	// MaxCRMOwnerLen bounds a CRM owner ID typed by hand.
	MaxCRMOwnerLen = 64
)

// Valid reports whether k is typed or a CRM Pulse reads from.
func (k CRMKind) Valid() bool {
	switch k {
	case CRMTyped, CRMHubSpot, CRMPipedrive, CRMSalesforce:
		return true
	}
	return false
}

// Title is the CRM's name as its maker writes it, for people to read.
func (k CRMKind) Title() string {
	switch k {
	case CRMHubSpot:
		return "HubSpot"
	case CRMPipedrive:
		return "Pipedrive"
	case CRMSalesforce:
		return "Salesforce"
	}
	return ""
}

// ParseCRMKind reads a kind as typed in setup or a flag, case-insensitively;
// "typed" and the empty string are CRMTyped.
func ParseCRMKind(s string) (CRMKind, bool) {
	k := CRMKind(strings.ToLower(strings.TrimSpace(s)))
	if k == "typed" {
		return CRMTyped, true
	}
	return k, k.Valid()
}

// Measures lists the measures every CRM client answers, in the order
// setup offers them.
var Measures = []Measure{MeasureCalls, MeasureMeetingsHeld, MeasureMeetingsBooked, MeasureDealsWon, MeasureDealsWonAmount, MeasureActivities}

// IsZero reports whether the spec names no measure: the metric is typed.
func (m MeasureSpec) IsZero() bool { return m == MeasureSpec{} }

// Valid reports whether m is typed, or a known measure with an activity
// type exactly when it counts activities.
func (m MeasureSpec) Valid() bool {
	if m.IsZero() {
		return true
	}
	if !slices.Contains(Measures, m.Measure) {
		return false
	}
	if m.Measure != MeasureActivities {
		return m.ActivityType == ""
	}
	t := m.ActivityType
	return t != "" && t == strings.TrimSpace(t) && utf8.ValidString(t) &&
		utf8.RuneCountInString(t) <= MaxActivityTypeLen && !strings.ContainsFunc(t, unicode.IsControl)
}

// String writes the spec as ParseMeasureSpec reads it: "calls",
// "activities:Demo", or "" for typed.
func (m MeasureSpec) String() string {
	if m.Measure == MeasureActivities {
		return string(m.Measure) + ":" + m.ActivityType
	}
	return string(m.Measure)
}

// ParseMeasureSpec reads a spec written by String; "typed" and "" are the
// zero spec.
func ParseMeasureSpec(s string) (MeasureSpec, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "typed") {
		return MeasureSpec{}, nil
	}
	name, activity, _ := strings.Cut(s, ":")
	m := MeasureSpec{Measure: Measure(strings.ToLower(name)), ActivityType: strings.TrimSpace(activity)}
	if !m.Valid() {
		return MeasureSpec{}, Errorf(EINVALID, "err.crm_measure", map[string]any{"Value": s}, "unknown CRM measure %q", s)
	}
	return m, nil
}

// FromCRM reports whether the metric's numbers come from the team's CRM.
func (t *Team) FromCRM(m Metric) bool {
	return t.NumbersFrom != CRMTyped && !m.Measure.IsZero()
}

// CRMMeasures returns the distinct measures the team's metrics come from.
func (t *Team) CRMMeasures() []MeasureSpec {
	var out []MeasureSpec
	for _, m := range t.Metrics {
		if t.FromCRM(m) && !slices.Contains(out, m.Measure) {
			out = append(out, m.Measure)
		}
	}
	return out
}

// CRMMatchBy says how a rep was matched to a CRM owner.
type CRMMatchBy string

// A rep is matched by the email Slack and the CRM both hold, or by hand.
const (
	CRMMatchEmail CRMMatchBy = "email"
	CRMMatchHand  CRMMatchBy = "hand"
)

// CRMMatch ties a rep of a team to the CRM user whose records are theirs.
type CRMMatch struct {
	TeamID  string
	Rep     string
	Kind    CRMKind // the CRM the owner belongs to; a match to another CRM is stale
	OwnerID string
	By      CRMMatchBy
	At      time.Time
}

// ValidCRMOwnerID accepts an owner ID as CRMs spell them: letters, digits
// and "-_.", so a hand-typed ID cannot smuggle a query or a key separator.
func ValidCRMOwnerID(s string) bool {
	if s == "" || len(s) > MaxCRMOwnerLen {
		return false
	}
	for _, r := range s {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.", r))) {
			return false
		}
	}
	return true
}

// MatchByEmail pairs each rep with the CRM owner whose email equals the
// rep's Slack email, ignoring case and spaces. Reps without an email, or
// whose email no owner has, are returned as unmatched, in the given order.
func MatchByEmail(reps []string, emails map[string]string, owners []CRMOwner) (matched map[string]CRMOwner, unmatched []string) {
	byEmail := make(map[string]CRMOwner, len(owners))
	for _, o := range owners {
		if e := strings.ToLower(strings.TrimSpace(o.Email)); e != "" {
			byEmail[e] = o
		}
	}
	matched = map[string]CRMOwner{}
	for _, rep := range reps {
		e := strings.ToLower(strings.TrimSpace(emails[rep]))
		if o, ok := byEmail[e]; ok && e != "" {
			matched[rep] = o
			continue
		}
		unmatched = append(unmatched, rep)
	}
	return matched, unmatched
}

// CRMFigure is what the CRM counted for one rep of a team on one of the
// rep's local days, by metric key, and when it was fetched. Final is set
// once it was fetched after the rep's day ended.
type CRMFigure struct {
	TeamID    string
	Rep       string
	Day       Date
	Source    CRMKind
	FetchedAt time.Time
	Final     bool
	Values    map[string]float64
}

// MetricFigure decides which number counts for metric m of a rep's day:
// the CRM's when the metric comes from the CRM and a figure was fetched
// (plus what the rep typed on top, when the team allows topping up), else
// what the rep typed. src names where it came from, CRMTyped for typed;
// ok is false when there is no number at all.
func MetricFigure(t *Team, m Metric, typed float64, hasTyped bool, crm *CRMFigure) (v float64, src CRMKind, ok bool) {
	if t.FromCRM(m) && crm != nil && crm.Source == t.NumbersFrom {
		v = crm.Values[m.Key]
		if t.CRMTopUp && hasTyped {
			v += typed
		}
		return v, crm.Source, true
	}
	if t.FromCRM(m) && !t.CRMTopUp {
		// The CRM has not answered yet; a number the rep could not type
		// is no number.
		return 0, CRMTyped, false
	}
	return typed, CRMTyped, hasTyped
}

// CRMSyncPoint is one pull of a team's numbers, named by its instant so
// that each is claimed once whichever process or tick asks.
type CRMSyncPoint struct {
	At    time.Time
	Final bool // after a rep's day ended: that day's figures become final
}

// Occurrence names the point in the job ledger: its UTC minute, "F" first
// for a final pull.
func (p CRMSyncPoint) Occurrence() string {
	s := p.At.UTC().Format("20060102T1504Z")
	if p.Final {
		return "F" + s
	}
	return s
}

// CRMSyncPoints returns the team's pulls that fall in [from, to], earliest
// first: for every zone its reps live in and every team workday there, one
// CRMSyncLead before the check-in, one at each whole hour from the check-in
// time to CRMWorkEnd, and one CRMFinalDelay after the day ends. Times are
// placed with WallClock, so a daylight-saving change neither skips nor
// repeats a pull. A team whose numbers are typed has none.
func CRMSyncPoints(t *Team, zones []*time.Location, from, to time.Time) []CRMSyncPoint {
	if t.NumbersFrom == CRMTyped || len(t.CRMMeasures()) == 0 {
		return nil
	}
	if len(zones) == 0 {
		zones = []*time.Location{t.Location()}
	}
	seen := map[string]bool{}
	var out []CRMSyncPoint
	add := func(p CRMSyncPoint) {
		if p.At.Before(from) || p.At.After(to) || seen[p.Occurrence()] {
			return
		}
		seen[p.Occurrence()] = true
		out = append(out, p)
	}
	for _, loc := range zones {
		// A local day that touches [from, to] starts at most a day before
		// from and ends at most CRMFinalDelay later than a day after to.
		for d := DateOf(from.In(loc)).AddDays(-2); !d.After(DateOf(to.In(loc))); d = d.AddDays(1) {
			if !t.IsWorkday(d) {
				continue
			}
			add(CRMSyncPoint{At: WallClock(d, t.CheckInTime, loc).Add(-CRMSyncLead)})
			for h := (int(t.CheckInTime) + 59) / 60 * 60; h <= int(CRMWorkEnd); h += 60 {
				add(CRMSyncPoint{At: WallClock(d, TimeOfDay(h), loc)})
			}
			add(CRMSyncPoint{At: DayEnd(d, loc).Add(CRMFinalDelay), Final: true})
		}
	}
	slices.SortFunc(out, func(a, b CRMSyncPoint) int { return cmp.Compare(a.Occurrence(), b.Occurrence()) })
	slices.SortStableFunc(out, func(a, b CRMSyncPoint) int { return a.At.Compare(b.At) })
	return out
}

// CRMDays returns, for a pull at instant at, the local days it fetches for
// a rep in loc: the day before (final once it has ended) and the day of at.
func CRMDays(at time.Time, loc *time.Location) (from, to Date) {
	to = LocalDay(at, loc)
	return to.AddDays(-1), to
}

// CRMHealth is how a team's last pulls from its CRM went, for `pulse crm
// check` and for telling people once when the credential is refused.
type CRMHealth struct {
	TeamID    string
	Kind      CRMKind
	LastTry   time.Time
	LastOK    time.Time // zero until a pull works
	Failing   string    // ErrorCode of the last pull's error; empty when it worked
	Unmatched []string  // reps the last pull could not match to a CRM user
}

// Typable reports whether reps type a number for metric m: a typed metric,
// or one from the CRM that the team lets reps top up.
func (t *Team) Typable(m Metric) bool { return !t.FromCRM(m) || t.CRMTopUp }

// metricSource is where a metric's numbers come from: the team's CRM, or
// CRMTyped.
func metricSource(t *Team, m Metric) CRMKind {
	if t.FromCRM(m) {
		return t.NumbersFrom
	}
	return CRMTyped
}
