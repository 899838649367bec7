/* File syscalls on guest fds: read, write, their p-, vector and 2 forms,
 * and ioctl. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attrs.h"
#include "fdtable.h"
#include "guest_mem.h"
#include "host_wait.h"
#include "vfs.h"
#include "vfs_file.h"
#include "process.h"
#include "signal.h"
#include "syscalls.h"
#include "task.h"
#include "tty_job.h"

/* include/linux/fs.h: the most one read or write moves. */
#define MAX_RW_COUNT (INT_MAX & ~4095L)
#define GUEST_PATH_MAX 4096
/* include/uapi/asm-generic/ioctls.h: the generic ioctls of fs/ioctl.c. */
#define LINUX_FIONREAD 0x541B
#define LINUX_FIONBIO 0x5421
#define LINUX_FIONCLEX 0x5450
#define LINUX_FIOCLEX 0x5451

/* Host reads into scratch, scattered into the guest's buffers: at *pos
 * when given (pread), else at the host fd's own offset. A pipe or tty
 * (fault_chunk set) gives one read's worth, as it would; files and
 * devices fill the whole request unless they run out. */
static long read_into_iov(struct task *t, struct file *f, const struct iovec *iov, int n, size_t total,
			  int64_t *pos)
{
	long jc = tty_job_check(t, f->host_fd, TTY_JOB_READ);
	if (jc)
		return jc;
	if (!pos && (jc = stream_read_fault(t, f->host_fd, iov, n, total)) < 0)
		return jc;
	/* A pipe read that would block waits here (host_wait.c). Not a tty's:
	 * with VMIN 0 its read returns where a poll would wait. */
	if (!pos && f->fault_chunk == PIPE_WRITE_CHUNK && !(f->flags & O_NONBLOCK) &&
	    (jc = host_fd_wait(t, f->host_fd, POLLIN)) < 0)
		return jc;
	size_t done = 0, off = 0; /* off: into iov[i] */
	int i = 0;
	long rc = 0;
	while (done < total) {
		size_t want = total - done < TASK_SCRATCH_SIZE ? total - done : TASK_SCRATCH_SIZE;
		ssize_t got = pos ? pread(f->host_fd, t->scratch, want, *pos + (int64_t)done)
				  : read(f->host_fd, t->scratch, want);
		if (got < 0) {
			if (!done)
				rc = errno == EINTR ? -ERESTARTSYS : -errno;
			goto out;
		}
		for (size_t put = 0; put < (size_t)got && i < n;) {
			size_t len = iov[i].iov_len - off;
			if (len > (size_t)got - put)
				len = (size_t)got - put;
			long c = copy_to_guest_partial(t, (uint64_t)(uintptr_t)iov[i].iov_base + off, t->scratch + put,
						       len);
			if (c < 0) {
				if (!done)
					rc = c;
				goto out;
			}
			done += (size_t)c;
			put += (size_t)c;
			off += (size_t)c;
			if ((size_t)c < len)
				goto out;
			if (off == iov[i].iov_len) {
				i++;
				off = 0;
			}
		}
		if ((size_t)got < want || f->fault_chunk)
			break;
	}
out:
	/* The offset moves by what the guest got, not what the host read. */
	if (pos)
		*pos += (int64_t)done;
	return rc < 0 ? rc : (long)done;
}

/* A signal the kernel sends the writer itself: SIGPIPE for a pipe nobody
 * reads (fs/pipe.c send_sig), SIGXFSZ past RLIMIT_FSIZE. */
static void send_self(struct task *t, int sig)
{
	pthread_mutex_lock(&kernel.lock);
	struct linux_siginfo info = signal_info_user(sig, LINUX_SI_USER, t);
	signal_send_task(t, &info);
	pthread_mutex_unlock(&kernel.lock);
}

long rlimit_fsize_check(struct task *t, int64_t pos, size_t *n)
{
	uint64_t lim = t->tg->rlimits[LINUX_RLIMIT_FSIZE].rlim_cur;
	if (lim == LINUX_RLIM_INFINITY)
		return 0;
	if ((uint64_t)pos >= lim) {
		send_self(t, LINUX_SIGXFSZ);
		return -EFBIG;
	}
	if (*n > lim - (uint64_t)pos)
		*n = (size_t)(lim - (uint64_t)pos);
	return 0;
}

