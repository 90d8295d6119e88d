package storage

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// CreateTeam validates t, then stores it as a new team, assigning its ID,
// CreatedAt and UpdatedAt (from db.Clock) once the transaction commits. A
// name already taken by another team, case-insensitively, is an ECONFLICT
// error on the field "name"; a validation error is returned as Validate
// returned it. The name is stored trimmed. Safe for concurrent use: two
// teams created at once with the same name cannot both succeed.
func (db *DB) CreateTeam(ctx context.Context, t *pulse.Team) error {
	t.Name = strings.TrimSpace(t.Name)
	if err := t.Validate(); err != nil {
		return err
	}
	now := db.now()
	stored := *t
	stored.CreatedAt, stored.UpdatedAt = now, now
	err := db.update(ctx, func(tx kv.Tx) error {
		names := tx.Bucket(bucketTeamNames)
		fold := foldName(t.Name)
		if names.Get(fold) != nil {
			return nameTaken(t.Name)
		}
		teams := tx.Bucket(bucketTeams)
		id, err := newID(teams, "t")
		if err != nil {
			return err
		}
		stored.ID = id
		if err := put(teams, []byte(id), &stored); err != nil {
			return err
		}
		if err := names.Put(fold, []byte(id)); err != nil {
			return err
		}
		return addMembers(tx.Bucket(bucketTeamMembers), id, memberSet(&stored))
	})
	if err != nil {
		return wrap(err, "create team %q", t.Name)
	}
	t.ID, t.CreatedAt, t.UpdatedAt = stored.ID, stored.CreatedAt, stored.UpdatedAt
	return nil
}

// UpdateTeam validates t and replaces the stored team with its ID, keeping
// the stored CreatedAt and setting UpdatedAt. The name and member indexes
// follow a renamed team and its added and removed managers and reps, in the
// same transaction. A missing team is ENOTFOUND; a name taken by another
// team is ECONFLICT; a validation error is returned as Validate returned it.
func (db *DB) UpdateTeam(ctx context.Context, t *pulse.Team) error {
	t.Name = strings.TrimSpace(t.Name)
	if err := checkPart("team", t.ID); err != nil {
		return err
	}
	if err := t.Validate(); err != nil {
		return err
	}
	stored := *t
	stored.UpdatedAt = db.now()
	err := db.update(ctx, func(tx kv.Tx) error {
		teams := tx.Bucket(bucketTeams)
		old, err := loadTeam(tx, t.ID)
		if err != nil {
			return err
		}
		stored.CreatedAt = old.CreatedAt

		names := tx.Bucket(bucketTeamNames)
		oldFold, newFold := foldName(old.Name), foldName(stored.Name)
		if string(oldFold) != string(newFold) {
			if owner := names.Get(newFold); owner != nil && string(owner) != t.ID {
				return nameTaken(stored.Name)
			}
			if err := names.Delete(oldFold); err != nil {
				return err
			}
			if err := names.Put(newFold, []byte(t.ID)); err != nil {
				return err
			}
		}

		members := tx.Bucket(bucketTeamMembers)
		was, is := memberSet(old), memberSet(&stored)
		for user := range was {
			if !is[user] {
				if err := members.Delete(key(user, t.ID)); err != nil {
					return err
				}
			}
		}
		if err := addMembers(members, t.ID, is); err != nil {
			return err
		}
		return put(teams, []byte(t.ID), &stored)
	})
	if err != nil {
		return wrap(err, "update team %s", t.ID)
	}
	t.CreatedAt, t.UpdatedAt = stored.CreatedAt, stored.UpdatedAt
	return nil
}

// Team returns the team with the given ID, or an ENOTFOUND error.
// Safe for concurrent use.
func (db *DB) Team(ctx context.Context, id string) (*pulse.Team, error) {
	var t *pulse.Team
	err := db.view(ctx, func(tx kv.Tx) error {
		shared, err := db.sharedTeam(tx, id)
		if err == nil {
			t = shared.Clone()
		}
		return err
	})
	if err != nil {
		return nil, wrap(err, "team %s", id)
	}
	return t, nil
}

