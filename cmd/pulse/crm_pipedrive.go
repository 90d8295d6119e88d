package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/salespulse/pulse/crm/pipedrive"
)

// pipedriveSettings are the Pipedrive variables beside the token and the
// domain, trimmed and checked.
type pipedriveSettings struct {
	types pipedrive.ActivityTypes
	plan  string
	limit pipedrive.BurstLimit
}

// pipedriveSettings reads the activity types and the plan. Each error
// names its variable; the values are no secret, so they are quoted.
func (c *Config) pipedriveSettings() (pipedriveSettings, error) {
	var errs []error
	s := pipedriveSettings{types: pipedrive.ActivityTypes{
		Call:    strings.TrimSpace(c.PipedriveCallType),
		Meeting: strings.TrimSpace(c.PipedriveMeetingType),
	}}
	for _, v := range []struct{ key, value string }{
		{"PULSE_PIPEDRIVE_CALL_TYPE", s.types.Call},
		{"PULSE_PIPEDRIVE_MEETING_TYPE", s.types.Meeting},
	} {
		if !pipedrive.ValidTypeKey(v.value) {
			errs = append(errs, fmt.Errorf("%s must be the key of a Pipedrive activity type (its key_string in GET /v1/activityTypes: lower-case letters, digits and _, not the type's name), got %q", v.key, v.value))
		}
	}
	if s.types.Call != "" && s.types.Call == s.types.Meeting {
		errs = append(errs, fmt.Errorf("PULSE_PIPEDRIVE_CALL_TYPE and PULSE_PIPEDRIVE_MEETING_TYPE are both %q; an activity counts as a call or as a meeting, not both", s.types.Call))
	}
	s.plan = strings.ToLower(strings.TrimSpace(c.PipedrivePlan))
	limit, ok := pipedrive.PlanLimit(s.plan)
	if !ok {
		errs = append(errs, fmt.Errorf("PULSE_PIPEDRIVE_PLAN must be one of %s, got %q", strings.Join(pipedrive.Plans(), ", "), c.PipedrivePlan))
	}
	s.limit = limit
	return s, errors.Join(errs...)
}

// pipedriveClient builds the Pipedrive client from the token, the domain,
// the activity types and the plan; extra options follow them (tests point
// the client at the stand-in).
func (c *Config) pipedriveClient(extra ...pipedrive.Option) (*pipedrive.Client, error) {
	s, err := c.pipedriveSettings()
	if err != nil {
		return nil, err
	}
	opts := append([]pipedrive.Option{pipedrive.WithActivityTypes(s.types), pipedrive.WithBurstLimit(s.limit)}, extra...)
	cl, err := pipedrive.New(c.PipedriveDomain, c.PipedriveToken, opts...)
	if err != nil {
		return nil, fmt.Errorf("PULSE_PIPEDRIVE_DOMAIN: %w", err)
	}
	return cl, nil
}

// summary says, with no secret, what the Pipedrive client counts
// and the pace it keeps, for `pulse crm check`.
func (s pipedriveSettings) summary() string {
	return fmt.Sprintf("calls are activities of type %q, meetings of type %q; plan %s, paced under %d requests per %s",
		s.types.Call, s.types.Meeting, s.plan, s.limit.Requests, s.limit.Window)
}