/* Gather the guest's buffers into scratch and write them in as few host
 * writes as fit, so a small writev stays one atomic write. */
static long write_from_iov(struct task *t, struct file *f, const struct iovec *iov, int n, int64_t *pos)
{
	size_t done = 0;
	int i = 0;
	size_t off = 0; /* into iov[i] */
	while (i < n) {
		size_t fill = 0;
		bool fault = false;
		while (i < n && fill < TASK_SCRATCH_SIZE) {
			size_t len = iov[i].iov_len - off;
			if (len > TASK_SCRATCH_SIZE - fill)
				len = TASK_SCRATCH_SIZE - fill;
			long c = copy_from_guest_partial(t, t->scratch + fill,
							 (uint64_t)(uintptr_t)iov[i].iov_base + off, len);
			if (c > 0) {
				fill += (size_t)c;
				off += (size_t)c;
			}
			if (c < (long)len) {
				fault = true;
				break;
			}
			if (off == iov[i].iov_len) {
				i++;
				off = 0;
			}
		}
		/* Pipes and ttys copy a whole chunk before passing any of
		 * it on: the chunk the fault is in is never written. */
		if (fault && f->fault_chunk)
			fill -= fill % f->fault_chunk;
		if (fill == 0)
			return done ? (long)done : (fault ? -EFAULT : 0);
		long jc = done ? 0 : tty_job_check(t, f->host_fd, TTY_JOB_WRITE);
		if (jc)
			return jc;
		ssize_t w = pos ? pwrite(f->host_fd, t->scratch, fill, *pos) : write(f->host_fd, t->scratch, fill);
		if (w > 0 && pos)
			*pos += w;
		if (w < 0) {
			if (errno == EPIPE)
				send_self(t, LINUX_SIGPIPE);
			if (errno == EINTR && !done)
				return -ERESTARTSYS;
			return done ? (long)done : -errno;
		}
		done += (size_t)w;
		if ((size_t)w < fill || fault)
			break;
	}
	return (long)done;
}

/* fs/read_write.c: the fd must be open for the direction (EBADF) before
 * anything about the buffers is looked at. */
static struct file *rw_file(struct task *t, uint64_t fd, bool write)
{
	struct file *f = fd_get(t, (int)fd);
	return f && (write ? f->writable : f->readable) ? f : NULL;
}

/* A read or write at the file's offset (or at *at for the p- forms):
 * seekable files keep theirs in cvisor, others are the host's. */
static long file_rw(struct task *t, struct file *f, const struct iovec *iov, int n, size_t total, bool write,
		    int64_t *at)
{
	if (f->ops && (write ? f->ops->write : f->ops->read))
		return at ? -ESPIPE : write ? f->ops->write(t, f, iov, n, total) : f->ops->read(t, f, iov, n, total);
	if (f->host_fd < 0)
		return f->inode && S_ISDIR(f->inode->mode) ? -EISDIR : -EINVAL;
	if (write && f->write_error)
		return -f->write_error;
	if (at && !f->keeps_pos) {
		/* pread on the host's own object: a pipe says ESPIPE. */
		if (lseek(f->host_fd, 0, SEEK_CUR) < 0)
			return -ESPIPE;
	}
	if (!f->keeps_pos && !at)
		return write ? write_from_iov(t, f, iov, n, NULL) : read_into_iov(t, f, iov, n, total, NULL);
	pthread_mutex_lock(&f->pos_lock);
	int64_t pos = at ? *at : f->pos;
	if (write && (f->flags & O_APPEND)) {
		struct stat st;
		if (fstat(f->host_fd, &st) == 0)
			pos = st.st_size; /* Linux appends even for pwrite */
	}
	long rc;
	/* generic_write_check_limits(): RLIMIT_FSIZE cuts a regular file's
	 * write, or refuses it at the limit. */
	size_t want = total;
	if (write && f->inode && S_ISREG(f->inode->mode) && (rc = rlimit_fsize_check(t, pos, &want)) < 0) {
		pthread_mutex_unlock(&f->pos_lock);
		return rc;
	}
	size_t fit = write ? vfs_mem_reserve(f, pos, want) : total;
	if (fit < total) {
		/* --tmpfs-size: what fits is written, then ENOSPC. */
		struct iovec cut[GUEST_UIO_MAXIOV];
		int k = 0;
		for (size_t left = fit; k < n && left; k++) {
			cut[k] = iov[k];
			if (cut[k].iov_len > left)
				cut[k].iov_len = left;
			left -= cut[k].iov_len;
		}
		rc = fit ? write_from_iov(t, f, cut, k, &pos) : -ENOSPC;
	} else {
		rc = write ? write_from_iov(t, f, iov, n, &pos) : read_into_iov(t, f, iov, n, total, &pos);
	}
	if (!at)
		f->pos = pos;
	pthread_mutex_unlock(&f->pos_lock);
	return rc;
}

