package bot

import (
	"slices"
	"strconv"
	"strings"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/bot/catalog"
)

// parseMetrics reads the metrics input: one metric a line, written
// "key: Name = target" (the target may be left out), e.g.
// "calls: Calls = 100", and for a metric the CRM fills its measure in
// brackets at the end, e.g. "calls: Calls = 100 [calls]" (cutMeasure).
// Blank lines are skipped.
// Team.Validate then checks the keys, names, targets and measures.
func parseMetrics(text string) ([]pulse.Metric, *pulse.Error) {
	var out []pulse.Metric
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		line, measure, err := cutMeasure(line)
		if err != nil {
			return nil, err
		}
		key, rest, ok := strings.Cut(line, ":")
		name, target, hasTarget := strings.Cut(rest, "=")
		m := pulse.Metric{Key: strings.TrimSpace(key), Name: strings.TrimSpace(name), Measure: measure}
		if hasTarget {
			n, okN := catalog.ParseNumber(target)
			ok = ok && okN
			m.Target = n
		}
		if !ok || m.Key == "" || m.Name == "" {
			return nil, pulse.FieldError("metrics", "setup.metric_line", map[string]any{"Line": i + 1, "Value": line}, "metric line %d malformed", i+1)
		}
		out = append(out, m)
	}
	return out, nil
}

// formatMetrics writes metrics the way parseMetrics reads them back.
func formatMetrics(ms []pulse.Metric) string {
	lines := make([]string, 0, len(ms))
	for _, m := range ms {
		line := m.Key + ": " + m.Name + " = " + strconv.FormatFloat(m.Target, 'f', -1, 64)
		if !m.Measure.IsZero() {
			line += " [" + m.Measure.String() + "]"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// cutMeasure takes a CRM measure off the end of a metric line: "[calls]",
// "[activities:Demo]". Brackets that do not start with a measure's name
// belong to the metric's name ("Calls [EMEA]").
func cutMeasure(line string) (string, pulse.MeasureSpec, *pulse.Error) {
	open := strings.LastIndex(line, " [")
	if !strings.HasSuffix(line, "]") || open < 0 {
		return line, pulse.MeasureSpec{}, nil
	}
	inner := strings.TrimSpace(line[open+2 : len(line)-1])
	head, _, _ := strings.Cut(inner, ":")
	if !slices.Contains(pulse.Measures, pulse.Measure(strings.ToLower(strings.TrimSpace(head)))) {
		return line, pulse.MeasureSpec{}, nil
	}
	spec, err := pulse.ParseMeasureSpec(inner)
	if err != nil {
		return line, spec, pulse.FieldError("metrics", "err.crm_measure", map[string]any{"Value": clipText(inner, maxEchoChars)}, "bad measure %q", inner)
	}
	return strings.TrimSpace(line[:open]), spec, nil
}
