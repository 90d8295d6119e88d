package pipedrivetest

import (
	"strings"
	"time"
)

// Activity is an activity to seed. Times are instants; the server writes
// them in UTC, as Pipedrive does.
type Activity struct {
	Owner   int    // the user who owns it
	Type    string // the activity type's key_string: "call", "meeting", …
	Subject string
	// Due is when the activity is scheduled to start; zero for none. With
	// AllDay only its date counts, written as it reads in Due's location,
	// and the activity has no time of day.
	Due    time.Time
	AllDay bool
	Done   time.Time // when it was marked done; zero while not done
	Added  time.Time
	// Updated is its last change; zero means the latest of Added and Done,
	// since adding an activity and marking it done each update it.
	Updated time.Time
	Deleted bool
}

// Deal is a deal to seed.
type Deal struct {
	Owner    int
	Title    string
	Value    float64
	Currency string    // "EUR" when empty
	Won      time.Time // when it was won; zero for an open deal
	Added    time.Time
	Updated  time.Time // zero means the latest of Added and Won
	Deleted  bool
}

type userRecord struct {
	id          int
	name, email string
	created     time.Time
	deleted     bool
}

type activityRecord struct {
	id int
	Activity
}

type dealRecord struct {
	id int
	Deal
}

// AddUser adds a user of the company and returns their ID.
func (s *Server) AddUser(name, email string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	s.users = append(s.users, userRecord{id: s.seq, name: name, email: email, created: s.cfg.now()})
	return s.seq
}

// RemoveUser marks a user deleted from the company, as Pipedrive keeps them.
func (s *Server) RemoveUser(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.users {
		if s.users[i].id == id {
			s.users[i].deleted = true
		}
	}
}

// AddActivity adds an activity and returns its ID.
func (s *Server) AddActivity(a Activity) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a.Updated.IsZero() {
		a.Updated = latest(a.Added, a.Done)
	}
	s.seq++
	s.activities = append(s.activities, activityRecord{id: s.seq, Activity: a})
	return s.seq
}

// AddDeal adds a deal and returns its ID.
func (s *Server) AddDeal(d Deal) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d.Currency == "" {
		d.Currency = "EUR"
	}
	if d.Updated.IsZero() {
		d.Updated = latest(d.Added, d.Won)
	}
	s.seq++
	s.deals = append(s.deals, dealRecord{id: s.seq, Deal: d})
	return s.seq
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Layouts of Pipedrive's times (FACTS.md, "Times"): RFC 3339 in UTC in API
// v2, "YYYY-MM-DD HH:MM:SS" in UTC in API v1.
const (
	v2Time = "2006-01-02T15:04:05Z"
	v1Time = time.DateTime
)

// v2 formats t for API v2, or null when it is zero.
func v2(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(v2Time)
	return &s
}

// The JSON shapes below carry every field of Pipedrive's documented
// responses, null where the stand-in keeps no value, so a client that reads
// a field Pulse's client does not is still served its type.

// userJSON is Pipedrive's BaseUser (GET /v1/users).
type userJSON struct {
	ID                int          `json:"id"`
	Name              string       `json:"name"`
	DefaultCurrency   string       `json:"default_currency"`
	Locale            string       `json:"locale"`
	Lang              int          `json:"lang"`
	Email             string       `json:"email"`
	Phone             *string      `json:"phone"`
	Activated         bool         `json:"activated"`
	LastLogin         string       `json:"last_login"`
	Created           string       `json:"created"`
	Modified          *string      `json:"modified"`
	HasCreatedCompany bool         `json:"has_created_company"`
	Access            []userAccess `json:"access"`
	ActiveFlag        bool         `json:"active_flag"`
	TimezoneName      string       `json:"timezone_name"`
	TimezoneOffset    string       `json:"timezone_offset"`
	RoleID            int          `json:"role_id"`
	IconURL           *string      `json:"icon_url"`
	IsYou             bool         `json:"is_you"`
	IsDeleted         bool         `json:"is_deleted"`
}

type userAccess struct {
	App             string `json:"app"`
	Admin           bool   `json:"admin"`
	PermissionSetID string `json:"permission_set_id"`
}

func (s *Server) userJSON() []userJSON {
	out := make([]userJSON, 0, len(s.users))
	for i, u := range s.users {
		created := u.created.UTC().Format(v1Time)
		out = append(out, userJSON{
			ID: u.id, Name: u.name, DefaultCurrency: "EUR", Locale: "en_US", Lang: 1,
			Email: u.email, Activated: true, LastLogin: created, Created: created,
			HasCreatedCompany: i == 0,
			Access:            []userAccess{{App: "sales", Admin: i == 0, PermissionSetID: "00000000-0000-4000-8000-000000000001"}},
			ActiveFlag:        !u.deleted, TimezoneName: "UTC", TimezoneOffset: "+00:00",
			RoleID: 1, IsYou: i == 0, IsDeleted: u.deleted,
		})
	}
	return out
}

