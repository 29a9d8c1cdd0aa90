package webapp

import (
	"net/http"
	"net/url"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
)

// errNoNotifications is the answer of the notification pages when the gateway runs without
// the notifications service (an embedding that does not run it).
var errNoNotifications = status.Error(codes.Unavailable, "notifications are not served here")

type notificationSettingsData struct {
	Settings *notificationsv1.NotificationSettings
	Home     string
}

// notificationSettingsPage is a person's choice of channels and language for what Cohabit
// tells them (any account: hosts, students, coordinators).
func (a *App) notificationSettingsPage(w http.ResponseWriter, r *http.Request) {
	if a.svc.notifications == nil {
		a.fail(w, r, errNoNotifications)
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	s, err := a.svc.notifications.GetNotificationSettings(ctx, &notificationsv1.GetNotificationSettingsRequest{})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	home := "/"
	if role := roleName(stateOf(r.Context()).me.GetRole()); role != roleAny {
		home = "/" + role
	}
	p := a.newPage(w, r, "notif.settings.title", notificationSettingsData{Settings: s, Home: home})
	p.Nav = "notifications"
	a.render(w, r, http.StatusOK, "notification_settings", p)
}

// notificationSettingsSave saves the three choices (an unticked box is "off").
func (a *App) notificationSettingsSave(w http.ResponseWriter, r *http.Request) {
	if a.svc.notifications == nil {
		a.fail(w, r, errNoNotifications)
		return
	}
	lang := r.PostFormValue("language")
	if lang != "en" {
		lang = "fr"
	}
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.notifications.UpdateNotificationSettings(ctx, &notificationsv1.UpdateNotificationSettingsRequest{
		Settings: &notificationsv1.NotificationSettings{
			Email: r.PostFormValue("email") == "on", Sms: r.PostFormValue("sms") == "on", Language: lang},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"email", "sms", "language"}},
	})
	a.afterAction(w, r, err, "notif.settings.saved", "/notifications/settings")
}

type notificationsData struct {
	Items       []*notificationsv1.Notification
	RecipientID string
	Calls       bool
	Next        string
}

// notificationsList is the coordinator's record of what was told to whom: every notification
// of the programme, or one person's (?recipientId=, linked from nowhere yet but addressable
// from any record), newest first.
func (a *App) notificationsList(w http.ResponseWriter, r *http.Request) {
	a.listNotifications(w, r, false)
}

// callList is the coordinator's call list: the people to phone (assisted hosts, people with
// neither email nor phone) and what to tell them — SPEC §6's agenda does not exist yet.
func (a *App) callList(w http.ResponseWriter, r *http.Request) {
	a.listNotifications(w, r, true)
}

func (a *App) listNotifications(w http.ResponseWriter, r *http.Request, calls bool) {
	if a.svc.notifications == nil {
		a.fail(w, r, errNoNotifications)
		return
	}
	q := r.URL.Query()
	req := &notificationsv1.ListNotificationsRequest{RecipientId: q.Get("recipientId"), PageToken: q.Get("pageToken"), PageSize: 50}
	if calls {
		req.Channel = notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_CALL
		req.Status = notificationsv1.NotificationStatus_NOTIFICATION_STATUS_PENDING
	}
	ctx, cancel := a.call(r)
	defer cancel()
	res, err := a.svc.notifications.ListNotifications(ctx, req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d := notificationsData{Items: res.GetNotifications(), RecipientID: req.GetRecipientId(), Calls: calls}
	if t := res.GetNextPageToken(); t != "" {
		v := url.Values{"pageToken": {t}}
		if d.RecipientID != "" {
			v.Set("recipientId", d.RecipientID)
		}
		d.Next = r.URL.Path + "?" + v.Encode()
	}
	title := "notif.list.title"
	if calls {
		title = "notif.calls.title"
	}
	p := a.newPage(w, r, title, d)
	p.Nav = "notifications"
	a.render(w, r, http.StatusOK, "coord_notifications", p)
}
