package pipedrive

import (
	"strings"
	"time"
)

// planLimits is each Pipedrive plan's burst limit for API-token requests,
// cheapest first (testdata/FACTS.md, "Rate limits"). OAuth apps get four
// times as much, but Pulse signs in with an API token.
var planLimits = []struct {
	name  string
	limit BurstLimit
}{
	{"lite", LiteLimit},
	{"growth", BurstLimit{Requests: 40, Window: 2 * time.Second}},
	{"premium", BurstLimit{Requests: 100, Window: 2 * time.Second}},
	{"ultimate", BurstLimit{Requests: 120, Window: 2 * time.Second}},
}

// DefaultPlan is the plan a client paces to unless told otherwise: Lite,
// the floor every company gets.
const DefaultPlan = "lite"

// Plans returns the names of Pipedrive's plans, cheapest first, as
// PlanLimit takes them.
func Plans() []string {
	names := make([]string, len(planLimits))
	for i, p := range planLimits {
		names[i] = p.name
	}
	return names
}

// PlanLimit returns the API-token burst limit of the plan named, in any
// case; ok is false for a name Pipedrive does not sell.
func PlanLimit(name string) (l BurstLimit, ok bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, p := range planLimits {
		if p.name == name {
			return p.limit, true
		}
	}
	return BurstLimit{}, false
}
