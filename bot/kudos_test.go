package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func kudosOf(t *testing.T, h *harness, team *pulse.Team) []pulse.Kudos {
	t.Helper()
	ks, err := h.DB.TeamKudos(t.Context(), team.ID, time.Time{}, h.Clock.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func TestCommandsKudos(t *testing.T) {
	h := start(t)
	nordic, baltic := seedTeams(h)
	// Slack escapes what was typed: "Great demo & a signed deal with <@UREPB1|bo> <!channel>".
	got := h.command(repA2, "kudos <@UREPA1|anna> Great demo &amp; a signed deal with <@UREPB1|bo> <!channel>")
	wantText(t, "/pulse kudos", got, h.en("commands.kudos_saved", map[string]any{"Rep": "<@UREPA1>", "Channel": "<#C0SALES>"}))
	ks := kudosOf(t, h, nordic)
	if len(ks) != 1 || ks[0].From != repA2 || ks[0].To != repA1 || ks[0].Text != "Great demo & a signed deal with <@UREPB1|bo> <!channel>" {
		t.Fatalf("stored %+v, want kudos from %s to %s", ks, repA2, repA1)
	}
	post := h.Bot.Catalog().T(nordic.Lang, "commands.kudos_post", map[string]any{"From": "<@UREPA2>", "To": "<@UREPA1>", "Text": "Great demo &amp; a signed deal with <@UREPB1|bo> &lt;!channel&gt;"})
	h.waitFor("the kudos in the team channel", func() bool {
		for _, m := range h.Slack.Messages("C0SALES") {
			if m.Text == post && !m.Ephemeral {
				return true
			}
		}
		return false
	})

	refusals := []struct {
		name string
		user string
		args string
		want string
	}{
		{"kudos to oneself", repA1, "kudos <@UREPA1> me!", h.en("err.kudos_self", nil)},
		{"no text", mgrA, "kudos <@UREPA1>", h.en("commands.kudos_usage", nil)},
		{"no mention", mgrA, "kudos", h.en("commands.kudos_usage", nil)},
		{"a plain @name", mgrA, "kudos @anna well done", h.en("commands.mention_plain", map[string]any{"Value": "@anna"})},
		{"a malformed mention", mgrA, "kudos <@> well done", h.en("err.user_unknown", map[string]any{"Value": "<@>"})},
		{"text over the limit", mgrA, "kudos <@UREPA1> " + strings.Repeat("k", pulse.MaxTextLen+1), h.en("err.too_long", map[string]any{"Max": pulse.MaxTextLen})},
		{"another team's rep", repA1, "kudos <@UREPB1> well done", h.en("deny.kudos", nil)},
		{"a manager, who is no rep", repA1, "kudos <@UMGRA> well done", h.en("deny.kudos", nil)},
		{"someone in no team", outsider, "kudos <@UREPA1> well done", h.en("deny.kudos", nil)},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			wantText(t, tt.name, h.command(tt.user, tt.args), escaped(tt.want))
			if n := len(kudosOf(t, h, nordic)); n != 1 {
				t.Errorf("after a refusal Nordic has %d kudos, want 1", n)
			}
			if n := len(kudosOf(t, h, baltic)); n != 0 {
				t.Errorf("a refusal stored kudos in Baltic")
			}
		})
	}
	posts := 0
	for _, m := range h.Slack.Messages("C0SALES") {
		if !m.Ephemeral && !m.ViaAck {
			posts++
		}
	}
	if posts != 1 {
		t.Errorf("the channel got %d posts, want only the one kudos", posts)
	}
}
