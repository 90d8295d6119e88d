package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
	"github.com/salespulse/pulse/export"
	"github.com/salespulse/pulse/storage"
)

// defaultExportDays is the range an export covers when no --from is given:
// the last four weeks, today included.
const defaultExportDays = 28

// exportCmd writes one team's check-ins as CSV, to --out or stdout. While
// `pulse run` holds the database the export is made by the running process,
// over its control socket. With PULSE_DATABASE_URL it reads PostgreSQL.
func exportCmd(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pulse export", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	team := fs.String("team", "", "the team's name")
	from := fs.String("from", "", "first day, YYYY-MM-DD (default: 4 weeks before --to)")
	to := fs.String("to", "", "last day, YYYY-MM-DD (default: today in the team's zone)")
	out := fs.String("out", "", "file to write (default: standard output)")
	noBOM := fs.Bool("no-bom", false, "leave out the UTF-8 byte order mark Excel needs")
	usage := "usage: pulse export --team NAME [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out FILE] [--no-bom]"
	err := fs.Parse(args)
	switch {
	case err != nil:
	case fs.NArg() > 0:
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case *team == "":
		err = errors.New("name the team with --team")
	}
	if err != nil {
		fmt.Fprintf(stderr, "pulse export: %v\n%s\n", err, usage)
		return exitUsage
	}
	req := controlRequest{Op: "export", Team: *team, From: *from, To: *to, NoBOM: *noBOM}
	if _, _, err := parseRange(req, time.Now(), time.UTC); err != nil {
		fmt.Fprintf(stderr, "pulse export: %v\n%s\n", err, usage)
		return exitUsage
	}
	dbPath := lookupOrDefault(env, "PULSE_DB_PATH")
	dsn, onPostgres := env("PULSE_DATABASE_URL")
	onPostgres = onPostgres && dsn != ""
	if err := requireFile(dbPath); err != nil && !onPostgres {
		fmt.Fprintf(stderr, "pulse export: %v\n", err)
		return exitFail
	}

	w, commit, abort, err := openOut(*out, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "pulse export: %v\n", err)
		return exitFail
	}
	rows, err := runExport(ctx, env, dbPath, req, w)
	if err == nil {
		err = commit()
	} else {
		abort()
	}
	if err != nil {
		fmt.Fprintf(stderr, "pulse export: %v\n", err)
		return exitFail
	}
	switch {
	case *out == "":
	case rows < 0:
		fmt.Fprintf(stdout, "exported %s to %s through the running pulse\n", *team, *out)
	default:
		fmt.Fprintf(stdout, "exported %d rows of %s to %s\n", rows, *team, *out)
	}
	return exitOK
}

// runExport writes the export req asks for to w: from the database itself
// when it is free, else through the pulse that holds it. It returns the
// rows written, or -1 when the running pulse made them (it does not say).
func runExport(ctx context.Context, env Env, dbPath string, req controlRequest, w io.Writer) (int, error) {
	if dsn, ok := env("PULSE_DATABASE_URL"); ok && dsn != "" {
		// PostgreSQL serves any number of processes: read it directly.
		db, err := storage.OpenPostgres(ctx, dsn)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		return writeExport(ctx, db, req, w, time.Now())
	}
	db, err := storage.Open(dbPath)
	if errors.Is(err, storage.ErrLocked) {
		return exportViaControl(ctx, controlPaths(env, dbPath), dbPath, req, w)
	}
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return writeExport(ctx, db, req, w, time.Now())
}

// exportViaControl asks the pulse holding the database at dbPath for the
// export, on its control socket at one of sockets, and copies it to w,
// checking that it came whole.
func exportViaControl(ctx context.Context, sockets []string, dbPath string, req controlRequest, w io.Writer) (int, error) {
	body, err := askControl(ctx, sockets, req)
	if errors.Is(err, errNoControl) {
		return 0, fmt.Errorf("%s is held by another process, and %w; is it a pulse older than this one?", dbPath, err)
	}
	if err != nil {
		return 0, err
	}
	defer body.Close()
	if err := readChunks(body, w); err != nil {
		return 0, fmt.Errorf("export from the running pulse: %w", err)
	}
	return -1, nil
}

// writeExport resolves req against store and writes the CSV to w, with the
// column titles in English, reading the store a week at a time.
func writeExport(ctx context.Context, store pulse.Store, req controlRequest, w io.Writer, now time.Time) (int, error) {
	x, err := resolveExport(ctx, store, req, now)
	if err != nil {
		return 0, err
	}
	return export.Write(ctx, w, store, x.team, x.from, x.to, x.today, exportHeaders(), export.Options{NoBOM: req.NoBOM})
}

// exportRange is what an export covers: a team's days from from to to,
// with today the team's local date.
type exportRange struct {
	team            *pulse.Team
	from, to, today pulse.Date
}

