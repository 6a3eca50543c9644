package cli

import (
	"flag"
	"fmt"
	"strconv"
	"time"
)

// durationValue is a duration flag whose error says what is wrong: a bare
// number lacks its unit.
type durationValue time.Duration

// durationFlag defines a duration flag on fs.
func durationFlag(fs *flag.FlagSet, name string, value time.Duration, usage string) *time.Duration {
	d := value
	fs.Var((*durationValue)(&d), name, usage)
	return &d
}

func (d *durationValue) Set(s string) error {
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = durationValue(v)
	return nil
}

func (d *durationValue) String() string { return time.Duration(*d).String() }

// parseDuration parses a Go duration ("90s", "5m", "2h30m"), telling a bare
// number apart: "5" is missing its unit.
func parseDuration(s string) (time.Duration, error) {
	if _, err := strconv.ParseFloat(s, 64); err == nil && s != "0" {
		return 0, fmt.Errorf("%q is missing a unit, e.g. %sm or %sh (units: s, m, h)", s, s, s)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration, e.g. 90s, 5m or 2h30m", s)
	}
	return d, nil
}
