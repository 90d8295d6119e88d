package bot

import (
	"strings"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// What a modal or a button carries back: values packed into a button or
// private_metadata, and the state of a submitted view's inputs. All of it
// comes from Slack and is read like any other input.

// packValue joins the parts a button or a modal carries back (a team ID, a
// date, a training ID) into one value. No part holds a '|'.
func packValue(parts ...string) string { return strings.Join(parts, "|") }

// unpackValue splits a value made by packValue into exactly n parts, and
// reports false for anything else: a value comes from Slack and is checked
// like any other input.
func unpackValue(v string, n int) ([]string, bool) {
	parts := strings.Split(v, "|")
	if len(parts) != n {
		return nil, false
	}
	return parts, true
}

// teamAndDay reads a button's value packed from a team ID and a day.
func teamAndDay(v string) (string, pulse.Date, error) {
	parts, ok := unpackValue(v, 2)
	if !ok {
		return "", pulse.Date{}, pulse.Errorf(pulse.EINVALID, "checkin.bad_request", nil, "button value of the wrong shape")
	}
	day, err := pulse.ParseDate(parts[1])
	if err != nil {
		return "", pulse.Date{}, pulse.Errorf(pulse.EINVALID, "checkin.bad_request", nil, "button value: %v", err)
	}
	return parts[0], day, nil
}

// stateValue returns the submitted value of the input in block blockID,
// or nil when the person left it empty (Slack then omits it).
func stateValue(r *Request, blockID string) *slack.BlockAction {
	if r.Interaction == nil || r.Interaction.View.State == nil {
		return nil
	}
	for _, v := range r.Interaction.View.State.Values[blockID] {
		return &v
	}
	return nil
}

// stateText is the text of a plain_text_input, trimmed.
func stateText(r *Request, blockID string) string {
	if v := stateValue(r, blockID); v != nil {
		return strings.TrimSpace(v.Value)
	}
	return ""
}

// stateDate reads a datepicker, returning a FieldError under blockID for a
// missing or impossible day.
func stateDate(r *Request, blockID string) (pulse.Date, *pulse.Error) {
	v := stateValue(r, blockID)
	if v == nil || v.SelectedDate == "" {
		return pulse.Date{}, pulse.FieldError(blockID, "err.date", map[string]any{"Value": ""}, "%s: no date", blockID)
	}
	d, err := pulse.ParseDate(v.SelectedDate)
	if err != nil {
		return pulse.Date{}, pulse.FieldError(blockID, "err.date", map[string]any{"Value": v.SelectedDate}, "%s: %v", blockID, err)
	}
	return d, nil
}
