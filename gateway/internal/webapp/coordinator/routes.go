package coordinator

import (
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	privacyv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/privacy/v1"
)

// Register registers the coordinator's pages.
// Each group of routes is headed by the file of its handlers ("webapp/…": the core's, shared
// with other audiences).
func Register(core *webapp.App) {
	a := &app{core}
	coord := func(h http.HandlerFunc) http.HandlerFunc { return a.Auth(webapp.RoleCoordinator, h) }
	// dashboard.go
	a.Handle("GET /coordinator", coord(a.dashboard))
	// hosts.go
	a.Handle("GET /coordinator/hosts", coord(a.hostsList))
	a.Handle("GET /coordinator/hosts/new", coord(a.hostNewPage))
	a.Post("POST /coordinator/hosts", coord(a.hostCreate))
	a.Handle("GET /coordinator/hosts/{id}", coord(a.hostPage))
	a.Handle("GET /coordinator/hosts/{id}/edit", coord(hostEditor.Show(core)))
	a.Post("POST /coordinator/hosts/{id}/edit", coord(hostEditor.Save(core)))
	a.Post("POST /coordinator/hosts/{id}/verify", coord(a.hostVerify))
	a.Post("POST /coordinator/hosts/{id}/suspend", coord(a.hostSuspend))
	a.Post("POST /coordinator/hosts/{id}/reinstate", coord(a.hostReinstate))
	a.Post("POST /coordinator/hosts/{id}/archive", coord(a.hostArchive))
	a.Post("POST /coordinator/hosts/{id}/invite", coord(a.hostInvite))
	// rooms.go
	a.Post("POST /coordinator/hosts/{id}/rooms", coord(a.roomCreate))
	a.Post("POST /coordinator/rooms/{id}/publish", coord(a.roomPublish))
	a.Post("POST /coordinator/rooms/{id}/withdraw", coord(a.roomWithdraw))
	a.Handle("GET /coordinator/rooms/{id}/edit", coord(roomEditor.Show(core)))
	a.Post("POST /coordinator/rooms/{id}/edit", coord(roomEditor.Save(core)))
	a.Handle("GET /coordinator/rooms", coord(a.roomsList))
	// candidates.go
	a.Handle("GET /coordinator/rooms/{id}/candidates", coord(a.candidates))
	a.Post("POST /coordinator/rooms/{id}/propose", coord(a.propose))
	// matches.go
	a.Handle("GET /coordinator/matches", coord(a.matchesList))
	a.Handle("GET /coordinator/matches/{id}", coord(a.matchPage))
	a.Post("POST /coordinator/matches/{id}/schedule", coord(a.scheduleMeeting))
	a.Post("POST /coordinator/matches/{id}/answer", coord(a.matchAnswer))
	a.Post("POST /coordinator/matches/{id}/approve", coord(a.matchApprove))
	a.Post("POST /coordinator/matches/{id}/cancel", coord(a.matchCancel))
	// contracts.go
	a.Handle("GET /coordinator/contracts", coord(a.contractsList))
	a.Handle("GET /coordinator/contracts/{id}", coord(a.contractPage))
	a.Post("POST /coordinator/contracts/{id}/terms", coord(a.contractTerms))
	a.Post("POST /coordinator/contracts/{id}/send", coord(a.contractSend))
	a.Post("POST /coordinator/contracts/{id}/reopen", coord(a.contractReopen))
	a.Post("POST /coordinator/contracts/{id}/sign", coord(a.contractSignOnBehalf))
	a.Post("POST /coordinator/contracts/{id}/terminate", coord(a.contractTerminate))
	a.Post("POST /coordinator/contracts/{id}/renew", coord(a.contractRenew))
	a.Post("POST /coordinator/contracts/{id}/cancel", coord(a.contractCancel))
	// association.go
	a.Handle("GET /coordinator/association", coord(a.associationPage))
	a.Post("POST /coordinator/association", coord(a.associationSave))
	// checkins.go
	a.Handle("GET /coordinator/checkins", coord(a.checkins))
	a.Handle("GET /coordinator/checkins/{id}", coord(a.checkinPage))
	a.Post("POST /coordinator/checkins/{id}", coord(a.checkinComplete))
	// concerns.go
	a.Post("POST /coordinator/checkins/{id}/incident", coord(a.checkinIncident))
	// incidents.go
	a.Handle("GET /coordinator/incidents", coord(a.incidents))
	a.Post("POST /coordinator/incidents/{id}/mediate", coord(a.incidentMediate))
	a.Post("POST /coordinator/incidents/{id}/resolve", coord(a.incidentResolve))
	// students.go
	a.Handle("GET /coordinator/students", coord(a.studentsList))
	a.Handle("GET /coordinator/students/new", coord(a.studentNewPage))
	a.Post("POST /coordinator/students", coord(a.studentCreate))
	a.Post("POST /coordinator/students/{id}/verify", coord(a.studentVerify))
	a.Handle("GET /coordinator/students/{id}", coord(a.studentPage))
	a.Post("POST /coordinator/students/{id}/archive", coord(a.studentArchive))
	a.Post("POST /coordinator/students/{id}/invite", coord(a.studentInvite))
	a.Handle("GET /coordinator/students/{id}/edit", coord(studentEditor.Show(core)))
	a.Post("POST /coordinator/students/{id}/edit", coord(studentEditor.Save(core)))
	a.Post("POST /coordinator/students/{id}/applications", coord(a.studentApply))
	// allocations.go
	a.Handle("GET /coordinator/allocations", coord(a.allocations))
	a.Post("POST /coordinator/allocations", coord(a.allocationCreate))
	a.Handle("GET /coordinator/allocations/{id}", coord(a.allocation))
	a.Post("POST /coordinator/allocations/{id}/propose", coord(a.allocationPropose))
	// webapp/applications.go
	a.Post("POST /coordinator/applications/{id}/withdraw", coord(a.ApplicationWithdraw("/coordinator/students")))
	// notifications.go
	a.Handle("GET /coordinator/notifications", coord(a.WithNotifications(a.notificationsList)))
	a.Handle("GET /coordinator/calls", coord(a.WithNotifications(a.callList)))
	// figures.go
	a.Handle("GET /coordinator/figures", coord(a.figures))
	a.Handle("GET /coordinator/figures.csv", coord(a.figuresCSV))
	// webapp/documents.go
	a.PostFile("POST /coordinator/documents/{id}/upload", coord(a.DocumentUpload("/coordinator")))
	// documents.go
	a.Post("POST /coordinator/documents/{id}/verify", coord(a.WithDesk(a.documentVerify)))
	a.Post("POST /coordinator/documents/{id}/reject", coord(a.WithDesk(a.documentReject)))
	// notes.go
	a.Post("POST /coordinator/notes", coord(a.WithDesk(a.noteCreate)))
	a.Post("POST /coordinator/notes/{id}", coord(a.WithDesk(a.noteCorrect)))
	// agenda.go
	a.Handle("GET /coordinator/agenda", coord(a.WithDesk(a.agenda)))
	a.Post("POST /coordinator/agenda/feed", coord(a.WithDesk(a.agendaFeed)))
	// privacy.go
	a.Handle("GET /coordinator/hosts/{id}/export", coord(a.personExport(privacyv1.PersonKind_PERSON_KIND_HOST)))
	a.Handle("GET /coordinator/students/{id}/export", coord(a.personExport(privacyv1.PersonKind_PERSON_KIND_STUDENT)))
	a.Post("POST /coordinator/hosts/{id}/erase", coord(a.hostErase))
	a.Post("POST /coordinator/students/{id}/erase", coord(a.studentErase))
}
