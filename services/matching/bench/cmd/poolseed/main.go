// Command poolseed grows a programme's matching pool to a given number of applications, for
// the benchmark table (scripts/bench-table.sh): it writes verified students, each with a
// submitted application, straight into the matching database's copy of the pool (COPY, one
// transaction), as the students service's events would have — around Lyon, with budgets,
// dates and commutes drawn as services/stack/cmd/benchseed draws them, so that the
// benchmark's room ranks them all. The pool's version is bumped once, in the same transaction
// (the per-row triggers are off for the load: tens of thousands of updates of one version row
// in one transaction would each walk the chain of the ones before), so the running service
// rebuilds its pool in memory on the next read. Needs a superuser (the local cluster's
// postgres) for session_replication_role.
//
// It then builds the programme's pool in memory, as the service does on a read after a
// change, both ways, three times alternated, after a change of one student each time (her
// row rewritten, as an event of hers would): read whole (PoolSnapshot and Build) and patched
// from the pool held before the change (PoolChanges and Snapshot.Patch). It prints one line
// for the table, with the medians:
//
//	POOL applications=<n> version=<the pool's version> bytes=<the snapshot's estimated size> build_ms=<read whole and build> patch_ms=<read what changed and patch>
//
// Usage: poolseed -db postgres://…/cohabit_matching -room <room id> -applications 5000
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/poolcache"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

const lyonLat, lyonLng = 45.7578, 4.8320

var (
	services  = []string{"COMPANY", "SHOPPING", "MEALS", "DIGITAL_HELP", "ERRANDS", "GARDENING", "SMALL_REPAIRS"}
	rhythms   = []string{"EARLY", "LATE", "FLEXIBLE"}
	genders   = []string{"FEMALE", "MALE", "OTHER"}
	languages = [][]string{{"fr"}, {"fr", "en"}, {"fr", "es"}, {"fr", "it"}, {"fr", "de"}}
	cities    = []struct {
		name   string
		spread float64
	}{{"Lyon", 4}, {"Villeurbanne", 6}, {"Caluire-et-Cuire", 6}, {"Oullins", 7}, {"Bron", 8}}
)

func main() {
	dbURL := flag.String("db", "", "the matching database's URL")
	room := flag.String("room", "", "a room of the programme to grow")
	target := flag.Int("applications", 5000, "applications the programme's pool should hold")
	flag.Parse()
	ctx := context.Background()
	db, err := pgxpool.New(ctx, *dbURL)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	var programme string
	if err := db.QueryRow(ctx, `SELECT programme_id FROM pool_rooms WHERE room_id = $1`, *room).Scan(&programme); err != nil {
		log.Fatalf("room %s: %v", *room, err)
	}
	store := postgres.New(db)
	have, err := store.Seekers(ctx, programme)
	if err != nil {
		log.Fatal(err)
	}
	if n := *target - len(have); n > 0 {
		start := time.Now()
		if err := seed(ctx, db, programme, n, len(have)); err != nil {
			log.Fatal(err)
		}
		log.Printf("%d applications added to %s (now %d) in %s", n, programme, *target, time.Since(start).Round(time.Millisecond))
	}
	langs := score.NewLanguageTable()
	whole := func() (*poolcache.Snapshot, time.Duration) {
		start := time.Now()
		v, offers, seekers, err := store.PoolSnapshot(ctx, programme)
		if err != nil {
			log.Fatal(err)
		}
		return poolcache.Build(programme, v, offers, seekers, langs), time.Since(start)
	}
	snap, _ := whole()
	var builds, patches []time.Duration
	for i := range 3 {
		// One student's row rewritten (event_at moved on): the version moves by one, and only
		// she is to be read again.
		if _, err := db.Exec(ctx, `UPDATE pool_students SET event_at = event_at + interval '1 microsecond' WHERE student_id = $1`,
			snap.Seekers[i*len(snap.Seekers)/3].Student.ID); err != nil {
			log.Fatal(err)
		}
		start := time.Now()
		c, ok, err := store.PoolChanges(ctx, programme, snap.Version, poolcache.MaxChanges)
		if err != nil || !ok {
			log.Fatalf("changes since %d: ok %v, %v", snap.Version, ok, err)
		}
		patched := snap.Patch(c, langs)
		patches = append(patches, time.Since(start))
		var took time.Duration
		snap, took = whole()
		builds = append(builds, took)
		if patched.Version != snap.Version || len(patched.Seekers) != len(snap.Seekers) || len(patched.Offers) != len(snap.Offers) {
			log.Fatalf("patched to version %d with %d applications and %d rooms, read whole: %d, %d, %d",
				patched.Version, len(patched.Seekers), len(patched.Offers), snap.Version, len(snap.Seekers), len(snap.Offers))
		}
	}
	median := func(d []time.Duration) float64 { slices.Sort(d); return float64(d[len(d)/2].Microseconds()) / 1000 }
	fmt.Printf("POOL applications=%d version=%d bytes=%d build_ms=%.1f patch_ms=%.1f\n", len(snap.Seekers), snap.Version, snap.Bytes, median(builds), median(patches))
}

