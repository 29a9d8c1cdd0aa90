// Package postgres stores hosts and rooms. Every change is written with its events in one
// transaction (the outbox), under the row's lock, so that no event is lost or invented.
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/programmes"
	"github.com/cohabit/cohabit/services/platform/schema"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dbSchema is the schema of the hosts database: the platform's sets with the copy of the
// programmes' settings, then the service's own tables (schema.Service).
var dbSchema = schema.Service("hosts_schema_version", migrations, schema.Programmes())

// Sets are the migration sets of the hosts database, in the order they apply.
func Sets() []pg.Migrations { return dbSchema.Sets() }

// Migrate brings the database at url to the current schema.
func Migrate(ctx context.Context, url string) error { return dbSchema.Migrate(ctx, url) }

// Errors of the store.
var (
	ErrHostNotFound = errs.NotFound("HOST_NOT_FOUND", "no such host")
	ErrRoomNotFound = errs.NotFound("ROOM_NOT_FOUND", "no such room")
	ErrOwnerHasHost = errs.AlreadyExists("HOST_EXISTS", "this account has already registered a host profile")
)

// Store reads and writes hosts, rooms and the programme settings copied from identity. A Store
// made by Within runs its transaction's writes (ApplyHold, UpdateHostIn) in that transaction;
// they refuse to run outside one.
type Store struct {
	pool *pgxpool.Pool
	tx   pgx.Tx
}

// New returns a store over pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Within returns a store bound to tx, a transaction opened elsewhere: an event consumer's
// inbox transaction (platform/consume), so that the changes a use case makes for the event
// commit with its claim, or roll back with it for the redelivery to try again.
func (s *Store) Within(tx pgx.Tx) *Store { return &Store{pool: s.pool, tx: tx} }

// inTx is the transaction the store is bound to, or pg.ErrNoTx.
func (s *Store) inTx() (pgx.Tx, error) { return pg.Bound("hosts store", s.tx) }

