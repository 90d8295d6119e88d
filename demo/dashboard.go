package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/salespulse/pulse/web"
)

// dashboardWeeks is the span of the demo's dashboard pages: its week and
// the days the team was on Pulse before it.
const dashboardWeeks = 4

// dashboard writes the web dashboard's pages as the manager sees them at
// the end of the week (the team, and each rep's timeline) into dir, so a
// newcomer sees them without a Slack account or a server.
func (w *world) dashboard(ctx context.Context, dir string) ([]string, error) {
	srv, err := web.New(web.Config{Store: w.db, Catalog: w.bot.Catalog(), PublicURL: "http://localhost",
		Clock: w.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, fmt.Errorf("demo: dashboard: %w", err)
	}
	paths, err := srv.WriteFiles(ctx, dir, ingrid, w.team.ID, dashboardWeeks)
	if err != nil {
		return nil, fmt.Errorf("demo: dashboard: %w", err)
	}
	// The transcript links the team page, relative to its own folder.
	w.tr.Dashboard = filepath.ToSlash(filepath.Join(filepath.Base(dir), filepath.Base(paths[0])))
	return paths, nil
}
