package demo

import (
	"context"
	"time"
)

// BrokenMonday returns opt changed so that the week stops on Monday at
// 10:00, after Ola has pressed a button no message of his shows.
func BrokenMonday(opt Options) Options {
	zone, _ := time.LoadLocation(teamZone)
	opt.test = testHooks{
		end: monday.At(10*60, zone),
		extra: func(w *world) []step {
			return []step{{
				at:   monday.At(9*60+30, zone),
				name: "Ola presses a button that is not there",
				do: func(ctx context.Context) error {
					return w.people.press(ctx, ola, dm(ola), "no.such.button", nil, nil)
				},
			}}
		},
	}
	return opt
}

// CRMMonday returns opt changed so that the team's numbers come from the
// HubSpot stand-in and the week stops on Tuesday at 07:00, once every
// rep's Monday has had its final pull (New York's at 06:30 Oslo time).
func CRMMonday(opt Options) Options {
	zone, _ := time.LoadLocation(teamZone)
	opt.CRM = "hubspot"
	opt.test = testHooks{end: monday.AddDays(1).At(7*60, zone)}
	return opt
}
