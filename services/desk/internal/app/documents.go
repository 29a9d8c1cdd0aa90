package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/cohabit/cohabit/proto/eventcat/deskevents"
	"github.com/cohabit/cohabit/services/desk/internal/document"
	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/page"
)

// change writes a document changed by fn under its row's lock, with its event and its
// owner's life event, after checking who may: coordinatorOnly, or also the person.
func (a *App) change(ctx context.Context, id, sentEtag string, coordinatorOnly bool, subject func(*document.Document) string,
	fn func(q *postgres.Store, d *document.Document) error) (*document.Document, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !ids.Valid(id) {
		return nil, postgres.ErrDocumentNotFound
	}
	var out *document.Document
	err = a.store.Tx(ctx, func(q *postgres.Store) error {
		d, err := q.Document(ctx, id, true)
		if err != nil {
			return err
		}
		person, err := q.Person(ctx, d.OwnerID)
		if err != nil {
			return err
		}
		if !canSeePerson(p, person) {
			return postgres.ErrDocumentNotFound
		}
		if coordinatorOnly && !p.CoordinatesProgramme(d.ProgrammeID) {
			return errs.PermissionDenied("COORDINATOR_ONLY", "only the programme's coordinators may do this")
		}
		if err := etag.Check(sentEtag, d.Version); err != nil {
			return err
		}
		if err := fn(q, d); err != nil {
			return err
		}
		if err := q.UpdateDocument(ctx, d); err != nil {
			return err
		}
		s := subject(d)
		ev, err := documentEvent(s, d, d.UpdatedAt)
		if err != nil {
			return err
		}
		if err := q.AddLifeEvent(ctx, ev.GetId(), d.ProgrammeID, lifeCode[s], d.UpdatedAt, d.OwnerID); err != nil {
			return err
		}
		out = d
		return q.Publish(ctx, ev)
	})
	return out, err
}

// Upload stores a file for a document (the programme's coordinators, or the person): RECEIVED.
// The type is read from the content; the client's is ignored.
func (a *App) Upload(ctx context.Context, id, fileName, sentEtag string, content []byte) (*document.Document, error) {
	ct, err := document.Sniff(content)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(content)
	info := document.FileInfo{Name: document.CleanFileName(fileName), ContentType: ct, SizeBytes: len(content), SHA256: hex.EncodeToString(sum[:])}
	return a.change(ctx, id, sentEtag, false, func(*document.Document) string { return deskevents.DocumentReceived.Subject },
		func(q *postgres.Store, d *document.Document) error {
			d.Received(info, a.now())
			return q.PutFile(ctx, d.ID, content)
		})
}

