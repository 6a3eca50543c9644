// Command chardeteval measures character-encoding detectors on Chinese news
// text: newsmirror's own decision (internal/decode, no label), and the
// universal detectors github.com/wlynxg/chardet (a port of Python's chardet)
// and github.com/gogs/chardet (saintfish/chardet's maintained fork, a port
// of ICU's detector). Each sample is encoded in GB18030 (GBK), Big5, UTF-8 or
// Windows-1252 and given to every detector without any label; a detector is
// right when it names that encoding or a superset reading the same bytes
// (GB2312/GBK/GB18030, ISO-8859-1/Windows-1252, ASCII/UTF-8).
//
// It lives in a module of its own so that the detectors it compares do not
// become dependencies of newsmirror:
//
//	cd tools/chardeteval && go run . -fixtures ../../../shared/fixtures/real
//
// Samples are the stories of internal/decode's tests plus, with -fixtures,
// the titles and article paragraphs of the real feeds and pages there
// (converted with internal/zhconv to Simplified for GB18030 and to
// Traditional for Big5).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	gogs "github.com/gogs/chardet"
	wlynxg "github.com/wlynxg/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/newsmirror/newsmirror/internal/decode"
	"github.com/newsmirror/newsmirror/internal/zhconv"
)

func main() {
	fixtures := flag.String("fixtures", "", "folder of real feeds and pages (shared/fixtures/real) to take more text from")
	flag.Parse()
	if err := run(*fixtures); err != nil {
		fmt.Fprintln(os.Stderr, "chardeteval:", err)
		os.Exit(1)
	}
}

// sample is one text to encode.
type sample struct {
	text, size string // size: "short" (4 characters), "title" (< 40 Chinese characters), "paragraph", "page"
	western    bool
}

// detector names the encoding of b.
type detector struct {
	name   string
	detect func(b []byte) string
}

var detectors = []detector{
	{"newsmirror decode", func(b []byte) string {
		_, d := decode.Decode(decode.Input{Body: b, Kind: decode.HTML})
		return d.Encoding
	}},
	{"wlynxg/chardet v1.0.5", func(b []byte) string { return wlynxg.Detect(b).Encoding }},
	{"gogs/chardet (saintfish)", func(b []byte) string {
		r, err := gogs.NewTextDetector().DetectBest(b)
		if err != nil {
			return ""
		}
		return r.Charset
	}},
}

// target is an encoding samples are written in.
type target struct {
	name string
	enc  encoding.Encoding
	// conv converts a Chinese sample to the script the encoding is used
	// for; nil for Western samples.
	conv    *zhconv.Converter
	western bool
}

func run(fixtures string) error {
	t2s, err := zhconv.New("t2s")
	if err != nil {
		return err
	}
	s2tw, err := zhconv.New("s2tw")
	if err != nil {
		return err
	}
	samples := ownSamples()
	if fixtures != "" {
		real, err := realSamples(fixtures)
		if err != nil {
			return err
		}
		samples = append(samples, real...)
	}
	samples = append(samples, shortSamples(samples)...)
	targets := []target{
		{name: "gb18030", enc: simplifiedchinese.GBK, conv: t2s},
		{name: "big5", enc: traditionalchinese.Big5, conv: s2tw},
		{name: "utf-8", enc: encoding.Nop, conv: t2s},
		{name: "windows-1252", enc: charmap.Windows1252, western: true},
	}
	type key struct{ det, target, size string }
	right, total := map[key]int{}, map[key]int{}
	spent := map[string]time.Duration{}
	wrong := map[key]map[string]int{}
	for _, tg := range targets {
		for _, s := range samples {
			if s.western != tg.western {
				continue
			}
			text := s.text
			if tg.conv != nil {
				text = tg.conv.Text(text)
			}
			b, err := tg.enc.NewEncoder().Bytes([]byte(text))
			if err != nil {
				continue // a character the encoding lacks
			}
			for _, d := range detectors {
				start := time.Now()
				got := family(d.detect(b))
				spent[d.name] += time.Since(start)
				for _, k := range []key{{d.name, tg.name, s.size}, {d.name, tg.name, "all"}} {
					total[k]++
					if got == tg.name {
						right[k]++
					} else {
						if wrong[k] == nil {
							wrong[k] = map[string]int{}
						}
						wrong[k][got]++
					}
				}
			}
		}
	}
	fmt.Printf("samples: %d (own and real text; each encoded in every encoding it fits)\n\n", len(samples))
	fmt.Println("| detector | encoding | 4 characters | titles | paragraphs | pages | all | wrong answers (all) |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---|")
	for _, d := range detectors {
		for _, tg := range targets {
			row := fmt.Sprintf("| %s | %s |", d.name, tg.name)
			for _, size := range []string{"short", "title", "paragraph", "page", "all"} {
				k := key{d.name, tg.name, size}
				row += fmt.Sprintf(" %d/%d |", right[k], total[k])
			}
			fmt.Println(row, describe(wrong[key{d.name, tg.name, "all"}]), "|")
		}
	}
	fmt.Println()
	for _, d := range detectors {
		n := 0
		for _, tg := range targets {
			n += total[key{d.name, tg.name, "all"}]
		}
		fmt.Printf("%s: %.1f µs per sample\n", d.name, float64(spent[d.name].Microseconds())/float64(max(n, 1)))
	}
	return nil
}

