package bot

import "testing"

// TestLimitKeepsTheSmallerLimitAndCostsNothingOnceNoted notes one key for
// two slots, in both orders, and notes a key again without allocating.
func TestLimitKeepsTheSmallerLimitAndCostsNothingOnceNoted(t *testing.T) {
	for _, order := range [][2]int{{maxButtonText, maxViewLabel}, {maxViewLabel, maxButtonText}} {
		key := "test.limit_" + string(rune('a'+order[0]))
		t.Cleanup(func() { limitedKeys.Delete(key) }) // no sentence has it
		limit(key, order[0])
		if got := limit(key, order[1]); got != key {
			t.Fatalf("limit returned %q, want the key", got)
		}
		if v, _ := limitedKeys.Load(key); v != maxViewLabel {
			t.Errorf("noted %v then %v: kept %v, want %v", order[0], order[1], v, maxViewLabel)
		}
	}
	t.Cleanup(func() { limitedKeys.Delete("test.limit_again") })
	limit("test.limit_again", maxHeaderText)
	if allocs := testing.AllocsPerRun(100, func() { limit("test.limit_again", maxHeaderText) }); allocs != 0 {
		t.Errorf("noting a noted key allocates %v times, want none", allocs)
	}
}