// CreateHost inserts h with its events. A retry with the same (createdBy, requestID) returns
// the host created the first time, and writes nothing.
func (s *Store) CreateHost(ctx context.Context, h *host.Host, createdBy, requestID string, events ...*eventsv1.Envelope) (*host.Host, error) {
	r := h.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode host %s: %w", r.ID, err)
	}
	first, found, err := pg.CreateOnce(ctx, s.pool, requestID, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO hosts (id, programme_id, status, owner_account_id, created_by, request_id, city, version, record, created_at, updated_at)
			VALUES ($1, $2, $3, NULLIF($4, ''), $5, NULLIF($6, ''), $7, $8, $9, $10, $11)`,
			r.ID, r.ProgrammeID, r.Status, r.OwnerAccountID, createdBy, requestID, r.Profile.Address.City, r.Version, rec, r.CreatedAt, r.UpdatedAt)
		if err != nil {
			return err
		}
		return outbox.Append(ctx, tx, events...)
	}, func() (*host.Host, error) { return s.hostByRequest(ctx, createdBy, requestID) }, ErrHostNotFound)
	if found {
		return first, nil
	}
	if c, ok := pg.IsUniqueViolation(err); ok && c == "hosts_owner" {
		return nil, ErrOwnerHasHost
	}
	if err != nil {
		return nil, fmt.Errorf("insert host %s: %w", r.ID, err)
	}
	return h, nil
}

func (s *Store) hostByRequest(ctx context.Context, createdBy, requestID string) (*host.Host, error) {
	return scanHost(s.pool.QueryRow(ctx, `SELECT record FROM hosts WHERE created_by = $1 AND request_id = $2`, createdBy, requestID))
}

// Host returns the host with id, or ErrHostNotFound.
func (s *Store) Host(ctx context.Context, id string) (*host.Host, error) {
	if !ids.Valid(id) {
		return nil, ErrHostNotFound
	}
	return scanHost(s.pool.QueryRow(ctx, `SELECT record FROM hosts WHERE id = $1`, id))
}

// HostByOwner returns the host owned by account id, or ErrHostNotFound.
func (s *Store) HostByOwner(ctx context.Context, accountID string) (*host.Host, error) {
	return scanHost(s.pool.QueryRow(ctx, `SELECT record FROM hosts WHERE owner_account_id = $1`, accountID))
}

// UpdateHost locks host id, lets fn change it and return the events that tell of the change,
// and stores both. fn's error aborts everything.
func (s *Store) UpdateHost(ctx context.Context, id string, fn func(*host.Host, Stays) ([]*eventsv1.Envelope, error)) (*host.Host, error) {
	if !ids.Valid(id) {
		return nil, ErrHostNotFound
	}
	var out *host.Host
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		h, err := scanHost(tx.QueryRow(ctx, `SELECT record FROM hosts WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		events, err := fn(h, func() (int, error) { return staysOf(ctx, tx, id) })
		if err != nil {
			return err
		}
		if err := writeHost(ctx, tx, h); err != nil {
			return err
		}
		out = h
		return outbox.Append(ctx, tx, events...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Stays counts, in the change's transaction, the host's rooms in a stay, agreed or under way
// (RESERVED or OCCUPIED). Only a change that needs it asks: it share-locks all her rooms, so
// that none is reserved before that change commits.
type Stays func() (int, error)

func staysOf(ctx context.Context, tx pgx.Tx, hostID string) (int, error) {
	rows, err := tx.Query(ctx, `SELECT status FROM rooms WHERE host_id = $1 FOR SHARE`, hostID)
	if err != nil {
		return 0, fmt.Errorf("lock the rooms of host %s: %w", hostID, err)
	}
	statuses, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return 0, fmt.Errorf("lock the rooms of host %s: %w", hostID, err)
	}
	n := 0
	for _, st := range statuses {
		if st == string(room.StatusReserved) || st == string(room.StatusOccupied) {
			n++
		}
	}
	return n, nil
}

func writeHost(ctx context.Context, tx pgx.Tx, h *host.Host) error {
	r := h.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode host %s: %w", r.ID, err)
	}
	// owner_account_id follows the record: a host who accepts an invitation comes to own hers.
	if _, err := tx.Exec(ctx, `UPDATE hosts SET status = $2, city = $3, version = $4, record = $5, updated_at = $6,
		owner_account_id = NULLIF($7, '') WHERE id = $1`,
		r.ID, r.Status, r.Profile.Address.City, r.Version, rec, r.UpdatedAt, r.OwnerAccountID); err != nil {
		return fmt.Errorf("update host %s: %w", r.ID, err)
	}
	// Rooms carry their host's city for filters and for students, who never see the address.
	if _, err := tx.Exec(ctx, `UPDATE rooms SET city = $2, record = jsonb_set(record, '{City}', to_jsonb($2::text))
		WHERE host_id = $1 AND city <> $2`, r.ID, r.Profile.Address.City); err != nil {
		return fmt.Errorf("follow city of host %s: %w", r.ID, err)
	}
	return nil
}

// HostFilter selects hosts; empty fields select all.
type HostFilter struct {
	ProgrammeID    string
	OwnerAccountID string
	Status         host.Status
	// Query: words the name, town or email contain ("" for all).
	Query string
	After string
	Limit int
}

