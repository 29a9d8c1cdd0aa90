// Package mailsink is a small SMTP server that keeps every message it accepts as an .eml file
// in a folder: the local mail server of `make run` (when COHABIT_SMTP_URL is unset, its
// messages are in <data dir>/mail/) and of the notifications tests, which send to it over
// real SMTP. It accepts any sender and recipient, without authentication or TLS: it listens
// on loopback and delivers nowhere.
package mailsink

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Sink is a running SMTP server.
type Sink struct {
	dir  string
	srv  *smtp.Server
	lis  net.Listener
	done chan struct{}

	mu       sync.Mutex
	received int
	accepted func(Message)
}

// Message is one message the sink accepted.
type Message struct {
	From string
	To   []string
	Data []byte
	// File is where it was written.
	File string
	// Time is when the server accepted it (before answering 250 to DATA).
	Time time.Time
}

// Start listens on addr (host:port; port 0 picks one) and keeps what it receives in dir,
// created if missing. log may be nil.
func Start(addr, dir string, log *slog.Logger) (*Sink, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("mail folder: %w", err)
	}
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mail sink: listen %s: %w", addr, err)
	}
	s := &Sink{dir: dir, lis: lis, done: make(chan struct{})}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{sink: s}, nil }))
	srv.Domain = "localhost"
	srv.MaxMessageBytes = 25 << 20
	srv.MaxRecipients = 100
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	srv.AllowInsecureAuth = true
	s.srv = srv
	go func() {
		defer close(s.done)
		if err := srv.Serve(lis); err != nil && !errors.Is(err, smtp.ErrServerClosed) && !errors.Is(err, net.ErrClosed) && log != nil {
			log.Warn("mail sink stopped", "err", err)
		}
	}()
	return s, nil
}

// Addr is the address the sink listens on.
func (s *Sink) Addr() string { return s.lis.Addr().String() }

// URL is the COHABIT_SMTP_URL that sends to the sink.
func (s *Sink) URL() string { return "smtp://" + s.Addr() }

// Dir is the folder holding the messages.
func (s *Sink) Dir() string { return s.dir }

// OnAccept sets a function called with each message once it is written (benchmarks time the
// acceptance with it).
func (s *Sink) OnAccept(fn func(Message)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.accepted = fn
}

// Received is how many messages the sink accepted since it started.
func (s *Sink) Received() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.received
}

// Close stops the server and closes its connections.
func (s *Sink) Close() error {
	err := s.srv.Close()
	// Serve may not have taken the listener yet (a Close right after Start): close it here
	// too, so that Serve returns either way.
	_ = s.lis.Close()
	<-s.done
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Messages reads every message kept in dir, oldest first.
func Messages(dir string) ([]Message, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Message
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".eml") {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		m := Message{Data: data, File: p, Time: info.ModTime()}
		if msg, err := mail.ReadMessage(bytes.NewReader(data)); err == nil {
			m.From = msg.Header.Get("From")
			m.To = []string{msg.Header.Get("To")}
		}
		out = append(out, m)
	}
	// File names start with the acceptance time in nanoseconds, so name order is time order.
	slices.SortFunc(out, func(a, b Message) int { return strings.Compare(a.File, b.File) })
	return out, nil
}

func (s *Sink) keep(from string, to []string, data []byte) error {
	now := time.Now()
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	name := fmt.Sprintf("%020d-%s.eml", now.UnixNano(), hex.EncodeToString(rnd[:]))
	path := filepath.Join(s.dir, name)
	// Written under a temporary name then renamed, so a reader never sees half a message.
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	s.mu.Lock()
	s.received++
	fn := s.accepted
	s.mu.Unlock()
	if fn != nil {
		fn(Message{From: from, To: to, Data: data, File: path, Time: now})
	}
	return nil
}

type session struct {
	sink *Sink
	from string
	to   []string
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := s.sink.keep(s.from, s.to, data); err != nil {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "cannot keep the message: " + err.Error()}
	}
	return nil
}
