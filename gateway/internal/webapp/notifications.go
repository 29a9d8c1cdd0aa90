package webapp

import (
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ErrNoNotifications is the answer of the notification pages when the gateway runs without
// the notifications service (an embedding that does not run it).
var ErrNoNotifications = status.Error(codes.Unavailable, "notifications are not served here")
