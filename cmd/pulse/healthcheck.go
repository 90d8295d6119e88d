package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthcheckCmd asks a running pulse's /healthz, on the address
// PULSE_HTTP_ADDR names, and exits 0 when it answers 200 and 1 otherwise.
// Container images without curl or wget use it as their HEALTHCHECK.
func healthcheckCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "pulse healthcheck takes no arguments")
		return exitUsage
	}
	addr := lookupOrDefault(env, "PULSE_HTTP_ADDR")
	url, err := healthURL(addr)
	if err != nil {
		fmt.Fprintf(stderr, "pulse healthcheck: %v\n", err)
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		fmt.Fprintf(stderr, "pulse healthcheck: %v\n", err)
		return exitFail
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "pulse healthcheck: %v\n", err)
		return exitFail
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "pulse healthcheck: %s answered %s\n", url, resp.Status)
		return exitFail
	}
	fmt.Fprintf(stdout, "%s: ok\n", url)
	return exitOK
}

// healthURL turns a listen address into the URL of its /healthz. A server
// listening on every interface (":8080", "0.0.0.0:8080", "[::]:8080") is
// asked on loopback.
func healthURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("PULSE_HTTP_ADDR must be host:port or :port, got %q", addr)
	}
	switch ip := net.ParseIP(host); {
	case host == "":
		host = "127.0.0.1"
	case ip != nil && ip.IsUnspecified() && ip.To4() != nil:
		host = "127.0.0.1"
	case ip != nil && ip.IsUnspecified():
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/healthz", nil
}
