package coordinator

import (
	"net/http"
	"net/url"

	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
)

type notificationsData struct {
	Items       []*notificationsv1.Notification
	RecipientID string
	Calls       bool
	Next        string
}

// notificationsList is the coordinator's record of what was told to whom: every notification
// of the programme, or one person's (?recipientId=, linked from nowhere yet but addressable
// from any record), newest first.
func (a *app) notificationsList(w http.ResponseWriter, r *http.Request) {
	a.listNotifications(w, r, false)
}

// callList is the coordinator's call list: the people to phone (assisted hosts, people with
// neither email nor phone) and what to tell them — SPEC §6's agenda does not exist yet.
func (a *app) callList(w http.ResponseWriter, r *http.Request) {
	a.listNotifications(w, r, true)
}

func (a *app) listNotifications(w http.ResponseWriter, r *http.Request, calls bool) {
	q := r.URL.Query()
	req := &notificationsv1.ListNotificationsRequest{RecipientId: q.Get("recipientId"), PageToken: q.Get("pageToken"), PageSize: 50}
	if calls {
		req.Channel = notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_CALL
		req.Status = notificationsv1.NotificationStatus_NOTIFICATION_STATUS_PENDING
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	res, err := a.Svc.Notifications.ListNotifications(ctx, req)
	if err != nil {
		a.Fail(w, r, err)
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
	p := a.NewPage(w, r, title, d)
	p.Nav = "notifications"
	a.Render(w, r, http.StatusOK, "coord_notifications", p)
}
