package account

import (
	"net/http"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
)

type notificationSettingsData struct {
	Settings *notificationsv1.NotificationSettings
	Home     string
}

// notificationSettingsPage is a person's choice of channels and language for what Cohabit
// tells them (any account: hosts, students, coordinators).
func (a *app) notificationSettingsPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	s, err := a.Svc.Notifications.GetNotificationSettings(ctx, &notificationsv1.GetNotificationSettingsRequest{})
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	home := "/"
	if role := webapp.RoleName(webapp.StateOf(r.Context()).Me.GetRole()); role != webapp.RoleAny {
		home = "/" + role
	}
	p := a.NewPage(w, r, "notif.settings.title", notificationSettingsData{Settings: s, Home: home})
	p.Nav = "notifications"
	a.Render(w, r, http.StatusOK, "notification_settings", p)
}

// notificationSettingsSave saves the three choices (an unticked box is "off").
func (a *app) notificationSettingsSave(w http.ResponseWriter, r *http.Request) {
	lang := r.PostFormValue("language")
	if lang != "en" {
		lang = "fr"
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Notifications.UpdateNotificationSettings(ctx, &notificationsv1.UpdateNotificationSettingsRequest{
		Settings: &notificationsv1.NotificationSettings{
			Email: r.PostFormValue("email") == "on", Sms: r.PostFormValue("sms") == "on", Language: lang},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"email", "sms", "language"}},
	})
	a.AfterAction(w, r, err, "notif.settings.saved", "/notifications/settings")
}
