package storage

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/salespulse/pulse"
	"github.com/salespulse/pulse/storage/kv"
)

// The web dashboard's credentials, each under the hash of its token (see
// pulse.HashToken); the tokens themselves are never stored.
var (
	bucketSignIns     = []byte("signins")      // token hash → SignIn (since v4)
	bucketWebSessions = []byte("web_sessions") // token hash → WebSession (since v4)
)

// createSignInBuckets lays out schema 9's buckets.
func createSignInBuckets(tx kv.Tx) error {
	for _, name := range [][]byte{bucketSignIns, bucketWebSessions} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// saveCredential stores v under hash, and first drops the bucket's expired
// credentials, so that links nobody used and sessions nobody ended do not
// pile up. The buckets hold one entry per recent sign-in, so the sweep is
// short.
func saveCredential[T any, P interface {
	*T
	Live(now time.Time) bool
}](b kv.Bucket, hash string, v P, now time.Time) error {
	var stale [][]byte
	err := b.ForEach(func(k, raw []byte) error {
		var old T
		if err := decode(k, raw, &old); err != nil {
			return err
		}
		if !P(&old).Live(now) {
			stale = append(stale, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return put(b, []byte(hash), v)
}

// checkHash refuses anything but a hash as HashToken writes it, so that a
// forged value never becomes a key.
func checkHash(hash string) error {
	if len(hash) != 64 {
		return pulse.Errorf(pulse.EINVALID, "err.internal", nil, "bad token hash of %d characters", len(hash))
	}
	for _, r := range hash {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return pulse.Errorf(pulse.EINVALID, "err.internal", nil, "bad token hash")
		}
	}
	return nil
}

// SaveSignIn stores a new sign-in link. Safe for concurrent use.
func (db *DB) SaveSignIn(ctx context.Context, s *pulse.SignIn) error {
	if err := checkHash(s.Hash); err != nil {
		return err
	}
	if err := checkPart("user", s.UserID); err != nil {
		return err
	}
	err := db.update(ctx, func(tx kv.Tx) error {
		return saveCredential(tx.Bucket(bucketSignIns), s.Hash, s, db.now())
	})
	return wrap(err, "save sign-in link of %s", s.UserID)
}

// UseSignIn deletes the link with the hash and returns it, in one write
// transaction: of two uses at once, one finds it and the other does not.
// An unknown, used or expired link is ENOTFOUND. Safe for concurrent use.
func (db *DB) UseSignIn(ctx context.Context, hash string, now time.Time) (*pulse.SignIn, error) {
	if checkHash(hash) != nil {
		return nil, notFound("sign-in", "no such sign-in link")
	}
	var s pulse.SignIn
	var found bool
	err := db.update(ctx, func(tx kv.Tx) error {
		b := tx.Bucket(bucketSignIns)
		var err error
		if found, err = get(b, []byte(hash), &s); err != nil || !found {
			return err
		}
		// Deleted whether live or not: an expired link will never be
		// good again either.
		return b.Delete([]byte(hash))
	})
	if err != nil {
		return nil, wrap(err, "use sign-in link")
	}
	if !found || !s.Live(now) {
		return nil, notFound("sign-in", "no such sign-in link, or it expired")
	}
	return &s, nil
}

// SaveWebSession stores a new session. Safe for concurrent use.
func (db *DB) SaveWebSession(ctx context.Context, s *pulse.WebSession) error {
	if err := checkHash(s.Hash); err != nil {
		return err
	}
	if err := checkPart("user", s.UserID); err != nil {
		return err
	}
	err := db.update(ctx, func(tx kv.Tx) error {
		return saveCredential(tx.Bucket(bucketWebSessions), s.Hash, s, db.now())
	})
	return wrap(err, "save web session of %s", s.UserID)
}

// WebSession returns the session with the hash, ENOTFOUND when there is
// none or it has expired at now. Safe for concurrent use.
func (db *DB) WebSession(ctx context.Context, hash string, now time.Time) (*pulse.WebSession, error) {
	if checkHash(hash) != nil {
		return nil, notFound("session", "no such session")
	}
	var s pulse.WebSession
	var ok bool
	err := db.view(ctx, func(tx kv.Tx) error {
		var err error
		ok, err = get(tx.Bucket(bucketWebSessions), []byte(hash), &s)
		return err
	})
	if err != nil {
		return nil, wrap(err, "read web session")
	}
	if !ok || !s.Live(now) {
		return nil, notFound("session", "no such session")
	}
	return &s, nil
}

// EndWebSession deletes the session with the hash. Safe for concurrent use.
func (db *DB) EndWebSession(ctx context.Context, hash string) error {
	if checkHash(hash) != nil {
		return nil
	}
	err := db.update(ctx, func(tx kv.Tx) error {
		return tx.Bucket(bucketWebSessions).Delete([]byte(hash))
	})
	return wrap(err, "end web session")
}
