package demo

import (
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

// The demo narrates in its team's language, from the catalogue's [demo]
// table: where an entry appeared, what a person did, day headers, and the
// words the scripted people write.

// loadCatalog reads the embedded catalogue once for every run.
var loadCatalog = sync.OnceValues(func() (*catalog.Catalog, error) { return catalog.New() })

// localKeys name, by zone, the sentence that writes a reader's own clock
// with their city.
var localKeys = map[string]string{
	"Europe/Oslo":      "local_oslo",
	"America/New_York": "local_new_york",
}

var weekdayKeys = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func (t *Transcript) lang() pulse.Lang {
	if t.Lang == "" {
		return pulse.English
	}
	return t.Lang
}

// say is the [demo] sentence key in the transcript's language. The
// catalogue is embedded, so it failing to load is a build mistake: the key
// itself shows rather than nothing.
func (t *Transcript) say(key string, data map[string]any) string {
	c, err := loadCatalog()
	if err != nil {
		return key
	}
	return c.T(t.lang(), "demo."+key, data)
}

// dayHeader names a day in full: "Monday 16 November".
func (t *Transcript) dayHeader(at time.Time) string {
	return t.say("day_header", map[string]any{
		"Weekday": t.say("weekday_"+weekdayKeys[at.Weekday()], nil),
		"Day":     at.Day(),
		"Month":   t.say("month_"+strconv.Itoa(int(at.Month())), nil),
	})
}

// clock writes at's wall-clock time: "09:12".
func (t *Transcript) clock(at time.Time) string {
	c, err := loadCatalog()
	if err != nil {
		return at.Format("15:04")
	}
	return c.Clock(t.lang(), at)
}

// stamp is an entry's short weekday and time: "Mon 09:12".
func (t *Transcript) stamp(at time.Time) string {
	c, err := loadCatalog()
	if err != nil {
		return at.Format("Mon 15:04")
	}
	return c.Weekday(t.lang(), at.Weekday()) + " " + c.Clock(t.lang(), at)
}

// jobName is the badge naming the cadence job that sent a message; a kind
// the catalogue does not name shows as it is.
func (t *Transcript) jobName(kind pulse.JobKind) string {
	c, err := loadCatalog()
	if err != nil || !c.Has(pulse.English, "demo.job_"+string(kind)) {
		return string(kind)
	}
	return t.say("job_"+string(kind), nil)
}

// pageTitle is the HTML page's title for the week starting on monday.
func (t *Transcript) pageTitle(team string, monday pulse.Date) string {
	return t.say("page_title", map[string]any{
		"Team":  team,
		"Day":   monday.Day,
		"Month": t.say("month_"+strconv.Itoa(int(monday.Month)), nil),
		"Year":  monday.Year,
	})
}

// WriteSummary writes, in the run's language, where the HTML page and the
// charts are and how long the week took to simulate: the lines the demo
// command prints after the transcript. It writes nothing when no page was
// written.
func (res *Result) WriteSummary(w io.Writer) error {
	if res.HTML == "" || res.Transcript == nil {
		return nil
	}
	t := res.Transcript
	var sb strings.Builder
	sb.WriteString("\n" + t.say("summary_html", map[string]any{"Path": res.HTML}) + "\n")
	for _, c := range res.Charts {
		sb.WriteString(t.say("summary_chart", map[string]any{"Path": c}) + "\n")
	}
	secs := strconv.FormatFloat(res.Elapsed.Seconds(), 'f', 1, 64)
	if c, err := loadCatalog(); err == nil {
		secs = c.Number(t.lang(), res.Elapsed.Seconds(), 1)
	}
	sb.WriteString(t.say("summary_elapsed", map[string]any{"Seconds": secs}) + "\n")
	_, err := io.WriteString(w, sb.String())
	return err
}
