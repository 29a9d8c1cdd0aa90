package service_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

// Issue 18: the notifications service reads the address of the account someone signed up
// with again (SignupDuplicated names the account, never its address) — a service, and only a
// service: not the person, not a coordinator, not an admin, nor the anonymous.
func TestGetAccountIsForServicesOnly(t *testing.T) {
	t.Parallel()
	in := startInviting(t)
	owner := in.signup(t, "marcel@example.org", typev1.Role_ROLE_HOST)
	host := bearer(in.login(t, "marcel@example.org", "a good long password").GetAccessToken())
	admin := bearer(in.login(t, rootEmail, rootPassword).GetAccessToken())

	got, err := in.client.GetAccount(in.service, &identityv1.GetAccountRequest{Id: owner.GetId()})
	if err != nil || got.GetEmail() != "marcel@example.org" || got.GetId() != owner.GetId() || got.GetRole() != typev1.Role_ROLE_HOST {
		t.Fatalf("the service reads %v, %v", got, err)
	}
	for name, caller := range map[string]context.Context{"the owner": host, "a coordinator": in.coord, "an admin": admin} {
		_, err := in.client.GetAccount(caller, &identityv1.GetAccountRequest{Id: owner.GetId()})
		if s := wantCode(t, err, codes.PermissionDenied); s == nil {
			t.Fatal(name)
		}
	}
	_, err = in.client.GetAccount(context.Background(), &identityv1.GetAccountRequest{Id: owner.GetId()})
	wantCode(t, err, codes.Unauthenticated)
	_, err = in.client.GetAccount(in.service, &identityv1.GetAccountRequest{Id: uuid.NewString()})
	wantCode(t, err, codes.NotFound)
}
