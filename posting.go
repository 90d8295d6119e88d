package pulse

import "time"

// PostAllowance is how many posts in public one person may ask for: Burst
// at once, then one more each Every. Commands that post to a channel for
// everyone to read (kudos, and any later ones) draw from it, so that one
// person sending the same command again and again spends neither the
// channel's pace nor the workspace's budget, which everyone shares.
type PostAllowance struct {
	Burst int
	Every time.Duration
}

// DefaultPostAllowance lets a person post 3 times at once, and once more
// every 20 seconds after that: more than anyone sends by hand.
var DefaultPostAllowance = PostAllowance{Burst: 3, Every: 20 * time.Second}

// PostsUsed is one person's use of a PostAllowance: how many posts count
// against it as of At. Each Every, one is forgotten.
type PostsUsed struct {
	N  float64
	At time.Time
}

// forget lets the time since u.At pay back what it earned.
func (a PostAllowance) forget(u *PostsUsed, now time.Time) {
	if d := now.Sub(u.At); d > 0 && a.Every > 0 {
		u.N = max(0, u.N-d.Seconds()/a.Every.Seconds())
	}
	if now.After(u.At) {
		u.At = now
	}
}

// Take counts one more post against u at now, or, when the allowance is
// used up, refuses it with an ELIMIT error whose sentence is key (one per
// command: "You're sending a lot of kudos").
func (a PostAllowance) Take(u *PostsUsed, now time.Time, key string) error {
	a.forget(u, now)
	if u.N+1 > float64(a.Burst) {
		return Errorf(ELIMIT, key, nil, "posts in public beyond the allowance of %d at once and one every %s", a.Burst, a.Every)
	}
	u.N++
	return nil
}

// GiveBack forgets a post Take counted that was not made after all: the
// command was refused or failed.
func (a PostAllowance) GiveBack(u *PostsUsed, now time.Time) {
	a.forget(u, now)
	u.N = max(0, u.N-1)
}

// Unused reports whether u counts nothing any more at now, so that
// forgetting it changes nothing.
func (a PostAllowance) Unused(u PostsUsed, now time.Time) bool {
	a.forget(&u, now)
	return u.N == 0
}
