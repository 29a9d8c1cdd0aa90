package journey

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// pdfText is the text of pdf as poppler's pdftotext reads it, whitespace collapsed, and
// false when pdftotext is missing (make test installs it: scripts/ensure-poppler.sh); with
// CI=true its absence fails the test.
func pdfText(t *testing.T, pdf []byte) (string, bool) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing (Debian's poppler-utils; scripts/ensure-poppler.sh installs it)")
		}
		t.Log("pdftotext is missing: the contract's text is not checked")
		return "", false
	}
	file := filepath.Join(t.TempDir(), "contract.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(string(out), "\u00a0", " ")), " "), true
}

var uuidRE = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// checkContractText: the printed contract names the association of the demo programme, the
// host with her address (the housing's) and the student with her details — read by the
// contracts service from hosts and students with its service identity — and no id.
func checkContractText(t *testing.T, pdf []byte, want ...string) {
	t.Helper()
	text, ok := pdfText(t, pdf)
	if !ok {
		return
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the contract document lacks %q", w)
		}
	}
	if m := uuidRE.FindString(text); m != "" {
		t.Errorf("the contract document prints an id: %q", m)
	}
}
