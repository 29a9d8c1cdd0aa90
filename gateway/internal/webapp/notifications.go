package webapp

import (
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// errNoNotifications is the answer of the notification pages when the gateway runs without
// the notifications service (an embedding that does not run it).
var errNoNotifications = status.Error(codes.Unavailable, "notifications are not served here")

// WithNotifications guards a page of the notifications service's: without it, it answers
// errNoNotifications.
func (a *App) WithNotifications(h http.HandlerFunc) http.HandlerFunc {
	return a.unless(func() bool { return a.Svc.Notifications == nil }, errNoNotifications, h)
}