// ListHosts returns up to f.Limit hosts after id f.After, in id order.
func (s *Store) ListHosts(ctx context.Context, f HostFilter) ([]*host.Host, error) {
	rows, err := s.pool.Query(ctx, `SELECT record FROM hosts
		WHERE ($1 = '' OR programme_id = $1) AND ($2 = '' OR owner_account_id = $2) AND ($3 = '' OR status = $3)
		  AND ($4 = '' OR id > NULLIF($4, '')::uuid)
		  AND ($6 = '' OR record->'Profile'->>'DisplayName' ILIKE $6 OR record->'Profile'->'Address'->>'City' ILIKE $6
		       OR record->'Profile'->>'Email' ILIKE $6)
		ORDER BY id LIMIT $5`, f.ProgrammeID, f.OwnerAccountID, string(f.Status), f.After, f.Limit, pg.Contains(f.Query))
	if err != nil {
		return nil, fmt.Errorf("list hosts: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*host.Host, error) { return scanHost(row) })
}

func scanHost(row pgx.Row) (*host.Host, error) {
	return pg.ScanRecord(row, "host", ErrHostNotFound, host.FromRecord)
}

// CreateRoom inserts rm with its events; a retry with the same request id returns the first.
func (s *Store) CreateRoom(ctx context.Context, rm *room.Room, createdBy, requestID string, events ...*eventsv1.Envelope) (*room.Room, error) {
	r := rm.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode room %s: %w", r.ID, err)
	}
	err = pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO rooms (id, programme_id, host_id, status, city, area_m2, monthly_contribution_cents, available_from, created_by, request_id, version, record, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULLIF($10, ''), $11, $12, $13, $14)`,
			r.ID, r.ProgrammeID, r.HostID, r.Status, r.City, r.Details.AreaM2, r.Details.MonthlyContributionCents, r.Details.AvailableFrom.Time(),
			createdBy, requestID, r.Version, rec, r.CreatedAt, r.UpdatedAt)
		if err != nil {
			return err
		}
		return outbox.Append(ctx, tx, events...)
	})
	if c, ok := pg.IsUniqueViolation(err); ok && c == "rooms_request" {
		return scanRoom(s.pool.QueryRow(ctx, `SELECT record FROM rooms WHERE created_by = $1 AND request_id = $2`, createdBy, requestID))
	}
	if err != nil {
		return nil, fmt.Errorf("insert room %s: %w", r.ID, err)
	}
	return rm, nil
}

// Room returns the room with id, or ErrRoomNotFound.
func (s *Store) Room(ctx context.Context, id string) (*room.Room, error) {
	if !ids.Valid(id) {
		return nil, ErrRoomNotFound
	}
	return scanRoom(s.pool.QueryRow(ctx, `SELECT record FROM rooms WHERE id = $1`, id))
}

// UpdateRoom locks room id and its host (the host first, always, so that two changes never
// wait on each other in opposite orders), lets fn change the room, and stores it with fn's
// events.
func (s *Store) UpdateRoom(ctx context.Context, id string, fn func(*room.Room, *host.Host) ([]*eventsv1.Envelope, error)) (*room.Room, error) {
	if !ids.Valid(id) {
		return nil, ErrRoomNotFound
	}
	var out *room.Room
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		rm, h, err := lockRoom(ctx, tx, id)
		if err != nil {
			return err
		}
		events, err := fn(rm, h)
		if err != nil {
			return err
		}
		if err := writeRoom(ctx, tx, rm); err != nil {
			return err
		}
		out = rm
		return outbox.Append(ctx, tx, events...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// lockRoom reads room id under its row lock, with its host under a share lock (the host
// first, always, so that two changes never wait on each other in opposite orders).
func lockRoom(ctx context.Context, tx pgx.Tx, id string) (*room.Room, *host.Host, error) {
	var hostID string
	if err := tx.QueryRow(ctx, `SELECT host_id::text FROM rooms WHERE id = $1`, id).Scan(&hostID); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil, ErrRoomNotFound
		}
		return nil, nil, fmt.Errorf("find room %s: %w", id, err)
	}
	h, err := scanHost(tx.QueryRow(ctx, `SELECT record FROM hosts WHERE id = $1 FOR SHARE`, hostID))
	if err != nil {
		return nil, nil, err
	}
	rm, err := scanRoom(tx.QueryRow(ctx, `SELECT record FROM rooms WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return nil, nil, err
	}
	return rm, h, nil
}

// HoldChange decides, from the locked room, its host and the match's hold on the room, the
// match's new hold, whether the room changed, and the events that tell of it.
type HoldChange func(rm *room.Room, h *host.Host, hold room.Hold) (room.Hold, bool, []*eventsv1.Envelope, error)

