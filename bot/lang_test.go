package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse"
)

// said is the catalogue's sentence for key in lang. It fails the test when
// lang has no sentence of its own for key, or one that reads as the English
// one, since then a test could not tell which language was spoken.
func (h *harness) said(lang pulse.Lang, key string, data map[string]any) string {
	h.tb.Helper()
	c := h.Bot.Catalog()
	if !c.Has(lang, key) {
		h.tb.Fatalf("the %s catalogue has no sentence for %s", lang, key)
	}
	s := c.T(lang, key, data)
	if lang != pulse.English && s == c.T(pulse.English, key, data) {
		h.tb.Fatalf("the %s sentence for %s reads as the English one: %q", lang, key, s)
	}
	return s
}

// savePerson stores what Pulse knows of a person.
func (h *harness) savePerson(p *pulse.Person) {
	h.tb.Helper()
	if err := h.DB.SavePerson(context.Background(), p); err != nil {
		h.tb.Fatalf("save person %s: %v", p.ID, err)
	}
}

// langOf is the language the cadence engine resolves for a DM to user of
// team: the person's own choice, else Slack's locale, else the team's.
func (h *harness) langOf(user string, team *pulse.Team) pulse.Lang {
	h.tb.Helper()
	p, err := h.DB.Person(context.Background(), user)
	if err != nil && !pulse.IsNotFound(err) {
		h.tb.Fatalf("load person %s: %v", user, err)
	}
	if err != nil {
		p = nil
	}
	return p.Language(team.Lang)
}

// wantSaid fails the test unless got holds want and not the English
// sentence it translates.
func wantSaid(t *testing.T, what, got, want, english string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Errorf("%s lacks %q:\n%s", what, want, got)
	}
	if strings.Contains(got, english) {
		t.Errorf("%s is in English (%q):\n%s", what, english, got)
	}
}

func TestLangARepWhoChoseRussianIsSpokenToInRussian(t *testing.T) {
	h := start(t)
	nordic, _ := seedCheckIn(h) // an English team
	h.savePerson(&pulse.Person{ID: ciRep1, Lang: pulse.Russian})
	ru := pulse.Russian
	cat := h.Bot.Catalog()

	t.Run("the check-in DM", func(t *testing.T) {
		lang := h.langOf(ciRep1, nordic)
		if lang != ru {
			t.Fatalf("the engine would write to the rep in %s, want ru", lang)
		}
		_, m := deliver(h, pulse.Notice{Key: pulse.CheckInKey(nordic.ID, ciRep1, ciMonday), Team: nordic, To: ciRep1, Lang: lang,
			Payload: pulse.CheckInNotice{Rep: ciRep1, Date: ciMonday}})
		data := map[string]any{"Date": cat.Date(ru, ciMonday)}
		wantSaid(t, "the check-in DM", m.Text, h.said(ru, "notices.checkin_text", data), h.en("notices.checkin_text", data))
		wantSaid(t, "the check-in DM's button", blocksText(m.Blocks), h.said(ru, "notices.button_checkin", nil), `"`+h.en("notices.button_checkin", nil)+`"`)
	})
	t.Run("the check-in modal", func(t *testing.T) {
		h.opens(ciRep1, "checkin")
		v, _ := h.nthView("views.open", 1)
		if want := h.said(ru, "checkin.modal_title", nil); v.Title.Text != want {
			t.Errorf("the modal's title is %q, want %q", v.Title.Text, want)
		}
		if want := h.said(ru, "checkin.plan", nil); !contains(labels(v), want) {
			t.Errorf("the modal's labels are %q, want %q among them", labels(v), want)
		}
	})
	t.Run("/pulse", func(t *testing.T) {
		got := shown(h.answer(h.slash(ciRep1, "")))
		data := map[string]any{"Team": "Nordic"}
		wantSaid(t, "the rep's /pulse", got, h.said(ru, "status.rep_header", data), h.en("status.rep_header", data))
	})
	t.Run("a refusal", func(t *testing.T) {
		got := shown(h.answer(h.slash(ciRep1, "<@"+ciRep2+">")))
		wantSaid(t, "/pulse @another rep", got, escaped(h.said(ru, "deny.rep", nil)), escaped(h.en("deny.rep", nil)))
	})
	t.Run("a bad date", func(t *testing.T) {
		got := h.command(ciRep1, "away 2026-13-40").Text
		data := map[string]any{"Value": "2026-13-40"}
		wantSaid(t, "/pulse away 2026-13-40", got, escaped(h.said(ru, "err.date", data)), escaped(h.en("err.date", data)))
	})
}

