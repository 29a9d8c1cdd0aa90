// Package service assembles the identity service: its configuration, and Run, which a main or
// a test calls to serve until its context ends.
package service

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/cohabit/cohabit/services/identity/internal/app"
	"github.com/cohabit/cohabit/services/identity/internal/password"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
)

// Config is everything Run needs. LoadConfig fills it from the environment; a test or the
// all-in-one runner may build or adjust it directly (SigningKey, Ready, Now).
type Config struct {
	// Config is the part every service shares (boot.LoadConfig); its TokenKey, the public
	// half that verifies tokens, is derived from SigningKey by Run.
	boot.Config
	// SigningKey signs access tokens; its public half verifies them here and in every service.
	SigningKey ed25519.PrivateKey
	TokenTTL   time.Duration
	// HostsAddr and StudentsAddr are where identity reads, as a service, a record its copy
	// does not hold yet when a coordinator invites its person (both, and the service's private
	// key, or no such reads: the copy fed by events alone).
	HostsAddr    string
	StudentsAddr string
	// Argon2id cost of new password hashes. Old hashes keep verifying at their own cost and are
	// moved to this one at their owner's next sign-in.
	Argon2Time      uint32
	Argon2MemoryKiB uint32
	Argon2Threads   uint8
	// The admin account created at start when no account has this email (both or neither).
	BootstrapAdminEmail    string
	BootstrapAdminPassword string
	// DevSeed makes sure the demo programme and demo accounts of SPEC §5 exist. Development
	// only: their passwords are public.
	DevSeed bool
	// Now is the clock (time.Now when nil); tests move it to expire sign-in lockouts.
	Now func() time.Time
}

// Environment variables read by LoadConfig.
const (
	EnvTokenPrivateKeyFile    = "COHABIT_TOKEN_PRIVATE_KEY_FILE"
	EnvTokenTTL               = "COHABIT_TOKEN_TTL"
	EnvArgon2Time             = "COHABIT_ARGON2_TIME"
	EnvArgon2MemoryKiB        = "COHABIT_ARGON2_MEMORY_KIB"
	EnvArgon2Threads          = "COHABIT_ARGON2_THREADS"
	EnvBootstrapAdminEmail    = "COHABIT_BOOTSTRAP_ADMIN_EMAIL"
	EnvBootstrapAdminPassword = "COHABIT_BOOTSTRAP_ADMIN_PASSWORD"
	EnvDevSeed                = "COHABIT_DEV_SEED"
	EnvHostsAddr              = "COHABIT_HOSTS_GRPC_ADDR"
	EnvStudentsAddr           = "COHABIT_STUDENTS_GRPC_ADDR"
)

// maxTokenTTL keeps tokens short-lived, and within what every service's list of ended
// sessions remembers (app.MaxTokenLife, revocation.Window).
const maxTokenTTL = app.MaxTokenLife

// LoadConfig reads the configuration through getenv with safe local defaults, and reports every
// bad value at once. The token key is read from COHABIT_TOKEN_PRIVATE_KEY_FILE when set;
// otherwise the caller must set Config.SigningKey before Run.
func LoadConfig(getenv func(string) string) (Config, error) {
	env := config.New(getenv)
	cfg := Config{
		Config: boot.LoadConfig(env, "identity", "localhost:9101"),
		// Short-lived: the web application slides its session at half-life, and a token
		// that leaks is worth a quarter of an hour at most even if nobody revokes it.
		TokenTTL:               env.Duration(EnvTokenTTL, 15*time.Minute),
		BootstrapAdminEmail:    env.String(EnvBootstrapAdminEmail, ""),
		BootstrapAdminPassword: env.String(EnvBootstrapAdminPassword, ""),
		DevSeed:                env.Bool(EnvDevSeed, false),
		// The same variables, and defaults, as the hosts and students services listen on.
		HostsAddr:    env.String(EnvHostsAddr, "localhost:9102"),
		StudentsAddr: env.String(EnvStudentsAddr, "localhost:9103"),
	}
	var problems []error
	argonTime := env.Int(EnvArgon2Time, 2)
	argonMem := env.Int(EnvArgon2MemoryKiB, 64*1024)
	argonThreads := env.Int(EnvArgon2Threads, 1)
	// Range checks before the narrowing conversions, so a huge value cannot wrap into a valid one.
	if argonTime < 1 || argonTime > 100 {
		problems = append(problems, fmt.Errorf("%s=%d: must be between 1 and 100", EnvArgon2Time, argonTime))
		argonTime = 1
	}
	if argonMem < 8 || argonMem > 4<<20 {
		problems = append(problems, fmt.Errorf("%s=%d: must be between 8 and %d (4 GiB)", EnvArgon2MemoryKiB, argonMem, 4<<20))
		argonMem = 8
	}
	if argonThreads < 1 || argonThreads > 255 {
		problems = append(problems, fmt.Errorf("%s=%d: must be between 1 and 255", EnvArgon2Threads, argonThreads))
		argonThreads = 1
	}
	cfg.Argon2Time, cfg.Argon2MemoryKiB, cfg.Argon2Threads = uint32(argonTime), uint32(argonMem), uint8(argonThreads)

	if path := env.String(EnvTokenPrivateKeyFile, ""); path != "" {
		key, err := auth.LoadPrivateKey(path)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", EnvTokenPrivateKeyFile, err))
		}
		cfg.SigningKey = key
	}
	if err := env.Err(); err != nil {
		problems = append([]error{err}, problems...)
	}
	if err := cfg.validate(); err != nil {
		problems = append(problems, err)
	}
	if len(problems) > 0 {
		return cfg, fmt.Errorf("identity: %w", errors.Join(problems...))
	}
	return cfg, nil
}

// validate checks what LoadConfig and a hand-built Config must both get right; the token key is
// checked by Run, since a caller may set it after LoadConfig.
func (c Config) validate() error {
	var problems []error
	if c.TokenTTL <= 0 || c.TokenTTL > maxTokenTTL {
		problems = append(problems, fmt.Errorf("token TTL %s must be positive and at most %s", c.TokenTTL, maxTokenTTL))
	}
	if err := c.argon2().Validate(); err != nil {
		problems = append(problems, err)
	}
	if (c.BootstrapAdminEmail == "") != (c.BootstrapAdminPassword == "") {
		problems = append(problems, fmt.Errorf("%s and %s go together", EnvBootstrapAdminEmail, EnvBootstrapAdminPassword))
	}
	return errors.Join(problems...)
}

func (c Config) argon2() password.Params {
	return password.Params{Time: c.Argon2Time, MemoryKiB: c.Argon2MemoryKiB, Threads: c.Argon2Threads}
}
