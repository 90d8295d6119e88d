package bot

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/slacktest"
	"github.com/salespulse/pulse/storage"
)

func TestClipText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"fits", "Call Acme", 9, "Call Acme"},
		{"fits in characters, not in bytes", "Øst-Ålesund", 11, "Øst-Ålesund"},
		{"one over", "Call Acme!", 9, "Call Acm…"},
		{"a space before the cut goes", "Call Acme today", 6, "Call…"},
		{"an entity is kept whole", "ab&amp;cd", 5, "ab…"},
		{"an entity ending at the cut is kept", "ab&lt;cd", 7, "ab&lt;…"},
		{"a reference is kept whole", "hi <@U0123456> there", 8, "hi…"},
		{"a closed reference before the cut stays", "<@U1> and more text", 10, "<@U1> and…"},
		{"a lone < in plain text is text", "a < b and c", 7, "a < b…"},
		{"an emoji is one character, kept or dropped whole", "😀😀😀😀", 3, "😀😀…"},
		{"a flag's two code points count two", "🇳🇴🇳🇴", 3, "🇳🇴…"},
		{"a byte that is not UTF-8 counts one", "\xff\xfe\xfdabc", 4, "\xff\xfe\xfd…"},
		{"no room leaves nothing", "Call", 0, ""},
		{"room for one is the ellipsis", "Call", 1, "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clipText(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("clipText(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if c := utf8.RuneCountInString(got); c > tt.n {
				t.Errorf("clipText(%q, %d) has %d characters", tt.in, tt.n, c)
			}
		})
	}
}

func TestQuoteTextEscapesThenClips(t *testing.T) {
	got := quoteText(strings.Repeat("<&>\n", 750), 1000)
	if n := utf8.RuneCountInString(got); n > 1000 {
		t.Errorf("quote of 3,000 characters of markup has %d characters, want at most 1,000", n)
	}
	if !strings.HasPrefix(got, "> &lt;&amp;&gt;\n> ") || !strings.HasSuffix(got, "…") || cutEntity.MatchString(got) {
		t.Errorf("quote = …%q, want escaped lines, cut whole and marked", got[max(0, len(got)-40):])
	}
}

func TestEchoDataCutsOnlyTexts(t *testing.T) {
	long := strings.Repeat("9", 4000)
	data := map[string]any{"Value": long, "Max": 366, "From": "2026-01-01"}
	got := echoData(data)
	if v := got["Value"].(string); utf8.RuneCountInString(v) > maxEchoChars || !strings.HasPrefix(v, "999") {
		t.Errorf("Value echoed as %d characters, want a piece of at most %d", utf8.RuneCountInString(v), maxEchoChars)
	}
	if got["Max"] != 366 || got["From"] != "2026-01-01" {
		t.Errorf("echoData changed what needed no cut: %v", got)
	}
	if data["Value"] != long {
		t.Error("echoData changed its argument")
	}
}

// A clip that split an entity or a reference leaves its start before the
// ellipsis.
var (
	cutEntity    = regexp.MustCompile(`&(a|am|amp|l|lt|g|gt)…`)
	cutReference = regexp.MustCompile(`<[^<>]*…$`)
)

