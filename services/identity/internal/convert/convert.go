// Package convert translates between the domain and its protobuf form, which both the API
// and the events (whose payloads carry whole programmes) use.
package convert

import (
	"strings"

	"google.golang.org/protobuf/types/known/timestamppb"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/invitation"
	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/auth"
)

// Programme returns p as the API shows it.
func Programme(p *programme.Programme) *identityv1.Programme {
	f := p.Fields()
	return &identityv1.Programme{
		Id:         p.ID(),
		Name:       f.Name,
		Territory:  f.Territory,
		Phone:      f.Phone,
		Email:      f.Email,
		Settings:   Settings(f.Settings),
		Etag:       p.Etag(),
		CreateTime: timestamppb.New(p.CreateTime()),
		UpdateTime: timestamppb.New(p.UpdateTime()),
	}
}

// Settings returns s in its protobuf form.
func Settings(s programme.Settings) *identityv1.ProgrammeSettings {
	out := &identityv1.ProgrammeSettings{
		HostMinAge:           int32(s.HostMinAge),
		StudentMaxAge:        int32(s.StudentMaxAge),
		ContributionCapCents: int32(s.ContributionCapCents),
		NoticeDays:           int32(s.NoticeDays),
		TrialDays:            int32(s.TrialDays),
		TrialNoticeDays:      int32(s.TrialNoticeDays),
		CheckinIntervalDays:  int32(s.CheckinIntervalDays),
		CheckinGraceDays:     int32(s.CheckinGraceDays),
		ProposalExpiryDays:   int32(s.ProposalExpiryDays),
		DocumentWarningDays:  int32(s.DocumentWarningDays),
		RetentionMonths:      int32(s.RetentionMonths),
	}
	for _, k := range s.HostRequiredDocuments {
		out.HostRequiredDocuments = append(out.HostRequiredDocuments, documentKind(k))
	}
	for _, k := range s.StudentRequiredDocuments {
		out.StudentRequiredDocuments = append(out.StudentRequiredDocuments, documentKind(k))
	}
	if a := s.Association; a != (programme.Association{}) {
		out.Association = &identityv1.Association{
			LegalName: a.LegalName, Registration: a.Registration,
			AddressLine1: a.AddressLine1, Postcode: a.Postcode, City: a.City,
			RepresentativeName: a.RepresentativeName, RepresentativeTitle: a.RepresentativeTitle,
			Phone: a.Phone, Email: a.Email,
		}
	}
	for _, d := range s.CheckinFirstDays {
		out.CheckinFirstDays = append(out.CheckinFirstDays, int32(d))
	}
	for _, f := range s.Formulas {
		out.Formulas = append(out.Formulas, &identityv1.Formula{
			Id:                   f.ID,
			Name:                 f.Name,
			MinContributionCents: int32(f.MinContributionCents),
			MaxContributionCents: int32(f.MaxContributionCents),
			EveningsPerWeek:      int32(f.EveningsPerWeek),
			HoursPerWeek:         int32(f.HoursPerWeek),
		})
	}
	return out
}

// ProgrammeFields reads what a caller may set from p (nil reads as empty).
func ProgrammeFields(p *identityv1.Programme) programme.Fields {
	return programme.Fields{
		Name:      p.GetName(),
		Territory: p.GetTerritory(),
		Phone:     p.GetPhone(),
		Email:     p.GetEmail(),
		Settings:  SettingsFrom(p.GetSettings()),
	}
}

