package hubspottest

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"time"
)

// The policy names a 429 carries (FACTS.md, "429"): the per-second search
// limit and the rolling ten-second limit of every request.
const (
	policySecondly    = "SECONDLY"
	policyTenSecondly = "TEN_SECONDLY_ROLLING"
)

// apiError is HubSpot's Error model (FACTS.md, "Errors"): category,
// correlationId and message always, errors with details when there are.
type apiError struct {
	Status        string        `json:"status"`
	Message       string        `json:"message"`
	CorrelationID string        `json:"correlationId"`
	Category      string        `json:"category,omitempty"`
	Errors        []errorDetail `json:"errors,omitempty"`
}

// errorDetail is one entry of an Error's errors.
type errorDetail struct {
	Message string              `json:"message"`
	Code    string              `json:"code,omitempty"`
	In      string              `json:"in,omitempty"`
	Context map[string][]string `json:"context,omitempty"`
}

// rateLimitError is the body of a 429 (FACTS.md, "429"), which is not the
// Error model: it names the limit hit in policyName.
type rateLimitError struct {
	Status        string `json:"status"`
	Message       string `json:"message"`
	ErrorType     string `json:"errorType"`
	CorrelationID string `json:"correlationId"`
	PolicyName    string `json:"policyName"`
}

// answer writes v as JSON with status, and records the request.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, body []byte, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err) // the stand-in's own types always marshal
	}
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	w.Write(data)
	s.record(r, body, status)
}

// fail answers with HubSpot's error shape.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, category, message string) {
	s.answer(w, r, nil, status, apiError{Status: "error", Message: message, CorrelationID: correlationID(), Category: category})
}

// invalid answers 400 VALIDATION_ERROR about the request body, with one
// detail naming what is wrong.
func (s *Server) invalid(w http.ResponseWriter, r *http.Request, body []byte, code, detail string, context map[string][]string) {
	s.answer(w, r, body, http.StatusBadRequest, apiError{
		Status:        "error",
		Message:       "There was a problem with the request.",
		CorrelationID: correlationID(),
		Category:      "VALIDATION_ERROR",
		Errors:        []errorDetail{{Message: detail, Code: code, Context: context}},
	})
}

// rateLimited answers 429 for the limit policy, with a Retry-After of the
// whole seconds until the window lets a request through again.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request, policy string, wait time.Duration) {
	msg := "You have reached your secondly limit."
	if policy == policyTenSecondly {
		msg = "You have reached your ten_secondly_rolling limit."
	}
	if !s.cfg.noRetryAfter {
		secs := max(1, int(math.Ceil(wait.Seconds())))
		w.Header().Set("Retry-After", strconv.Itoa(secs))
	}
	s.answer(w, r, nil, http.StatusTooManyRequests, rateLimitError{
		Status: "error", Message: msg, ErrorType: "RATE_LIMIT", CorrelationID: correlationID(), PolicyName: policy,
	})
}
