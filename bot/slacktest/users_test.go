package slacktest_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/slack-go/slack"
)

// users.list pages the workspace's users like Slack: limit per page, the
// next page by response_metadata.next_cursor, the locale only with
// include_locale, and each user as users.info gives them; a person from
// another organisation is known to users.info only.
func TestUsersListPagesWithCursorAndLocale(t *testing.T) {
	s := newServer(t)
	for i := range 5 {
		s.AddUser(slack.User{ID: fmt.Sprintf("U%03d", i), Name: fmt.Sprintf("rep%d", i), TZ: "Europe/Oslo", Locale: "nb-NO",
			Profile: slack.UserProfile{DisplayName: fmt.Sprintf("Rep %d", i)}})
	}
	s.AddOutsideUser(slack.User{ID: "UOUT", Name: "guest", TZ: "America/Chicago", Locale: "en-US"})
	api := webClient(s)

	p := api.GetUsersPaginated(slack.GetUsersOptionLimit(2), slack.GetUsersOptionIncludeLocale(true))
	var pages [][]string
	var err error
	for {
		if p, err = p.Next(testCtx(t)); err != nil {
			break
		}
		var ids []string
		for _, u := range p.Users {
			ids = append(ids, u.ID)
			info, err := api.GetUserInfoContext(testCtx(t), u.ID, slack.GetUserInfoOptionIncludeLocale(true))
			if err != nil {
				t.Fatal(err)
			}
			if u.TZ != info.TZ || u.Locale != info.Locale || u.Locale != "nb-NO" || u.Profile.DisplayName != info.Profile.DisplayName {
				t.Errorf("users.list gave %s zone %q locale %q name %q; users.info %q %q %q", u.ID, u.TZ, u.Locale, u.Profile.DisplayName, info.TZ, info.Locale, info.Profile.DisplayName)
			}
		}
		pages = append(pages, ids)
	}
	if err := p.Failure(err); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(pages); got != "[[U000 U001] [U002 U003] [U004]]" {
		t.Errorf("pages = %s, want the five workspace users two at a time, the outside user left out", got)
	}
	calls := s.CallsTo("users.list")
	if len(calls) != 3 || calls[0].Form.Get("cursor") != "" || calls[1].Form.Get("cursor") == "" {
		t.Errorf("users.list calls = %d, the first without a cursor, then each with the last next_cursor", len(calls))
	}
	if _, err := api.GetUserInfoContext(testCtx(t), "UOUT"); err != nil {
		t.Errorf("users.info of the outside user: %v", err)
	}

	all, err := api.GetUsersContext(testCtx(t), slack.GetUsersOptionIncludeLocale(false))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 || all[0].Locale != "" || all[0].TZ != "Europe/Oslo" {
		t.Errorf("without include_locale: %d users, first locale %q zone %q; want 5, no locale, the zone", len(all), all[0].Locale, all[0].TZ)
	}

	_, err = api.GetUsersPaginated(slack.GetUsersOptionCursor("not-a-cursor")).Next(testCtx(t))
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || se.Err != "invalid_cursor" {
		t.Errorf("a made-up cursor: %v, want invalid_cursor", err)
	}
}

// users.list is tier 2: a burst of 20 calls, then HTTP 429 with a
// Retry-After, as Slack answers.
func TestUsersListIsHeldToTierTwo(t *testing.T) {
	s := newServer(t)
	s.AddUser(slack.User{ID: "U1", Name: "rep"})
	api := webClient(s)
	var limited *slack.RateLimitedError
	for range 25 {
		_, err := api.GetUsersPaginated().Next(testCtx(t))
		if errors.As(err, &limited) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if limited == nil || limited.RetryAfter <= 0 {
		t.Fatalf("25 users.list calls at once: none answered 429 with a Retry-After (%v)", limited)
	}
	var ok, refused int
	for _, c := range s.CallsTo("users.list") {
		switch c.Status {
		case 200:
			ok++
		case 429:
			refused++
		}
	}
	if ok < 20 || refused != 1 {
		t.Errorf("answered %d calls and refused %d, want the burst of 20 (or a little more) then one 429", ok, refused)
	}
}
