/* epoll: a host epoll instance per guest epoll file, watching the guest
 * files' host fds. Every guest file's readiness is its host fd's (cvisor's
 * own objects keep an eventfd ready), so level and edge triggering,
 * EPOLLONESHOT, EPOLLEXCLUSIVE, nesting and loop detection are the host's.
 * A registration ends when the host fd closes with the last reference to
 * its guest file, as Linux's does with the last reference to the file. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdtable.h"
#include "guest_mem.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"

/* include/uapi/linux/eventpoll.h: struct epoll_event is packed on x86-64. */
_Static_assert(sizeof(struct epoll_event) == 12, "struct epoll_event is 12 bytes");
/* fs/eventpoll.c */
#define EP_MAX_EVENTS (0x7fffffff / (int)sizeof(struct epoll_event))
/* Events fetched per host call; a guest asking for more gets at most these. */
#define EP_BATCH 1024

static const struct file_ops epoll_ops = { .name = "[eventpoll]" };

long sys_epoll_create1(struct task *t, SYSCALL_ARGS)
{
	int flags = (int)a[0];
	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	int fd = epoll_create1(EPOLL_CLOEXEC);
	if (fd < 0)
		return -errno;
	return file_install_new(t, fd, &epoll_ops, NULL, flags & EPOLL_CLOEXEC, 0);
}

long sys_epoll_create(struct task *t, SYSCALL_ARGS)
{
	if ((int)a[0] <= 0)
		return -EINVAL;
	return sys_epoll_create1(t, (uint64_t[6]){ 0 });
}

/* fs/eventpoll.c do_epoll_ctl(), errno for errno in its order. */
long sys_epoll_ctl(struct task *t, SYSCALL_ARGS)
{
	int op = (int)a[1];
	struct epoll_event ev = { 0 };
	if (op != EPOLL_CTL_DEL && copy_from_guest(t, &ev, a[3], sizeof ev) < 0)
		return -EFAULT;
	struct file *ep = fd_get(t, (int)a[0]), *tf = fd_get(t, (int)a[2]);
	if (!ep || (ep->flags & O_PATH) || !tf || (tf->flags & O_PATH))
		return -EBADF;
	/* file_can_poll(): regular files and directories have no poll. */
	if (tf->host_fd < 0 || (tf->inode && (S_ISREG(tf->inode->mode) || S_ISDIR(tf->inode->mode))))
		return -EPERM;
	if (ep == tf || ep->ops != &epoll_ops)
		return -EINVAL;
	if (epoll_ctl(ep->host_fd, op, tf->host_fd, &ev) < 0)
		return -errno;
	return 0;
}

/* Wait on epfd's host epoll for up to timeout_ms (-1: forever). */
static long do_epoll_wait(struct task *t, uint64_t epfd, uint64_t events, int maxevents, int timeout_ms)
{
	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!guest_range_ok(events, (size_t)maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	struct file *ep = fd_get(t, (int)epfd);
	if (!ep || (ep->flags & O_PATH))
		return -EBADF;
	if (ep->ops != &epoll_ops)
		return -EINVAL;
	int n = maxevents < EP_BATCH ? maxevents : EP_BATCH;
	struct epoll_event *buf = malloc((size_t)n * sizeof *buf);
	if (!buf)
		return -ENOMEM;
	/* A signal already posted would not kick the call below. */
	pthread_mutex_lock(&kernel.lock);
	bool pending = signal_pending_locked(t);
	pthread_mutex_unlock(&kernel.lock);
	int got = epoll_wait(ep->host_fd, buf, n, pending ? 0 : timeout_ms);
	long rc = got;
	if (got < 0)
		/* fs/eventpoll.c ep_poll(): EINTR, never restarted. */
		rc = errno == EINTR ? -EINTR : -errno;
	else if (got == 0 && pending && timeout_ms != 0)
		rc = -EINTR;
	else if (got > 0 && copy_to_guest(t, events, buf, (size_t)got * sizeof *buf) < 0)
		rc = -EFAULT;
	free(buf);
	return rc;
}

long sys_epoll_wait(struct task *t, SYSCALL_ARGS)
{
	return do_epoll_wait(t, a[0], a[1], (int)a[2], (int)a[3] < 0 ? -1 : (int)a[3]);
}

/* epoll_pwait and pwait2: the mask is in place for the wait, and stays
 * until the handler's frame when the wait was interrupted. */
static long pwait(struct task *t, SYSCALL_ARGS, int timeout_ms)
{
	if (a[4]) {
		uint64_t mask;
		if (a[5] != sizeof mask)
			return -EINVAL;
		if (copy_from_guest(t, &mask, a[4], sizeof mask) < 0)
			return -EFAULT;
		signal_wait_mask_begin(t, mask);
	}
	long rc = do_epoll_wait(t, a[0], a[1], (int)a[2], timeout_ms);
	if (a[4])
		signal_wait_mask_end(t, rc == -EINTR ? -ERESTARTNOHAND : rc);
	return rc;
}

long sys_epoll_pwait(struct task *t, SYSCALL_ARGS)
{
	return pwait(t, a, (int)a[3] < 0 ? -1 : (int)a[3]);
}

long sys_epoll_pwait2(struct task *t, SYSCALL_ARGS)
{
	int timeout_ms;
	long rc = guest_timeout_ms(t, a[3], &timeout_ms);
	return rc < 0 ? rc : pwait(t, a, timeout_ms);
}
