package stack_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/proto/eventcat/all"
)

// catalogued is a subject docs/events.md names, in backquotes.
var catalogued = regexp.MustCompile("`(cohabit\\.[a-z_]+\\.[a-z_]+\\.[a-z_]+)`")

// auditRow is the one row of docs/events.md that stands for every service's audit event.
const auditRow = "`cohabit.<service>.audit.recorded`"

// TestEventCatalogueIsComplete keeps docs/events.md true to the event catalogue
// (proto/eventcat): every event and stream the catalogue declares is in the page, and the page
// names no subject the catalogue does not declare. Each service's audit event is the page's
// one cohabit.<service>.audit.recorded row.
func TestEventCatalogueIsComplete(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "events.md"))
	if err != nil {
		t.Fatalf("read the catalogue's page: %v", err)
	}
	page := string(doc)
	inDoc := map[string]bool{}
	for _, m := range catalogued.FindAllStringSubmatch(page, -1) {
		inDoc[m[1]] = true
	}
	declared := map[string]bool{}
	for _, e := range all.Events() {
		s := e.SubjectName()
		declared[s] = true
		if strings.HasSuffix(s, ".audit.recorded") {
			if !strings.Contains(page, auditRow) {
				t.Errorf("%s: docs/events.md has no %s row", s, auditRow)
			}
			continue
		}
		if !inDoc[s] {
			t.Errorf("%s (%s, on %s) is missing from docs/events.md: add its row (payload, consumers, meaning)", s, e.Payload(), e.StreamOf().Name)
		}
	}
	for s := range inDoc {
		if !declared[s] {
			t.Errorf("docs/events.md names %s, which the event catalogue (proto/eventcat) does not declare: remove or correct its row", s)
		}
	}
	for _, st := range all.Streams() {
		row := "| `" + st.Name + "` | " + st.Service + " | `cohabit." + st.Service + ".>`"
		if !strings.Contains(page, row) {
			t.Errorf("stream %s is missing from docs/events.md's table of streams (want a row starting %q)", st.Name, row)
		}
	}
	if len(declared) < 60 || len(inDoc) < 60 {
		t.Fatalf("%d events declared, %d in the page: is the catalogue loaded whole?", len(declared), len(inDoc))
	}
}

// subjectLiteral is a subject or a subject filter of a service's stream:
// cohabit.<service>.<record>.<fact>, cohabit.<service>.<record>.> or cohabit.<service>.>.
var subjectLiteral = regexp.MustCompile(`^cohabit\.[a-z_]+\.([a-z_]+\.[a-z_]+|[a-z_]+\.>|>)$`)

// natsImports are the imports of a file that talks to JetStream, where a stream's name in a
// string is a stream's name (elsewhere IDENTITY is also a kind of document).
var natsImports = []string{"github.com/nats-io/", "github.com/cohabit/cohabit/services/platform/natsx", "github.com/cohabit/cohabit/services/platform/consume"}

// eventLiterals returns, for one Go file, each string literal that writes a subject, or a
// stream's name where a stream is meant (the file uses NATS, or the literal is a Stream field).
func eventLiterals(fset *token.FileSet, f *ast.File, streams map[string]bool) []string {
	usesNATS := false
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		for _, n := range natsImports {
			if strings.HasPrefix(p, n) {
				usesNATS = true
			}
		}
	}
	streamFields := map[*ast.BasicLit]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if kv, ok := n.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "Stream" {
				if lit, ok := kv.Value.(*ast.BasicLit); ok {
					streamFields[lit] = true
				}
			}
		}
		return true
	})
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		v, err := strconv.Unquote(lit.Value)
		if err != nil {
			return true
		}
		if subjectLiteral.MatchString(v) || (streams[v] && (usesNATS || streamFields[lit])) {
			out = append(out, fset.Position(lit.Pos()).String()+": "+lit.Value)
		}
		return true
	})
	return out
}

// testFixtureStreams are the services of the streams platform's own tests make up (TEST,
// BOOTTEST, METRICSTEST): no service owns them and the catalogue must not declare them, so a
// test file may write their subjects (cohabit.test.thing.happened, cohabit.boottest.>…).
var testFixtureStreams = map[string]string{
	"test":        "natsx, event, outbox, svctest and tracing tests publish on a stream of their own",
	"boottest":    "boot's tests start a made-up service with its own stream",
	"metricstest": "boot's metrics test starts a made-up service with its own stream",
}

// testFixtureSubjects are the subjects of a catalogue stream a test file may write, each because
// it is deliberately not an event of the catalogue.
var testFixtureSubjects = map[string]string{
	"cohabit.identity.programme.archived": "platform/programmes: an identity subject the catalogue does not declare, to prove the consumer skips it",
}

// testFixture says whether a literal in a test file is one of the fixtures above.
func testFixture(literal string) bool {
	v, err := strconv.Unquote(literal)
	if err != nil {
		return false
	}
	if _, ok := testFixtureSubjects[v]; ok {
		return true
	}
	parts := strings.Split(v, ".")
	if len(parts) < 2 {
		return false
	}
	_, ok := testFixtureStreams[parts[1]]
	return ok
}

// TestNoEventLiteralOutsideTheCatalogue: subjects and stream names are written once, in the
// event catalogue (proto/eventcat, outside the scanned trees); every other Go file of the
// services and the gateway, tests included, names them through it. A test file may write only
// the fixtures above (testFixtureStreams, testFixtureSubjects), none of them a catalogue event.
func TestNoEventLiteralOutsideTheCatalogue(t *testing.T) {
	streams := map[string]bool{}
	for _, s := range all.Streams() {
		streams[s.Name] = true
	}
	// The scan itself finds what it must, and leaves document kinds alone.
	const probe = `package p
import "github.com/cohabit/cohabit/services/platform/natsx"
var s = natsx.Stream{Name: "HOSTS", Subjects: []string{"cohabit.hosts.>"}}
var c = struct{ Stream string }{Stream: "DESK"}
const subject = "cohabit.matching.match.approved"
const method = "/cohabit.hosts.v1.HostService/GetHost"
`
	const unrelated = `package p
var kinds = []string{"IDENTITY", "HOME_INSURANCE"}
const name = "cohabit.hosts.v1.Host"
`
	fset := token.NewFileSet()
	for src, want := range map[string]int{probe: 4, unrelated: 0} {
		f, err := parser.ParseFile(fset, "probe.go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := eventLiterals(fset, f, streams); len(got) != want {
			t.Fatalf("the scan finds %d literals in its probe, want %d: %v", len(got), want, got)
		}
	}

	root := filepath.Join("..", "..")
	var found []string
	scanned := 0
	for _, dir := range []string{"services", "gateway"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".pb.go") {
				return nil
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			scanned++
			for _, lit := range eventLiterals(fset, f, streams) {
				if strings.HasSuffix(path, "_test.go") && testFixture(lit[strings.LastIndex(lit, ": ")+2:]) {
					continue
				}
				found = append(found, lit)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("scan %s: %v", dir, err)
		}
	}
	if scanned < 200 {
		t.Fatalf("%d Go files scanned: is the scan looking in the right place?", scanned)
	}
	slices.Sort(found)
	for _, f := range found {
		t.Errorf("%s: a subject or stream name outside the event catalogue: use proto/eventcat (hostsevents.HostRegistered.Subject, hostsevents.Stream.Name…)", f)
	}
}
