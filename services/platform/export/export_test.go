package export_test

import (
	"encoding/json"
	"testing"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/export"
)

func TestMayRead(t *testing.T) {
	for _, c := range []struct {
		name   string
		caller auth.Principal
		owner  string
		want   bool
	}{
		{"the programme's coordinator", auth.Principal{AccountID: "c", Role: auth.RoleCoordinator, ProgrammeID: "p"}, "", true},
		{"another programme's coordinator", auth.Principal{AccountID: "c", Role: auth.RoleCoordinator, ProgrammeID: "q"}, "", false},
		{"the person", auth.Principal{AccountID: "a", Role: auth.RoleStudent, ProgrammeID: "p"}, "a", true},
		{"someone else", auth.Principal{AccountID: "b", Role: auth.RoleStudent, ProgrammeID: "p"}, "a", false},
		{"anyone, of a person without account", auth.Principal{AccountID: "", Role: auth.RoleHost, ProgrammeID: "p"}, "", false},
		{"an admin", auth.Principal{AccountID: "x", Role: auth.RoleAdmin}, "a", false},
		{"a service", auth.Principal{AccountID: "a", Role: auth.RoleService}, "a", false},
	} {
		if got := export.MayRead(c.caller, "p", c.owner); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestEncodeWritesTheAPIsJSON(t *testing.T) {
	doc, err := export.Encode(map[string]any{
		"host":  &hostsv1.Host{Id: "h1", DisplayName: "Jeanne"},
		"rooms": []proto.Message{&hostsv1.Room{Id: "r1"}},
		"other": map[string]int{"n": 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Host  map[string]any   `json:"host"`
		Rooms []map[string]any `json:"rooms"`
		Other map[string]int   `json:"other"`
	}
	if err := json.Unmarshal(doc, &got); err != nil {
		t.Fatal(err)
	}
	if got.Host["displayName"] != "Jeanne" || len(got.Rooms) != 1 || got.Rooms[0]["id"] != "r1" || got.Other["n"] != 1 {
		t.Errorf("encoded %s", doc)
	}
}
