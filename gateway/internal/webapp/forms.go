package webapp

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// formField is one input of a form: its name in the page, the key of its label, and the
// request field the services name in their field violations ("address.postcode").
type formField struct {
	Name  string
	Label string
	API   string
}

// FormSpec is a form's inputs, in page order.
type FormSpec []formField

func (s FormSpec) byName(name string) (formField, bool) {
	for _, f := range s {
		if f.Name == name {
			return f, true
		}
	}
	return formField{}, false
}

func (s FormSpec) byAPI(api string) (formField, bool) {
	for _, f := range s {
		if f.API == api {
			return f, true
		}
	}
	return formField{}, false
}

// fieldErr is a message next to a field. Msg is in the page's language; Detail, when set,
// is the service's own wording (English), shown after it for what Msg cannot say.
type fieldErr struct {
	Field  string // input name; "" for a form-level error
	Label  string // label key of the field
	Msg    string
	Detail string
}

// Form is a form's values and errors, from a GET (defaults) or a POST (what was sent).
type Form struct {
	spec   FormSpec
	Values url.Values
	Errors map[string]fieldErr
	// Order lists the errors as the summary at the top shows them: fields in page order,
	// then form-level ones.
	Order []fieldErr
	// pending are message keys waiting for a Loc (see localise).
	pending []pendingErr
}

type pendingErr struct {
	field, key, detail string
	// date, when set, is a YYYY-MM-DD the message names ({date}), formatted for the language.
	date string
}

// NewForm is a form of spec with the values vals (a GET's defaults or a POST's form).
func NewForm(spec FormSpec, vals url.Values) *Form {
	if vals == nil {
		vals = url.Values{}
	}
	return &Form{spec: spec, Values: vals, Errors: make(map[string]fieldErr)}
}

// Value is the trimmed value of input name.
func (f *Form) Value(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// has reports whether a checkbox group includes value.
func (f *Form) has(name, value string) bool {
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Checked reports whether checkbox name is ticked.
func (f *Form) Checked(name string) bool {
	v := f.Values.Get(name)
	return v == "on" || v == "true" || v == "1"
}

// OK reports whether the form has no error.
func (f *Form) OK() bool { return len(f.Errors) == 0 && len(f.Order) == 0 && len(f.pending) == 0 }

// FieldError records a message (by key) next to input name; the first one a field gets wins.
func (f *Form) FieldError(name, key, detail string) {
	f.pending = append(f.pending, pendingErr{field: name, key: key, detail: detail})
}

// Global records a form-level message (by key), shown in the summary at the top.
func (f *Form) Global(key string) { f.FieldError("", key, "") }

// Require records "required" next to each of the inputs names left empty.
func (f *Form) Require(names ...string) {
	for _, n := range names {
		if f.Value(n) == "" {
			f.FieldError(n, "form.error.required", "")
		}
	}
}

// localise turns the pending message keys into texts of l, in the order of the page.
func (f *Form) localise(l *Loc) {
	for _, p := range f.pending {
		msg := l.T(p.key)
		if p.date != "" {
			msg = l.T(p.key, "date", l.Date(p.date))
		}
		e := fieldErr{Field: p.field, Msg: msg, Detail: p.detail}
		if p.field != "" {
			if _, dup := f.Errors[p.field]; dup {
				continue
			}
			if sf, ok := f.spec.byName(p.field); ok {
				e.Label = sf.Label
			}
			f.Errors[p.field] = e
		}
		f.Order = append(f.Order, e)
	}
	f.pending = nil
	// Page order for the summary: the spec's order, form-level errors last.
	ordered := make([]fieldErr, 0, len(f.Order))
	for _, sf := range f.spec {
		if e, ok := f.Errors[sf.Name]; ok {
			ordered = append(ordered, e)
		}
	}
	for _, e := range f.Order {
		if _, inSpec := f.spec.byName(e.Field); !inSpec {
			ordered = append(ordered, e)
		}
	}
	f.Order = ordered
}

// FromStatus puts the field violations of a service's InvalidArgument next to the inputs
// they name, and reports whether err was one. A violation of a field the form does not show
// goes to the summary at the top. Every message is a sentence of the page's language: the
// services' own words (English, and written for developers: `item 0: "français" is not a
// two-letter language code`) never reach the page; they are logged by the gateway instead.
func (f *Form) FromStatus(err error, l *Loc) bool {
	s, ok := status.FromError(err)
	if !ok || err == nil || s.Code() != codes.InvalidArgument {
		return false
	}
	found := false
	for _, d := range s.Details() {
		br, ok := d.(*errdetails.BadRequest)
		if !ok {
			continue
		}
		for _, v := range br.GetFieldViolations() {
			found = true
			key := violationKey(l, v.GetField(), v.GetDescription())
			if sf, ok := f.spec.byAPI(apiField(v.GetField())); ok {
				f.FieldError(sf.Name, key, "")
				if m := datedViolation(v.GetDescription()); m.key != "" {
					f.pending[len(f.pending)-1].key, f.pending[len(f.pending)-1].date = m.key, m.date
				}
			} else {
				f.FieldError("", "form.error.hidden", "")
			}
		}
	}
	if !found {
		f.FieldError("", refusalKey(l, reasonOf(err), "form.error.generic"), "")
	}
	f.localise(l)
	return true
}

// apiField is the form field a violation names, without an item's index: "languages[0]" and
// "languages" are the same input.
func apiField(field string) string {
	if i := strings.IndexByte(field, '['); i >= 0 {
		return field[:i] + field[strings.IndexByte(field, ']')+1:]
	}
	return field
}

// reasonOf is the stable reason a service's error carries (its ErrorInfo), "" when none.
func reasonOf(err error) string {
	s, _ := status.FromError(err)
	for _, d := range s.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info.GetReason()
		}
	}
	return ""
}

