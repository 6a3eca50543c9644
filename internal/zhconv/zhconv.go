// Package zhconv converts between Simplified and Traditional Chinese at the
// phrase level, with OpenCC's dictionaries and conversion configurations
// (Apache-2.0, shipped unchanged in opencc/; see NOTICE). Each stage of a
// configuration's chain takes, at every position, the longest phrase its
// dictionaries know, falling back to single characters, as OpenCC's
// maximum-match conversion does; 皇后 stays 皇后 while 以后 becomes 以後.
package zhconv

import (
	"bufio"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

//go:embed opencc/*.txt opencc/config/*.json
var data embed.FS

// Configs are the conversions this package ships, by OpenCC's names:
// s2t (OpenCC Traditional), s2tw (Taiwan), s2twp (Taiwan with Taiwanese
// phrases), s2hk (Hong Kong), t2s (Traditional to Simplified).
var Configs = []string{"s2t", "s2tw", "s2twp", "s2hk", "t2s"}

// Converter converts text with one OpenCC configuration. It is immutable
// and safe for concurrent use.
type Converter struct {
	name   string
	stages []matcher // normalisation first, then the conversion chain
}

// New loads the configuration called name (one of Configs).
func New(name string) (*Converter, error) {
	if !slices.Contains(Configs, name) {
		return nil, fmt.Errorf("unknown conversion %q (known: %s)", name, strings.Join(Configs, ", "))
	}
	raw, err := data.ReadFile("opencc/config/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("read conversion %s: %w", name, err)
	}
	var cfg struct {
		Normalization   []struct{ Dict dictSpec } `json:"normalization"`
		ConversionChain []struct{ Dict dictSpec } `json:"conversion_chain"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("parse conversion %s: %w", name, err)
	}
	c := &Converter{name: name}
	for _, st := range append(cfg.Normalization, cfg.ConversionChain...) {
		m, err := st.Dict.load()
		if err != nil {
			return nil, fmt.Errorf("conversion %s: %w", name, err)
		}
		c.stages = append(c.stages, m)
	}
	return c, nil
}

// Name is the configuration's name, e.g. "s2t".
func (c *Converter) Name() string { return c.name }

// langs are the BCP 47 tags of each conversion's output.
var langs = map[string]string{
	"s2t": "zh-Hant", "s2tw": "zh-Hant-TW", "s2twp": "zh-Hant-TW", "s2hk": "zh-Hant-HK", "t2s": "zh-Hans",
}

// Lang is the language tag of the converted text, e.g. "zh-Hant-TW".
func (c *Converter) Lang() string { return langs[c.name] }

// Labels names a conversion's output and input scripts for readers, as
// the links between a page and its converted copy show them.
func Labels(name string) (output, input string) {
	if name == "t2s" {
		return "简体中文", "繁體中文"
	}
	return "繁體中文", "简体中文"
}

// Text converts plain text.
func (c *Converter) Text(s string) string {
	for _, m := range c.stages {
		s = convert(m, s)
	}
	return s
}

// convert replaces, left to right, the longest match at each position.
func convert(m matcher, s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	ends := make([]int, 0, 64)
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf { // ASCII is never in a dictionary
			b.WriteByte(s[i])
			i++
			continue
		}
		first, _ := utf8.DecodeRuneInString(s[i:])
		ends = runeEnds(s, i, max(m.limit(first), 1), ends[:0])
		if n, out := m.match(s[i:], ends, i); n > 0 {
			b.WriteString(out)
			i += n
			continue
		}
		b.WriteString(s[i:ends[0]])
		i = ends[0]
	}
	return b.String()
}

// runeEnds appends the byte offsets just after each of the next max runes
// of s starting at i.
func runeEnds(s string, i, limit int, ends []int) []int {
	for j := i; j < len(s) && len(ends) < limit; {
		_, size := utf8.DecodeRuneInString(s[j:])
		j += size
		ends = append(ends, j)
	}
	return ends
}

// matcher finds the longest phrase at the start of s; ends are the byte
// offsets (from base) of s's first runes. It returns the matched length in
// bytes and the replacement, or 0.
type matcher interface {
	match(s string, ends []int, base int) (int, string)
	// limit is the most runes a match starting with first can have.
	limit(first rune) int
}

// table is one dictionary, or a union of several (the first entry wins).
type table struct {
	m map[string]string
	// longest is the most runes of a key starting with a given rune.
	longest map[rune]int
}

func newTable() *table { return &table{m: map[string]string{}, longest: map[rune]int{}} }

func (t *table) match(s string, ends []int, base int) (int, string) {
	first, _ := utf8.DecodeRuneInString(s)
	for k := min(len(ends), t.longest[first]); k > 0; k-- {
		n := ends[k-1] - base
		if out, ok := t.m[s[:n]]; ok {
			return n, out
		}
	}
	return 0, ""
}

func (t *table) limit(first rune) int { return t.longest[first] }

// shortCircuit asks its members in order; the first that matches wins.
type shortCircuit []matcher

func (g shortCircuit) match(s string, ends []int, base int) (int, string) {
	for _, m := range g {
		if n, out := m.match(s, ends, base); n > 0 {
			return n, out
		}
	}
	return 0, ""
}

func (g shortCircuit) limit(first rune) int {
	longest := 0
	for _, m := range g {
		longest = max(longest, m.limit(first))
	}
	return longest
}

// dictSpec is a "dict" object of an OpenCC configuration.
type dictSpec struct {
	Type        string     `json:"type"`
	File        string     `json:"file"`
	MatchPolicy string     `json:"match_policy"`
	Dicts       []dictSpec `json:"dicts"`
}

func (d dictSpec) load() (matcher, error) {
	switch {
	case d.Type == "text":
		t := newTable()
		return t, t.read(d.File)
	case d.Type == "group" && d.MatchPolicy == "union":
		t := newTable()
		for _, sub := range d.Dicts {
			if sub.Type != "text" {
				return nil, fmt.Errorf("union of a %q dictionary is not supported", sub.Type)
			}
			if err := t.read(sub.File); err != nil {
				return nil, err
			}
		}
		return t, nil
	case d.Type == "group":
		var g shortCircuit
		for _, sub := range d.Dicts {
			m, err := sub.load()
			if err != nil {
				return nil, err
			}
			g = append(g, m)
		}
		return g, nil
	}
	return nil, fmt.Errorf("dictionary type %q is not supported", d.Type)
}

// read adds the entries of an OpenCC text dictionary ("key<TAB>value
// [alternatives…]", # comments) that the table lacks; the first candidate
// is the conversion.
func (t *table) read(file string) error {
	f, err := data.Open("opencc/" + file)
	if err != nil {
		return fmt.Errorf("open dictionary: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, vals, ok := strings.Cut(text, "\t")
		if !ok || key == "" || vals == "" {
			return fmt.Errorf("%s:%d: want key<TAB>value", file, line)
		}
		if _, dup := t.m[key]; !dup {
			t.m[key], _, _ = strings.Cut(vals, " ")
		}
		n := utf8.RuneCountInString(key)
		first, _ := utf8.DecodeRuneInString(key)
		t.longest[first] = max(t.longest[first], n)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", file, err)
	}
	return nil
}

// Variant is a converted copy of a source's pages, written under Dir.
type Variant struct {
	// Convert names the conversion, one of Configs (e.g. "s2tw").
	Convert string `yaml:"convert"`
	// Dir is the folder of the converted tree, e.g. "zh-Hant"; its pages,
	// indexes and home page sit where the originals sit at the root.
	Dir string `yaml:"dir"`
	// Label is the link to the converted copy on every page and home page;
	// "" means the name of the output script (繁體中文 or 简体中文).
	Label string `yaml:"label"`
}
