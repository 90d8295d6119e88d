package bot

import (
	_ "embed"
	"strings"
)

// zoneNames are the IANA time zones the team setup modal offers, one per
// country and region (tzdata's zone.tab) plus UTC, in alphabetical order.
// They are kept in zone_names.txt, one a line, rather than read from the
// system so the search works the same in a static binary with no zoneinfo
// folder; every name loads with Go's embedded tzdata (a test checks).
var zoneNames = strings.Fields(zoneNamesText)

//go:embed zone_names.txt
var zoneNamesText string
