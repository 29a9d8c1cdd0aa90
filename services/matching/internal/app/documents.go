package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// ErrDocumentsIncomplete refuses an approval while a document of either party is not VERIFIED
// or expires before the stay starts (SPEC §6). Its field violations name each one:
// hostDocuments.<KIND> or studentDocuments.<KIND>, saying what is wrong.
var ErrDocumentsIncomplete = errs.FailedPrecondition("DOCUMENTS_INCOMPLETE", "documents of the host or the student are not verified")

// documentsPatience is how long an approval refused for its documents looks again at its
// copy, which may lag the desk by its outbox relay and the stream.
const documentsPatience = 2 * time.Second

// errDocumentsNotYet asks ApproveMatch to wait for its copy of the documents before refusing.
var errDocumentsNotYet = errors.New("documents incomplete in the copy")

// DocumentSync waits until matching's copy of the desk's documents holds every event the desk
// has published so far (or ctx ends); nil when there is nothing to wait for.
type DocumentSync func(ctx context.Context) error

// WithDocumentSync sets how ApproveMatch waits for its copy of the documents before refusing
// an approval for them: an approval asked right after the last document was verified must not
// be refused because that verification is still on its way.
func WithDocumentSync(f DocumentSync) Option {
	return func(o *options) { o.docSync = f }
}

// DocumentChanged keeps the copy of one desk document as of at, in tx (the event's inbox
// transaction).
func (a *App) DocumentChanged(ctx context.Context, tx pgx.Tx, d postgres.PartyDocument, at time.Time) error {
	return a.store.Within(tx).SaveDocument(ctx, d, at)
}

// documentGaps names each document of the host and the student that stops a stay starting on
// start (YYYY-MM-DD): not VERIFIED, or expiring before it.
func documentGaps(docs []postgres.PartyDocument, hostID, studentID, start string) errs.Violations {
	var v errs.Violations
	for _, d := range docs {
		side := "studentDocuments"
		if d.OwnerID == hostID {
			side = "hostDocuments"
		} else if d.OwnerID != studentID {
			continue
		}
		field := side + "." + d.Kind
		switch {
		case d.Status != "VERIFIED":
			v.Add(field, "is %s (document %s)", strings.ToLower(d.Status), d.ID)
		case d.ExpiryDate != "" && start != "" && d.ExpiryDate < start:
			v.Add(field, "expires on %s, before the stay starts on %s (document %s)", d.ExpiryDate, start, d.ID)
		}
	}
	return v
}

// checkDocuments refuses the approval while a document stops the stay (errDocumentsNotYet the
// first time, so that the caller waits for its copy; ErrDocumentsIncomplete after).
func checkDocuments(ctx context.Context, tx *postgres.Store, hostID, studentID, start string, waited bool) error {
	docs, err := tx.DocumentsOf(ctx, hostID, studentID)
	if err != nil {
		return err
	}
	gaps := documentGaps(docs, hostID, studentID, start)
	if len(gaps) == 0 {
		return nil
	}
	if !waited {
		return errDocumentsNotYet
	}
	e := ErrDocumentsIncomplete.WithMessage("the match cannot be approved until these documents are verified: %s", names(gaps))
	e.Violations = gaps
	return e
}

func names(v errs.Violations) string {
	out := make([]string, 0, len(v))
	for _, x := range v {
		out = append(out, x.Field)
	}
	return strings.Join(out, ", ")
}

// syncDocuments waits for the copy (at most a few seconds).
func (a *App) syncDocuments(ctx context.Context) error {
	if a.docSync == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := a.docSync(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("wait for the documents' copy: %w", err)
	}
	return nil
}
