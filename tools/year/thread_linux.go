package main

import (
	"syscall"
	"time"
)

// lowerThreadPriority gives the calling thread the lowest priority (nice
// 19): on Linux a nice value is a thread's own.
func lowerThreadPriority() error {
	return syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 19)
}

// threadCPU is the calling thread's CPU time, user and system.
func threadCPU() time.Duration {
	const rusageThread = 1 // RUSAGE_THREAD
	var ru syscall.Rusage
	syscall.Getrusage(rusageThread, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
