package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/auth"
)

// Demo data of SPEC §5, for development only. The programme id is fixed so that links and
// bookmarks survive a restart.
const (
	DemoProgrammeID         = "demo"
	DemoAdminEmail          = "admin@demo.cohabit.test"
	DemoAdminPassword       = "admin-demo-password"
	DemoCoordinatorEmail    = "coordinator@demo.cohabit.test"
	DemoCoordinatorPassword = "coordinator-demo-password"
	demoProgrammeName       = "Cohabit Démo — Lyon"
	demoProgrammeTerritory  = "Lyon et Métropole de Lyon"
	demoProgrammeEmail      = "contact@demo.cohabit.test"
	demoProgrammePhone      = "+33 4 00 00 00 00"
)

// EnsureAccount creates a staff account unless one already has the email. Nothing changes for
// an existing account, not even its password: the environment must not silently reset what
// someone changed. It bypasses authorization: it is for start-up, never for a request.
func (a *App) EnsureAccount(ctx context.Context, in NewAccount) error {
	email := account.NormaliseEmail(in.Email)
	_, err := a.store.AccountByEmail(ctx, email)
	if err == nil {
		return nil
	}
	if !errors.Is(err, account.ErrNotFound) {
		return fmt.Errorf("ensure account %s: %w", email, err)
	}
	acct, err := account.Create(account.Draft{
		ID: uuid.NewString(), Email: email, Password: in.Password, Role: in.Role, ProgrammeID: in.ProgrammeID,
	}, a.hasher, a.now())
	if err != nil {
		return fmt.Errorf("ensure account %s: %w", email, err)
	}
	err = a.store.CreateAccount(ctx, acct)
	if errors.Is(err, account.ErrEmailTaken) {
		return nil // another replica starting at the same time made it
	}
	if err != nil {
		return fmt.Errorf("ensure account %s: %w", email, err)
	}
	a.log.InfoContext(ctx, "account created at start", "account", acct.ID(), "role", string(acct.Role()))
	return nil
}

// SeedDemo makes sure the demo programme and its admin and coordinator exist. Idempotent.
func (a *App) SeedDemo(ctx context.Context) error {
	_, err := a.store.Programme(ctx, DemoProgrammeID)
	if errors.Is(err, programme.ErrNotFound) {
		p, err := programme.New(DemoProgrammeID, programme.Fields{
			Name: demoProgrammeName, Territory: demoProgrammeTerritory,
			Phone: demoProgrammePhone, Email: demoProgrammeEmail,
			Settings: programme.DefaultSettings(),
		}, a.now())
		if err != nil {
			return fmt.Errorf("seed demo programme: %w", err)
		}
		if _, err := a.store.CreateProgramme(ctx, p, ""); err != nil && !errors.Is(err, programme.ErrExists) {
			return fmt.Errorf("seed demo programme: %w", err)
		}
	} else if err != nil {
		return fmt.Errorf("seed demo programme: %w", err)
	}
	if err := a.EnsureAccount(ctx, NewAccount{Email: DemoAdminEmail, Password: DemoAdminPassword, Role: auth.RoleAdmin}); err != nil {
		return err
	}
	return a.EnsureAccount(ctx, NewAccount{
		Email: DemoCoordinatorEmail, Password: DemoCoordinatorPassword, Role: auth.RoleCoordinator, ProgrammeID: DemoProgrammeID,
	})
}