// activityJSON is Pipedrive's v2 ActivityItem. attendees is left out: v2
// returns it only with include_fields=attendees.
type activityJSON struct {
	ID                      int        `json:"id"`
	Subject                 string     `json:"subject"`
	Type                    string     `json:"type"`
	OwnerID                 int        `json:"owner_id"`
	CreatorUserID           int        `json:"creator_user_id"`
	IsDeleted               bool       `json:"is_deleted"`
	AddTime                 *string    `json:"add_time"`
	UpdateTime              *string    `json:"update_time"`
	DealID                  *int       `json:"deal_id"`
	LeadID                  *string    `json:"lead_id"`
	PersonID                *int       `json:"person_id"`
	OrgID                   *int       `json:"org_id"`
	ProjectID               *int       `json:"project_id"`
	DueDate                 *string    `json:"due_date"`
	DueTime                 *string    `json:"due_time"`
	Duration                *string    `json:"duration"`
	Busy                    bool       `json:"busy"`
	Done                    bool       `json:"done"`
	MarkedAsDoneTime        *string    `json:"marked_as_done_time"`
	Location                *struct{}  `json:"location"`
	Participants            []struct{} `json:"participants"`
	ConferenceMeetingClient *string    `json:"conference_meeting_client"`
	ConferenceMeetingURL    *string    `json:"conference_meeting_url"`
	ConferenceMeetingID     *string    `json:"conference_meeting_id"`
	PublicDescription       *string    `json:"public_description"`
	Priority                *int       `json:"priority"`
	Note                    *string    `json:"note"`
}

func (a *activityRecord) json() activityJSON {
	j := activityJSON{
		ID: a.id, Subject: a.Subject, Type: a.Type, OwnerID: a.Owner, CreatorUserID: a.Owner,
		IsDeleted: a.Deleted, AddTime: v2(a.Added), UpdateTime: v2(a.Updated),
		Done: !a.Done.IsZero(), MarkedAsDoneTime: v2(a.Done), Participants: []struct{}{},
	}
	if j.Subject == "" {
		j.Subject = strings.ToUpper(a.Type[:min(1, len(a.Type))]) + a.Type[min(1, len(a.Type)):]
	}
	if !a.Due.IsZero() {
		due := a.Due
		if !a.AllDay {
			due = due.UTC()
			clock := due.Format(time.TimeOnly) // 15:00:00, as v2 writes it
			j.DueTime = &clock
			j.Busy = true
		}
		date := due.Format(time.DateOnly)
		j.DueDate = &date
	}
	return j
}

// dealJSON is Pipedrive's v2 Deal.
type dealJSON struct {
	ID                int      `json:"id"`
	Title             string   `json:"title"`
	CreatorUserID     int      `json:"creator_user_id"`
	OwnerID           int      `json:"owner_id"`
	Value             float64  `json:"value"`
	PersonID          *int     `json:"person_id"`
	OrgID             *int     `json:"org_id"`
	StageID           int      `json:"stage_id"`
	PipelineID        int      `json:"pipeline_id"`
	Currency          string   `json:"currency"`
	ArchiveTime       *string  `json:"archive_time"`
	AddTime           *string  `json:"add_time"`
	UpdateTime        *string  `json:"update_time"`
	StageChangeTime   *string  `json:"stage_change_time"`
	Status            string   `json:"status"`
	IsArchived        bool     `json:"is_archived"`
	IsDeleted         bool     `json:"is_deleted"`
	Probability       *int     `json:"probability"`
	LostReason        *string  `json:"lost_reason"`
	VisibleTo         int      `json:"visible_to"`
	CloseTime         *string  `json:"close_time"`
	WonTime           *string  `json:"won_time"`
	LostTime          *string  `json:"lost_time"`
	LocalWonDate      *string  `json:"local_won_date"`
	LocalLostDate     *string  `json:"local_lost_date"`
	LocalCloseDate    *string  `json:"local_close_date"`
	ExpectedCloseDate *string  `json:"expected_close_date"`
	LabelIDs          []int    `json:"label_ids"`
	Origin            string   `json:"origin"`
	OriginID          *string  `json:"origin_id"`
	Channel           *int     `json:"channel"`
	ChannelID         *string  `json:"channel_id"`
	ACV               *float64 `json:"acv"`
	ARR               *float64 `json:"arr"`
	MRR               *float64 `json:"mrr"`
	CustomFields      struct{} `json:"custom_fields"`
}

func (d *dealRecord) status() string {
	switch {
	case d.Deleted:
		return "deleted"
	case !d.Won.IsZero():
		return "won"
	}
	return "open"
}

func (d *dealRecord) json() dealJSON {
	j := dealJSON{
		ID: d.id, Title: d.Title, CreatorUserID: d.Owner, OwnerID: d.Owner, Value: d.Value,
		StageID: 1, PipelineID: 1, Currency: d.Currency,
		AddTime: v2(d.Added), UpdateTime: v2(d.Updated), StageChangeTime: v2(d.Added),
		Status: d.status(), IsDeleted: d.Deleted, VisibleTo: 3,
		CloseTime: v2(d.Won), WonTime: v2(d.Won), LabelIDs: []int{}, Origin: "ManuallyCreated",
	}
	if j.Title == "" {
		j.Title = "Deal"
	}
	if !d.Won.IsZero() {
		// Pipedrive's local_*_date is the day in the company's zone; the
		// stand-in's company is in UTC.
		day := d.Won.UTC().Format(time.DateOnly)
		j.LocalWonDate, j.LocalCloseDate = &day, &day
	}
	return j
}
