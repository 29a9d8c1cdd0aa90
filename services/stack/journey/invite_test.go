package journey

import (
	"context"
	"slices"
	"testing"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/grpcx"
)

// invitationCode reads an invitation's code as the notifications service does, to email it.
func (s *stack) invitationCode(id string) string {
	s.t.Helper()
	cc, err := grpcx.DialAsService(s.identity, s.service)
	if err != nil {
		s.t.Fatal(err)
	}
	defer cc.Close()
	c, err := identityv1.NewIdentityServiceClient(cc).GetInvitationCode(context.Background(), &identityv1.GetInvitationCodeRequest{Id: id})
	if err != nil {
		s.t.Fatalf("code of invitation %s: %v", id, err)
	}
	return c.GetCode()
}

// invite has the coordinator invite the person of a record (kind "hosts" or "students"):
// identity learns of a new record from its event, so the first tries may not find it yet.
func (s *stack) invite(coord, kind, id string) reply {
	s.t.Helper()
	var r reply
	eventually(s.t, "invite "+kind+" "+id, func() bool {
		r = s.do("POST", "/v1/"+kind+"/"+id+":invite", coord, map[string]any{})
		return r.code != 404
	})
	if r.code != 200 || r.str("inviteExpiresAt") == "" {
		s.t.Fatalf("invite %s %s: %s", kind, id, r.raw)
	}
	return r
}

// A student registered by her coordinator, with no account, claims her record: she first
// signed up on her own (her own record is refused as a duplicate, not created), is invited,
// follows the invitation with her email and password, and finds her record — then sees and
// corrects it. A host registered by her coordinator claims hers with a new account.
func TestInvitedPersonClaimsHerRecord(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")

	st := s.must(200, "POST", "/v1/students", coord, studentBody("2004-05-06"))
	id := st.str("id")

	s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": "lea.dubois@example.org", "password": "lea-student-pw1", "role": "ROLE_STUDENT", "programmeId": demo})
	lea := s.login("lea.dubois@example.org", "lea-student-pw1")
	if r := s.must(400, "POST", "/v1/students", lea, studentBody("2004-05-06")); r.reason() != "INVITATION_REQUIRED" {
		t.Fatalf("her own duplicate: %s", r.raw)
	}
	s.must(403, "POST", "/v1/students/"+id+":invite", lea, map[string]any{})

	inv := s.invite(coord, "students", id)
	code := s.invitationCode(inv.str("id"))

	if r := s.must(400, "POST", "/v1/auth/signup", "", map[string]any{"email": "lea.dubois@example.org", "password": "lea-student-pw1", "inviteCode": "not-the-code-at-all"}); !slices.Equal(r.violations(), []string{"inviteCode"}) {
		t.Fatalf("wrong code: %s", r.raw)
	}
	acct := s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": "lea.dubois@example.org", "password": "lea-student-pw1", "inviteCode": code})
	if acct.str("studentId") != id || acct.str("role") != "ROLE_STUDENT" {
		t.Fatalf("signed up with the code: %s", acct.raw)
	}
	s.must(400, "POST", "/v1/auth/signup", "", map[string]any{"email": "someone@example.org", "password": "someone-pw-123", "inviteCode": code})

	lea = s.login("lea.dubois@example.org", "lea-student-pw1")
	if me := s.must(200, "GET", "/v1/me", lea, nil); me.str("studentId") != id {
		t.Fatalf("/v1/me: %s", me.raw)
	}
	eventually(t, "she reads her record", func() bool { return s.do("GET", "/v1/students/"+id, lea, nil).code == 200 })
	patched := s.must(200, "PATCH", "/v1/students/"+id, lea, map[string]any{"phone": "+33 6 00 00 00 02"})
	if patched.str("phone") != "+33 6 00 00 00 02" {
		t.Fatalf("her correction: %s", patched.raw)
	}
	if st := s.must(200, "GET", "/v1/students", coord, nil); len(list(st, "students")) != 1 {
		t.Fatalf("students of the programme: %s", st.raw)
	}

	// The host, with a new account.
	h := s.must(200, "POST", "/v1/hosts", coord, hostBody("1948-03-12"))
	hostInv := s.invite(coord, "hosts", h.str("id"))
	host := s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": "jeanne@example.org", "password": "jeanne-host-pw1", "inviteCode": s.invitationCode(hostInv.str("id"))})
	if host.str("hostId") != h.str("id") || host.str("role") != "ROLE_HOST" {
		t.Fatalf("host signed up with the code: %s", host.raw)
	}
	jeanne := s.login("jeanne@example.org", "jeanne-host-pw1")
	eventually(t, "she reads her record", func() bool { return s.do("GET", "/v1/hosts/"+h.str("id"), jeanne, nil).code == 200 })
	s.must(400, "POST", "/v1/hosts/"+h.str("id")+":invite", coord, map[string]any{})
}
