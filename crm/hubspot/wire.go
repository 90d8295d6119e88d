package hubspot

// The JSON HubSpot's CRM v3 API sends and answers, as its OpenAPI
// documents define it (testdata/FACTS.md names each model and its source;
// testdata/shapes.json lists their fields, and a test checks these types'
// tags against it). Only the fields Pulse reads or sends are declared.

// searchRequest is PublicObjectSearchRequest, the body of
// POST /crm/v3/objects/{object}/search.
type searchRequest struct {
	FilterGroups []filterGroup `json:"filterGroups"`
	Properties   []string      `json:"properties"`
	Limit        int           `json:"limit"`
	After        string        `json:"after,omitempty"`
}

// filterGroup is FilterGroup: its filters are ANDed; groups are ORed.
type filterGroup struct {
	Filters []filter `json:"filters"`
}

// filter is Filter. Value carries one operand; IN takes Values instead.
type filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        string   `json:"value,omitempty"`
	Values       []string `json:"values,omitempty"`
}

// searchPage is CollectionResponseWithTotalSimplePublicObjectForwardPaging.
type searchPage struct {
	Total   int            `json:"total"`
	Results []simpleObject `json:"results"`
	Paging  *forwardPaging `json:"paging"`
}

// simpleObject is SimplePublicObject. Every property value is a string or
// null: numbers, booleans and datetimes arrive as text.
type simpleObject struct {
	ID         string             `json:"id"`
	Properties map[string]*string `json:"properties"`
}

// forwardPaging is ForwardPaging; Next is absent on the last page.
type forwardPaging struct {
	Next *nextPage `json:"next"`
}

// nextPage is NextPage: After is the cursor to send for the next page.
type nextPage struct {
	After string `json:"after"`
}

// ownersPage is CollectionResponsePublicOwnerForwardPaging, the answer of
// GET /crm/v3/owners/.
type ownersPage struct {
	Results []publicOwner  `json:"results"`
	Paging  *forwardPaging `json:"paging"`
}

// publicOwner is PublicOwner. Type is PERSON or QUEUE.
type publicOwner struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Type      string `json:"type"`
	Archived  bool   `json:"archived"`
}

// apiError is the Error model every failure answers with, and the fields
// HubSpot adds to a 429 (policyName, errorType).
type apiError struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	Category      string `json:"category"`
	CorrelationID string `json:"correlationId"`
	PolicyName    string `json:"policyName"`
	Errors        []struct {
		Message string `json:"message"`
	} `json:"errors"`
}

// String is the error's category and messages, for the operator's log.
func (e apiError) String() string {
	s := e.Category
	if s == "" {
		s = e.PolicyName
	}
	s += ": " + e.Message
	for _, d := range e.Errors {
		s += " (" + d.Message + ")"
	}
	return s
}
