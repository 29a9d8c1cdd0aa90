package app

import (
	"context"

	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// ExportStudent returns a student and all her applications, for her export (SPEC §9).
// GetStudent's rule applies: her own account or a coordinator of her programme.
func (a *App) ExportStudent(ctx context.Context, id string) (*student.Student, []*application.Application, error) {
	s, err := a.GetStudent(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	apps, err := a.store.ListApplications(ctx, postgres.ApplicationFilter{StudentID: s.ID(), Limit: 10000})
	if err != nil {
		return nil, nil, err
	}
	return s, apps, nil
}