// refusalKey is the sentence saying why a service refused: the reason's own
// ("refusal.HOST_NOT_VERIFIED") when the catalogue has one, else fallback.
func refusalKey(l *Loc, reason, fallback string) string {
	if reason != "" && l.cat.has("refusal."+reason) {
		return "refusal." + reason
	}
	return fallback
}

// The services word their violations in English. Those a person commonly meets get a text
// of their own in each language; then a field may have its own ("violation.languages": how
// to write languages); the others get a general sentence in the page's language.
var violationKeys = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^is required`), "form.error.required"},
	{regexp.MustCompile(`^is not a postcode`), "form.error.postcode"},
	{regexp.MustCompile(`^is not a phone number`), "form.error.phone"},
	{regexp.MustCompile(`^is not an email address`), "form.error.email"},
	{regexp.MustCompile(`must have given their consent`), "form.error.consent"},
	{regexp.MustCompile(`^an assisted host needs a phone number`), "form.error.assistedPhone"},
	{regexp.MustCompile(`^give (a phone number or an email address|an email address or a phone number)`), "form.error.contact"},
	{regexp.MustCompile(`^must be a latitude`), "form.error.place"},
	{regexp.MustCompile(`^must be a longitude`), "form.error.place"},
	{regexp.MustCompile(`^must not be in the past`), "form.error.past"},
	{regexp.MustCompile(`^must be after`), "form.error.order"},
	{regexp.MustCompile(`^a room must be at least`), "form.error.roomArea"},
	{regexp.MustCompile(`cap of \d+ cents|programme's cap`), "form.error.cap"},
	{regexp.MustCompile(`^is not a date|YYYY-MM-DD`), "form.error.date"},
	{regexp.MustCompile(`^must be at least 10 characters`), "form.error.password"},
	{regexp.MustCompile(`two-letter language code`), "form.error.language"},
	{regexp.MustCompile(`^must be at most \d+ characters`), "form.error.tooLong"},
}

// Violations naming a date (the earliest notice date, the current end date) get a text of
// their own that names it, formatted for the language.
var datedViolations = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`earliest allowed date is (\d{4}-\d{2}-\d{2})`), "form.error.notice"},
	{regexp.MustCompile(`^must be after the current end date (\d{4}-\d{2}-\d{2})`), "form.error.renewAfter"},
	{regexp.MustCompile(`^must not be after the end date (\d{4}-\d{2}-\d{2})`), "form.error.afterEnd"},
	{regexp.MustCompile(`^must not be after the room's availability ends, on (\d{4}-\d{2}-\d{2})`), "form.error.afterAvailability"},
	{regexp.MustCompile(`^must not be before the room is available, from (\d{4}-\d{2}-\d{2})`), "form.error.beforeAvailability"},
}

type dated struct{ key, date string }

func datedViolation(desc string) dated {
	for _, v := range datedViolations {
		if m := v.re.FindStringSubmatch(desc); m != nil {
			return dated{v.key, m[1]}
		}
	}
	return dated{}
}

func violationKey(l *Loc, field, desc string) string {
	for _, v := range violationKeys {
		if v.re.MatchString(desc) {
			return v.key
		}
	}
	if k := "violation." + apiField(field); l.cat.has(k) {
		return k
	}
	return "form.error.generic"
}

