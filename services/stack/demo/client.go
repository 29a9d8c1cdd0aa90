package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// client calls the public REST API as one person (token empty: nobody signed in).
type client struct {
	base  string
	http  *http.Client
	token string
}

func (c *client) as(token string) *client {
	return &client{base: c.base, http: c.http, token: token}
}

// apiError is an answer other than 200, with the google.rpc.Status it carried.
type apiError struct {
	method, path string
	status       int
	body         string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.method, e.path, e.status, e.body)
}

// statusOf is the HTTP status of an API error, 0 for any other error.
func statusOf(err error) int {
	var e *apiError
	if errors.As(err, &e) {
		return e.status
	}
	return 0
}

// call sends body (nil for none) as JSON and decodes the answer into out (nil to ignore it).
func (c *client) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return &apiError{method: method, path: path, status: res.StatusCode, body: string(bytes.TrimSpace(b))}
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

func (c *client) get(ctx context.Context, path string, out any) error {
	return c.call(ctx, http.MethodGet, path, nil, out)
}

func (c *client) post(ctx context.Context, path string, body, out any) error {
	if body == nil {
		body = map[string]any{}
	}
	return c.call(ctx, http.MethodPost, path, body, out)
}

// login signs in and returns the bearer token.
func (c *client) login(ctx context.Context, email, password string) (string, error) {
	var r struct {
		AccessToken string `json:"accessToken"`
	}
	if err := c.post(ctx, "/v1/auth/login", map[string]string{"email": email, "password": password}, &r); err != nil {
		return "", err
	}
	return r.AccessToken, nil
}

// withRequestID adds the create call's request id, which makes a second seed find the
// record the first one created instead of creating another.
func withRequestID(path, id string) string {
	return path + "?requestId=" + url.QueryEscape(id)
}

// eventually retries f until it succeeds: services learn of each other's records through
// events, so a call that depends on another service's record may be refused until the event
// arrives (not found, failed precondition, a conflict). Other errors end it at once.
func eventually(ctx context.Context, wait time.Duration, f func() error) error {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	for {
		err := f()
		switch statusOf(err) {
		case 0:
			if !errors.Is(err, errNotYet) {
				return err // nil included
			}
		case http.StatusNotFound, http.StatusBadRequest, http.StatusConflict, http.StatusForbidden:
		default:
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("still failing after %s: %w", wait, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// errNotYet tells eventually to try again: what f waits for has not happened yet.
var errNotYet = errors.New("not yet")
