package article_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/article"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/testfix/seedsource"
)

// hangingImages is the reference article with its images localised from a
// loopback host that never answers; arrived gets a value per request.
func hangingImages(t *testing.T) (*article.Pipeline, article.Input, chan struct{}) {
	t.Helper()
	page := seedsource.Page(t)
	arrived := make(chan struct{}, 64)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	d := &net.Dialer{}
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}
	cfg, err := config.Load("../../examples/goodnews.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pipe, err := article.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	src := &cfg.Sources[0]
	src.Images.Localize = true
	in := article.Input{Source: src, Channel: &src.Channels[8],
		Item: feed.Item{URL: seedURL, Title: "标题"},
		Page: &fetch.Response{URL: seedURL, Body: page},
		Images: fetch.New(cfg.Fetch, fetch.WithDial(dial), fetch.Allow("127.0.0.1"),
			fetch.WithTLS(&tls.Config{InsecureSkipVerify: true}))} // the images are https; 30 s timeout
	return pipe, in, arrived
}

func TestRunOverItsBudgetFailsTransiently(t *testing.T) {
	pipe, in, _ := hangingImages(t)
	ctx, cancel := article.WithBudget(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := pipe.Run(ctx, in)
	var over *article.BudgetError
	if !errors.As(err, &over) || over.Budget != 300*time.Millisecond {
		t.Fatalf("result %v, err %v; want a *BudgetError of 300ms", res, err)
	}
	if !fetch.Transient(err) {
		t.Errorf("%v is not transient: the article would not be tried again", err)
	}
}

func TestRunReturnsWhenCancelledMidArticle(t *testing.T) {
	pipe, in, arrived := hangingImages(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := pipe.Run(ctx, in)
		done <- err
	}()
	select {
	case <-arrived: // an image is being fetched
	case err := <-done:
		t.Fatalf("Run ended before any image was asked for: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second): // a deadlock guard, not a speed target
		t.Fatal("Run still going 30 s after its context was cancelled")
	}
}

func TestOverBudgetLeavesOtherErrorsAlone(t *testing.T) {
	ctx, cancel := article.WithBudget(context.Background(), time.Hour)
	defer cancel()
	notFound := &fetch.StatusError{Code: 404, URL: "http://x/"}
	if err := article.OverBudget(ctx, notFound); err != notFound {
		t.Errorf("OverBudget(404) = %v, want the 404 as is", err)
	}
	ctx, cancel = article.WithBudget(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	var over *article.BudgetError
	if err := article.OverBudget(ctx, ctx.Err()); !errors.As(err, &over) {
		t.Errorf("OverBudget(deadline) = %v, want a *BudgetError", err)
	}
}
