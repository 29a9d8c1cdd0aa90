package grpcapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/export"
)

// maxExported bounds the notifications of one export: years of a person's messages.
const maxExported = 10000

// Exporter is the notifications service's part of a person's export (SPEC §9): every
// notification recorded for them, as the API lists them, and their channels and language.
func Exporter(store *postgres.Store) export.Exporter {
	return func(ctx context.Context, p export.Person) (export.Part, error) {
		caller, err := export.Caller(ctx)
		if err != nil {
			return export.Part{}, err
		}
		programme, account, ok, err := person(ctx, store.Pool, p.ID)
		if err != nil || !ok || !export.MayRead(caller, programme, account) {
			return export.Part{}, err
		}
		ns, err := store.List(ctx, postgres.Filter{RecipientIDs: []string{p.ID}, Limit: maxExported})
		if err != nil {
			return export.Part{}, err
		}
		out := make([]proto.Message, 0, len(ns))
		for _, n := range ns {
			out = append(out, toProto(n))
		}
		fields := map[string]any{"notifications": out}
		if account != "" {
			st, _, err := store.Settings(ctx, account)
			if err != nil {
				return export.Part{}, err
			}
			fields["notificationSettings"] = map[string]any{"email": st.Email, "sms": st.SMS, "language": st.Language}
		}
		return export.Part{Fields: fields}, nil
	}
}

// person reads the copy of who a host or student is: her programme and account.
func person(ctx context.Context, pool *pgxpool.Pool, id string) (programme, account string, ok bool, err error) {
	err = pool.QueryRow(ctx, `SELECT programme_id, coalesce(account_id, '') FROM people WHERE id = $1`, id).Scan(&programme, &account)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("read person %s: %w", id, err)
	}
	return programme, account, true, nil
}
