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

// DemoAssociation is the demo programme's association, as its contracts print it: fictional
// (the registration number is not a real one, the addresses end in .test).
func DemoAssociation() programme.Association {
	return programme.Association{
		LegalName: "Association Toit Partagé Lyonnais (démonstration)", Registration: "RNA W000000000",
		AddressLine1: "8 rue de la Charité", Postcode: "69002", City: "Lyon",
		RepresentativeName: "Hélène Garnier", RepresentativeTitle: "présidente",
		Phone: demoProgrammePhone, Email: demoProgrammeEmail,
	}
}

// SeedDemo makes sure the demo programme and its admin and coordinator exist, and that the
// programme has its association's identity (a demo programme seeded before it had one gets
// it). Idempotent.
func (a *App) SeedDemo(ctx context.Context) error {
	prog, err := a.store.Programme(ctx, DemoProgrammeID)
	if err == nil && prog.Settings().Association == (programme.Association{}) {
		now := a.now()
		_, err = a.store.UpdateProgramme(ctx, DemoProgrammeID, func(p *programme.Programme) error {
			if p.Settings().Association != (programme.Association{}) {
				return nil
			}
			return p.Update("", programme.Fields{Settings: programme.Settings{Association: DemoAssociation()}}, []string{"settings.association"}, now)
		})
		if err != nil {
			return fmt.Errorf("seed demo programme's association: %w", err)
		}
	}
	if errors.Is(err, programme.ErrNotFound) {
		settings := programme.DefaultSettings()
		settings.Association = DemoAssociation()
		p, err := programme.New(DemoProgrammeID, programme.Fields{
			Name: demoProgrammeName, Territory: demoProgrammeTerritory,
			Phone: demoProgrammePhone, Email: demoProgrammeEmail,
			Settings: settings,
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
