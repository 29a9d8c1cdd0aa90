package service_test

import (
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// A coordinator finds a student by a part of her name, town of study, institution or email,
// case aside, in her own programme only.
func TestListStudentsQuery(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	other, _ := e.as(t, auth.RoleCoordinator, "paris")
	add := func(name, city, institution, email string) string {
		in := studentInput("2004-05-06")
		in.DisplayName, in.StudyPlace.City, in.Institution, in.Email = name, city, institution, email
		s, err := e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: in})
		if err != nil {
			t.Fatal(err)
		}
		return s.GetId()
	}
	lea := add("Léa Dubois", "Lyon", "Université Lyon 2", "lea@example.org")
	hugo := add("Hugo Petit", "Villeurbanne", "INSA", "hugo@example.org")
	in := studentInput("2004-05-06")
	in.DisplayName = "Léa Dubois"
	if _, err := e.client.CreateStudent(other, &studentsv1.CreateStudentRequest{Student: in}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{lea, hugo}},
		{"dubois", []string{lea}},
		{"insa", []string{hugo}},
		{"VILLEURBANNE", []string{hugo}},
		{"@example.org", []string{lea, hugo}},
		{"%", nil},
	} {
		res, err := e.client.ListStudents(coord, &studentsv1.ListStudentsRequest{Query: c.query})
		if err != nil {
			t.Fatalf("query %q: %v", c.query, err)
		}
		var got []string
		for _, s := range res.GetStudents() {
			got = append(got, s.GetId())
		}
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("query %q: %v, want %v", c.query, got, want)
		}
	}
	_, err := e.client.ListStudents(coord, &studentsv1.ListStudentsRequest{Query: strings.Repeat("é", 101)})
	svctest.WantCode(t, err, codes.InvalidArgument)
}
