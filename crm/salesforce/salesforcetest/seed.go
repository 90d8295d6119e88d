package salesforcetest

import (
	"fmt"
	"time"

	"github.com/salespulse/pulse"
)

// kind is a field's type, as Salesforce's describe names it.
type kind int

const (
	kindID kind = iota
	kindReference
	kindString
	kindEmail
	kindPicklist
	kindBoolean
	kindDate
	kindDateTime
	kindCurrency
)

func (k kind) String() string {
	return [...]string{"id", "reference", "string", "email", "picklist", "boolean", "date", "dateTime", "currency"}[k]
}

// field is one field of an object: its type and whether it may be grouped
// by (the object reference's Group property; dateTime and currency fields
// lack it).
type field struct {
	kind  kind
	group bool
}

// object is a standard object the stand-in knows: its fields and the
// three-character prefix of its record IDs.
type object struct {
	prefix string
	fields map[string]field
}

var (
	idField   = field{kindID, true}
	refField  = field{kindReference, true}
	strField  = field{kindString, true}
	pickField = field{kindPicklist, true}
	boolField = field{kindBoolean, true}
	dateField = field{kindDate, true}
	timeField = field{kindDateTime, false}
)

// schema holds the fields of the objects Pulse reads, as the object
// reference describes them (FACTS.md); a query naming any other field is
// answered INVALID_FIELD, as Salesforce answers a field that does not
// exist.
var schema = map[string]object{
	"User": {prefix: "005", fields: map[string]field{
		"Id": idField, "Email": {kindEmail, true}, "Name": strField, "IsActive": boolField,
	}},
	"Task": {prefix: "00T", fields: map[string]field{
		"Id": idField, "OwnerId": refField, "TaskSubtype": pickField, "Type": pickField,
		"Status": pickField, "IsClosed": boolField, "ActivityDate": dateField,
		"CompletedDateTime": timeField, "CreatedDate": timeField,
	}},
	"Event": {prefix: "00U", fields: map[string]field{
		"Id": idField, "OwnerId": refField, "Type": pickField, "StartDateTime": timeField,
		"CreatedDate": timeField, "ActivityDate": dateField, "IsAllDayEvent": boolField,
		"IsChild": boolField,
	}},
	"Opportunity": {prefix: "006", fields: map[string]field{
		"Id": idField, "OwnerId": refField, "IsWon": boolField, "IsClosed": boolField,
		"CloseDate": dateField, "Amount": {kindCurrency, false},
	}},
}

// record is a row of an object: field name to value. Values are string,
// bool, pulse.Date, time.Time, float64, or nil for an empty field.
type record map[string]any

// User is a user of the org: an owner of records.
type User struct {
	ID       string // chosen by the server when empty
	Email    string
	Name     string
	Inactive bool // a user who left: not among the owners
}

// Task is an activity with a due date: a logged call, an email, a to-do.
type Task struct {
	OwnerID string
	Subtype string     // TaskSubtype: "Call" for a logged call; "Task" when empty
	Type    string     // Type, such as "Call", "Email", "Demo"; empty is null
	Day     pulse.Date // ActivityDate, the day the rep gave it
	Open    bool       // not yet done: IsClosed false
	Created time.Time  // CreatedDate; the server's clock when zero
}

// Event is a calendar event.
type Event struct {
	OwnerID string
	Start   time.Time // StartDateTime; for an all-day event only its UTC date counts
	Created time.Time // CreatedDate; the server's clock when zero
	AllDay  bool
	Child   bool   // an invitee's copy of another user's event
	Type    string // empty is null
}

// Opportunity is a deal.
type Opportunity struct {
	OwnerID   string
	Won       bool
	CloseDate pulse.Date
	Amount    *float64 // nil is an empty amount
}

// Amount returns a pointer to v, for Opportunity.Amount.
func Amount(v float64) *float64 { return &v }

// AddUser adds a user and returns its ID.
func (s *Server) AddUser(u User) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := u.ID
	if id == "" {
		id = s.newID("User")
	}
	s.add("User", record{"Id": id, "Email": u.Email, "Name": u.Name, "IsActive": !u.Inactive})
	return id
}

// AddTask adds a task and returns its ID.
func (s *Server) AddTask(t Task) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	created := s.orNow(t.Created)
	subtype := t.Subtype
	if subtype == "" {
		subtype = "Task"
	}
	r := record{
		"Id": s.newID("Task"), "OwnerId": t.OwnerID, "TaskSubtype": subtype, "Type": nullable(t.Type),
		"IsClosed": !t.Open, "Status": "Completed", "CreatedDate": created,
		"ActivityDate": nil, "CompletedDateTime": nil,
	}
	if !t.Day.IsZero() {
		r["ActivityDate"] = t.Day
	}
	if t.Open {
		r["Status"] = "Not Started"
	} else {
		r["CompletedDateTime"] = created
	}
	s.add("Task", r)
	return r["Id"].(string)
}

// AddEvent adds an event and returns its ID.
func (s *Server) AddEvent(e Event) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := e.Start.UTC()
	if e.AllDay {
		start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	}
	r := record{
		"Id": s.newID("Event"), "OwnerId": e.OwnerID, "Type": nullable(e.Type), "StartDateTime": start,
		"CreatedDate": s.orNow(e.Created), "ActivityDate": pulse.DateOf(start),
		"IsAllDayEvent": e.AllDay, "IsChild": e.Child,
	}
	s.add("Event", r)
	return r["Id"].(string)
}

// AddOpportunity adds a deal and returns its ID.
func (s *Server) AddOpportunity(o Opportunity) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var amount any
	if o.Amount != nil {
		amount = *o.Amount
	}
	r := record{
		"Id": s.newID("Opportunity"), "OwnerId": o.OwnerID, "IsWon": o.Won, "IsClosed": o.Won,
		"CloseDate": o.CloseDate, "Amount": amount,
	}
	s.add("Opportunity", r)
	return r["Id"].(string)
}

// newID returns a fresh 18-character ID with the object's prefix. The
// caller holds s.mu.
func (s *Server) newID(obj string) string {
	s.seq++
	return fmt.Sprintf("%s%012dAAA", schema[obj].prefix, s.seq)
}

// add stores r. The caller holds s.mu.
func (s *Server) add(obj string, r record) { s.records[obj] = append(s.records[obj], r) }

// orNow returns t, or the server's clock when t is zero. The caller holds
// s.mu.
func (s *Server) orNow(t time.Time) time.Time {
	if t.IsZero() {
		return s.clock.Now().UTC()
	}
	return t.UTC()
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