// resolveExport finds the team and the range req asks for.
func resolveExport(ctx context.Context, store pulse.Store, req controlRequest, now time.Time) (exportRange, error) {
	team, err := store.TeamByName(ctx, req.Team)
	if err != nil {
		return exportRange{}, fmt.Errorf("team %q: %w", req.Team, err)
	}
	from, to, err := parseRange(req, now, team.Location())
	if err != nil {
		return exportRange{}, err
	}
	if from.DaysUntil(to) >= export.MaxDays {
		return exportRange{}, fmt.Errorf("%s to %s is more than the %d days one export covers", from, to, export.MaxDays)
	}
	return exportRange{team: team, from: from, to: to, today: pulse.DateOf(now.In(team.Location()))}, nil
}

// parseRange reads the request's dates; a missing --to is today in zone,
// a missing --from four weeks before --to.
func parseRange(req controlRequest, now time.Time, zone *time.Location) (from, to pulse.Date, err error) {
	to = pulse.DateOf(now.In(zone))
	if req.To != "" {
		if to, err = pulse.ParseDate(req.To); err != nil {
			return from, to, fmt.Errorf("--to: %w", err)
		}
	}
	from = to.AddDays(1 - defaultExportDays)
	if req.From != "" {
		if from, err = pulse.ParseDate(req.From); err != nil {
			return from, to, fmt.Errorf("--from: %w", err)
		}
	}
	if to.Before(from) {
		return from, to, fmt.Errorf("--from %s is after --to %s", from, to)
	}
	return from, to, nil
}

// exportHeaders are the column titles in English, from the catalogue the
// bot writes them from.
func exportHeaders() export.Headers {
	cat, err := catalog.New()
	if err != nil {
		// The catalogue is embedded and tested; a broken one is a build bug.
		panic(fmt.Sprintf("message catalogue: %v", err))
	}
	return export.HeadersFrom(func(k string) string { return cat.T(pulse.English, k, nil) })
}

// openOut returns where the export goes: stdout, or a temporary file beside
// path that commit renames into place and abort removes, so a failed export
// never leaves half a file under the name asked for.
func openOut(path string, stdout io.Writer) (w io.Writer, commit func() error, abort func(), err error) {
	if path == "" || path == "-" {
		bw := bufio.NewWriter(stdout)
		return bw, bw.Flush, func() { _ = bw.Flush() }, nil
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".pulse-export-*.tmp")
	if err != nil {
		return nil, nil, nil, err
	}
	bw := bufio.NewWriter(f)
	commit = func() error {
		err := bw.Flush()
		if err == nil {
			err = f.Close()
		} else {
			f.Close()
		}
		if err == nil {
			err = os.Rename(f.Name(), path)
		}
		if err != nil {
			os.Remove(f.Name())
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
	abort = func() {
		f.Close()
		os.Remove(f.Name())
	}
	return bw, commit, abort, nil
}

// A streamed export goes in chunks, each a big-endian uint32 length and
// that many bytes, ended by a zero-length chunk, so that the client can tell
// a whole file from one cut short by a failure on the way.

// chunkWriter frames what is written to w as chunks.
type chunkWriter struct{ w io.Writer }

func (c chunkWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(p)))
	if _, err := c.w.Write(n[:]); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// end writes the closing chunk.
func (c chunkWriter) end() error {
	_, err := c.w.Write([]byte{0, 0, 0, 0})
	return err
}

// readChunks copies chunks from r to w up to the closing one.
func readChunks(r io.Reader, w io.Writer) error {
	var n [4]byte
	for {
		if _, err := io.ReadFull(r, n[:]); err != nil {
			return fmt.Errorf("the export was cut short: %w", err)
		}
		size := binary.BigEndian.Uint32(n[:])
		if size == 0 {
			return nil
		}
		if _, err := io.CopyN(w, r, int64(size)); err != nil {
			return fmt.Errorf("the export was cut short: %w", err)
		}
	}
}

// export serves an export request on the control socket: the team and
// range are checked before the answer, so a mistake comes back as a
// refusal; then the CSV streams in chunks as export.Write reads the store,
// a week at a time, holding no read transaction while it writes.
func (s *controlServer) export(c io.Writer, req controlRequest) (int64, error) {
	x, err := resolveExport(s.ctx, s.db, req, time.Now())
	if err != nil {
		return 0, answer(c, err)
	}
	if err := answer(c, nil); err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(chunkWriter{c}, 64<<10)
	rows, err := export.Write(s.ctx, bw, s.db, x.team, x.from, x.to, x.today, exportHeaders(), export.Options{NoBOM: req.NoBOM})
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = chunkWriter{c}.end()
	}
	return int64(rows), err
}
