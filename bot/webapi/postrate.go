package webapi

// setPostRate sets the workspace-wide pace of chat.postMessage to perMinute,
// with bursts of a tenth of a second's worth (at least the default's burst);
// zero or less keeps the default. It fills the method's bucket ahead of the
// first call, which then draws from it instead of making one at the
// default pace. Call it before the pacer carries any call.
func (p *pacer) setPostRate(perMinute int) {
	if perMinute <= 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.methods[postMessage] = newBucket(perMinute, max(postPerWorkspace.burst, perMinute/600))
}
