/* Moving bytes between two files inside the kernel: sendfile,
 * copy_file_range, splice and tee. All of them copy through cvisor (the
 * host would splice, but the guest's offsets are cvisor's). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdtable.h"
#include "guest_mem.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"

/* include/linux/fs.h MAX_RW_COUNT */
#define MAX_RW_COUNT_ (0x7fffffffL & ~4095L)

static bool is_pipe(struct file *f)
{
	struct stat st;
	return f->host_fd >= 0 && !f->keeps_pos && fstat(f->host_fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* One read or write of the file's bytes at *at (or its own offset). */
static ssize_t kio(struct file *f, void *buf, size_t n, int64_t *at, bool out)
{
	if (f->host_fd < 0)
		return f->inode && S_ISDIR(f->inode->mode) ? -EISDIR : -EINVAL;
	ssize_t r;
	if (!f->keeps_pos) {
		r = at ? (out ? pwrite(f->host_fd, buf, n, *at) : pread(f->host_fd, buf, n, *at))
		       : (out ? write(f->host_fd, buf, n) : read(f->host_fd, buf, n));
		if (r < 0)
			return errno == EINTR ? -ERESTARTSYS : -errno;
		if (at)
			*at += r;
		return r;
	}
	pthread_mutex_lock(&f->pos_lock);
	int64_t pos = at ? *at : f->pos;
	if (out && (f->flags & O_APPEND)) {
		struct stat st;
		if (fstat(f->host_fd, &st) == 0)
			pos = st.st_size;
	}
	if (out && (n = vfs_mem_reserve(f, pos, n)) == 0) {
		pthread_mutex_unlock(&f->pos_lock);
		return -ENOSPC;
	}
	r = out ? pwrite(f->host_fd, buf, n, pos) : pread(f->host_fd, buf, n, pos);
	if (r < 0)
		r = -errno;
	else if (at)
		*at = pos + r;
	else
		f->pos = pos + r;
	pthread_mutex_unlock(&f->pos_lock);
	return r;
}

/* Copy up to len bytes from in to out through scratch. Stops at the end
 * of in, at a short write, or (after some progress) when a read would
 * block on a pipe. */
static long copy_between(struct task *t, struct file *in, int64_t *in_at, struct file *out, int64_t *out_at,
			 size_t len)
{
	size_t done = 0;
	bool pipe_in = is_pipe(in);
	while (done < len) {
		size_t want = len - done < TASK_SCRATCH_SIZE ? len - done : TASK_SCRATCH_SIZE;
		if (pipe_in && done) {
			/* Only what is there already: splice returns what moved. */
			int avail = 0;
			if (ioctl(in->host_fd, FIONREAD, &avail) < 0 || avail <= 0)
				break;
			if ((size_t)avail < want)
				want = (size_t)avail;
		}
		ssize_t r = kio(in, t->scratch, want, in_at, false);
		if (r < 0)
			return done ? (long)done : r;
		if (r == 0)
			break;
		ssize_t w = kio(out, t->scratch, (size_t)r, out_at, true);
		if (w < 0) {
			if (w == -EPIPE) {
				pthread_mutex_lock(&kernel.lock);
				struct linux_siginfo info = signal_info_user(LINUX_SIGPIPE, LINUX_SI_USER, t);
				signal_send_task(t, &info);
				pthread_mutex_unlock(&kernel.lock);
			}
			return done ? (long)done : w;
		}
		done += (size_t)w;
		if (w < r) {
			/* Give back what was read but not written. */
			if (in_at)
				*in_at -= r - w;
			else if (in->keeps_pos)
				in->pos -= r - w;
			break;
		}
	}
	return (long)done;
}

/* An optional guest loff_t: read into *v, 1 if there was one. */
static long get_off(struct task *t, uint64_t addr, int64_t *v)
{
	if (!addr)
		return 0;
	if (copy_from_guest(t, v, addr, sizeof *v) < 0)
		return -EFAULT;
	return 1;
}

long sys_sendfile(struct task *t, SYSCALL_ARGS)
{
	struct file *out = fd_get(t, (int)a[0]), *in = fd_get(t, (int)a[1]);
	if (!in || !in->readable || !out || !out->writable)
		return -EBADF;
	if (out->flags & O_APPEND)
		return -EINVAL;
	int64_t off;
	long has = get_off(t, a[2], &off);
	if (has < 0)
		return has;
	if (has && off < 0)
		return -EINVAL;
	if (has && is_pipe(in))
		return -ESPIPE;
	size_t len = a[3] < (uint64_t)MAX_RW_COUNT_ ? a[3] : MAX_RW_COUNT_;
	long rc = copy_between(t, in, has ? &off : NULL, out, NULL, len);
	if (rc >= 0 && has && copy_to_guest(t, a[2], &off, sizeof off) < 0)
		return -EFAULT;
	return rc;
}

long sys_copy_file_range(struct task *t, SYSCALL_ARGS)
{
	if (a[5])
		return -EINVAL;
	struct file *in = fd_get(t, (int)a[0]), *out = fd_get(t, (int)a[2]);
	if (!in || !in->readable || !out || !out->writable)
		return -EBADF;
	if ((in->inode && S_ISDIR(in->inode->mode)) || (out->inode && S_ISDIR(out->inode->mode)))
		return -EISDIR;
	if (!in->keeps_pos || !out->keeps_pos)
		return -EINVAL;
	if (out->flags & O_APPEND)
		return -EBADF;
	int64_t ioff, ooff;
	long hi = get_off(t, a[1], &ioff), ho = hi < 0 ? hi : get_off(t, a[3], &ooff);
	if (hi < 0 || ho < 0)
		return -EFAULT;
	if ((hi && ioff < 0) || (ho && ooff < 0))
		return -EOVERFLOW;
	size_t len = a[4] < (uint64_t)MAX_RW_COUNT_ ? a[4] : MAX_RW_COUNT_;
	/* generic_copy_file_checks(): no overlapping copy within a file. */
	int64_t pin = hi ? ioff : in->pos, pout = ho ? ooff : out->pos;
	if (in->inode == out->inode && pin < pout + (int64_t)len && pout < pin + (int64_t)len)
		return -EINVAL;
	long rc = copy_between(t, in, hi ? &ioff : NULL, out, ho ? &ooff : NULL, len);
	if (rc >= 0 && ((hi && copy_to_guest(t, a[1], &ioff, sizeof ioff) < 0) ||
			(ho && copy_to_guest(t, a[3], &ooff, sizeof ooff) < 0)))
		return -EFAULT;
	return rc;
}

/* include/uapi/linux/fcntl.h SPLICE_F_* */
#define SPLICE_F_NONBLOCK_ 0x2
#define SPLICE_F_ALL 0xf

long sys_splice(struct task *t, SYSCALL_ARGS)
{
	struct file *in = fd_get(t, (int)a[0]), *out = fd_get(t, (int)a[2]);
	if (a[5] & ~(uint64_t)SPLICE_F_ALL)
		return -EINVAL;
	if (!in || !in->readable || !out || !out->writable)
		return -EBADF;
	bool pin = is_pipe(in), pout = is_pipe(out);
	if (!pin && !pout)
		return -EINVAL;
	if ((pin && a[1]) || (pout && a[3]))
		return -ESPIPE;
	int64_t ioff, ooff;
	long hi = get_off(t, a[1], &ioff), ho = hi < 0 ? hi : get_off(t, a[3], &ooff);
	if (hi < 0 || ho < 0)
		return -EFAULT;
	if ((hi && ioff < 0) || (ho && ooff < 0))
		return -EINVAL;
	if (out->flags & O_APPEND)
		return -EINVAL;
	if (a[4] == 0)
		return 0;
	if ((a[5] & SPLICE_F_NONBLOCK_) && pin) {
		/* Nothing queued: EAGAIN while a writer may still come, 0 at EOF. */
		struct pollfd pfd = { .fd = in->host_fd, .events = POLLIN };
		if (poll(&pfd, 1, 0) == 0)
			return -EAGAIN;
	}
	size_t len = a[4] < (uint64_t)MAX_RW_COUNT_ ? a[4] : MAX_RW_COUNT_;
	long rc = copy_between(t, in, hi ? &ioff : NULL, out, ho ? &ooff : NULL, len);
	if (rc >= 0 && ((hi && copy_to_guest(t, a[1], &ioff, sizeof ioff) < 0) ||
			(ho && copy_to_guest(t, a[3], &ooff, sizeof ooff) < 0)))
		return -EFAULT;
	return rc;
}

/* tee duplicates without consuming: the host's own tee on its pipes. */
long sys_tee(struct task *t, SYSCALL_ARGS)
{
	struct file *in = fd_get(t, (int)a[0]), *out = fd_get(t, (int)a[1]);
	if (a[3] & ~(uint64_t)SPLICE_F_ALL)
		return -EINVAL;
	if (!in || !in->readable || !out || !out->writable)
		return -EBADF;
	if (!is_pipe(in) || !is_pipe(out) || in == out)
		return -EINVAL;
	ssize_t r = tee(in->host_fd, out->host_fd, a[2] < (uint64_t)MAX_RW_COUNT_ ? a[2] : MAX_RW_COUNT_,
			(unsigned int)a[3]);
	return r < 0 ? (errno == EINTR ? -ERESTARTSYS : -errno) : r;
}
