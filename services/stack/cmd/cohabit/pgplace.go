package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/cohabit/cohabit/services/platform/pgcluster"
)

// pgFallback keeps the private cluster of a project the `postgres` user cannot reach: run as
// root, the cluster runs as postgres (the server refuses root), and a clone under /root (0700)
// or in any folder only root can read is closed to it. Rather than open the user's folders to
// it (chmod o+x /root would let every local account walk into root's home), the cluster then
// lives in a folder of its own here, named after the project and keyed by its path, and the
// rest of the data (NATS, keys) stays in the project.
const pgFallback = "/var/lib/cohabit/pg"

// pgLocationNote, in the data folder, names the cluster's folder when it lives elsewhere, for
// people and for `make clean`.
const pgLocationNote = "pg.location"

// clusterDir returns the folder of the private cluster for data folder dataDir: <data>/pg, or
// its folder under pgFallback when the server's user cannot reach it (which it notes in
// <data>/pg.location).
func clusterDir(ctx context.Context, s settings, log *slog.Logger) (string, error) {
	want := filepath.Join(s.dataDir, "pg")
	c := &pgcluster.Cluster{Dir: want, Port: s.pgPort, Fallback: pgFallback}
	dir, err := c.Location(ctx)
	if err != nil {
		return "", err
	}
	note := filepath.Join(s.dataDir, pgLocationNote)
	if dir == want {
		_ = os.Remove(note) // left by a cluster that lived elsewhere before, if any
		return dir, nil
	}
	if cur, err := os.ReadFile(note); err != nil || string(cur) != dir+"\n" {
		if err := writeFile(note, []byte(dir+"\n"), 0o644); err != nil {
			return "", err
		}
		log.Info("PostgreSQL: the postgres user cannot reach the data folder; the cluster lives elsewhere",
			"data", s.dataDir, "cluster", dir, "note", note)
	}
	return dir, nil
}

// clusterNote is the banner's line on where the cluster lives, when not in the data folder.
func clusterNote(s settings) string {
	if s.databaseURL != "" {
		return ""
	}
	b, err := os.ReadFile(filepath.Join(s.dataDir, pgLocationNote))
	if err != nil || len(b) < 2 {
		return ""
	}
	dir := string(b[:len(b)-1])
	if !exists(filepath.Join(dir, "PG_VERSION")) {
		return ""
	}
	return fmt.Sprintf("  PostgreSQL's cluster is in %s: the postgres user it runs as cannot reach %s.\n", dir, s.dataDir)
}
