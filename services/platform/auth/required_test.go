package auth_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cohabit/cohabit/services/platform/auth"
)

func TestRequired(t *testing.T) {
	t.Parallel()
	if _, err := auth.Required(context.Background()); !errors.Is(err, auth.ErrNoPrincipal) {
		t.Errorf("no principal: %v, want ErrNoPrincipal", err)
	}
	want := auth.Principal{AccountID: "a1", Role: auth.RoleHost}
	if p, err := auth.Required(auth.WithPrincipal(context.Background(), want)); err != nil || p != want {
		t.Errorf("principal %+v, %v; want %+v", p, err, want)
	}
}
