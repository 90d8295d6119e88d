// Package pulse holds Pulse's domain: teams of sales reps and their
// managers, the daily check-ins, weekly commitments, trainings and their
// nudges, 1:1s, kudos and blockers, the permission rules over them, and the
// interfaces that the storage, cadence and bot packages meet at.
//
// It imports nothing but the standard library, so that every layer can
// share its types and no layer's dependencies leak into another.
package pulse

// Version is the build's version, set with -ldflags "-X github.com/salespulse/pulse.Version=…".
var Version = "dev"
