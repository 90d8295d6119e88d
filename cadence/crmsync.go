package cadence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/salespulse/pulse"
)

// How long a sync point may still be pulled after its time, after a
// downtime: an hourly pull is overtaken by the next one, but a day's final
// figures are worth fetching late.
const (
	crmSyncLate  = 55 * time.Minute
	crmFinalLate = 12 * time.Hour
	// crmStaleClaim is how long a pull claimed by another run may stay
	// unfinished before it is taken over: that run stopped mid-pull, and a
	// pull only overwrites figures, so doing it again is harmless.
	crmStaleClaim = 10 * time.Minute
)

// CRMSyncConfig is what a CRMSyncer is built from. Clock, Store and
// Notifier are required; CRMs holds a connection per CRM the environment
// has credentials for.
type CRMSyncConfig struct {
	Clock    pulse.Clock
	Store    pulse.Store
	Notifier pulse.Notifier
	CRMs     map[pulse.CRMKind]pulse.CRM
	// Admins are told, with the team's managers, when a CRM refuses its
	// credential (PULSE_ADMINS).
	Admins []string
	// Owner names this run in the job ledger; default a random one.
	Owner  string
	Logger *slog.Logger
}

// CRMSyncer pulls each team's numbers from its CRM at the team's sync
// points (pulse.CRMSyncPoints), each point claimed once in the job ledger
// like every job, so restarts and two processes pull it once.
type CRMSyncer struct {
	cfg CRMSyncConfig
	log *slog.Logger
}

