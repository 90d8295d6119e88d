// Package metrics exposes pulse.Metrics to Prometheus: counters of
// envelopes, Web API calls, reconnects and jobs, a histogram of ack
// latency, the fan-out queue's depth, the socket's silence and the
// database's size, beside Go's runtime and process collectors.
//
// No label carries a person, a team or a channel: the series a Pulse
// exposes are as many for ten reps as for ten thousand.
package metrics

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/salespulse/pulse"
)

// Options are what the gauges computed at scrape time read.
type Options struct {
	// DBSize returns the database file's size; the gauge is left out when
	// nil. storage.DB's Size fits.
	DBSize func() (int64, error)
	// Now is the wall clock the socket's silence is measured on;
	// time.Now when nil.
	Now func() time.Time
	// NoRuntime leaves out the Go runtime and process collectors, for a
	// registry that has them already (prometheus.DefaultRegisterer).
	NoRuntime bool
}

// Metrics is pulse.Metrics over Prometheus collectors. Its methods are safe
// for concurrent use.
type Metrics struct {
	envelopes  *prometheus.CounterVec
	ackLatency *prometheus.HistogramVec
	calls      *prometheus.CounterVec
	reconnects *prometheus.CounterVec
	jobs       *prometheus.CounterVec
	queue      prometheus.Gauge
	lastFrame  atomic.Int64 // Unix nanoseconds; 0 before the first frame
	now        func() time.Time
}

var _ pulse.Metrics = (*Metrics)(nil)

// New builds the collectors and registers them on reg.
func New(reg prometheus.Registerer, opt Options) (*Metrics, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	m := &Metrics{
		now: opt.Now,
		envelopes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pulse_envelopes_total",
			Help: "Socket Mode envelopes received, by envelope type.",
		}, []string{"type"}),
		ackLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "pulse_ack_latency_seconds",
			Help: "Time from an envelope's arrival to its ack, by envelope type. Slack allows 3 s.",
			// Fine below a second, where acks should be; 3 s is Slack's limit.
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5},
		}, []string{"type"}),
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pulse_slack_calls_total",
			Help: "Web API attempts, by method and outcome (ok, error, 429, transport).",
		}, []string{"method", "outcome"}),
		reconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pulse_socket_reconnects_total",
			Help: "Socket Mode connections replaced, by reason.",
		}, []string{"reason"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pulse_jobs_total",
			Help: "Scheduled jobs, by kind and step (claimed, sent, failed, skipped).",
		}, []string{"kind", "state"}),
		queue: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "pulse_fanout_queue_depth",
			Help: "Claimed jobs waiting for a worker or for a retry.",
		}),
	}
	cs := []prometheus.Collector{m.envelopes, m.ackLatency, m.calls, m.reconnects, m.jobs, m.queue,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "pulse_socket_last_frame_age_seconds",
			Help: "Seconds since Slack last sent a frame or a PING; -1 before the first.",
		}, m.frameAge),
	}
	if opt.DBSize != nil {
		size := opt.DBSize
		cs = append(cs, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "pulse_db_size_bytes",
			Help: "Size of the database file.",
		}, func() float64 {
			n, err := size()
			if err != nil {
				return -1
			}
			return float64(n)
		}))
	}
	if !opt.NoRuntime {
		cs = append(cs, collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register metrics: %w", err)
		}
	}
	return m, nil
}

func (m *Metrics) frameAge() float64 {
	at := m.lastFrame.Load()
	if at == 0 {
		return -1
	}
	return m.now().Sub(time.Unix(0, at)).Seconds()
}

// Envelope counts an envelope of type kind.
func (m *Metrics) Envelope(kind string) { m.envelopes.WithLabelValues(kind).Inc() }

// Ack observes an envelope's ack latency.
func (m *Metrics) Ack(kind string, latency time.Duration) {
	m.ackLatency.WithLabelValues(kind).Observe(latency.Seconds())
}

// SlackCall counts one Web API attempt.
func (m *Metrics) SlackCall(method string, outcome pulse.CallOutcome) {
	m.calls.WithLabelValues(method, string(outcome)).Inc()
}

// Reconnect counts a replaced connection.
func (m *Metrics) Reconnect(reason string) { m.reconnects.WithLabelValues(reason).Inc() }

// SocketFrame notes when Slack was last heard from.
func (m *Metrics) SocketFrame(at time.Time) { m.lastFrame.Store(at.UnixNano()) }

// Job counts one step of a job.
func (m *Metrics) Job(kind pulse.JobKind, outcome pulse.JobOutcome) {
	m.jobs.WithLabelValues(string(kind), string(outcome)).Inc()
}

// QueueDepth sets the fan-out queue's depth.
func (m *Metrics) QueueDepth(n int) { m.queue.Set(float64(n)) }

// JobsCounter is pulse_jobs_total, for tests that read it.
func (m *Metrics) JobsCounter() *prometheus.CounterVec { return m.jobs }

// QueueGauge is pulse_fanout_queue_depth, for tests that read it.
func (m *Metrics) QueueGauge() prometheus.Gauge { return m.queue }
