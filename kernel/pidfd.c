/* pidfds (pidfd_open, CLONE_PIDFD): a file standing for a process. Its host
 * fd is a dup of the process's exit eventfd, which cvisor makes readable
 * when the process becomes a zombie, so poll, select and epoll see the exit
 * the way Linux shows it. */
#include <errno.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "fdtable.h"
#include "guest_mem.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"

/* include/uapi/linux/wait.h P_PIDFD; pidfd.h PIDFD_NONBLOCK */
#define LINUX_PIDFD_NONBLOCK O_NONBLOCK

long pidfd_create(struct task *t, struct thread_group *g, int flags)
{
	pthread_mutex_lock(&kernel.lock);
	if (g->exit_efd < 0)
		g->exit_efd = eventfd(g->zombie ? 1 : 0, EFD_CLOEXEC);
	int host = g->exit_efd < 0 ? -1 : fcntl(g->exit_efd, F_DUPFD_CLOEXEC, 0);
	int pid = g->pid;
	pthread_mutex_unlock(&kernel.lock);
	if (host < 0)
		return -ENFILE;
	struct file *f = file_alloc(host, O_RDWR | (flags & O_NONBLOCK));
	if (!f) {
		close(host);
		return -ENOMEM;
	}
	f->own_host_fd = true;
	/* Nothing to read or write (EINVAL), only to poll. */
	f->readable = f->writable = false;
	f->pidfd = pid;
	long fd = fd_install(t, f, 0, true);
	file_put(f);
	return fd;
}

int pidfd_pid(struct task *t, int fd)
{
	struct file *f = fd_get(t, fd);
	return f && f->pidfd ? f->pidfd : -EBADF;
}

long sys_pidfd_open(struct task *t, SYSCALL_ARGS)
{
	int pid = (int)a[0];
	if (a[1] & ~(uint64_t)LINUX_PIDFD_NONBLOCK)
		return -EINVAL;
	if (pid <= 0)
		return -EINVAL;
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *found = NULL;
	bool is_thread = false;
	for (struct thread_group *g = kernel.groups; g && !found; g = g->next_group)
		if (g->pid == pid)
			found = g;
	for (struct task *o = kernel.tasks; o && !found && !is_thread; o = o->next_task)
		is_thread = o->tid == pid;
	pthread_mutex_unlock(&kernel.lock);
	/* A thread that is not a leader is not a process (no PIDFD_THREAD). */
	if (!found)
		return is_thread ? -ENOENT : -ESRCH;
	return pidfd_create(t, found, (int)a[1]);
}

long sys_pidfd_send_signal(struct task *t, SYSCALL_ARGS)
{
	int pid = pidfd_pid(t, (int)a[0]), sig = (int)a[1];
	/* PIDFD_SIGNAL_THREAD, _THREAD_GROUP, _PROCESS_GROUP: at most one;
	 * a pidfd names a leader, whose thread and group get it alike. */
	uint64_t scope = a[3];
	if (scope & ~7ULL || (scope & (scope - 1)))
		return -EINVAL;
	if (pid < 0)
		return pid;
	if (sig < 0 || sig > LINUX_NSIG)
		return -EINVAL;
	struct linux_siginfo info = signal_info_user(sig, LINUX_SI_USER, t);
	if (a[2]) {
		/* A caller-made siginfo: only for itself, and not posing as
		 * the kernel (si_code >= 0), as rt_sigqueueinfo's rule. */
		if (copy_from_guest(t, &info, a[2], sizeof info) < 0)
			return -EFAULT;
		if (info.si_signo != sig)
			return -EINVAL;
		if ((info.si_code >= 0 || info.si_code == LINUX_SI_TKILL) && pid != t->tg->pid)
			return -EPERM;
	}
	pthread_mutex_lock(&kernel.lock);
	long rc = -ESRCH;
	int pgid = 0;
	for (struct thread_group *g = kernel.groups; g; g = g->next_group)
		if (g->pid == pid) { /* a zombie still takes it, as kill's */
			pgid = g->pgid;
			if (sig && scope != 4)
				signal_send_group(g, &info, false);
			rc = 0;
			break;
		}
	for (struct thread_group *g = kernel.groups; g && scope == 4 && pgid; g = g->next_group)
		if (g->pgid == pgid && !g->zombie && sig)
			signal_send_group(g, &info, false);
	pthread_mutex_unlock(&kernel.lock);
	return rc;
}
