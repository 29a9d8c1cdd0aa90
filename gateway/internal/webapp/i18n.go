package webapp

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

// Languages the application speaks; the first is the default (SPEC: French by default).
var Languages = []string{"fr", "en"}

const defaultLang = "fr"

// catalogue holds every text of the application, per language, from i18n/<lang>.json.
// Loading refuses two catalogues whose keys differ, so a text missing in one language fails at
// start (and in tests), not in front of a user. A key a page asks for that no catalogue has is
// recorded (missing) and shown as ⟦key⟧; the tests fail on it.
type catalogue struct {
	msgs map[string]map[string]string
	log  *slog.Logger

	mu      sync.Mutex
	missing map[string]bool
}

func loadCatalogue(fsys fs.FS, log *slog.Logger) (*catalogue, error) {
	c := &catalogue{msgs: make(map[string]map[string]string), log: log, missing: make(map[string]bool)}
	for _, lang := range Languages {
		b, err := fs.ReadFile(fsys, "i18n/"+lang+".json")
		if err != nil {
			return nil, fmt.Errorf("translations %s: %w", lang, err)
		}
		m := make(map[string]string)
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("translations %s: %w", lang, err)
		}
		c.msgs[lang] = m
	}
	ref := c.msgs[defaultLang]
	for _, lang := range Languages[1:] {
		if d := keyDiff(ref, c.msgs[lang]); d != "" {
			return nil, fmt.Errorf("translations %s and %s differ: %s", defaultLang, lang, d)
		}
	}
	for lang, m := range c.msgs {
		for k, v := range m {
			if v == "" || (strings.TrimSpace(v) == "" && !strings.HasPrefix(k, "format.")) {
				return nil, fmt.Errorf("translations %s: %q is empty", lang, k)
			}
		}
	}
	return c, nil
}

// keyDiff describes the keys one map has and the other lacks ("" when none).
func keyDiff(a, b map[string]string) string {
	var only []string
	for k := range a {
		if _, ok := b[k]; !ok {
			only = append(only, "-"+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			only = append(only, "+"+k)
		}
	}
	slices.Sort(only)
	return strings.Join(only, ", ")
}

func (c *catalogue) miss(lang, key string) {
	c.mu.Lock()
	first := !c.missing[lang+":"+key]
	c.missing[lang+":"+key] = true
	c.mu.Unlock()
	if first {
		c.log.Warn("web: translation missing", "lang", lang, "key", key)
	}
}

// Missing lists the "lang:key" pairs asked for and not found, sorted.
func (c *catalogue) Missing() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Sorted(maps.Keys(c.missing))
}

// has reports whether key exists (in every language, since they have the same keys).
func (c *catalogue) has(key string) bool {
	_, ok := c.msgs[defaultLang][key]
	return ok
}

// Supported returns lang when the application speaks it, else the default.
func Supported(lang string) string {
	if slices.Contains(Languages, lang) {
		return lang
	}
	return defaultLang
}

// Loc is the catalogue in one language, with the formats of that language. Templates call
// its methods: {{.L.T "login.title"}}, {{.L.Money .Cents}}.
type Loc struct {
	lang string
	msgs map[string]string
	cat  *catalogue
	tz   *time.Location
}

// Loc is the catalogue in lang, with dates in the time zone tz.
func (c *catalogue) Loc(lang string, tz *time.Location) *Loc {
	lang = Supported(lang)
	return &Loc{lang: lang, msgs: c.msgs[lang], cat: c, tz: tz}
}

// Lang is the language code, for <html lang>.
func (l *Loc) Lang() string { return l.lang }

// T returns the text of key with its {placeholders} replaced: args are name, value pairs.
func (l *Loc) T(key string, args ...any) string {
	s, ok := l.msgs[key]
	if !ok {
		l.cat.miss(l.lang, key)
		return "⟦" + key + "⟧"
	}
	for i := 0; i+1 < len(args); i += 2 {
		s = strings.ReplaceAll(s, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return s
}

// N returns the plural form of key for n: key.one or key.other, with {n} set to n. French
// puts 0 and 1 in the singular, English only 1.
func (l *Loc) N(key string, n int, args ...any) string {
	form := "other"
	if n == 1 || (l.lang == "fr" && n == 0) {
		form = "one"
	}
	return l.T(key+"."+form, append([]any{"n", l.Int(n)}, args...)...)
}

// Optional returns the text of key, or fallback when the catalogue does not know it: for keys
// built from data (a criterion a newer matching service added), which must not break a page.
func (l *Loc) Optional(key, fallback string) string {
	if s, ok := l.msgs[key]; ok {
		return s
	}
	return fallback
}

// CancelReason is a cancellation's reason as people read it: the platform's own reasons are codes
// (APPLICATION_WITHDRAWN when the student withdrew, CONTRACT_CANCELLED), said in the page's
// language; a coordinator's words are shown as she wrote them.
func (l *Loc) CancelReason(s string) string {
	return l.Optional("reason."+s, s)
}

// Int formats an integer with the language's digit grouping.
func (l *Loc) Int(n int) string {
	return l.Num(float64(n), 0)
}

// Num formats f with dec decimals (trailing zeros dropped) in the language's way:
// "1 234,5" in French, "1,234.5" in English.
func (l *Loc) Num(f float64, dec int) string {
	s := l.fixed(f, dec)
	if dec > 0 && strings.Contains(s, l.msgs["format.decimal"]) {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, l.msgs["format.decimal"])
	}
	return s
}

// fixed formats f with exactly dec decimals.
func (l *Loc) fixed(f float64, dec int) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "—"
	}
	neg := f < 0
	s := strconv.FormatFloat(math.Abs(f), 'f', dec, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteString("-")
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(l.msgs["format.group"])
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(l.msgs["format.decimal"])
		b.WriteString(frac)
	}
	return b.String()
}

