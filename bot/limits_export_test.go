package bot

// LimitedKeys returns the catalogue keys noted so far as filling a slot
// Slack limits, each with its limit in characters.
func LimitedKeys() map[string]int {
	out := map[string]int{}
	limitedKeys.Range(func(k, v any) bool {
		out[k.(string)] = v.(int)
		return true
	})
	return out
}
