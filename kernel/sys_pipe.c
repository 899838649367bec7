/* pipe and pipe2: the host's pipes, so their buffer size, PIPE_BUF
 * atomicity, F_SETPIPE_SZ and EPIPE are Linux's own. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fdtable.h"
#include "guest_mem.h"
#include "syscalls.h"

/* include/uapi/linux/watch_queue.h */
#define O_NOTIFICATION_PIPE_ O_EXCL

long sys_pipe2(struct task *t, SYSCALL_ARGS)
{
	int flags = (int)a[1];
	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE_))
		return -EINVAL;
	if (flags & O_NOTIFICATION_PIPE_)
		return -ENOPKG; /* CONFIG_WATCH_QUEUE is not there */
	int p[2];
	if (pipe2(p, O_CLOEXEC | (flags & (O_NONBLOCK | O_DIRECT))) < 0)
		return -errno;
	struct file *r = file_new_host(p[0], true), *w = r ? file_new_host(p[1], true) : NULL;
	if (!w) {
		if (r)
			file_put(r);
		else
			close(p[0]);
		close(p[1]);
		return -ENFILE;
	}
	long rc;
	int fds[2] = { fd_install(t, r, 0, flags & O_CLOEXEC), -1 };
	if (fds[0] >= 0 && (fds[1] = fd_install(t, w, 0, flags & O_CLOEXEC)) < 0) {
		fd_close(t, fds[0]);
		rc = fds[1];
	} else {
		rc = fds[0] < 0 ? fds[0] : copy_to_guest(t, a[0], fds, sizeof fds);
		if (rc < 0 && fds[0] >= 0) {
			/* The fds were never seen: as if the call failed. */
			fd_close(t, fds[0]);
			fd_close(t, fds[1]);
		}
	}
	file_put(r);
	file_put(w);
	return rc;
}

long sys_pipe(struct task *t, SYSCALL_ARGS)
{
	return sys_pipe2(t, (uint64_t[6]){ a[0], 0 });
}
