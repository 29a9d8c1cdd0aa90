// Package email sends a notification's message over SMTP (COHABIT_SMTP_URL), with
// github.com/wneessen/go-mail building the MIME message (text and HTML alternatives) and
// speaking SMTP.
package email

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Mail is one message to send.
type Mail struct {
	To        string
	ToName    string
	Subject   string
	Text      string
	HTML      string
	MessageID string
	Language  string
}

// Sender sends one message; an error means the server did not accept it.
type Sender interface {
	Send(ctx context.Context, m Mail) error
}

// SMTP sends through one SMTP server.
type SMTP struct {
	host     string
	port     int
	user     string
	password string
	ssl      bool
	from     string
	fromName string
	timeout  time.Duration
}

// Parse reads a server URL: smtp://[user:password@]host[:port] (STARTTLS when the server
// offers it; port 587 by default) or smtps://… (TLS from the start; port 465). from is the
// sender's address, fromName its display name. Errors: a URL of another scheme, or no host.
func Parse(raw, from, fromName string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("COHABIT_SMTP_URL: %w", err)
	}
	s := &SMTP{host: u.Hostname(), from: from, fromName: fromName, timeout: 30 * time.Second}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.ssl = 465, true
	default:
		return nil, fmt.Errorf("COHABIT_SMTP_URL: scheme %q: want smtp or smtps", u.Scheme)
	}
	if s.host == "" {
		return nil, fmt.Errorf("COHABIT_SMTP_URL: no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("COHABIT_SMTP_URL: port %q", p)
		}
		s.port = n
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.password, _ = u.User.Password()
	}
	return s, nil
}

// Send implements Sender: one connection per message, so that a server that restarts between
// two messages costs nothing but that connection.
func (s *SMTP) Send(ctx context.Context, m Mail) error {
	msg := gomail.NewMsg()
	if err := msg.FromFormat(s.fromName, s.from); err != nil {
		return fmt.Errorf("from: %w", err)
	}
	if err := msg.AddToFormat(m.ToName, m.To); err != nil {
		return fmt.Errorf("to: %w", err)
	}
	msg.Subject(m.Subject)
	// The Message-ID is the notification's own, so that a message sent again after a crash
	// (see app.Dispatcher) is the same message to the recipient's mail server and client.
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDate()
	if m.Language != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Language)
	}
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)

	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.timeout)}
	if s.ssl {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.user), gomail.WithPassword(s.password))
	}
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s:%d: %w", s.host, s.port, err)
	}
	return nil
}
