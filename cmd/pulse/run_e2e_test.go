package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/storage"
)

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runningPulse is the real pulse binary running `pulse run` against the
// Slack stand-in.
type runningPulse struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	done   chan error
}

// startPulseRun starts the built binary with the stand-in's URL and tokens,
// a database at dbPath, and any further VAR=value settings.
func startPulseRun(t *testing.T, s *slacktest.Server, dbPath string, env ...string) *runningPulse {
	t.Helper()
	bin := pulseBinary(t)
	cmd := exec.Command(bin, "run")
	cmd.Env = append(env,
		"PULSE_SLACK_BOT_TOKEN="+s.BotToken(),
		"PULSE_SLACK_APP_TOKEN="+s.AppToken(),
		"PULSE_SLACK_API_URL="+s.APIURL(),
		"PULSE_DB_PATH="+dbPath,
		"PULSE_HTTP_ADDR=127.0.0.1:0",
		"PULSE_LOG_LEVEL=debug",
	)
	p := &runningPulse{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	cmd.Stdout = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.done
		}
		removeControlDirs(cmd.Env, dbPath)
	})
	return p
}

// opsAddr waits for the log line that says where the health endpoints are.
func (p *runningPulse) opsAddr(t *testing.T, s *slacktest.Server) string {
	t.Helper()
	return p.loggedAddr(t, s, "serving health and metrics")
}

// loggedAddr waits for the log line msg and returns the address it names.
func (p *runningPulse) loggedAddr(t *testing.T, s *slacktest.Server, msg string) string {
	t.Helper()
	var addr string
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.WaitFor(ctx, func() bool {
		for _, line := range strings.Split(p.stderr.String(), "\n") {
			var rec struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == msg {
				addr = rec.Addr
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("pulse never logged %q: %v\n%s", msg, err, p.stderr.String())
	}
	return addr
}

func httpStatus(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// The whole path on the real binary: configuration, database, Socket Mode
// to the stand-in, /pulse help answered in the ack, readiness, and a clean
// stop on SIGTERM that leaves the database closed and whole.
func TestPulseRunAnswersHelpAndStopsCleanlyOnSIGTERM(t *testing.T) {
	s := slacktest.NewServer()
	defer s.Close()
	dbPath := filepath.Join(t.TempDir(), "pulse.db")
	p := startPulseRun(t, s, dbPath)
	addr := p.opsAddr(t, s)

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := s.WaitConnected(ctx); err != nil {
		t.Fatalf("pulse never connected: %v\n%s", err, p.stderr.String())
	}
	if err := s.WaitFor(ctx, func() bool { return httpStatus("http://"+addr+"/readyz") == 200 }); err != nil {
		t.Fatalf("/readyz never answered 200 once connected: %v", err)
	}

	id, err := s.SendSlashCommand(ctx, slack.SlashCommand{Command: "/pulse", Text: "help", UserID: "UHELPME01", ChannelID: "CGENERAL1"})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := s.WaitAck(ctx, id)
	if err != nil {
		t.Fatalf("no ack for /pulse help: %v\n%s", err, p.stderr.String())
	}
	var reply struct {
		Text         string          `json:"text"`
		ResponseType string          `json:"response_type"`
		Blocks       json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal(ack.Payload, &reply); err != nil {
		t.Fatalf("ack payload %s: %v", ack.Payload, err)
	}
	if reply.ResponseType != "ephemeral" || !strings.Contains(string(ack.Payload), "/pulse") {
		t.Fatalf("help answer = %s, want an ephemeral answer listing /pulse commands", ack.Payload)
	}

	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("pulse exited with %v after SIGTERM, want a clean exit\n%s", err, p.stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("pulse did not stop after SIGTERM\n%s", p.stderr.String())
	}
	logs := p.stderr.String()
	for _, token := range []string{s.BotToken(), s.AppToken()} {
		if strings.Contains(logs, token) {
			t.Fatalf("a token reached the log:\n%s", logs)
		}
	}
	if err := storage.Verify(dbPath); err != nil {
		t.Fatalf("database after a clean stop: %v", err)
	}
}

// A token Slack refuses stops the real binary with a message that names
// the variable, and never the token.
func TestPulseRunStopsOnARefusedToken(t *testing.T) {
	for _, tt := range []struct {
		name, variable string
		token          func(*slacktest.Server) string
		code           string
	}{
		{"a revoked bot token", "PULSE_SLACK_BOT_TOKEN", (*slacktest.Server).BotToken, "token_revoked"},
		{"an app token Slack does not know", "PULSE_SLACK_APP_TOKEN", (*slacktest.Server).AppToken, "invalid_auth"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := slacktest.NewServer()
			defer s.Close()
			s.RevokeToken(tt.token(s), tt.code)
			p := startPulseRun(t, s, filepath.Join(t.TempDir(), "pulse.db"))
			var err error
			select {
			case err = <-p.done:
			case <-time.After(15 * time.Second):
				t.Fatalf("pulse kept running with a refused token\n%s", p.stderr.String())
			}
			if err == nil {
				t.Fatalf("pulse exited 0 with a refused token")
			}
			logs := p.stderr.String()
			if !strings.Contains(logs, tt.variable) {
				t.Errorf("output does not name %s:\n%s", tt.variable, logs)
			}
			if strings.Contains(logs, tt.token(s)) {
				t.Errorf("output shows the token:\n%s", logs)
			}
		})
	}
}