// FuzzRenderedTextFitsSlack puts any text, as typed and as dense as Pulse
// accepts, in every field a person fills (names of teams and metrics,
// goals, plans, blockers, commitments, skills, reports, kudos, what an
// error names back) and builds every message, answer and modal that shows
// it, in every language: each must pass the stand-in's Block Kit checks,
// and no clipped text may end in a cut entity or reference.
//
//	go test -run '^$' -fuzz FuzzRenderedTextFitsSlack -fuzztime 10m ./bot/
func FuzzRenderedTextFitsSlack(f *testing.F) {
	for _, s := range []string{"", "Call Acme", "<&>", "R&D", "<@U0123> & <#C0123>", "<!channel>", "😀🇳🇴é",
		"&amp;", "a\n> b\n\nc", "\xff\xfe", "`*_~", strings.Repeat("&", 90), "  lead  "} {
		f.Add(s)
	}
	db, err := storage.Open(filepath.Join(f.TempDir(), "pulse.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = db.Close() })
	b, err := New(Config{BotToken: "xoxb-fuzz", AppToken: "xapp-fuzz"}, db, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// One language an input, picked by its first byte, keeps the
		// fuzzer's pace; the seeds cover each.
		langs := pulse.Langs
		if s != "" {
			langs = langs[int(s[0])%len(langs):][:1]
		}
		for _, text := range []string{s, dense(s)} {
			for _, lang := range langs {
				renderEverything(t, b, lang, text)
			}
		}
	})
}

// dense is s repeated to the longest text Pulse accepts.
func dense(s string) string {
	if s == "" {
		return ""
	}
	return upTo(strings.Repeat(s, pulse.MaxTextLen/max(1, utf8.RuneCountInString(s))+1), pulse.MaxTextLen)
}

// upTo is s cut to n characters, as validation would hold it.
func upTo(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// orElse is s, or fallback where validation refuses a blank s.
func orElse(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}

// renderEverything builds what shows text, in lang, and checks each.
func renderEverything(t *testing.T, b *Bot, lang pulse.Lang, text string) {
	t.Helper()
	ctx := context.Background()
	day := pulse.MustDate("2026-03-02")
	skill, goal := orElse(upTo(text, pulse.MaxSkillLen), "Closing"), upTo(text, pulse.MaxGoalLen)
	team := pulse.NewTeam(orElse(upTo(text, pulse.MaxTeamNameLen), "Nordic"), "Europe/Oslo")
	team.ID, team.Lang, team.Channel = "T1", lang, "C1"
	team.Managers = []string{"UMGR"}
	for i := range 12 {
		team.Reps = append(team.Reps, "UREP"+string(rune('A'+i)))
	}
	for i := range pulse.MaxMetrics {
		team.Metrics = append(team.Metrics, pulse.Metric{Key: "m" + string(rune('a'+i)), Name: orElse(upTo(text, pulse.MaxMetricNameLen), "Calls"), Target: 10})
	}
	blocker := pulse.Blocker{ID: "B1", TeamID: team.ID, UserID: team.Reps[0], Date: day.AddDays(-5), Text: text, Status: pulse.BlockerOpen}
	var reps []pulse.RepCommitments
	var blockers []pulse.Blocker
	var commitments []pulse.Commitment
	for i, rep := range team.Reps {
		var cs []pulse.Commitment
		for j := range 3 {
			cs = append(cs, pulse.Commitment{ID: rep + string(rune('0'+j)), TeamID: team.ID, UserID: rep, Week: day.AddDays(-7), Text: text, Status: pulse.CommitmentOpen})
		}
		reps = append(reps, pulse.RepCommitments{Rep: rep, Commitments: cs})
		commitments = append(commitments, cs...)
		bl := blocker
		bl.ID, bl.UserID = "B"+string(rune('A'+i)), rep
		blockers = append(blockers, bl)
	}
	var metrics []pulse.MetricTotal
	for _, m := range team.Metrics {
		metrics = append(metrics, pulse.MetricTotal{Key: m.Key, Name: m.Name, Total: 12345.5, Target: 100})
	}

	notices := []pulse.Payload{
		pulse.CheckInNotice{Rep: team.Reps[0], Date: day, Goal: goal, PrevDate: day.AddDays(-3), PrevPlan: text, Streak: 12},
		pulse.ReminderNotice{Rep: team.Reps[0], Date: day},
		pulse.MeetingNotice{Week: day, MeetingAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), LastWeek: day.AddDays(-7), Reps: reps,
			OpenBlockers: blockers, Focus: &pulse.Training{ID: "TR1", Skill: skill, Date: day.AddDays(-7)}},
		pulse.NudgeNotice{Rep: team.Reps[0], TrainingID: "TR1", Skill: skill, TrainingDate: day.AddDays(-7), Day: 7},
		pulse.CoachingNotice{Rep: team.Reps[0], DaysSince: 30, Cadence: 14},
		pulse.SummaryNotice{Summary: pulse.Summary{TeamID: team.ID, Week: day, Through: day.AddDays(4), Due: 10, Answered: 7, Metrics: metrics,
			Streaks: []pulse.RepStreak{{Rep: team.Reps[0], Days: 9}}}},
		pulse.BlockerNotice{Blocker: blocker, WorkdaysOpen: 4},
		pulse.BlockerNotice{Blocker: blocker, WorkdaysOpen: 4, ToManager: true},
		pulse.DailyThreadNotice{Date: day, Reps: team.Reps},
	}
	for _, p := range notices {
		out, err := b.render(ctx, pulse.Notice{Team: team, To: team.Reps[0], Lang: lang, Payload: p})
		if err != nil {
			t.Fatalf("render %T: %v", p, err)
		}
		checkFits(t, string(p.Kind()), out.text, out.blocks)
	}

	v := b.voice(lang)
	checkFits(t, "team status", "", teamStatusBlocks(v, team, pulse.TeamStatus{TeamID: team.ID, Today: day, Due: 12, CheckedIn: 3,
		Missing: team.Reps[3:], Blockers: []pulse.OpenBlocker{{Blocker: &blocker, Age: 50 * time.Hour}}, Metrics: metrics}))
	status := pulse.RepStatus{Rep: team.Reps[0], TeamID: team.ID, Today: day, Due: true, Goal: goal,
		Commitments: commitments[:3], ToReview: commitments[:6], ToApply: []pulse.TrainingToApply{{TrainingID: "TR1", Skill: skill, Date: day, Pending: 2}}}
	checkFits(t, "rep status", "", repStatusBlocks(v, team, status, time.UTC))
	records := repRecords{status: status,
		checkIns: []pulse.CheckIn{{TeamID: team.ID, UserID: team.Reps[0], Date: day, Status: pulse.CheckInOnTime, Energy: 4, Plan: text}},
		nudges:   []pulse.Nudge{{TrainingID: "TR1", Response: pulse.NudgeApplied, Report: text}},
		kudos:    []pulse.Kudos{{From: "UMGR", To: team.Reps[0], Text: text}},
		skills:   map[string]string{"TR1": skill}}
	checkFits(t, "rep detail", "", repDetailBlocks(v, team, records, time.UTC))
	m := blockerMessage(v, team, &blocker, nil)
	checkFits(t, "blocker alert", m.Text, m.Blocks)
	m = rosterChangeMessage(v, team, "UMGR", pulse.RosterChange{ManagersAdded: []string{"UMGR2"}, RepsAdded: team.Reps}, false)
	checkFits(t, "roster change", m.Text, m.Blocks)

	var teams []*pulse.Team
	for range 12 {
		teams = append(teams, team)
	}
	r := &Request{bot: b, voice: b.voice(lang), Actor: pulse.Actor{UserID: team.Reps[0]}, Teams: teams}
	checkFits(t, "help", "", helpBlocks(r))
	sentence := r.errorSentence("err.date", map[string]any{"Value": text})
	checkFits(t, "error", sentence, []slack.Block{mrkdwnSection(sentence)})

	checkView(t, "check-in modal", checkInView(v, team, checkInMeta{team: team.ID, day: day}, nil, skill, crmShown{}))
	checkView(t, "report modal", b.reportModal(lang, &pulse.Training{ID: "TR1", Skill: skill, Date: day}, text, "TR1|7"))
}

// checkFits fails t when Slack would refuse a message of text and blocks,
// or when a text in them ends in a cut entity or reference.
func checkFits(t *testing.T, what, text string, blocks []slack.Block) {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for _, v := range slacktest.CheckMessage(text, raw) {
		t.Errorf("%s: Slack would refuse it: %s (limit %d, got %d)", what, v.Error, v.Limit, v.Got)
	}
	for _, s := range blockTexts(blocks) {
		if cutEntity.MatchString(s) || cutReference.MatchString(s) {
			t.Errorf("%s: a text ends in a cut entity or reference: …%q", what, s[max(0, len(s)-30):])
		}
	}
}

// checkView fails t when Slack would refuse the view.
func checkView(t *testing.T, what string, v slack.ModalViewRequest) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for _, vi := range slacktest.CheckView(raw) {
		t.Errorf("%s: Slack would refuse it: %s (limit %d, got %d)", what, vi.Error, vi.Limit, vi.Got)
	}
}

