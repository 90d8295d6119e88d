package pulse

// Acknowledged reports whether from has already given rep the quick 👍
// for day among given: a leader acknowledges a rep's day once, so a
// second press (or Slack's retry) sends nothing. Typed feedback does not
// count as an acknowledgement.
func Acknowledged(given []Feedback, from, rep string, day Date) bool {
	for _, f := range given {
		if f.Kind == FeedbackAck && f.From == from && f.RepID == rep && f.Date == day {
			return true
		}
	}
	return false
}
