/* Process and thread creation: clone, clone3, fork, vfork. */
#include <errno.h>

#include "guest_mem.h"
#include "process.h"
#include "syscalls.h"

/* x86-64 clone(flags, stack, parent_tid, child_tid, tls); CLONE_PIDFD puts
 * the pidfd where parent_tid points, so the two cannot go together. */
long sys_clone(struct task *t, SYSCALL_ARGS)
{
	if ((a[0] & LINUX_CLONE_PIDFD) && (a[0] & LINUX_CLONE_PARENT_SETTID))
		return -EINVAL;
	return process_clone(t, a[0], a[1], a[2], a[3], a[4], a[2]);
}

long sys_fork(struct task *t, SYSCALL_ARGS)
{
	(void)a;
	return process_clone(t, LINUX_SIGCHLD, 0, 0, 0, 0, 0);
}

long sys_vfork(struct task *t, SYSCALL_ARGS)
{
	(void)a;
	return process_clone(t, LINUX_CLONE_VM | LINUX_CLONE_VFORK | LINUX_SIGCHLD, 0, 0, 0, 0, 0);
}

/* include/uapi/linux/sched.h: struct clone_args (v0: 64 bytes, v2: 88). */
struct linux_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};
#define CLONE_ARGS_SIZE_VER0 64

long sys_clone3(struct task *t, SYSCALL_ARGS)
{
	struct linux_clone_args ca = { 0 };
	uint64_t size = a[1];
	if (size < CLONE_ARGS_SIZE_VER0 || size > 4096)
		return -EINVAL;
	long rc = copy_struct_from_guest(t, &ca, sizeof ca, a[0], size);
	if (rc < 0)
		return rc;
	if ((ca.flags & 0xff) || ca.exit_signal > 64 || ca.set_tid || ca.set_tid_size || ca.cgroup)
		return -EINVAL;
	if ((ca.stack == 0) != (ca.stack_size == 0))
		return -EINVAL;
	uint64_t stack = ca.stack ? ca.stack + ca.stack_size : 0;
	return process_clone(t, ca.flags | ca.exit_signal, stack, ca.parent_tid, ca.child_tid, ca.tls, ca.pidfd);
}
