package bot

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
)

// formatAge writes how long ago something happened, roughly: minutes,
// hours or days.
func formatAge(p voice, d time.Duration) string {
	switch {
	case d < time.Hour:
		return p.Plural("status.age_minutes", int(d/time.Minute), nil)
	case d < 48*time.Hour:
		return p.Plural("status.age_hours", int(d/time.Hour), nil)
	}
	return p.Plural("status.age_days", int(d/(24*time.Hour)), nil)
}

// formatEnergy writes an energy average with one decimal and the trend
// against last week as an arrow.
func formatEnergy(p voice, energy, trend, prev float64) string {
	if energy == 0 {
		return p.T("status.energy_none", nil)
	}
	avg := p.number(energy, 1)
	arrow := "→"
	switch {
	case prev == 0:
		return p.T("status.energy_no_trend", map[string]any{"Avg": avg})
	case trend >= 0.05:
		arrow = "↑"
	case trend <= -0.05:
		arrow = "↓"
	}
	sign := "+"
	if trend < 0 {
		sign = "−"
	}
	delta := sign + p.number(math.Abs(trend), 1)
	return p.T("status.energy", map[string]any{"Avg": avg, "Arrow": arrow, "Delta": delta})
}

// mentionList writes up to max people as mentions, then "…and N more".
func mentionList(p voice, users []string, max int) string {
	var b strings.Builder
	n := 0
	for _, u := range users[:min(max, len(users))] {
		n += len(u) + len("<@>, ")
	}
	b.Grow(n)
	for i, u := range users {
		if i == max {
			b.WriteString(" ")
			b.WriteString(p.Plural("status.and_more", len(users)-max, nil))
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("<@")
		b.WriteString(u)
		b.WriteString(">")
	}
	return b.String()
}

// capLines joins lines until adding one would pass limit characters (or
// the count passes max), then says how many were left out.
func capLines(p voice, lines []string, max, limit int) string {
	var b strings.Builder
	n := 0
	for _, l := range lines[:min(max, len(lines))] {
		n += len(l) + 1
	}
	b.Grow(min(n, limit))
	for i, l := range lines {
		more := p.Plural("status.and_more", len(lines)-i, nil)
		if i == max || b.Len()+len(l)+len(more)+2 > limit {
			b.WriteString(more)
			break
		}
		b.WriteString(l)
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// updateOrigin replaces the message a button sat on: through the
// interaction's response_url when it has one, else with chat.update on the
// channel and ts.
func (b *Bot) updateOrigin(ctx context.Context, r *Request, channel, ts string, m Message) error {
	// A button's own response_url replaces the message it sits on and is
	// not held to chat.update's pace of about 50 a minute, which a busy
	// team's clicks outrun; chat.update is for when there is none (after
	// a modal, or a message the interaction did not come from).
	if r != nil && r.responseURL != "" {
		m.ReplaceOriginal = true
		return r.Respond(ctx, m)
	}
	if channel != "" && ts != "" {
		// m always carries blocks, so the old buttons go.
		_, _, _, err := b.api.UpdateMessageContext(ctx, channel, ts, msgOptions(m)...)
		return wrapAPI("chat.update", err)
	}
	return fmt.Errorf("update message: no channel, ts or response_url")
}
