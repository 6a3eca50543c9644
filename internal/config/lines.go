package config

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// lineIndex maps a value's path ("sources[0].rules.body") to its line.
type lineIndex map[string]int

func indexLines(root *yaml.Node) lineIndex {
	idx := lineIndex{}
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		idx.walk("", root.Content[0])
	}
	return idx
}

func (idx lineIndex) walk(path string, n *yaml.Node) {
	idx[path] = n.Line
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			if path != "" {
				key = path + "." + key
			}
			idx.walk(key, n.Content[i+1])
			idx[key] = n.Content[i].Line
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			idx.walk(path+"["+strconv.Itoa(i)+"]", c)
		}
	case yaml.AliasNode:
		if n.Alias != nil {
			idx.walk(path, n.Alias)
		}
	}
}

// find returns the line of path, or of its nearest ancestor that has one.
func (idx lineIndex) find(path string) int {
	for path != "" {
		if l, ok := idx[path]; ok {
			return l
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			break
		}
		path = path[:cut]
	}
	return 0
}
