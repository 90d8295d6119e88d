package pulse

import "time"

// BlockerStatus is where a blocker stands.
type BlockerStatus string

// A blocker is open until a manager takes it ("on it") and then resolves it.
const (
	BlockerOpen     BlockerStatus = "open"
	BlockerOnIt     BlockerStatus = "on_it"
	BlockerResolved BlockerStatus = "resolved"
)

// Blocker is something in a rep's way, raised in a check-in. The team's
// managers are told at once; it stays on /pulse until resolved, because
// removing barriers is the leader's job.
type Blocker struct {
	ID         string
	TeamID     string
	UserID     string
	Date       Date // the check-in day that raised it
	Text       string
	Status     BlockerStatus
	RaisedAt   time.Time
	TakenBy    string
	TakenAt    time.Time
	ResolvedBy string
	ResolvedAt time.Time
}

// Open reports whether the blocker still stands.
func (b *Blocker) Open() bool { return b.Status != BlockerResolved }

// Move takes b on (to BlockerOnIt, when open) or resolves it (to
// BlockerResolved, unless resolved), by manager by at at, and reports
// whether it changed: a blocker taken or resolved already stays as the
// first manager left it.
func (b *Blocker) Move(to BlockerStatus, by string, at time.Time) bool {
	switch {
	case to == BlockerOnIt && b.Status == BlockerOpen:
		b.Status, b.TakenBy, b.TakenAt = BlockerOnIt, by, at
	case to == BlockerResolved && b.Status != BlockerResolved:
		b.Status, b.ResolvedBy, b.ResolvedAt = BlockerResolved, by, at
	default:
		return false
	}
	return true
}

// Validate checks the blocker and trims its text.
func (b *Blocker) Validate() error {
	var errs ValidationErrors
	var err *Error
	if b.Text, err = cleanText("blocker", b.Text, MaxTextLen, true); err != nil {
		errs = append(errs, err)
	}
	switch b.Status {
	case BlockerOpen, BlockerOnIt, BlockerResolved:
	default:
		errs = append(errs, FieldError("status", "err.internal", nil, "bad blocker status %q", b.Status))
	}
	return errs.OrNil()
}
