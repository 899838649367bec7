/* File syscalls on guest fds: read, write and their vector forms, ioctl,
 * stat and readlink. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attrs.h"
#include "fdtable.h"
#include "guest_mem.h"
#include "process.h"
#include "rootfs.h"
#include "signal.h"
#include "syscalls.h"
#include "task.h"

/* include/linux/fs.h: the most one read or write moves. */
#define MAX_RW_COUNT (INT_MAX & ~4095L)
#define GUEST_PATH_MAX 4096
/* include/uapi/asm-generic/ioctls.h: the generic ioctls of fs/ioctl.c. */
#define LINUX_FIONREAD 0x541B
#define LINUX_FIONBIO 0x5421
#define LINUX_FIONCLEX 0x5450
#define LINUX_FIOCLEX 0x5451

/* One host read into scratch, scattered into the guest's buffers. */
static long read_into_iov(struct task *t, struct file *f, const struct iovec *iov, int n, size_t total)
{
	size_t want = total < TASK_SCRATCH_SIZE ? total : TASK_SCRATCH_SIZE;
	ssize_t got = read(f->host_fd, t->scratch, want);
	if (got < 0)
		return errno == EINTR ? -ERESTARTSYS : -errno;
	size_t done = 0;
	for (int i = 0; i < n && done < (size_t)got; i++) {
		size_t len = iov[i].iov_len < (size_t)got - done ? iov[i].iov_len : (size_t)got - done;
		long c = copy_to_guest_partial(t, (uint64_t)(uintptr_t)iov[i].iov_base, t->scratch + done, len);
		if (c < 0)
			return done ? (long)done : c;
		done += (size_t)c;
		if ((size_t)c < len)
			return (long)done;
	}
	return (long)done;
}

/* A write to a pipe nobody reads: EPIPE, and SIGPIPE to the writer as
 * fs/pipe.c's send_sig(SIGPIPE, current, 0); it may be ignored. */
static void send_sigpipe(struct task *t)
{
	pthread_mutex_lock(&kernel.lock);
	struct linux_siginfo info = signal_info_user(LINUX_SIGPIPE, LINUX_SI_USER, t);
	signal_send_task(t, &info);
	pthread_mutex_unlock(&kernel.lock);
}

/* Gather the guest's buffers into scratch and write them in as few host
 * writes as fit, so a small writev stays one atomic write. */
static long write_from_iov(struct task *t, struct file *f, const struct iovec *iov, int n)
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
		ssize_t w = write(f->host_fd, t->scratch, fill);
		if (w < 0) {
			if (errno == EPIPE)
				send_sigpipe(t);
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

long sys_read(struct task *t, SYSCALL_ARGS)
{
	struct file *f = rw_file(t, a[0], false);
	if (!f)
		return -EBADF;
	/* access_ok on the count asked for, before it is capped. */
	if (!guest_range_ok(a[1], a[2]))
		return -EFAULT;
	struct iovec iov = { (void *)(uintptr_t)a[1], a[2] < MAX_RW_COUNT ? a[2] : MAX_RW_COUNT };
	return read_into_iov(t, f, &iov, 1, iov.iov_len);
}

long sys_write(struct task *t, SYSCALL_ARGS)
{
	struct file *f = rw_file(t, a[0], true);
	if (!f)
		return -EBADF;
	if (!guest_range_ok(a[1], a[2]))
		return -EFAULT;
	size_t count = a[2] < MAX_RW_COUNT ? a[2] : MAX_RW_COUNT;
	/* An empty write still reaches the file, which may refuse it. */
	if (count == 0)
		return write(f->host_fd, "", 0) < 0 ? -errno : 0;
	struct iovec iov = { (void *)(uintptr_t)a[1], count };
	return write_from_iov(t, f, &iov, 1);
}

/* lib/iov_iter.c import_iovec(): the guest's iovec array (at most
 * UIO_MAXIOV entries, EINVAL), each length a valid ssize_t (EINVAL) and
 * each buffer passing access_ok (EFAULT). A total past MAX_RW_COUNT is
 * trimmed, never refused. Returns the total. */
static long import_iovec(struct task *t, struct iovec *iov, uint64_t addr, uint64_t n)
{
	if (n == 0)
		return 0;
	if (n > GUEST_UIO_MAXIOV)
		return -EINVAL;
	size_t bytes = n * sizeof *iov;
	if (!guest_range_ok(addr, bytes))
		return -EFAULT;
	long got = copy_from_guest_partial(t, iov, addr, bytes);
	/* Entries are read in order: a bad length stops the copy before a
	 * fault further on does. */
	for (long i = 0; i < got / (long)sizeof *iov; i++)
		if ((ssize_t)iov[i].iov_len < 0)
			return -EINVAL;
	if (got != (long)bytes)
		return -EFAULT;
	/* A lone buffer is capped before its check (import_ubuf), several
	 * are checked whole. */
	if (n == 1 && iov[0].iov_len > MAX_RW_COUNT)
		iov[0].iov_len = MAX_RW_COUNT;
	size_t total = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (!guest_range_ok((uint64_t)(uintptr_t)iov[i].iov_base, iov[i].iov_len))
			return -EFAULT;
		if (iov[i].iov_len > MAX_RW_COUNT - total)
			iov[i].iov_len = MAX_RW_COUNT - total;
		total += iov[i].iov_len;
	}
	return (long)total;
}

