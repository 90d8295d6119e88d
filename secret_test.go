package pulse_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
)

func TestSecretNeverPrints(t *testing.T) {
	const value = "pat-na1-verysecretvalue"
	s := pulse.NewSecret(value)
	holder := struct{ Token pulse.Secret }{s}

	var jsonLog, textLog bytes.Buffer
	slog.New(slog.NewJSONHandler(&jsonLog, nil)).Info("x", "token", s, "holder", holder)
	slog.New(slog.NewTextHandler(&textLog, nil)).Info("x", "token", s, "holder", holder)
	asJSON, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}

	outputs := []struct{ name, out string }{
		{"%v prints it redacted", fmt.Sprintf("%v", s)},
		{"%s prints it redacted", fmt.Sprintf("%s", s)},
		{"%q prints it redacted", fmt.Sprintf("%q", s)},
		{"%x prints it redacted", fmt.Sprintf("%x", s)},
		{"%d prints it redacted", fmt.Sprintf("%d", s)},
		{"%#v of a struct holding it prints it redacted", fmt.Sprintf("%#v", holder)},
		{"%+v of a struct holding it prints it redacted", fmt.Sprintf("%+v", holder)},
		{"encoding/json writes it redacted", string(asJSON)},
		{"slog's JSON handler logs it redacted", jsonLog.String()},
		{"slog's text handler logs it redacted", textLog.String()},
	}
	for _, o := range outputs {
		t.Run(o.name, func(t *testing.T) {
			if strings.Contains(o.out, "verysecret") || strings.Contains(o.out, "766572797365637265") {
				t.Errorf("the secret shows: %s", o.out)
			}
			if !strings.Contains(o.out, "[redacted]") {
				t.Errorf("no [redacted] in %s", o.out)
			}
		})
	}
	if got := s.Reveal(); got != value {
		t.Errorf("Reveal() = %q, want %q", got, value)
	}
	if s.IsZero() || !(pulse.Secret{}).IsZero() {
		t.Errorf("IsZero: %v for a held value, %v for the zero Secret", s.IsZero(), (pulse.Secret{}).IsZero())
	}
}
