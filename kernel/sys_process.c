/* Process identity and per-task state: exit, ids, TLS, robust list, limits. */
#include <errno.h>

#include "guest_mem.h"
#include "syscalls.h"
#include "task.h"

long sys_exit(struct task *t, SYSCALL_ARGS)
{
	/* One task per process for now: the last thread leaving ends it. */
	t->exiting = true;
	t->exit_status = (int)(a[0] & 0xff) << 8;
	return 0;
}

long sys_exit_group(struct task *t, SYSCALL_ARGS)
{
	return sys_exit(t, a);
}

long sys_getpid(struct task *t, SYSCALL_ARGS)
{
	(void)a;
	return t->pid;
}

long sys_gettid(struct task *t, SYSCALL_ARGS)
{
	(void)a;
	return t->tid;
}

long sys_getppid(struct task *t, SYSCALL_ARGS)
{
	(void)t;
	(void)a;
	/* The guest's init: its parent is outside the guest's pid namespace. */
	return 0;
}

/* Root inside the sandbox. */
long sys_getuid(struct task *t, SYSCALL_ARGS) { (void)t; (void)a; return 0; }
long sys_geteuid(struct task *t, SYSCALL_ARGS) { (void)t; (void)a; return 0; }
long sys_getgid(struct task *t, SYSCALL_ARGS) { (void)t; (void)a; return 0; }
long sys_getegid(struct task *t, SYSCALL_ARGS) { (void)t; (void)a; return 0; }

long sys_set_tid_address(struct task *t, SYSCALL_ARGS)
{
	t->clear_child_tid = a[0];
	return t->tid;
}

long sys_set_robust_list(struct task *t, SYSCALL_ARGS)
{
	if (a[1] != LINUX_ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	t->robust_list = a[0];
	return 0;
}

long sys_arch_prctl(struct task *t, SYSCALL_ARGS)
{
	switch (a[0]) {
	case LINUX_ARCH_SET_FS:
	case LINUX_ARCH_SET_GS:
		/* arch/x86/kernel/process_64.c: a base must be a user address. */
		if (a[1] >= 0x7ffffffff000UL)
			return -EPERM;
		if (a[0] == LINUX_ARCH_SET_FS)
			t->regs.fs_base = a[1];
		else
			t->regs.gs_base = a[1];
		return 0;
	case LINUX_ARCH_GET_FS:
		return copy_to_guest(t, a[1], &t->regs.fs_base, sizeof(uint64_t));
	case LINUX_ARCH_GET_GS:
		return copy_to_guest(t, a[1], &t->regs.gs_base, sizeof(uint64_t));
	case LINUX_ARCH_GET_CPUID:
		return 1;
	case LINUX_ARCH_SET_CPUID:
		/* CPUID faulting is not offered, as on hosts without it. */
		return -ENODEV;
	}
	return -EINVAL;
}

/* include/uapi/linux/fs.h: fs.nr_open's default, the ceiling of NOFILE. */
#define LINUX_NR_OPEN 1048576

/* kernel/sys.c do_prlimit() for the calling process. */
static long do_prlimit(struct task *t, unsigned int resource, const struct linux_rlimit *new,
		       struct linux_rlimit *old)
{
	if (resource >= LINUX_RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (resource == LINUX_RLIMIT_NOFILE && new->rlim_max > LINUX_NR_OPEN)
			return -EPERM;
	}
	if (old)
		*old = t->rlimits[resource];
	if (new)
		t->rlimits[resource] = *new;
	return 0;
}

long sys_prlimit64(struct task *t, SYSCALL_ARGS)
{
	int pid = (int)a[0];
	struct linux_rlimit new, old;
	if (pid != 0 && pid != t->pid)
		return -ESRCH;
	if (a[2] && copy_from_guest(t, &new, a[2], sizeof new) < 0)
		return -EFAULT;
	long rc = do_prlimit(t, (unsigned int)a[1], a[2] ? &new : NULL, a[3] ? &old : NULL);
	/* The new limit holds even when the old one cannot be copied out. */
	if (rc == 0 && a[3] && copy_to_guest(t, a[3], &old, sizeof old) < 0)
		rc = -EFAULT;
	return rc;
}

long sys_getrlimit(struct task *t, SYSCALL_ARGS)
{
	struct linux_rlimit old;
	long rc = do_prlimit(t, (unsigned int)a[0], NULL, &old);
	if (rc == 0 && copy_to_guest(t, a[1], &old, sizeof old) < 0)
		rc = -EFAULT;
	return rc;
}

long sys_setrlimit(struct task *t, SYSCALL_ARGS)
{
	struct linux_rlimit new;
	if (copy_from_guest(t, &new, a[1], sizeof new) < 0)
		return -EFAULT;
	return do_prlimit(t, (unsigned int)a[0], &new, NULL);
}
