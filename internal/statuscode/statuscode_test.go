package statuscode

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCode(t *testing.T) {
	for status, want := range map[int]string{
		404: "NotFound",
		418: "ImATeapot",
		422: "UnprocessableEntity",
		405: "MethodNotAllowed",
		499: "Status499",
	} {
		assert.Equal(t, want, Code(status), "%d", status)
	}
}
