package site_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
)

// The person's settings page saves what she ticks (an unticked box is off), and the
// coordinator's call list says what to tell whom.
func TestNotificationPages(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "lea@example.org")
	r := b.Get(t, "/notifications/settings")
	if r.Code != 200 || !strings.Contains(r.Body, `name="email" checked`) {
		t.Fatalf("settings page: %d\n%s", r.Code, r.Body)
	}
	r = b.Post(t, "/notifications/settings", url.Values{"language": {"en"}, "sms": {"on"}})
	if r.Code != 303 {
		t.Fatalf("save: %d", r.Code)
	}
	calls := h.Be.Rec.Called("UpdateNotificationSettings")
	if len(calls) != 1 {
		t.Fatalf("%d updates", len(calls))
	}
	got := calls[0].Req.(*notificationsv1.UpdateNotificationSettingsRequest)
	if got.GetSettings().GetEmail() || !got.GetSettings().GetSms() || got.GetSettings().GetLanguage() != "en" {
		t.Errorf("saved %v", got)
	}
	c := h.Browser(t)
	c.Login(t, "coordinator@example.org")
	r = c.Get(t, "/coordinator/calls")
	if r.Code != 200 || !strings.Contains(r.Body, "Une cohabitation lui est proposée.") || strings.Contains(r.Body, "s-1") {
		t.Errorf("call list: %d\n%s", r.Code, r.Body)
	}
}
