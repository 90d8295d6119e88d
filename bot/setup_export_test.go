package bot

// The setup modal's zone list and the formatting functions, opened to the
// external tests.
var (
	ZoneNames    = zoneNames
	FormatNumber = formatNumber
	FormatDate   = formatDate
	ParseNumber  = parseNumber
)