/* readv and writev (fs/read_write.c vfs_readv/vfs_writev). */
static long rw_vector(struct task *t, SYSCALL_ARGS, bool write)
{
	struct file *f = rw_file(t, a[0], write);
	if (!f)
		return -EBADF;
	struct iovec iov[GUEST_UIO_MAXIOV];
	long total = import_iovec(t, iov, a[1], a[2]);
	/* Nothing to move: 0 without asking the file. */
	if (total <= 0)
		return total;
	return write ? write_from_iov(t, f, iov, (int)a[2]) : read_into_iov(t, f, iov, (int)a[2], (size_t)total);
}

long sys_readv(struct task *t, SYSCALL_ARGS)
{
	return rw_vector(t, a, false);
}

long sys_writev(struct task *t, SYSCALL_ARGS)
{
	return rw_vector(t, a, true);
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
			/* A group that exists (ESRCH), in this session (EPERM). */
			rc = -ESRCH;
			for (struct thread_group *o = kernel.groups; o; o = o->next_group)
				if (o->pgid == v && !o->zombie)
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
		return ioctl(f->host_fd, FIONBIO, &on) < 0 ? -errno : 0;
	}
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

static long put_stat(struct task *t, uint64_t addr, const struct stat *st)
{
	struct linux_stat ls = {
		.st_dev = st->st_dev, .st_ino = st->st_ino, .st_nlink = st->st_nlink,
		.st_mode = st->st_mode, .st_uid = st->st_uid, .st_gid = st->st_gid,
		.st_rdev = st->st_rdev, .st_size = st->st_size, .st_blksize = st->st_blksize,
		.st_blocks = st->st_blocks,
		.st_atime_sec = st->st_atim.tv_sec, .st_atime_nsec = st->st_atim.tv_nsec,
		.st_mtime_sec = st->st_mtim.tv_sec, .st_mtime_nsec = st->st_mtim.tv_nsec,
		.st_ctime_sec = st->st_ctim.tv_sec, .st_ctime_nsec = st->st_ctim.tv_nsec,
	};
	return copy_to_guest(t, addr, &ls, sizeof ls);
}

static long stat_fd(struct task *t, int fd, uint64_t statbuf)
{
	struct file *f = fd_get(t, fd);
	if (!f)
		return -EBADF;
	struct stat st;
	if (fstat(f->host_fd, &st) < 0)
		return -errno;
	return put_stat(t, statbuf, &st);
}

/* A guest path argument, copied in with Linux's limits. */
static long get_path(struct task *t, char *path, uint64_t addr)
{
	long n = copy_string_from_guest(t, path, addr, GUEST_PATH_MAX);
	return n < 0 ? n : 0;
}

/* lstat of /proc/self/exe: procfs shows a link owned by the process. */
static void proc_link_stat(struct task *t, struct stat *st)
{
	struct cred c = task_cred(t);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	*st = (struct stat){
		.st_mode = S_IFLNK | 0777, .st_nlink = 1, .st_uid = c.euid, .st_gid = c.egid,
		.st_blksize = 1024, .st_atim = now, .st_mtim = now, .st_ctim = now,
	};
}

