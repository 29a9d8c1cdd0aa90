package pgtest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestHash(t *testing.T) {
	t.Parallel()
	base := fstest.MapFS{
		"001_init.sql":  {Data: []byte("CREATE TABLE a (id int);")},
		"002_more.sql":  {Data: []byte("CREATE TABLE b (id int);")},
		"sub/x/003.sql": {Data: []byte("SELECT 1;")},
	}
	h := Hash(base)
	if len(h) != 12 {
		t.Fatalf("Hash = %q, want 12 hex digits", h)
	}
	if again := Hash(base); again != h {
		t.Fatalf("Hash is not stable: %q then %q", h, again)
	}
	edited := fstest.MapFS{}
	for k, v := range base {
		edited[k] = v
	}
	edited["002_more.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE b (id bigint);")}
	if Hash(edited) == h {
		t.Fatal("Hash ignores a changed file")
	}
	renamed := fstest.MapFS{
		"001_init.sql":  base["001_init.sql"],
		"003_more.sql":  base["002_more.sql"],
		"sub/x/003.sql": base["sub/x/003.sql"],
	}
	if Hash(renamed) == h {
		t.Fatal("Hash ignores a renamed file")
	}
}

func TestTemplateName(t *testing.T) {
	t.Parallel()
	for schema, ok := range map[string]bool{
		"hosts_0123456789ab":    true,
		strings.Repeat("x", 58): true, // "tmpl_" + 58 = PostgreSQL's 63-byte limit
		strings.Repeat("x", 59): false,
		"":                      false,
		"Hosts":                 false,
		"hosts-1":               false,
		`a"; DROP`:              false,
	} {
		if _, err := templateName(schema); (err == nil) != ok {
			t.Errorf("templateName(%q) error = %v, want ok=%v", schema, err, ok)
		}
	}
}

// TestParallelTestsAreIsolated checks the promise pgtest makes to store
// tests: parallel tests each get their own database, the template is
// migrated once, and the databases are gone after the tests.
func TestParallelTestsAreIsolated(t *testing.T) {
	t.Parallel()
	adminURL := serverURL(t)
	schema := freshSchema(t, adminURL)
	var migrations atomic.Int32
	migrate := notesMigration(&migrations)

	var mu sync.Mutex
	var names []string
	t.Run("group", func(t *testing.T) {
		for i := range 4 {
			t.Run("", func(t *testing.T) {
				t.Parallel()
				start := time.Now()
				pool := New(t, schema, migrate)
				t.Logf("database ready in %v", time.Since(start))
				ctx := t.Context()
				if _, err := pool.Exec(ctx, "INSERT INTO notes (id, body) VALUES ($1, 'mine')", i); err != nil {
					t.Fatalf("insert: %v", err)
				}
				var n int
				if err := pool.QueryRow(ctx, "SELECT count(*) FROM notes").Scan(&n); err != nil {
					t.Fatalf("count: %v", err)
				}
				if n != 1 {
					t.Fatalf("notes holds %d rows, want only this test's 1", n)
				}
				var db string
				if err := pool.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil {
					t.Fatalf("current_database: %v", err)
				}
				mu.Lock()
				names = append(names, db)
				mu.Unlock()
			})
		}
	})
	if got := migrations.Load(); got != 1 {
		t.Fatalf("template migrated %d times, want 1", got)
	}
	if len(names) != 4 {
		t.Fatalf("got %d databases, want 4", len(names))
	}
	for _, db := range names {
		if databaseExists(t, adminURL, db) {
			t.Errorf("test database %s still exists after its test", db)
		}
	}
}

// TestNewURLTiming reports what a store test pays: the first database (the
// template's build included) and the following ones.
func TestNewURLTiming(t *testing.T) {
	t.Parallel()
	adminURL := serverURL(t)
	schema := freshSchema(t, adminURL)
	var migrations atomic.Int32
	migrate := notesMigration(&migrations)
	for i := range 4 {
		t.Run("", func(t *testing.T) {
			start := time.Now()
			dbURL := NewURL(t, schema, migrate)
			t.Logf("database %d ready in %v", i+1, time.Since(start))
			conn, err := pgx.Connect(t.Context(), dbURL)
			if err != nil {
				t.Fatalf("connect to %s: %v", dbURL, err)
			}
			defer conn.Close(context.Background())
			if _, err := conn.Exec(t.Context(), "SELECT id, body FROM notes"); err != nil {
				t.Fatalf("test database lacks the migrated table: %v", err)
			}
		})
	}
}

