package journey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestOpenAPIFuzz sends malformed and hostile input to every operation of /openapi.json:
// each field of a body built from the operation's schema in turn (NUL and control
// characters, huge strings and arrays, wrong types, unknown, UNSPECIFIED and duplicated
// enum values, the dates 0000-01-01 and 9999-12-31, Infinity and NaN, unknown ids and ids
// of another programme), each path and query parameter, whole bodies that are not JSON,
// and hostile headers. Nothing names an operation: a new endpoint is fuzzed as soon as it
// is in the document (and has a policy: the caller is a role its rule names).
//
// It fails on any 5xx; on any 2xx for input that must be refused (every mutation but a
// newline in text and an UNSPECIFIED single enum, which proto3 cannot tell from an unset
// one; an id is refused when a 2xx answer takes it in); and on any 400 of bad input
// (INVALID_ARGUMENT) that names no field.
//
// COHABIT_FUZZ_ROUNDS (make fuzz) adds that many rounds of random mutations, several at
// once, seeded by COHABIT_FUZZ_SEED (logged, to replay a failure).
func TestOpenAPIFuzz(t *testing.T) {
	t.Parallel()
	s := boot(t)
	m := newMatrix(s)
	m.fixtures()
	f := &fuzzer{m: m, defs: s.definitions(), counts: map[string]int{}}
	rounds, _ := strconv.Atoi(os.Getenv("COHABIT_FUZZ_ROUNDS"))
	seed, err := strconv.ParseUint(os.Getenv("COHABIT_FUZZ_SEED"), 10, 64)
	if err != nil {
		seed = uint64(time.Now().UnixNano())
	}
	f.rnd = rand.New(rand.NewPCG(seed, seed))

	ops := s.operations()
	// Those that end their record last, so that the others find theirs.
	sort.SliceStable(ops, func(i, j int) bool { return !ends(ops[i].id) && ends(ops[j].id) })
	fuzzed := 0
	for _, op := range ops {
		if f.operation(op) {
			fuzzed++
		}
	}
	for r := 0; r < rounds; r++ {
		for _, op := range ops {
			f.random(op)
		}
	}
	t.Logf("OpenAPI fuzz (seed %d, %d random rounds): %d of %d operations × their inputs = %d requests; baseline 2xx for %d operations; outcomes %v",
		seed, rounds, fuzzed, len(ops), f.sent, f.live, f.counts)
}

