/* File syscalls on guest fds: read, write and their vector forms, ioctl,
 * stat and readlink. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdtable.h"
#include "guest_mem.h"
#include "rootfs.h"
#include "syscalls.h"
#include "task.h"

/* include/linux/fs.h: the most one read or write moves. */
#define MAX_RW_COUNT (INT_MAX & ~4095L)
#define GUEST_PATH_MAX 4096

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
		if (fill == 0)
			return done ? (long)done : (fault ? -EFAULT : 0);
		ssize_t w = write(f->host_fd, t->scratch, fill);
		if (w < 0) {
			if (errno == EPIPE)
				task_fatal_signal(t, SIGPIPE);
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

long sys_read(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f)
		return -EBADF;
	size_t count = a[2] < MAX_RW_COUNT ? a[2] : MAX_RW_COUNT;
	struct iovec iov = { (void *)(uintptr_t)a[1], count };
	return read_into_iov(t, f, &iov, 1, count);
}

long sys_write(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f)
		return -EBADF;
	size_t count = a[2] < MAX_RW_COUNT ? a[2] : MAX_RW_COUNT;
	if (count == 0)
		return write(f->host_fd, "", 0) < 0 ? -errno : 0;
	struct iovec iov = { (void *)(uintptr_t)a[1], count };
	return write_from_iov(t, f, &iov, 1);
}

static long get_iov(struct task *t, struct iovec *iov, SYSCALL_ARGS)
{
	if (!fd_get(t, (int)a[0]))
		return -EBADF;
	return copy_iovec_from_guest(t, iov, a[1], (int)a[2]);
}

long sys_readv(struct task *t, SYSCALL_ARGS)
{
	struct iovec iov[GUEST_UIO_MAXIOV];
	long total = get_iov(t, iov, a);
	if (total < 0)
		return total;
	return read_into_iov(t, fd_get(t, (int)a[0]), iov, (int)a[2], (size_t)total);
}

long sys_writev(struct task *t, SYSCALL_ARGS)
{
	struct iovec iov[GUEST_UIO_MAXIOV];
	long total = get_iov(t, iov, a);
	if (total <= 0)
		return total;
	return write_from_iov(t, fd_get(t, (int)a[0]), iov, (int)a[2]);
}

long sys_ioctl(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f)
		return -EBADF;
	switch ((unsigned int)a[1]) {
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

static long stat_path(struct task *t, int dirfd, uint64_t pathp, uint64_t statbuf, int flags)
{
	if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_NO_AUTOMOUNT | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	char path[GUEST_PATH_MAX];
	long rc = get_path(t, path, pathp);
	if (rc < 0)
		return rc;
	if (!path[0]) {
		if (!(flags & LINUX_AT_EMPTY_PATH))
			return -ENOENT;
		return stat_fd(t, dirfd, statbuf);
	}
	/* Until the VFS lands, relative paths start at the guest root. */
	if (path[0] != '/' && dirfd != LINUX_AT_FDCWD)
		return fd_get(t, dirfd) ? -ENOTDIR : -EBADF;
	int fd = rootfs_open(path, O_PATH, !(flags & LINUX_AT_SYMLINK_NOFOLLOW));
	if (fd < 0)
		return fd;
	struct stat st;
	rc = fstat(fd, &st) < 0 ? -errno : put_stat(t, statbuf, &st);
	close(fd);
	return rc;
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

static long do_readlink(struct task *t, int dirfd, uint64_t pathp, uint64_t buf, int64_t size)
{
	char path[GUEST_PATH_MAX];
	long rc = get_path(t, path, pathp);
	if (rc < 0)
		return rc;
	if (size <= 0)
		return -EINVAL;
	char target[GUEST_PATH_MAX];
	ssize_t len;
	if (strcmp(path, "/proc/self/exe") == 0) {
		len = (ssize_t)strlen(t->exe_path);
		memcpy(target, t->exe_path, (size_t)len);
	} else {
		if (!path[0])
			return -ENOENT;
		if (path[0] != '/' && dirfd != LINUX_AT_FDCWD)
			return fd_get(t, dirfd) ? -ENOTDIR : -EBADF;
		int fd = rootfs_open(path, O_PATH, false);
		if (fd < 0)
			return fd;
		len = readlinkat(fd, "", target, sizeof target);
		rc = len < 0 ? -errno : 0;
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