// SettingsFrom reads settings from their protobuf form (nil reads as all zero).
func SettingsFrom(s *identityv1.ProgrammeSettings) programme.Settings {
	out := programme.Settings{
		HostMinAge:           int(s.GetHostMinAge()),
		StudentMaxAge:        int(s.GetStudentMaxAge()),
		ContributionCapCents: int(s.GetContributionCapCents()),
		NoticeDays:           int(s.GetNoticeDays()),
		TrialDays:            int(s.GetTrialDays()),
		TrialNoticeDays:      int(s.GetTrialNoticeDays()),
		CheckinIntervalDays:  int(s.GetCheckinIntervalDays()),
		CheckinGraceDays:     int(s.GetCheckinGraceDays()),
		ProposalExpiryDays:   int(s.GetProposalExpiryDays()),
		DocumentWarningDays:  int(s.GetDocumentWarningDays()),
		RetentionMonths:      int(s.GetRetentionMonths()),
	}
	for _, k := range s.GetHostRequiredDocuments() {
		out.HostRequiredDocuments = append(out.HostRequiredDocuments, documentKindName(k))
	}
	for _, k := range s.GetStudentRequiredDocuments() {
		out.StudentRequiredDocuments = append(out.StudentRequiredDocuments, documentKindName(k))
	}
	if a := s.GetAssociation(); a != nil {
		out.Association = programme.Association{
			LegalName: a.GetLegalName(), Registration: a.GetRegistration(),
			AddressLine1: a.GetAddressLine1(), Postcode: a.GetPostcode(), City: a.GetCity(),
			RepresentativeName: a.GetRepresentativeName(), RepresentativeTitle: a.GetRepresentativeTitle(),
			Phone: a.GetPhone(), Email: a.GetEmail(),
		}
	}
	for _, d := range s.GetCheckinFirstDays() {
		out.CheckinFirstDays = append(out.CheckinFirstDays, int(d))
	}
	for _, f := range s.GetFormulas() {
		out.Formulas = append(out.Formulas, programme.Formula{
			ID:                   f.GetId(),
			Name:                 f.GetName(),
			MinContributionCents: int(f.GetMinContributionCents()),
			MaxContributionCents: int(f.GetMaxContributionCents()),
			EveningsPerWeek:      int(f.GetEveningsPerWeek()),
			HoursPerWeek:         int(f.GetHoursPerWeek()),
		})
	}
	return out
}

// Account returns a as the API shows it; the password hash never leaves the service.
func Account(a *account.Account) *identityv1.Account {
	return &identityv1.Account{
		Id:          a.ID(),
		Email:       a.Email(),
		Role:        Role(a.Role()),
		ProgrammeId: a.ProgrammeID(),
		HostId:      a.HostID(),
		StudentId:   a.StudentID(),
		Etag:        a.Etag(),
		CreateTime:  timestamppb.New(a.CreateTime()),
		UpdateTime:  timestamppb.New(a.UpdateTime()),
	}
}

// Role returns the API's name of r; the internal service role has none.
func Role(r auth.Role) typev1.Role {
	switch r {
	case auth.RoleAdmin:
		return typev1.Role_ROLE_ADMIN
	case auth.RoleCoordinator:
		return typev1.Role_ROLE_COORDINATOR
	case auth.RoleHost:
		return typev1.Role_ROLE_HOST
	case auth.RoleStudent:
		return typev1.Role_ROLE_STUDENT
	}
	return typev1.Role_ROLE_UNSPECIFIED
}

// RoleFrom reads a role from the API; unspecified or unknown values read as "" (no role).
func RoleFrom(r typev1.Role) auth.Role {
	switch r {
	case typev1.Role_ROLE_ADMIN:
		return auth.RoleAdmin
	case typev1.Role_ROLE_COORDINATOR:
		return auth.RoleCoordinator
	case typev1.Role_ROLE_HOST:
		return auth.RoleHost
	case typev1.Role_ROLE_STUDENT:
		return auth.RoleStudent
	}
	return ""
}

// RecordKind is k as the API and the events name it.
func RecordKind(k account.RecordKind) identityv1.RecordKind {
	switch k {
	case account.RecordHost:
		return identityv1.RecordKind_RECORD_KIND_HOST
	case account.RecordStudent:
		return identityv1.RecordKind_RECORD_KIND_STUDENT
	}
	return identityv1.RecordKind_RECORD_KIND_UNSPECIFIED
}

// Invitation is inv as a coordinator sees it: without its code, which only its person gets.
func Invitation(inv invitation.Invitation) *identityv1.Invitation {
	return &identityv1.Invitation{
		Id: inv.ID, ProgrammeId: inv.ProgrammeID, RecordKind: RecordKind(inv.Kind), RecordId: inv.RecordID,
		InviteExpiresAt: timestamppb.New(inv.ExpireTime), CreateTime: timestamppb.New(inv.CreateTime),
	}
}

// documentKind writes a kind name (IDENTITY) as its enum.
func documentKind(k string) typev1.DocumentKind {
	return typev1.DocumentKind(typev1.DocumentKind_value["DOCUMENT_KIND_"+k])
}

// documentKindName reads an enum as its kind name; an unknown or unset value reads as its
// enum name, which validation then refuses.
func documentKindName(k typev1.DocumentKind) string {
	name, ok := strings.CutPrefix(k.String(), "DOCUMENT_KIND_")
	if !ok || k == typev1.DocumentKind_DOCUMENT_KIND_UNSPECIFIED {
		return k.String()
	}
	return name
}
