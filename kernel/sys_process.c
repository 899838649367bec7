/* Process identity and per-task state: exit, ids, TLS, robust list, limits. */
#include <errno.h>

#include "mm.h"
#include "process.h"
#include "guest_mem.h"
#include "syscalls.h"
#include "task.h"

long sys_exit(struct task *t, SYSCALL_ARGS)
{
	/* This thread only; the last one out ends the process with its code. */
	t->exiting = true;
	t->exit_status = (int)(a[0] & 0xff) << 8;
	return 0;
}

long sys_exit_group(struct task *t, SYSCALL_ARGS)
{
	process_group_exit(t, (int)(a[0] & 0xff) << 8);
	return 0;
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
	(void)a;
	pthread_mutex_lock(&kernel.lock);
	/* init's parent is outside the guest's pid namespace: 0. */
	int ppid = t->tg->parent ? t->tg->parent->pid : 0;
	pthread_mutex_unlock(&kernel.lock);
	return ppid;
}

/* The process with guest pid, or NULL (kernel.lock held). */
static struct thread_group *group_by_pid(int pid)
{
	for (struct thread_group *g = kernel.groups; g; g = g->next_group)
		if (g->pid == pid)
			return g;
	return NULL;
}

/* The process group (or session) of pid, 0 for the caller; a zombie keeps
 * both until it is reaped, as Linux finds it by pid till then. */
static long group_ids(struct task *t, int pid, bool session)
{
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *g = pid == 0 ? t->tg : group_by_pid(pid);
	long r = g ? (session ? g->sid : g->pgid) : -ESRCH;
	pthread_mutex_unlock(&kernel.lock);
	return r;
}

long sys_getpgid(struct task *t, SYSCALL_ARGS)
{
	return group_ids(t, (int)a[0], false);
}

long sys_getpgrp(struct task *t, SYSCALL_ARGS)
{
	(void)a;
	return sys_getpgid(t, (const uint64_t[6]){ 0 });
}

long sys_getsid(struct task *t, SYSCALL_ARGS)
{
	return group_ids(t, (int)a[0], true);
}

/* kernel/sys.c setpgid(): only the caller or its children, within one
 * session, into a group that exists there (or a new one of its own). */
long sys_setpgid(struct task *t, SYSCALL_ARGS)
{
	int pid = (int)a[0], pgid = (int)a[1];
	if (pgid < 0)
		return -EINVAL;
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *self = t->tg;
	struct thread_group *g = pid == 0 ? self : group_by_pid(pid);
	long r = 0;
	if (!g || (g != self && g->parent != self))
		r = -ESRCH;
	else if (g != self && g->did_exec)
		r = -EACCES;
	else if (g->sid == g->pid || g->sid != self->sid)
		r = -EPERM;
	if (r == 0) {
		if (pgid == 0)
			pgid = g->pid;
		if (pgid != g->pid) {
			r = -EPERM;
			/* Zombies count: a pipeline's first command may be
			 * gone before the last one joins its group. */
			for (struct thread_group *o = kernel.groups; o; o = o->next_group)
				if (o->pgid == pgid && o->sid == self->sid)
					r = 0;
		}
		if (r == 0)
			g->pgid = pgid;
	}
	pthread_mutex_unlock(&kernel.lock);
	return r;
}

long sys_setsid(struct task *t, SYSCALL_ARGS)
{
	(void)a;
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *self = t->tg;
	long r = self->pid;
	/* A group leader (or a pid some group still uses) cannot. */
	for (struct thread_group *o = kernel.groups; o; o = o->next_group)
		if (o->pgid == self->pid)
			r = -EPERM;
	if (r > 0)
		self->pgid = self->sid = self->pid;
	pthread_mutex_unlock(&kernel.lock);
	return r;
}

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

long sys_get_robust_list(struct task *t, SYSCALL_ARGS)
{
	int tid = (int)a[0];
	uint64_t head = 0;
	pthread_mutex_lock(&kernel.lock);
	struct task *o = t;
	if (tid) {
		for (o = kernel.tasks; o && o->tid != tid; o = o->next_task)
			;
	}
	if (o)
		head = o->robust_list;
	pthread_mutex_unlock(&kernel.lock);
	if (!o)
		return -ESRCH;
	uint64_t len = LINUX_ROBUST_LIST_HEAD_SIZE;
	if (copy_to_guest(t, a[2], &len, sizeof len) < 0 || copy_to_guest(t, a[1], &head, sizeof head) < 0)
		return -EFAULT;
	return 0;
}

long sys_arch_prctl(struct task *t, SYSCALL_ARGS)
{
	task_regs_complete(t); /* fs_base and gs_base are not the call's */
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
		/* --files is the sandbox's fs.nr_open. */
		uint64_t nr_open = kernel.max_files ? (uint64_t)kernel.max_files : LINUX_NR_OPEN;
		if (resource == LINUX_RLIMIT_NOFILE && new->rlim_max > nr_open)
			return -EPERM;
	}
	if (old)
		*old = t->tg->rlimits[resource];
	if (new) {
		t->tg->rlimits[resource] = *new;
		if (resource == LINUX_RLIMIT_AS)
			t->mm->as_limit = rlimit_bytes(new->rlim_cur);
		if (resource == LINUX_RLIMIT_CPU) {
			pthread_mutex_lock(&kernel.lock);
			process_cpu_limit_arm(t);
			pthread_mutex_unlock(&kernel.lock);
		}
	}
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

