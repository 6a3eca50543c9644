package config

import (
	"fmt"
	"strings"

	"github.com/newsmirror/newsmirror/internal/option"
)

// Error is one problem in a configuration file, at a line when known.
type Error struct {
	File string
	Line int // 0 when unknown
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ErrorList is every problem found in one file, in file order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// errorSink collects positioned errors while a configuration is checked.
type errorSink struct {
	file  string
	lines lineIndex
	list  ErrorList
}

// at records a problem with the value at path, e.g. "sources[0].rules.body".
func (s *errorSink) at(path, format string, args ...any) {
	s.list = append(s.list, &Error{File: s.file, Line: s.lines.find(path), Msg: path + ": " + fmt.Sprintf(format, args...)})
}

// fields records every problem of an options' Validate, each at path and
// the *option.FieldError's key below it.
func (s *errorSink) fields(path string, err error) {
	for _, fe := range option.Fields(err) {
		at := path
		if fe.Field != "" {
			at += "." + fe.Field
		}
		s.at(at, "%v", fe.Err)
	}
}

func (s *errorSink) err() error {
	if len(s.list) == 0 {
		return nil
	}
	sortByLine(s.list)
	return s.list
}

func sortByLine(l ErrorList) {
	for i := 1; i < len(l); i++ {
		for j := i; j > 0 && l[j].Line < l[j-1].Line; j-- {
			l[j], l[j-1] = l[j-1], l[j]
		}
	}
}
