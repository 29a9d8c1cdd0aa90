// Command benchseed fills a running platform with a realistic programme through the public
// REST API, for scripts/bench-http.sh: verified hosts each with one published room, and
// verified students each with a submitted application, around Lyon, with budgets and dates
// that make most pairs feasible. It waits until matching has taken every application into its
// pool (the candidates of the first room, which every student can take, number them all),
// signs in to the web application as the coordinator (login page, CSRF token, POST /login),
// and prints what the load step needs as shell assignments:
//
//	BENCH_TOKEN=<the coordinator's bearer token>
//	BENCH_SESSION=<the web session cookie's value>
//	BENCH_ROOM=<the first room's id>
//
// Usage: benchseed -url http://127.0.0.1:8080 [-hosts 100] [-students 500] [-concurrency 8]
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

const (
	coordinatorEmail    = "coordinator@demo.cohabit.test"
	coordinatorPassword = "coordinator-demo-password"
	// Lyon, Place Bellecour: hosts and places of study are spread around it.
	lyonLat, lyonLng = 45.7578, 4.8320
)

var services = []string{"SERVICE_COMPANY", "SERVICE_SHOPPING", "SERVICE_MEALS",
	"SERVICE_DIGITAL_HELP", "SERVICE_ERRANDS", "SERVICE_GARDENING", "SERVICE_SMALL_REPAIRS"}
var rhythms = []string{"RHYTHM_EARLY", "RHYTHM_LATE", "RHYTHM_FLEXIBLE"}
var genders = []string{"GENDER_FEMALE", "GENDER_MALE", "GENDER_OTHER"}
var languages = [][]string{{"fr"}, {"fr", "en"}, {"fr", "es"}, {"fr", "it"}, {"fr", "de"}}

// Places around Lyon: a city name and how far (km) the generated points stray from Bellecour.
var cities = []struct {
	name   string
	spread float64
}{{"Lyon", 4}, {"Villeurbanne", 6}, {"Caluire-et-Cuire", 6}, {"Oullins", 7}, {"Bron", 8}}

type client struct {
	base  string
	token string
	http  *http.Client
}

// call sends body (nil for none) as JSON and decodes the answer into out (nil to ignore it);
// anything but 200 is an error carrying the answer.
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
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, res.StatusCode, bytes.TrimSpace(b))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

type idOnly struct {
	ID string `json:"id"`
}

