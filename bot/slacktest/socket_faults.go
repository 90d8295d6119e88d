package slacktest

// Disconnect asks every open socket to reconnect, as Slack does before it
// restarts a host ("warning", "refresh_requested", "too_many_websockets",
// "link_disabled").
func (s *Server) Disconnect(reason string) {
	s.mu.Lock()
	socks := append([]*sock(nil), s.socket.socks...)
	s.mu.Unlock()
	frame := map[string]any{
		"type":       "disconnect",
		"reason":     reason,
		"debug_info": map[string]any{"host": "applink-slacktest"},
	}
	for _, k := range socks {
		if err := k.writeJSON(frame); err != nil {
			s.dropSock(k)
		}
	}
}

// DropSockets closes every socket's TCP connection abruptly, with no close
// frame, as a network failure would.
func (s *Server) DropSockets() {
	s.mu.Lock()
	socks := s.socket.takeAll()
	s.notifyLocked()
	s.mu.Unlock()
	for _, k := range socks {
		k.close()
	}
}

// Silence makes the server go quiet on every socket while on: sockets stay
// open but it sends no frames, pings or pongs and ignores what it reads; new
// sockets are not greeted. Envelopes sent meanwhile wait in the queue.
// Turning it off resumes pings, greets sockets that connected meanwhile, and
// delivers the queue.
func (s *Server) Silence(on bool) {
	s.mu.Lock()
	s.socket.silenced = on
	var greet []*sock
	if !on {
		for _, k := range s.socket.socks {
			if !k.greeted {
				k.greeted = true
				greet = append(greet, k)
			}
		}
	}
	n := len(s.socket.socks)
	s.mu.Unlock()
	for _, k := range greet {
		s.sendHello(k, n)
	}
	if !on {
		s.flush()
	}
}
