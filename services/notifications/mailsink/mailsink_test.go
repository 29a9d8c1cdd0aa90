package mailsink_test

import (
	"net/smtp"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/services/notifications/mailsink"
)

// A message sent over SMTP is kept as an .eml file, read back whole; a sink closed right
// after it started stops (no Serve left running).
func TestKeepsWhatItReceives(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, err := mailsink.Start("127.0.0.1:0", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	msg := "From: a@x.test\r\nTo: b@x.test\r\nSubject: hello\r\n\r\nbody\r\n"
	if err := smtp.SendMail(s.Addr(), nil, "a@x.test", []string{"b@x.test"}, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	ms, err := mailsink.Messages(dir)
	if err != nil || len(ms) != 1 || s.Received() != 1 {
		t.Fatalf("messages %v %v", ms, err)
	}
	if !strings.Contains(string(ms[0].Data), "Subject: hello") || !strings.HasSuffix(ms[0].File, ".eml") {
		t.Errorf("kept %q in %s", ms[0].Data, ms[0].File)
	}
	quick, err := mailsink.Start("127.0.0.1:0", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := quick.Close(); err != nil {
		t.Fatal(err)
	}
}
