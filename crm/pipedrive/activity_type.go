package pipedrive

import (
	"regexp"

	"github.com/salespulse/pulse"
)

// DefaultActivityTypes are the keys of the activity types Pipedrive gives
// every company for calls and meetings (testdata/FACTS.md, "Activities").
var DefaultActivityTypes = ActivityTypes{Call: "call", Meeting: "meeting"}

// typeKey is what an activity type's key_string may be: Pipedrive makes it
// from the type's name and documents no alphabet, but its own keys are
// lower-case words (testdata/FACTS.md, "Activities"). Capitals
// or spaces mean the type's name was given instead of its key, which would
// match no activity and count nothing.
var typeKey = regexp.MustCompile(`^[a-z0-9_]+$`)

// ValidTypeKey reports whether s can be the key_string of an activity type.
func ValidTypeKey(s string) bool {
	return len(s) <= pulse.MaxActivityTypeLen && typeKey.MatchString(s)
}
