package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	// dataPrefix starts every REST API path; a nextRecordsUrl that does not
	// start with it is not followed, so the access token goes nowhere else.
	dataPrefix = "/services/data/"
	// maxBody bounds one answer: a batch of 2,000 rows of a few fields is
	// a few hundred kilobytes.
	maxBody = 32 << 20
	// maxErrorBody bounds what is read of an error answer.
	maxErrorBody = 64 << 10
	// unavailableWait is how long a 503 is waited out, once, when it names
	// no Retry-After.
	unavailableWait = 5 * time.Second
	// maxUnavailableWait caps a Retry-After: past it the call fails and
	// the next sync tries again.
	maxUnavailableWait = time.Minute
)

// apiError is one element of the REST API's error answer,
// [{"message": ..., "errorCode": ...}].
type apiError struct {
	Message   string `json:"message"`
	ErrorCode string `json:"errorCode"`
}

// LimitError says a call stopped because of the org's API limits: the org
// spent its daily allocation, or has too many long-running requests
// (Salesforce's REQUEST_LIMIT_EXCEEDED, Code set), or its usage passed
// Config.StopAtUsage and Pulse stopped itself (Code empty). Retrying soon
// does not help; the next sync may.
type LimitError struct {
	Code    string
	Message string
	Usage   Usage
}

func (e *LimitError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("salesforce: the org has used %d of its %d API requests of the last 24 hours, past the %s Pulse may use: stopped", e.Usage.Used, e.Usage.Limit, e.Message)
	}
	return fmt.Sprintf("salesforce: %s: %s (usage %d/%d)", e.Code, e.Message, e.Usage.Used, e.Usage.Limit)
}

// get sends a GET of path, under the instance URL, and decodes a 200's JSON
// into into. An expired session is renewed once; a refused credential is
// EUNAUTHORIZED; the org's limits are a *LimitError; a 503 is waited out
// once.
func (c *Client) get(ctx context.Context, path string, into any) error {
	s, err := c.currentSession(ctx)
	if err != nil {
		return err
	}
	renewed, waited := false, false
	for {
		resp, err := c.send(ctx, s, path)
		if err != nil {
			return err
		}
		c.noteUsage(resp.Header.Get("Sforce-Limit-Info"))
		if resp.StatusCode == http.StatusOK {
			err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(into)
			// Drain what follows the JSON so the connection is reused.
			io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
			resp.Body.Close()
			if err != nil {
				return fmt.Errorf("decode answer: %w", err)
			}
			return c.checkUsage()
		}
		errs, status := readErrors(resp)
		switch {
		case status == http.StatusUnauthorized && !renewed && hasCode(errs, "INVALID_SESSION_ID"):
			// The session expired or was ended: one new session, one retry.
			if s, err = c.renew(ctx, s); err != nil {
				return err
			}
			renewed = true
		case status == http.StatusUnauthorized:
			return refused("%s %s", resp.Status, describe(errs))
		case status == http.StatusForbidden && hasCode(errs, "REQUEST_LIMIT_EXCEEDED"):
			return &LimitError{Code: "REQUEST_LIMIT_EXCEEDED", Message: describe(errs), Usage: c.Usage()}
		case status == http.StatusForbidden:
			// The run-as user may not use the API or read the object
			// (API_DISABLED_FOR_ORG, INSUFFICIENT_ACCESS...): a person must
			// change the org's setup.
			return refused("%s %s", resp.Status, describe(errs))
		case status == http.StatusServiceUnavailable && !waited:
			waited = true
			d := retryAfter(resp.Header.Get("Retry-After"))
			if d > maxUnavailableWait {
				return fmt.Errorf("%s, retry after %s: not waiting", resp.Status, d)
			}
			if err := c.sleep(ctx, d); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s %s", resp.Status, describe(errs))
		}
	}
}

// send paces, then sends one GET with the session's token.
func (c *Client) send(ctx context.Context, s session, path string) (*http.Response, error) {
	if err := c.pace(ctx); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.instance+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+s.token.Reveal())
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// readErrors reads and closes an error answer's body.
func readErrors(resp *http.Response) ([]apiError, int) {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var errs []apiError
	_ = json.Unmarshal(body, &errs) // an HTML 503 page is no error list
	return errs, resp.StatusCode
}

