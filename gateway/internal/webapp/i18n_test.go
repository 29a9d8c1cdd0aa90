package webapp

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/gateway/web"
	"github.com/cohabit/cohabit/services/platform/logging"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

func testCatalogue(t *testing.T) *catalogue {
	t.Helper()
	c, err := loadCatalogue(web.FS(), logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFormats(t *testing.T) {
	t.Parallel()
	c := testCatalogue(t)
	paris, _ := time.LoadLocation("Europe/Paris")
	fr, en := c.Loc("fr", paris), c.Loc("en", paris)
	cases := []struct{ got, want string }{
		{fr.Money(15000), "150,00\u00a0€"},
		{en.Money(15000), "€150.00"},
		{fr.Money(123456), "1\u202f234,56\u00a0€"},
		{en.Money(123456), "€1,234.56"},
		{fr.Money(5), "0,05\u00a0€"},
		{fr.Num(12.5, 1), "12,5"},
		{en.Num(12.5, 1), "12.5"},
		{fr.Num(12, 1), "12"},
		{fr.Int(1234567), "1\u202f234\u202f567"},
		{fr.CancelReason("APPLICATION_WITHDRAWN"), "L’étudiant a retiré sa demande."},
		{en.CancelReason("CONTRACT_CANCELLED"), "The contract was cancelled before the stay."},
		{fr.CancelReason("Elle part vivre chez sa fille."), "Elle part vivre chez sa fille."},
		{en.CancelReason("SOME_NEWER_CODE"), "SOME_NEWER_CODE"},
		{en.Int(1234567), "1,234,567"},
		{fr.Pct(0.755), "76\u00a0%"},
		{en.Pct(0.755), "76%"},
		{fr.Score(82.46), "82,5"},
		{fr.Date("2027-03-01"), "1 mars 2027"},
		{en.Date("2027-03-01"), "1 March 2027"},
		{fr.Date(""), "—"},
		{fr.Time(stamp("2026-11-28T14:30:00Z")), "28 novembre 2026 à 15:30"},
		{en.Time(stamp("2026-07-01T14:30:00Z")), "1 July 2026 at 16:30"},
		{fr.Time(nil), "—"},
		{fr.N("hosts.count", 0), "0 hôte"},
		{en.N("hosts.count", 0), "0 hosts"},
		{fr.N("hosts.count", 2), "2 hôtes"},
		{en.N("hosts.count", 1), "1 host"},
		{fr.Enum(hostsv1.HostStatus_HOST_STATUS_VERIFIED), "Vérifié"},
		{en.Languages([]string{"fr", "xx"}), "French, XX"},
		{fr.Reason("raison", "reason"), "raison"},
		{en.Reason("raison", "reason"), "reason"},
		{en.Reason("raison", ""), "raison"},
		{fr.Criterion("new-criterion"), "new-criterion"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
	if m := c.Missing(); len(m) > 0 {
		t.Errorf("missing: %v", m)
	}
	if got := fr.T("no.such.key"); got != "⟦no.such.key⟧" || len(c.Missing()) != 1 {
		t.Errorf("missing key: %q, recorded %v", got, c.Missing())
	}
}

func TestCataloguesMustHaveTheSameKeys(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"i18n/fr.json": {Data: []byte(`{"a": "un", "b": "deux"}`)},
		"i18n/en.json": {Data: []byte(`{"a": "one"}`)},
	}
	if _, err := loadCatalogue(fsys, logging.Discard()); err == nil || !strings.Contains(err.Error(), "-b") {
		t.Errorf("catalogues with different keys: err = %v", err)
	}
	fsys["i18n/en.json"] = &fstest.MapFile{Data: []byte(`{"a": "one", "b": " "}`)}
	if _, err := loadCatalogue(fsys, logging.Discard()); err == nil {
		t.Error("an empty text was accepted")
	}
}

// TestEveryKeyInTheSourcesExists reads the templates and the Go files for the keys they
// name, so that a text of a branch no test renders cannot be missing either.
func TestEveryKeyInTheSourcesExists(t *testing.T) {
	t.Parallel()
	c := testCatalogue(t)
	var keys []string
	add := func(ks ...string) { keys = append(keys, ks...) }
	tmpls, _ := fs.Glob(web.FS(), "templates/*.html")
	for _, name := range tmpls {
		b, _ := fs.ReadFile(web.FS(), name)
		s := string(b)
		for _, m := range regexp.MustCompile(`\.T "([^"]+)"`).FindAllStringSubmatch(s, -1) {
			add(m[1])
		}
		for _, m := range regexp.MustCompile(`\.N "([^"]+)"`).FindAllStringSubmatch(s, -1) {
			add(m[1]+".one", m[1]+".other")
		}
		for _, m := range regexp.MustCompile(`"(?:hint|label)=([^"]+)"`).FindAllStringSubmatch(s, -1) {
			add(m[1])
		}
		for _, m := range regexp.MustCompile(`"option=[^:"]*:([^"]+)"`).FindAllStringSubmatch(s, -1) {
			add(m[1])
		}
	}
	// The core and the audiences' packages below it.
	var gos []string
	_ = filepath.WalkDir(".", func(path string, e fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			gos = append(gos, path)
		}
		return err
	})
	for _, name := range gos {
		b, _ := os.ReadFile(name)
		for _, m := range regexp.MustCompile(`(?:Label|Key): "([^"]+)"`).FindAllStringSubmatch(string(b), -1) {
			add(m[1])
		}
		for _, m := range regexp.MustCompile(`(?:[nN]ewPage\(w, r, |[fF]ieldError\([^,]+, |[gG]lobal\(|[eE]rrorPage\(w, r, [^,]+, |return )"([a-z]+\.[A-Za-z.]+)"`).FindAllStringSubmatch(string(b), -1) {
			add(m[1])
		}
	}
	if len(keys) < 300 {
		t.Fatalf("found only %d keys: the patterns no longer match the sources", len(keys))
	}
	for _, k := range keys {
		if !c.has(k) {
			t.Errorf("key %q is used but in no catalogue", k)
		}
	}
	for _, k := range []string{"format.decimal", "format.group", "format.money", "format.percent", "format.date", "format.datetime", "format.km", "format.area"} {
		if !c.has(k) {
			t.Errorf("format %q missing", k)
		}
	}
	for m := 1; m <= 12; m++ {
		if !c.has(fmt.Sprintf("month.%d", m)) {
			t.Errorf("month %d missing", m)
		}
	}
}

// TestEveryEnumValueHasAName: a state or service the pages show must have its words.
func TestEveryEnumValueHasAName(t *testing.T) {
	t.Parallel()
	c := testCatalogue(t)
	enums := []protoreflect.EnumDescriptor{
		typev1.Service(0).Descriptor(), typev1.Gender(0).Descriptor(), typev1.Rhythm(0).Descriptor(), typev1.Role(0).Descriptor(),
		hostsv1.HostStatus(0).Descriptor(), hostsv1.RoomStatus(0).Descriptor(),
		studentsv1.StudentStatus(0).Descriptor(), studentsv1.ApplicationStatus(0).Descriptor(),
		matchingv1.MatchStatus(0).Descriptor(), matchingv1.Party(0).Descriptor(), matchingv1.AllocationStatus(0).Descriptor(),
		contractsv1.ContractStatus(0).Descriptor(), contractsv1.SignatureMethod(0).Descriptor(), contractsv1.CheckinStatus(0).Descriptor(),
		contractsv1.CheckinMethod(0).Descriptor(), contractsv1.IncidentStatus(0).Descriptor(), contractsv1.Severity(0).Descriptor(),
	}
	for _, e := range enums {
		for i := 0; i < e.Values().Len(); i++ {
			v := e.Values().Get(i)
			if v.Number() == 0 {
				continue
			}
			if !c.has("enum." + string(v.Name())) {
				t.Errorf("enum.%s missing", v.Name())
			}
		}
	}
	for _, k := range []string{"commute", "services", "hours", "nights", "languages", "rhythm", "duration"} {
		if !c.has("criterion." + k) {
			t.Errorf("criterion.%s missing", k)
		}
	}
}

// TestVendoredHTMX pins the vendored htmx to the checksum VENDOR.md records.
func TestVendoredHTMX(t *testing.T) {
	t.Parallel()
	b, err := fs.ReadFile(web.FS(), "static/htmx.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	note, err := os.ReadFile("../../web/VENDOR.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(note), hex.EncodeToString(sum[:])) {
		t.Errorf("static/htmx.min.js has sha256 %x, which VENDOR.md does not record", sum)
	}
}

func TestLocalPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/coordinator": "/coordinator", "/a?b=c#d": "/a?b=c#d", "": "/", "//evil.example": "/", "/\\evil.example": "/",
		"https://evil.example": "/", "evil": "/", "/a\r\nSet-Cookie: x": "/",
		// Browsers drop tabs and newlines from a Location: "/\t/evil.example" is "//evil.example".
		"/\t/evil.example/": "/", "/\n/evil.example": "/", "/ /evil.example": "/", "/\x00x": "/",
	} {
		if got := LocalPath(in, "/"); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMoneyInput(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int32{"150": 15000, "150,5": 15050, "150.50": 15050, "1 200 €": 120000, "0": 0} {
		f := NewForm(nil, map[string][]string{"m": {in}})
		if got := f.Cents("m"); got != want || !f.OK() {
			t.Errorf("cents(%q) = %d (ok %v), want %d", in, got, f.OK(), want)
		}
	}
	for _, in := range []string{"abc", "1,234", "-5"} {
		f := NewForm(nil, map[string][]string{"m": {in}})
		if f.Cents("m"); f.OK() {
			t.Errorf("cents(%q) accepted", in)
		}
	}
	f := NewForm(nil, map[string][]string{"d": {"21/03/1948"}})
	if got := f.Date("d"); got != "1948-03-21" {
		t.Errorf("date = %q", got)
	}
}

// stamp is the timestamp of an RFC 3339 time.
func stamp(s string) *timestamppb.Timestamp {
	t, _ := time.Parse(time.RFC3339, s)
	return timestamppb.New(t)
}
