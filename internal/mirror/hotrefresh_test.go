package mirror_test

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

func TestQuietRunsRefreshTheHotListHourlyWhenItChanged(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	const hotFile = "indexes/热点推荐.md"
	at := func(d time.Duration) time.Time { return runTime.Add(d) }
	quiet := func(d time.Duration) (head string, rep string) {
		t.Helper()
		r := syncAt(t, cfg, site.client(), at(d))
		if len(r.Written) > 0 {
			t.Fatalf("run at +%s wrote pages %v; the feeds list nothing new", d, r.Written)
		}
		return gitOut(t, out, "rev-parse", "HEAD"), r.Commit
	}

	syncAt(t, cfg, site.client(), at(0))
	first := gitOut(t, out, "rev-parse", "HEAD")
	countHits(t, cfg, at(10*time.Minute), map[string]int{"pages/china/201.md": 4, "pages/world/102.md": 2})

	// Within the hour: the hot list is not looked at.
	if head, _ := quiet(30 * time.Minute); head != first {
		t.Fatalf("a quiet run 30 minutes after the last made a commit")
	}
	if hot := readFile(t, out, hotFile); strings.Contains(hot, "pages/") {
		t.Fatalf("hot list refreshed within the hour:\n%s", hot)
	}

	// An hour on, the hits changed the list: it and the home page are
	// rebuilt and committed, the channel indexes are left alone.
	head, commit := quiet(65 * time.Minute)
	if head == first || commit != head {
		t.Fatalf("a quiet run an hour later, with new hits, made no commit")
	}
	hot := readFile(t, out, hotFile)
	assertOrder(t, hot, "[大陆新闻一则](../pages/china/201.md", "[第二篇 世界新闻](../pages/world/102.md")
	if home := readFile(t, out, "README.md"); !strings.Contains(home, "热点推荐.md?t=01130925") {
		t.Errorf("refreshed home page links the hot list without the new stamp (01130925):\n%s", home)
	}
	changed := strings.Fields(gitOut(t, out, "-c", "core.quotePath=false", "show", "--format=", "--name-only", "HEAD"))
	if strings.Join(changed, " ") != "README.md "+hotFile {
		t.Errorf("refresh commit changed %v, want the home page and the hot list only", changed)
	}

	// An hour later with no new hits: looked at, unchanged, no commit.
	if h, _ := quiet(2*time.Hour + 10*time.Minute); h != head {
		t.Errorf("a quiet run whose hot list is unchanged made a commit")
	}
	// New hits soon after that look wait for the next hour.
	countHits(t, cfg, at(2*time.Hour+20*time.Minute), map[string]int{"pages/world/101.md": 9})
	if h, _ := quiet(2*time.Hour + 40*time.Minute); h != head {
		t.Errorf("hot list refreshed 30 minutes after it was last looked at")
	}
	if h, _ := quiet(3*time.Hour + 15*time.Minute); h == head {
		t.Errorf("hot list with a new first page not refreshed an hour after the last look")
	}
	assertOrder(t, readFile(t, out, hotFile), "[第一篇 世界新闻](../pages/world/101.md", "[大陆新闻一则](../pages/china/201.md")

	// Turned off: the list waits for new articles.
	cfg.Site.HotRefresh = 0
	countHits(t, cfg, at(4*time.Hour), map[string]int{"pages/world/103.md": 30})
	last := gitOut(t, out, "rev-parse", "HEAD")
	if h, _ := quiet(6 * time.Hour); h != last {
		t.Errorf("site.hot_refresh 0: a quiet run refreshed the hot list")
	}
}
