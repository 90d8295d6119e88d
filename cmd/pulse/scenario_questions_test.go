package main

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/salespulse/pulse/bot"
)

const (
	scOleg  = "U0OLEGRU1" // manager of Moskva, writes Russian
	scIrina = "U0IRINAR1" // rep of Moskva
)

// A Russian manager sets the team's own questions with /pulse questions,
// one of each kind but the long text; the modal first answers a duplicate,
// eleven options and a clashing metric key inline; the rep then sees the
// questions, as written, in the check-in opened from the DM, answers them,
// and the manager reads the answers in /pulse @rep, all in Russian.
func TestScenarioQuestionsRussian(t *testing.T) {
	sc := newScenario(t, scAdmin, []slack.User{
		{ID: scAdmin, Name: "admin", RealName: "Ada Admin", TZ: "UTC"},
		{ID: scOleg, Name: "oleg", RealName: "Олег Петров", TZ: "Europe/Moscow", Locale: "ru-RU"},
		{ID: scIrina, Name: "irina", RealName: "Ирина Смирнова", TZ: "Europe/Moscow", Locale: "ru-RU"},
	}, "C0SALES")
	sc.setupTeam("Москва", map[string]field{
		"Managers":  {Users: []string{scOleg}},
		"Reps":      {Users: []string{scIrina}},
		"Time zone": {Pick: "Europe/Moscow"},
		"Language":  {Pick: "ru"},
		"Metrics":   {Text: "calls: Звонки = 50"},
	})

	sc.command(scOleg, "questions")
	qv := sc.nextView()
	if qv.CallbackID != bot.ViewQuestions || qv.Title == nil || qv.Title.Text != "Вопросы" {
		t.Fatalf("/pulse questions opened %q titled %+v", qv.CallbackID, qv.Title)
	}
	eleven := strings.Repeat("вариант\n", 10) + "ещё"
	for i := 0; i < 10; i++ {
		eleven = strings.Replace(eleven, "вариант\n", "в"+string(rune('а'+i))+"\n", 1)
	}
	bad := sc.submitByLabel(scOleg, qv, map[string]field{
		"Вопрос#1": {Text: "Какая сделка продвинулась сегодня?"},
		"Вопрос#2": {Text: "какая сделка продвинулась сегодня?"},
		"Вопрос#3": {Text: "Какой канал?"},
		"Тип#3":    {Pick: "Один выбор"},
		"Варианты (один выбор)#3": {Text: eleven},
		"Вопрос#4":             {Text: "Сколько встреч?"},
		"Тип#4":                {Pick: "Число"},
		"Показатель (число)#4": {Text: "calls"},
	})
	if !strings.Contains(bad, `"response_action":"errors"`) {
		t.Fatalf("a duplicate, eleven options and a taken key were not answered inline: %s", bad)
	}
	for _, block := range []string{"q2_text", "q3_options", "q4_metric"} {
		if !strings.Contains(bad, `"`+block+`"`) {
			t.Errorf("no inline error under %s: %s", block, bad)
		}
	}
	hasNone(t, "the inline errors", bad, "already asks", "needs", "Pick another")
	t.Logf("inline errors: %s", bad)

	sc.closed(sc.submitByLabel(scOleg, qv, map[string]field{
		"Вопрос#1":                {Text: "Какая сделка продвинулась сегодня?"},
		"Обязательный#1":          {Picks: []string{"required"}},
		"Вопрос#2":                {Text: "Сколько встреч назначено?"},
		"Тип#2":                   {Pick: "Число"},
		"Показатель (число)#2":    {Text: "meetings = 10"},
		"Вопрос#3":                {Text: "Откуда пришёл лид?"},
		"Тип#3":                   {Pick: "Один выбор"},
		"Варианты (один выбор)#3": {Text: "Сайт\nЗвонок\nРекомендация"},
		"Вопрос#4":                {Text: "Уверенность в плане?"},
		"Тип#4":                   {Pick: "Шкала 1–5"},
		"Вопрос#5":                {Text: "Был ли контакт с ЛПР?"},
		"Тип#5":                   {Pick: "Да/нет"},
	}), "the questions modal")
	saved := sc.messageWith(scOleg, "5")
	t.Logf("saved: %s", saved.Text)

	// The rep may neither change the questions nor read the digest; she is
	// told so in Russian.
	views := sc.opened()
	for _, cmd := range []string{"questions", "digest"} {
		got := readable(sc.command(scIrina, cmd))
		if got == "" || got == "null" {
			t.Errorf("Irina's /pulse %s was answered with nothing", cmd)
		}
		hasNone(t, "Irina's /pulse "+cmd, got, "Only", "managers", "Check-ins of")
	}
	if sc.opened() != views {
		t.Fatal("a rep opened the Questions modal")
	}

	sc.restart()
	sc.checkInFromDM(scIrina, map[string]field{
		"Что сделано вчера":                  {Text: "Две встречи с «Ромашкой»"},
		"План на сегодня":                    {Text: "Позвонить в «Лютик»"},
		"Ваша энергия сегодня":               {Pick: "4"},
		"Звонки":                             {Text: "31"},
		"Какая сделка продвинулась сегодня?": {Text: "=HYPERLINK(\"http://x\") Ромашка"},
		"Сколько встреч назначено?":          {Text: "3"},
		"Откуда пришёл лид?":                 {Pick: "Рекомендация"},
		"Уверенность в плане?":               {Pick: "4"},
		"Был ли контакт с ЛПР?":              {Pick: "Да"},
	})

	rep := readable(sc.command(scOleg, "<@"+scIrina+"|irina>"))
	for _, want := range []string{"Какая сделка продвинулась сегодня?", "Ромашка", "Рекомендация", "Был ли контакт с ЛПР?", "Да"} {
		if !strings.Contains(rep, want) {
			t.Errorf("Oleg's /pulse @irina lacks %q:\n%s", want, rep)
		}
	}
	hasNone(t, "Oleg's /pulse @irina", rep, "Team questions", "Yes\"", "energy")

	// The export holds one column a question and no cell a spreadsheet
	// would run as a formula.
	sc.command(scOleg, "export")
	csv := sc.exportedFile()
	if !strings.Contains(csv, "Был ли контакт с ЛПР?") || !strings.Contains(csv, "Рекомендация") {
		t.Errorf("the export lacks the questions' column or answers:\n%s", csv)
	}
	if strings.Contains(csv, ",=") || strings.Contains(csv, "\"=") {
		t.Errorf("the export holds a formula cell:\n%s", csv)
	}
	sc.slackWouldShowAll()
	sc.p.stopCleanly(t)
}
