package pulse

import (
	"context"
	"time"
)

// CRMKind names a CRM a team's numbers can come from. The empty kind means
// the reps type their numbers, as Pulse always allowed.
type CRMKind string

// The CRMs Pulse reads numbers from.
const (
	CRMTyped      CRMKind = ""
	CRMHubSpot    CRMKind = "hubspot"
	CRMPipedrive  CRMKind = "pipedrive"
	CRMSalesforce CRMKind = "salesforce"
)

// Measure is a quantity a CRM counts per owner per day, that a team maps
// one of its metrics to.
type Measure string

// The measures every CRM client answers. Activities of a type take the
// type's name in MeasureSpec.ActivityType.
const (
	MeasureCalls          Measure = "calls"            // calls logged, by their time
	MeasureMeetingsHeld   Measure = "meetings_held"    // meetings whose start falls on the day
	MeasureMeetingsBooked Measure = "meetings_booked"  // meetings created on the day
	MeasureDealsWon       Measure = "deals_won"        // deals closed won, by close date
	MeasureDealsWonAmount Measure = "deals_won_amount" // their summed amount
	MeasureActivities     Measure = "activities"       // activities of one type done on the day
)

// MeasureSpec is one measure asked of a CRM. ActivityType is the CRM's
// own name of an activity type, used with MeasureActivities only.
type MeasureSpec struct {
	Measure      Measure
	ActivityType string
}

// CRMOwner is a user of the CRM who owns records: whom a rep is matched
// to, by email or by hand.
type CRMOwner struct {
	ID    string // the CRM's own ID of the user
	Email string // lower-cased
	Name  string
}

// CRMQuery asks a CRM for the figures of some owners over a range of days.
// Each owner's days are their rep's local days: a record stamped in UTC
// counts on the day it fell on in Zones[owner] (UTC when absent).
type CRMQuery struct {
	Owners   []string
	Zones    map[string]*time.Location
	From, To Date // both included
	Measures []MeasureSpec
}

// CRMFigures holds what a CRM counted: per owner, per local day, per
// measure. Days and measures with nothing are absent, and read as zero.
type CRMFigures map[string]map[Date]map[MeasureSpec]float64

// Add adds v to owner's figure of m on day.
func (f CRMFigures) Add(owner string, day Date, m MeasureSpec, v float64) {
	days := f[owner]
	if days == nil {
		days = map[Date]map[MeasureSpec]float64{}
		f[owner] = days
	}
	ms := days[day]
	if ms == nil {
		ms = map[MeasureSpec]float64{}
		days[day] = ms
	}
	ms[m] += v
}

// CRM is one connection to a CRM, with its credentials. A wrong or revoked
// credential is an EUNAUTHORIZED error, so the caller can tell people once
// instead of retrying; a rate limit is waited out inside the client.
type CRM interface {
	// Kind says which CRM this is.
	Kind() CRMKind
	// Owners lists the CRM's users who may own records, with their emails.
	Owners(ctx context.Context) ([]CRMOwner, error)
	// Figures counts the asked measures per owner per local day.
	Figures(ctx context.Context, q CRMQuery) (CRMFigures, error)
}

// LocalDay returns the day instant t falls on in zone, UTC when zone is nil.
func LocalDay(t time.Time, zone *time.Location) Date {
	if zone == nil {
		zone = time.UTC
	}
	return DateOf(t.In(zone))
}
