package bot_test

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// Slack escapes &, < and > in a slash command's text (escaping is on), so
// "/pulse export R&D" arrives as "export R&amp;D". Every command that
// takes a name reads it as the person typed it.
func TestCommandsReadNamesAsTyped(t *testing.T) {
	h := start(t)
	h.Slack.AddChannel("C0SALES", "sales")
	rnd := h.createTeam("R&D <East>", []string{mgrA}, []string{repA1})
	h.createTeam("Nordic", []string{mgrA}, []string{repA2})

	t.Run("export names the team", func(t *testing.T) {
		got := h.command(mgrA, "export R&amp;D &lt;East&gt; 2026-02-23 2026-02-27")
		want := h.en("export.preparing", map[string]any{"Team": escaped("R&D <East>"), "From": "Mon 23 Feb", "To": "Fri 27 Feb"})
		wantText(t, "/pulse export R&D <East>", got, want)
		h.waitFor("the export uploaded", func() bool { return len(h.Slack.Files()) == 1 })
		if f := h.Slack.Files()[0]; !strings.HasPrefix(f.Name, "pulse-r-d-east-") {
			t.Errorf("exported %q, want R&D <East>'s file", f.Name)
		}
	})

	t.Run("setup names the team", func(t *testing.T) {
		h.opens(mgrA, "setup R&amp;D &lt;East&gt;")
		v := h.openedView(1)
		if v.PrivateMetadata != rnd.ID {
			t.Errorf("setup opened team %q, want R&D <East> (%s)", v.PrivateMetadata, rnd.ID)
		}
		if el, ok := inputElement(t, v, "name").(*slack.PlainTextInputBlockElement); !ok || el.InitialValue != "R&D <East>" {
			t.Errorf("the name input holds %+v, want R&D <East>", el)
		}
	})

	t.Run("training names the skill", func(t *testing.T) {
		h.command(mgrA, "training Q&amp;A &lt;close&gt; <@"+repA1+">")
		trs, err := h.DB.TeamTrainings(t.Context(), rnd.ID, ciMonday, ciMonday)
		if err != nil || len(trs) != 1 || trs[0].Skill != "Q&A <close>" {
			t.Errorf("stored trainings %+v (%v), want one of skill Q&A <close>", trs, err)
		}
	})

	t.Run("lang names the language it does not know", func(t *testing.T) {
		got := h.command(repA1, "lang R&amp;D")
		wantText(t, "/pulse lang R&D", got, escaped(h.en("err.lang", map[string]any{"Value": "R&D"})))
	})

	for _, tt := range []struct{ name, text, key, value string }{
		{"kudos names the person Slack did not recognise", "kudos @R&amp;D well done", "commands.mention_plain", "@R&D"},
		{"1on1 names the person it does not know", "1on1 R&amp;D notes", "err.user_unknown", "R&D"},
		{"training names the person Slack did not recognise", "training Demos <@" + repA1 + "> @Q&amp;A", "commands.mention_plain", "@Q&A"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := h.command(mgrA, tt.text)
			wantText(t, "/pulse "+tt.text, got, escaped(h.en(tt.key, map[string]any{"Value": tt.value})))
		})
	}

	t.Run("an unknown command is named", func(t *testing.T) {
		got := h.command(repA1, "R&amp;D now")
		if want := escaped(h.en("command.unknown", map[string]any{"Command": "R&D"})); got.Text != want {
			t.Errorf("/pulse R&D answered %q, want %q", got.Text, want)
		}
	})
	if _, err := h.DB.Person(t.Context(), repA1); !pulse.IsNotFound(err) {
		t.Errorf("a refused /pulse lang stored the person (err %v)", err)
	}
}
