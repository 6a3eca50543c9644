package config

import (
	"hash/fnv"
	"net/url"
	"strings"

	"go.yaml.in/yaml/v3"
)

// PixelURLs are the counter pixel's URL templates, one per counter host:
// in YAML one string (one host, as before) or a list of them. Each page
// loads one of them, picked from its repository path, so that a counter
// domain that gets blocked loses only its share of the hits.
type PixelURLs []URLTemplate

// UnmarshalYAML accepts a scalar or a sequence.
func (p *PixelURLs) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		if n.Value == "" {
			*p = nil
		} else {
			*p = PixelURLs{URLTemplate(n.Value)}
		}
		return nil
	}
	var list []URLTemplate
	if err := n.Decode(&list); err != nil {
		return err
	}
	*p = list
	return nil
}

// For is the template the page at path (its repository path, e.g.
// "pages/p9/994979.md") loads: always the same for one path and one list,
// spread evenly over the list (FNV-1a of the path modulo its length). ""
// when there is none.
func (p PixelURLs) For(path string) URLTemplate {
	switch len(p) {
	case 0:
		return ""
	case 1:
		return p[0]
	}
	h := fnv.New32a()
	h.Write([]byte(path))
	return p[h.Sum32()%uint32(len(p))]
}

// Expand is For(path) with its placeholders filled; "" when there is none.
func (p PixelURLs) Expand(path, channel, id string) string {
	return p.For(path).Expand(path, channel, id)
}

// Hosts are the hosts of the templates, in order (with their port, if any).
func (p PixelURLs) Hosts() []string {
	out := make([]string, 0, len(p))
	for _, t := range p {
		u, err := url.Parse(strings.NewReplacer("{path}", "x", "{channel}", "x", "{id}", "x").Replace(string(t)))
		if err != nil {
			out = append(out, string(t))
			continue
		}
		out = append(out, u.Host)
	}
	return out
}
