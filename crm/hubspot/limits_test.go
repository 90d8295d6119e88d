package hubspot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/crm/hubspot/hubspottest"
)

func TestFiguresWaitOutRateLimits(t *testing.T) {
	tests := []struct {
		name      string
		opts      []hubspottest.Option
		throttle  int
		wantSlept time.Duration // at least
	}{
		{"a search limit below the client's pace is waited out by Retry-After",
			[]hubspottest.Option{hubspottest.WithSearchLimit(2, time.Second)}, 0, time.Second},
		{"a 429 without Retry-After is waited out by its secondly policy",
			[]hubspottest.Option{hubspottest.WithoutRetryAfter()}, 1, time.Second},
		{"the ten-second limit of every request is waited out by Retry-After",
			[]hubspottest.Option{hubspottest.WithRequestLimit(3, 10*time.Second)}, 0, 5 * time.Second},
		{"the ten-second limit without Retry-After is waited out for ten seconds",
			[]hubspottest.Option{hubspottest.WithRequestLimit(3, 10*time.Second), hubspottest.WithoutRetryAfter()}, 0, 10 * time.Second},
		{"429s from other apps on the account are waited out",
			nil, 3, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.opts...)
			ny, osl, _, zones := seedMarch(t, f.srv)
			f.srv.Throttle(tt.throttle)
			figs := f.figures(t, zones, pulse.MustDate("2026-03-01"), pulse.MustDate("2026-03-31"))

			if got := figs[ny][pulse.MustDate("2026-03-08")][calls]; got != 3 {
				t.Errorf("New York's calls on 2026-03-08 = %v, want 3", got)
			}
			if got := figs[osl][pulse.MustDate("2026-03-29")][dealsAmount]; got != 250000 {
				t.Errorf("Oslo's amount won on 2026-03-29 = %v, want 250000", got)
			}
			st := f.srv.Stats()
			if st.RateLimited == 0 {
				t.Error("the stand-in never answered 429, so nothing was waited out")
			}
			if st.Invalid != 0 || st.Refused != 0 {
				t.Errorf("stats %+v: requests refused for other reasons", st)
			}
			if got := f.clock.SleptInAll(); got < tt.wantSlept {
				t.Errorf("the client waited %v in all, want at least %v", got, tt.wantSlept)
			}
		})
	}
}

func TestFiguresGiveUpOnEndless429s(t *testing.T) {
	f := newFixture(t)
	ny, _, _, zones := seedMarch(t, f.srv)
	f.srv.Throttle(1000)
	day := pulse.MustDate("2026-03-10")
	_, err := f.client.Figures(context.Background(), pulse.CRMQuery{
		Owners: []string{ny}, Zones: zones, From: day, To: day, Measures: []pulse.MeasureSpec{calls},
	})
	if err == nil || !strings.Contains(err.Error(), "rate limited") {
		t.Fatalf("error %v, want one saying the calls were rate limited", err)
	}
	if code := pulse.ErrorCode(err); code != pulse.EINTERNAL {
		t.Errorf("code %q, want %q: a rate limit is no credential problem", code, pulse.EINTERNAL)
	}
	if n := f.srv.Stats().Requests; n != 5 {
		t.Errorf("%d requests, want 5: the first and four retries", n)
	}
}

func TestARefusedTokenIsUnauthorizedAndNotRetried(t *testing.T) {
	tests := []struct {
		name   string
		refuse func(*fixture)
		status int
	}{
		{"a revoked token", func(f *fixture) { f.srv.Revoke() }, 401},
		{"a token the account never issued", nil, 401},
		{"a token whose app lacks the scopes", func(f *fixture) { f.srv.DenyScopes() }, 403},
	}
	for _, tt := range tests {
		for _, call := range []string{"Figures", "Owners"} {
			t.Run(tt.name+" refuses "+call, func(t *testing.T) {
				opts := []hubspottest.Option{}
				if tt.refuse == nil {
					opts = append(opts, hubspottest.WithToken("pat-na1-another"))
				}
				f := newFixture(t, opts...)
				if tt.refuse == nil {
					// The client holds the default token the stand-in now refuses.
					f = withClientToken(t, f, hubspottest.DefaultToken)
				} else {
					tt.refuse(f)
				}
				ny, _, _, zones := seedMarch(t, f.srv)
				var err error
				if call == "Figures" {
					day := pulse.MustDate("2026-03-10")
					_, err = f.client.Figures(context.Background(), pulse.CRMQuery{
						Owners: []string{ny}, Zones: zones, From: day, To: day, Measures: allMeasures,
					})
				} else {
					_, err = f.client.Owners(context.Background())
				}
				if code := pulse.ErrorCode(err); code != pulse.EUNAUTHORIZED {
					t.Fatalf("error %v (code %q), want %s", err, code, pulse.EUNAUTHORIZED)
				}
				if strings.Contains(err.Error(), f.srv.Token()) || strings.Contains(err.Error(), hubspottest.DefaultToken) {
					t.Errorf("the error spells out a token: %v", err)
				}
				reqs := f.srv.Requests()
				if len(reqs) != 1 || reqs[0].Status != tt.status {
					t.Errorf("requests %v, want one answered %d and no retry", statuses(reqs), tt.status)
				}
			})
		}
	}
}

func statuses(reqs []hubspottest.Request) []int {
	var s []int
	for _, r := range reqs {
		s = append(s, r.Status)
	}
	return s
}

func TestOwnersListsEveryPersonOnEveryPage(t *testing.T) {
	f := newFixture(t)
	for i := range 250 {
		f.srv.AddOwner("Rep"+time.Duration(i).String()+"@Example.com", "Rep", time.Duration(i).String())
	}
	f.srv.AddOwner("Maria.Lopez@Example.com", "Maria", "Lopez")
	owners, err := f.client.Owners(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(owners) != 251 {
		t.Fatalf("%d owners, want 251", len(owners))
	}
	last := owners[len(owners)-1]
	if last.Email != "maria.lopez@example.com" || last.Name != "Maria Lopez" || last.ID == "" {
		t.Errorf("last owner %+v, want maria.lopez@example.com named Maria Lopez with an ID", last)
	}
	if n := f.srv.Stats().OwnerPages; n != 3 {
		t.Errorf("%d owner pages, want 3 of 100", n)
	}
}

func TestOwnersOfAnEmptyAccount(t *testing.T) {
	f := newFixture(t)
	owners, err := f.client.Owners(context.Background())
	if err != nil || len(owners) != 0 {
		t.Errorf("Owners() = %v, %v; want none and no error", owners, err)
	}
}
