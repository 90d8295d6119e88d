package demo

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"slices"
	"strings"
)

// WriteHTML writes the transcript as one self-contained HTML page that
// shows each message the way Slack draws its Block Kit: one column like a
// channel, a sticky header per day, uploads embedded. Everything people
// typed is escaped; the page loads nothing from elsewhere.
func WriteHTML(w io.Writer, t *Transcript, title string) error {
	var sb strings.Builder
	esc := html.EscapeString
	sb.WriteString("<!DOCTYPE html>\n<html lang=\"" + esc(string(t.lang())) + "\"><head><meta charset=\"utf-8\">\n")
	sb.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1">` + "\n")
	sb.WriteString("<title>" + esc(title) + "</title>\n")
	// A script error anywhere shows as a marker the browser test looks for.
	sb.WriteString(`<script>window.onerror=function(m){var d=document.createElement("div");d.id="js-error";d.textContent=String(m);(document.body||document.documentElement).appendChild(d);};</script>` + "\n")
	sb.WriteString("<style>" + pageCSS + "</style></head>\n<body>\n")
	sb.WriteString(`<main class="channel">` + "\n")
	sb.WriteString(`<header class="top"><h1>` + esc(title) + `</h1><p>` + esc(t.say("page_intro", nil)) + `</p>`)
	if t.Dashboard != "" {
		sb.WriteString(`<p><a href="` + esc(t.Dashboard) + `">` + esc(t.say("dashboard_link", nil)) + `</a></p>`)
	}
	sb.WriteString(`</header>` + "\n")
	lastDay := ""
	for i := range t.Entries {
		e := &t.Entries[i]
		at := e.At.In(t.Zone)
		if day := t.dayHeader(at); day != lastDay {
			if lastDay != "" {
				sb.WriteString("</section>\n")
			}
			fmt.Fprintf(&sb, `<section class="day"><h2 class="day-header"><span>%s</span></h2>`+"\n", esc(day))
			lastDay = day
		}
		t.entryHTML(&sb, e)
	}
	if lastDay != "" {
		sb.WriteString("</section>\n")
	}
	sb.WriteString("</main>\n</body></html>\n")
	_, err := io.WriteString(w, sb.String())
	return err
}

