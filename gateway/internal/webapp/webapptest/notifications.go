package webapptest

import (
	"context"

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
		Subject: "Une proposition de cohabitation pour vous", Message: "Une cohabitation lui est proposée.", CreateTime: timestamppb.New(FixedNow)}
	email := &notificationsv1.Notification{Id: "n-2", ProgrammeId: "p1", RecipientId: "s-1", Topic: "MATCH_PROPOSED",
		Channel: notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_EMAIL, Status: notificationsv1.NotificationStatus_NOTIFICATION_STATUS_SENT,
		Subject: "Une proposition de cohabitation pour vous", CreateTime: timestamppb.New(FixedNow), SentTime: timestamppb.New(FixedNow)}
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
