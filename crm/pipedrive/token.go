package pipedrive

import (
	"fmt"
	"io"
	"log/slog"
)

// redacted is what a Token shows wherever it is printed.
const redacted = "[redacted]"

// Token holds a Pipedrive API token. Every way of printing it (fmt's verbs,
// JSON, text encoders, slog) shows [redacted], so it cannot reach a log line,
// an error or a panic message by accident. Only the client reads it, to put
// it in the x-api-token header of a request: never in a URL, which errors
// from net/http quote.
//
// cmd/pulse's Token does the same for Slack's tokens, but it lives in package
// main, which nothing can import.
type Token struct{ value string }

// NewToken wraps the API token found under the user's Personal preferences →
// API in Pipedrive.
func NewToken(s string) Token { return Token{value: s} }

// IsZero reports whether the token is empty.
func (t Token) IsZero() bool { return t.value == "" }

// String returns [redacted].
func (t Token) String() string { return redacted }

// GoString returns [redacted], for %#v.
func (t Token) GoString() string { return redacted }

// Format prints [redacted] for every verb, so no verb such as %x or %d can
// spell the token out.
func (t Token) Format(f fmt.State, verb rune) { io.WriteString(f, redacted) }

// MarshalText returns [redacted], for encoding/json and text encoders.
func (t Token) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue returns [redacted], for log/slog.
func (t Token) LogValue() slog.Value { return slog.StringValue(redacted) }
