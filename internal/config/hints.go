package config

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/newsmirror/newsmirror/internal/suggest"
	"go.yaml.in/yaml/v3"
)

// keyEntry is one key of a configuration file: its path
// ("sources[0].images.localize"), key node and value node.
type keyEntry struct {
	path       string
	key, value *yaml.Node
}

// keyEntries lists every key of the document root, in file order.
func keyEntries(root *yaml.Node) []keyEntry {
	var out []keyEntry
	var walk func(path string, n *yaml.Node)
	walk = func(path string, n *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(path, c)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := n.Content[i].Value
				if path != "" {
					p = path + "." + p
				}
				out = append(out, keyEntry{p, n.Content[i], n.Content[i+1]})
				walk(p, n.Content[i+1])
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(path+"["+strconv.Itoa(i)+"]", c)
			}
		}
	}
	if root != nil {
		walk("", root)
	}
	return out
}

// unknownKeyHint is " — did you mean "x"?" for the unknown key at line,
// naming the nearest key valid where it stands, or "".
func unknownKeyHint(root *yaml.Node, line int, key string) string {
	for _, e := range keyEntries(root) {
		if e.key.Line != line || e.key.Value != key {
			continue
		}
		parent := strings.TrimSuffix(strings.TrimSuffix(e.path, key), ".")
		t := typeAt(reflect.TypeFor[Config](), parent)
		if t == nil {
			return ""
		}
		if s := suggest.Closest(key, yamlKeys(t)); s != "" {
			return fmt.Sprintf(" — did you mean %q?", s)
		}
		return ""
	}
	return ""
}

// typeAt follows path ("sources[0].images") from t by yaml keys; nil when
// the path leads nowhere.
func typeAt(t reflect.Type, path string) reflect.Type {
	path = regexp.MustCompile(`\[\d+\]`).ReplaceAllString(path, ".[]")
	for _, seg := range strings.Split(path, ".") {
		t = deref(t)
		switch {
		case seg == "":
		case seg == "[]" && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
			t = t.Elem()
		case t.Kind() == reflect.Map:
			t = t.Elem()
		case t.Kind() == reflect.Struct:
			f, ok := fieldByKey(t, seg)
			if !ok {
				return nil
			}
			t = f.Type
		default:
			return nil
		}
	}
	return deref(t)
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// yamlKeys lists the keys a struct type takes, inline fields' included.
func yamlKeys(t reflect.Type) []string {
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for f := range t.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case strings.Contains(opts, "inline"):
			keys = append(keys, yamlKeys(deref(f.Type))...)
		case name == "":
			keys = append(keys, strings.ToLower(f.Name))
		default:
			keys = append(keys, name)
		}
	}
	return keys
}

func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for f := range t.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if strings.Contains(opts, "inline") {
			if g, ok := fieldByKey(deref(f.Type), key); ok {
				return g, true
			}
			continue
		}
		if name == key || (name == "" && strings.EqualFold(f.Name, key)) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

var typeMismatch = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")

// typeHint rewrites the yaml package's "cannot unmarshal !!str `127.0.0.1`
// into []string" at line as "fetch.allow: want a list, got the text
// "127.0.0.1"", or returns "" when msg is not such a message.
func typeHint(root *yaml.Node, line int, msg string) string {
	m := typeMismatch.FindStringSubmatch(msg)
	if m == nil {
		return ""
	}
	got, shown, want := m[1], m[2], m[3]
	value := strings.TrimSuffix(shown, "...")
	path := ""
	for _, e := range keyEntries(root) {
		if e.value.Line == line && strings.HasPrefix(e.value.Value, value) {
			path, value = e.path+": ", e.value.Value
			break
		}
	}
	hint := fmt.Sprintf("%swant %s, got %s", path, describeGo(want), describeYAML(got, value))
	if strings.HasPrefix(want, "[]") && got != "seq" && got != "map" {
		hint += fmt.Sprintf(" (write [%s], or each item on its own line after \"- \")", value)
	}
	if want == "time.Duration" && (got == "int" || got == "float") {
		hint += fmt.Sprintf(": a unit is missing, e.g. %ss or %sm", value, value)
	}
	return hint
}

// describeGo names a Go type the way the configuration's reader thinks of it.
func describeGo(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping (key: value lines)"
	case t == "bool":
		return "true or false"
	case t == "time.Duration":
		return "a duration such as 30s, 5m or 2h"
	case strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
		return "a whole number"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case t == "string" || strings.HasSuffix(t, "URLTemplate"):
		return "text"
	case strings.HasSuffix(t, "PixelURLs"):
		return "text or a list of text"
	}
	return "a mapping of keys (" + t + ")"
}

func describeYAML(tag, value string) string {
	switch tag {
	case "str":
		return fmt.Sprintf("the text %q", value)
	case "int", "float":
		return "the number " + value
	case "bool":
		return value
	case "seq":
		return "a list"
	case "map":
		return "a mapping"
	case "null":
		return "nothing"
	}
	return fmt.Sprintf("%q", value)
}
