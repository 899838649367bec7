/* timerfd_create, timerfd_settime, timerfd_gettime: the host's timerfd,
 * on the host's clocks (the guest's are the host's), so expirations,
 * ABSTIME, CANCEL_ON_SET and the 8-byte reads are Linux's own. */
#include <errno.h>
#include <fcntl.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "fdtable.h"
#include "guest_mem.h"
#include "syscalls.h"

/* include/uapi/linux/timerfd.h: TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET */
#define TFD_SETTIME_FLAGS_ 3

/* include/uapi/linux/time_types.h: struct __kernel_itimerspec */
struct linux_itimerspec {
	struct linux_timespec interval, value;
};
_Static_assert(sizeof(struct linux_itimerspec) == 32, "itimerspec is 32 bytes");

static const struct file_ops timerfd_ops = { .name = "[timerfd]" };

long sys_timerfd_create(struct task *t, SYSCALL_ARGS)
{
	int flags = (int)a[1];
	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	int fd = timerfd_create((int)a[0], (flags & O_NONBLOCK) | TFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	return file_install_new(t, fd, &timerfd_ops, NULL, flags & O_CLOEXEC, 8);
}

/* fs/timerfd.c timerfd_fget(): EBADF, or EINVAL for another kind of file. */
static long timerfd_file(struct task *t, uint64_t fd, struct file **out)
{
	struct file *f = fd_get(t, (int)fd);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (f->ops != &timerfd_ops)
		return -EINVAL;
	*out = f;
	return 0;
}

static bool timespec_valid(const struct linux_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < 1000000000;
}

static void to_guest(struct linux_itimerspec *g, const struct itimerspec *h)
{
	*g = (struct linux_itimerspec){ { h->it_interval.tv_sec, h->it_interval.tv_nsec },
					{ h->it_value.tv_sec, h->it_value.tv_nsec } };
}

long sys_timerfd_settime(struct task *t, SYSCALL_ARGS)
{
	struct linux_itimerspec nv;
	if (copy_from_guest(t, &nv, a[2], sizeof nv) < 0)
		return -EFAULT;
	if (((int)a[1] & ~TFD_SETTIME_FLAGS_) || !timespec_valid(&nv.interval) || !timespec_valid(&nv.value))
		return -EINVAL;
	struct file *f;
	long rc = timerfd_file(t, a[0], &f);
	if (rc < 0)
		return rc;
	struct itimerspec h = { { nv.interval.tv_sec, nv.interval.tv_nsec }, { nv.value.tv_sec, nv.value.tv_nsec } },
			  old;
	if (timerfd_settime(f->host_fd, (int)a[1], &h, &old) < 0)
		return -errno;
	struct linux_itimerspec o;
	to_guest(&o, &old);
	return a[3] && copy_to_guest(t, a[3], &o, sizeof o) < 0 ? -EFAULT : 0;
}

long sys_timerfd_gettime(struct task *t, SYSCALL_ARGS)
{
	struct file *f;
	long rc = timerfd_file(t, a[0], &f);
	if (rc < 0)
		return rc;
	struct itimerspec cur;
	if (timerfd_gettime(f->host_fd, &cur) < 0)
		return -errno;
	struct linux_itimerspec o;
	to_guest(&o, &cur);
	return copy_to_guest(t, a[1], &o, sizeof o) < 0 ? -EFAULT : 0;
}
