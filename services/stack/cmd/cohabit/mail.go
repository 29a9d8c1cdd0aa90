package main

import (
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"

	"github.com/cohabit/cohabit/services/notifications/mailsink"
	"github.com/cohabit/cohabit/services/platform/config"
)

// startMail starts the local SMTP server when COHABIT_SMTP_URL is unset: the notifications
// service sends to it, and it keeps every message as an .eml file in <data>/mail/ for the
// developer to read. It returns the environment the services read (with COHABIT_SMTP_URL
// pointing at it), the folder ("" when a server is configured) and how to stop it. It
// listens on loopback, on COHABIT_LOCAL_SMTP_PORT or else a free port (nobody but the
// notifications service needs it, and a second stack beside the first must not clash).
func startMail(getenv func(string) string, s settings, log *slog.Logger) (func(string) string, string, func(), error) {
	// The dev SMS provider, when a programme is given it, writes under the data folder too.
	smsDir := filepath.Join(s.dataDir, "sms")
	withSMS := func(k string) string {
		if v := getenv(k); v != "" || k != "COHABIT_NOTIFICATIONS_SMS_DIR" {
			return v
		}
		return smsDir
	}
	if getenv("COHABIT_SMTP_URL") != "" {
		return withSMS, "", func() {}, nil
	}
	e := config.New(getenv)
	port := e.Int("COHABIT_LOCAL_SMTP_PORT", 0)
	if err := e.Err(); err != nil {
		return nil, "", nil, err
	}
	if port < 0 || port > 65535 {
		return nil, "", nil, fmt.Errorf("COHABIT_LOCAL_SMTP_PORT=%d: not a TCP port", port)
	}
	dir := filepath.Join(s.dataDir, "mail")
	sink, err := mailsink.Start(net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), dir, log)
	if err != nil {
		return nil, "", nil, err
	}
	log.Info("local SMTP server started (COHABIT_SMTP_URL unset)", "addr", sink.Addr(), "mail", dir)
	url := sink.URL()
	env := func(k string) string {
		if k == "COHABIT_SMTP_URL" {
			return url
		}
		return withSMS(k)
	}
	return env, dir, func() { _ = sink.Close() }, nil
}

// mailNote is the banner's line about where email goes.
func mailNote(s settings) string {
	if s.mailDir == "" {
		return "  Email goes to the server COHABIT_SMTP_URL names.\n"
	}
	return fmt.Sprintf("  Email is not sent anywhere: a local SMTP server keeps each message as an .eml file in\n    %s (COHABIT_SMTP_URL unset).\n", s.mailDir)
}
