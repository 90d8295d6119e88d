package kv

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Import loads whole buckets in one transaction, for moving a bbolt file
// into PostgreSQL: all of it commits, or none.
type Import struct {
	ctx context.Context
	tx  pgx.Tx
}

// Import runs fn with an Import and commits what it loaded.
func (p *Postgres) Import(ctx context.Context, fn func(*Import) error) error {
	tx, err := p.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(&Import{ctx: ctx, tx: tx}); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("import: commit: %w", err)
	}
	return nil
}

// Bucket replaces the bucket's rows with rows (key, value pairs) through
// COPY, and sets its sequence to seq.
func (im *Import) Bucket(name string, rows [][2][]byte, seq uint64) error {
	if _, err := im.tx.Exec(im.ctx, `DELETE FROM kv WHERE bucket = $1`, name); err != nil {
		return fmt.Errorf("import %s: %w", name, err)
	}
	src := pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
		v := rows[i][1]
		if v == nil {
			v = []byte{}
		}
		return []any{name, rows[i][0], v}, nil
	})
	if _, err := im.tx.CopyFrom(im.ctx, pgx.Identifier{"kv"}, []string{"bucket", "key", "value"}, src); err != nil {
		return fmt.Errorf("import %s: %w", name, err)
	}
	if seq > 0 {
		_, err := im.tx.Exec(im.ctx, `INSERT INTO kv_sequence (bucket, seq) VALUES ($1, $2)
			ON CONFLICT (bucket) DO UPDATE SET seq = EXCLUDED.seq`, name, int64(seq))
		if err != nil {
			return fmt.Errorf("import %s: sequence: %w", name, err)
		}
	}
	return nil
}

// Counts returns the number of keys and the sequence of every bucket that
// has either.
func (p *Postgres) Counts(ctx context.Context) (keys map[string]int, seqs map[string]uint64, err error) {
	keys, seqs = map[string]int{}, map[string]uint64{}
	rows, err := p.pool.Query(ctx, `SELECT bucket, count(*) FROM kv GROUP BY bucket`)
	if err != nil {
		return nil, nil, fmt.Errorf("count keys: %w", err)
	}
	for rows.Next() {
		var b string
		var n int
		if err := rows.Scan(&b, &n); err != nil {
			return nil, nil, fmt.Errorf("count keys: %w", err)
		}
		keys[b] = n
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("count keys: %w", err)
	}
	rows, err = p.pool.Query(ctx, `SELECT bucket, seq FROM kv_sequence`)
	if err != nil {
		return nil, nil, fmt.Errorf("read sequences: %w", err)
	}
	for rows.Next() {
		var b string
		var n int64
		if err := rows.Scan(&b, &n); err != nil {
			return nil, nil, fmt.Errorf("read sequences: %w", err)
		}
		seqs[b] = uint64(n)
	}
	return keys, seqs, rows.Err()
}
