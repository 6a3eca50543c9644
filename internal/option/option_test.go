package option_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/newsmirror/newsmirror/internal/option"
)

type retention struct{ Keep, Length int }

func (r retention) Validate() error {
	var errs option.Errors
	if r.Keep < 1 {
		errs.Addf("keep", "must be at least 1, got %d", r.Keep)
	}
	if r.Length < 1 {
		errs.Add("length", errors.New("must be positive"))
	}
	return errs.Err()
}

var _ option.Validator = retention{}

func TestFieldsListsEveryProblemOfAValidation(t *testing.T) {
	if err := (retention{1, 1}).Validate(); err != nil || option.Fields(err) != nil {
		t.Errorf("valid options: %v", err)
	}
	err := option.Under("publish", retention{0, 0}.Validate())
	var got []string
	for _, fe := range option.Fields(err) {
		got = append(got, fe.Field+" = "+fe.Err.Error())
	}
	want := []string{"publish.keep = must be at least 1, got 0", "publish.length = must be positive"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("fields = %q, want %q", got, want)
	}
	var fe *option.FieldError
	if !errors.As(err, &fe) || fe.Field != "publish.keep" {
		t.Errorf("errors.As finds %+v", fe)
	}
	plain := option.Fields(errors.New("boom"))
	if len(plain) != 1 || plain[0].Field != "" || plain[0].Err.Error() != "boom" {
		t.Errorf("a plain error becomes %+v", plain)
	}
}
