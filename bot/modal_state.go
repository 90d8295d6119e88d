package bot

import "strings"

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
