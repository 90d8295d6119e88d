package webapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// pace is a Web API method's budget: a rate a minute and how many calls may
// go at once before the rate applies.
type pace struct{ perMinute, burst int }

// Slack's rate-limit tiers (FACTS.md): tier 2 is 20+ calls a minute, tier 3
// 50+, tier 4 100+. Pacing at the tier's floor keeps bulk sends under the
// limit, so a 429 is the exception it should be.
var (
	tier2 = pace{20, 3}
	tier3 = pace{50, 5}
	tier4 = pace{100, 10}

	// chat.postMessage allows about one message a second per channel, with
	// short bursts, and "several hundred" a minute across the workspace.
	postPerChannel   = pace{60, 3}
	postPerWorkspace = pace{200, 20}
)

// methodPaces lists the methods Pulse calls that have a tier. A method not
// listed (auth.test, apps.connections.open) is not paced: its 429s, rare
// as they are, are waited out all the same.
var methodPaces = map[string]pace{
	"chat.postEphemeral":           tier4,
	"chat.update":                  tier3,
	"chat.delete":                  tier3,
	"conversations.open":           tier3,
	"views.open":                   tier4,
	"views.update":                 tier4,
	"views.push":                   tier4,
	"views.publish":                tier4,
	"users.info":                   tier4,
	"users.list":                   tier2,
	"usergroups.users.list":        tier2,
	"files.getUploadURLExternal":   tier4,
	"files.completeUploadExternal": tier4,
}

const postMessage = "chat.postMessage"

// pacer is the HTTP client under slack-go's: it holds each call until the
// method's bucket has a token (a post first until its channel's, see
// wait), pauses a method for the Retry-After of a 429 so that concurrent
// callers wait too, and spots a token Slack refuses.
//
// slack-go's retry wrapper sits above it (OptionRetryConfig wraps the
// client it is given), so every retry passes through the pacer again.
type pacer struct {
	next *http.Client
	now  func() time.Time // the wall clock; tests pass their own
	off  bool             // pacing off: the demo against the stand-in
	// sleep holds a call for its wait; tests pass their own.
	sleep func(ctx context.Context, d time.Duration) error

	// refused is called when Slack answers a call with an error that means
	// its token is dead, with the Authorization or form token it carried.
	refused func(token, code string)
	// count counts each attempt by method and outcome; apiURL tells a
	// Web API method from a file upload to a URL Slack handed out, whose
	// path must not become a label.
	count  func(method string, outcome Outcome)
	apiURL string

	mu       sync.Mutex
	methods  map[string]*bucket
	channels map[string]*bucket // chat.postMessage per channel
	swept    time.Time
}

func newPacer(next *http.Client, off bool, refused func(token, code string)) *pacer {
	return &pacer{
		next:     next,
		now:      time.Now,
		off:      off,
		sleep:    sleep,
		refused:  refused,
		count:    func(string, Outcome) {},
		methods:  make(map[string]*bucket),
		channels: make(map[string]*bucket),
	}
}

// Do waits for the method's turn, then sends req. The wait ends early, with
// the context's error, when req's context is done.
func (p *pacer) Do(req *http.Request) (*http.Response, error) {
	method := path.Base(req.URL.Path)
	channel := ""
	if method == postMessage {
		channel = formValue(req, "channel")
	}
	if !p.off {
		if err := p.wait(req.Context(), method, channel); err != nil {
			return nil, err
		}
	}
	resp, err := p.next.Do(req)
	label := method
	if p.apiURL != "" && !strings.HasPrefix(req.URL.String(), p.apiURL) {
		label = "file_upload"
	}
	if err != nil {
		p.count(label, CallTransport)
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		p.count(label, CallRateLimited)
		p.limited(method, channel, resp.Header.Get("Retry-After"))
	case resp.StatusCode == http.StatusOK:
		p.count(label, p.inspect(req, resp))
	default:
		p.count(label, CallError)
	}
	return resp, nil
}

// channelBucket returns the bucket of chat.postMessage in channel.
// The caller holds p.mu.
func (p *pacer) channelBucket(channel string) *bucket {
	b := p.channels[channel]
	if b == nil {
		b = newBucket(postPerChannel.perMinute, postPerChannel.burst)
		p.channels[channel] = b
	}
	return b
}

