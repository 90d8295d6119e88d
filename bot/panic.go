package bot

import (
	"context"
	"fmt"
	"runtime/debug"
)

// panicError is a handler's panic, recovered.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("handler panicked: %v", e.value) }

func asPanic(err error, target **panicError) bool {
	pe, ok := err.(*panicError)
	if ok {
		*target = pe
	}
	return ok
}

// safeCall runs h, turning a panic into a *panicError.
func safeCall(ctx context.Context, r *Request, h Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &panicError{value: p, stack: debug.Stack()}
		}
	}()
	return h(ctx, r)
}
