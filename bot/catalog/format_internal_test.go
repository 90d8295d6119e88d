package catalog

import (
	"testing"

	"golang.org/x/text/number"

	"github.com/salespulse/pulse"
)

// TestSmallWholeNumbersAreWrittenAsThePrinterWritesThem holds the fast path
// for whole numbers under a thousand to the printer's output in every
// language, with and without decimals asked for.
func TestSmallWholeNumbersAreWrittenAsThePrinterWritesThem(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range pulse.Langs {
		for n := range 1000 {
			want := c.printer(lang).Sprint(number.Decimal(float64(n), number.MaxFractionDigits(0)))
			if got := c.Count(lang, n); got != want {
				t.Errorf("%s: Count(%d) = %q, the printer writes %q", lang, n, got, want)
			}
			if got := c.Number(lang, float64(n), 2); got != want {
				t.Errorf("%s: Number(%d, 2) = %q, the printer writes %q", lang, n, got, want)
			}
		}
		for _, v := range []float64{1000, 1234.5, 999.5, -1, 0.5} {
			want := c.printer(lang).Sprint(number.Decimal(v, number.MaxFractionDigits(1)))
			if got := c.Number(lang, v, 1); got != want {
				t.Errorf("%s: Number(%v, 1) = %q, the printer writes %q", lang, v, got, want)
			}
		}
	}
}

// TestOneDecimalNumbersAreWrittenAsThePrinterWritesThem holds the fast path
// for numbers of one decimal under a thousand to the printer's output in
// every language.
func TestOneDecimalNumbersAreWrittenAsThePrinterWritesThem(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range pulse.Langs {
		if mark := c.decimalMark(lang); mark == "" || len(mark) > 2 {
			t.Errorf("%s: decimal mark %q", lang, mark)
		}
		for tenths := range 10000 {
			v := float64(tenths) / 10
			for _, decimals := range []int{1, 2} {
				want := c.printer(lang).Sprint(number.Decimal(v, number.MaxFractionDigits(decimals)))
				if got := c.Number(lang, v, decimals); got != want {
					t.Fatalf("%s: Number(%v, %d) = %q, the printer writes %q", lang, v, decimals, got, want)
				}
			}
		}
	}
}
