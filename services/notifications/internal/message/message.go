// Package message writes what a notification says, in the recipient's language, from the
// templates kept as files in templates/ (one text/template file per language holding every
// topic's subject, text and call line, and one html/template layout that turns the text into
// the HTML part, escaped).
package message

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"text/template"
	"time"
	_ "time/tzdata" // the meeting's local time, wherever the service runs

	"github.com/cohabit/cohabit/services/notifications/internal/notice"
)

//go:embed templates/*.tmpl templates/layout.html
var files embed.FS

// Data is what a template may say. Subject and Call are written from the event's facts only
// (Kind, Subject, Meeting, Date, Severity, Link), because they are recorded; the text adds the
// names read when sending, and the other party's contact details only when the topic shares
// them (notice.Topic.SharesContacts).
type Data struct {
	// Kind is the recipient's kind (host, student, coordinator).
	Kind string
	// Subject is the kind of record a coordinator is told about (host, student).
	Subject    string
	Name       string
	Other      string
	OtherCity  string
	OtherEmail string
	OtherPhone string
	// Meeting and Date are already written in the recipient's language.
	Meeting  string
	Date     string
	Severity string
	Link     string
}

// Message is one rendered notification.
type Message struct {
	Subject string
	Text    string
	HTML    string
}

// Templates are the parsed templates of every language.
type Templates struct {
	text   map[string]*template.Template
	layout *htmltemplate.Template
}

// Load parses the embedded templates and checks that every topic has its three blocks in
// every language. Errors: a template that does not parse or a block missing (a build bug).
func Load() (*Templates, error) {
	t := &Templates{text: map[string]*template.Template{}}
	for _, lang := range []string{notice.French, notice.English} {
		tt, err := template.New(lang).Option("missingkey=error").ParseFS(files, "templates/"+lang+".tmpl")
		if err != nil {
			return nil, fmt.Errorf("templates %s: %w", lang, err)
		}
		for _, topic := range notice.Topics {
			for _, part := range []string{"subject", "text", "call"} {
				if tt.Lookup(string(topic)+"."+part) == nil {
					return nil, fmt.Errorf("templates %s: no %s.%s", lang, topic, part)
				}
			}
		}
		t.text[lang] = tt
	}
	layout, err := htmltemplate.ParseFS(files, "templates/layout.html")
	if err != nil {
		return nil, fmt.Errorf("html layout: %w", err)
	}
	t.layout = layout
	return t, nil
}

func (t *Templates) exec(lang string, topic notice.Topic, part string, d Data) (string, error) {
	tt, ok := t.text[lang]
	if !ok {
		tt = t.text[notice.French]
	}
	var b bytes.Buffer
	if err := tt.ExecuteTemplate(&b, string(topic)+"."+part, d); err != nil {
		return "", fmt.Errorf("render %s %s.%s: %w", lang, topic, part, err)
	}
	return strings.TrimSpace(b.String()), nil
}

// Subject writes the subject line of topic.
func (t *Templates) Subject(lang string, topic notice.Topic, d Data) (string, error) {
	return t.exec(lang, topic, "subject", d)
}

// Call writes what the coordinator tells a person by phone.
func (t *Templates) Call(lang string, topic notice.Topic, d Data) (string, error) {
	return t.exec(lang, topic, "call", d)
}

type line struct {
	Text string
	URL  string
}

// Render writes the whole message: subject, text part and HTML part.
func (t *Templates) Render(lang string, topic notice.Topic, d Data) (Message, error) {
	subject, err := t.Subject(lang, topic, d)
	if err != nil {
		return Message{}, err
	}
	text, err := t.exec(lang, topic, "text", d)
	if err != nil {
		return Message{}, err
	}
	// The HTML part is the text's paragraphs, escaped by html/template; a line that is the
	// link becomes an anchor.
	var paras [][]line
	for _, p := range strings.Split(text, "\n\n") {
		var ls []line
		for _, l := range strings.Split(strings.TrimSpace(p), "\n") {
			if d.Link != "" && strings.Contains(l, d.Link) {
				before, after, _ := strings.Cut(l, d.Link)
				if before = strings.TrimSpace(before); before != "" {
					ls = append(ls, line{Text: before})
				}
				ls = append(ls, line{Text: d.Link, URL: d.Link})
				if after = strings.TrimSpace(after); after != "" {
					ls = append(ls, line{Text: after})
				}
				continue
			}
			ls = append(ls, line{Text: l})
		}
		paras = append(paras, ls)
	}
	var b bytes.Buffer
	if err := t.layout.Execute(&b, map[string]any{"Lang": lang, "Subject": subject, "Paragraphs": paras}); err != nil {
		return Message{}, fmt.Errorf("render html %s %s: %w", lang, topic, err)
	}
	return Message{Subject: subject, Text: text, HTML: b.String()}, nil
}

// Paris is the programmes' time zone: meetings are said in local time.
var Paris = mustLocation("Europe/Paris")

func mustLocation(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is embedded: cannot happen
	}
	return l
}

var (
	frDays   = []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frMonths = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

// Day writes a date in lang: "mardi 12 janvier 2027", "Tuesday 12 January 2027".
func Day(lang string, d time.Time) string {
	if lang == notice.English {
		return d.Format("Monday 2 January 2006")
	}
	return fmt.Sprintf("%s %d %s %d", frDays[d.Weekday()], d.Day(), frMonths[d.Month()-1], d.Year())
}

// DayString writes a YYYY-MM-DD date in lang; a string that is not a date is returned as is.
func DayString(lang, s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return Day(lang, d)
}

// Moment writes an instant in Paris time in lang: "mardi 12 janvier 2027 à 14 h 30",
// "Tuesday 12 January 2027 at 14:30".
func Moment(lang string, t time.Time) string {
	t = t.In(Paris)
	if lang == notice.English {
		return Day(lang, t) + " at " + t.Format("15:04")
	}
	return fmt.Sprintf("%s à %d h %02d", Day(lang, t), t.Hour(), t.Minute())
}

// Severity writes an incident's severity code (SEVERITY_HIGH) in lang.
func Severity(lang, code string) string {
	s := strings.TrimPrefix(code, "SEVERITY_")
	if lang == notice.English {
		return strings.ToLower(s)
	}
	switch s {
	case "CRITICAL":
		return "critique"
	case "HIGH":
		return "élevée"
	case "MEDIUM":
		return "moyenne"
	case "LOW":
		return "faible"
	}
	return strings.ToLower(s)
}