// TestHalfBuiltTemplateIsRebuilt plays a run killed mid-migration: the
// template exists but was never marked ready.
func TestHalfBuiltTemplateIsRebuilt(t *testing.T) {
	t.Parallel()
	adminURL := serverURL(t)
	schema := freshSchema(t, adminURL)
	tmpl, _ := templateName(schema)
	if err := exec(t.Context(), adminURL, "CREATE DATABASE "+ident(tmpl)); err != nil {
		t.Fatal(err)
	}
	tmplURL, err := withDatabase(adminURL, tmpl)
	if err != nil {
		t.Fatal(err)
	}
	if err := exec(t.Context(), tmplURL, "CREATE TABLE half_done (id int)"); err != nil {
		t.Fatal(err)
	}

	var migrations atomic.Int32
	pool := New(t, schema, notesMigration(&migrations))
	if got := migrations.Load(); got != 1 {
		t.Fatalf("template migrated %d times, want 1", got)
	}
	var leftover bool
	if err := pool.QueryRow(t.Context(), "SELECT to_regclass('half_done') IS NOT NULL").Scan(&leftover); err != nil {
		t.Fatal(err)
	}
	if leftover {
		t.Fatal("the half-built template was reused instead of rebuilt")
	}
}

// TestConcurrentBuildersMigrateOnce plays several test binaries building the
// same template at once, which only the server-side lock can serialise.
func TestConcurrentBuildersMigrateOnce(t *testing.T) {
	t.Parallel()
	adminURL := serverURL(t)
	schema := freshSchema(t, adminURL)
	tmpl, _ := templateName(schema)
	var migrations atomic.Int32
	slow := func(ctx context.Context, url string) error {
		time.Sleep(300 * time.Millisecond) // widen the race window
		return notesMigration(&migrations)(ctx, url)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Go(func() { errs <- buildTemplate(t.Context(), adminURL, tmpl, slow) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("buildTemplate: %v", err)
		}
	}
	if got := migrations.Load(); got != 1 {
		t.Fatalf("template migrated %d times, want 1", got)
	}
}

func TestFailedMigrationLeavesNoTemplate(t *testing.T) {
	t.Parallel()
	adminURL := serverURL(t)
	schema := freshSchema(t, adminURL)
	tmpl, _ := templateName(schema)
	boom := errors.New("boom")
	err := buildTemplate(t.Context(), adminURL, tmpl, func(context.Context, string) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("buildTemplate = %v, want the migration's error", err)
	}
	if databaseExists(t, adminURL, tmpl) {
		t.Fatal("a failed migration left its template behind")
	}
	var migrations atomic.Int32
	if err := buildTemplate(t.Context(), adminURL, tmpl, notesMigration(&migrations)); err != nil {
		t.Fatalf("buildTemplate after a failure: %v", err)
	}
}

func notesMigration(count *atomic.Int32) MigrateFunc {
	return func(ctx context.Context, url string) error {
		count.Add(1)
		return exec(ctx, url, "CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)")
	}
}

// freshSchema names a template no earlier run has built, so that counting
// migrations means something, and drops it after the test.
func freshSchema(t *testing.T, adminURL string) string {
	t.Helper()
	schema := "pgtest_self_" + randomHex(4)
	tmpl, _ := templateName(schema)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		// A template cannot be dropped until it stops being one.
		_ = exec(ctx, adminURL, "ALTER DATABASE "+ident(tmpl)+" WITH IS_TEMPLATE false")
		if err := exec(ctx, adminURL, "DROP DATABASE IF EXISTS "+ident(tmpl)+" WITH (FORCE)"); err != nil {
			t.Errorf("drop template %s: %v", tmpl, err)
		}
	})
	return schema
}

func databaseExists(t *testing.T, adminURL, name string) bool {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), adminURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(t.Context(),
		"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		t.Fatal(err)
	}
	return exists
}
