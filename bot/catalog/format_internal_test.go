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

// TestNumbersAreWrittenAsThePrinterWritesThem holds the fast path for
// whole numbers and tenths under a billion to the printer's output in every
// language, grouping (Polish groups only five digits and more) and decimal
// mark included.
func TestNumbersAreWrittenAsThePrinterWritesThem(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	values := []float64{999999999, 123456789, 1000000, 99999.9, 100000.5}
	for n := 0; n < 200000; n += 7 {
		values = append(values, float64(n), float64(n)/10)
	}
	for n := range 10000 {
		values = append(values, float64(n)/10)
	}
	for _, lang := range pulse.Langs {
		m := c.marks(lang)
		if m.decimal == "" || m.group == "" || len(m.decimal) > 3 || len(m.group) > 3 {
			t.Errorf("%s: marks %+v", lang, m)
		}
		for _, v := range values {
			for _, decimals := range []int{1, 2} {
				want := c.printer(lang).Sprint(number.Decimal(v, number.MaxFractionDigits(decimals)))
				if got := c.Number(lang, v, decimals); got != want {
					t.Fatalf("%s: Number(%v, %d) = %q, the printer writes %q", lang, v, decimals, got, want)
				}
			}
		}
	}
}
