package hubspot

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/salespulse/pulse"
)

// ownersPageSize is the owners list's page size: HubSpot's default
// (FACTS.md, "Owners").
const ownersPageSize = 100

// Owners lists the account's active users who can own records, with their
// emails lower-cased for matching. Queues own records too but are no one
// to match a rep to, so they are left out.
func (c *Client) Owners(ctx context.Context) ([]pulse.CRMOwner, error) {
	var owners []pulse.CRMOwner
	after := ""
	for {
		v := url.Values{"limit": {strconv.Itoa(ownersPageSize)}}
		if after != "" {
			v.Set("after", after)
		}
		var page ownersPage
		if err := c.call(ctx, http.MethodGet, "/crm/v3/owners/?"+v.Encode(), nil, false, &page); err != nil {
			return nil, fmt.Errorf("list hubspot owners: %w", err)
		}
		for _, o := range page.Results {
			if o.Type == "QUEUE" || o.Archived {
				continue
			}
			owners = append(owners, pulse.CRMOwner{
				ID:    o.ID,
				Email: strings.ToLower(strings.TrimSpace(o.Email)),
				Name:  strings.TrimSpace(o.FirstName + " " + o.LastName),
			})
		}
		next := nextCursor(page.Paging)
		if next == "" || next == after {
			return owners, nil
		}
		after = next
	}
}

// nextCursor returns the cursor of the next page, or "" on the last.
func nextCursor(p *forwardPaging) string {
	if p == nil || p.Next == nil {
		return ""
	}
	return p.Next.After
}
