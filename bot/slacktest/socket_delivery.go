package slacktest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Envelope is one Socket Mode frame carrying a request for the app, exactly
// as it goes over the wire.
type Envelope struct {
	Type                   string          `json:"type"` // slash_commands, interactive or events_api
	EnvelopeID             string          `json:"envelope_id"`
	Payload                json.RawMessage `json:"payload"`
	AcceptsResponsePayload bool            `json:"accepts_response_payload"`
	RetryAttempt           int             `json:"retry_attempt"`
	RetryReason            string          `json:"retry_reason"`
}

// NewEnvelopeID returns an envelope ID unique within the server, for
// SendEnvelope.
func (s *Server) NewEnvelopeID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nextEnvelopeIDLocked()
}

func (s *Server) nextEnvelopeIDLocked() string {
	s.seq++
	return fmt.Sprintf("env-%06d-slacktest", s.seq)
}

// SendEnvelope delivers an envelope to the newest greeted socket, or queues
// it until one is ready (and not silenced). Sending an envelope ID again is a
// redelivery: set RetryAttempt and RetryReason as Slack would.
func (s *Server) SendEnvelope(ctx context.Context, env Envelope) error {
	if env.EnvelopeID == "" {
		return fmt.Errorf("slacktest: send envelope: envelope_id is required (see NewEnvelopeID)")
	}
	if env.Type == "" {
		return fmt.Errorf("slacktest: send envelope %s: type is required", env.EnvelopeID)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("slacktest: send envelope %s: %w", env.EnvelopeID, err)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return fmt.Errorf("slacktest: send envelope %s: server closed", env.EnvelopeID)
	}
	s.socket.queue = append(s.socket.queue, env)
	s.mu.Unlock()
	s.flush()
	return nil
}

// Queued reports how many envelopes wait for a socket.
func (s *Server) Queued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.socket.queue)
}

// flush writes queued envelopes, in order, to the newest greeted socket.
func (s *Server) flush() {
	s.socket.sendMu.Lock()
	defer s.socket.sendMu.Unlock()
	for {
		s.mu.Lock()
		if len(s.socket.queue) == 0 || s.socket.silenced || s.closed {
			s.mu.Unlock()
			return
		}
		env := s.socket.queue[0]
		k := s.pickSockLocked(env.EnvelopeID)
		if k == nil {
			s.mu.Unlock()
			return
		}
		s.socket.queue = s.socket.queue[1:]
		delete(s.socket.avoid, env.EnvelopeID)
		k.got++
		// Record before writing: the ack can be read before WriteMessage returns.
		s.socket.sent[env.EnvelopeID] = sentFrame{env: env, at: time.Now(), to: k}
		s.mu.Unlock()

		if err := k.writeJSON(env); err != nil {
			s.mu.Lock()
			s.socket.queue = append([]Envelope{env}, s.socket.queue...)
			s.mu.Unlock()
			s.dropSock(k)
		}
	}
}

// recordAck keeps an ack, read off the socket at now, and what its payload
// means for the conversation.
func (s *Server) recordAck(envelopeID string, payload json.RawMessage, now time.Time) {
	if len(payload) == 0 || string(payload) == "null" {
		payload = nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a := Ack{EnvelopeID: envelopeID, Payload: payload, AckedAt: now}
	sent, known := s.socket.sent[envelopeID]
	if known {
		a.SentAt = sent.at
		a.Latency = now.Sub(sent.at)
	}
	if s.rec.acksByID == nil {
		s.rec.acksByID = make(map[string][]int)
	}
	s.rec.acksByID[envelopeID] = append(s.rec.acksByID[envelopeID], len(s.rec.acks))
	s.rec.acks = append(s.rec.acks, a)
	if known && payload != nil {
		s.applyAckPayloadLocked(sent.env, payload)
	}
	s.notifyLocked()
}

// pickSockLocked chooses the socket for the next envelope: the newest
// greeted one, or with WithSpread the next greeted one in turn, skipping
// the one a redelivery left when another is there. s.mu must be held.
func (s *Server) pickSockLocked(envelopeID string) *sock {
	socks := s.socket.socks
	if !s.cfg.spread {
		for i := len(socks) - 1; i >= 0; i-- {
			if socks[i].ready {
				return socks[i]
			}
		}
		return nil
	}
	var fallback *sock
	for range len(socks) {
		k := socks[s.socket.turn%len(socks)]
		s.socket.turn++
		if !k.ready {
			continue
		}
		if k == s.socket.avoid[envelopeID] {
			fallback = k
			continue
		}
		return k
	}
	return fallback
}

// maxRedeliveries is how often Slack delivers an unacknowledged event again.
const maxRedeliveries = 3

// redeliverLoop, with WithSpread, queues again every events_api envelope
// left unacknowledged too long or whose socket went away.
func (s *Server) redeliverLoop() {
	t := time.NewTicker(min(max(s.cfg.redeliverAfter/4, 10*time.Millisecond), 100*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-s.socket.quit:
			return
		case <-t.C:
		}
		s.mu.Lock()
		now := time.Now()
		queued := false
		for id, f := range s.socket.sent {
			if f.env.Type != "events_api" || len(s.rec.acksByID[id]) > 0 || f.env.RetryAttempt >= maxRedeliveries {
				continue
			}
			if now.Sub(f.at) < s.cfg.redeliverAfter && slices.Contains(s.socket.socks, f.to) {
				continue
			}
			env := f.env
			env.RetryAttempt++
			env.RetryReason = "timeout"
			s.socket.avoid[id] = f.to
			// Not again from here until this delivery is written.
			delete(s.socket.sent, id)
			s.socket.queue = append(s.socket.queue, env)
			s.socket.redelivered++
			queued = true
		}
		s.mu.Unlock()
		if queued {
			s.flush()
		}
	}
}

// Redelivered reports how many envelopes WithSpread has delivered again.
func (s *Server) Redelivered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.socket.redelivered
}

// Spread reports how many envelopes each open socket has been given,
// oldest socket first.
func (s *Server) Spread() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int, len(s.socket.socks))
	for i, k := range s.socket.socks {
		out[i] = k.got
	}
	return out
}
