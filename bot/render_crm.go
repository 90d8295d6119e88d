package bot

import (
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// renderCRMRefused tells a manager or an admin that the team's CRM refused
// Pulse's credential, and since when the numbers have not moved.
func (b *Bot) renderCRMRefused(n pulse.Notice, p pulse.CRMRefusedNotice) outgoing {
	t := b.voice(n.Lang)
	data := map[string]any{"Team": mrkdwnEscape(n.Team.Name), "CRM": p.CRM.Title(), "Fetched": t.fetched(p.LastOK, n.Team.Location())}
	return outgoing{
		text:   t.T("crm.refused_text", data),
		blocks: []slack.Block{mrkdwnSection(t.T("crm.refused", data))},
	}
}

// fetched says when numbers were last fetched: the day and the time in
// loc, or "never".
func (t voice) fetched(at time.Time, loc *time.Location) string {
	if at.IsZero() {
		return t.T("crm.never", nil)
	}
	return t.date(pulse.DateOf(at.In(loc))) + " " + t.clock(at, loc)
}

// crmSource says where a CRM figure came from and when: "from HubSpot,
// 09:02" in the reader's zone, with the day too when it was not fetched
// on the day it counts.
func (t voice) crmSource(kind pulse.CRMKind, fig *pulse.CRMFigure, loc *time.Location) string {
	if fig == nil {
		return t.T("crm.source_none", map[string]any{"CRM": kind.Title()})
	}
	when := t.clock(fig.FetchedAt, loc)
	if pulse.DateOf(fig.FetchedAt.In(loc)) != fig.Day {
		when = t.fetched(fig.FetchedAt, loc)
	}
	return t.T("crm.source", map[string]any{"CRM": fig.Source.Title(), "Time": when})
}

// crmShown is what the check-in modal shows of the rep's numbers from the
// CRM: the day's figure (nil before the first pull) and the rep's zone.
type crmShown struct {
	kind pulse.CRMKind
	fig  *pulse.CRMFigure
	loc  *time.Location
}

// block is the read-only line of metric m: its name, the CRM's number and
// where and when it came from.
func (c crmShown) block(p voice, m pulse.Metric) *slack.ContextBlock {
	value := "–"
	if c.fig != nil {
		value = p.number(c.fig.Values[m.Key], 2)
	}
	return contextBlock("*" + mrkdwnEscape(m.Name) + "*: " + value + " · " + mrkdwnEscape(p.crmSource(c.kind, c.fig, c.loc)))
}
