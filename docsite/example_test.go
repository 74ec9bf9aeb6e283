package docsite_test

import (
	"context"
	"fmt"
	"log"

	"github.com/apienvelope/apienvelope/docsite"
	"github.com/apienvelope/apienvelope/envelope"
	"github.com/apienvelope/apienvelope/middleware"
)

var errUnknownUser = envelope.Declare(envelope.StatusNotFound, "UnknownUser", "No user has the id {id}", "id")

type userParams struct {
	ID int `json:"id" envelope:"required" doc:"The user's id." example:"7"`
}

type user struct {
	ID   int    `json:"id"`
	Name string `json:"name" doc:"The user's full name."`
}

func ExampleNew() {
	router := middleware.NewRouter(middleware.RouterOptions{})
	router.Action("users", "get", envelope.ActionWith(envelope.ActionOptions{
		Title:  "Get a user",
		Errors: []*envelope.Error{errUnknownUser},
	}, func(_ context.Context, p userParams) (user, error) {
		return user{}, errUnknownUser.With("id", p.ID)
	}))

	site, err := docsite.New(router.Describe(), docsite.Options{Host: "https://api.example.com"})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range site.Paths() {
		fmt.Println(p)
	}
	// The router serves the same pages at /api/docs/v1/; site.WriteDir
	// writes them as files.

	// Output:
	// assets/style.css
	// assets/try.js
	// controllers/users.html
	// controllers/users/get.html
	// index.html
	// openapi-3.0.json
	// openapi.json
	// structures/User.html
}
