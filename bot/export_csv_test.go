package bot_test

import (
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
)

func TestExportSendsTheManagerACSVInTheirDM(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	const mgr, rep = "UMGR00001", "UREP00001"
	team := h.createTeam("Nordic, North", []string{mgr}, []string{rep})
	if err := h.DB.SavePerson(ctx, &pulse.Person{ID: rep, Name: "Олег \"Ace\", Jr."}); err != nil {
		t.Fatal(err)
	}
	// The clock stands at Monday 2026-03-02 09:00 UTC.
	c := &pulse.CheckIn{TeamID: team.ID, UserID: rep, Date: pulse.MustDate("2026-02-27"), Status: pulse.CheckInOnTime, Energy: 4,
		Plan: "Call Acme,\nthen Globex", SubmittedAt: h.Clock.Now(), UpdatedAt: h.Clock.Now()}
	if err := h.DB.SaveCheckIn(ctx, c); err != nil {
		t.Fatal(err)
	}

	r := decodeReply(t, h.ack(h.slash(mgr, "export 2026-02-23 2026-02-27"), 1))
	if !strings.Contains(r.Text, "Preparing the export") {
		t.Errorf("ack says %q", r.Text)
	}
	var f slacktest.File
	h.waitFor("the file uploaded", func() bool {
		fs := h.Slack.Files()
		if len(fs) == 1 {
			f = fs[0]
		}
		return len(fs) == 1
	})
	dm, _, _, err := h.Bot.API().OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{mgr}})
	if err != nil {
		t.Fatal(err)
	}
	if f.Channel != dm.ID {
		t.Errorf("file went to %s, want the manager's DM %s", f.Channel, dm.ID)
	}
	if f.Name != "pulse-nordic-north-2026-02-23-2026-02-27.csv" || !strings.Contains(f.InitialComment, "5 rows") {
		t.Errorf("file %q with comment %q", f.Name, f.InitialComment)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(f.Bytes), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("read the file back: %v", err)
	}
	if len(recs) != 6 || recs[0][0] != "Date" || recs[5][2] != "Олег \"Ace\", Jr." || recs[5][6] != "Call Acme,\nthen Globex" || recs[1][3] != "missed" {
		t.Errorf("file rows: %q", recs)
	}
}

func TestExportRefusesAndExplains(t *testing.T) {
	tests := []struct {
		name string
		user string
		args string
		want string
	}{
		{"a rep", "UREP00001", "export", "Only the team's managers"},
		{"a date that does not exist", "UMGR00001", "export 2026-13-40", "2026-13-40"},
		{"dates in the wrong order", "UMGR00001", "export 2026-02-27 2026-02-01", "comes before"},
		{"a team the manager does not manage", "UMGR00001", "export Bergen", "Only the team's managers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t)
			h.createTeam("Nordic", []string{"UMGR00001"}, []string{"UREP00001"})
			r := decodeReply(t, h.ack(h.slash(tt.user, tt.args), 1))
			if !strings.Contains(r.allText(), tt.want) || strings.Contains(r.Text, "Preparing") {
				t.Errorf("answer %q, want it to mention %q", r.allText(), tt.want)
			}
			if n := len(h.Slack.Files()); n != 0 {
				t.Errorf("%d files uploaded", n)
			}
		})
	}
}