func hasCode(errs []apiError, code string) bool {
	for _, e := range errs {
		if e.ErrorCode == code {
			return true
		}
	}
	return false
}

// describe writes an error answer as "CODE: message; CODE: message".
func describe(errs []apiError) string {
	var b strings.Builder
	for i, e := range errs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.ErrorCode)
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	return b.String()
}

// retryAfter reads a Retry-After of seconds, or unavailableWait.
func retryAfter(v string) time.Duration {
	secs, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || secs < 1 {
		return unavailableWait
	}
	return time.Duration(secs) * time.Second
}

// noteUsage keeps the org's usage from a Sforce-Limit-Info header such as
// "api-usage=18/5000" or "api-usage=25/5000; per-app-api-usage=17/250(...)".
func (c *Client) noteUsage(header string) {
	u, ok := parseUsage(header)
	if !ok {
		return
	}
	c.mu.Lock()
	c.usage = u
	c.mu.Unlock()
}

func parseUsage(header string) (Usage, bool) {
	for part := range strings.SplitSeq(header, ";") {
		v, ok := strings.CutPrefix(strings.TrimSpace(part), "api-usage=")
		if !ok {
			continue
		}
		used, limit, ok := strings.Cut(v, "/")
		if !ok {
			return Usage{}, false
		}
		u, err1 := strconv.Atoi(used)
		l, err2 := strconv.Atoi(limit)
		if err1 != nil || err2 != nil || u < 0 || l <= 0 {
			return Usage{}, false
		}
		return Usage{Used: u, Limit: l}, true
	}
	return Usage{}, false
}

// checkUsage stops a call once the org's usage passes StopAtUsage, leaving
// the rest of the allocation to the org's other integrations.
func (c *Client) checkUsage() error {
	u := c.Usage()
	if u.Limit > 0 && u.Share() >= c.stopAt {
		return &LimitError{Message: strconv.FormatFloat(c.stopAt*100, 'f', -1, 64) + "%", Usage: u}
	}
	return nil
}

// queryPath is the query resource's path for soql.
func (c *Client) queryPath(soql string) string {
	return dataPrefix + c.version + "/query?q=" + url.QueryEscape(soql)
}

// nextPath checks a nextRecordsUrl: a path under /services/data/ of the
// same instance, never a URL of another host.
func nextPath(next string) (string, error) {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, dataPrefix) || strings.Contains(u.Path, "..") {
		return "", fmt.Errorf("nextRecordsUrl %q is not a path under %s", next, dataPrefix)
	}
	return u.RequestURI(), nil
}

// page is one batch of a query's answer.
type page[T any] struct {
	TotalSize      int    `json:"totalSize"`
	Done           bool   `json:"done"`
	NextRecordsURL string `json:"nextRecordsUrl"`
	Records        []T    `json:"records"`
}

// query runs soql and calls each with every record, batch after batch,
// following nextRecordsUrl until the answer is done. A GROUP BY query's
// answer cannot be paged (FACTS.md), so grouped says to fail rather than
// lose groups when one is not done.
func query[T any](ctx context.Context, c *Client, object, soql string, grouped bool, each func(*T) error) error {
	path := c.queryPath(soql)
	for {
		var p page[T]
		if err := c.get(ctx, path, &p); err != nil {
			return fmt.Errorf("query %s: %w", object, err)
		}
		for i := range p.Records {
			if err := each(&p.Records[i]); err != nil {
				return fmt.Errorf("query %s: %w", object, err)
			}
		}
		if p.Done {
			return nil
		}
		if grouped {
			return fmt.Errorf("query %s: a GROUP BY answer of more than one batch (%d groups) cannot be paged", object, p.TotalSize)
		}
		if p.NextRecordsURL == "" {
			return fmt.Errorf("query %s: the answer is not done but has no nextRecordsUrl", object)
		}
		next, err := nextPath(p.NextRecordsURL)
		if err != nil {
			return fmt.Errorf("query %s: %w", object, err)
		}
		path = next
	}
}
