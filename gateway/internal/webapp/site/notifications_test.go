package site

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/timestamppb"

	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
)

// fakeNotifications answers like the notifications service: a call-list line and an email.
type fakeNotifications struct {
	notificationsv1.UnimplementedNotificationServiceServer
	recorder *recorder
}

func (f *fakeNotifications) ListNotifications(_ context.Context, in *notificationsv1.ListNotificationsRequest) (*notificationsv1.ListNotificationsResponse, error) {
	call := &notificationsv1.Notification{Id: "n-1", ProgrammeId: "p1", RecipientId: "h-1", Topic: "MATCH_PROPOSED",
		Channel: notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_CALL, Status: notificationsv1.NotificationStatus_NOTIFICATION_STATUS_PENDING,
		Subject: "Une proposition de cohabitation pour vous", Message: "Une cohabitation lui est proposée.", CreateTime: timestamppb.New(fixedNow)}
	email := &notificationsv1.Notification{Id: "n-2", ProgrammeId: "p1", RecipientId: "s-1", Topic: "MATCH_PROPOSED",
		Channel: notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_EMAIL, Status: notificationsv1.NotificationStatus_NOTIFICATION_STATUS_SENT,
		Subject: "Une proposition de cohabitation pour vous", CreateTime: timestamppb.New(fixedNow), SentTime: timestamppb.New(fixedNow)}
	if in.GetChannel() == notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_CALL {
		return &notificationsv1.ListNotificationsResponse{Notifications: []*notificationsv1.Notification{call}}, nil
	}
	return &notificationsv1.ListNotificationsResponse{Notifications: []*notificationsv1.Notification{call, email}}, nil
}

func (f *fakeNotifications) GetNotificationSettings(context.Context, *notificationsv1.GetNotificationSettingsRequest) (*notificationsv1.NotificationSettings, error) {
	return &notificationsv1.NotificationSettings{Email: true, Sms: true, Language: "fr"}, nil
}

func (f *fakeNotifications) UpdateNotificationSettings(ctx context.Context, in *notificationsv1.UpdateNotificationSettingsRequest) (*notificationsv1.NotificationSettings, error) {
	f.recorder.record(ctx, "UpdateNotificationSettings", in)
	return in.GetSettings(), nil
}

// The person's settings page saves what she ticks (an unticked box is off), and the
// coordinator's call list says what to tell whom.
func TestNotificationPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "lea@example.org")
	r := b.get(t, "/notifications/settings")
	if r.code != 200 || !strings.Contains(r.body, `name="email" checked`) {
		t.Fatalf("settings page: %d\n%s", r.code, r.body)
	}
	r = b.post(t, "/notifications/settings", url.Values{"language": {"en"}, "sms": {"on"}})
	if r.code != 303 {
		t.Fatalf("save: %d", r.code)
	}
	calls := h.be.rec.called("UpdateNotificationSettings")
	if len(calls) != 1 {
		t.Fatalf("%d updates", len(calls))
	}
	got := calls[0].req.(*notificationsv1.UpdateNotificationSettingsRequest)
	if got.GetSettings().GetEmail() || !got.GetSettings().GetSms() || got.GetSettings().GetLanguage() != "en" {
		t.Errorf("saved %v", got)
	}
	c := h.browser(t)
	c.login(t, "coordinator@example.org")
	r = c.get(t, "/coordinator/calls")
	if r.code != 200 || !strings.Contains(r.body, "Une cohabitation lui est proposée.") || strings.Contains(r.body, "s-1") {
		t.Errorf("call list: %d\n%s", r.code, r.body)
	}
}