// The parsers below read one input and record an error next to it when it does not parse;
// an empty input gives the zero value (the service says whether it is required).

// Int32 reads input name as a whole number.
func (f *Form) Int32(name string) int32 {
	v := f.Value(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		f.FieldError(name, "form.error.number", "")
	}
	return int32(n)
}

// Float reads input name as a decimal number ("45,7" or "45.7").
func (f *Form) Float(name string) float64 {
	v := strings.ReplaceAll(f.Value(name), ",", ".")
	if v == "" {
		return 0
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil {
		f.FieldError(name, "form.error.number", "")
	}
	return x
}

var moneyRe = regexp.MustCompile(`^(\d{1,7})(?:[.,](\d{1,2}))?$`)

// Cents reads an amount of euros ("150", "150,50", "1 200 €") as cents.
func (f *Form) Cents(name string) int32 {
	v := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "€", "", "EUR", "").Replace(f.Value(name))
	if v == "" {
		return 0
	}
	m := moneyRe.FindStringSubmatch(v)
	if m == nil {
		f.FieldError(name, "form.error.money", "")
		return 0
	}
	euros, _ := strconv.Atoi(m[1])
	c := 0
	if m[2] != "" {
		c, _ = strconv.Atoi(m[2])
		if len(m[2]) == 1 {
			c *= 10
		}
	}
	return int32(euros*100 + c)
}

var frDateRe = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})$`)

// Date reads a date as YYYY-MM-DD (what a date input sends), or DD/MM/YYYY (typed by hand
// where the browser has no date picker).
func (f *Form) Date(name string) string {
	v := f.Value(name)
	if v == "" {
		return ""
	}
	if m := frDateRe.FindStringSubmatch(v); m != nil {
		d, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		v = m[3] + "-" + pad2(mo) + "-" + pad2(d)
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		f.FieldError(name, "form.error.date", "")
		return ""
	}
	return v
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// splitComma splits a comma-separated list, trimming each item.
func splitComma(s string) []string {
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

// languages reads a list of language codes ("fr, en") as lowercase codes.
func (f *Form) languages(name string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(f.Value(name), func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// fieldView is what the input partials render: one input, its label, hint and error.
type fieldView struct {
	L            *Loc
	ID, Name     string
	Type         string
	Label        string
	Hint         string
	Value        string
	Err          *fieldErr
	Required     bool
	Checked      bool
	Autocomplete string
	Inputmode    string
	Min, Max     string
	Step         string
	Options      []option
	Rows         string
}

// option is one choice of a select, radio or checkbox group.
type option struct {
	Value, Label string
	Selected     bool
	ID           string
}

// field builds the view of input name of the page's form; opts are "required", "type=date",
// "hint=<key>", "autocomplete=…", "inputmode=…", "min=…", "max=…", "step=…", "rows=…",
// "label=<key>" (instead of the spec's), or "option=<value>:<label key>" (repeatable).
func field(p *page, name string, opts ...string) fieldView {
	v := fieldView{L: p.L, ID: "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(name), Name: name, Type: "text"}
	labelKey := name
	if p.Form != nil {
		if sf, ok := p.Form.spec.byName(name); ok {
			labelKey = sf.Label
		}
		v.Value = p.Form.Value(name)
		v.Checked = p.Form.Checked(name)
		if e, ok := p.Form.Errors[name]; ok {
			v.Err = &e
		}
	}
	for _, o := range opts {
		k, val, _ := strings.Cut(o, "=")
		switch k {
		case "required":
			v.Required = true
		case "type":
			v.Type = val
		case "hint":
			v.Hint = p.L.T(val)
		case "autocomplete":
			v.Autocomplete = val
		case "inputmode":
			v.Inputmode = val
		case "min":
			v.Min = val
		case "max":
			v.Max = val
		case "step":
			v.Step = val
		case "rows":
			v.Rows = val
		case "label":
			labelKey = val
		case "option":
			value, key, _ := strings.Cut(val, ":")
			v.Options = append(v.Options, option{Value: value, Label: p.L.T(key), ID: v.ID + "-" + strings.ToLower(strings.ReplaceAll(value, "_", "-"))})
		}
	}
	for i, o := range v.Options {
		if v.Type == "checkboxes" {
			v.Options[i].Selected = p.Form != nil && p.Form.has(name, o.Value)
		} else {
			v.Options[i].Selected = v.Value == o.Value
		}
	}
	v.Label = p.L.T(labelKey)
	return v
}

// SplitList reads a comma-separated list ("Part-Dieu, Croix-Rousse").
func SplitList(s string) []string {
	var out []string
	for _, v := range splitComma(s) {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
