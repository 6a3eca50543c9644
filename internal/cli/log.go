package cli

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
)

// splitLogFormat takes the global --log-format flag out of args, wherever it
// stands before a "--", and returns the rest and the format ("text" when
// absent).
func splitLogFormat(args []string) ([]string, string, error) {
	format := "text"
	rest := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "log-format" {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 == len(args) {
				return nil, "", fmt.Errorf("--log-format needs a value: text or json")
			}
			i++
			value = args[i]
		}
		if value != "text" && value != "json" {
			return nil, "", fmt.Errorf("--log-format %q: want text or json", value)
		}
		format = value
	}
	return rest, format, nil
}

// newLogger writes records to w as text or, for format "json", one JSON
// object per line. In both, keys are snake_case words (no spaces) and
// durations Go duration strings ("1m30s"), never nanoseconds.
func newLogger(w io.Writer, format string) *slog.Logger {
	opts := &slog.HandlerOptions{ReplaceAttr: logStyle}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// logStyle keeps every record's attributes in one style.
func logStyle(_ []string, a slog.Attr) slog.Attr {
	a.Key = strings.ReplaceAll(a.Key, " ", "_")
	if a.Value.Kind() == slog.KindDuration {
		a.Value = slog.StringValue(a.Value.Duration().String())
	}
	return a
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
