package demo

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteText writes the transcript as readable text, one entry per block of
// lines, in the order things happened:
//
//	Mon 09:00 · DM to Ingrid Berg (Oslo 09:00) — Good morning… [Check in] [I'm away today]
func WriteText(w io.Writer, t *Transcript) error {
	var sb strings.Builder
	lastDay := ""
	for i := range t.Entries {
		e := &t.Entries[i]
		at := e.At.In(t.Zone)
		if day := t.dayHeader(at); day != lastDay {
			if lastDay != "" {
				sb.WriteString("\n")
			}
			fmt.Fprintf(&sb, "━━ %s ━━\n", day)
			lastDay = day
		}
		lines := t.textLines(e)
		head := t.stamp(at) + " · " + t.Where(e)
		if len(lines) == 0 {
			sb.WriteString(head + "\n")
			continue
		}
		sb.WriteString(head + " — " + lines[0] + "\n")
		for _, l := range lines[1:] {
			sb.WriteString("      " + l + "\n")
		}
	}
	_, err := io.WriteString(w, sb.String())
	return err
}

// textLines is what an entry says, as plain lines, buttons on the last.
func (t *Transcript) textLines(e *Entry) []string {
	names := t.Name
	var lines []string
	switch {
	case e.Kind == KindAction:
		return []string{e.Action}
	case e.Kind == KindErrors:
		keys := make([]string, 0, len(e.Errors))
		for k := range e.Errors {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			lines = append(lines, k+": "+mrkdwnPlain(e.Errors[k], names))
		}
		return lines
	case e.Kind == KindFile:
		lines = append(lines, "📎 "+e.File.Name)
		if e.Text != "" {
			lines = append(lines, strings.Split(mrkdwnPlain(e.Text, names), "\n")...)
		}
		return lines
	case e.Kind == KindHome:
		// The Home tab is republished after most changes: a glance is enough.
		lines = plainOf(e.Blocks, names)
		if len(lines) > 3 {
			lines = append(lines[:3], "…")
		}
		return []string{strings.Join(lines, " · ")}
	case e.View != nil:
		title := ""
		if e.View.Title != nil {
			title = e.View.Title.Text
		}
		if title != "" {
			lines = append(lines, "「"+title+"」")
		}
	}
	if len(e.Blocks) > 0 {
		lines = append(lines, plainOf(e.Blocks, names)...)
	} else if e.Text != "" {
		lines = append(lines, strings.Split(mrkdwnPlain(e.Text, names), "\n")...)
	}
	if e.View != nil && e.View.Submit != nil {
		lines = append(lines, "["+e.View.Submit.Text+"]")
	}
	// Drop blank lines so one entry stays one block of lines.
	return slices.DeleteFunc(lines, func(s string) bool { return strings.TrimSpace(s) == "" })
}