// blockTexts lists the texts of sections, fields, context elements and
// headers.
func blockTexts(blocks []slack.Block) []string {
	var out []string
	add := func(t *slack.TextBlockObject) {
		if t != nil {
			out = append(out, t.Text)
		}
	}
	for _, bl := range blocks {
		switch bl := bl.(type) {
		case *slack.SectionBlock:
			add(bl.Text)
			for _, f := range bl.Fields {
				add(f)
			}
		case *slack.ContextBlock:
			for _, e := range bl.ContextElements.Elements {
				if t, ok := e.(*slack.TextBlockObject); ok {
					add(t)
				}
			}
		case *slack.HeaderBlock:
			add(bl.Text)
		}
	}
	return out
}

// TestFoldLineFoldsAsFieldsDo holds foldLine's shortcut for text already
// on one line to joining its fields: random texts of words and every kind
// of space, and bytes that are not UTF-8.
func TestFoldLineFoldsAsFieldsDo(t *testing.T) {
	parts := []string{"Kari", "ringte", "Åse", "звонок", "", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\u0085", "\xff", "\xe2\x80", "=SUM(A1)", "<@U1>"}
	r := rand.New(rand.NewPCG(5, 8))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(7) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		s := b.String()
		if got, want := foldLine(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("foldLine(%q) = %q, want %q", s, got, want)
		}
	}
	if got := testing.AllocsPerRun(100, func() { foldLine("Waiting for the pricing approval") }); got != 0 {
		t.Errorf("folding a folded line allocates %v times, want none", got)
	}
}