// point returns a point about spread km from Bellecour, in a random direction.
func point(r *rand.Rand, spread float64) (lat, lng float64) {
	d := spread * math.Sqrt(r.Float64())
	a := 2 * math.Pi * r.Float64()
	lat = lyonLat + d*math.Cos(a)/111.0
	lng = lyonLng + d*math.Sin(a)/(111.0*math.Cos(lyonLat*math.Pi/180))
	return math.Round(lat*1e5) / 1e5, math.Round(lng*1e5) / 1e5
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func some(r *rand.Rand, s []string, n int) []string {
	p := r.Perm(len(s))
	out := make([]string, 0, n)
	for _, i := range p[:n] {
		out = append(out, s[i])
	}
	return out
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// seedHost registers, verifies a host, adds a room and publishes it; it returns the room's id.
// The first one (i == 0) is a room every student can take: central, cheap, available early.
func seedHost(ctx context.Context, c *client, i int, today time.Time) (string, error) {
	r := rand.New(rand.NewPCG(uint64(i), 1))
	city := pick(r, cities)
	lat, lng := point(r, city.spread)
	if i == 0 {
		city.name, lat, lng = "Lyon", lyonLat, lyonLng
	}
	birth := today.AddDate(-(62 + r.IntN(25)), -r.IntN(12), -r.IntN(28))
	host := map[string]any{
		"displayName": fmt.Sprintf("Hôte %03d", i),
		"birthDate":   day(birth),
		"phone":       fmt.Sprintf("+33 4 78 %02d %02d %02d", i/10000%100, i/100%100, i%100),
		"address": map[string]any{
			"line1": fmt.Sprintf("%d rue de la République", 1+i%200), "postcode": "69002",
			"city": city.name, "lat": lat, "lng": lng,
		},
		"languages":           pick(r, languages),
		"servicesWanted":      some(r, services, 1+r.IntN(3)),
		"hoursWantedPerWeek":  r.IntN(6),
		"nightsWantedPerWeek": r.IntN(5),
		"rhythm":              pick(r, rhythms),
		"assisted":            true,
		"consentRecorded":     true,
	}
	var h idOnly
	if err := c.call(ctx, http.MethodPost, "/v1/hosts", host, &h); err != nil {
		return "", err
	}
	if err := c.call(ctx, http.MethodPost, "/v1/hosts/"+h.ID+":verify", map[string]any{}, nil); err != nil {
		return "", err
	}
	contribution := 5000 * r.IntN(5) // 0 to 200 EUR a month
	from := today.AddDate(0, 0, 7+r.IntN(30))
	if i == 0 {
		contribution, from = 10000, today.AddDate(0, 0, 7)
	}
	room := map[string]any{
		"title":                    fmt.Sprintf("Chambre %03d", i),
		"description":              "Chambre meublée, lumineuse, accès cuisine et salle de bains.",
		"areaM2":                   9 + r.IntN(12),
		"floor":                    r.IntN(6),
		"elevator":                 r.IntN(2) == 0,
		"furnished":                true,
		"privateBathroom":          r.IntN(4) == 0,
		"monthlyContributionCents": contribution,
		"availableFrom":            day(from),
	}
	var rm idOnly
	if err := c.call(ctx, http.MethodPost, "/v1/hosts/"+h.ID+"/rooms", room, &rm); err != nil {
		return "", err
	}
	if err := c.call(ctx, http.MethodPost, "/v1/rooms/"+rm.ID+":publish", map[string]any{}, nil); err != nil {
		return "", err
	}
	return rm.ID, nil
}

// seedStudent registers and verifies a student, and submits her application. Every student
// studies within 8 km of Bellecour, accepts a 10 km commute or more and a budget of 150 EUR
// or more, and moves in after the first room is available: she can take the first room.
func seedStudent(ctx context.Context, c *client, i int, today time.Time) error {
	r := rand.New(rand.NewPCG(uint64(i), 2))
	city := pick(r, cities)
	lat, lng := point(r, city.spread)
	birth := today.AddDate(-(18 + r.IntN(10)), -r.IntN(12), -r.IntN(28))
	student := map[string]any{
		"displayName":          fmt.Sprintf("Étudiant·e %04d", i),
		"birthDate":            day(birth),
		"email":                fmt.Sprintf("bench-student-%04d@example.org", i),
		"institution":          pick(r, []string{"Université Lyon 1", "Université Lyon 2", "INSA Lyon", "ENS de Lyon"}),
		"studyPlace":           map[string]any{"lat": lat, "lng": lng, "city": city.name},
		"maxCommuteKm":         10 + r.IntN(21),
		"languages":            pick(r, languages),
		"gender":               pick(r, genders),
		"servicesOffered":      some(r, services, 1+r.IntN(4)),
		"hoursOfferedPerWeek":  r.IntN(8),
		"nightsPresentPerWeek": r.IntN(6),
		"rhythm":               pick(r, rhythms),
		"motivation":           "Je cherche une chambre calme près de mon lieu d'études.",
	}
	var s idOnly
	if err := c.call(ctx, http.MethodPost, "/v1/students", student, &s); err != nil {
		return err
	}
	if err := c.call(ctx, http.MethodPost, "/v1/students/"+s.ID+":verify", map[string]any{}, nil); err != nil {
		return err
	}
	in := today.AddDate(0, 0, 30+r.IntN(60))
	app := map[string]any{
		"budgetCents": 15000 + 5000*r.IntN(5), // 150 to 350 EUR a month
		"moveInDate":  day(in),
		"moveOutDate": day(in.AddDate(0, 6+r.IntN(7), 0)),
	}
	return c.call(ctx, http.MethodPost, "/v1/students/"+s.ID+"/applications", app, nil)
}

// parallel runs f(0..n-1), workers at a time, and returns the first error (the calls not
// yet started are skipped then).
func parallel(ctx context.Context, n, workers int, f func(ctx context.Context, i int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error { return f(ctx, i) })
	}
	return g.Wait()
}

// countCandidates counts the room's candidates, page by page.
func countCandidates(ctx context.Context, c *client, room string) (int, error) {
	total, token := 0, ""
	for range 1000 {
		var page struct {
			Candidates    []json.RawMessage `json:"candidates"`
			NextPageToken string            `json:"nextPageToken"`
		}
		path := "/v1/rooms/" + room + "/candidates?pageSize=100"
		if token != "" {
			path += "&pageToken=" + url.QueryEscape(token)
		}
		if err := c.call(ctx, http.MethodGet, path, nil, &page); err != nil {
			return 0, err
		}
		total += len(page.Candidates)
		if page.NextPageToken == "" {
			return total, nil
		}
		token = page.NextPageToken
	}
	return 0, errors.New("candidates: more than 1000 pages")
}

var csrfRe = regexp.MustCompile(`name="csrf"\s+value="([^"]+)"`)

// webSession signs in to the web application as a browser does and returns the session
// cookie's value, after checking that the coordinator's dashboard answers 200 with it.
func webSession(ctx context.Context, base string) (string, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return "", err
	}
	hc := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	get := func(path string) (int, string, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return 0, "", err
		}
		res, err := hc.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return res.StatusCode, string(b), err
	}
	code, page, err := get("/login")
	if err != nil {
		return "", err
	}
	m := csrfRe.FindStringSubmatch(page)
	if code != http.StatusOK || m == nil {
		return "", fmt.Errorf("GET /login: HTTP %d, CSRF field found: %v", code, m != nil)
	}
	form := url.Values{"csrf": {m[1]}, "email": {coordinatorEmail}, "password": {coordinatorPassword}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := hc.Do(req) // follows the redirect to /coordinator
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	u, _ := url.Parse(base)
	session := ""
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "cohabit_session" {
			session = ck.Value
		}
	}
	if session == "" {
		return "", fmt.Errorf("POST /login: HTTP %d and no session cookie", res.StatusCode)
	}
	if code, _, err := get("/coordinator"); err != nil || code != http.StatusOK {
		return "", fmt.Errorf("GET /coordinator after sign-in: HTTP %d (%v)", code, err)
	}
	return session, nil
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the gateway's base URL")
	hosts := flag.Int("hosts", 100, "hosts to register, each with one published room")
	students := flag.Int("students", 500, "students to register, each with a submitted application")
	workers := flag.Int("concurrency", 8, "requests in flight while seeding")
	wait := flag.Duration("wait", 2*time.Minute, "how long to wait for matching to see every application")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("benchseed: ")
	if *hosts < 1 || *students < 1 || *workers < 1 {
		log.Fatal("-hosts, -students and -concurrency must be at least 1")
	}
	ctx := context.Background()
	hc := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: *workers},
	}
	c := &client{base: strings.TrimRight(*base, "/"), http: hc}

	var login struct {
		AccessToken string `json:"accessToken"`
	}
	if err := c.call(ctx, http.MethodPost, "/v1/auth/login",
		map[string]string{"email": coordinatorEmail, "password": coordinatorPassword}, &login); err != nil {
		log.Fatal(err)
	}
	c.token = login.AccessToken
	today := time.Now().UTC()

	start := time.Now()
	rooms := make([]string, *hosts)
	err := parallel(ctx, *hosts, *workers, func(ctx context.Context, i int) error {
		id, err := seedHost(ctx, c, i, today)
		rooms[i] = id
		return err
	})
	if err != nil {
		log.Fatalf("hosts: %v", err)
	}
	log.Printf("%d hosts verified, each with a published room, in %s", *hosts, time.Since(start).Round(time.Millisecond))

	start = time.Now()
	if err := parallel(ctx, *students, *workers, func(ctx context.Context, i int) error { return seedStudent(ctx, c, i, today) }); err != nil {
		log.Fatalf("students: %v", err)
	}
	log.Printf("%d students verified, each with a submitted application, in %s", *students, time.Since(start).Round(time.Millisecond))

	// Matching learns of rooms and applications through events: wait until its pool holds
	// them all, so that the load measures the full ranking.
	start = time.Now()
	for {
		n, err := countCandidates(ctx, c, rooms[0])
		if err != nil {
			log.Fatal(err)
		}
		if n >= *students {
			log.Printf("matching ranks all %d students for the first room (waited %s)", n, time.Since(start).Round(time.Millisecond))
			break
		}
		if time.Since(start) > *wait {
			log.Fatalf("matching ranks %d of %d students for the first room after %s", n, *students, *wait)
		}
		time.Sleep(500 * time.Millisecond)
	}

	session, err := webSession(ctx, c.base)
	if err != nil {
		log.Fatalf("web sign-in: %v", err)
	}
	fmt.Printf("BENCH_TOKEN=%s\nBENCH_SESSION=%s\nBENCH_ROOM=%s\n", c.token, session, rooms[0])
	os.Stdout.Sync()
}
