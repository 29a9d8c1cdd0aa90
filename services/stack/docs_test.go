package stack_test

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// subjectLiteral is an event subject written in Go: "cohabit.<service>.<record>.<fact>".
var subjectLiteral = regexp.MustCompile(`"(cohabit\.[a-z_]+\.[a-z_]+\.[a-z_]+)"`)

// catalogued is a subject the catalogue names, in backquotes.
var catalogued = regexp.MustCompile("`(cohabit\\.[a-z_]+\\.[a-z_]+\\.[a-z_]+)`")

// TestEventCatalogueIsComplete keeps docs/events.md true: every subject a service's code
// publishes or follows is in the catalogue, and the catalogue names no subject the code has
// forgotten. Test files are left out: they make up subjects of their own (cohabit.test.…).
func TestEventCatalogueIsComplete(t *testing.T) {
	root := filepath.Join("..", "..")
	doc, err := os.ReadFile(filepath.Join(root, "docs", "events.md"))
	if err != nil {
		t.Fatalf("read the catalogue: %v", err)
	}
	inDoc := map[string]bool{}
	for _, m := range catalogued.FindAllStringSubmatch(string(doc), -1) {
		inDoc[m[1]] = true
	}

	inCode := map[string][]string{} // subject → files that write it
	for _, dir := range []string{"services", "gateway"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			for _, m := range subjectLiteral.FindAllStringSubmatch(string(src), -1) {
				if !slices.Contains(inCode[m[1]], rel) {
					inCode[m[1]] = append(inCode[m[1]], rel)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("scan %s: %v", dir, err)
		}
	}
	if len(inCode) == 0 {
		t.Fatal("no subject found in the services' code: is the scan looking in the right place?")
	}

	for _, s := range slices.Sorted(maps.Keys(inCode)) {
		if !inDoc[s] {
			t.Errorf("%s (in %s) is missing from docs/events.md: add its row (stream, payload, publisher, consumers, meaning)",
				s, strings.Join(inCode[s], ", "))
		}
	}
	for _, s := range slices.Sorted(maps.Keys(inDoc)) {
		if _, ok := inCode[s]; !ok {
			t.Errorf("docs/events.md names %s, which no service's code publishes or follows any more: remove or correct its row", s)
		}
	}
}