// ApplyHold handles one event of the chain of a match on a room in the store's transaction,
// the event's inbox transaction (Within): it locks the room, reads the match's hold, lets fn
// decide, and stores the room, the hold and fn's events. fn's error rolls everything back, the
// claim too, so that a redelivery tries again. Errors: fn's, ErrRoomNotFound, the database's.
func (s *Store) ApplyHold(ctx context.Context, roomID, matchID string, fn HoldChange) error {
	tx, err := s.inTx()
	if err != nil {
		return err
	}
	if !ids.Valid(roomID) {
		return ErrRoomNotFound
	}
	return func() error {
		rm, h, err := lockRoom(ctx, tx, roomID)
		if err != nil {
			return err
		}
		var hold room.Hold
		err = tx.QueryRow(ctx, `SELECT status FROM room_holds WHERE match_id = $1 AND room_id = $2`, matchID, roomID).Scan(&hold)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("read hold of match %s on room %s: %w", matchID, roomID, err)
		}
		next, changed, events, err := fn(rm, h, hold)
		if err != nil {
			return err
		}
		if next != hold {
			if _, err := tx.Exec(ctx, `INSERT INTO room_holds (match_id, room_id, status, updated_at) VALUES ($1, $2, $3, now())
				ON CONFLICT (match_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`,
				matchID, roomID, next); err != nil {
				return fmt.Errorf("write hold of match %s on room %s: %w", matchID, roomID, err)
			}
		}
		if !changed {
			return nil
		}
		if err := writeRoom(ctx, tx, rm); err != nil {
			return err
		}
		return outbox.Append(ctx, tx, events...)
	}()
}

func writeRoom(ctx context.Context, tx pgx.Tx, rm *room.Room) error {
	r := rm.Record()
	rec, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode room %s: %w", r.ID, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE rooms SET status = $2, city = $3, area_m2 = $4, monthly_contribution_cents = $5, available_from = $6, version = $7, record = $8, updated_at = $9 WHERE id = $1`,
		r.ID, r.Status, r.City, r.Details.AreaM2, r.Details.MonthlyContributionCents, r.Details.AvailableFrom.Time(), r.Version, rec, r.UpdatedAt); err != nil {
		return fmt.Errorf("update room %s: %w", r.ID, err)
	}
	return nil
}

// RoomFilter selects rooms; empty fields select all.
type RoomFilter struct {
	ProgrammeID          string
	HostIDs              []string
	Status               room.Status
	City                 string
	MaxContributionCents int
	AvailableBy          string
	After                string
	Limit                int
}

// ListRooms returns up to f.Limit rooms after id f.After, in id order.
func (s *Store) ListRooms(ctx context.Context, f RoomFilter) ([]*room.Room, error) {
	var availableBy any
	if f.AvailableBy != "" {
		availableBy = f.AvailableBy
	}
	rows, err := s.pool.Query(ctx, `SELECT record FROM rooms
		WHERE ($1 = '' OR programme_id = $1) AND ($2::uuid[] IS NULL OR host_id = ANY($2::uuid[]))
		  AND ($3 = '' OR status = $3) AND ($4 = '' OR lower(city) = lower($4))
		  AND ($5 = 0 OR monthly_contribution_cents <= $5) AND ($6::date IS NULL OR available_from <= $6::date)
		  AND ($7 = '' OR id > NULLIF($7, '')::uuid)
		ORDER BY id LIMIT $8`,
		f.ProgrammeID, f.HostIDs, string(f.Status), f.City, f.MaxContributionCents, availableBy, f.After, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("list rooms: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*room.Room, error) { return scanRoom(row) })
}

// RoomsOfHost returns every room of a host, for changes that follow the host (its city).
func (s *Store) RoomsOfHost(ctx context.Context, hostID string) ([]*room.Room, error) {
	return s.ListRooms(ctx, RoomFilter{HostIDs: []string{hostID}, Limit: 1000})
}

func scanRoom(row pgx.Row) (*room.Room, error) {
	return pg.ScanRecord(row, "room", ErrRoomNotFound, room.FromRecord)
}

// Programme returns the copy of a programme's settings, and false when none arrived yet.
func (s *Store) Programme(ctx context.Context, id string) (*identityv1.ProgrammeSettings, bool, error) {
	return programmes.Get(ctx, s.pool, id)
}
