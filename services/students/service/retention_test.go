package service_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/svctest"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
	"github.com/cohabit/cohabit/services/students/service"
)

// TestRetentionErasesTheInactive (SPEC §9): once the programme's retention period (24
// months by default) has passed without activity, the retention job erases a student — her
// record answers NotFound and her erasure is published for every service — while a student
// active within the period (registered then) stays.
func TestRetentionErasesTheInactive(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	offset := time.Duration(0)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(offset) }
	url := svctest.DatabaseURL(t, "students", postgres.Sets()...)
	ns := natstest.New(t)
	pub, issuer := svctest.Keys(t)
	cc := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{
			Config:            boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: ns.URL(), TokenKey: pub, Ready: ready},
			Now:               now,
			RetentionInterval: 100 * time.Millisecond,
		}, logging.Discard())
	})
	client := studentsv1.NewStudentServiceClient(cc)
	js := svctest.JetStream(t, ns.URL())
	coord, _ := svctest.As(t, issuer, auth.RoleCoordinator, "prog-ret")

	idle, err := client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: studentInput("2004-05-06")})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	offset = 25 * 30 * 24 * time.Hour // a little over 24 months later
	mu.Unlock()
	// Registered then: active within the period.
	active, err := client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: studentInput("2005-06-07")})
	if err != nil {
		t.Fatal(err)
	}
	msgs := svctest.NextEvents(t, js, studentsevents.Stream.Name, studentsevents.StudentErased.Subject, 1)
	env, err := event.Decode(msgs[0].Data())
	if err != nil {
		t.Fatal(err)
	}
	p, err := event.Payload(env, &eventsv1.PersonErased{})
	if err != nil || p.GetPersonId() != idle.GetId() {
		t.Fatalf("erasure event %v, %v; want the idle student %s", p, err, idle.GetId())
	}
	if _, err := client.GetStudent(coord, &studentsv1.GetStudentRequest{Id: idle.GetId()}); status.Code(err) != codes.NotFound {
		t.Errorf("the idle student after retention: %v, want NotFound", err)
	}
	time.Sleep(300 * time.Millisecond) // a few more runs
	if _, err := client.GetStudent(coord, &studentsv1.GetStudentRequest{Id: active.GetId()}); err != nil {
		t.Errorf("the active student was erased: %v", err)
	}
}