func TestLangAManagerReadsNorwegianWhileTheTeamsChannelReadsPolish(t *testing.T) {
	h := start(t)
	h.Slack.AddChannel("C0SALES", "sales")
	nordic, _ := seedCheckIn(h)
	nordic.Lang, nordic.Channel = pulse.Polish, "C0SALES"
	if err := h.DB.UpdateTeam(context.Background(), nordic); err != nil {
		t.Fatal(err)
	}
	h.savePerson(&pulse.Person{ID: ciMgr1, Lang: pulse.Norwegian})
	cat := h.Bot.Catalog()

	got := shown(h.answer(h.slash(ciMgr1, "")))
	data := map[string]any{"Team": "Nordic"}
	wantSaid(t, "the manager's /pulse", got, h.said(pulse.Norwegian, "status.team_header", data), h.en("status.team_header", data))

	// A rep who chose nothing reads the team's language.
	got = shown(h.answer(h.slash(ciRep2, "")))
	wantSaid(t, "a rep's /pulse", got, h.said(pulse.Polish, "status.rep_header", data), h.en("status.rep_header", data))

	s := pulse.Summary{TeamID: nordic.ID, Week: ciMonday, Through: ciMonday.AddDays(4)}
	_, m := deliver(h, pulse.Notice{Key: pulse.SummaryKey(nordic.ID, ciMonday), Team: nordic, To: nordic.Channel, Lang: nordic.Lang,
		Payload: pulse.SummaryNotice{Summary: s}})
	rng := func(lang pulse.Lang) string {
		return cat.T(lang, "notices.date_range", map[string]any{"From": cat.Date(lang, s.Week), "To": cat.Date(lang, s.Through)})
	}
	wantSaid(t, "the weekly summary", m.Text,
		h.said(pulse.Polish, "notices.summary_text", map[string]any{"Range": rng(pulse.Polish)}),
		h.en("notices.summary_text", map[string]any{"Range": rng(pulse.English)}))
	if nb := cat.T(pulse.Norwegian, "notices.summary_text", map[string]any{"Range": rng(pulse.Norwegian)}); m.Text == nb {
		t.Errorf("the channel's summary is in the manager's Norwegian: %q", m.Text)
	}
}

func TestLangASlackLocaleSpeaksForSomeoneWhoChoseNothing(t *testing.T) {
	h := start(t)
	seedCheckIn(h) // an English team
	h.Slack.AddUser(slack.User{ID: ciRep1, Name: "anna", TZ: "Europe/Moscow", Locale: "ru-RU"})

	// What Slack says of a person is read with the locale and kept.
	p, err := h.Bot.Person(context.Background(), ciRep1)
	if err != nil {
		t.Fatalf("Person: %v", err)
	}
	stored, err := h.DB.Person(context.Background(), ciRep1)
	if err != nil || p.Locale != "ru-RU" || stored.Locale != "ru-RU" || stored.Lang != "" {
		t.Fatalf("stored %+v, %v; want the locale ru-RU and no choice of their own", stored, err)
	}
	got := shown(h.answer(h.slash(ciRep1, "")))
	data := map[string]any{"Team": "Nordic"}
	wantSaid(t, "the rep's /pulse", got, h.said(pulse.Russian, "status.rep_header", data), h.en("status.rep_header", data))

	// Their own choice wins over Slack's locale.
	saved := map[string]any{"Lang": "Polski"}
	wantSaid(t, "/pulse lang pl", h.command(ciRep1, "lang pl").Text, h.said(pulse.Polish, "commands.lang_saved", saved), h.en("commands.lang_saved", saved))
	got = shown(h.answer(h.slash(ciRep1, "")))
	wantSaid(t, "the rep's /pulse after /pulse lang pl", got, h.said(pulse.Polish, "status.rep_header", data), h.said(pulse.Russian, "status.rep_header", data))
}

