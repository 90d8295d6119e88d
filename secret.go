package pulse

import (
	"fmt"
	"io"
	"log/slog"
)

// redacted is what a Secret shows wherever it is printed.
const redacted = "[redacted]"

// Secret holds a credential: a Slack token, a CRM's API token. Every way of
// printing it (fmt's verbs, JSON, text encoders, slog) shows [redacted], so
// a credential cannot reach a log line or a panic message by accident;
// Reveal is the one way to read it. Credentials come from the environment
// and are never stored.
type Secret struct{ value string }

// NewSecret holds s.
func NewSecret(s string) Secret { return Secret{value: s} }

// Reveal returns the credential itself, for the client that sends it and
// nothing else.
func (s Secret) Reveal() string { return s.value }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.value == "" }

// Decode stores an environment variable's value; envconfig's Decoder
// interface.
func (s *Secret) Decode(value string) error {
	s.value = value
	return nil
}

// String returns [redacted].
func (s Secret) String() string { return redacted }

// GoString returns [redacted], for %#v.
func (s Secret) GoString() string { return redacted }

// Format prints [redacted] for every verb, so no verb such as %x or %d can
// spell the secret out.
func (s Secret) Format(f fmt.State, verb rune) { io.WriteString(f, redacted) }

// MarshalText returns [redacted], for encoding/json and text encoders.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue returns [redacted], for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }
