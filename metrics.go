package pulse

import "time"

// Metrics receives what an operator watches of a running Pulse: envelopes
// and their ack latency, Web API calls and how they ended, socket
// reconnects and liveness, and the cadence engine's jobs and queue. The
// layers call it; package metrics exposes it to Prometheus. Every label
// it is given comes from a small fixed set (an envelope type, a Web API
// method, a job kind), never from a person, a team or a channel, so the
// series it makes do not grow with the workspace.
//
// Implementations are safe for concurrent use and cheap: they are called
// on the hot path of every envelope and every call.
type Metrics interface {
	// Envelope counts one envelope received, by its Socket Mode type
	// (slash_commands, interactive, events_api).
	Envelope(kind string)
	// Ack records the time from an envelope's arrival to its ack.
	Ack(kind string, latency time.Duration)
	// SlackCall counts one HTTP attempt at a Web API method; a call
	// retried after a 429 counts once per attempt.
	SlackCall(method string, outcome CallOutcome)
	// Reconnect counts one Socket Mode connection replaced, by why.
	Reconnect(reason string)
	// SocketFrame notes the time a frame or a PING last came from Slack.
	SocketFrame(at time.Time)
	// Job counts one step of a scheduled job.
	Job(kind JobKind, outcome JobOutcome)
	// QueueDepth sets how many claimed jobs wait for a worker or a retry.
	QueueDepth(n int)
}

// CallOutcome is how one Web API attempt ended.
type CallOutcome string

// The outcomes of a Web API attempt.
const (
	CallOK          CallOutcome = "ok"        // HTTP 200 and "ok": true
	CallError       CallOutcome = "error"     // Slack answered with an error
	CallRateLimited CallOutcome = "429"       // HTTP 429: waited out and retried
	CallTransport   CallOutcome = "transport" // no answer: network, timeout, cancelled
)

// JobOutcome is a step in a scheduled job's life, as metrics count it.
// Unlike JobState it is never stored: "failed" is one attempt that will be
// retried or released, not a state of the ledger.
type JobOutcome string

// The steps of a job that metrics count.
const (
	JobOutcomeClaimed JobOutcome = "claimed"
	JobOutcomeSent    JobOutcome = "sent"
	JobOutcomeFailed  JobOutcome = "failed"
	JobOutcomeSkipped JobOutcome = "skipped"
)

// NopMetrics discards everything; it is what a layer uses when it is given
// no Metrics.
type NopMetrics struct{}

// Envelope does nothing.
func (NopMetrics) Envelope(string) {}

// Ack does nothing.
func (NopMetrics) Ack(string, time.Duration) {}

// SlackCall does nothing.
func (NopMetrics) SlackCall(string, CallOutcome) {}

// Reconnect does nothing.
func (NopMetrics) Reconnect(string) {}

// SocketFrame does nothing.
func (NopMetrics) SocketFrame(time.Time) {}

// Job does nothing.
func (NopMetrics) Job(JobKind, JobOutcome) {}

// QueueDepth does nothing.
func (NopMetrics) QueueDepth(int) {}

var _ Metrics = NopMetrics{}
