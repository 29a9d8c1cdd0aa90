package email_test

import (
	"context"
	"mime"
	"net/mail"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/services/notifications/internal/email"
	"github.com/cohabit/cohabit/services/notifications/mailsink"
)

// A message goes over real SMTP to the sink, with both parts and the Message-ID given.
func TestSendToSink(t *testing.T) {
	t.Parallel()
	sink, err := mailsink.Start("127.0.0.1:0", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	s, err := email.Parse(sink.URL(), "no-reply@cohabit.test", "Cohabit")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), email.Mail{To: "lea@example.test", ToName: "Léa", Subject: "Une proposition pour vous",
		Text: "Bonjour Léa,\n\nUne chambre.", HTML: "<p>Bonjour Léa,</p>", MessageID: "abc@notifications.cohabit", Language: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := mailsink.Messages(sink.Dir())
	if err != nil || len(msgs) != 1 {
		t.Fatalf("messages: %v %d", err, len(msgs))
	}
	m, err := mail.ReadMessage(strings.NewReader(string(msgs[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Header.Get("Message-Id"); got != "<abc@notifications.cohabit>" {
		t.Errorf("Message-ID %q", got)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subj != "Une proposition pour vous" {
		t.Errorf("subject %q", subj)
	}
	if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Errorf("content type %q", ct)
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"http://x", "smtp://", "smtp://h:0", "smtp://h:x"} {
		if _, err := email.Parse(bad, "a@b", "n"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := email.Parse("smtp://user:pw@mail.example:2525", "a@b", "n"); err != nil {
		t.Error(err)
	}
}
