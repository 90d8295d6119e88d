package pulse

import "testing"

func TestFeedbackKeyNamesEachDeliveryOnce(t *testing.T) {
	for _, tt := range []struct {
		reply int
		occ   string
	}{{0, "f12"}, {1, "f12+1"}, {50, "f12+50"}} {
		k := FeedbackKey("T1", "U1", "f12", tt.reply)
		if !k.Valid() || k.Occurrence != tt.occ || k.Kind != JobFeedback {
			t.Fatalf("FeedbackKey(reply %d) = %+v, want occurrence %q", tt.reply, k, tt.occ)
		}
		id, n, ok := ParseFeedbackOccurrence(k.Occurrence)
		if !ok || id != "f12" || n != tt.reply {
			t.Fatalf("ParseFeedbackOccurrence(%q) = %q %d %v", k.Occurrence, id, n, ok)
		}
	}
	for _, bad := range []string{"", "+1", "f12+0", "f12+-1", "f12+x", "f12+"} {
		if _, _, ok := ParseFeedbackOccurrence(bad); ok {
			t.Errorf("ParseFeedbackOccurrence(%q) accepted a forged occurrence", bad)
		}
	}
}

func TestFeedbackUndeliveredUntilEveryPartIsMarked(t *testing.T) {
	f := Feedback{}
	if !f.Undelivered() {
		t.Fatal("new feedback counts as delivered")
	}
	f.TS = "1.1"
	if f.Undelivered() {
		t.Fatal("delivered feedback without replies counts as undelivered")
	}
	f.Replies = []FeedbackReply{{From: "U1", Text: "ok", TS: "1.2"}, {From: "U2", Text: "good"}}
	if !f.Undelivered() {
		t.Fatal("a reply not delivered went unnoticed")
	}
	f.Replies[1].TS = "1.3"
	if f.Undelivered() {
		t.Fatal("every part delivered, still undelivered")
	}
}
