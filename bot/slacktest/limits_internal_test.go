package slacktest

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzCountRunes holds countRunes to what matters: the length of the string
// encoding/json decodes, for any valid JSON string literal.
func FuzzCountRunes(f *testing.F) {
	for _, body := range []string{
		"",
		"plain ascii",
		"é and 😀 as UTF-8",
		`\u00e9 escaped`,
		`\ud83d\ude00 a surrogate pair`,
		`\ud83d lone high surrogate`,
		`\ude00 lone low surrogate`,
		`\ud83d\u0041 high surrogate then a letter`,
		`\ud83d\ud83d\ude00 two highs then a low`,
		`\ud83d\n high surrogate then an escape`,
		`\"\\\/\b\f\n\r\t all short escapes`,
		"\xff\xfe invalid bytes",
		"\xe2\x82 truncated sequence",
		"\xed\xa0\x80 surrogate in UTF-8",
	} {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		lit := []byte(`"` + body + `"`)
		var s string
		if json.Unmarshal(lit, &s) != nil {
			t.Skip("not a JSON string literal")
		}
		if got, want := countRunes(lit[1:len(lit)-1]), utf8.RuneCountInString(s); got != want {
			t.Errorf("countRunes(%q) = %d, want %d (decoded %q)", body, got, want, s)
		}
	})
}
