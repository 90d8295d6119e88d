package bot

// ZoneNames opens the setup modal's list of time zones to the tests.
var ZoneNames = zoneNames
