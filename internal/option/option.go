// Package option is the one contract every stage's options follow: a
// Validate() error method whose every problem is a *FieldError naming the
// YAML key it is about, so that config can report "file:line: key:
// message" for any stage the same way.
//
// Validate is the verb: it says whether options can work, and options
// that need a parsed form (regular expressions, selectors) keep it from
// there, as caddy's modules do in Provision/Validate. A stage that builds
// a separate compiled value from its options (extract.Rules.Compile) may
// keep that constructor, but reports its problems as *FieldError too.
package option

import (
	"errors"
	"fmt"
)

// Validator is implemented by every stage's options.
type Validator interface {
	// Validate returns nil, or every problem found, each a *FieldError
	// (several are joined with errors.Join).
	Validate() error
}

// FieldError is an option that does not work: Field is its YAML key below
// the options' own key, with an index for list items ("remove[2]",
// "sticky[0].file").
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %v", e.Field, e.Err) }
func (e *FieldError) Unwrap() error { return e.Err }

// Errorf is a *FieldError for field with a formatted message.
func Errorf(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: fmt.Errorf(format, args...)}
}

// Errors collects a validation's problems.
type Errors []error

// Add records err (nil is ignored) as a problem of field.
func (es *Errors) Add(field string, err error) {
	if err != nil {
		*es = append(*es, &FieldError{Field: field, Err: err})
	}
}

// Addf records a problem of field with a formatted message.
func (es *Errors) Addf(field, format string, args ...any) {
	*es = append(*es, Errorf(field, format, args...))
}

// Err is nil when nothing was recorded, else every problem joined.
func (es Errors) Err() error { return errors.Join(es...) }

// Fields lists the problems in err, which Validate returned: every
// *FieldError, joined or not; another error becomes a *FieldError with
// an empty Field.
func Fields(err error) []*FieldError {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*FieldError
		for _, e := range joined.Unwrap() {
			out = append(out, Fields(e)...)
		}
		return out
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return []*FieldError{fe}
	}
	return []*FieldError{{Err: err}}
}

// Under returns err with every field prefixed by prefix and a dot, for
// options nested in others (a blacklist under indexes).
func Under(prefix string, err error) error {
	var out Errors
	for _, fe := range Fields(err) {
		field := prefix
		if fe.Field != "" {
			field += "." + fe.Field
		}
		out.Add(field, fe.Err)
	}
	return out.Err()
}
