package fakenews

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/config"
)

func TestGenerateIsDeterministicAndSized(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if _, err := WriteCorpus(dir, 30, 7); err != nil {
			t.Fatal(err)
		}
	}
	err := filepath.WalkDir(filepath.Join(a, CorpusDir), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		x, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(a, p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed (%v)", rel, err)
		}
		if strings.HasSuffix(p, ".html") && (len(x) < minSize || len(x) > maxSize+8<<10) {
			t.Errorf("%s is %d bytes, want 5–150 KB", rel, len(x))
		}
		if strings.HasSuffix(p, ".html") && !bytes.Contains(x, []byte(`<div class="article_right"`)) {
			t.Errorf("%s has no div.article_right", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestServeRefusesNonLoopbackAddresses(t *testing.T) {
	if _, _, err := ServeCorpus(t.TempDir(), "0.0.0.0:0"); err == nil {
		t.Fatal("Serve listened on 0.0.0.0")
	}
}

func TestConfigMirrorsServedFeeds(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteCorpus(dir, 9, 1); err != nil {
		t.Fatal(err)
	}
	addr, stop, err := ServeCorpus(dir, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	cfg, err := config.Parse("bench.yaml", []byte(CorpusConfig(addr, filepath.Join(dir, "mirror"))))
	if err != nil {
		t.Fatal(err)
	}
	feed := cfg.Sources[0].Channels[0].Feed
	resp, err := http.Get(feed)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("<item>")) {
		t.Errorf("feed %s: status %d, %d bytes without an item", feed, resp.StatusCode, len(body))
	}
}