// NewCRMSyncer returns a syncer; call Tick once a minute.
func NewCRMSyncer(cfg CRMSyncConfig) (*CRMSyncer, error) {
	if cfg.Clock == nil || cfg.Store == nil || cfg.Notifier == nil {
		return nil, errors.New("cadence: CRM sync needs a clock, a store and a notifier")
	}
	if cfg.Owner == "" {
		cfg.Owner = newOwner()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &CRMSyncer{cfg: cfg, log: cfg.Logger.With("owner", cfg.Owner)}, nil
}

// Tick pulls, for every team whose numbers come from a CRM, the sync
// points due now that no run has pulled yet. Several due points (after a
// downtime) are served by one pull.
func (s *CRMSyncer) Tick(ctx context.Context) error {
	teams, err := s.cfg.Store.Teams(ctx)
	if err != nil {
		return fmt.Errorf("crm sync: list teams: %w", err)
	}
	var errs []error
	for _, team := range teams {
		if team.NumbersFrom == pulse.CRMTyped {
			continue
		}
		if err := s.tickTeam(ctx, team); err != nil {
			errs = append(errs, fmt.Errorf("crm sync of team %s: %w", team.ID, err))
		}
	}
	return errors.Join(errs...)
}

func (s *CRMSyncer) tickTeam(ctx context.Context, team *pulse.Team) error {
	now := s.cfg.Clock.Now()
	roster, err := s.cfg.Store.Roster(ctx, team.ID, team.Reps)
	if err != nil {
		return fmt.Errorf("read roster: %w", err)
	}
	zones := s.zones(team, roster)
	var distinct []*time.Location
	for _, loc := range zones {
		if !slices.ContainsFunc(distinct, func(l *time.Location) bool { return l.String() == loc.String() }) {
			distinct = append(distinct, loc)
		}
	}
	var claimed []pulse.JobKey
	for _, p := range pulse.CRMSyncPoints(team, distinct, now.Add(-crmFinalLate), now) {
		if now.Sub(p.At) > crmSyncLate && !p.Final {
			continue
		}
		key := pulse.JobKey{Kind: pulse.JobCRMSync, TeamID: team.ID, Occurrence: p.Occurrence()}
		won, err := s.claim(ctx, key, now)
		if err != nil {
			return err
		}
		if won {
			claimed = append(claimed, key)
		}
	}
	if len(claimed) == 0 {
		return nil
	}
	pullErr := s.Pull(ctx, team, roster, zones)
	// A failed pull is not retried at once: the figures stay as last
	// fetched, and the next sync point tries again, so a down CRM costs
	// one call an hour, not one a minute.
	var errs []error
	for _, key := range claimed {
		if pullErr == nil {
			errs = append(errs, s.cfg.Store.MarkSent(ctx, key, "", "", now))
		} else {
			errs = append(errs, s.cfg.Store.MarkSkipped(ctx, key, now))
		}
	}
	if pullErr != nil && pulse.ErrorCode(pullErr) != pulse.EUNAUTHORIZED {
		errs = append(errs, pullErr)
	}
	return errors.Join(errs...)
}

// claim takes the key, also from a run that claimed it and stopped.
func (s *CRMSyncer) claim(ctx context.Context, key pulse.JobKey, now time.Time) (bool, error) {
	job, won, err := s.cfg.Store.Claim(ctx, key, s.cfg.Owner, now)
	if err != nil || won {
		return won, err
	}
	if job.State == pulse.JobClaimed && job.Owner != s.cfg.Owner && now.Sub(job.ClaimedAt) >= crmStaleClaim {
		if err := s.cfg.Store.Release(ctx, key); err != nil {
			return false, err
		}
		_, won, err = s.cfg.Store.Claim(ctx, key, s.cfg.Owner, now)
		return won, err
	}
	return false, nil
}

// zones returns each rep's zone: their own, else the team's.
func (s *CRMSyncer) zones(team *pulse.Team, roster pulse.Roster) map[string]*time.Location {
	out := make(map[string]*time.Location, len(team.Reps))
	for _, rep := range team.Reps {
		loc := team.Location()
		if p := roster.People[rep]; p != nil {
			loc = p.Zone(loc)
		}
		out[rep] = loc
	}
	return out
}

// Pull fetches the team's figures for each matched rep's previous and
// current local day and stores them, matching reps by email first. It
// records how it went in the team's CRM health; a refused credential is
// told once to the team's managers and the admins.
func (s *CRMSyncer) Pull(ctx context.Context, team *pulse.Team, roster pulse.Roster, zones map[string]*time.Location) error {
	now := s.cfg.Clock.Now()
	health := &pulse.CRMHealth{TeamID: team.ID, Kind: team.NumbersFrom, LastTry: now}
	if old, err := s.cfg.Store.CRMHealth(ctx, team.ID); err == nil && old.Kind == team.NumbersFrom {
		health.LastOK = old.LastOK
	}
	err := s.pull(ctx, team, roster, zones, now, health)
	if err == nil {
		health.LastOK = now
	} else {
		health.Failing = pulse.ErrorCode(err)
		// The error's text comes from the client, which never includes
		// the credential; people's numbers are not in it either.
		s.log.Warn("crm pull failed", "team", team.ID, "crm", string(team.NumbersFrom), "code", health.Failing, "err", err)
	}
	if serr := s.cfg.Store.SaveCRMHealth(ctx, health); serr != nil {
		err = errors.Join(err, serr)
	}
	if pulse.ErrorCode(err) == pulse.EUNAUTHORIZED {
		s.tellRefused(ctx, team, health)
	}
	return err
}

func (s *CRMSyncer) pull(ctx context.Context, team *pulse.Team, roster pulse.Roster, zones map[string]*time.Location, now time.Time, health *pulse.CRMHealth) error {
	crm := s.cfg.CRMs[team.NumbersFrom]
	if crm == nil {
		return pulse.Errorf(pulse.EUNAUTHORIZED, "err.crm_unauthorized", map[string]any{"CRM": team.NumbersFrom.Title()}, "no credentials for %s in the environment", team.NumbersFrom)
	}
	matches, err := s.match(ctx, crm, team, roster, now)
	if err != nil {
		return err
	}
	q := pulse.CRMQuery{Zones: map[string]*time.Location{}, Measures: team.CRMMeasures()}
	for _, rep := range team.Reps {
		m, ok := matches[rep]
		if !ok {
			health.Unmatched = append(health.Unmatched, rep)
			continue
		}
		from, to := pulse.CRMDays(now, zones[rep])
		if q.From.IsZero() || from.Before(q.From) {
			q.From = from
		}
		if to.After(q.To) {
			q.To = to
		}
		if !slices.Contains(q.Owners, m.OwnerID) {
			q.Owners = append(q.Owners, m.OwnerID)
		}
		q.Zones[m.OwnerID] = zones[rep]
	}
	if len(q.Owners) == 0 {
		return nil
	}
	figs, err := crm.Figures(ctx, q)
	if err != nil {
		return fmt.Errorf("%s figures: %w", team.NumbersFrom, err)
	}
	var out []pulse.CRMFigure
	for _, rep := range team.Reps {
		m, ok := matches[rep]
		if !ok {
			continue
		}
		from, to := pulse.CRMDays(now, zones[rep])
		for d := from; !d.After(to); d = d.AddDays(1) {
			f := pulse.CRMFigure{
				TeamID: team.ID, Rep: rep, Day: d, Source: team.NumbersFrom, FetchedAt: now,
				Final:  !now.Before(pulse.DayEnd(d, zones[rep])),
				Values: map[string]float64{},
			}
			for _, metric := range team.Metrics {
				if team.FromCRM(metric) {
					// An empty day is zero: the CRM answered and counted nothing.
					f.Values[metric.Key] = figs[m.OwnerID][d][metric.Measure]
				}
			}
			out = append(out, f)
		}
	}
	return s.cfg.Store.SaveCRMFigures(ctx, out)
}

// match returns each rep's CRM owner: the stored match to this CRM, else
// the owner with the rep's Slack email, stored as matched by email.
func (s *CRMSyncer) match(ctx context.Context, crm pulse.CRM, team *pulse.Team, roster pulse.Roster, now time.Time) (map[string]pulse.CRMMatch, error) {
	stored, err := s.cfg.Store.CRMMatches(ctx, team.ID)
	if err != nil {
		return nil, err
	}
	out := map[string]pulse.CRMMatch{}
	var open []string
	emails := map[string]string{}
	for _, rep := range team.Reps {
		if m, ok := stored[rep]; ok && m.Kind == team.NumbersFrom {
			out[rep] = m
			continue
		}
		if p := roster.People[rep]; p != nil && p.Email != "" {
			open = append(open, rep)
			emails[rep] = p.Email
		}
	}
	if len(open) == 0 {
		return out, nil
	}
	owners, err := crm.Owners(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s owners: %w", team.NumbersFrom, err)
	}
	matched, _ := pulse.MatchByEmail(open, emails, owners)
	for rep, o := range matched {
		if !pulse.ValidCRMOwnerID(o.ID) {
			continue
		}
		m := pulse.CRMMatch{TeamID: team.ID, Rep: rep, Kind: team.NumbersFrom, OwnerID: o.ID, By: pulse.CRMMatchEmail, At: now}
		if err := s.cfg.Store.SaveCRMMatch(ctx, &m); err != nil {
			return nil, err
		}
		out[rep] = m
	}
	return out, nil
}

// tellRefused tells each of the team's managers and the admins, once per
// outage (named by the last pull that worked), that the CRM refused the
// credential. A delivery that fails is given back, for the next refused
// pull to try again.
func (s *CRMSyncer) tellRefused(ctx context.Context, team *pulse.Team, health *pulse.CRMHealth) {
	outage := "never"
	if !health.LastOK.IsZero() {
		outage = health.LastOK.UTC().Format("20060102T150405Z")
	}
	now := s.cfg.Clock.Now()
	var people []string
	for _, id := range append(slices.Clone(team.Managers), s.cfg.Admins...) {
		if pulse.ValidUserID(id) && !slices.Contains(people, id) {
			people = append(people, id)
		}
	}
	for _, to := range people {
		key := pulse.JobKey{Kind: pulse.JobCRMRefused, TeamID: team.ID, UserID: to, Occurrence: string(team.NumbersFrom) + "-" + outage}
		_, won, err := s.cfg.Store.Claim(ctx, key, s.cfg.Owner, now)
		if err != nil || !won {
			if err != nil {
				s.log.Error("claim crm refused notice", "job", key.String(), "err", err)
			}
			continue
		}
		lang := team.Lang
		if p, err := s.cfg.Store.Person(ctx, to); err == nil {
			lang = p.Language(team.Lang)
		}
		d, err := s.cfg.Notifier.Deliver(ctx, pulse.Notice{Key: key, Team: team, To: to, Lang: lang,
			Payload: pulse.CRMRefusedNotice{CRM: team.NumbersFrom, LastOK: health.LastOK}})
		if err != nil {
			s.log.Warn("tell of a refused crm credential", "job", key.String(), "err", err)
			if rerr := s.cfg.Store.Release(ctx, key); rerr != nil {
				s.log.Error("release crm refused notice", "job", key.String(), "err", rerr)
			}
			continue
		}
		if err := s.cfg.Store.MarkSent(ctx, key, d.Channel, d.TS, now); err != nil {
			s.log.Error("mark crm refused notice sent", "job", key.String(), "err", err)
		}
	}
}
