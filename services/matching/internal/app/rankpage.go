package app

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/cohabit/cohabit/services/platform/errs"
)

// A ranking pages by keyset, like every list, on the order it sorts by: points, highest
// first, then id. A page token names the last item shown, so the next page goes on after it
// even when the pool moved in between: nothing is shown twice, and a newcomer ranked above
// the cursor belongs to a page already read (asking page one again shows it).

// errBadRankToken is a page token that no ranking gave.
var errBadRankToken = errs.Invalid(errs.Violation{Field: "pageToken", Description: "is not a token this ranking gave"})

type rankKey struct {
	points int
	id     string
}

// before reports whether k ranks before o: more points, or as many and a smaller id.
func (k rankKey) before(o rankKey) bool {
	return k.points > o.points || k.points == o.points && k.id < o.id
}

func (k rankKey) token() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(k.points) + ":" + k.id))
}

func parseRankToken(tok string) (rankKey, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return rankKey{}, errBadRankToken
	}
	p, id, ok := strings.Cut(string(b), ":")
	n, err := strconv.Atoi(p)
	if !ok || err != nil || id == "" {
		return rankKey{}, errBadRankToken
	}
	return rankKey{points: n, id: id}, nil
}

// rankPage cuts the page of size after token ("" for the first) out of ranked, sorted best
// first by key, and returns the token of the next page ("" after the last).
func rankPage[T any](ranked []T, size int, token string, key func(T) rankKey) ([]T, string, error) {
	start := 0
	if token != "" {
		after, err := parseRankToken(token)
		if err != nil {
			return nil, "", err
		}
		for start < len(ranked) && !after.before(key(ranked[start])) {
			start++
		}
	}
	end := min(len(ranked), start+rankSize(size))
	next := ""
	if end < len(ranked) {
		next = key(ranked[end-1]).token()
	}
	return ranked[start:end], next, nil
}