// family folds the names detectors give to the four encodings.
func family(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "gb"):
		return "gb18030"
	case strings.Contains(n, "big5"):
		return "big5"
	case n == "utf-8" || n == "ascii" || n == "utf8":
		return "utf-8"
	case n == "windows-1252" || n == "iso-8859-1" || n == "latin1" || n == "iso-8859-15":
		return "windows-1252"
	case n == "":
		return "(none)"
	}
	return n
}

func describe(m map[string]int) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// ownSamples are texts written for this project: the stories of
// internal/decode's tests and Western news sentences.
func ownSamples() []sample {
	var out []sample
	for _, s := range stories {
		out = append(out, sample{text: s[0], size: "title"}, sample{text: s[1], size: "paragraph"})
	}
	out = append(out, sample{text: wrapPage(flatten(stories)), size: "page"})
	for _, w := range western {
		size := "paragraph"
		if utf8.RuneCountInString(w) < 80 {
			size = "title"
		}
		out = append(out, sample{text: w, size: size, western: true})
	}
	out = append(out, sample{text: wrapPage(western), size: "page", western: true})
	return out
}

func flatten(s [][2]string) []string {
	var out []string
	for _, x := range s {
		out = append(out, x[0], x[1])
	}
	return out
}

// wrapPage puts paragraphs into the markup of a news page: mostly ASCII,
// as real pages are.
func wrapPage(paras []string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><head><title>` + paras[0] + `</title><link rel="stylesheet" href="/css/site.css"><script src="/js/app.js"></script></head><body><nav class="menu"><a href="/">home</a> <a href="/gb/">gb</a></nav><div class="article">`)
	for _, p := range paras {
		b.WriteString("<p>" + p + "</p>\n")
	}
	b.WriteString(`</div><footer>Copyright 2026</footer></body></html>`)
	return b.String()
}

var (
	tags    = regexp.MustCompile(`<[^>]*>|&[a-z]+;|&#\d+;|!?\[[^\]]*\]\([^)]*\)|https?://\S+`)
	hanRun  = regexp.MustCompile(`\p{Han}`)
	jsTitle = regexp.MustCompile(`"([^"]*\p{Han}[^"]*)"`)
)

// realSamples takes titles and paragraphs from the real feeds and pages
// under dir.
func realSamples(dir string) ([]sample, error) {
	var out []sample
	var page []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.HasSuffix(path, ".js") {
			for _, m := range jsTitle.FindAllSubmatch(data, -1) {
				out = append(out, sample{text: string(m[1]), size: "title"})
			}
			return nil
		}
		for _, line := range bytes.Split(data, []byte("\n")) {
			text := strings.TrimSpace(tags.ReplaceAllString(string(line), " "))
			n := len(hanRun.FindAllString(text, -1))
			switch {
			case n >= 40:
				out = append(out, sample{text: text, size: "paragraph"})
				page = append(page, text)
			case n >= 6:
				out = append(out, sample{text: text, size: "title"})
			}
			if len(page) == 8 {
				out = append(out, sample{text: wrapPage(page), size: "page"})
				page = nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read fixtures: %w", err)
	}
	return out, nil
}

// shortSamples are the first four characters of each Chinese title: the
// shortest texts a listing shows, where bytes are most often ambiguous.
func shortSamples(samples []sample) []sample {
	var out []sample
	for _, s := range samples {
		r := []rune(s.text)
		if s.size == "title" && !s.western && len(r) >= 4 && len(hanRun.FindAllString(string(r[:4]), -1)) == 4 {
			out = append(out, sample{text: string(r[:4]), size: "short"})
		}
	}
	return out
}