/* A pidfd has neither direction: EINVAL rather than EBADF. */
static long no_rw(struct task *t, uint64_t fd)
{
	struct file *f = fd_get(t, (int)fd);
	return f && f->pidfd ? -EINVAL : -EBADF;
}

long sys_read(struct task *t, SYSCALL_ARGS)
{
	struct file *f = rw_file(t, a[0], false);
	if (!f)
		return no_rw(t, a[0]);
	/* access_ok on the count asked for, before it is capped. */
	if (!guest_range_ok(a[1], a[2]))
		return -EFAULT;
	struct iovec iov = { (void *)(uintptr_t)a[1], a[2] < MAX_RW_COUNT ? a[2] : MAX_RW_COUNT };
	return file_rw(t, f, &iov, 1, iov.iov_len, false, NULL);
}

long sys_write(struct task *t, SYSCALL_ARGS)
{
	struct file *f = rw_file(t, a[0], true);
	if (!f)
		return no_rw(t, a[0]);
	if (!guest_range_ok(a[1], a[2]))
		return -EFAULT;
	size_t count = a[2] < MAX_RW_COUNT ? a[2] : MAX_RW_COUNT;
	/* An empty write still reaches the file, which may refuse it. */
	if (count == 0 && f->write_error)
		return -f->write_error;
	if (count == 0)
		return f->host_fd < 0 ? -EINVAL : write(f->host_fd, "", 0) < 0 ? -errno : 0;
	struct iovec iov = { (void *)(uintptr_t)a[1], count };
	return file_rw(t, f, &iov, 1, count, true, NULL);
}

/* pread64 and pwrite64: a negative offset is EINVAL; pipes ESPIPE. */
static long rw_at(struct task *t, SYSCALL_ARGS, bool write)
{
	struct file *f = rw_file(t, a[0], write);
	if (!f)
		return -EBADF;
	if (!guest_range_ok(a[1], a[2]))
		return -EFAULT;
	int64_t off = (int64_t)a[3];
	if (off < 0)
		return -EINVAL;
	size_t count = a[2] < MAX_RW_COUNT ? a[2] : MAX_RW_COUNT;
	if (count == 0 && !f->inode && f->host_fd >= 0 && lseek(f->host_fd, 0, SEEK_CUR) < 0)
		return -ESPIPE;
	if (count == 0)
		return 0;
	struct iovec iov = { (void *)(uintptr_t)a[1], count };
	return file_rw(t, f, &iov, 1, count, write, &off);
}

long sys_pread64(struct task *t, SYSCALL_ARGS)
{
	return rw_at(t, a, false);
}

long sys_pwrite64(struct task *t, SYSCALL_ARGS)
{
	return rw_at(t, a, true);
}

/* include/uapi/linux/fs.h: RWF_* for preadv2/pwritev2. */
#define RWF_SUPPORTED_ 0x1f
#define RWF_NOWAIT_ 0x8
#define RWF_APPEND_ 0x10

/* readv and writev (fs/read_write.c vfs_readv/vfs_writev), and their p-
 * and 2 forms: at is the offset, or -1 for the file's own. */
