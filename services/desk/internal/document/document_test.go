package document

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

func TestSniffReadsTheContentNotTheName(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"pdf", []byte("%PDF-1.7\n..."), "application/pdf"},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0}, "image/jpeg"},
		{"png", []byte("\x89PNG\r\n\x1a\n...."), "image/png"},
		{"text", []byte("hello"), ""},
		{"html", []byte("<html><body>x</body></html>"), ""},
		{"gif", []byte("GIF89a...."), ""},
		{"empty", nil, ""},
		{"too large", append([]byte("%PDF-"), make([]byte, MaxFileBytes)...), ""},
	} {
		got, err := Sniff(c.content)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("%s: %q %v", c.name, got, err)
		}
		if e, ok := errs.As(err); err != nil && (!ok || e.Violations[0].Field != "content") {
			t.Errorf("%s: the error names content: %v", c.name, err)
		}
	}
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	today := date.Of(now)
	d := New("d", "p", "o", PartyHost, KindHomeInsurance, true, "", now)
	if _, err := d.Verify(date.Date{}, false, today, now); !errors.Is(err, ErrNoFile) {
		t.Fatalf("verify a missing document: %v", err)
	}
	if err := d.Reject("illisible", now); !errors.Is(err, ErrNotReceived) {
		t.Fatalf("reject a missing document: %v", err)
	}
	d.Received(FileInfo{Name: "a.pdf", ContentType: "application/pdf", SizeBytes: 3, SHA256: "x"}, now)
	past := *d
	if _, err := past.Verify(today.AddDays(-1), false, today, now); err != nil || past.Status != StatusExpired || past.VerifiedAt == nil {
		t.Fatalf("a paper already past its expiry date is verified and expired: %v %+v", err, past)
	}
	drop, err := d.Verify(today.AddDays(10), false, today, now)
	if err != nil || drop || d.Status != StatusVerified || !d.HasFile {
		t.Fatalf("verified: %v %v %+v", drop, err, d)
	}
	if !d.Good(today.AddDays(10)) || d.Good(today.AddDays(11)) {
		t.Error("good until its expiry date, included")
	}
	if d.Expire(today.AddDays(10), now) || !d.Expire(today.AddDays(11), now) || d.Status != StatusExpired {
		t.Errorf("expired the day after its expiry date: %s", d.Status)
	}
	d.Received(FileInfo{Name: "b.pdf"}, now)
	if d.Status != StatusReceived || !d.ExpiryDate.IsZero() {
		t.Errorf("a new upload: %+v", d)
	}
	if err := d.Reject(" ", now); err == nil {
		t.Error("a rejection needs a reason")
	}
	if err := d.Reject("illisible", now); err != nil || d.Status != StatusRejected {
		t.Errorf("rejected: %v", err)
	}

	id := New("i", "p", "o", PartyStudent, KindIdentity, true, "", now)
	id.Received(FileInfo{Name: "cni.jpg"}, now)
	if drop, err := id.Verify(date.Date{}, false, today, now); err != nil || !drop || id.HasFile || id.File.Name != "" {
		t.Errorf("an identity paper's copy goes once verified: %v %v %+v", drop, err, id)
	}
	seen := New("s", "p", "o", PartyStudent, KindIdentity, true, "", now)
	if drop, err := seen.Verify(date.Date{}, true, today, now); err != nil || drop || !seen.SeenInPerson || seen.Status != StatusVerified {
		t.Errorf("seen in person: %v %v %+v", drop, err, seen)
	}
}

func TestRequirements(t *testing.T) {
	t.Parallel()
	r := DefaultRequirements()
	if got := r.For(PartyHost, true); !slices.Equal(got, []Kind{KindIdentity, KindHomeInsurance, KindLandlordNotice}) {
		t.Errorf("tenant host: %v", got)
	}
	if got := r.For(PartyHost, false); !slices.Equal(got, []Kind{KindIdentity, KindHomeInsurance}) {
		t.Errorf("host: %v", got)
	}
	if got := r.For(PartyStudent, true); !slices.Equal(got, []Kind{KindIdentity, KindProofOfSituation, KindLiabilityInsurance}) {
		t.Errorf("student: %v", got)
	}
}

func TestCleanFileName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"../../etc/passwd": "passwd", `C:\scan\cni.pdf`: "cni.pdf", "a\"b\n.pdf": "ab.pdf", "": "document", "..": "document"} {
		if got := CleanFileName(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
