package pulse

// StartsFormula reports whether a spreadsheet would run s as a formula
// rather than show it: text that begins with =, +, -, @, a tab or a
// carriage return (OWASP's list for CSV injection). It is the one rule for
// text that reaches a spreadsheet: setup refuses metric names that match
// it, and the export puts an apostrophe before every cell that does, which
// spreadsheets show as text.
func StartsFormula(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}
