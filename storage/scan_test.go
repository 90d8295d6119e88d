package storage_test

import (
	"errors"
	"testing"
)

// scanned runs scan and returns copies of the records it hands to fn,
// made by keep; it fails the test when scan hands out a new record rather
// than reusing one, as the Scan queries promise.
func scanned[T any](t *testing.T, scan func(fn func(*T) error) error, keep func(*T) T) []T {
	t.Helper()
	var got []T
	var seen *T
	err := scan(func(v *T) error {
		if seen != nil && v != seen {
			t.Error("the scan handed out a new record; it reuses one")
		}
		seen = v
		got = append(got, keep(v))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// scanStops checks that an error from fn ends scan at once and comes back
// as it is.
func scanStops[T any](t *testing.T, scan func(fn func(*T) error) error) {
	t.Helper()
	stop := errors.New("enough")
	n := 0
	if err := scan(func(*T) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("scan = %v after %d calls; want %v after 1", err, n, stop)
	}
}

// copyOf keeps a record that holds nothing the scan reuses.
func copyOf[T any](v *T) T { return *v }
