package main

// The control socket lets `pulse backup` and `pulse export` work while
// `pulse run` holds the database: bbolt's file lock keeps a second process
// out, so that process asks the running one instead. The socket is a Unix
// socket, mode 0600, in a folder of its own with mode 0700 so only the user
// who runs Pulse reaches it; removed on exit, and never TCP: it hands out
// everything the database holds. The folder is named from a hash of the
// database's path and made under $XDG_RUNTIME_DIR, or else $TMPDIR or
// /tmp, so that the socket's path stays inside the 104 bytes a Unix
// socket's path may have however deep the database lies (see controlPaths).
//
// The protocol is one request per connection. The client writes a JSON
// line, controlRequest; the server answers a JSON line, controlAnswer, and
// when it is ok streams the body (a database snapshot, a CSV file) until it
// closes the connection. A body cut short shows as such: a snapshot fails
// storage.Verify, an export fails its trailer check (see exportViaControl).

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/salespulse/pulse/storage"
)

// controlRequest is what a client asks for.
type controlRequest struct {
	Op    string `json:"op"` // ping, backup, export
	Team  string `json:"team,omitempty"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
	NoBOM bool   `json:"no_bom,omitempty"`
	// A plan import's file, the Slack users of its emails, and who set it.
	CSV    string            `json:"csv,omitempty"`
	Emails map[string]string `json:"emails,omitempty"`
	By     string            `json:"by,omitempty"`
}

// controlAnswer is the first line of the server's reply.
type controlAnswer struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// maxControlRequest bounds a request's line; a plan import carries its
// file in it.
const maxControlRequest = 1 << 20

// requestTimeout bounds how long a client may take to send its request.
const requestTimeout = 10 * time.Second

// controlConfig says where the control socket goes and how long it waits
// for its clients.
type controlConfig struct {
	// Paths are where the socket may be made, in order (controlPaths).
	Paths []string
	// WriteTimeout bounds each write to a client. A client that reads
	// nothing for that long is dropped, which ends the read transaction
	// its backup holds: while one is open, the pages writers free cannot
	// be reused and the file grows. Default 30 s.
	WriteTimeout time.Duration
}

// defaultWriteTimeout is controlConfig.WriteTimeout's default: long enough
// for a client writing to a slow disk, short enough that a stalled one
// lets the database go well before a day's writes pile up.
const defaultWriteTimeout = 30 * time.Second

// controlServer serves the control socket of a running pulse.
type controlServer struct {
	path   string
	ln     net.Listener
	cfg    controlConfig
	db     *storage.DB
	log    *slog.Logger
	ctx    context.Context // ends the streams under way at close
	cancel context.CancelFunc
	conns  sync.WaitGroup
}

// startControl listens on the control socket of db, in the first of
// cfg.Paths where it can be made. A socket file left by a pulse that died
// is replaced: holding the database's lock means no other pulse serves it.
// The error names every place tried.
func startControl(db *storage.DB, logger *slog.Logger, cfg controlConfig) (*controlServer, error) {
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = defaultWriteTimeout
	}
	var errs []error
	for _, path := range cfg.Paths {
		ln, err := listenPrivate(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ctx, cancel := context.WithCancel(context.Background())
		s := &controlServer{path: path, ln: ln, cfg: cfg, db: db, log: logger, ctx: ctx, cancel: cancel}
		s.conns.Go(s.accept)
		logger.Info("serving backup and export", "control_socket", path)
		return s, nil
	}
	if len(errs) == 0 {
		errs = append(errs, errors.New("no folder to make it in"))
	}
	return nil, fmt.Errorf("control socket: %s", joinErrs(errs))
}

// listenPrivate listens on a Unix socket at path, mode 0600, in a private
// folder (privateDir) that it makes when missing.
func listenPrivate(path string) (net.Listener, error) {
	if len(path) > maxSocketPath {
		return nil, fmt.Errorf("%s: %d bytes is longer than a socket's path may be (%d)", path, len(path), maxSocketPath)
	}
	if err := privateDir(filepath.Dir(path), true); err != nil {
		return nil, err
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode().Type() != fs.ModeSocket {
			return nil, fmt.Errorf("%s: a file that is not a socket is in the way", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("%s: remove the stale one: %w", path, err)
		}
	}
	// The umask makes the socket 0600 from birth, so there is no moment
	// when another user could connect; the chmod states it whatever the
	// platform does with a socket's mode.
	old := syscall.Umask(0o177)
	ln, err := net.Listen("unix", path)
	syscall.Umask(old)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ln, nil
}

func (s *controlServer) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Warn("control socket accept", "err", err)
			}
			return
		}
		s.conns.Go(func() { s.serveConn(c) })
	}
}

// close stops listening, ends the streams under way, waits for them and
// removes the socket file and its folder.
func (s *controlServer) close() error {
	err := s.ln.Close() // removes the file too (UnixListener unlinks on Close)
	s.cancel()
	s.conns.Wait()
	if rerr := os.Remove(s.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && err == nil {
		err = rerr
	}
	// The folder goes too when nothing else is in it.
	_ = os.Remove(filepath.Dir(s.path))
	if err != nil {
		return fmt.Errorf("close control socket %s: %w", s.path, err)
	}
	return nil
}

func (s *controlServer) serveConn(c net.Conn) {
	defer c.Close()
	stop := context.AfterFunc(s.ctx, func() { c.Close() })
	defer stop()
	_ = c.SetReadDeadline(time.Now().Add(requestTimeout))
	line, err := bufio.NewReaderSize(c, maxControlRequest).ReadSlice('\n')
	if err != nil {
		s.log.Warn("control socket: no request", "err", err)
		return
	}
	w := deadlineWriter{c: c, timeout: s.cfg.WriteTimeout}
	var req controlRequest
	if err := json.Unmarshal(line, &req); err != nil {
		answer(w, fmt.Errorf("the request is not JSON: %w", err))
		return
	}
	started := time.Now()
	var n int64
	switch req.Op {
	case "ping":
		err = answer(w, nil)
	case "backup":
		if err = answer(w, nil); err == nil {
			n, err = s.db.Backup(s.ctx, w)
		}
	case "export":
		n, err = s.export(w, req)
	case "plan-import", "plan-export":
		n, err = s.planControl(w, req)
	default:
		err = answer(w, fmt.Errorf("unknown request %q", req.Op))
	}
	level := slog.LevelInfo
	if err != nil {
		level = slog.LevelWarn
	}
	if req.Op != "ping" {
		s.log.Log(s.ctx, level, "control request", "op", req.Op, "bytes", n, "took", time.Since(started), "err", errOrNil(err))
	}
}

// deadlineWriter writes to a client, each write with a deadline of its
// own: a client that stops reading (or is gone without a word) fails the
// write after timeout, however long a slow but steady one takes in all.
type deadlineWriter struct {
	c       net.Conn
	timeout time.Duration
}

func (w deadlineWriter) Write(p []byte) (int, error) {
	if err := w.c.SetWriteDeadline(time.Now().Add(w.timeout)); err != nil {
		return 0, err
	}
	return w.c.Write(p)
}

// answer writes the answer line: ok, or err's message.
func answer(w io.Writer, err error) error {
	a := controlAnswer{OK: err == nil}
	if err != nil {
		a.Error = err.Error()
	}
	b, _ := json.Marshal(a)
	if _, werr := w.Write(append(b, '\n')); werr != nil {
		return werr
	}
	return err
}

func errOrNil(err error) any {
	if err == nil {
		return nil
	}
	return err.Error()
}

// joinErrs lists errs on one line, for a message that names every place
// tried.
func joinErrs(errs []error) string {
	msgs := make([]string, len(errs))
	for i, err := range errs {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

// errNoControl means no running pulse answers on the control socket.
var errNoControl = errors.New("no running pulse answers on the control socket")

// askControl sends req to the pulse serving the database whose control
// socket may be at paths (controlPaths), trying each in turn, and returns
// the connection positioned at the start of the body. The caller closes it.
func askControl(ctx context.Context, paths []string, req controlRequest) (io.ReadCloser, error) {
	var errs []error
	for _, path := range paths {
		if err := privateDir(filepath.Dir(path), false); err != nil {
			errs = append(errs, err)
			continue
		}
		var d net.Dialer
		c, err := d.DialContext(ctx, "unix", path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		return ask(ctx, c, path, req)
	}
	return nil, fmt.Errorf("%w (%s)", errNoControl, joinErrs(errs))
}

// ask sends req on c, the control socket at path, and reads the answer.
func ask(ctx context.Context, c net.Conn, path string, req controlRequest) (io.ReadCloser, error) {
	stop := context.AfterFunc(ctx, func() { c.Close() })
	b, _ := json.Marshal(req)
	if _, err := c.Write(append(b, '\n')); err != nil {
		stop()
		c.Close()
		return nil, fmt.Errorf("ask the running pulse on %s: %w", path, err)
	}
	r := bufio.NewReader(c)
	line, err := r.ReadSlice('\n')
	var a controlAnswer
	if err == nil {
		err = json.Unmarshal(line, &a)
	}
	if err != nil {
		stop()
		c.Close()
		return nil, fmt.Errorf("the running pulse on %s did not answer: %w", path, err)
	}
	if !a.OK {
		stop()
		c.Close()
		return nil, fmt.Errorf("the running pulse refused: %s", a.Error)
	}
	return &controlBody{Reader: r, c: c, stop: stop}, nil
}

// controlBody is a reply's body; closing it closes the connection.
type controlBody struct {
	*bufio.Reader
	c    net.Conn
	stop func() bool
}

func (b *controlBody) Close() error {
	b.stop()
	return b.c.Close()
}

// controlAnswers reports whether a pulse answers on a control socket at
// one of paths.
func controlAnswers(ctx context.Context, paths []string) bool {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	body, err := askControl(ctx, paths, controlRequest{Op: "ping"})
	if err != nil {
		return false
	}
	body.Close()
	return true
}
