package hubspot

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// TestWireTypesUseHubSpotsFieldNames checks each JSON tag of the types the
// client sends and decodes against the model's fields in shapes.json, so a
// misspelt field, which encoding/json would silently leave empty, fails
// here instead.
func TestWireTypesUseHubSpotsFieldNames(t *testing.T) {
	data, err := os.ReadFile("testdata/shapes.json")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Models map[string]struct {
			Fields map[string]string `json:"fields"`
		} `json:"models"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	types := []struct {
		model string
		v     any
	}{
		{"PublicObjectSearchRequest", searchRequest{}},
		{"FilterGroup", filterGroup{}},
		{"Filter", filter{}},
		{"CollectionResponseWithTotalSimplePublicObjectForwardPaging", searchPage{}},
		{"SimplePublicObject", simpleObject{}},
		{"ForwardPaging", forwardPaging{}},
		{"NextPage", nextPage{}},
		{"CollectionResponsePublicOwnerForwardPaging", ownersPage{}},
		{"PublicOwner", publicOwner{}},
		{"Error", apiError{}},
	}
	for _, tt := range types {
		t.Run(tt.model, func(t *testing.T) {
			fields := s.Models[tt.model].Fields
			if fields == nil {
				t.Fatalf("shapes.json has no model %s", tt.model)
			}
			rt := reflect.TypeOf(tt.v)
			for i := range rt.NumField() {
				name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
				if tt.model == "Error" && (name == "policyName") {
					continue // a 429's field, outside the Error model (FACTS.md, "429")
				}
				if _, ok := fields[name]; !ok {
					t.Errorf("%s.%s is tagged %q, which %s does not have", rt.Name(), rt.Field(i).Name, name, tt.model)
				}
			}
		})
	}
}
