package storage

import (
	"reflect"
	"testing"
	"time"
)

// codec is one record type's binary form, as its tests drive it: times
// lists the record's times, which come back as the same instant at the same
// offset but not always as equal values.
type codec[T any] struct {
	form[T]
	times func(*T) []*time.Time
}

// roundTrip encodes v and decodes it back, with and without shared names
// and into a record already holding it, and checks that every cut-short value and a trailing byte are errors,
// never a panic.
func (c codec[T]) roundTrip(t *testing.T, v T) {
	t.Helper()
	buf, err := c.encode(&v)
	if err != nil {
		t.Fatal(err)
	}
	for _, strs := range []*names{nil, newNames()} {
		// Twice into one record, as a scan reuses it: the second decode
		// starts from the first's values.
		var got T
		for range 2 {
			if err := c.decode(buf, &got, strs); err != nil {
				t.Fatal(err)
			}
		}
		want := v
		gotTimes, wantTimes := c.times(&got), c.times(&want)
		for i := range gotTimes {
			_, gotOffset := gotTimes[i].Zone()
			_, wantOffset := wantTimes[i].Zone()
			if !gotTimes[i].Equal(*wantTimes[i]) || gotOffset != wantOffset {
				t.Errorf("time %v, want %v", *gotTimes[i], *wantTimes[i])
			}
			*gotTimes[i], *wantTimes[i] = time.Time{}, time.Time{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got  %+v\nwant %+v", got, want)
		}
	}
	var got T
	for n := range len(buf) {
		if err := c.decode(buf[:n], &got, nil); err == nil {
			t.Errorf("decoding the first %d of %d bytes succeeded", n, len(buf))
		}
	}
	if err := c.decode(append(buf, 0), &got, nil); err == nil {
		t.Error("decoding with a trailing byte succeeded")
	}
}

// fuzz checks that what decodes from b encodes back to a value that
// decodes the same, but for its times' locations.
func (c codec[T]) fuzz(t *testing.T, b []byte) {
	var v T
	if c.decode(b, &v, newNames()) != nil {
		return
	}
	again, err := c.encode(&v)
	if err != nil {
		return // a time MarshalBinary refuses, such as an odd offset
	}
	var v2 T
	if err := c.decode(again, &v2, nil); err != nil {
		t.Fatalf("re-decode: %v", err)
	}
	times, times2 := c.times(&v), c.times(&v2)
	for i := range times {
		if !times[i].Equal(*times2[i]) {
			t.Fatalf("time %v came back as %v", *times[i], *times2[i])
		}
		*times[i], *times2[i] = time.Time{}, time.Time{}
	}
	if !reflect.DeepEqual(v, v2) && !hasNaN(v) {
		t.Fatalf("re-decoded %+v, want %+v", v2, v)
	}
}

// hasNaN reports whether a float field of v is NaN, which equals nothing.
func hasNaN(v any) bool {
	rv := reflect.ValueOf(v)
	for i := range rv.NumField() {
		if f := rv.Field(i); f.Kind() == reflect.Float64 && f.Float() != f.Float() {
			return true
		}
	}
	return false
}
