package publish

import "syscall"

// childAttr makes the kernel kill a git child when newsmirror dies, even
// by SIGKILL, so that no orphaned git keeps writing the repository (and
// its lock files) while the next run starts.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
