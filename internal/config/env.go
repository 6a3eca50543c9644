package config

import (
	"os"
	"reflect"
	"regexp"
	"strings"
)

// envVar is a reference to an environment variable, "${NAME}"; "$${NAME}"
// is the literal text "${NAME}".
var envVar = regexp.MustCompile(`\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandEnv replaces "${VAR}" in every string value of the configuration
// with the environment variable VAR, so that containers and CI jobs can
// configure a mirror without editing its file. An unset variable is an
// error naming it at its key's line. Two kinds of value keep their
// references: proxies (expandProxy escapes them for a URL) and remote URLs
// (publish fills them only when git runs, so a token never sits in the
// configuration nor in a message), and output.state (expandState escapes
// a PostgreSQL address's password).
func expandEnv(s *errorSink, v reflect.Value, path string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			expandEnv(s, v.Elem(), path)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "-" {
				continue
			}
			p := path
			if !strings.Contains(opts, "inline") {
				p = join(path, cmp(name, strings.ToLower(f.Name)))
			}
			expandEnv(s, v.Field(i), p)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			expandEnv(s, v.Index(i), elemPath(s, path, i))
		}
	case reflect.Map:
		if v.Type().Elem().Kind() != reflect.String || v.Type().Key().Kind() != reflect.String {
			return // no configuration map holds anything else
		}
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.SetString(expandString(s, join(path, k.String()), v.MapIndex(k).String()))
			v.SetMapIndex(k, e)
		}
	case reflect.String:
		if v.CanSet() && !keepsEnvRefs(path) {
			v.SetString(expandString(s, path, v.String()))
		}
	}
}

// keepsEnvRefs reports the values whose "${VAR}" another step fills.
func keepsEnvRefs(path string) bool {
	return strings.HasSuffix(path, ".proxy") || path == "output.state" ||
		(strings.HasPrefix(path, "publish.remotes[") && strings.HasSuffix(path, ".url"))
}

func expandString(s *errorSink, path, value string) string {
	if !strings.Contains(value, "${") {
		return value
	}
	return envVar.ReplaceAllStringFunc(value, func(m string) string {
		if strings.HasPrefix(m, "$$") {
			return m[1:]
		}
		name := envVar.FindStringSubmatch(m)[1]
		v, ok := os.LookupEnv(name)
		if !ok {
			s.at(path, "${%s} is not set in the environment (write $${%s} for the text itself)", name, name)
		}
		return v
	})
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
