/* eventfd and eventfd2: the host's eventfd, so its counter, semaphore mode,
 * 8-byte reads and writes, overflow and readiness are Linux's own. */
#include <errno.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "fdtable.h"
#include "syscalls.h"

/* include/uapi/linux/eventfd.h */
#define LINUX_EFD_SEMAPHORE 1

static const struct file_ops eventfd_ops = { .name = "[eventfd]" };

long sys_eventfd2(struct task *t, SYSCALL_ARGS)
{
	int flags = (int)a[1];
	if (flags & ~(LINUX_EFD_SEMAPHORE | O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	int fd = eventfd((unsigned)a[0], (flags & ~O_CLOEXEC) | EFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* A read or write is one 8-byte host call. */
	return file_install_new(t, fd, &eventfd_ops, NULL, flags & O_CLOEXEC, 8);
}

long sys_eventfd(struct task *t, SYSCALL_ARGS)
{
	return sys_eventfd2(t, (uint64_t[6]){ a[0], 0 });
}
