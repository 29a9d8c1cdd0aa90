package page_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/page"
)

const id = "0190a5d2-7c4e-7b3a-9f10-0123456789ab"

func TestBounds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in        page.Request
		wantAfter string
		wantLimit int
	}{
		{page.Request{}, "", page.DefaultSize},
		{page.Request{Size: -3}, "", page.DefaultSize},
		{page.Request{Size: 1}, "", 1},
		{page.Request{Size: page.MaxSize}, "", page.MaxSize},
		{page.Request{Size: page.MaxSize + 1}, "", page.MaxSize},
		{page.Request{Size: 10, Token: id}, id, 10},
	} {
		after, limit, err := tc.in.Bounds()
		if err != nil || after != tc.wantAfter || limit != tc.wantLimit {
			t.Errorf("%+v: got (%q, %d, %v), want (%q, %d, nil)", tc.in, after, limit, err, tc.wantAfter, tc.wantLimit)
		}
	}
}

func TestBadToken(t *testing.T) {
	t.Parallel()
	for _, tok := range []string{"garbage", "1", id + "0", "' OR 1=1 --"} {
		_, _, err := page.Request{Token: tok}.Bounds()
		if !errors.Is(err, page.ErrBadToken) {
			t.Fatalf("token %q: %v", tok, err)
		}
		e, ok := errs.As(err)
		if !ok || e.Code != codes.InvalidArgument || len(e.Violations) != 1 || e.Violations[0].Field != "pageToken" {
			t.Fatalf("token %q: %#v", tok, e)
		}
	}
}

func TestNext(t *testing.T) {
	t.Parallel()
	items := func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out
	}
	id := func(i int) string { return strconv.Itoa(i) }
	for _, tc := range []struct {
		n, limit int
		want     string
	}{
		{0, 3, ""},  // empty: no next page
		{2, 3, ""},  // short page: the last one
		{3, 3, "3"}, // full page: there may be more after its last item
		{0, 0, ""},
	} {
		if got := page.Next(items(tc.n), tc.limit, id); got != tc.want {
			t.Errorf("Next(%d items, limit %d) = %q, want %q", tc.n, tc.limit, got, tc.want)
		}
	}
}

func TestCheckQuery(t *testing.T) {
	if err := page.CheckQuery(strings.Repeat("é", page.MaxQuery)); err != nil {
		t.Errorf("%d characters refused: %v", page.MaxQuery, err)
	}
	err := page.CheckQuery(strings.Repeat("a", page.MaxQuery+1))
	e, ok := errs.As(err)
	if !ok || e.Code != codes.InvalidArgument || len(e.Violations) != 1 || e.Violations[0].Field != "query" {
		t.Errorf("%d characters: %v", page.MaxQuery+1, err)
	}
}