// seed writes n students with an application each, numbered from first (for their names and
// random streams).
func seed(ctx context.Context, db *pgxpool.Pool, programme string, n, first int) error {
	today := time.Now().UTC()
	now := time.Now()
	var studentRows, appRows [][]any
	for i := first; i < first+n; i++ {
		r := rand.New(rand.NewPCG(uint64(i), 3))
		city := cities[r.IntN(len(cities))]
		lat, lng := point(r, city.spread)
		st := pool.Student{
			ID: uuid.NewString(), ProgrammeID: programme, Status: pool.StudentVerified,
			DisplayName: fmt.Sprintf("Étudiant·e %05d", i), Age: 18 + r.IntN(10), StudyCity: city.name,
			StudyLat: lat, StudyLng: lng, MaxCommuteKm: 10 + r.IntN(21), Languages: languages[r.IntN(len(languages))],
			Gender: genders[r.IntN(len(genders))], ServicesOffered: some(r, services, 1+r.IntN(4)),
			HoursOffered: r.IntN(8), NightsPresent: r.IntN(6), Rhythm: rhythms[r.IntN(len(rhythms))],
		}
		in := today.AddDate(0, 0, 30+r.IntN(60))
		a := pool.Application{
			ID: uuid.NewString(), StudentID: st.ID, ProgrammeID: programme, Status: pool.ApplicationSubmitted,
			BudgetCents: 15000 + 5000*r.IntN(5), MoveIn: in.Format(time.DateOnly), MoveOut: in.AddDate(0, 6+r.IntN(7), 0).Format(time.DateOnly),
		}
		sp, err := json.Marshal(st)
		if err != nil {
			return err
		}
		ap, err := json.Marshal(a)
		if err != nil {
			return err
		}
		studentRows = append(studentRows, []any{st.ID, programme, st.Status, string(sp), now})
		appRows = append(appRows, []any{a.ID, st.ID, programme, a.Status, string(ap), now})
	}
	return pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			return fmt.Errorf("turn the triggers off: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"pool_students"}, []string{"student_id", "programme_id", "status", "profile", "event_at"}, pgx.CopyFromRows(studentRows)); err != nil {
			return fmt.Errorf("copy students: %w", err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"pool_applications"}, []string{"application_id", "student_id", "programme_id", "status", "profile", "event_at"}, pgx.CopyFromRows(appRows)); err != nil {
			return fmt.Errorf("copy applications: %w", err)
		}
		if _, err := tx.Exec(ctx, `SELECT bump_pool_version($1)`, programme); err != nil {
			return fmt.Errorf("bump the pool's version: %w", err)
		}
		return nil
	})
}

// point returns a point about spread km from Bellecour, in a random direction.
func point(r *rand.Rand, spread float64) (lat, lng float64) {
	d := spread * math.Sqrt(r.Float64())
	a := 2 * math.Pi * r.Float64()
	lat = lyonLat + d*math.Cos(a)/111.0
	lng = lyonLng + d*math.Sin(a)/(111.0*math.Cos(lyonLat*math.Pi/180))
	return math.Round(lat*1e5) / 1e5, math.Round(lng*1e5) / 1e5
}

func some(r *rand.Rand, s []string, n int) []string {
	p := r.Perm(len(s))
	out := make([]string, 0, n)
	for _, i := range p[:n] {
		out = append(out, s[i])
	}
	return out
}
