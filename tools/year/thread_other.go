//go:build !linux

package main

import (
	"errors"
	"time"
)

// lowerThreadPriority fails: a thread's own priority and CPU clock are
// Linux's, so elsewhere the photos are all made between the syncs.
func lowerThreadPriority() error {
	return errors.New("a thread's own priority is Linux's")
}

func threadCPU() time.Duration { return 0 }
