package pulse

import (
	"errors"
	"fmt"
	"slices"
)

// Error codes say what kind of failure happened, so each layer can answer it
// the right way: a person gets a clear sentence for EINVALID, ENOTFOUND,
// EFORBIDDEN, ECONFLICT and ELIMIT; EINTERNAL is logged in detail and shown
// to the person only as "something went wrong".
const (
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
	EINTERNAL  = "internal"
	EINVALID   = "invalid"
	// ELIMIT is a request beyond what one person may ask for in a while
	// (PostAllowance): fine in itself, and fine again a little later.
	ELIMIT    = "limit"
	ENOTFOUND = "not_found"
	// EUNAUTHORIZED is a credential an outside service refused: wrong,
	// expired or revoked. Retrying does not help; a person must act.
	EUNAUTHORIZED = "unauthorized"
)

// Error is a failure a person can be told about. Key names the sentence in
// the message catalogue and Data fills its placeholders, so the bot can say
// it in the person's language; Message is the English detail for logs.
type Error struct {
	Code    string
	Key     string         // catalogue key of the sentence shown to a person
	Data    map[string]any // placeholders of that sentence
	Field   string         // the input it is about, for a modal's inline error
	Message string         // detail for the operator's log, in English
}

// Error returns the operator's message.
func (e *Error) Error() string {
	return fmt.Sprintf("pulse error: code=%s key=%s message=%s", e.Code, e.Key, e.Message)
}

// Errorf returns an *Error with the given code, catalogue key and data, and a
// formatted operator message.
func Errorf(code, key string, data map[string]any, format string, args ...any) *Error {
	return &Error{Code: code, Key: key, Data: data, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error about one input of a form.
func FieldError(field, key string, data map[string]any, format string, args ...any) *Error {
	e := Errorf(EINVALID, key, data, format, args...)
	e.Field = field
	return e
}

// ErrorCode returns the code of the first *Error in err's chain, or EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorKey returns the catalogue key and data to show a person for err. Any
// error that is not an *Error is internal, and its text is never shown.
func ErrorKey(err error) (key string, data map[string]any) {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL && e.Key != "" {
		return e.Key, e.Data
	}
	return "err.internal", nil
}

// IsNotFound reports whether err means that something does not exist.
func IsNotFound(err error) bool { return ErrorCode(err) == ENOTFOUND }

// ValidationErrors gathers every bad field of one submission, so a modal can
// mark them all at once instead of one per try.
type ValidationErrors []*Error

// Error lists the fields' messages.
func (v ValidationErrors) Error() string {
	s := "invalid:"
	for _, e := range v {
		s += " " + e.Field + ": " + e.Message + ";"
	}
	return s
}

// Merge adds the field errors of err for fields v does not name yet (a
// field a form could not read is already explained there). An err that
// holds no field errors is returned as it is, for the caller to fail with.
func (v ValidationErrors) Merge(err error) (ValidationErrors, error) {
	var ve ValidationErrors
	if !errors.As(err, &ve) {
		return v, err
	}
	for _, e := range ve {
		if !slices.ContainsFunc(v, func(x *Error) bool { return x.Field == e.Field }) {
			v = append(v, e)
		}
	}
	return v, nil
}

// Unwrap exposes each field's error to errors.Is and errors.As.
func (v ValidationErrors) Unwrap() []error {
	out := make([]error, len(v))
	for i, e := range v {
		out[i] = e
	}
	return out
}

// OrNil returns v as an error, or nil when it is empty.
func (v ValidationErrors) OrNil() error {
	if len(v) == 0 {
		return nil
	}
	return v
}
