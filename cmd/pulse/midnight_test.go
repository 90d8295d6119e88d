package main

import (
	"testing"
	"time"
)

// Stories played on the wall clock set their times around midnight
// ("check in at 00:00", "the digest at 00:01", "not before 23:58"), so
// that whatever hour the suite runs, the prompt is due and "today" is one
// day. Near a zone's midnight neither holds for the story's minute or so:
// waitClearOfMidnight sleeps past it instead of failing.
const (
	beforeMidnight = 6 * time.Minute                // the longest story, with room
	afterMidnight  = 2*time.Minute + 30*time.Second // 00:01 passed, and a tick after it
)

// waitClearOfMidnight returns once no zone is within beforeMidnight of its
// next midnight nor within afterMidnight of its last.
func waitClearOfMidnight(t *testing.T, zones ...string) {
	t.Helper()
	for {
		wait := untilClearOfMidnight(t, time.Now(), zones)
		if wait <= 0 {
			return
		}
		t.Logf("a zone is at midnight: waiting %s so the story's day holds", wait.Round(time.Second))
		time.Sleep(wait)
	}
}

// untilClearOfMidnight is how long from now until every zone is clear.
func untilClearOfMidnight(t *testing.T, now time.Time, zones []string) time.Duration {
	t.Helper()
	var longest time.Duration
	for _, name := range zones {
		if name == "" {
			continue
		}
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatalf("zone %q: %v", name, err)
		}
		local := now.In(loc)
		y, m, d := local.Date()
		last := time.Date(y, m, d, 0, 0, 0, 0, loc)
		next := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
		var wait time.Duration
		switch {
		case now.Sub(last) < afterMidnight:
			wait = last.Add(afterMidnight).Sub(now)
		case next.Sub(now) < beforeMidnight:
			wait = next.Add(afterMidnight).Sub(now)
		}
		longest = max(longest, wait)
	}
	return longest
}

func TestUntilClearOfMidnight(t *testing.T) {
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04:05", s, oslo)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		now  string
		want time.Duration
	}{
		{"2026-12-07 12:00:00", 0}, // and UTC, an hour behind, is clear at each of these
		{"2026-12-07 00:00:04", afterMidnight - 4*time.Second},
		{"2026-12-07 00:02:30", 0},
		{"2026-12-06 23:58:00", 2*time.Minute + afterMidnight},
		{"2026-12-06 23:53:59", 0},
		// A day of 25 hours (clocks go back that night).
		{"2026-10-25 00:01:00", afterMidnight - time.Minute},
	} {
		got := untilClearOfMidnight(t, at(c.now), []string{"Europe/Oslo", "", "UTC"})
		if got != c.want {
			t.Errorf("at %s Oslo: wait %s, want %s", c.now, got, c.want)
		}
	}
}
