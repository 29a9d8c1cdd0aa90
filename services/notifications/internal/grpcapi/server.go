// Package grpcapi serves the notifications service's gRPC API: proto to use case and back,
// and the authorization rule of every method.
package grpcapi

import (
	"context"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/app"
	"github.com/cohabit/cohabit/services/notifications/internal/notice"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/page"
)

const svc = "/cohabit.notifications.v1.NotificationService/"

// Policy: the list is a coordinator's (their programme's) or a host's or student's (their
// own, app.List); settings belong to any account, admins included. No service reads here.
var Policy = grpcx.Policy{
	svc + "ListNotifications":          grpcx.Roles(auth.RoleCoordinator, auth.RoleHost, auth.RoleStudent),
	svc + "GetNotificationSettings":    grpcx.Roles(auth.RoleAdmin, auth.RoleCoordinator, auth.RoleHost, auth.RoleStudent),
	svc + "UpdateNotificationSettings": grpcx.Roles(auth.RoleAdmin, auth.RoleCoordinator, auth.RoleHost, auth.RoleStudent),
}

// Server implements notificationsv1.NotificationServiceServer.
type Server struct {
	notificationsv1.UnimplementedNotificationServiceServer
	app *app.App
}

// New returns the handlers over the use cases.
func New(a *app.App) *Server { return &Server{app: a} }

var (
	channels = map[notificationsv1.NotificationChannel]notice.Channel{
		notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_EMAIL: notice.Email,
		notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_SMS:   notice.SMS,
		notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_CALL:  notice.Call,
	}
	statuses = map[notificationsv1.NotificationStatus]notice.Status{
		notificationsv1.NotificationStatus_NOTIFICATION_STATUS_PENDING: notice.Pending,
		notificationsv1.NotificationStatus_NOTIFICATION_STATUS_SENT:    notice.Sent,
		notificationsv1.NotificationStatus_NOTIFICATION_STATUS_FAILED:  notice.Failed,
		notificationsv1.NotificationStatus_NOTIFICATION_STATUS_SKIPPED: notice.Skipped,
	}
)

// ListNotifications returns one page of notifications, newest first.
func (s *Server) ListNotifications(ctx context.Context, in *notificationsv1.ListNotificationsRequest) (*notificationsv1.ListNotificationsResponse, error) {
	var v errs.Violations
	q := app.ListQuery{RecipientID: in.GetRecipientId(), Page: page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()}}
	v.Check(len(q.RecipientID) <= 64, "recipientId", "is at most 64 characters")
	if in.GetStatus() != notificationsv1.NotificationStatus_NOTIFICATION_STATUS_UNSPECIFIED {
		st, ok := statuses[in.GetStatus()]
		v.Check(ok, "status", "is not a notification status")
		q.Status = st
	}
	if in.GetChannel() != notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_UNSPECIFIED {
		ch, ok := channels[in.GetChannel()]
		v.Check(ok, "channel", "is not a notification channel")
		q.Channel = ch
	}
	v.Check(in.GetPageSize() >= 0, "pageSize", "must not be negative")
	if err := v.Err(); err != nil {
		return nil, err
	}
	ns, next, err := s.app.List(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &notificationsv1.ListNotificationsResponse{NextPageToken: next, Notifications: make([]*notificationsv1.Notification, 0, len(ns))}
	for _, n := range ns {
		out.Notifications = append(out.Notifications, toProto(n))
	}
	return out, nil
}

func ts(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(*t)
}

func toProto(n postgres.Notification) *notificationsv1.Notification {
	p := &notificationsv1.Notification{
		Id: n.ID, ProgrammeId: n.ProgrammeID, RecipientId: n.RecipientID, Topic: string(n.Topic), Subject: n.Subject,
		CreateTime: timestamppb.New(n.CreatedAt), SentTime: ts(n.SentAt), Failure: n.Failure, Message: n.Message,
		Attempts: int32(n.Attempts), Language: n.Language,
	}
	for k, v := range channels {
		if v == n.Channel {
			p.Channel = k
		}
	}
	for k, v := range statuses {
		if v == n.Status {
			p.Status = k
		}
	}
	if n.Status == notice.Failed {
		p.RetryTime = ts(n.NextAttemptAt)
	}
	return p
}

func settingsProto(s notice.Settings, at *time.Time) *notificationsv1.NotificationSettings {
	return &notificationsv1.NotificationSettings{Email: s.Email, Sms: s.SMS, Language: s.Language, UpdateTime: ts(at)}
}

// GetNotificationSettings returns the caller's settings.
func (s *Server) GetNotificationSettings(ctx context.Context, _ *notificationsv1.GetNotificationSettingsRequest) (*notificationsv1.NotificationSettings, error) {
	st, at, err := s.app.Settings(ctx)
	if err != nil {
		return nil, err
	}
	return settingsProto(st, at), nil
}

// UpdateNotificationSettings changes the fields of update_mask (every field when it is empty).
func (s *Server) UpdateNotificationSettings(ctx context.Context, in *notificationsv1.UpdateNotificationSettingsRequest) (*notificationsv1.NotificationSettings, error) {
	var v errs.Violations
	if in.GetSettings() == nil {
		v.Add("settings", "is required")
		return nil, v.Err()
	}
	paths := in.GetUpdateMask().GetPaths()
	if len(paths) == 0 {
		paths = []string{"email", "sms", "language"}
	}
	var c app.SettingsChange
	for _, p := range paths {
		switch p {
		case "email":
			c.Email = new(in.GetSettings().GetEmail())
		case "sms":
			c.SMS = new(in.GetSettings().GetSms())
		case "language":
			c.Language = new(in.GetSettings().GetLanguage())
			v.Check(*c.Language == notice.French || *c.Language == notice.English, "language", `must be "fr" or "en"`)
		default:
			v.Add("updateMask", "%q is not a field of the settings (email, sms, language)", p)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	st, at, err := s.app.UpdateSettings(ctx, c)
	if err != nil {
		return nil, err
	}
	return settingsProto(st, &at), nil
}
