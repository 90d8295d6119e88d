package bot_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot"
)

// An export is written to a temporary file and uploaded from it; while one
// is on its way (its upload held by the stand-in), the same person's next
// is refused with a sentence in their language, and once it has arrived
// the file is gone and a new export may start.
func TestASecondExportByTheSamePersonWhileOneRunsIsAnsweredBusy(t *testing.T) {
	for _, lang := range pulse.Langs {
		t.Run(string(lang), func(t *testing.T) {
			tmp := t.TempDir()
			h := start(t, withConfig(func(c *bot.Config) { c.TempDir = tmp }))
			const mgr, rep = "UMGR00001", "UREP00001"
			h.createTeam("Nordic", []string{mgr}, []string{rep})
			if err := h.DB.SavePerson(context.Background(), &pulse.Person{ID: mgr, Name: "Ingrid", Lang: lang}); err != nil {
				t.Fatal(err)
			}
			release := h.Slack.Hold("files.getUploadURLExternal")
			defer release()

			if r := h.command(mgr, "export"); strings.Contains(r.Text, "busy") || r.Text == h.Bot.Catalog().T(lang, "export.busy_yours", nil) {
				t.Fatalf("the first export was refused: %q", r.Text)
			}
			r := h.command(mgr, "export")
			if want := escaped(h.Bot.Catalog().T(lang, "export.busy_yours", nil)); r.Text != want {
				t.Errorf("the second export answered %q, want %q", r.Text, want)
			}

			// While the upload waits, the file is on disk, readable by
			// Pulse alone.
			h.waitFor("the export written to a temporary file", func() bool {
				names, err := os.ReadDir(tmp)
				return err == nil && len(names) == 1
			})
			names, _ := os.ReadDir(tmp)
			if fi, err := names[0].Info(); err != nil || !strings.HasPrefix(fi.Name(), "pulse-export-") || fi.Mode().Perm() != 0o600 {
				t.Errorf("temporary file %v: %v; want pulse-export-… with mode 0600", fi, err)
			}

			release()
			h.waitFor("the first export uploaded", func() bool { return len(h.Slack.Files()) == 1 })
			h.waitFor("the temporary file removed", func() bool {
				names, err := os.ReadDir(tmp)
				return err == nil && len(names) == 0
			})
			// The slot frees as the upload returns, a moment after Slack
			// has the file.
			h.waitFor("a new export to be taken", func() bool {
				return h.command(mgr, "export").Text != escaped(h.Bot.Catalog().T(lang, "export.busy_yours", nil))
			})
			h.waitFor("the next export uploaded", func() bool { return len(h.Slack.Files()) == 2 })
			if n := len(h.Slack.Files()); n != 2 {
				t.Errorf("%d files uploaded, want 2: the refused export must not be made", n)
			}
		})
	}
}

// At most ExportsAtOnce exports are made at once, whoever asks.
func TestExportsAreCappedInAll(t *testing.T) {
	h := start(t, withConfig(func(c *bot.Config) { c.ExportsAtOnce = 2; c.TempDir = t.TempDir() }))
	mgrs := []string{"UMGR00001", "UMGR00002", "UMGR00003"}
	for i, m := range mgrs {
		h.createTeam("Team "+string(rune('A'+i)), []string{m}, []string{"UREP0000" + string(rune('1'+i))})
	}
	release := h.Slack.Hold("files.getUploadURLExternal")
	defer release()

	for _, m := range mgrs[:2] {
		if r := h.command(m, "export"); !strings.Contains(r.Text, "Preparing the export") {
			t.Fatalf("export by %s answered %q", m, r.Text)
		}
	}
	if r := h.command(mgrs[2], "export"); r.Text != escaped(h.en("export.busy", nil)) {
		t.Errorf("a third export at once answered %q, want %q", r.Text, h.en("export.busy", nil))
	}

	release()
	h.waitFor("both exports uploaded", func() bool { return len(h.Slack.Files()) == 2 })
	h.waitFor("a slot to free", func() bool {
		return strings.Contains(h.command(mgrs[2], "export").Text, "Preparing the export")
	})
	h.waitFor("the third export uploaded", func() bool { return len(h.Slack.Files()) == 3 })
}
