package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/store"
)

const statusConfig = `output: {dir: out}
publish:
  remotes:
    - {name: github, url: "git@github.com:o/r.git"}
    - {name: gitlab, url: "git@gitlab.com:o/r.git"}
    - {name: codeberg, url: "git@codeberg.org:o/r.git"}
sources:
  - id: ex
    rules: {body: div}
    channels:
      - {id: world, name: 看世界, feed: "http://news.example.test/world.xml"}
      - {id: china, name: 看大陆, feed: "http://news.example.test/china.xml"}
      - {id: gone, name: 停刊, feed: "http://news.example.test/gone.xml"}
`

// statusState writes statusConfig into a temporary folder and opens the
// state database it names; the caller closes it.
func statusState(t *testing.T) (path string, db *store.Store) {
	t.Helper()
	dir := t.TempDir()
	path = filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(path, []byte(statusConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(dir, "out", ".newsmirror", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	return path, db
}

func TestStatusShowsChannelsAndExitsNonZeroOnFailingOnes(t *testing.T) {
	path, db := statusState(t)
	ctx := context.Background()
	for i, ch := range []string{"world", "world", "china"} {
		id := string(rune('1' + i))
		a := store.Article{URL: "http://news.example.test/" + id + ".html", Source: "ex", Channel: ch, ID: id,
			Path: "pages/" + ch + "/" + id + ".md", Mirrored: time.Now().Add(-time.Hour)}
		if err := db.SavePending(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	db.SaveFailure(ctx, store.Failure{URL: "http://news.example.test/9.html", Source: "ex", Channel: "gone", Host: "news.example.test",
		Reason: "fetch http://news.example.test/9.html: HTTP 410 Gone", Class: store.Permanent, At: time.Now().Add(-8 * 24 * time.Hour)})
	// The newest page of china came from the fallback: its selector broke.
	db.MarkFallback(ctx, "http://news.example.test/3.html", true)
	now := time.Now()
	db.RecordHealth(ctx, store.Event{Subject: store.SubjectExtract, Source: "ex", Channel: "china", Fallbacks: 1,
		URL: "http://news.example.test/3.html", Err: "body selector matched nothing", At: now})
	read := func(ch string, items int, at time.Time) store.Event {
		return store.Event{Subject: store.SubjectFeed, Source: "ex", Channel: ch, OK: 1, Items: items, At: at}
	}
	failed := func(ch, msg string, at time.Time) store.Event {
		return store.Event{Subject: store.SubjectFeed, Source: "ex", Channel: ch, Failed: 1, Items: -1, Err: msg, At: at}
	}
	db.RecordHealth(ctx, store.Event{Subject: store.SubjectExtract, Source: "ex", Channel: "world", OK: 1, At: now,
		Warning: "text lost: the body keeps 40% of the visible text of the source (http://news.example.test/1.html)"})
	db.RecordHealth(ctx, read("world", 20, now))
	db.RecordHealth(ctx, read("gone", 3, now.Add(-3*time.Hour)))
	db.RecordHealth(ctx, read("china", 15, now.Add(-3*time.Hour)))
	db.RecordHealth(ctx, failed("china", "fetch http://news.example.test/china.xml: HTTP 500 Internal Server Error", now.Add(-2*time.Hour)))
	db.RecordHealth(ctx, failed("china", "fetch http://news.example.test/china.xml: HTTP 502 Bad Gateway", now.Add(-time.Hour)))
	db.SavePush(ctx, "github", time.Now(), "0123456789abcdef", "")
	db.SavePush(ctx, "gitlab", time.Now(), "0123456789abcdef", "push gitlab: exit status 128: could not read from remote")
	db.AddHits(ctx, []store.HitCount{{Path: "pages/world/1.md", Hour: time.Now().Truncate(time.Hour), Count: 7}})
	db.Close()

	code, stdout, stderr := run(t, "status", "-c", path)
	if code != cli.ExitAttention {
		t.Errorf("exit %d, want %d\n%s%s", code, cli.ExitAttention, stdout, stderr)
	}
	for _, want := range []string{
		"SOURCE/CHANNEL", "  20     0           2      ", // world: 20 items at the last read, no failure, 2 pages
		"  2           1      ",  // china: 2 feed failures in a row, 1 page
		"HTTP 502 Bad Gateway\n", // china's newest error is its feed's
		"HTTP 410 Gone",
		"hits since ", ": 7 on 1 files",
		"REMOTE", "github    20", "0123456789", "codeberg  -",
		"needs attention (4):\n",
		"  ex/world: the last article extracted lost text (1 so far): text lost: the body keeps 40% of the visible text of the source (http://news.example.test/1.html)\n",
		"  ex/china: feed failed 2 times in a row; last: fetch http://news.example.test/china.xml: HTTP 502 Bad Gateway\n",
		"  ex/china: selector broken? its newest page was extracted by the fallback (1 of 1 live pages); last: body selector matched nothing (http://news.example.test/3.html)\n",
		"  ex/gone: no page mirrored yet, 1 articles failed; last: fetch http://news.example.test/9.html: HTTP 410 Gone\n",
		"  remote gitlab: last push failed: push gitlab: exit status 128: could not read from remote\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, stdout)
		}
	}
}

func TestStatusOfANeverSyncedMirrorNeedsAttention(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	os.WriteFile(path, []byte(statusConfig), 0o644)
	code, stdout, _ := run(t, "status", "-c", path)
	if code != cli.ExitAttention || !strings.Contains(stdout, "no state database at ") {
		t.Errorf("exit %d\n%s", code, stdout)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), "out")); err == nil {
		t.Error("status created the mirror folder")
	}
}
