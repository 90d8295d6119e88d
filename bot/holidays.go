package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/holiday"
)

// holidaysShown is how many of the coming public holidays /pulse holidays lists.
const holidaysShown = 8

// holidaysLookAhead is how many days ahead /pulse holidays looks for them.
const holidaysLookAhead = 366

// holidaysCommand answers /pulse holidays [<country>|team]: with a place it
// sets the person's own (a rep in New York in an Oslo team keeps the US's);
// "team" goes back to their team's; without one it tells whose holidays
// apply to them and the coming ones.
func (b *Bot) holidaysCommand(ctx context.Context, r *Request) error {
	arg := strings.TrimSpace(UnescapeText(r.Args))
	p, err := b.loadPerson(ctx, r)
	if err != nil {
		return err
	}
	if arg != "" {
		place, ok := pulse.ParseHolidayPlace(arg)
		if !ok {
			place, ok = placeNamed(arg, r.lang)
		}
		if !ok && !strings.EqualFold(arg, "team") {
			return pulse.FieldError("holiday_place", "err.holiday_place", map[string]any{"Value": clipText(arg, maxEchoChars)}, "unknown holiday place")
		}
		p.HolidayPlace = place
		if err := p.Validate(); err != nil {
			return err
		}
		if err := b.store.SavePerson(ctx, p); err != nil {
			return fmt.Errorf("save holiday place of %s: %w", p.ID, err)
		}
	}
	r.Reply(Message{Text: holidaysText(r, p, b.clock.Now())})
	return nil
}

// holidaysText says whose public holidays apply to p, in each of their
// teams when they differ, and lists the coming ones.
func holidaysText(r *Request, p *pulse.Person, now time.Time) string {
	var lines []string
	seen := map[string]bool{}
	for _, t := range byName(r.Teams) {
		place := t.HolidayPlaceOf(p)
		if seen[place] {
			continue
		}
		seen[place] = true
		if place == "" {
			lines = append(lines, r.T("holidays.none", map[string]any{"Team": mrkdwnEscape(t.Name)}))
			continue
		}
		lines = append(lines, r.T("holidays.place", map[string]any{"Place": placeName(r.lang, place), "Team": mrkdwnEscape(t.Name)}))
		today := pulse.DateOf(now.In(p.Zone(t.Location())))
		n := 0
		for d := today; n < holidaysShown && today.DaysUntil(d) < holidaysLookAhead; d = d.AddDays(1) {
			if name, ok := pulse.PublicHoliday(place, d); ok {
				lines = append(lines, "• "+d.String()+" "+mrkdwnEscape(name))
				n++
			}
		}
	}
	if len(seen) == 0 {
		if p.HolidayPlace != "" {
			return r.T("holidays.place_own", map[string]any{"Place": placeName(r.lang, p.HolidayPlace)})
		}
		return r.T("holidays.usage", nil)
	}
	if p.HolidayPlace != "" {
		lines = append(lines, r.T("holidays.own_set", nil))
	}
	return strings.Join(lines, "\n")
}

// placeNamed finds the country a person named in English or in their
// language ("Norway", "Norge", "United States"), or false.
func placeNamed(name string, lang pulse.Lang) (string, bool) {
	for _, place := range holiday.Places() {
		if strings.Contains(place, "-") {
			continue
		}
		reg, err := language.ParseRegion(place)
		if err != nil {
			continue
		}
		for _, l := range []pulse.Lang{pulse.English, lang} {
			if strings.EqualFold(display.Regions(language.Make(string(l))).Name(reg), name) {
				return place, true
			}
		}
	}
	return "", false
}

// placeName names a holiday place in lang: "Norway (NO)", "Germany, BY (DE-BY)".
func placeName(lang pulse.Lang, place string) string {
	country, region, _ := strings.Cut(place, "-")
	name := country
	if reg, err := language.ParseRegion(country); err == nil {
		if n := display.Regions(language.Make(string(lang))).Name(reg); n != "" {
			name = n
		}
	}
	if region != "" {
		name += ", " + region
	}
	return name + " (" + place + ")"
}

// holidayPlaceSelect is the setup modal's "Holidays" input: no public
// holidays, or one of the places the library knows.
func holidayPlaceSelect(r *Request, current string) *slack.SelectBlockElement {
	none := slack.NewOptionBlockObject(noPlace, plainText(r.T("holidays.option_none", nil)), nil)
	opts := []*slack.OptionBlockObject{none}
	initial := none
	for _, place := range holiday.Places() {
		o := slack.NewOptionBlockObject(place, plainText(clipText(placeName(r.lang, place), maxOptionText)), nil)
		opts = append(opts, o)
		if place == current {
			initial = o
		}
	}
	sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, "holiday_place", opts...)
	sel.InitialOption = initial
	return sel
}

// noPlace is the option value for "no public holidays": a static select's
// option needs a value that is not empty.
const noPlace = "none"

// readHolidayPlace reads the "Holidays" select; a forged value that is no
// known place is an error under the field, not a silent default.
func readHolidayPlace(r *Request) (string, *pulse.Error) {
	v := stateValue(r, "holiday_place")
	if v == nil || v.SelectedOption.Value == "" || v.SelectedOption.Value == noPlace {
		return "", nil
	}
	place := v.SelectedOption.Value
	if !pulse.KnownHolidayPlace(place) {
		return "", pulse.FieldError("holiday_place", "err.holiday_place", map[string]any{"Value": clipText(place, maxEchoChars)}, "unknown holiday place")
	}
	return place, nil
}

// parseDaysOff reads the team's own extra days off: dates as YYYY-MM-DD,
// separated by lines, commas or spaces.
func parseDaysOff(text string) ([]pulse.Date, *pulse.Error) {
	var out []pulse.Date
	for _, f := range strings.FieldsFunc(text, func(c rune) bool { return c == ',' || c == ';' || c == ' ' || c == '\n' || c == '\t' }) {
		d, err := pulse.ParseDate(f)
		if err != nil {
			return nil, pulse.FieldError("days_off", "err.date", map[string]any{"Value": clipText(f, maxEchoChars)}, "day off %q", f)
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if len(out) > maxDaysOff {
		return nil, pulse.FieldError("days_off", "err.too_many", map[string]any{"Max": maxDaysOff}, "more than %d days off", maxDaysOff)
	}
	return out, nil
}

// maxDaysOff bounds a team's own extra days off.
const maxDaysOff = 100

// formatDaysOff writes days off the way parseDaysOff reads them back.
func formatDaysOff(ds []pulse.Date) string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.String())
	}
	return strings.Join(out, "\n")
}
