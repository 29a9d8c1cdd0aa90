package message

import (
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/notifications/internal/notice"
)

func TestEveryTopicRendersInBothLanguages(t *testing.T) {
	t.Parallel()
	tpl, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	meeting := time.Date(2027, 1, 12, 13, 30, 0, 0, time.UTC)
	for _, lang := range []string{notice.French, notice.English} {
		for _, topic := range notice.Topics {
			d := Data{Kind: "student", Subject: "host", Name: "Léa", Other: "Jeanne <b>", OtherCity: "Lyon",
				Meeting: Moment(lang, meeting), Date: DayString(lang, "2027-02-01"), Severity: Severity(lang, "SEVERITY_HIGH"),
				Link: "http://localhost:8080/"}
			m, err := tpl.Render(lang, topic, d)
			if err != nil {
				t.Fatalf("%s %s: %v", lang, topic, err)
			}
			if m.Subject == "" || m.Text == "" || !strings.Contains(m.HTML, "<html lang=\""+lang+"\">") {
				t.Errorf("%s %s: empty part: %+v", lang, topic, m)
			}
			if strings.Contains(m.HTML, "Jeanne <b>") {
				t.Errorf("%s %s: HTML not escaped", lang, topic)
			}
			if _, err := tpl.Call(lang, topic, d); err != nil {
				t.Errorf("%s %s call: %v", lang, topic, err)
			}
		}
	}
}

func TestMomentInParisTime(t *testing.T) {
	t.Parallel()
	at := time.Date(2027, 1, 12, 13, 30, 0, 0, time.UTC)
	if got := Moment(notice.French, at); got != "mardi 12 janvier 2027 à 14 h 30" {
		t.Errorf("fr: %q", got)
	}
	if got := Moment(notice.English, at); got != "Tuesday 12 January 2027 at 14:30" {
		t.Errorf("en: %q", got)
	}
}
