package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
	"github.com/salespulse/pulse/cadence"
)

// bulkUser is a workspace user with a zone and locale by number: three
// zones an hour east of UTC in March, so that every rep's 10:00 check-in
// falls at the harness's 09:00 UTC.
func bulkUser(id string, i int) slack.User {
	zones := []string{"Europe/Oslo", "Europe/Warsaw", "Africa/Lagos"}
	locales := []string{"nb-NO", "pl-PL", "en-GB"}
	u := slackUser(id, fmt.Sprintf("Rep %s", id), zones[i%3], false)
	u.Locale = locales[i%3]
	return u
}

// A new team of 250 reps, added to a workspace of 850 people: the first
// tick looks them up with a few users.list pages, not 250 users.info calls,
// before any check-in DM goes out; the five reps from another organisation,
// whom the workspace's list leaves out, are still asked of users.info. Each
// rep's name, zone and locale are what users.info gives, their own choices
// kept, and the next tick asks Slack nothing.
func TestNewLargeTeamIsLookedUpWithUsersList(t *testing.T) {
	// Unpaced, so the 250 DMs go out at once; the calls are counted, not timed.
	h := start(t, withConfig(func(c *bot.Config) { c.NoPacing = true }))
	ctx := t.Context()
	now := h.Clock.Now() // Monday 09:00 UTC

	// The team's reps sit in the middle of the list, by ID, among 600 others.
	for i := range 300 {
		h.Slack.AddUser(bulkUser(fmt.Sprintf("UA%03d", i), i))
		h.Slack.AddUser(bulkUser(fmt.Sprintf("UZ%03d", i), i))
	}
	const reps, outside = 250, 5
	team := pulse.NewTeam("Growth", "Europe/Oslo")
	team.CheckInTime = pulse.TimeOfDay(10 * 60)
	team.Managers = []string{"UMGRGROWTH"}
	h.Slack.AddUser(bulkUser("UMGRGROWTH", 0))
	want := map[string]slack.User{}
	for i := range reps {
		id := fmt.Sprintf("UREP%03d", i)
		u := bulkUser(id, i)
		if i%60 == 7 { // five of them
			h.Slack.AddOutsideUser(u)
		} else {
			h.Slack.AddUser(u)
		}
		team.Reps = append(team.Reps, id)
		want[id] = u
	}
	// One rep chose a language before Slack was ever asked about them.
	if err := h.DB.SavePerson(ctx, &pulse.Person{ID: "UREP100", Lang: "pl"}); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	e, err := cadence.New(cadence.Config{Clock: h.Clock, Store: h.DB, Notifier: h.Bot, Directory: h.Bot})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })

	wait, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if err := e.Tick(wait); err != nil {
		t.Fatalf("Tick: %v", err)
	}
	if err := e.Drain(wait); err != nil {
		t.Fatalf("Drain: %v", err)
	}

	// What the stand-in saw before the first DM.
	var lists, infos int
	for _, c := range h.Slack.Calls() {
		if c.Method == "chat.postMessage" {
			break
		}
		switch c.Method {
		case "users.list":
			lists++
			if !isTrue(c.Form.Get("include_locale")) || c.Form.Get("limit") != "200" {
				t.Errorf("users.list asked with include_locale=%q limit=%q, want true and 200", c.Form.Get("include_locale"), c.Form.Get("limit"))
			}
		case "users.info":
			infos++
		}
	}
	t.Logf("before the first check-in DM: %d users.list pages, %d users.info calls", lists, infos)
	// 846 listed users, 200 a page: five pages (the outside reps are
	// sought to the list's end), then users.info for the five.
	if lists != 5 || infos != outside {
		t.Errorf("before the first DM: %d users.list and %d users.info calls, want 5 and %d", lists, infos, outside)
	}
	if n := len(h.Slack.CallsTo("users.info")); n != outside {
		t.Errorf("users.info called %d times in all, want %d", n, outside)
	}

	day := pulse.DateOf(now)
	for id, u := range want {
		p, err := h.DB.Person(ctx, id)
		if err != nil {
			t.Fatalf("person %s: %v", id, err)
		}
		if p.Name != u.Profile.DisplayName || p.TZ != u.TZ || p.Locale != u.Locale || p.FetchedAt.IsZero() {
			t.Errorf("%s stored as %q %q %q, want %q %q %q as users.info gives", id, p.Name, p.TZ, p.Locale, u.Profile.DisplayName, u.TZ, u.Locale)
		}
		var got int
		for _, m := range h.Slack.Messages(id) {
			if jobOf(m) == pulse.CheckInKey(team.ID, id, day).String() {
				got++
			}
		}
		if got != 1 {
			t.Errorf("%s got %d check-in DMs, want 1", id, got)
		}
	}
	// The same as users.info answers now, for a rep found in the list.
	info, err := h.Bot.API().GetUserInfoContext(ctx, "UREP101", slack.GetUserInfoOptionIncludeLocale(true))
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := h.DB.Person(ctx, "UREP101"); p.TZ != info.TZ || p.Locale != info.Locale || p.Name != info.Profile.DisplayName {
		t.Errorf("UREP101 from users.list: %q %q %q; users.info says %q %q %q", p.Name, p.TZ, p.Locale, info.Profile.DisplayName, info.TZ, info.Locale)
	}
	if p, _ := h.DB.Person(ctx, "UREP100"); p.Lang != "pl" {
		t.Errorf("UREP100's own language = %q after the lookup, want pl kept", p.Lang)
	}
	if _, err := h.DB.Person(ctx, "UA000"); !pulse.IsNotFound(err) {
		t.Errorf("a workspace user in no team was stored (err %v); only the team's people are kept", err)
	}

	before := len(h.Slack.Calls())
	h.Clock.Advance(time.Minute)
	if err := e.Tick(wait); err != nil {
		t.Fatalf("second Tick: %v", err)
	}
	for _, c := range h.Slack.Calls()[before:] {
		if c.Method == "users.list" || c.Method == "users.info" {
			t.Errorf("the next tick called %s; every profile is stored", c.Method)
		}
	}
}

// In a workspace far larger than the people sought, users.list is read
// only as far as the users.info calls it saves are worth (a page per five
// people), and the rest are asked of users.info.
func TestPeopleReadsUsersListOnlyAsFarAsItPays(t *testing.T) {
	h := start(t, withConfig(func(c *bot.Config) { c.NoPacing = true }))
	for i := range 1000 {
		h.Slack.AddUser(bulkUser(fmt.Sprintf("UA%04d", i), i))
	}
	var ids []string
	for i := range 12 {
		id := fmt.Sprintf("UZ%03d", i) // after the thousand, beyond the budget
		h.Slack.AddUser(bulkUser(id, i))
		ids = append(ids, id)
	}
	ids = append(ids, "UNOBODY", "not-an-id")
	got, err := h.Bot.People(t.Context(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 12 || got["UZ004"] == nil || got["UZ004"].TZ != "Europe/Warsaw" || got["UZ004"].Locale != "pl-PL" {
		t.Errorf("People = %d found, UZ004 %+v; want the 12, UZ004 in Warsaw with pl-PL", len(got), got["UZ004"])
	}
	// 12 sought: at most three pages, then users.info for the 12 and the
	// unknown one (a malformed ID is not asked about).
	if lists, infos := len(h.Slack.CallsTo("users.list")), len(h.Slack.CallsTo("users.info")); lists != 3 || infos != 13 {
		t.Errorf("%d users.list and %d users.info calls, want 3 and 13", lists, infos)
	}
}
