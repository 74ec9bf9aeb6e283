// Package declared: declared error variables, With and WithField on them,
// wrapping, and values followed through variables and closures.
package declared

import (
	"context"
	"errors"
	"fmt"

	"github.com/apienvelope/apienvelope/envelope"
)

var (
	ErrMessageNotFound = envelope.Declare(envelope.StatusNotFound, "MessageNotFound", "No message {id}", "id") // want ErrMessageNotFound:"returns not-found/MessageNotFound"
	ErrNoContent       = envelope.Declare(envelope.StatusError, "NoContent", "No content")                     // want ErrNoContent:"returns error/NoContent"
	ErrAlias           = ErrNoContent                                                                          // want ErrAlias:"returns error/NoContent"
	errPlain           = errors.New("not an envelope error")
)

type params struct{ ID int }

func get(ctx context.Context, p params) (any, error) { // want get:"returns error/NoContent not-found/MessageNotFound"
	if p.ID == 0 {
		return nil, ErrAlias.WithField("id")
	}
	return nil, ErrMessageNotFound.With("id", p.ID)
}

// wrap: fmt.Errorf with %w and errors.Join keep the codes (errors.As
// finds them); without %w, or errors.New, the error is unanticipated: a 500.
func wrap(ctx context.Context, p params) (any, error) { // want wrap:"returns error/NoContent not-found/MessageNotFound"
	switch p.ID {
	case 1:
		return nil, fmt.Errorf("get %d: %w", p.ID, ErrMessageNotFound)
	case 2:
		return nil, errors.Join(errPlain, ErrNoContent)
	case 3:
		return nil, fmt.Errorf("get %d: %v", p.ID, ErrNoContent)
	}
	return nil, errPlain
}

// variables: a value may be any assigned to the variable; errors.As puts
// the error in its target.
func variables(ctx context.Context, p params) (any, error) { // want variables:"returns error/Conflict error/Gone not-found/MessageNotFound"
	code := "Gone"
	if p.ID > 10 {
		code = "Conflict"
	}
	var err error = envelope.NewError(code, "")
	if p.ID == 3 {
		err = fmt.Errorf("wrapped: %w", ErrMessageNotFound)
		var e *envelope.Error
		if errors.As(err, &e) {
			return nil, e
		}
	}
	return nil, err
}

// closures: literals called in place or through a variable get their
// arguments.
func closures(ctx context.Context, p params) (any, error) { // want closures:"returns error/FromClosure error/InPlace"
	fail := func(code string) error { return envelope.NewError(code, "") }
	if p.ID == 1 {
		return nil, fail("FromClosure")
	}
	return nil, func() error { return envelope.NewError("InPlace", "") }()
}

// named results, assigned in a deferred function too.
func named(ctx context.Context, p params) (res any, err error) { // want named:"returns error/Deferred error/NoContent"
	defer func() {
		if err != nil {
			err = envelope.NewError("Deferred", "")
		}
	}()
	err = ErrNoContent
	return
}

func Routes() {
	envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{ErrMessageNotFound, ErrNoContent}}, get)
	envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{ErrMessageNotFound, ErrNoContent}}, wrap)
	envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{ErrMessageNotFound}}, variables) // want `action declared.variables returns codes it does not declare: error/Conflict \(declared.variables, declared.go:50\), error/Gone \(declared.variables, declared.go:50\)`
	envelope.ActionWith(envelope.ActionOptions{Errors: []*envelope.Error{ErrMessageNotFound}}, closures)  // want `returns codes it does not declare: error/FromClosure \(declared.closures, declared.go:64\), error/InPlace \(declared.closures, declared.go:68\)` `warning: action declared.closures declares a code it never returns: not-found/MessageNotFound`
	envelope.Action(named)                                                                                // want `action declared.named returns codes it does not declare: error/Deferred \(declared.named, declared.go:75\), error/NoContent \(declared.named, declared.go:15\)`

	// Options built in a variable, and from another.
	opts := envelope.ActionOptions{Title: "get"}
	opts.Errors = append(opts.Errors, ErrMessageNotFound)
	opts.Errors = append(opts.Errors, ErrNoContent)
	envelope.ActionWith(opts, get)
}
