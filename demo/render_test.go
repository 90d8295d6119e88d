package demo_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse/demo"
)

func sampleTranscript(t *testing.T) *demo.Transcript {
	t.Helper()
	oslo, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		t.Fatal(err)
	}
	blocks := demo.ParseBlocks(json.RawMessage(`[
		{"type":"header","text":{"type":"plain_text","text":"Weekly summary"}},
		{"type":"section","text":{"type":"mrkdwn","text":"*Good morning*, <@U1>! _Why:_ ` + "`close 10`" + ` &lt;b&gt; <https://example.com|site> <javascript:alert(1)|bad>\nsecond line"},
		 "fields":[{"type":"mrkdwn","text":"*Calls*\n42"},{"type":"mrkdwn","text":"*Meetings*\n3"}]},
		{"type":"context","elements":[{"type":"mrkdwn","text":"streak 3"}]},
		{"type":"divider"},
		{"type":"actions","elements":[
			{"type":"button","action_id":"checkin.open","text":{"type":"plain_text","text":"Check in"},"style":"primary"},
			{"type":"button","action_id":"checkin.away_today","text":{"type":"plain_text","text":"I'm away today"},"style":"danger"}]}
	]`))
	if len(blocks) != 5 {
		t.Fatalf("parsed %d blocks, want 5", len(blocks))
	}
	view, ok := demo.ParseView(json.RawMessage(`{"type":"modal","callback_id":"checkin","title":{"type":"plain_text","text":"Check-in"},"submit":{"type":"plain_text","text":"Save"},
		"blocks":[{"type":"input","block_id":"plan","label":{"type":"plain_text","text":"Today's plan"},"element":{"type":"plain_text_input","action_id":"plan","multiline":true,"initial_value":"</textarea><script>x()</script>"}}]}`))
	if !ok {
		t.Fatal("view did not parse")
	}
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, oslo)
	return &demo.Transcript{
		Zone: oslo,
		People: map[string]demo.Person{
			"U1": {ID: "U1", Name: "<script>alert('x')</script>", TZ: "Europe/Oslo"},
			"U2": {ID: "U2", Name: "Piotr Nowak", TZ: "America/New_York"},
		},
		Channels: map[string]string{"C1": "sales"},
		Entries: []demo.Entry{
			{At: at, Kind: demo.KindDM, Channel: "D1", To: "U1", Blocks: blocks, Text: "fallback"},
			{At: at.Add(time.Minute), Kind: demo.KindAction, To: "U2", Action: "presses [Check in]"},
			{At: at.Add(2 * time.Minute), Kind: demo.KindModal, To: "U2", View: &view, Blocks: view.Blocks},
			{At: at.Add(24 * time.Hour), Kind: demo.KindChannel, Channel: "C1", Text: "plain <@U2>"},
			{At: at.Add(25 * time.Hour), Kind: demo.KindFile, Channel: "C1", File: &demo.File{Name: "week.png", Bytes: []byte("\x89PNG")}},
		},
	}
}

func TestRenderTextShowsEachEntryInOrderWithNamesAndButtons(t *testing.T) {
	var buf bytes.Buffer
	if err := demo.WriteText(&buf, sampleTranscript(t)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"Mon 09:00 · DM to <script>alert('x')</script> (Oslo 09:00) — Weekly summary",
		"@<script>alert('x')</script>",
		"[Check in] [I'm away today]",
		"Mon 09:01 · Piotr Nowak (New York 03:01) — presses [Check in]",
		"「Check-in」",
		"#sales — plain @Piotr Nowak",
		"📎 week.png",
		"━━ Tuesday 24 November ━━",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text transcript lacks %q:\n%s", want, out)
		}
	}
	if strings.Index(out, "presses") > strings.Index(out, "plain @Piotr") {
		t.Errorf("entries out of order:\n%s", out)
	}
}

func TestRenderHTMLEscapesEverythingPeopleTyped(t *testing.T) {
	var buf bytes.Buffer
	if err := demo.WriteHTML(&buf, sampleTranscript(t), "Week <1>"); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, bad := range []string{"<script>alert", "<script>x()", "</textarea><script>", "javascript:", "<b>&lt;b&gt;", "<title>Week <1>"} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML holds unescaped %q", bad)
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
		`<span class="mention">@&lt;script&gt;`,
		"<b>Good morning</b>",
		"<i>Why:</i>",
		"<code>close 10</code>",
		`<a href="https://example.com">site</a>`,
		"&lt;b&gt;",
		"<br>second line",
		`<div class="fields"><div class="field"><b>Calls</b><br>42</div>`,
		`<button class="btn primary" data-action="checkin.open">Check in</button>`,
		`<button class="btn danger"`,
		`<div class="bk-header">Weekly summary</div>`,
		`<hr class="bk-divider">`,
		`<label>Today&#39;s plan</label>`,
		`class="day-header"`,
		`src="data:image/png;base64,`,
		"<title>Week &lt;1&gt;</title>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if n := strings.Count(out, "<script>"); n != 1 {
		t.Errorf("HTML holds %d script tags, want only the error marker's", n)
	}
}