// definitions reads the schemas of /openapi.json.
func (s *stack) definitions() map[string]schema {
	resp, err := http.Get(s.base + "/openapi.json")
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Definitions map[string]schema `json:"definitions"`
		Paths       map[string]map[string]struct {
			Parameters []struct {
				Name   string  `json:"name"`
				In     string  `json:"in"`
				Schema *schema `json:"schema"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		s.t.Fatal(err)
	}
	// The body schema of each operation, under a made-up name "<METHOD> <path>".
	for path, byMethod := range doc.Paths {
		for method, o := range byMethod {
			for _, p := range o.Parameters {
				if p.In == "body" && p.Schema != nil {
					doc.Definitions[strings.ToUpper(method)+" "+path] = *p.Schema
				}
			}
		}
	}
	return doc.Definitions
}

// schema is the part of a Swagger 2.0 schema the fuzzer reads.
type schema struct {
	Ref         string            `json:"$ref"`
	Type        string            `json:"type"`
	Format      string            `json:"format"`
	Description string            `json:"description"`
	Enum        []string          `json:"enum"`
	Items       *schema           `json:"items"`
	Properties  map[string]schema `json:"properties"`
	ReadOnly    bool              `json:"readOnly"`
}

type fuzzer struct {
	m      *matrix
	defs   map[string]schema
	rnd    *rand.Rand
	sent   int
	live   int
	counts map[string]int
}

func (f *fuzzer) resolve(s schema) schema {
	for i := 0; s.Ref != "" && i < 8; i++ {
		s = f.defs[strings.TrimPrefix(s.Ref, "#/definitions/")]
	}
	return s
}

// baselines are valid bodies for the operations whose domain rules a body made from the
// schema alone would not meet (a host's age, a room's size); every other operation gets
// one made from its schema. They only make more mutations reach the use case.
func baselines() map[string]func(f *fuzzer) any {
	return map[string]func(f *fuzzer) any{
		"HostService_CreateHost": func(*fuzzer) any { return hostBody("1948-03-12") },
		"HostService_CreateRoom": func(*fuzzer) any { return roomBody() },
		"StudentService_CreateStudent": func(*fuzzer) any {
			return studentBody("2003-04-05")
		},
		"StudentService_CreateApplication": func(*fuzzer) any {
			return map[string]any{"budgetCents": 20000, "moveInDate": "2027-01-15", "moveOutDate": "2027-06-30"}
		},
		"IdentityService_Signup": func(*fuzzer) any {
			return map[string]any{"email": "fuzz-" + uuid.NewString()[:8] + "@example.org", "password": "fuzz-password-1", "role": "ROLE_STUDENT"}
		},
	}
}

// value makes a plausible value of s for a field called name.
func (f *fuzzer) value(name string, s schema, depth int) any {
	s2 := f.resolve(s)
	lname := strings.ToLower(name)
	switch {
	case len(s2.Enum) > 0:
		for _, e := range s2.Enum {
			if !strings.HasSuffix(e, "_UNSPECIFIED") {
				return e
			}
		}
		return s2.Enum[0]
	case s2.Type == "array":
		if s2.Items == nil {
			return []any{}
		}
		return []any{f.value(strings.TrimSuffix(name, "s"), *s2.Items, depth+1)}
	case s2.Type == "object" || len(s2.Properties) > 0:
		if depth > 3 {
			return map[string]any{}
		}
		obj := map[string]any{}
		for k, p := range s2.Properties {
			if k == "id" || k == "etag" || p.ReadOnly {
				continue
			}
			obj[k] = f.value(k, p, depth+1)
		}
		return obj
	case s2.Type == "boolean":
		return false
	case s2.Type == "integer":
		return 1
	case s2.Type == "number":
		return 12
	case s2.Format == "date-time":
		return time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	case isDate(name, s2):
		return "2027-03-01"
	case strings.HasSuffix(lname, "email"):
		return "fuzz-" + uuid.NewString()[:8] + "@example.org"
	case strings.HasSuffix(lname, "phone"):
		return "+33 6 12 34 56 78"
	case strings.HasSuffix(name, "Id"):
		if id, ok := f.m.ids[plural(strings.TrimSuffix(name, "Id"))]; ok {
			return id
		}
		return uuid.NewString()
	case lname == "postcode":
		return "69003"
	case lname == "city":
		return "Lyon"
	case strings.HasPrefix(lname, "language"):
		return "fr"
	case lname == "password":
		return "fuzz-password-1"
	}
	return "Fuzz " + name
}

func isDate(name string, s schema) bool {
	return s.Format == "date" || strings.Contains(s.Description, "YYYY-MM-DD") || strings.HasSuffix(name, "Date") || strings.HasSuffix(name, "date")
}

// mutation is one hostile value for one place of a request.
type mutation struct {
	what   string
	value  any
	refuse bool // a 2xx is a failure
	// id, when set, is an id that a 2xx answer must not carry (it was taken in).
	id string
}

// mutations are the hostile values for a field of schema s called name.
func (f *fuzzer) mutations(name string, s schema) []mutation {
	s = f.resolve(s)
	huge := strings.Repeat("a", 100_000)
	out := []mutation{
		{what: "wrong type (object)", value: map[string]any{"x": 1}, refuse: true},
	}
	switch {
	case len(s.Enum) > 0:
		out = append(out,
			mutation{what: "unknown enum", value: "NOT_A_VALUE", refuse: true},
			mutation{what: "undefined enum number", value: 9999, refuse: true},
			mutation{what: "UNSPECIFIED enum", value: s.Enum[0]},
			mutation{what: "NUL in enum", value: "A\x00", refuse: true},
		)
	case s.Type == "array":
		item := any("x")
		if s.Items != nil {
			item = f.value(name, *s.Items, 3)
		}
		many := make([]any, 10_000)
		for i := range many {
			many[i] = item
		}
		out = append(out,
			mutation{what: "10,000 items", value: many, refuse: true},
			mutation{what: "wrong type (string)", value: "x", refuse: true},
			mutation{what: "null item", value: []any{nil}, refuse: true},
		)
		if s.Items != nil {
			if it := f.resolve(*s.Items); len(it.Enum) > 1 {
				out = append(out,
					mutation{what: "duplicated enum", value: []any{it.Enum[1], it.Enum[1]}, refuse: true},
					mutation{what: "UNSPECIFIED in a list", value: []any{it.Enum[0]}, refuse: true},
				)
			}
			for _, m := range f.mutations(name, *s.Items) {
				if m.what != "wrong type (object)" {
					m.what = "item: " + m.what
					m.value = []any{m.value}
					out = append(out, m)
				}
			}
		}
	case s.Type == "object" || len(s.Properties) > 0:
		out = append(out, mutation{what: "wrong type (string)", value: "x", refuse: true})
	case s.Type == "boolean":
		out = append(out, mutation{what: "wrong type (string)", value: "yes", refuse: true})
	case s.Type == "integer" || s.Type == "number":
		out = append(out,
			mutation{what: "Infinity", value: "Infinity", refuse: true},
			mutation{what: "NaN", value: "NaN", refuse: true},
			mutation{what: "-Infinity", value: "-Infinity", refuse: true},
			mutation{what: "1e308", value: 1e308, refuse: true},
			mutation{what: "not a number", value: "abc", refuse: true},
			mutation{what: "negative", value: -1},
			mutation{what: "huge integer", value: json.Number("99999999999999999999")},
		)
	default: // string
		out = append(out,
			mutation{what: "NUL", value: "a\x00b", refuse: true},
			mutation{what: "bell", value: "a\x07b", refuse: true},
			mutation{what: "escape sequence", value: "\x1b[31mred", refuse: true},
			mutation{what: "DEL", value: "a\x7fb", refuse: true},
			mutation{what: "newline", value: "line one\nline two"},
			mutation{what: "100 kB", value: huge, refuse: true},
			mutation{what: "wrong type (number)", value: 12, refuse: true},
		)
		if isDate(name, s) || s.Format == "date-time" {
			suffix := ""
			if s.Format == "date-time" {
				suffix = "T00:00:00Z"
			}
			out = append(out,
				mutation{what: "year 0", value: "0000-01-01" + suffix, refuse: true},
				mutation{what: "year 9999", value: "9999-12-31" + suffix, refuse: true},
			)
		}
		if strings.HasSuffix(name, "Id") && name != "requestId" {
			unknown := uuid.NewString()
			out = append(out, mutation{what: "unknown id", value: unknown, id: unknown})
			if id, ok := f.m.foreign[plural(strings.TrimSuffix(name, "Id"))]; ok {
				out = append(out, mutation{what: "id of another programme", value: id, id: id})
			}
		}
	}
	return out
}

// leaves lists the paths of every field of v, a body made by value (nested objects and
// the first item of lists included), with their schemas.
func (f *fuzzer) leaves(prefix []string, v any, s schema, visit func(path []string, name string, s schema)) {
	s = f.resolve(s)
	obj, ok := v.(map[string]any)
	if !ok {
		return
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p, ok := s.Properties[k]
		if !ok {
			continue
		}
		path := append(slices.Clone(prefix), k)
		visit(path, k, p)
		if rp := f.resolve(p); rp.Type == "object" || len(rp.Properties) > 0 {
			f.leaves(path, obj[k], rp, visit)
		}
	}
}

// with returns a deep copy of body with the value at path replaced.
func with(body any, path []string, value any) any {
	if len(path) == 0 {
		return value
	}
	obj, _ := body.(map[string]any)
	out := make(map[string]any, len(obj)+1)
	for k, v := range obj {
		out[k] = v
	}
	out[path[0]] = with(obj[path[0]], path[1:], value)
	return out
}

// caller picks who sends op: a role its rule names, programme A's coordinator first.
func (f *fuzzer) caller(op operation) (caller, bool) {
	_, rule, ok := f.m.s.policies.rule(op.id)
	if !ok {
		return caller{}, false
	}
	if rule.Public {
		return f.m.callers[0], true
	}
	for _, want := range []string{coordA, admin, ownerHost, ownerStudent} {
		for _, c := range f.m.callers {
			if c.name == want && slices.Contains(rule.Roles, c.role) {
				return c, true
			}
		}
	}
	return caller{}, false
}

// request is one fuzzed request.
type request struct {
	what        string
	method      string
	path        string
	body        []byte
	contentType string
	header      http.Header
	refuse      bool
	id          string
}

// operation fuzzes op; it says false when no caller may call it (the matrix reports that).
func (f *fuzzer) operation(op operation) bool {
	c, ok := f.caller(op)
	if !ok {
		return false
	}
	if endsSession(op.id) {
		// Its own sign-in: the others' must go on.
		c = f.m.fresh(c)
	}
	path, _ := f.m.fill(op.path, pathParam)
	var body any
	var bodySchema schema
	if op.hasBody {
		bodySchema = f.defs[op.method+" "+op.path]
		if mk, ok := baselines()[op.id]; ok {
			body = mk(f)
		} else {
			body = f.value("", bodySchema, 0)
		}
	}
	encode := func(v any) []byte {
		if v == nil {
			return nil
		}
		b, err := json.Marshal(v)
		if err != nil {
			f.m.s.t.Fatalf("%s: %v", op.id, err)
		}
		return b
	}
	base := request{what: "baseline", method: op.method, path: path, body: encode(body)}
	if code := f.send(op, c, base); code < 300 {
		f.live++
	}
	if op.hasBody {
		f.leaves(nil, body, bodySchema, func(p []string, name string, s schema) {
			for _, mu := range f.mutations(name, s) {
				r := base
				r.what = strings.Join(p, ".") + ": " + mu.what
				r.body = encode(with(body, p, mu.value))
				if n, ok := mu.value.(json.Number); ok {
					r.body = bytes.Replace(encode(with(body, p, "NUMBER")), []byte(`"NUMBER"`), []byte(n), 1)
				}
				r.refuse, r.id = mu.refuse, mu.id
				f.send(op, c, r)
			}
		})
		for _, raw := range []struct{ what, body string }{
			{"malformed JSON", `{"a": `}, {"JSON array", `[]`}, {"JSON null", `null`},
			{"JSON string", `"x"`}, {"unknown field", `{"notAField": 1}`},
			{"deep nesting", strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)},
		} {
			r := base
			r.what, r.body, r.refuse = raw.what, []byte(raw.body), raw.what != "JSON null"
			f.send(op, c, r)
		}
		r := base
		r.what, r.contentType = "text/plain body", "text/plain"
		f.send(op, c, r)
	}
	// Path parameters.
	for _, loc := range pathParam.FindAllStringSubmatchIndex(op.path, -1) {
		name := op.path[loc[2]:loc[3]]
		coll := collectionOf(op.path, loc, name)
		values := []mutation{
			{what: "NUL", value: "%00", refuse: true},
			{what: "control", value: "a%07b", refuse: true},
			{what: "10 kB", value: strings.Repeat("a", 10_000), refuse: true},
			{what: "unknown id", value: uuid.NewString(), refuse: true},
			{what: "traversal", value: "..%2F..%2Fmetrics", refuse: true},
			{what: "quote", value: "%27%3B--", refuse: true},
			{what: "invalid UTF-8", value: "%FF%FE", refuse: true},
		}
		// A public record (a programme) is anyone's to read, another programme's too.
		if id, ok := f.m.foreign[coll]; ok && c.role != "" {
			values = append(values, mutation{what: "id of another programme", value: id, refuse: true})
		}
		for _, mu := range values {
			r := base
			r.what = "path " + name + ": " + mu.what
			p := op.path[:loc[0]] + mu.value.(string) + op.path[loc[1]:]
			r.path, _ = f.m.fill(p, pathParam)
			r.refuse = mu.refuse
			f.send(op, c, r)
		}
	}
	// Query parameters.
	for _, q := range op.query {
		for _, v := range []string{"\x00", "a\x07b", strings.Repeat("a", 10_000), "-1", "Infinity", "NaN", "99999999999999999999", "NOT_A_VALUE", "0000-01-01", "\xff"} {
			r := base
			r.what = "query " + q + ": " + strconv.QuoteToASCII(v[:min(len(v), 12)])
			sep := "?"
			if strings.Contains(r.path, "?") {
				sep = "&"
			}
			r.path += sep + url.Values{q: {v}}.Encode()
			f.send(op, c, r)
		}
	}
	// Headers.
	for _, h := range []struct{ name, value string }{
		{"Authorization", "Bearer " + strings.Repeat("a", 20_000)},
		{"Authorization", "Bearer a.b.c"},
		{"Authorization", "Basic YWRtaW46YWRtaW4="},
		{"X-Request-Id", strings.Repeat("r", 5_000)},
		{"X-Request-Id", "id\x01"},
		{"Accept-Language", strings.Repeat("fr,", 3_000)},
		{"Content-Type", "application/json; charset=ebcdic"},
	} {
		r := base
		r.what = "header " + h.name
		r.header = http.Header{h.name: {h.value}}
		f.send(op, c, r)
	}
	return true
}

// random sends op with several random mutations at once (make fuzz).
func (f *fuzzer) random(op operation) {
	c, ok := f.caller(op)
	if !ok || !op.hasBody {
		return
	}
	if endsSession(op.id) {
		c = f.m.fresh(c)
	}
	path, _ := f.m.fill(op.path, pathParam)
	bodySchema := f.defs[op.method+" "+op.path]
	body := f.value("", bodySchema, 0)
	type place struct {
		path []string
		name string
		s    schema
	}
	var places []place
	f.leaves(nil, body, bodySchema, func(p []string, name string, s schema) { places = append(places, place{p, name, s}) })
	if len(places) == 0 {
		return
	}
	var whats []string
	refuse := false
	for n := 1 + f.rnd.IntN(3); n > 0; n-- {
		pl := places[f.rnd.IntN(len(places))]
		ms := f.mutations(pl.name, pl.s)
		mu := ms[f.rnd.IntN(len(ms))]
		if _, isNum := mu.value.(json.Number); isNum {
			continue
		}
		body = with(body, pl.path, mu.value)
		whats = append(whats, strings.Join(pl.path, ".")+": "+mu.what)
		refuse = refuse || mu.refuse
	}
	b, _ := json.Marshal(body)
	f.send(op, c, request{what: "random " + strings.Join(whats, ", "), method: op.method, path: path, body: b, refuse: refuse})
}

var fieldless = regexp.MustCompile(`"fieldViolations"\s*:\s*\[\s*\{`)

// send sends r as c and checks the answer.
func (f *fuzzer) send(op operation, c caller, r request) int {
	t := f.m.s.t
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, f.m.s.base+r.path, rd)
	if err != nil {
		// A path the client library itself refuses (a raw control character) never
		// reaches the server.
		f.counts["unsendable"]++
		return 0
	}
	ct := r.contentType
	if ct == "" {
		ct = "application/json"
	}
	req.Header.Set("Content-Type", ct)
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil && strings.Contains(err.Error(), "invalid header") {
		f.counts["unsendable"]++
		return 0
	}
	if err != nil {
		t.Errorf("%s %s (%s) %s: %v", r.method, op.path, op.id, r.what, err)
		return 0
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	f.sent++
	code := resp.StatusCode
	f.counts[strconv.Itoa(code)]++
	where := fmt.Sprintf("%s %s (%s as %s) %s", r.method, op.path, op.id, c.name, r.what)
	var st struct {
		Code int `json:"code"`
	}
	_ = json.Unmarshal(raw, &st)
	switch {
	case code >= 500:
		t.Errorf("%s: got %d: %.300s", where, code, raw)
	case code < 300 && r.refuse && r.what != "baseline" && !strings.HasPrefix(r.what, "header"):
		t.Errorf("%s: got %d, want a refusal: %.200s", where, code, raw)
	case code < 300 && r.id != "" && bytes.Contains(raw, []byte(r.id)):
		t.Errorf("%s: got %d taking in the id: %.200s", where, code, raw)
	case code == 400 && st.Code == 3 && !fieldless.Match(raw):
		t.Errorf("%s: got a 400 that names no field: %.300s", where, raw)
	}
	return code
}
