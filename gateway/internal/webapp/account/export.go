package account

import (
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	privacyv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/privacy/v1"
)

// myExport serves a host's or a student's download of their own data.
func (a *app) myExport(w http.ResponseWriter, r *http.Request) {
	me := webapp.StateOf(r.Context()).Me
	switch {
	case me.GetHostId() != "":
		a.SendExport(w, r, me.GetHostId(), privacyv1.PersonKind_PERSON_KIND_HOST)
	case me.GetStudentId() != "":
		a.SendExport(w, r, me.GetStudentId(), privacyv1.PersonKind_PERSON_KIND_STUDENT)
	default:
		a.Fail(w, r, status.Error(codes.NotFound, "this account has no host or student record"))
	}
}
