package salesforce

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/salespulse/pulse"
)

// tokenPath is the OAuth 2.0 token endpoint under the login URL.
const tokenPath = "/services/oauth2/token"

// maxTokenBody bounds what is read of a token endpoint's answer.
const maxTokenBody = 64 << 10

// session is an access token and the instance URL it is good for, both from
// the token endpoint's answer.
type session struct {
	token    pulse.Secret
	instance string // scheme and host, no trailing slash
}

func (s session) isZero() bool { return s.token.IsZero() }

// tokenAnswer is the part of the token endpoint's success answer the client
// uses; it also carries id, issued_at, signature, scope and token_type.
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	InstanceURL string `json:"instance_url"`
}

// oauthError is the token endpoint's error answer (RFC 6749, section 5.2).
type oauthError struct {
	Code        string `json:"error"`
	Description string `json:"error_description"`
}

// currentSession returns the session to send a request with, asking the
// token endpoint for one when there is none yet.
func (c *Client) currentSession(ctx context.Context) (session, error) {
	c.mu.Lock()
	s := c.session
	c.mu.Unlock()
	if !s.isZero() {
		return s, nil
	}
	return c.renew(ctx, s)
}

// renew replaces the session stale with a new one from the token endpoint.
// When another request has already replaced stale, its session is used and
// no token is asked for, so requests refused together renew once.
func (c *Client) renew(ctx context.Context, stale session) (session, error) {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	c.mu.Lock()
	cur := c.session
	c.mu.Unlock()
	if cur != stale && !cur.isZero() {
		return cur, nil
	}
	s, err := c.requestToken(ctx)
	if err != nil {
		return session{}, err
	}
	c.mu.Lock()
	c.session = s
	c.mu.Unlock()
	return s, nil
}

// requestToken runs the client credentials flow: the consumer key and
// secret, form-encoded in the body of a POST to the token endpoint.
func (c *Client) requestToken(ctx context.Context) (session, error) {
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.clientID},
		"client_secret": {c.clientSecret.Reveal()},
	}
	if err := c.pace(ctx); err != nil {
		return session{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.loginURL+tokenPath, strings.NewReader(form.Encode()))
	if err != nil {
		return session{}, fmt.Errorf("salesforce: token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		// The error names the URL, which holds no secret: the secret is in
		// the body.
		return session{}, fmt.Errorf("salesforce: token request: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTokenBody))
	if err != nil {
		return session{}, fmt.Errorf("salesforce: token request: read answer: %w", err)
	}
	switch {
	case resp.StatusCode == http.StatusOK:
		var a tokenAnswer
		if err := json.Unmarshal(body, &a); err != nil {
			return session{}, fmt.Errorf("salesforce: token request: decode answer: %w", err)
		}
		instance, err := c.instanceURL(a.InstanceURL)
		if err != nil {
			return session{}, err
		}
		if a.AccessToken == "" {
			return session{}, fmt.Errorf("salesforce: token request: the answer has no access_token")
		}
		return session{token: pulse.NewSecret(a.AccessToken), instance: instance}, nil
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		// Every 4xx of the token endpoint is about the request's credentials
		// or the app's setup (invalid_client, invalid_grant,
		// unsupported_grant_type, ...): asking again changes nothing until a
		// person acts.
		var e oauthError
		_ = json.Unmarshal(body, &e)
		return session{}, refused("the token endpoint refused the client credentials: %s %s: %s", resp.Status, e.Code, e.Description)
	default:
		return session{}, fmt.Errorf("salesforce: token request: %s", resp.Status)
	}
}

// instanceURL checks the instance URL the token endpoint handed out: the
// access token is sent there, so it must be an absolute URL, and https
// whenever the login URL is.
func (c *Client) instanceURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.Path != "" || u.RawQuery != "" {
		return "", fmt.Errorf("salesforce: token request: instance_url %q is not a URL of a host", raw)
	}
	if u.Scheme == "http" && strings.HasPrefix(c.loginURL, "https:") {
		return "", fmt.Errorf("salesforce: token request: instance_url %q is not https", raw)
	}
	return u.String(), nil
}

// refused is the error of a credential Salesforce will not take: a person
// must act, and the caller tells them once instead of retrying.
func refused(format string, args ...any) error {
	return pulse.Errorf(pulse.EUNAUTHORIZED, "err.crm_unauthorized", map[string]any{"CRM": "Salesforce"}, "salesforce: "+format, args...)
}
