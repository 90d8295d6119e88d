package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/salespulse/pulse"
)

// The director of Nordic Sales, who leads its managers but checks in nowhere.
const director = "UDIR00001"

// seedLeader makes Dora Nordic's director and gives its reps some feedback.
func seedLeader(t *testing.T, f *fixture) {
	t.Helper()
	ctx := t.Context()
	if err := f.db.SavePerson(ctx, &pulse.Person{ID: director, Name: "Dora Vik", TZ: "Europe/Oslo"}); err != nil {
		t.Fatal(err)
	}
	f.team.Directors = []string{director}
	if err := f.db.UpdateTeam(ctx, f.team); err != nil {
		t.Fatal(err)
	}
	today := pulse.DateOf(fixtureNow)
	for i := range 12 {
		day := today.AddDays(-i)
		for j, rep := range []string{rep1, rep2} {
			if (i+j)%3 == 0 {
				continue
			}
			fb := &pulse.Feedback{TeamID: f.team.ID, RepID: rep, Date: day, From: manager, Kind: pulse.FeedbackPraise,
				Text: "Strong follow-up with " + rep, At: day.At(11*60, f.team.Location())}
			if err := f.db.SaveFeedback(ctx, fb); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestADirectorSeesTheTeamItsRepsAndTheManagersPulse(t *testing.T) {
	f := newFixture(t)
	seedLeader(t, f)
	c := client(t)
	_, home := signIn(t, c, f.link(t, director))
	if !strings.Contains(home, "Nordic Sales") {
		t.Fatalf("a director's home lacks the team they direct:\n%s", home)
	}
	status, team := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"?weeks=4")
	if status != http.StatusOK || !strings.Contains(team, "Feedback given") || !strings.Contains(team, "Nora Berg") {
		t.Fatalf("a director's team page: %d", status)
	}
	if strings.Contains(team, "Download CSV") {
		t.Error("a director is offered the export, which is the managers'")
	}
	status, rep := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"/reps/"+rep1)
	if status != http.StatusOK || !strings.Contains(rep, "Strong follow-up with "+rep1) {
		t.Errorf("a director's view of a rep: %d", status)
	}
	if strings.Contains(rep, "Secret: wants to move") {
		t.Error("a director reads 1:1 notes, which are the managers' only")
	}
	status, leader := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"/leaders/"+manager+"?weeks=13")
	if status != http.StatusOK || strings.Count(leader, "<svg") != 6 || strings.Count(leader, "<table") != 6 {
		t.Errorf("the manager's pulse for their director: %d, %d charts, %d tables", status, strings.Count(leader, "<svg"), strings.Count(leader, "<table"))
	}
	for _, want := range []string{"Feedback to every rep", "1:1s held when due", "Nora Berg"} {
		if !strings.Contains(leader, want) {
			t.Errorf("the leader page lacks %q", want)
		}
	}
	_, page := get(t, c, f.srv.URL+"/teams/"+f.team.ID)
	if status, _ := post(t, c, f.srv.URL+"/teams/"+f.team.ID+"/export", url.Values{"csrf": {csrfOf(t, page)}}); status != http.StatusForbidden {
		t.Errorf("a director's export: %d, want 403", status)
	}
	if status, _ := get(t, c, f.srv.URL+"/teams/"+f.other.ID); status != http.StatusForbidden {
		t.Errorf("a director's view of a team they do not direct: %d, want 403", status)
	}
}

func TestTheLeadersPulseIsTheManagersAndTheirDirectorsOnly(t *testing.T) {
	f := newFixture(t)
	seedLeader(t, f)
	leaderURL := f.srv.URL + "/teams/" + f.team.ID + "/leaders/" + manager
	mgr := client(t)
	_, home := signIn(t, mgr, f.link(t, manager))
	if !strings.Contains(home, "Your leadership pulse") {
		t.Error("a manager's home does not link their own pulse")
	}
	if status, _ := get(t, mgr, leaderURL+"?weeks=52"); status != http.StatusOK {
		t.Errorf("a manager's own pulse: %d", status)
	}
	for who, user := range map[string]string{"a rep": rep1, "another team's manager": otherManager} {
		c := client(t)
		signIn(t, c, f.link(t, user))
		if status, body := get(t, c, leaderURL); status != http.StatusForbidden || strings.Contains(body, "Nora") {
			t.Errorf("%s opening the manager's pulse: %d", who, status)
		}
	}
	rep := client(t)
	signIn(t, rep, f.link(t, rep2))
	_, own := get(t, rep, f.srv.URL+"/teams/"+f.team.ID+"/reps/"+rep2)
	if !strings.Contains(own, "Feedback received") || !strings.Contains(own, "Strong follow-up with "+rep2) || strings.Contains(own, "Strong follow-up with "+rep1) {
		t.Error("a rep's page shows not exactly their own feedback")
	}
}

// The leader page counts, week by week, the blockers the manager resolved
// and those resolved within the team's limit, however long before the
// span a blocker was raised; another's, and an open one, are not counted.
func TestTheLeaderPageCountsTheBlockersTheManagerResolved(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	f.team.BlockerLimit = 2
	if err := f.db.UpdateTeam(ctx, f.team); err != nil {
		t.Fatal(err)
	}
	loc := f.team.Location()
	resolved := pulse.MustDate("2026-03-17").At(15*60, loc)
	for _, b := range []*pulse.Blocker{
		{UserID: rep1, Date: pulse.MustDate("2026-03-16"), Status: pulse.BlockerResolved, ResolvedBy: manager, ResolvedAt: resolved}, // in the limit
		{UserID: rep2, Date: pulse.MustDate("2025-06-02"), Status: pulse.BlockerResolved, ResolvedBy: manager, ResolvedAt: resolved}, // long before the span
		{UserID: rep2, Date: pulse.MustDate("2026-03-16"), Status: pulse.BlockerResolved, ResolvedBy: "UOTHER", ResolvedAt: resolved},
		{UserID: rep1, Date: pulse.MustDate("2026-03-17"), Status: pulse.BlockerOpen},
	} {
		b.TeamID, b.Text, b.RaisedAt = f.team.ID, "Waiting for the pricing approval", b.Date.At(9*60, loc)
		if err := f.db.SaveBlocker(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	c := client(t)
	signIn(t, c, f.link(t, manager))
	status, page := get(t, c, f.srv.URL+"/teams/"+f.team.ID+"/leaders/"+manager+"?weeks=13")
	if status != http.StatusOK {
		t.Fatalf("the leader page: %d", status)
	}
	_, section, _ := strings.Cut(page, `<section id="leader-blockers"`)
	section, _, _ = strings.Cut(section, "</section>")
	rows := strings.Split(strings.TrimSpace(section[strings.LastIndex(section, "<tbody>"):]), "<tr>")
	if last := rows[len(rows)-1]; !strings.Contains(last, "<td>1</td><td>2</td>") {
		t.Errorf("this week's blockers row = %q, want 1 in the limit of 2 resolved", last)
	}
	for _, row := range rows[1 : len(rows)-1] {
		if !strings.Contains(row, "<td>0</td><td>0</td>") {
			t.Errorf("an earlier week counts blockers: %q", row)
		}
	}
}