/* The host stat of what a guest path names from dirfd (*at semantics). */
static long lookup_stat(struct task *t, int dirfd, uint64_t pathp, int flags, struct stat *st)
{
	char path[GUEST_PATH_MAX];
	long rc = get_path(t, path, pathp);
	if (rc < 0)
		return rc;
	if (!path[0]) {
		if (!(flags & LINUX_AT_EMPTY_PATH))
			return -ENOENT;
		if (dirfd != LINUX_AT_FDCWD) {
			struct file *f = fd_get(t, dirfd);
			if (!f)
				return -EBADF;
			return fstat(f->host_fd, st) < 0 ? -errno : 0;
		}
		strcpy(path, "."); /* the working directory itself */
	}
	char abs[2 * GUEST_PATH_MAX];
	if ((rc = rootfs_path_at(t, dirfd, path, abs, sizeof abs)) < 0)
		return rc;
	bool follow = !(flags & LINUX_AT_SYMLINK_NOFOLLOW);
	int exe = rootfs_proc_self_exe(abs);
	if (exe < 0)
		return exe;
	if (exe && !follow) {
		proc_link_stat(t, st);
		return 0;
	}
	if (exe && (rc = rootfs_exe_image(t, abs, sizeof abs)) < 0)
		return rc;
	int fd = rootfs_open(abs, O_PATH, follow);
	if (fd < 0)
		return fd;
	rc = fstat(fd, st) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

static long stat_path(struct task *t, int dirfd, uint64_t pathp, uint64_t statbuf, int flags)
{
	if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_NO_AUTOMOUNT | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	struct stat st;
	long rc = lookup_stat(t, dirfd, pathp, flags, &st);
	return rc < 0 ? rc : put_stat(t, statbuf, &st);
}

/* include/uapi/linux/fcntl.h */
#define LINUX_AT_EACCESS 0x200

/* fs/open.c do_faccessat() over the guest's credentials (the real ids,
 * or the effective ones with AT_EACCESS): root passes read and write,
 * and execute when any x bit is set (or on a directory). */
static long do_access(struct task *t, int dirfd, uint64_t pathp, unsigned int mode, int flags)
{
	if (mode & ~7U)
		return -EINVAL;
	if (flags & ~(LINUX_AT_EACCESS | LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	struct stat st;
	long rc = lookup_stat(t, dirfd, pathp, flags & ~LINUX_AT_EACCESS, &st);
	if (rc < 0 || !mode)
		return rc;
	struct cred c = task_cred(t);
	uint32_t uid = flags & LINUX_AT_EACCESS ? c.euid : c.uid;
	uint32_t gid = flags & LINUX_AT_EACCESS ? c.egid : c.gid;
	if (uid == 0)
		return (mode & 1) && !S_ISDIR(st.st_mode) && !(st.st_mode & 0111) ? -EACCES : 0;
	unsigned int bits = st.st_uid == uid ? (st.st_mode >> 6) & 7
			  : st.st_gid == gid ? (st.st_mode >> 3) & 7 : st.st_mode & 7;
	return (bits & mode) == mode ? 0 : -EACCES;
}

long sys_access(struct task *t, SYSCALL_ARGS)
{
	return do_access(t, LINUX_AT_FDCWD, a[0], (unsigned int)a[1], 0);
}

long sys_faccessat(struct task *t, SYSCALL_ARGS)
{
	return do_access(t, (int)a[0], a[1], (unsigned int)a[2], 0);
}

long sys_faccessat2(struct task *t, SYSCALL_ARGS)
{
	return do_access(t, (int)a[0], a[1], (unsigned int)a[2], (int)a[3]);
}

long sys_fstat(struct task *t, SYSCALL_ARGS)
{
	return stat_fd(t, (int)a[0], a[1]);
}

long sys_stat(struct task *t, SYSCALL_ARGS)
{
	return stat_path(t, LINUX_AT_FDCWD, a[0], a[1], 0);
}

long sys_lstat(struct task *t, SYSCALL_ARGS)
{
	return stat_path(t, LINUX_AT_FDCWD, a[0], a[1], LINUX_AT_SYMLINK_NOFOLLOW);
}

long sys_newfstatat(struct task *t, SYSCALL_ARGS)
{
	return stat_path(t, (int)a[0], a[1], a[2], (int)a[3]);
}

/* fs/stat.c do_readlinkat(): the size first, then the path, which may
 * be empty only to fail (ENOENT, or EBADF for a bad dirfd). */
static long do_readlink(struct task *t, int dirfd, uint64_t pathp, uint64_t buf, int size)
{
	if (size <= 0)
		return -EINVAL;
	char path[GUEST_PATH_MAX];
	long rc = get_path(t, path, pathp);
	if (rc < 0)
		return rc;
	if (!path[0])
		return dirfd == LINUX_AT_FDCWD || fd_get(t, dirfd) ? -ENOENT : -EBADF;
	char abs[2 * GUEST_PATH_MAX], target[2 * GUEST_PATH_MAX];
	if ((rc = rootfs_path_at(t, dirfd, path, abs, sizeof abs)) < 0)
		return rc;
	int exe = rootfs_proc_self_exe(abs);
	if (exe < 0)
		return exe;
	ssize_t len = 0;
	if (exe) {
		if ((rc = rootfs_exe_image(t, target, sizeof target)) < 0)
			return rc;
		len = (ssize_t)strlen(target);
	} else {
		int fd = rootfs_open(abs, O_PATH, false);
		if (fd < 0)
			return fd;
		struct stat st;
		if (fstat(fd, &st) < 0)
			rc = -errno;
		else if (!S_ISLNK(st.st_mode))
			rc = -EINVAL;
		else if ((len = readlinkat(fd, "", target, sizeof target)) < 0)
			rc = -errno;
		close(fd);
		if (rc < 0)
			return rc;
	}
	if (len > size)
		len = size;
	rc = copy_to_guest(t, buf, target, (size_t)len);
	return rc < 0 ? rc : len;
}

long sys_readlink(struct task *t, SYSCALL_ARGS)
{
	return do_readlink(t, LINUX_AT_FDCWD, a[0], a[1], (int)a[2]);
}

long sys_readlinkat(struct task *t, SYSCALL_ARGS)
{
	return do_readlink(t, (int)a[0], a[1], a[2], (int)a[3]);
}
