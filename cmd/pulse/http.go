package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/salespulse/pulse"
)

// opsServer serves the operator's endpoints on PULSE_HTTP_ADDR:
// /healthz answers 200 while the process serves at all (liveness);
// /readyz answers 200 only while ready is set and the Slack connection, once
// there is one, says it is live, and 503 while starting and stopping or
// while the socket is being replaced (readiness); /metrics is Prometheus's
// exposition of gatherer.
type opsServer struct {
	ready atomic.Bool                 // the database is open and the endpoints serve
	slack atomic.Pointer[func() bool] // the Slack connection's own readiness, once it runs
	lead  atomic.Pointer[string]      // this replica's part in the cadence, for /readyz
	leads atomic.Bool                 // this replica runs the cadence, for /metrics
	srv   *http.Server
	ln    net.Listener
	done  chan error

	// metrics is what the bot and the cadence engine count into, exposed
	// on /metrics.
	metrics pulse.Metrics
}

// isReady reports what /readyz answers.
func (s *opsServer) isReady() bool {
	if !s.ready.Load() {
		return false
	}
	if f := s.slack.Load(); f != nil {
		return (*f)()
	}
	return true
}

// cadenceRole says on /readyz what this replica does about the cadence.
func (s *opsServer) cadenceRole() string {
	if r := s.lead.Load(); r != nil {
		return *r
	}
	return ""
}

// setLeading records whether this replica, named replica, runs the cadence.
func (s *opsServer) setLeading(leading bool, replica string) {
	role := "cadence: following; another replica leads"
	if leading {
		role = "cadence: leading (" + replica + ")"
	}
	s.leads.Store(leading)
	s.lead.Store(&role)
}

// leaderGauge is pulse_cadence_leader: 1 while this replica runs the
// cadence, labelled with the replica's name.
func (s *opsServer) leaderGauge(replica string) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "pulse_cadence_leader",
		Help:        "1 while this replica runs the cadence (holds the leader lock), else 0.",
		ConstLabels: prometheus.Labels{"replica": replica},
	}, func() float64 {
		if s.leads.Load() {
			return 1
		}
		return 0
	})
}

// gateOnSlack makes readiness also require the Slack connection's.
func (s *opsServer) gateOnSlack(ready func() bool) { s.slack.Store(&ready) }

// newOpsHandler returns the handler of the operator's endpoints, with Go's
// runtime profiles under /debug/pprof/ when profiles is set. /readyz adds
// role's line, when it has one, after its status: with several replicas it
// tells which one leads the cadence.
func newOpsHandler(ready func() bool, role func() string, gatherer prometheus.Gatherer, profiles bool) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if !ready() {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "not ready")
		} else {
			fmt.Fprintln(w, "ready")
		}
		if role != nil {
			if r := role(); r != "" {
				fmt.Fprintln(w, r)
			}
		}
	})
	// Uncompressed: the exposition is some tens of kilobytes read over the
	// ops network, and each gzip writer promhttp keeps for a scrape holds
	// over half a megabyte of heap.
	mux.Handle("GET /metrics", promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{DisableCompression: true}))
	if profiles {
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	}
	return mux
}

// startOpsServer listens on addr and serves the operator's endpoints in the
// background until shutdown.
func startOpsServer(addr string, gatherer prometheus.Gatherer, profiles bool, logger *slog.Logger) (*opsServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on PULSE_HTTP_ADDR %s: %w", addr, err)
	}
	s := &opsServer{ln: ln, done: make(chan error, 1)}
	s.srv = &http.Server{
		Handler:           newOpsHandler(s.isReady, s.cadenceRole, gatherer, profiles),
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	logger.Info("serving health and metrics", "addr", ln.Addr().String())
	return s, nil
}

// Addr returns the address the server listens on, with the port the system
// chose when PULSE_HTTP_ADDR asked for port 0.
func (s *opsServer) Addr() string { return s.ln.Addr().String() }

// shutdown marks the process not ready and stops the server, letting
// requests in flight finish for a few seconds and then closing what is
// still open. net/http counts a connection opened in the last five seconds
// with no request yet as busy, so a scraper that has just connected would
// otherwise hold up the exit and turn a clean stop into a failed one; none
// of these endpoints has anything to lose by being cut off.
func (s *opsServer) shutdown() error {
	s.ready.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("stop HTTP server: %w", err)
		}
		if err := s.srv.Close(); err != nil {
			return fmt.Errorf("close HTTP server: %w", err)
		}
	}
	return <-s.done
}

// shutdownGrace is how long requests in flight get to finish at shutdown.
const shutdownGrace = 2 * time.Second
