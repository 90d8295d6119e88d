package bot

import (
	"testing"
	"time"
)

func TestRecentEnvelopesKeepAnAnswerForAMinute(t *testing.T) {
	var r recentEnvelopes
	r.init()
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	res, first := r.begin("E1", start)
	if !first {
		t.Fatal("the first delivery was not first")
	}
	res.finish("the answer")

	again, first := r.begin("E1", start.Add(30*time.Second))
	if first || again.payload != "the answer" {
		t.Fatalf("a redelivery within a minute: first %v, payload %v; want the first answer", first, again.payload)
	}
	// A begin more than a minute on sweeps: the envelope is forgotten
	// here, and the store's envelope log answers "already done".
	r.begin("E2", start.Add(2*time.Minute))
	if _, first := r.begin("E1", start.Add(2*time.Minute)); !first {
		t.Error("an envelope two minutes old is still held in memory")
	}
	if again.payload != "the answer" {
		t.Error("the sweep changed a result a redelivery was holding")
	}
}

func TestRecentEnvelopesKeepOneStillBeingHandled(t *testing.T) {
	var r recentEnvelopes
	r.init()
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	slow, _ := r.begin("E1", start)
	r.begin("E2", start.Add(2*time.Minute)) // sweeps while E1 is not finished
	waiting, first := r.begin("E1", start.Add(2*time.Minute))
	if first || waiting != slow {
		t.Fatal("a redelivery of an envelope still being handled did not wait for it")
	}
	slow.finish("late answer")
	<-waiting.done
	if waiting.payload != "late answer" {
		t.Errorf("payload %v, want the late answer", waiting.payload)
	}
}