// Money formats integer euro cents: "150,00 €" in French, "€150.00" in English.
func (l *Loc) Money(cents int32) string {
	return l.T("format.money", "amount", l.fixed(float64(cents)/100, 2))
}

// Pct formats a share from 0 to 1 as a whole percentage: "75 %", "75%".
func (l *Loc) Pct(v float64) string {
	return l.T("format.percent", "n", l.Num(math.Round(v*100), 0))
}

// Score formats a score out of 100 with at most one decimal.
func (l *Loc) Score(v float64) string { return l.Num(math.Round(v*10)/10, 1) }

// Km formats a distance in kilometres.
func (l *Loc) Km(v float64) string { return l.T("format.km", "n", l.Num(v, 1)) }

// Date formats a YYYY-MM-DD date: "12 mars 2027", "12 March 2027"; "—" when empty.
func (l *Loc) Date(iso string) string {
	if iso == "" {
		return "—"
	}
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return l.dateOf(t)
}

func (l *Loc) dateOf(t time.Time) string {
	return l.T("format.date", "d", t.Day(), "month", l.T("month."+strconv.Itoa(int(t.Month()))), "y", t.Year())
}

// Time formats an instant in the programme's time zone: "12 mars 2027 à 14:30".
func (l *Loc) Time(ts *timestamppb.Timestamp) string {
	if ts == nil || !ts.IsValid() || (ts.GetSeconds() == 0 && ts.GetNanos() == 0) {
		return "—"
	}
	t := ts.AsTime().In(l.tz)
	return l.T("format.datetime", "date", l.dateOf(t), "time", t.Format("15:04"))
}

// Enum names a proto enum value: the key is "enum." and the value's name
// ("enum.HOST_STATUS_VERIFIED").
func (l *Loc) Enum(e protoreflect.Enum) string {
	d := e.Descriptor().Values().ByNumber(e.Number())
	if d == nil {
		return strconv.Itoa(int(e.Number()))
	}
	return l.T("enum." + string(d.Name()))
}

// Criterion names a criterion of a score ("commute").
func (l *Loc) Criterion(c string) string { return l.Optional("criterion."+c, c) }

// ScoreNote says why a criterion of a score is neutral (half its points), from the matching
// service's code: NO_WISH (the host asked for nothing), NOT_GIVEN, UNKNOWN (no distance).
func (l *Loc) ScoreNote(code string) string { return l.Optional("score.note."+code, code) }

// Reason picks the reason in the page's language (the matching service gives both).
func (l *Loc) Reason(fr, en string) string {
	if l.lang == "fr" || en == "" {
		if fr != "" {
			return fr
		}
	}
	if en != "" {
		return en
	}
	return fr
}

// Languages names ISO 639-1 codes in the page's language: "français, anglais".
func (l *Loc) Languages(codes []string) string {
	if len(codes) == 0 {
		return "—"
	}
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = l.Optional("language."+c, strings.ToUpper(c))
	}
	return strings.Join(out, ", ")
}

// Services names services of the catalogue: "compagnie, courses".
func (l *Loc) Services(s []typev1.Service) string {
	if len(s) == 0 {
		return "—"
	}
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = l.Enum(v)
	}
	return strings.Join(out, ", ")
}

// Unmatched explains why a run left a student without a room. The matching service says
// "CODE: details": NO_FEASIBLE_ROOM lists the constraints that ruled the rooms out
// ("SMOKING, PETS"); ROOMS_TAKEN means the rooms she could take went to others.
func (l *Loc) Unmatched(reason string) string {
	code, detail, _ := strings.Cut(reason, ":")
	code, detail = strings.TrimSpace(code), strings.TrimSpace(detail)
	switch code {
	case "NO_FEASIBLE_ROOM":
		if detail == "" || detail == "no room in the pool" {
			return l.T("alloc.reason.noRoom")
		}
		var names []string
		for _, c := range strings.Split(detail, ",") {
			c = strings.TrimSpace(c)
			names = append(names, l.Optional("constraint."+c, c))
		}
		return l.T("alloc.reason.noFeasible", "constraints", strings.Join(names, l.T("list.sep")))
	case "ROOMS_TAKEN":
		return l.T("alloc.reason.roomsTaken")
	}
	return reason
}

// MoneyInput is an amount of cents as a person types it in euros ("150", "150,50").
func (l *Loc) MoneyInput(cents int32) string {
	e, c := cents/100, cents%100
	if c == 0 {
		return strconv.Itoa(int(e))
	}
	sep := ","
	if l.lang == "en" {
		sep = "."
	}
	return strconv.Itoa(int(e)) + sep + pad2(int(c))
}
