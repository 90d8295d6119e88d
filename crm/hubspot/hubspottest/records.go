package hubspottest

import (
	"strings"
	"time"
)

// kind is a property's type, which decides how a filter compares it.
type kind int

const (
	text kind = iota
	enumeration
	number
	boolean
	datetime
)

// schema lists the properties the stand-in knows of each object it serves,
// with their types (FACTS.md, "Properties"). A filter on any other name is
// refused as HubSpot refuses a property that does not exist.
var schema = map[string]map[string]kind{
	"calls": {
		"hs_object_id": number, "hs_createdate": datetime, "hs_lastmodifieddate": datetime,
		"hs_timestamp": datetime, "hubspot_owner_id": enumeration, "hs_activity_type": enumeration,
		"hs_call_title": text, "hs_call_direction": enumeration, "hs_call_disposition": enumeration,
		"hs_call_status": enumeration, "hs_call_duration": number,
	},
	"meetings": {
		"hs_object_id": number, "hs_createdate": datetime, "hs_lastmodifieddate": datetime,
		"hs_timestamp": datetime, "hubspot_owner_id": enumeration, "hs_activity_type": enumeration,
		"hs_meeting_title": text, "hs_meeting_start_time": datetime, "hs_meeting_end_time": datetime,
		"hs_meeting_outcome": enumeration,
	},
	"deals": {
		"hs_object_id": number, "createdate": datetime, "hs_lastmodifieddate": datetime,
		"closedate": datetime, "amount": number, "dealname": text, "dealstage": enumeration,
		"pipeline": enumeration, "hubspot_owner_id": enumeration, "hs_is_closed_won": boolean,
		"hs_is_closed": boolean,
	},
}

// alwaysReturned lists the properties a search returns besides those asked
// for: the create date (named createdate on deals), the last modified date
// and the record's ID.
var alwaysReturned = map[string][]string{
	"calls":    {"hs_createdate", "hs_lastmodifieddate", "hs_object_id"},
	"meetings": {"hs_createdate", "hs_lastmodifieddate", "hs_object_id"},
	"deals":    {"createdate", "hs_lastmodifieddate", "hs_object_id"},
}

// object is one stored record: an engagement or a deal.
type object struct {
	id                 string
	props              map[string]string  // set properties only, as HubSpot's text
	nums               map[string]float64 // numbers and datetimes (epoch ms) read once, for filters
	createdAt, updated time.Time
}

// owner is one HubSpot user who can own records.
type owner struct {
	id, email, firstName, lastName string
	userID                         int64
	createdAt                      time.Time
}

// AddOwner adds a user who can own records and returns their owner ID.
func (s *Server) AddOwner(email, firstName, lastName string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.newID()
	s.owners = append(s.owners, owner{
		id: id, email: strings.ToLower(email), firstName: firstName, lastName: lastName,
		userID: s.seq, createdAt: s.cfg.clock.Now(),
	})
	return id
}

// AddCall logs a call by owner at the instant at and returns its ID.
func (s *Server) AddCall(owner string, at time.Time) string {
	return s.AddCallOfType(owner, at, "")
}

// AddCallOfType logs a call of the account's call type activityType
// (hs_activity_type, such as "Discovery call"); "" leaves it unset.
func (s *Server) AddCallOfType(owner string, at time.Time, activityType string) string {
	return s.add("calls", map[string]string{
		"hubspot_owner_id": owner, "hs_timestamp": instant(at), "hs_createdate": instant(at),
		"hs_activity_type": activityType, "hs_call_direction": "OUTBOUND", "hs_call_status": "COMPLETED",
	})
}

// AddMeeting adds a meeting that owner booked at booked (its create date)
// for start, and returns its ID.
func (s *Server) AddMeeting(owner string, start, booked time.Time) string {
	return s.AddMeetingOfType(owner, start, booked, "")
}

// AddMeetingOfType adds a meeting of the account's meeting type
// activityType (hs_activity_type, such as "Demo"); "" leaves it unset.
func (s *Server) AddMeetingOfType(owner string, start, booked time.Time, activityType string) string {
	outcome := "SCHEDULED"
	if !start.After(s.cfg.clock.Now()) {
		outcome = "COMPLETED"
	}
	return s.add("meetings", map[string]string{
		"hubspot_owner_id": owner, "hs_meeting_start_time": instant(start),
		"hs_meeting_end_time": instant(start.Add(30 * time.Minute)),
		"hs_timestamp":        instant(start), // HubSpot's default: the start time
		"hs_createdate":       instant(booked), "hs_activity_type": activityType, "hs_meeting_outcome": outcome,
	})
}

// AddDeal adds a closed deal of owner, won or lost, closed at closedate,
// with amount as HubSpot holds it: text such as "1200", "1200.50" or ""
// for none. It returns the deal's ID.
func (s *Server) AddDeal(owner, amount string, closedate time.Time, won bool) string {
	stage, isWon := "closedlost", "false"
	if won {
		stage, isWon = "closedwon", "true"
	}
	return s.add("deals", map[string]string{
		"hubspot_owner_id": owner, "amount": amount, "closedate": instant(closedate),
		"createdate": instant(closedate.Add(-14 * 24 * time.Hour)), "dealname": "Deal",
		"dealstage": stage, "pipeline": "default", "hs_is_closed": "true", "hs_is_closed_won": isWon,
	})
}

// add stores a record of the object type with the set properties among
// props, and returns its ID.
func (s *Server) add(objectType string, props map[string]string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.clock.Now()
	o := &object{id: s.newID(), props: map[string]string{}, createdAt: now, updated: now}
	for k, v := range props {
		if v != "" {
			o.props[k] = v
		}
	}
	o.props["hs_object_id"] = o.id
	o.props["hs_lastmodifieddate"] = instant(now)
	o.nums = map[string]float64{}
	for k, v := range o.props {
		if kind := schema[objectType][k]; kind == number || kind == datetime {
			o.nums[k], _ = comparable(v, kind)
		}
	}
	s.objects[objectType] = append(s.objects[objectType], o)
	return o.id
}

// instant writes t as HubSpot writes a datetime: UTC, like Java's
// Instant.toString, with milliseconds only when there are any.
func instant(t time.Time) string {
	t = t.UTC().Truncate(time.Millisecond)
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02T15:04:05Z")
	}
	return t.Format("2006-01-02T15:04:05.000Z")
}
