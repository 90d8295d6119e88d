package pulse_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/salespulse/pulse"
)

func resolveEmail(email string) (string, bool) {
	if email == "anna@example.com" {
		return "UANNA", true
	}
	return "", false
}

func TestReadPlans(t *testing.T) {
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	good := "user,period,start,calls,notes\nUANNA,month,2026-05-01,1000,\nanna@example.com,quarter,2026-04-01,3000,12\nUOLE,Week,2026-05-06,250,3\n"
	plans, err := pulse.ReadPlans(strings.NewReader("\ufeff"+good), planTeam(), resolveEmail, "UMGR", now)
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 5 || plans[1].UserID != "UANNA" || plans[1].Period != pulse.PeriodQuarter || plans[4].Start.String() != "2026-05-04" || plans[0].SetBy != "UMGR" {
		t.Errorf("plans %+v", plans)
	}

	// Every bad line is reported with its number; nothing is returned.
	bad := strings.Join([]string{
		"user,period,start,calls,notes",
		"UANNA,month,2026-05-01,1000,",          // 2: good
		"UNOBODY,month,2026-05-01,10,",          // 3: not a rep
		"UOLE,year,2026-13-40,ten,",             // 4: period, date, number
		"=HYPERLINK(\"x\"),month,2026-05-01,1,", // 5: a formula
		"UOLE,month,2026-05-01,+1,",             // 6: a formula-looking number
		"nobody@example.com,week,2026-05-04,1,", // 7: unknown email
		"UANNA,month,2026-05-17,5,",             // 8: the same month as line 2
		"UOLE,month",                            // 9: short
		"UOLE,week,2026-05-04,2000000000,",      // 10: too big
	}, "\n")
	_, err = pulse.ReadPlans(strings.NewReader(bad), planTeam(), resolveEmail, "UMGR", now)
	var fe pulse.PlanFileErrors
	if !errors.As(err, &fe) {
		t.Fatalf("error %v; want the file's problems", err)
	}
	var lines []int
	for _, e := range fe {
		if len(lines) == 0 || lines[len(lines)-1] != e.Line {
			lines = append(lines, e.Line)
		}
	}
	if got, want := lines, []int{3, 4, 5, 6, 7, 8, 9, 10}; !equalInts(got, want) {
		t.Errorf("bad lines %v; want %v\n%v", got, want, err)
	}
	if !strings.Contains(err.Error(), "line 4, period") || !strings.Contains(err.Error(), "line 4, start") || !strings.Contains(err.Error(), "line 4, calls") {
		t.Errorf("line 4's three problems are not each named:\n%v", err)
	}

	for name, file := range map[string]string{
		"an unknown metric column": "user,period,start,revenue\nUANNA,month,2026-05-01,1\n",
		"a header too short":       "user,period,start\n",
		"an empty file":            "",
	} {
		if _, err := pulse.ReadPlans(strings.NewReader(file), planTeam(), resolveEmail, "UMGR", now); !errors.As(err, &fe) || fe[0].Line != 1 {
			t.Errorf("%s: %v; want line 1 refused", name, err)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestWritePlansReadsBack(t *testing.T) {
	team := planTeam()
	in := []pulse.Plan{plan("calls", pulse.PeriodMonth, "2026-05-01", 1000), plan("notes", pulse.PeriodMonth, "2026-05-01", 12.5), plan("calls", pulse.PeriodWeek, "2026-05-04", 250)}
	var buf bytes.Buffer
	if err := pulse.WritePlans(&buf, team, in); err != nil {
		t.Fatal(err)
	}
	if want := "user,period,start,calls,notes\nUANNA,month,2026-05-01,1000,12.5\nUANNA,week,2026-05-04,250,\n"; buf.String() != want {
		t.Errorf("file:\n%s\nwant:\n%s", buf.String(), want)
	}
	back, err := pulse.ReadPlans(&buf, team, resolveEmail, "UMGR", time.Now())
	if err != nil || len(back) != 3 {
		t.Errorf("read back %+v, %v", back, err)
	}
}
