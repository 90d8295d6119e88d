package bot_test

import (
	"slices"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

func TestCommandsParseMention(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		ok   bool
	}{
		{"a mention with a name is read", "<@U123ABC|maria>", "U123ABC", true},
		{"a mention without a name is read", "<@U123ABC>", "U123ABC", true},
		{"an enterprise user ID is read", "<@W0AB12>", "W0AB12", true},
		{"surrounding spaces are ignored", "  <@U123ABC>  ", "U123ABC", true},
		{"a plain @name is not a mention", "@maria", "", false},
		{"an empty string is not a mention", "", "", false},
		{"a bare user ID is not a mention", "U123ABC", "", false},
		{"a missing closing bracket is refused", "<@U123ABC", "", false},
		{"an empty mention is refused", "<@>", "", false},
		{"an empty ID before the name is refused", "<@|maria>", "", false},
		{"a lowercase ID is refused", "<@u123abc>", "", false},
		{"a channel is not a user", "<#C123ABC|sales>", "", false},
		{"extra text after the mention is refused", "<@U123ABC>x", "", false},
		{"two mentions in one word are refused", "<@U123ABC><@U456DEF>", "", false},
		{"a user group is not a user", "<!subteam^S123|team>", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := bot.ParseMention(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseMention(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCommandsParseChannel(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		ok   bool
	}{
		{"a channel with a name is read", "<#C123ABC|sales>", "C123ABC", true},
		{"a channel without a name is read", "<#C123ABC>", "C123ABC", true},
		{"a private channel is read", "<#G0PRIV|secret>", "G0PRIV", true},
		{"a plain #name is not a channel", "#sales", "", false},
		{"an empty string is not a channel", "", "", false},
		{"a user is not a channel", "<@U123ABC>", "", false},
		{"a malformed ID is refused", "<#X123|sales>", "", false},
		{"extra junk is refused", "<#C123ABC|sales> now", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := bot.ParseChannel(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseChannel(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestCommandsMentionArgSaysWhatIsWrong(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		wantKey string
	}{
		{"a mention gives its user", "<@U1AAA|maria>", "U1AAA", ""},
		{"a plain @name is explained", "@bob", "", "commands.mention_plain"},
		{"nothing is a missing mention", " ", "", "commands.mention_missing"},
		{"other text is an unknown user", "bob", "", "err.user_unknown"},
		{"a malformed mention is an unknown user", "<@nope>", "", "err.user_unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bot.MentionArg(tt.in)
			key, _ := pulse.ErrorKey(err)
			if err == nil {
				key = ""
			}
			if got != tt.want || key != tt.wantKey {
				t.Errorf("MentionArg(%q) = %q, key %q; want %q, key %q", tt.in, got, key, tt.want, tt.wantKey)
			}
		})
	}
}

func TestCommandsSplitArgs(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		n         int
		wantWords []string
		wantRest  string
	}{
		{"one word and the rest", "<@U1AAA> great call  today", 1, []string{"<@U1AAA>"}, "great call  today"},
		{"two words and nothing left", "2026-03-02 2026-03-06", 2, []string{"2026-03-02", "2026-03-06"}, ""},
		{"fewer words than asked", "2026-03-02", 2, []string{"2026-03-02"}, ""},
		{"empty text", "   ", 1, nil, ""},
		{"tabs and newlines split words", "a\tb\nc d", 2, []string{"a", "b"}, "c d"},
		{"line breaks in the rest are kept", "<@U1AAA> line one\nline two", 1, []string{"<@U1AAA>"}, "line one\nline two"},
		{"zero words keeps it all", "  all of it ", 0, nil, "all of it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			words, rest := bot.SplitArgs(tt.in, tt.n)
			if !slices.Equal(words, tt.wantWords) || rest != tt.wantRest {
				t.Errorf("SplitArgs(%q, %d) = %q, %q; want %q, %q", tt.in, tt.n, words, rest, tt.wantWords, tt.wantRest)
			}
		})
	}
}

func TestCommandsSplitMentions(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		wantText  string
		wantUsers []string
		wantKey   string
	}{
		{"a skill and two reps", "Objection handling <@U1AAA|maria> <@U2BBB>", "Objection handling", []string{"U1AAA", "U2BBB"}, ""},
		{"a repeated rep counts once", "Demo <@U1AAA> <@U1AAA|maria>", "Demo", []string{"U1AAA"}, ""},
		{"no text before the mentions", "<@U1AAA>", "", []string{"U1AAA"}, ""},
		{"no mention at all", "Objection handling", "", nil, "commands.mention_missing"},
		{"a plain @name among mentions", "Demo <@U1AAA> @bob", "", nil, "commands.mention_plain"},
		{"junk after the mentions", "Demo <@U1AAA> and more", "", nil, "err.user_unknown"},
		{"a malformed mention", "Demo <@U1AAA", "", nil, "err.user_unknown"},
		{"empty text", "", "", nil, "commands.mention_missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, users, err := bot.SplitMentions(tt.in)
			key := ""
			if err != nil {
				key, _ = pulse.ErrorKey(err)
			}
			if text != tt.wantText || !slices.Equal(users, tt.wantUsers) || key != tt.wantKey {
				t.Errorf("SplitMentions(%q) = %q, %q, key %q; want %q, %q, key %q", tt.in, text, users, key, tt.wantText, tt.wantUsers, tt.wantKey)
			}
		})
	}
}

func TestCommandsParseDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"a real day", "2026-03-02", true},
		{"a leap day", "2028-02-29", true},
		{"an impossible month and day", "2026-13-40", false},
		{"February the 30th", "2026-02-30", false},
		{"day first", "02-03-2026", false},
		{"empty", "", false},
		{"extra junk", "2026-03-02x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := bot.ParseDate(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseDate(%q) error = %v; want ok %v", tt.in, err, tt.ok)
			}
			if err != nil {
				if key, _ := pulse.ErrorKey(err); key != "err.date" {
					t.Errorf("ParseDate(%q) key = %q; want err.date", tt.in, key)
				}
			} else if d.String() != tt.in {
				t.Errorf("ParseDate(%q) = %s", tt.in, d)
			}
		})
	}
}

func TestCommandsUnescapeText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"Slack's escapes are undone", "a &lt;b&gt; &amp; c", "a <b> & c"},
		{"an escaped escape is undone once", "&amp;lt;", "&lt;"},
		{"mentions are kept", "thanks <@U1AAA|maria>", "thanks <@U1AAA|maria>"},
		{"plain text is kept", "10 calls", "10 calls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bot.UnescapeText(tt.in); got != tt.want {
				t.Errorf("UnescapeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
