package article

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// BudgetError is an article that ran out of its time budget
// (fetch.article_timeout) before it was done. It says nothing about the
// article itself, so the failure is transient: the next run tries again.
type BudgetError struct {
	Budget time.Duration
	// Err is what was cut short.
	Err error
}

func (e *BudgetError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("article over its time budget of %s", e.Budget)
	}
	return fmt.Sprintf("article over its time budget of %s: %v", e.Budget, e.Err)
}

func (e *BudgetError) Unwrap() error { return e.Err }

// WithBudget returns ctx bounded by budget for one article's pipeline:
// every wait of the article ends when it does, its cause a *BudgetError.
func WithBudget(ctx context.Context, budget time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, budget, &BudgetError{Budget: budget})
}

// OverBudget returns err as a *BudgetError when the budget of ctx (made by
// WithBudget) ended and cut the article short; any other error as is.
func OverBudget(ctx context.Context, err error) error {
	var be *BudgetError
	if err == nil || !errors.As(context.Cause(ctx), &be) || errors.Is(err, be) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &BudgetError{Budget: be.Budget, Err: err}
	}
	return err
}
