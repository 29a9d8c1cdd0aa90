package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Backlog is what waits in the outbox: the events not published yet and how long the oldest
// has waited (zero when none). It reads the partial index of unpublished rows only, cheap
// enough for every scrape of the service's metrics. A backlog that grows, or an oldest event
// that ages, means the relay cannot publish (NATS away, the stream missing, the relay's lock
// held by a stuck replica).
func Backlog(ctx context.Context, pool *pgxpool.Pool) (n int64, oldest time.Duration, err error) {
	var age float64
	err = pool.QueryRow(ctx, `SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8
		FROM outbox WHERE published_at IS NULL`).Scan(&n, &age)
	if err != nil {
		return 0, 0, fmt.Errorf("outbox backlog: %w", err)
	}
	return n, time.Duration(age * float64(time.Second)), nil
}
