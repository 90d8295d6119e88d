package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
	"github.com/salespulse/pulse/web"
)

// webServer serves the dashboard on PULSE_WEB_ADDR, apart from the
// operator's endpoints: those stay on the ops network, the dashboard is
// what people open.
type webServer struct {
	srv  *http.Server
	ln   net.Listener
	done chan error
}

// startWebServer serves the dashboard in the background until shutdown;
// it returns nil, nil when PULSE_WEB_ADDR is unset.
func startWebServer(cfg *Config, store pulse.Store, logger *slog.Logger) (*webServer, error) {
	if cfg.WebAddr == "" {
		return nil, nil
	}
	cat, err := catalog.New(catalog.WithLogger(logger))
	if err != nil {
		return nil, err
	}
	h, err := web.New(web.Config{Store: store, Catalog: cat, PublicURL: cfg.PublicURL, Log: logger})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.WebAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on PULSE_WEB_ADDR %s: %w", cfg.WebAddr, err)
	}
	s := &webServer{ln: ln, done: make(chan error, 1), srv: &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      2 * time.Minute, // a year's export
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}}
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	logger.Info("serving the web dashboard", "addr", ln.Addr().String(), "public_url", cfg.PublicURL)
	return s, nil
}

// shutdown stops the dashboard, letting pages in flight finish for a few
// seconds.
func (s *webServer) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.srv.Close()
	}
	if serr := <-s.done; err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("stop the web dashboard: %w", err)
	}
	return nil
}