static long rw_vector(struct task *t, SYSCALL_ARGS, bool write, int64_t at, int rwf)
{
	struct file *f = rw_file(t, a[0], write);
	if (!f)
		return -EBADF;
	if (rwf & ~RWF_SUPPORTED_)
		return -EOPNOTSUPP;
	struct iovec iov[GUEST_UIO_MAXIOV];
	long total = import_iovec_from_guest(t, iov, a[1], a[2]);
	if (total < 0)
		return total;
	if (at != -1 && !f->keeps_pos && f->host_fd >= 0 && lseek(f->host_fd, 0, SEEK_CUR) < 0)
		return -ESPIPE;
	if (at < -1)
		return -EINVAL;
	/* Nothing to move: 0 without asking the file. */
	if (total == 0)
		return 0;
	if ((rwf & RWF_NOWAIT_) && !f->keeps_pos && f->host_fd >= 0) {
		/* A pipe: what is there, or EAGAIN instead of waiting. */
		struct pollfd pfd = { .fd = f->host_fd, .events = write ? POLLOUT : POLLIN };
		if (poll(&pfd, 1, 0) == 0)
			return -EAGAIN;
	}
	int saved = f->flags;
	if (rwf & RWF_APPEND_)
		f->flags |= O_APPEND;
	long rc = file_rw(t, f, iov, (int)a[2], (size_t)total, write, at == -1 ? NULL : &at);
	f->flags = saved;
	return rc;
}

long sys_readv(struct task *t, SYSCALL_ARGS)
{
	return rw_vector(t, a, false, -1, 0);
}

long sys_writev(struct task *t, SYSCALL_ARGS)
{
	return rw_vector(t, a, true, -1, 0);
}

long sys_preadv(struct task *t, SYSCALL_ARGS)
{
	return (int64_t)a[3] < 0 ? -EINVAL : rw_vector(t, a, false, (int64_t)a[3], 0);
}

long sys_pwritev(struct task *t, SYSCALL_ARGS)
{
	return (int64_t)a[3] < 0 ? -EINVAL : rw_vector(t, a, true, (int64_t)a[3], 0);
}

/* An offset of -1 means the file's own (and its update). */
long sys_preadv2(struct task *t, SYSCALL_ARGS)
{
	return rw_vector(t, a, false, (int64_t)a[3], (int)a[5]);
}

long sys_pwritev2(struct task *t, SYSCALL_ARGS)
{
	return rw_vector(t, a, true, (int64_t)a[3], (int)a[5]);
}

/* The job-control ioctls: the terminal's session is init's and its
 * foreground process group a guest one, kept by cvisor (the host's are
 * cvisor's own and mean nothing inside). */
static long tty_job_ioctl(struct task *t, struct file *f, unsigned int cmd, uint64_t arg)
{
	struct linux_termios probe;
	if (ioctl(f->host_fd, TCGETS, &probe) < 0)
		return -ENOTTY;
	pthread_mutex_lock(&kernel.lock);
	struct thread_group *g = t->tg;
	long rc = 0;
	int32_t v = 0;
	bool ours = g->sid == kernel.init->sid; /* the terminal's session */
	switch (cmd) {
	case LINUX_TIOCGPGRP:
		v = kernel.tty_fg_pgrp;
		rc = ours ? 1 : -ENOTTY;
		break;
	case LINUX_TIOCGSID:
		v = kernel.init->sid;
		rc = ours ? 1 : -ENOTTY;
		break;
	case LINUX_TIOCSPGRP:
		pthread_mutex_unlock(&kernel.lock);
		if (copy_from_guest(t, &v, arg, sizeof v) < 0)
			return -EFAULT;
		pthread_mutex_lock(&kernel.lock);
		if (!ours)
			rc = -ENOTTY;
		else if (v < 0)
			rc = -EINVAL;
		else {
			/* A group that exists (ESRCH), in this session (EPERM);
			 * an unreaped zombie is a member still. */
			rc = -ESRCH;
			for (struct thread_group *o = kernel.groups; o; o = o->next_group)
				if (o->pgid == v)
					rc = o->sid == g->sid ? 0 : rc == 0 ? 0 : -EPERM;
			if (rc == 0)
				kernel.tty_fg_pgrp = v;
		}
		break;
	case LINUX_TIOCSCTTY:
		/* Already the controlling terminal of init's session. */
		rc = ours && g->sid == g->pid ? 0 : -EPERM;
		break;
	case LINUX_TIOCNOTTY:
		rc = ours ? 0 : -ENOTTY;
		break;
	}
	pthread_mutex_unlock(&kernel.lock);
	if (rc == 1)
		rc = copy_to_guest(t, arg, &v, sizeof v);
	return rc;
}

