package site_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// FuzzLocalPath: whatever next a link carries, sign-in sends the browser to a path of this
// site — never to another host, however a browser might read the Location (issue 18:
// login?next=/%09/evil.example/ redirected off-site).
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/coordinator", "/host?x=1#a", "//evil.example", "/\\evil.example", "/\t/evil.example/", "https://evil.example", "/%2F%2Fevil", " /x", "/x\n", "", "javascript:alert(1)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := webapp.LocalPath(next, "/")
		if got == "/" {
			return
		}
		// What a browser does with a Location: strip tabs and newlines, read backslashes as
		// slashes, then resolve against the site.
		seen := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		base, _ := url.Parse("https://cohabit.example/login")
		u, err := base.Parse(seen)
		if err != nil || u.Host != "cohabit.example" || !strings.HasPrefix(got, "/") {
			t.Fatalf("next %q gave %q, which a browser reads as %v (%v)", next, got, u, err)
		}
	})
}
