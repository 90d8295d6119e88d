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
