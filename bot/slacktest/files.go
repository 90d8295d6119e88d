package slacktest

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// upload is a file between files.getUploadURLExternal and
// files.completeUploadExternal.
type upload struct {
	name     string
	length   int
	bytes    []byte
	received bool
}

// handleGetUploadURL answers files.getUploadURLExternal with an upload URL
// on this server.
func (s *Server) handleGetUploadURL(r *request) {
	name := r.arg("filename")
	length, err := strconv.Atoi(r.arg("length"))
	if name == "" || err != nil || length <= 0 {
		r.fail("invalid_arguments", nil)
		return
	}
	s.mu.Lock()
	id := s.nextIDLocked("F")
	s.web.uploads[id] = &upload{name: name, length: length}
	s.mu.Unlock()
	r.ok(map[string]any{"upload_url": s.http.URL + "/upload/" + id, "file_id": id})
}

// serveUpload takes the bytes of a file, raw or as multipart "file" (as
// slack-go sends them).
func (s *Server) serveUpload(w http.ResponseWriter, hr *http.Request) {
	id := strings.TrimPrefix(hr.URL.Path, "/upload/")
	var data []byte
	var err error
	if strings.HasPrefix(hr.Header.Get("Content-Type"), "multipart/") {
		if err = hr.ParseMultipartForm(maxBody); err == nil {
			f, _, ferr := hr.FormFile("file")
			if ferr != nil {
				err = ferr
			} else {
				data, err = io.ReadAll(f)
				_ = f.Close()
			}
		}
	} else {
		data, err = io.ReadAll(io.LimitReader(hr.Body, maxBody))
	}
	if err != nil {
		http.Error(w, "bad upload", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	u := s.web.uploads[id]
	if u != nil {
		u.bytes, u.received = data, true
	}
	s.mu.Unlock()
	if u == nil {
		http.Error(w, "unknown file", http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "OK - "+strconv.Itoa(len(data)))
}

// handleCompleteUpload answers files.completeUploadExternal, recording each
// uploaded file with the channel it was shared to.
func (s *Server) handleCompleteUpload(r *request) {
	var summaries []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(r.arg("files")), &summaries); err != nil || len(summaries) == 0 {
		r.fail("invalid_arguments", nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	channel := r.arg("channel_id")
	if channel == "" {
		channel = r.arg("channels")
	}
	if channel != "" {
		if channel = s.resolveChannelLocked(channel); channel == "" {
			r.fail("channel_not_found", nil)
			return
		}
	}
	for _, f := range summaries {
		u := s.web.uploads[f.ID]
		if u == nil || !u.received {
			r.fail("file_not_found", nil)
			return
		}
	}
	out := make([]map[string]any, 0, len(summaries))
	for _, f := range summaries {
		u := s.web.uploads[f.ID]
		delete(s.web.uploads, f.ID)
		title := f.Title
		if title == "" {
			title = u.name
		}
		s.rec.files = append(s.rec.files, File{
			ID: f.ID, Name: u.name, Title: title, Channel: channel,
			ThreadTS: r.arg("thread_ts"), InitialComment: r.arg("initial_comment"), Bytes: u.bytes,
		})
		out = append(out, map[string]any{"id": f.ID, "title": title})
	}
	s.notifyLocked()
	r.ok(map[string]any{"files": out})
}
