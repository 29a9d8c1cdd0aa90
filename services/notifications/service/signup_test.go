package service_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/contact"
	"github.com/cohabit/cohabit/services/platform/auth"
)

// Issue 18 (SPEC §3): a sign-up with the address of an existing account gets the answer a new
// one gets, and the owner of the address is told by email instead — read from identity by
// the account's id (the event carries no address), in the account's language, with a link
// to sign in. An account identity no longer knows is told nothing.
func TestSignupDuplicatedEmailsTheOwner(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	french := e.people.add(contact.Person{Email: "marcel@example.test"})
	english := e.people.add(contact.Person{Email: "amy@example.test"})
	if _, err := e.client.UpdateNotificationSettings(e.as(t, auth.RoleHost, english), &notificationsv1.UpdateNotificationSettingsRequest{
		Settings: &notificationsv1.NotificationSettings{Language: "en"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"language"}}}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{french, english, uuid.NewString()} {
		e.publish(t, identityevents.SignupDuplicated.Subject, &identityeventsv1.SignupDuplicated{AccountId: id, ProgrammeId: programme})
	}

	waitFor(t, "both owners' emails", func() bool {
		return len(e.to(t, "marcel@example.test")) == 1 && len(e.to(t, "amy@example.test")) == 1
	})
	settle()
	if n := len(e.messages(t)); n != 2 {
		t.Fatalf("%d emails, want 2 (none for an unknown account)", n)
	}
	for _, c := range []struct {
		to, language, subject string
		says                  []string
	}{
		{"marcel@example.test", "fr", "Une inscription avec votre adresse", []string{"Quelqu'un vient d'essayer de créer un compte", "connectez-vous", "http://cohabit.test/login"}},
		{"amy@example.test", "en", "Someone signed up with your address", []string{"Someone has just tried to create a Cohabit account", "sign in", "http://cohabit.test/login"}},
	} {
		m := e.to(t, c.to)[0]
		if m.Language != c.language || m.Subject != c.subject {
			t.Errorf("to %s: language %q, subject %q; want %q, %q", c.to, m.Language, m.Subject, c.language, c.subject)
		}
		for _, want := range c.says {
			if !strings.Contains(m.Body, want) {
				t.Errorf("to %s: body lacks %q:\n%s", c.to, want, m.Body)
			}
		}
	}

}
