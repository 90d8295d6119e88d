package main

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage"
)

// bigDB returns the path of a closed database of some megabytes: more than
// a socket's buffers hold, so a backup to a client that does not read
// blocks.
func bigDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pulse.db")
	mustCreateDB(t, path, "Oslo Field")
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	team, err := db.TeamByName(context.Background(), "Oslo Field")
	if err != nil {
		t.Fatal(err)
	}
	// Text that does not compress, in case the codec ever does.
	r := rand.New(rand.NewPCG(1, 2))
	text := func() string {
		b := make([]byte, pulse.MaxTextLen)
		for i := range b {
			b[i] = byte('a' + r.IntN(26))
		}
		return string(b)
	}
	var cs []pulse.CheckIn
	day := pulse.MustDate("2024-01-01")
	for i := range 600 {
		cs = append(cs, pulse.CheckIn{TeamID: team.ID, UserID: []string{"U02", "U03"}[i%2], Date: day.AddDays(i / 2),
			Status: pulse.CheckInOnTime, Energy: 3, Results: text(), Plan: text(), SubmittedAt: time.Now(), UpdatedAt: time.Now()})
	}
	if err := db.SaveCheckIns(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
	return path
}

// A client that asks for a backup and never reads would hold the backup's
// read transaction, and with it the pages writers free, until shutdown.
// Each write has a deadline: the server gives up on the client, and the
// transaction ends.
func TestAControlClientThatStopsReadingIsDropped(t *testing.T) {
	path := bigDB(t)
	db, err := storage.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			db.Close()
		}
	}()
	var logs lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	paths := controlPaths(envOf(map[string]string{"TMPDIR": shortTempDir(t)}), path)
	ctl, err := startControl(db, logger, controlConfig{Paths: paths, WriteTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer ctl.close()

	c, err := net.Dial("unix", ctl.path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close() // only at the end: the client stalls, it does not go away
	if _, err := fmt.Fprintln(c, `{"op":"backup"}`); err != nil {
		t.Fatal(err)
	}

	waitUntil(t, "the server to give up on the client", func() bool {
		return strings.Contains(logs.String(), `"msg":"control request","op":"backup"`)
	})
	if !strings.Contains(logs.String(), `"level":"WARN"`) || !strings.Contains(logs.String(), "timeout") {
		t.Errorf("the server's line does not say the client timed out:\n%s", logs.String())
	}

	// bbolt's Close waits for every open transaction: it returns only when
	// the backup's read transaction has ended.
	done := make(chan error, 1)
	go func() { done <- db.Close() }()
	select {
	case err := <-done:
		closed = true
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the database does not close: the backup's read transaction is still open")
	}
}