// TeamByName returns the team whose name equals name but for case and
// surrounding space, or an ENOTFOUND error. Safe for concurrent use.
func (db *DB) TeamByName(ctx context.Context, name string) (*pulse.Team, error) {
	var t *pulse.Team
	err := db.view(ctx, func(tx kv.Tx) error {
		id := tx.Bucket(bucketTeamNames).Get(foldName(name))
		if id == nil {
			return notFound("team", "no team named %q", name)
		}
		shared, err := db.sharedTeam(tx, string(id))
		if err == nil {
			t = shared.Clone()
		}
		return err
	})
	if err != nil {
		return nil, wrap(err, "team named %q", name)
	}
	return t, nil
}

// Teams returns every team in the order they were created.
// Safe for concurrent use.
func (db *DB) Teams(ctx context.Context) ([]*pulse.Team, error) {
	var out []*pulse.Team
	err := db.view(ctx, func(tx kv.Tx) error {
		return tx.Bucket(bucketTeams).ForEach(func(k, v []byte) error {
			t := new(pulse.Team)
			if err := decode(k, v, t); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "list teams")
	}
	return out, nil
}

// TeamsOf returns the teams user manages or checks in with, in the order
// they were created; none is not an error. It reads the member index, not
// every team. Safe for concurrent use.
func (db *DB) TeamsOf(ctx context.Context, user string) ([]*pulse.Team, error) {
	if err := checkPart("user", user); err != nil {
		return nil, err
	}
	var out []*pulse.Team
	err := db.view(ctx, func(tx kv.Tx) error {
		p := prefix(user)
		return scanPrefix(tx.Bucket(bucketTeamMembers), p, func(k, _ []byte) error {
			t, err := db.sharedTeam(tx, string(k[len(p):]))
			if err != nil {
				return err
			}
			out = append(out, t.Clone())
			return nil
		})
	})
	if err != nil {
		return nil, wrap(err, "teams of %s", user)
	}
	return out, nil
}

// sharedTeam reads a team within tx, decoding its stored bytes only when
// they differ from the ones last decoded: every envelope looks up the teams
// of the person who sent it, and a team of fifty reps took tens of
// microseconds to decode from JSON. The team is shared with the cache: the
// caller must not change it, and hands out a Clone.
func (db *DB) sharedTeam(tx kv.Tx, id string) (*pulse.Team, error) {
	raw := tx.Bucket(bucketTeams).Get([]byte(id))
	if raw == nil {
		return nil, notFound("team", "team %s not found", id)
	}
	return db.teams.get(id, raw)
}

// loadTeam reads a team within tx.
func loadTeam(tx kv.Tx, id string) (*pulse.Team, error) {
	t := new(pulse.Team)
	ok, err := get(tx.Bucket(bucketTeams), []byte(id), t)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound("team", "team %s not found", id)
	}
	return t, nil
}

// memberSet returns the users who manage, direct or check in with t.
func memberSet(t *pulse.Team) map[string]bool {
	set := make(map[string]bool, len(t.Managers)+len(t.Reps)+len(t.Directors))
	for _, u := range t.Directors {
		set[u] = true
	}
	for _, u := range t.Managers {
		set[u] = true
	}
	for _, u := range t.Reps {
		set[u] = true
	}
	return set
}

// addMembers indexes team under each of users.
func addMembers(b kv.Bucket, team string, users map[string]bool) error {
	for _, u := range slices.Sorted(maps.Keys(users)) {
		if err := b.Put(key(u, team), []byte{}); err != nil {
			return err
		}
	}
	return nil
}

// nameTaken is the ECONFLICT error of a team name already in use.
func nameTaken(name string) error {
	e := pulse.Errorf(pulse.ECONFLICT, "err.team_name_taken", map[string]any{"Name": name}, "team name %q is taken", name)
	e.Field = "name"
	return e
}
