//go:build !linux

package publish

import "syscall"

// childAttr: elsewhere a git child may outlive a killed newsmirror; the
// service manager should stop the whole process group.
func childAttr() *syscall.SysProcAttr { return nil }
