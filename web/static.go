package web

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/salespulse/pulse"
)

// files links the pages as files side by side in one folder, for a copy of
// the dashboard read without a server (the demo writes one).
type files struct{}

func (files) home() string                           { return "team.html" }
func (files) team(string, int) string                { return "team.html" }
func (files) rep(_, rep string, _ int) string        { return "rep-" + rep + ".html" }
func (files) leader(_, manager string, _ int) string { return "leader-" + manager + ".html" }
func (files) assets() string                         { return "" }

// WriteFiles writes what user sees of a team over weeks as HTML files in
// dir: team.html, rep-<ID>.html for each rep, leader-<ID>.html for each
// manager whose pulse user may see, and style.css. The pages are
// those the server shows, without the forms that need a session (sign-out,
// export) and with one span only. It returns the paths written, the team
// page first. user must be allowed to see the team.
func (s *Server) WriteFiles(ctx context.Context, dir, user, teamID string, weeks int) ([]string, error) {
	team, err := s.cfg.Store.Team(ctx, teamID)
	if err != nil {
		return nil, err
	}
	v := &viewer{actor: pulse.Actor{UserID: user}}
	if err := pulse.CanSeeHistory(v.actor, team); err != nil {
		return nil, err
	}
	if err := s.loadViewer(ctx, v); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("dashboard files: %w", err)
	}
	var written []string
	write := func(name string, p *page) error {
		p.Periods = nil // one span only: the files have no other
		var buf bytes.Buffer
		if err := s.tmpl.ExecuteTemplate(&buf, "page", p); err != nil {
			return fmt.Errorf("render %s: %w", name, err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("dashboard files: %w", err)
		}
		written = append(written, path)
		return nil
	}
	p, err := s.buildTeamPage(ctx, v, files{}, team, weeks)
	if err != nil {
		return nil, err
	}
	if err := write(files{}.team(team.ID, weeks), p); err != nil {
		return nil, err
	}
	for _, rep := range team.Reps {
		if err := pulse.CanSeeTimeline(v.actor, team, rep); err != nil {
			continue
		}
		p, err := s.buildRepPage(ctx, v, files{}, team, rep, weeks)
		if err != nil {
			return nil, err
		}
		if err := write(files{}.rep(team.ID, rep, weeks), p); err != nil {
			return nil, err
		}
	}
	for _, m := range team.Managers {
		if pulse.CanSeeLeaderPulse(v.actor, team, m) != nil {
			continue
		}
		p, err := s.buildLeaderPage(ctx, v, files{}, team, m, weeks)
		if err != nil {
			return nil, err
		}
		if err := write(files{}.leader(team.ID, m, weeks), p); err != nil {
			return nil, err
		}
	}
	css, err := fs.ReadFile(assetFS, "assets/style.css")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "style.css"), css, 0o644); err != nil {
		return nil, fmt.Errorf("dashboard files: %w", err)
	}
	return written, nil
}
