package service_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

// A signed-in account refreshes its token: a new one, expiring later, for the same account;
// without a token, no refresh.
func TestRefreshTokenSlidesTheSession(t *testing.T) {
	t.Parallel()
	e := start(t)
	signed := e.signup(t, "refresh@example.org", typev1.Role_ROLE_STUDENT)
	session := e.login(t, "refresh@example.org", "a good long password")

	// Tokens count whole seconds (JWT): a second later, the new one expires later.
	time.Sleep(1100 * time.Millisecond)
	fresh, err := e.client.RefreshToken(bearer(session.GetAccessToken()), &identityv1.RefreshTokenRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if fresh.GetAccessToken() == "" || fresh.GetAccessToken() == session.GetAccessToken() ||
		!fresh.GetExpiresAt().AsTime().After(session.GetExpiresAt().AsTime()) || fresh.GetAccount().GetId() != signed.GetId() {
		t.Fatalf("refreshed %v, was %v", fresh, session)
	}
	me, err := e.client.GetMe(bearer(fresh.GetAccessToken()), &identityv1.GetMeRequest{})
	if err != nil || me.GetId() != signed.GetId() {
		t.Fatalf("me with the new token: %v, %v", me, err)
	}

	_, err = e.client.RefreshToken(context.Background(), &identityv1.RefreshTokenRequest{})
	wantCode(t, err, codes.Unauthenticated)
	_, err = e.client.RefreshToken(bearer("forged.token.value"), &identityv1.RefreshTokenRequest{})
	wantCode(t, err, codes.Unauthenticated)
}
