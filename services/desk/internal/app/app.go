// Package app holds the desk's use cases: who may read or change which document, note,
// timeline or agenda (record-level rules), what each change publishes, and how the copies of
// other services' records are kept from their events. Handlers call it; the domain
// (document, agenda) decides; the store stores.
package app

import (
	"context"
	"log/slog"
	"slices"
	"time"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/desk/internal/document"
	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// App runs the use cases.
type App struct {
	store *postgres.Store
	now   func() time.Time
	log   *slog.Logger
	// publicURL is where the web application is: the feed's links point there.
	publicURL string
}

// New returns the use cases over store.
func New(store *postgres.Store, now func() time.Time, log *slog.Logger, publicURL string) *App {
	if now == nil {
		now = time.Now
	}
	return &App{store: store, now: now, log: log, publicURL: publicURL}
}

func (a *App) today() date.Date { return date.Of(a.now().UTC()) }

var errNoPrincipal = errs.Unauthenticated("UNAUTHENTICATED", "sign in first")

func principal(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return auth.Principal{}, errNoPrincipal
	}
	return p, nil
}

// owns reports whether p is the account of the person's record.
func owns(p auth.Principal, person postgres.Person) bool {
	return p.Is(auth.RoleHost, auth.RoleStudent) && person.OwnerAccountID != "" && person.OwnerAccountID == p.AccountID
}

// canSeePerson: the programme's coordinators and the person. Anyone else is told the record
// does not exist (SPEC §1).
func canSeePerson(p auth.Principal, person postgres.Person) bool {
	return p.CoordinatesProgramme(person.ProgrammeID) || owns(p, person)
}

// requirements reads what a programme's settings require, SPEC §6's defaults where a list is
// empty (a programme created before the settings existed, or whose copy has not arrived).
func requirements(st *identityv1.ProgrammeSettings) document.Requirements {
	r := document.DefaultRequirements()
	if k := kindsOf(st.GetHostRequiredDocuments()); len(k) > 0 {
		r.Host = k
	}
	if k := kindsOf(st.GetStudentRequiredDocuments()); len(k) > 0 {
		r.Student = k
	}
	return r
}

func kindsOf(in []typev1.DocumentKind) []document.Kind {
	var out []document.Kind
	for _, k := range in {
		if dk := KindOf(k); dk.Valid() && !slices.Contains(out, dk) {
			out = append(out, dk)
		}
	}
	return out
}

// KindOf reads a kind from its enum.
func KindOf(k typev1.DocumentKind) document.Kind {
	if k == typev1.DocumentKind_DOCUMENT_KIND_UNSPECIFIED {
		return ""
	}
	return document.Kind(trimPrefix(k.String(), "DOCUMENT_KIND_"))
}

// KindEnum writes a kind as its enum.
func KindEnum(k document.Kind) typev1.DocumentKind {
	return typev1.DocumentKind(typev1.DocumentKind_value["DOCUMENT_KIND_"+string(k)])
}

func trimPrefix(s, p string) string {
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// warningDays is how long before its expiry a document shows on the agenda (default 30).
func warningDays(st *identityv1.ProgrammeSettings) int {
	if d := st.GetDocumentWarningDays(); d > 0 {
		return int(d)
	}
	return 30
}