// Verify marks a document VERIFIED (coordinators); an identity paper's file is deleted.
func (a *App) Verify(ctx context.Context, id, expiry string, seenInPerson bool, sentEtag string) (*document.Document, error) {
	var v errs.Violations
	exp := date.Date{}
	if expiry != "" {
		exp = date.Field(&v, "expiryDate", expiry)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	subject := func(d *document.Document) string {
		if d.Status == document.StatusExpired {
			return deskevents.DocumentExpired.Subject // verified with an expiry date already past
		}
		return deskevents.DocumentVerified.Subject
	}
	return a.change(ctx, id, sentEtag, true, subject,
		func(q *postgres.Store, d *document.Document) error {
			drop, err := d.Verify(exp, seenInPerson, a.today(), a.now())
			if err != nil || !drop {
				return err
			}
			return q.DeleteFile(ctx, d.ID)
		})
}

// Reject marks a document REJECTED with a reason (coordinators).
func (a *App) Reject(ctx context.Context, id, reason, sentEtag string) (*document.Document, error) {
	return a.change(ctx, id, sentEtag, true, func(*document.Document) string { return deskevents.DocumentRejected.Subject },
		func(_ *postgres.Store, d *document.Document) error { return d.Reject(reason, a.now()) })
}

// GetDocument returns a document to the programme's coordinators and the person.
func (a *App) GetDocument(ctx context.Context, id string) (*document.Document, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !ids.Valid(id) {
		return nil, postgres.ErrDocumentNotFound
	}
	q := a.store
	d, err := q.Document(ctx, id, false)
	if err != nil {
		return nil, err
	}
	person, err := q.Person(ctx, d.OwnerID)
	if err != nil {
		return nil, err
	}
	if !canSeePerson(p, person) {
		return nil, postgres.ErrDocumentNotFound
	}
	return d, nil
}

// File returns a document's file: only to the programme's coordinators and the person
// (another person, another programme's coordinator and the admin never get it).
func (a *App) File(ctx context.Context, id string) (*document.Document, []byte, error) {
	d, err := a.GetDocument(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !d.HasFile {
		return nil, nil, postgres.ErrFileNotFound
	}
	b, err := a.store.File(ctx, d.ID)
	if err != nil {
		return nil, nil, err
	}
	return d, b, nil
}

// CreateDocument asks for one more document of a person (coordinators): MISSING.
func (a *App) CreateDocument(ctx context.Context, ownerID string, kind document.Kind, requestID string) (*document.Document, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var v errs.Violations
	v.Check(ids.Valid(ownerID), "ownerId", "is required (a host's or student's id)")
	v.Check(kind.Valid(), "kind", "is required (a DOCUMENT_KIND_… value)")
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *document.Document
	err = a.store.Tx(ctx, func(q *postgres.Store) error {
		person, err := q.Person(ctx, ownerID)
		if errors.Is(err, postgres.ErrPersonNotFound) || (err == nil && !p.CoordinatesProgramme(person.ProgrammeID)) {
			return postgres.ErrPersonNotFound
		}
		if err != nil {
			return err
		}
		now := a.now()
		d := document.New(ids.New(), person.ProgrammeID, person.ID, person.Party, kind, false, p.AccountID, now)
		got, created, err := q.InsertDocument(ctx, d, requestID)
		if err != nil {
			return err
		}
		out = got
		if !created {
			return nil
		}
		return a.publishRequested(ctx, q, d)
	})
	return out, err
}

func (a *App) publishRequested(ctx context.Context, q *postgres.Store, d *document.Document) error {
	ev, err := documentEvent(deskevents.DocumentRequested.Subject, d, d.CreatedAt)
	if err != nil {
		return err
	}
	if err := q.AddLifeEvent(ctx, ev.GetId(), d.ProgrammeID, lifeCode[deskevents.DocumentRequested.Subject], d.CreatedAt, d.OwnerID); err != nil {
		return err
	}
	return q.Publish(ctx, ev)
}

// ListDocuments lists a coordinator's programme's documents, or the caller's own.
func (a *App) ListDocuments(ctx context.Context, ownerID string, status document.Status, expiresBefore string, pg page.Request) ([]*document.Document, string, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, "", err
	}
	var v errs.Violations
	v.Check(ownerID == "" || ids.Valid(ownerID), "ownerId", "is not an id")
	var before date.Date
	if expiresBefore != "" {
		before = date.Field(&v, "expiresBefore", expiresBefore)
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	after, limit, err := pg.Bounds()
	if err != nil {
		return nil, "", err
	}
	q := a.store
	f := postgres.DocumentFilter{OwnerID: ownerID, Status: status, ExpiresBefore: before, After: after, Limit: limit}
	switch {
	case p.Role == auth.RoleCoordinator:
		f.ProgrammeID = p.ProgrammeID
	default:
		me, ok, err := q.PersonOfAccount(ctx, p.AccountID)
		if err != nil {
			return nil, "", err
		}
		if !ok || (ownerID != "" && ownerID != me.ID) {
			return nil, "", nil // nothing of theirs (yet), or not theirs to see
		}
		f.ProgrammeID, f.OwnerID = me.ProgrammeID, me.ID
	}
	docs, err := q.Documents(ctx, f)
	if err != nil {
		return nil, "", err
	}
	return docs, page.Next(docs, limit, func(d *document.Document) string { return d.ID }), nil
}

// ExpireDue marks VERIFIED documents past their expiry date EXPIRED, in batches, each in its
// transaction. Rows are locked with SKIP LOCKED: replicas running the job at once share the
// work instead of expiring a document twice. It returns how many it expired.
func (a *App) ExpireDue(ctx context.Context) (int, error) {
	const batch = 100
	total := 0
	for {
		n := 0
		err := a.store.Tx(ctx, func(q *postgres.Store) error {
			docs, err := q.ExpireDue(ctx, a.today(), batch)
			if err != nil {
				return err
			}
			for _, d := range docs {
				if !d.Expire(a.today(), a.now()) {
					continue
				}
				if err := q.UpdateDocument(ctx, d); err != nil {
					return err
				}
				ev, err := documentEvent(deskevents.DocumentExpired.Subject, d, d.UpdatedAt)
				if err != nil {
					return err
				}
				if err := q.AddLifeEvent(ctx, ev.GetId(), d.ProgrammeID, lifeCode[deskevents.DocumentExpired.Subject], d.UpdatedAt, d.OwnerID); err != nil {
					return err
				}
				if err := q.Publish(ctx, ev); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("expire documents: %w", err)
		}
		total += n
		if n < batch {
			return total, nil
		}
	}
}
