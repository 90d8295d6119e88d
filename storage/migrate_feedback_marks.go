package storage

import (
	"encoding/json"
	"fmt"

	"github.com/salespulse/pulse/storage/kv"
)

// markRepliesDelivered is schema 8: a reply saved before replies carried
// their delivered mark was delivered when it was saved (or is lost with
// no way to tell); it gets the ts of the thread it went to as its mark, so
// that the sweep of undelivered feedback does not post it a second time.
// Feedback is JSON (see put); only the replies' marks are touched.
func markRepliesDelivered(tx kv.Tx) error {
	type reply struct {
		From string
		TS   string
	}
	type record struct {
		From     string
		TS       string
		LeaderTS string
		Replies  []reply
	}
	b := tx.Bucket(bucketFeedback)
	if b == nil {
		return nil
	}
	updates := map[string][]byte{}
	err := b.ForEach(func(k, v []byte) error {
		var r record
		if err := json.Unmarshal(v, &r); err != nil {
			return fmt.Errorf("feedback %s: %w", k, err)
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(v, &raw); err != nil {
			return fmt.Errorf("feedback %s: %w", k, err)
		}
		var replies []map[string]json.RawMessage
		if len(raw["Replies"]) == 0 || json.Unmarshal(raw["Replies"], &replies) != nil || len(replies) != len(r.Replies) {
			return nil
		}
		changed := false
		for i, rp := range r.Replies {
			if rp.TS != "" {
				continue
			}
			mark := r.TS
			if rp.From != r.From && r.LeaderTS != "" {
				mark = r.LeaderTS
			}
			if mark == "" {
				continue
			}
			ts, _ := json.Marshal(mark)
			replies[i]["TS"] = ts
			changed = true
		}
		if !changed {
			return nil
		}
		var err error
		if raw["Replies"], err = json.Marshal(replies); err != nil {
			return err
		}
		buf, err := json.Marshal(raw)
		if err != nil {
			return err
		}
		updates[string(k)] = buf
		return nil
	})
	if err != nil {
		return err
	}
	for k, v := range updates {
		if err := b.Put([]byte(k), v); err != nil {
			return fmt.Errorf("mark replies of feedback %s: %w", k, err)
		}
	}
	return nil
}