// methodBucket returns the bucket of method, the workspace's for
// chat.postMessage, or nil for a method that is not paced.
// The caller holds p.mu.
func (p *pacer) methodBucket(method string) *bucket {
	pc, ok := methodPaces[method]
	if method == postMessage {
		pc, ok = postPerWorkspace, true
	}
	if !ok {
		return nil
	}
	b := p.methods[method]
	if b == nil {
		b = newBucket(pc.perMinute, pc.burst)
		p.methods[method] = b
	}
	return b
}

// wait holds a call until it may go. A post waits in two steps: first for
// its channel's turn, and only then for the workspace's, so that the posts
// one busy channel has queued take the workspace's budget as they go, about
// one a second, not all at once when they are queued: a flood in one
// channel then delays the posts to others by its pace, not by its size.
func (p *pacer) wait(ctx context.Context, method, channel string) error {
	var taken []*bucket
	if method == postMessage && channel != "" {
		if err := p.waitFor(ctx, func() *bucket { return p.channelBucket(channel) }, &taken); err != nil {
			return err
		}
	}
	return p.waitFor(ctx, func() *bucket { return p.methodBucket(method) }, &taken)
}

// waitFor takes a token from the bucket pick returns (none when it returns
// nil) and waits until it may be used. When ctx ends first, every token
// in taken and this one are given back.
func (p *pacer) waitFor(ctx context.Context, pick func() *bucket, taken *[]*bucket) error {
	p.mu.Lock()
	now := p.now()
	p.sweep(now)
	b := pick()
	var wait time.Duration
	if b != nil {
		wait = b.take(now)
		*taken = append(*taken, b)
	}
	p.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	if err := p.sleep(ctx, wait); err != nil {
		p.mu.Lock()
		for _, b := range *taken {
			b.giveBack(p.now())
		}
		p.mu.Unlock()
		return err
	}
	return nil
}

// sleep waits for d, or until ctx ends with its error.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// limited pauses the bucket Slack limited: the channel's for a post, else
// the method's, for the Retry-After seconds.
func (p *pacer) limited(method, channel, retryAfter string) {
	secs, err := strconv.Atoi(strings.TrimSpace(retryAfter))
	if err != nil || secs < 1 {
		secs = 1
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	until := p.now().Add(time.Duration(secs) * time.Second)
	b := p.methodBucket(method)
	if method == postMessage && channel != "" {
		b = p.channelBucket(channel)
	}
	if b != nil {
		b.pauseUntil(until)
	}
}

// sweep forgets per-channel buckets that are full again, once a minute, so
// that DMs to many people over a long run do not pile up buckets.
// The caller holds p.mu.
func (p *pacer) sweep(now time.Time) {
	if now.Sub(p.swept) < time.Minute {
		return
	}
	p.swept = now
	for ch, b := range p.channels {
		if b.idle(now) {
			delete(p.channels, ch)
		}
	}
}

// inspect reads a JSON answer's "ok" and "error" to tell how the call
// ended, and reports a refused token. The body is read whole and put back
// for slack-go to decode. An answer that is not JSON (a file upload's) is
// taken as ok.
func (p *pacer) inspect(req *http.Request, resp *http.Response) Outcome {
	if ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); ct != "application/json" {
		return CallOK
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return CallTransport
	}
	if !bytes.Contains(body, []byte(`"ok":false`)) {
		return CallOK
	}
	if p.refused == nil {
		return CallError
	}
	var answer struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &answer) != nil || !fatalAuthCodes[answer.Error] {
		return CallError
	}
	token := strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")
	if token == "" {
		token = formValue(req, "token")
	}
	p.refused(token, answer.Error)
	return CallError
}

// formValue reads one field of a form-encoded or JSON request body without
// consuming it.
func formValue(req *http.Request, key string) string {
	if req.GetBody == nil {
		return ""
	}
	rc, err := req.GetBody()
	if err != nil {
		return ""
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, 1<<20))
	if err != nil {
		return ""
	}
	if ct, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type")); ct == "application/json" {
		var m map[string]any
		if json.Unmarshal(body, &m) == nil {
			s, _ := m[key].(string)
			return s
		}
		return ""
	}
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	return v.Get(key)
}
