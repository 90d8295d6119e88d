package demo

import (
	"context"
	"log/slog"
	"slices"
	"sync"
)

// logSink keeps the log records that say something went wrong: warnings
// and errors, and envelopes whose handler refused, failed or was missing.
type logSink struct {
	mu  sync.Mutex
	bad []string
}

func (l *logSink) Enabled(context.Context, slog.Level) bool { return true }

func (l *logSink) Handle(_ context.Context, r slog.Record) error {
	var outcome, key, errText string
	visit := func(a slog.Attr) bool {
		switch a.Key {
		case "outcome":
			outcome = a.Value.String()
		case "key":
			key = a.Value.String()
		case "err":
			errText = a.Value.String()
		}
		return true
	}
	r.Attrs(visit)
	// In the demo nothing should even warn: a retried delivery, a failed
	// answer after the ack or an ignored frame is a step gone wrong.
	bad := r.Level >= slog.LevelWarn
	if r.Message == "envelope" && slices.Contains([]string{"refused", "error", "panic", "unknown_command", "unhandled", "bad_payload", "slow"}, outcome) {
		bad = true
	}
	if !bad {
		return nil
	}
	line := r.Message
	for _, s := range []struct{ k, v string }{{"outcome", outcome}, {"key", key}, {"err", errText}} {
		if s.v != "" {
			line += " " + s.k + "=" + s.v
		}
	}
	l.mu.Lock()
	l.bad = append(l.bad, line)
	l.mu.Unlock()
	return nil
}

func (l *logSink) WithAttrs(as []slog.Attr) slog.Handler {
	return &logView{sink: l, attrs: as}
}

func (l *logSink) WithGroup(string) slog.Handler { return l }

// logView is the sink seen through loggers made With attributes.
type logView struct {
	sink  *logSink
	attrs []slog.Attr
}

func (v *logView) Enabled(ctx context.Context, lv slog.Level) bool { return true }

func (v *logView) Handle(ctx context.Context, r slog.Record) error {
	r = r.Clone()
	r.AddAttrs(v.attrs...)
	return v.sink.Handle(ctx, r)
}

func (v *logView) WithAttrs(as []slog.Attr) slog.Handler {
	return &logView{sink: v.sink, attrs: append(slices.Clone(v.attrs), as...)}
}

func (v *logView) WithGroup(string) slog.Handler { return v }

func (l *logSink) problems() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.bad)
}