long sys_ioctl(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f)
		return -EBADF;
	long jc = tty_job_ioctl_check(t, f->host_fd, (unsigned int)a[1]);
	if (jc)
		return jc;
	switch ((unsigned int)a[1]) {
	case LINUX_FIOCLEX:
	case LINUX_FIONCLEX:
		fd_set_cloexec(t, (int)a[0], (unsigned int)a[1] == LINUX_FIOCLEX);
		return 0;
	case LINUX_FIONBIO: {
		/* O_NONBLOCK on the host's open file, as F_SETFL sets it. */
		int on;
		if (copy_from_guest(t, &on, a[2], sizeof on) < 0)
			return -EFAULT;
		f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~O_NONBLOCK;
		if (f->host_fd < 0 || f->keeps_pos)
			return 0;
		return ioctl(f->host_fd, FIONBIO, &on) < 0 ? -errno : 0;
	}
	}
	if (f->ops && f->ops->ioctl)
		return f->ops->ioctl(t, f, (unsigned int)a[1], a[2]);
	if (f->host_fd < 0)
		return -ENOTTY;
	if (f->keeps_pos) {
		/* A regular file: FIONREAD is what is left past the offset. */
		if ((unsigned int)a[1] != LINUX_FIONREAD)
			return -ENOTTY;
		struct stat st;
		if (fstat(f->host_fd, &st) < 0)
			return -errno;
		int n = st.st_size > f->pos ? (int)(st.st_size - f->pos) : 0;
		return copy_to_guest(t, a[2], &n, sizeof n);
	}
	switch ((unsigned int)a[1]) {
	case LINUX_FIONREAD: {
		/* The host file's count: bytes queued in a pipe or tty, a
		 * regular file's size past the offset; ENOTTY elsewhere. */
		int n;
		if (ioctl(f->host_fd, FIONREAD, &n) < 0)
			return -errno;
		return copy_to_guest(t, a[2], &n, sizeof n);
	}
	case LINUX_TCGETS: {
		struct linux_termios tio;
		if (ioctl(f->host_fd, TCGETS, &tio) < 0)
			return -errno;
		return copy_to_guest(t, a[2], &tio, sizeof tio);
	}
	case LINUX_TIOCGWINSZ: {
		struct linux_winsize ws;
		if (ioctl(f->host_fd, TIOCGWINSZ, &ws) < 0)
			return -errno;
		return copy_to_guest(t, a[2], &ws, sizeof ws);
	}
	case LINUX_TCSETS:
	case LINUX_TCSETSW:
	case LINUX_TCSETSF: {
		/* The guest's terminal is the host's: its modes go through. */
		struct linux_termios tio;
		if (copy_from_guest(t, &tio, a[2], sizeof tio) < 0)
			return -EFAULT;
		unsigned long cmd = (unsigned int)a[1] == LINUX_TCSETS ? TCSETS
				  : (unsigned int)a[1] == LINUX_TCSETSW ? TCSETSW : TCSETSF;
		return ioctl(f->host_fd, cmd, &tio) < 0 ? -errno : 0;
	}
	case LINUX_TIOCSWINSZ: {
		struct linux_winsize ws;
		if (copy_from_guest(t, &ws, a[2], sizeof ws) < 0)
			return -EFAULT;
		return ioctl(f->host_fd, TIOCSWINSZ, &ws) < 0 ? -errno : 0;
	}
	case LINUX_TIOCGPGRP:
	case LINUX_TIOCSPGRP:
	case LINUX_TIOCGSID:
	case LINUX_TIOCSCTTY:
	case LINUX_TIOCNOTTY:
		return tty_job_ioctl(t, f, (unsigned int)a[1], a[2]);
	}
	return -ENOTTY;
}
