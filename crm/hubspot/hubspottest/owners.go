package hubspottest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// defaultOwnersPage is how many owners a page holds when the request names
// no limit (FACTS.md, "Owners").
const defaultOwnersPage = 100

// ownersPage is CollectionResponsePublicOwnerForwardPaging.
type ownersPage struct {
	Results []publicOwner  `json:"results"`
	Paging  *forwardPaging `json:"paging,omitempty"`
}

// publicOwner is PublicOwner.
type publicOwner struct {
	ID                      string `json:"id"`
	Email                   string `json:"email,omitempty"`
	FirstName               string `json:"firstName,omitempty"`
	LastName                string `json:"lastName,omitempty"`
	UserID                  int64  `json:"userId,omitempty"`
	UserIDIncludingInactive int64  `json:"userIdIncludingInactive,omitempty"`
	Type                    string `json:"type"`
	Archived                bool   `json:"archived"`
	CreatedAt               string `json:"createdAt"`
	UpdatedAt               string `json:"updatedAt"`
}

// serveOwners answers GET /crm/v3/owners/ with its query parameters email,
// after, limit and archived.
func (s *Server) serveOwners(w http.ResponseWriter, r *http.Request) {
	if !s.admit(w, r, false) {
		return
	}
	q := r.URL.Query()
	size := defaultOwnersPage
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.invalid(w, r, nil, "INVALID_LIMIT", fmt.Sprintf("limit %q is not a positive number", v), nil)
			return
		}
		size = n
	}
	offset := 0
	if v := q.Get("after"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.invalid(w, r, nil, "INVALID_AFTER", fmt.Sprintf("after %q is not a paging cursor this list gave", v), nil)
			return
		}
		offset = n
	}
	email := strings.ToLower(q.Get("email"))
	archived := q.Get("archived") == "true" // the stand-in archives nobody

	s.mu.Lock()
	var list []owner
	for _, o := range s.owners {
		if !archived && (email == "" || o.email == email) {
			list = append(list, o)
		}
	}
	page := ownersPage{Results: []publicOwner{}}
	end := min(offset+size, len(list))
	for _, o := range list[min(offset, end):end] {
		page.Results = append(page.Results, publicOwner{
			ID: o.id, Email: o.email, FirstName: o.firstName, LastName: o.lastName,
			UserID: o.userID, UserIDIncludingInactive: o.userID, Type: "PERSON",
			CreatedAt: instant(o.createdAt), UpdatedAt: instant(o.createdAt),
		})
	}
	s.mu.Unlock()
	if end < len(list) {
		after := strconv.Itoa(end)
		page.Paging = &forwardPaging{Next: &nextPage{
			After: after,
			Link:  s.URL() + "/crm/v3/owners/?after=" + after + "&limit=" + strconv.Itoa(size),
		}}
	}
	s.answer(w, r, nil, http.StatusOK, page)
}
