package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Load reads, decodes and compiles the configuration file at path.
// Relative paths inside it are resolved against the file's folder.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cfg, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	cfg.resolvePaths(filepath.Dir(path))
	return cfg, nil
}

// Parse decodes and compiles configuration text; file names it in errors.
// Relative paths are left relative to the current folder.
func Parse(file string, data []byte) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlErrors(file, err, nil)
	}
	cfg := Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlErrors(file, err, &root)
	}
	cfg.File = file
	sink := &errorSink{file: file, lines: indexLines(&root)}
	expandEnv(sink, reflect.ValueOf(&cfg).Elem(), "")
	cfg.compile(sink)
	if err := sink.err(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

func (c *Config) resolvePaths(base string) {
	if !filepath.IsAbs(c.Output.Dir) {
		c.Output.Dir = filepath.Join(base, c.Output.Dir)
	}
	c.resolvePublishPaths(base)
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
var unknownField = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)

// yamlErrors turns the yaml package's messages into positioned errors,
// telling with the help of root (nil when the text did not parse) the key
// nearest to an unknown one and what a mistyped value should have been.
func yamlErrors(file string, err error, root *yaml.Node) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	list := make(ErrorList, 0, len(msgs))
	for _, m := range msgs {
		e := &Error{File: file, Msg: m}
		if sub := yamlLine.FindStringSubmatch(m); sub != nil {
			e.Line, _ = strconv.Atoi(sub[1])
			e.Msg = sub[2]
		}
		if sub := unknownField.FindStringSubmatch(e.Msg); sub != nil {
			e.Msg = fmt.Sprintf("unknown key %q", sub[1]) + unknownKeyHint(root, e.Line, sub[1])
		} else if h := typeHint(root, e.Line, e.Msg); h != "" {
			e.Msg = h
		}
		list = append(list, e)
	}
	return list
}
