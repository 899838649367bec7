/* The fd table's syscalls: close, dup, dup2, dup3, fcntl, flock. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>

#include "process.h"
#include "fdtable.h"
#include "file_lock.h"
#include "syscalls.h"

/* include/uapi/asm-generic/fcntl.h, include/uapi/linux/fcntl.h */
#define LINUX_F_GETLK 5
#define LINUX_F_SETLK 6
#define LINUX_F_SETLKW 7
#define LINUX_F_SETOWN 8
#define LINUX_F_GETOWN 9
#define LINUX_F_SETSIG 10
#define LINUX_F_GETSIG 11
#define LINUX_F_OFD_GETLK 36
#define LINUX_F_OFD_SETLK 37
#define LINUX_F_OFD_SETLKW 38
#define LINUX_F_DUPFD_QUERY 1027
#define LINUX_F_SETPIPE_SZ 1031
#define LINUX_F_GETPIPE_SZ 1032
#define LINUX_F_ADD_SEALS 1033
#define LINUX_F_GET_SEALS 1034

long sys_close(struct task *t, SYSCALL_ARGS)
{
	return fd_close(t, (int)a[0]);
}

/* include/uapi/linux/close_range.h */
#define CLOSE_RANGE_UNSHARE_ (1U << 1)
#define CLOSE_RANGE_CLOEXEC_ (1U << 2)

long sys_close_range(struct task *t, SYSCALL_ARGS)
{
	unsigned int first = (unsigned int)a[0], last = (unsigned int)a[1], flags = (unsigned int)a[2];
	if (flags & ~(CLOSE_RANGE_UNSHARE_ | CLOSE_RANGE_CLOEXEC_))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	long rc = flags & CLOSE_RANGE_UNSHARE_ ? fdtable_unshare(t) : 0;
	if (rc < 0)
		return rc;
	for (unsigned int fd = first; fd <= last && fd < FDTABLE_MAX; fd++) {
		if (!fd_get(t, fd))
			continue;
		if (flags & CLOSE_RANGE_CLOEXEC_)
			fd_set_cloexec(t, (int)fd, true);
		else
			fd_close(t, fd);
	}
	return 0;
}

long sys_dup(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	return f ? fd_install(t, f, 0, false) : -EBADF;
}

static long do_dup3(struct task *t, unsigned int oldfd, unsigned int newfd, int flags)
{
	if (flags & ~LINUX_O_CLOEXEC)
		return -EINVAL;
	struct file *f = fd_get(t, oldfd);
	if (!f)
		return -EBADF;
	if (newfd >= FDTABLE_MAX || newfd >= t->tg->rlimits[LINUX_RLIMIT_NOFILE].rlim_cur)
		return -EBADF;
	fd_install_at(t, f, (int)newfd, flags & LINUX_O_CLOEXEC);
	return newfd;
}

long sys_dup2(struct task *t, SYSCALL_ARGS)
{
	unsigned int oldfd = (unsigned int)a[0], newfd = (unsigned int)a[1];
	if (oldfd == newfd)
		return fd_get(t, oldfd) ? (long)newfd : -EBADF;
	return do_dup3(t, oldfd, newfd, 0);
}

long sys_dup3(struct task *t, SYSCALL_ARGS)
{
	if (a[0] == a[1] && (unsigned int)a[0] == (unsigned int)a[1])
		return -EINVAL;
	return do_dup3(t, (unsigned int)a[0], (unsigned int)a[1], (int)a[2]);
}

long sys_fcntl(struct task *t, SYSCALL_ARGS)
{
	int fd = (int)a[0];
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	switch ((int)a[1]) {
	case LINUX_F_DUPFD:
	case LINUX_F_DUPFD_CLOEXEC: {
		uint64_t min = a[2];
		if (min >= t->tg->rlimits[LINUX_RLIMIT_NOFILE].rlim_cur)
			return -EINVAL;
		return fd_install(t, f, (int)(min < FDTABLE_MAX ? min : FDTABLE_MAX),
				  (int)a[1] == LINUX_F_DUPFD_CLOEXEC);
	}
	case LINUX_F_GETFD:
		return fd_cloexec(t, fd) ? LINUX_FD_CLOEXEC : 0;
	case LINUX_F_SETFD:
		fd_set_cloexec(t, fd, a[2] & LINUX_FD_CLOEXEC);
		return 0;
	case LINUX_F_GETFL: {
		if (f->keeps_pos || f->host_fd < 0 || f->inode || f->pidfd)
			return f->flags;
		int fl = fcntl(f->host_fd, F_GETFL);
		return fl < 0 ? -errno : fl;
	}
	case LINUX_F_SETFL: {
		/* fs/fcntl.c SETFL_MASK: the status flags that may change. */
		int mask = O_APPEND | O_NONBLOCK | O_DIRECT | O_NOATIME | O_ASYNC;
		if (f->flags & O_PATH)
			return -EBADF;
		f->flags = (f->flags & ~mask) | ((int)a[2] & mask);
		if (f->keeps_pos || f->host_fd < 0)
			return 0;
		/* A pipe or the std files: the host's open file description,
		 * shared as it would be natively. */
		return fcntl(f->host_fd, F_SETFL, (int)a[2]) < 0 ? -errno : 0;
	}
	case LINUX_F_GETOWN:
		return f->owner; /* a process group is negative, and no error */
	case LINUX_F_SETOWN:
		/* fs/fcntl.c f_setown(); it also says ESRCH for a pid nobody
		 * has, which needs a pid lookup the process tree does not
		 * offer yet. */
		if ((int)a[2] == INT_MIN)
			return -EINVAL;
		f->owner = (int)a[2];
		return 0;
	case LINUX_F_GETSIG:
		return f->owner_sig;
	case LINUX_F_SETSIG:
		/* valid_signal() takes the int as an unsigned long. */
		if ((unsigned long)(int)a[2] > LINUX_NSIG)
			return -EINVAL;
		f->owner_sig = (int)a[2];
		return 0;
	case LINUX_F_DUPFD_QUERY: {
		struct file *other = fd_get(t, (int)a[2]);
		return other ? other == f : -EBADF;
	}
	case LINUX_F_GETLK:
	case LINUX_F_SETLK:
	case LINUX_F_SETLKW:
	case LINUX_F_OFD_GETLK:
	case LINUX_F_OFD_SETLK:
	case LINUX_F_OFD_SETLKW:
		return file_lock_fcntl(t, f, (int)a[1], a[2]);
	case LINUX_F_ADD_SEALS:
	case LINUX_F_GET_SEALS:
		return memfd_fcntl(f, (int)a[1], (unsigned)a[2]);
	case LINUX_F_GETPIPE_SZ:
	case LINUX_F_SETPIPE_SZ: {
		/* The host pipe itself, shared as it would be natively; the
		 * host says EBADF for anything else. */
		int r = fcntl(f->host_fd, (int)a[1] == LINUX_F_GETPIPE_SZ ? F_GETPIPE_SZ : F_SETPIPE_SZ,
			      (unsigned int)a[2]);
		return r < 0 ? -errno : r;
	}
	}
	return -EINVAL;
}

long sys_flock(struct task *t, SYSCALL_ARGS)
{
	/* Its argument checks come before the fd's (fs/locks.c). */
	return file_lock_flock(t, fd_get(t, (int)a[0]), (unsigned int)a[1]);
}
