package bot

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack/socketmode"

	"github.com/salespulse/pulse"
)

// envelopeLine collects what the one log line of an envelope says. It
// holds IDs, names and outcomes, never what a person wrote: not a slash
// command's text, not a modal's values, not an unknown command's word.
type envelopeLine struct {
	env      *socketmode.Request
	target   target
	user     string
	outcome  string // ok, unknown_command, refused, error, panic, slow, duplicate, unhandled, bad_payload
	key      string // the catalogue key the person was answered with, if an error
	err      error  // internal errors and bad payloads, for the operator
	received time.Time
	acked    time.Time
	ackErr   error
}

// logEnvelope writes the envelope's line: at info when all went as it
// should, at warn when the ack failed or the payload was bad, at error when
// a handler failed or panicked.
func (b *Bot) logEnvelope(l *envelopeLine) {
	kind := envelopeKind(l.env.Type)
	b.cfg.Metrics.Envelope(kind)
	if l.ackErr == nil && !l.acked.IsZero() {
		b.cfg.Metrics.Ack(kind, l.acked.Sub(l.received))
	}
	level := slog.LevelInfo
	switch {
	case l.outcome == "error" || l.outcome == "panic":
		level = slog.LevelError
	case l.outcome == "bad_payload" || l.ackErr != nil:
		level = slog.LevelWarn
	}
	if !b.log.Enabled(context.Background(), level) {
		return
	}
	attrs := make([]slog.Attr, 0, 12)
	attrs = append(attrs,
		slog.String("type", l.env.Type),
		slog.String("envelope_id", l.env.EnvelopeID),
		slog.Int("retry_attempt", l.env.RetryAttempt),
	)
	if l.env.RetryReason != "" {
		attrs = append(attrs, slog.String("retry_reason", l.env.RetryReason))
	}
	if l.target.kind != "" && l.target.kind != routeOther {
		attrs = append(attrs, slog.String(string(l.target.kind), l.target.name))
	} else if l.target.name != "" {
		attrs = append(attrs, slog.String("unhandled_type", l.target.name))
	}
	if l.user != "" {
		attrs = append(attrs, slog.String("user", l.user))
	}
	attrs = append(attrs, slog.String("outcome", l.outcome))
	if l.key != "" {
		attrs = append(attrs, slog.String("key", l.key))
	}
	if l.err != nil {
		attrs = append(attrs, slog.String("err", errForLog(l.err)))
	}
	if l.ackErr != nil {
		attrs = append(attrs, slog.String("ack_err", l.ackErr.Error()))
	} else if !l.acked.IsZero() {
		attrs = append(attrs, slog.Duration("latency", l.acked.Sub(l.received)))
	}
	b.log.LogAttrs(context.Background(), level, "envelope", attrs...)
}

// envelopeKind is an envelope's type as a metric label: one of the few
// Slack sends, so that a stray frame cannot add a series.
func envelopeKind(t string) string {
	switch t {
	case socketmode.RequestTypeSlashCommands, socketmode.RequestTypeInteractive, socketmode.RequestTypeEventsAPI:
		return t
	}
	return "other"
}

// RedactURL returns the URL s fit for a log line or an error: a password in
// it shows as xxxxx (url.URL.Redacted), so a proxy's credentials in
// PULSE_SLACK_API_URL stay as secret as a token. Of a string that does not
// parse as a URL with an authority, everything before its last @ (after
// any scheme) is left out, since there is no telling user from password.
func RedactURL(s string) string {
	if u, err := url.Parse(s); err == nil && u.Opaque == "" {
		return u.Redacted()
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return s
	}
	start := 0
	if i := strings.Index(s, "://"); i >= 0 && i < at {
		start = i + len("://")
	}
	return s[:start] + "xxxxx" + s[at:]
}

// errForLog is err as the log may show it: the operator's message of a
// *pulse.Error can quote what a person typed, so only its code and key go
// in; other errors in full.
func errForLog(err error) string {
	if c := pulse.ErrorCode(err); c != pulse.EINTERNAL {
		key, _ := pulse.ErrorKey(err)
		return c + " " + key
	}
	return err.Error()
}