func TestLangWhatTheTeamSeesIsInTheTeamsLanguageWhoeverActs(t *testing.T) {
	h := start(t)
	nordic, _ := seedTeams(h)
	nordic.Lang = pulse.Polish
	if err := h.DB.UpdateTeam(context.Background(), nordic); err != nil {
		t.Fatal(err)
	}
	h.savePerson(&pulse.Person{ID: repA1, Lang: pulse.Russian})
	h.savePerson(&pulse.Person{ID: repA2, Lang: pulse.Norwegian})

	// Kudos: the giver is answered in Norwegian, the channel reads Polish.
	got := h.command(repA2, "kudos <@UREPA1|anna> Great demo")
	data := map[string]any{"Rep": "<@UREPA1>", "Channel": "<#C0SALES>"}
	wantSaid(t, "the kudos answer", got.Text, h.said(pulse.Norwegian, "commands.kudos_saved", data), h.en("commands.kudos_saved", data))
	post := map[string]any{"From": "<@UREPA2>", "To": "<@UREPA1>", "Text": "Great demo"}
	h.messageSaying("C0SALES", h.said(pulse.Polish, "commands.kudos_post", post))

	// A review on the meeting prompt: a Russian rep presses, the team reads Polish.
	c := &pulse.Commitment{TeamID: nordic.ID, UserID: repA1, Week: thisWeek.AddDays(-7), Text: "Book 5 demos", Due: thisWeek.AddDays(-3), Status: pulse.CommitmentOpen}
	if err := h.DB.SaveCommitment(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	buttons := slack.NewActionBlock("review",
		slack.NewButtonBlockElement("commitment.kept", c.ID, slack.NewTextBlockObject(slack.PlainTextType, "Kept", false, false)))
	msg := slack.Message{Msg: slack.Msg{Channel: "C0SALES", Timestamp: "1772441400.000100", Blocks: slack.Blocks{BlockSet: []slack.Block{buttons}}}}
	h.ack(h.press(repA1, "commitment.kept", c.ID, msg), 1)
	line := map[string]any{"By": "<@" + repA1 + ">", "Rep": "<@" + repA1 + ">", "Text": "Book 5 demos"}
	want := escapeJSON(h.said(pulse.Polish, "commands.review_marked_kept", line))
	h.waitFor("the meeting prompt updated in Polish", func() bool {
		for _, m := range h.Slack.Messages("C0SALES") {
			if m.Updated && strings.Contains(string(m.Blocks), want) {
				return true
			}
		}
		return false
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestLangTheSetupModalOffersFourLanguagesAndSavesTheTeams(t *testing.T) {
	h := start(t, withAdmin())
	seedTeams(h)
	h.savePerson(&pulse.Person{ID: adminID, Lang: pulse.Russian})
	h.opens(adminID, "setup Pacific")
	v := h.openedView(1)
	if want := h.said(pulse.Russian, "setup.label_lang", nil); !contains(labels(v), want) {
		t.Errorf("the setup modal's labels are %q, want the Russian %q among them", labels(v), want)
	}
	var offered []string
	for _, o := range inputElement(t, v, "lang").(*slack.SelectBlockElement).Options {
		offered = append(offered, o.Value)
	}
	if want := []string{"en", "nb", "ru", "pl"}; strings.Join(offered, " ") != strings.Join(want, " ") {
		t.Errorf("the language select offers %v, want %v", offered, want)
	}

	values := goodSetup("Pacific")
	values["lang"] = slack.BlockAction{SelectedOption: slack.OptionBlockObject{Value: "pl"}}
	if resp := h.submit(adminID, v, values); resp.ResponseAction != "" {
		t.Fatalf("a good submission answered %+v", resp)
	}
	team, err := h.DB.TeamByName(t.Context(), "Pacific")
	if err != nil {
		t.Fatal(err)
	}
	if team.Lang != pulse.Polish {
		t.Errorf("the team speaks %q, want pl", team.Lang)
	}
	// The admin is told in their own Russian, not the team's Polish.
	h.dm(adminID, h.said(pulse.Russian, "setup.saved_created", map[string]any{"Team": "Pacific"}))
}
