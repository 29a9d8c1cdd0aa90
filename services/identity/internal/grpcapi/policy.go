package grpcapi

import (
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/grpcx"
)

// anyAccount is every person's role: the methods that act on the caller's own account.
var anyAccount = grpcx.Roles(auth.RoleAdmin, auth.RoleCoordinator, auth.RoleHost, auth.RoleStudent)

// Policy is who may call each method at all. Record rules (a coordinator changes only their
// own programme) are the use cases'.
var Policy = grpcx.Policy{
	identityv1.IdentityService_Login_FullMethodName:  grpcx.Public,
	identityv1.IdentityService_Signup_FullMethodName: grpcx.Public,
	// Sign-up forms list programmes before anyone has an account; programmes hold no
	// personal data.
	identityv1.IdentityService_ListProgrammes_FullMethodName: grpcx.Public,
	identityv1.IdentityService_GetProgramme_FullMethodName:   grpcx.Public,
	identityv1.IdentityService_GetMe_FullMethodName:          anyAccount,
	// Any signed-in account slides its own session; the token names whose.
	identityv1.IdentityService_RefreshToken_FullMethodName: anyAccount,
	// Any signed-in account ends its own session; the token names which.
	identityv1.IdentityService_Logout_FullMethodName: anyAccount,
	// The use case keeps a coordinator to the accounts of their programme.
	identityv1.IdentityService_RevokeSessions_FullMethodName:  grpcx.Roles(auth.RoleAdmin, auth.RoleCoordinator),
	identityv1.IdentityService_CreateAccount_FullMethodName:   grpcx.Roles(auth.RoleAdmin),
	identityv1.IdentityService_CreateProgramme_FullMethodName: grpcx.Roles(auth.RoleAdmin),
	identityv1.IdentityService_UpdateProgramme_FullMethodName: grpcx.Roles(auth.RoleAdmin, auth.RoleCoordinator),
	// A coordinator invites; the use case keeps them to their programme's records.
	identityv1.IdentityService_InviteHost_FullMethodName:    grpcx.Roles(auth.RoleCoordinator),
	identityv1.IdentityService_InviteStudent_FullMethodName: grpcx.Roles(auth.RoleCoordinator),
	// Only the notifications service, which emails the code, reads it: no person, not even
	// the coordinator who invited, ever sees a code that is not theirs.
	identityv1.IdentityService_GetInvitationCode_FullMethodName: grpcx.Roles(auth.RoleService),
	// Only a service reads an account by id (the notifications service, to write to the owner
	// of an address someone signed up with): a person reads their own with GetMe.
	identityv1.IdentityService_GetAccount_FullMethodName: grpcx.Roles(auth.RoleService),
}
