package password

import (
	"strings"
	"testing"
)

// tiny is a cost that keeps tests fast; production uses far more memory.
var tiny = Params{Time: 1, MemoryKiB: 64, Threads: 1}

func TestHashVerify(t *testing.T) {
	t.Parallel()
	h, err := New(tiny)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := h.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("not a PHC string: %s", hash)
	}
	again, _ := h.Hash("correct horse battery")
	if again == hash {
		t.Fatal("two hashes of one password are equal: the salt is not fresh")
	}
	if ok, stale, err := h.Verify("correct horse battery", hash); !ok || stale || err != nil {
		t.Fatalf("right password: ok=%v stale=%v err=%v", ok, stale, err)
	}
	if ok, _, err := h.Verify("correct horse batterie", hash); ok || err != nil {
		t.Fatalf("wrong password: ok=%v err=%v", ok, err)
	}

	// A hash made at another cost still verifies, and says it is stale.
	stronger, _ := New(Params{Time: 2, MemoryKiB: 128, Threads: 1})
	if ok, stale, err := stronger.Verify("correct horse battery", hash); !ok || !stale || err != nil {
		t.Fatalf("old cost: ok=%v stale=%v err=%v", ok, stale, err)
	}
}

func TestVerifyRefusesMalformedHashes(t *testing.T) {
	t.Parallel()
	h, _ := New(tiny)
	for _, bad := range []string{
		"",
		"plain",
		"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHQ$a2V5",
		"$argon2id$v=19$m=64,t=1,p=1$!!$a2V5",
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$",
	} {
		if ok, _, err := h.Verify("whatever", bad); ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want an error", bad, ok, err)
		}
	}
}

func TestParamsValidate(t *testing.T) {
	t.Parallel()
	for _, p := range []Params{{0, 64, 1}, {1, 64, 0}, {1, 7, 1}, {1, 15, 2}} {
		if _, err := New(p); err == nil {
			t.Errorf("New(%+v) accepted", p)
		}
	}
}