func (t *Transcript) entryHTML(sb *strings.Builder, e *Entry) {
	esc := html.EscapeString
	at := t.clock(e.At.In(t.Zone))
	cls := "msg kind-" + string(e.Kind)
	author, avatar := "Pulse", "P"
	if e.Kind == KindAction {
		author = t.nameOr(e.To)
		avatar = initial(author)
	}
	fmt.Fprintf(sb, `<article class="%s"><div class="avatar%s">%s</div><div class="body">`, cls, map[bool]string{true: " person", false: ""}[e.Kind == KindAction], esc(avatar))
	fmt.Fprintf(sb, `<div class="meta"><b class="author">%s</b>`, esc(author))
	if e.Kind != KindAction {
		sb.WriteString(`<span class="app">APP</span>`)
	}
	fmt.Fprintf(sb, `<time>%s</time><span class="where">%s</span>`, esc(at), esc(t.Where(e)))
	if e.Job != "" && e.Kind != KindUpdate {
		fmt.Fprintf(sb, `<span class="job" title="%s">%s</span>`, esc(t.say("page_job_hint", nil)), esc(t.jobName(e.Job)))
	}
	sb.WriteString(`</div>`)
	names := t.Name
	switch {
	case e.Kind == KindAction:
		fmt.Fprintf(sb, `<div class="action">%s</div>`, esc(e.Action))
	case e.Kind == KindErrors:
		keys := make([]string, 0, len(e.Errors))
		for k := range e.Errors {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		sb.WriteString(`<ul class="errors">`)
		for _, k := range keys {
			fmt.Fprintf(sb, `<li><code>%s</code> %s</li>`, esc(k), mrkdwnHTML(e.Errors[k], names))
		}
		sb.WriteString(`</ul>`)
	case e.Kind == KindFile:
		if e.Text != "" {
			fmt.Fprintf(sb, `<div class="text">%s</div>`, mrkdwnHTML(e.Text, names))
		}
		fmt.Fprintf(sb, `<figure class="file"><figcaption>%s</figcaption>`, esc(cmpOr(e.File.Title, e.File.Name)))
		if strings.HasSuffix(strings.ToLower(e.File.Name), ".png") && len(e.File.Bytes) > 0 {
			fmt.Fprintf(sb, `<img alt="%s" src="data:image/png;base64,%s">`, esc(e.File.Name), base64.StdEncoding.EncodeToString(e.File.Bytes))
		}
		sb.WriteString(`</figure>`)
	case e.Kind == KindHome:
		// The Home tab is republished after most changes: folded, it keeps
		// the channel readable.
		sb.WriteString(`<details class="home"><summary>` + esc(t.say("page_home_updated", nil)) + `</summary><div class="modal"><div class="modal-body">`)
		t.blocksHTML(sb, e.Blocks, names)
		sb.WriteString(`</div></div></details>`)
	case e.View != nil:
		title := ""
		if e.View.Title != nil {
			title = e.View.Title.Text
		}
		fmt.Fprintf(sb, `<div class="modal"><div class="modal-title">%s</div><div class="modal-body">`, esc(title))
		t.blocksHTML(sb, e.Blocks, names)
		sb.WriteString(`</div>`)
		if e.View.Submit != nil || e.View.Close != nil {
			sb.WriteString(`<div class="modal-foot">`)
			if e.View.Close != nil {
				fmt.Fprintf(sb, `<button class="btn">%s</button>`, esc(e.View.Close.Text))
			}
			if e.View.Submit != nil {
				fmt.Fprintf(sb, `<button class="btn primary">%s</button>`, esc(e.View.Submit.Text))
			}
			sb.WriteString(`</div>`)
		}
		sb.WriteString(`</div>`)
	case len(e.Blocks) > 0:
		t.blocksHTML(sb, e.Blocks, names)
	default:
		fmt.Fprintf(sb, `<div class="text">%s</div>`, mrkdwnHTML(e.Text, names))
	}
	sb.WriteString("</div></article>\n")
}

func (t *Transcript) blocksHTML(sb *strings.Builder, blocks []Block, names func(string) string) {
	esc := html.EscapeString
	for i := range blocks {
		b := &blocks[i]
		switch b.Type {
		case "header":
			fmt.Fprintf(sb, `<div class="bk-header">%s</div>`, textHTML(b.Text, names))
		case "section":
			sectionHTML(sb, b, names)
		case "context":
			contextHTML(sb, b, names)
		case "divider":
			sb.WriteString(`<hr class="bk-divider">`)
		case "image":
			imageHTML(sb, b)
		case "actions":
			sb.WriteString(`<div class="bk-actions">`)
			for _, e := range b.Elements {
				elementHTML(sb, e, names)
			}
			sb.WriteString(`</div>`)
		case "input":
			t.inputHTML(sb, b, names)
		case "rich_text":
			fmt.Fprintf(sb, `<div class="text">%s</div>`, esc(richPlain(b.Elements)))
		}
	}
}

// textHTML is a block's text object as HTML: mrkdwn formatted, plain text
// escaped with its line breaks kept.
func textHTML(t *Text, names func(string) string) string {
	if t == nil {
		return ""
	}
	if t.Type == "mrkdwn" {
		return mrkdwnHTML(t.Text, names)
	}
	return strings.ReplaceAll(html.EscapeString(t.Text), "\n", "<br>")
}

func sectionHTML(sb *strings.Builder, b *Block, names func(string) string) {
	sb.WriteString(`<div class="bk-section"><div class="bk-main">`)
	if b.Text != nil {
		fmt.Fprintf(sb, `<div class="text">%s</div>`, textHTML(b.Text, names))
	}
	if len(b.Fields) > 0 {
		sb.WriteString(`<div class="fields">`)
		for j := range b.Fields {
			fmt.Fprintf(sb, `<div class="field">%s</div>`, textHTML(&b.Fields[j], names))
		}
		sb.WriteString(`</div>`)
	}
	sb.WriteString(`</div>`)
	if b.Accessory != nil {
		sb.WriteString(`<div class="accessory">`)
		elementHTML(sb, b.Accessory, names)
		sb.WriteString(`</div>`)
	}
	sb.WriteString(`</div>`)
}

func contextHTML(sb *strings.Builder, b *Block, names func(string) string) {
	sb.WriteString(`<div class="bk-context">`)
	for _, e := range b.Elements {
		if e.Type == "image" {
			fmt.Fprintf(sb, `<span class="ctx-img" title="%s">▣</span>`, html.EscapeString(e.AltText))
			continue
		}
		fmt.Fprintf(sb, `<span>%s</span>`, textHTML(&e.Label, names))
	}
	sb.WriteString(`</div>`)
}

func imageHTML(sb *strings.Builder, b *Block) {
	esc := html.EscapeString
	alt := b.AltText
	if b.Title != nil {
		fmt.Fprintf(sb, `<div class="img-title">%s</div>`, esc(b.Title.Text))
	}
	if strings.HasPrefix(b.ImageURL, "data:image/") {
		fmt.Fprintf(sb, `<img class="bk-image" alt="%s" src="%s">`, esc(alt), esc(b.ImageURL))
	} else {
		// A transcript loads nothing from the network: show where the image goes.
		fmt.Fprintf(sb, `<div class="bk-image placeholder">🖼 %s</div>`, esc(alt))
	}
}

func (t *Transcript) inputHTML(sb *strings.Builder, b *Block, names func(string) string) {
	esc := html.EscapeString
	sb.WriteString(`<div class="bk-input">`)
	if b.Label != nil {
		fmt.Fprintf(sb, `<label>%s`, esc(b.Label.Text))
		if b.Optional {
			sb.WriteString(` <span class="optional">` + esc(t.say("page_optional", nil)) + `</span>`)
		}
		sb.WriteString(`</label>`)
	}
	if b.Element != nil {
		elementHTML(sb, b.Element, names)
	}
	if b.Hint != nil {
		fmt.Fprintf(sb, `<div class="hint">%s</div>`, textHTML(b.Hint, names))
	}
	sb.WriteString(`</div>`)
}

func elementHTML(sb *strings.Builder, e *Element, names func(string) string) {
	esc := html.EscapeString
	ph := ""
	if e.Placeholder != nil {
		ph = e.Placeholder.Text
	}
	switch e.Type {
	case "button":
		cls := "btn"
		if e.Style == "primary" || e.Style == "danger" {
			cls += " " + e.Style
		}
		fmt.Fprintf(sb, `<button class="%s" data-action="%s">%s</button>`, cls, esc(e.ActionID), esc(e.Label.Text))
	case "plain_text_input", "number_input", "email_text_input", "url_text_input":
		if e.Multiline {
			fmt.Fprintf(sb, `<textarea readonly placeholder="%s">%s</textarea>`, esc(ph), esc(e.InitialValue))
		} else {
			fmt.Fprintf(sb, `<input readonly placeholder="%s" value="%s">`, esc(ph), esc(e.InitialValue))
		}
	case "static_select", "radio_buttons", "checkboxes", "multi_static_select":
		if e.Type == "radio_buttons" || e.Type == "checkboxes" {
			sb.WriteString(`<div class="choices">`)
			for _, o := range e.Options {
				on := e.Initial != nil && e.Initial.Value == o.Value
				fmt.Fprintf(sb, `<span class="choice%s">%s</span>`, map[bool]string{true: " on", false: ""}[on], esc(o.Text.Text))
			}
			sb.WriteString(`</div>`)
			return
		}
		shown := ph
		if e.Initial != nil {
			shown = e.Initial.Text.Text
		}
		fmt.Fprintf(sb, `<div class="select">%s ▾</div>`, esc(shown))
	case "users_select", "multi_users_select", "conversations_select", "channels_select", "multi_conversations_select", "multi_channels_select":
		var who []string
		for _, u := range e.InitialUsers {
			who = append(who, "@"+cmpOr(names(u), u))
		}
		fmt.Fprintf(sb, `<div class="select">%s ▾</div>`, esc(cmpOr(strings.Join(who, ", "), ph)))
	case "datepicker":
		fmt.Fprintf(sb, `<div class="select">📅 %s</div>`, esc(cmpOr(e.InitialDate, ph)))
	case "timepicker":
		fmt.Fprintf(sb, `<div class="select">🕘 %s</div>`, esc(cmpOr(e.InitialTime, ph)))
	case "overflow":
		sb.WriteString(`<button class="btn">⋯</button>`)
	case "image":
		fmt.Fprintf(sb, `<span class="ctx-img" title="%s">▣</span>`, esc(e.AltText))
	default:
		fmt.Fprintf(sb, `<div class="select">%s</div>`, esc(cmpOr(e.Label.Text, e.Type)))
	}
}

func initial(name string) string {
	for _, r := range name {
		return strings.ToUpper(string(r))
	}
	return "?"
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

const pageCSS = `
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#1d1c1d;font:15px/1.46668 -apple-system,BlinkMacSystemFont,"Segoe UI",Lato,Helvetica,Arial,sans-serif}
.channel{max-width:860px;margin:0 auto;padding:0 0 48px}
.top{padding:20px 20px 8px;border-bottom:1px solid #ddd}
.top h1{font-size:22px;margin:0 0 4px}.top p{margin:0;color:#616061;font-size:13px}
.day-header{position:sticky;top:0;z-index:2;margin:0;padding:10px 0;text-align:center;font-size:13px;font-weight:700;background:linear-gradient(#fff 70%,rgba(255,255,255,0))}
.day-header span{display:inline-block;border:1px solid #ddd;border-radius:24px;padding:3px 16px;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.msg{display:flex;gap:10px;padding:8px 20px}.msg:hover{background:#f8f8f8}
.avatar{flex:0 0 36px;height:36px;border-radius:6px;background:#4a154b;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center}
.avatar.person{background:#1264a3}
.body{flex:1;min-width:0}
.meta{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
.author{font-weight:900}.app{font-size:10px;background:#e8e8e8;color:#616061;border-radius:2px;padding:0 3px;font-weight:700}
.job{font-size:10px;color:#1264a3;border:1px solid #b8d8ec;border-radius:8px;padding:0 6px}
.meta time{color:#616061;font-size:12px}.where{color:#616061;font-size:12px}
.kind-action .action{color:#1264a3;font-style:italic}
.kind-ephemeral .body{border-left:3px solid #c0c0c0;padding-left:8px}
.kind-update .body{border-left:3px solid #ecb22e;padding-left:8px}
.text{white-space:normal;overflow-wrap:anywhere}
.bk-header{font-size:18px;font-weight:900;margin:4px 0}
.bk-section{display:flex;gap:12px;margin:4px 0}.bk-main{flex:1;min-width:0}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px;margin-top:4px}
.bk-context{color:#616061;font-size:12px;margin:4px 0;display:flex;gap:8px;flex-wrap:wrap}
.bk-divider{border:0;border-top:1px solid #ddd;margin:8px 0}
.bk-actions{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0}
.btn{font:inherit;font-size:13px;font-weight:700;padding:3px 12px;min-height:28px;border:1px solid #bbb;border-radius:4px;background:#fff;color:#1d1c1d}
.btn.primary{background:#007a5a;border-color:#007a5a;color:#fff}
.btn.danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.bk-image{max-width:100%;border-radius:6px;margin:4px 0}.placeholder{border:1px dashed #bbb;padding:24px;color:#616061;text-align:center}
.file{margin:6px 0;border:1px solid #ddd;border-radius:8px;padding:8px;max-width:640px}.file img{max-width:100%;display:block}
.file figcaption{font-size:13px;font-weight:700;margin-bottom:6px}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}
a{color:#1264a3}
code{font-family:Monaco,Menlo,Consolas,monospace;font-size:12px;color:#e01e5a;background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 3px}
pre{font-family:Monaco,Menlo,monospace;font-size:12px;background:#f8f8f8;border:1px solid #ddd;border-radius:4px;padding:8px;white-space:pre-wrap}
blockquote{margin:2px 0;border-left:4px solid #ddd;padding-left:10px}
.modal{border:1px solid #ccc;border-radius:8px;max-width:520px;box-shadow:0 4px 12px rgba(0,0,0,.12);margin:6px 0;background:#fff}
.modal-title{font-weight:900;font-size:18px;padding:12px 16px;border-bottom:1px solid #eee}
.modal-body{padding:8px 16px}.modal-foot{display:flex;justify-content:flex-end;gap:8px;padding:10px 16px;border-top:1px solid #eee}
.bk-input{margin:6px 0}.bk-input label{display:block;font-weight:700;margin-bottom:4px}.optional{font-weight:400;color:#616061}
.bk-input input,.bk-input textarea{width:100%;font:inherit;border:1px solid #bbb;border-radius:4px;padding:6px 8px}
.bk-input textarea{min-height:34px;height:auto;resize:none;field-sizing:content}
.select{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:4px 10px;min-width:160px;color:#1d1c1d}
.choices{display:flex;gap:6px;flex-wrap:wrap}.choice{border:1px solid #bbb;border-radius:12px;padding:1px 10px}.choice.on{background:#1264a3;color:#fff}
.home summary{color:#616061;font-size:13px;cursor:pointer}
.hint{color:#616061;font-size:12px}
.errors{color:#e01e5a;margin:4px 0}
`
