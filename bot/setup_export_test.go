package bot

// The setup modal's zone list, opened to the external tests.
var ZoneNames = zoneNames
