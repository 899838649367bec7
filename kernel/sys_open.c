/* Opening and positioning: open, openat, openat2, creat, lseek. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdtable.h"
#include "guest_mem.h"
#include "process.h"
#include "syscalls.h"
#include "vfs.h"
#include "vfs_file.h"

/* fs/open.c VALID_OPEN_FLAGS */
#define VALID_OPEN_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND | O_NONBLOCK | \
			  O_DSYNC | O_ASYNC | O_DIRECT | LINUX_O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | \
			  O_NOATIME | O_CLOEXEC | O_PATH | LINUX_O_TMPFILE_BIT | O_SYNC)
#define O_PATH_FLAGS (O_DIRECTORY | O_NOFOLLOW | O_PATH | O_CLOEXEC)

/* fs/open.c build_open_flags(): the checks on flags and mode, then the
 * open, then the fd. */
static long do_open(struct task *t, int dirfd, uint64_t pathp, uint64_t flags, uint64_t mode, uint64_t resolve,
		    bool strict)
{
	if (strict) {
		/* openat2 refuses what open ignores. */
		if (flags & ~(uint64_t)VALID_OPEN_FLAGS)
			return -EINVAL;
		if (mode & ~07777ULL)
			return -EINVAL;
		if (!(flags & (O_CREAT | LINUX_O_TMPFILE_BIT)) && mode)
			return -EINVAL;
		if (resolve & ~(uint64_t)(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS |
					  RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_CACHED))
			return -EINVAL;
		if ((resolve & RESOLVE_BENEATH) && (resolve & RESOLVE_IN_ROOT))
			return -EINVAL;
		if ((flags & O_PATH) && (flags & ~(uint64_t)O_PATH_FLAGS))
			return -EINVAL;
	} else {
		flags &= VALID_OPEN_FLAGS;
		if (flags & O_PATH)
			flags &= O_PATH_FLAGS;
	}
	int fl = (int)flags;
	if ((fl & O_CREAT) && (fl & O_DIRECTORY))
		return -EINVAL;
	if ((fl & LINUX_O_TMPFILE_BIT) && ((fl & O_TMPFILE) != O_TMPFILE || !(fl & (O_WRONLY | O_RDWR))))
		return -EINVAL;
	if ((fl & LINUX_O_TMPFILE_BIT) && (fl & O_CREAT))
		return -EINVAL;
	if (resolve & RESOLVE_CACHED)
		return -EAGAIN; /* nothing is ever cached enough to promise */
	char path[VFS_PATH_MAX];
	long rc = copy_path_from_guest(t, path, pathp);
	if (rc < 0)
		return rc;
	unsigned lookup = (resolve & RESOLVE_NO_XDEV ? LOOKUP_NO_XDEV : 0) |
			  (resolve & RESOLVE_NO_MAGICLINKS ? LOOKUP_NO_MAGICLINKS : 0) |
			  (resolve & RESOLVE_NO_SYMLINKS ? LOOKUP_NO_SYMLINKS : 0) |
			  (resolve & RESOLVE_BENEATH ? LOOKUP_BENEATH : 0) |
			  (resolve & RESOLVE_IN_ROOT ? LOOKUP_IN_ROOT : 0);
	struct file *f;
	if ((rc = vfs_open(t, dirfd, path, fl | (fl & O_PATH ? 0 : LINUX_O_LARGEFILE), (uint32_t)mode, lookup, &f)) < 0)
		return rc;
	rc = fd_install(t, f, 0, fl & O_CLOEXEC);
	file_put(f);
	return rc;
}

long sys_open(struct task *t, SYSCALL_ARGS)
{
	return do_open(t, LINUX_AT_FDCWD, a[0], (unsigned int)a[1], (unsigned int)a[2] & 07777, 0, false);
}

long sys_openat(struct task *t, SYSCALL_ARGS)
{
	return do_open(t, (int)a[0], a[1], (unsigned int)a[2], (unsigned int)a[3] & 07777, 0, false);
}

long sys_creat(struct task *t, SYSCALL_ARGS)
{
	return do_open(t, LINUX_AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, (unsigned int)a[1] & 07777, 0, false);
}

/* include/uapi/linux/openat2.h: OPEN_HOW_SIZE_VER0 */
#define OPEN_HOW_SIZE_VER0 24

long sys_openat2(struct task *t, SYSCALL_ARGS)
{
	size_t size = a[3];
	if (size < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	if (size > 4096)
		return -E2BIG;
	struct open_how how;
	long rc = copy_struct_from_guest(t, &how, sizeof how, a[2], size);
	if (rc < 0)
		return rc;
	if (how.flags >> 32)
		return -EINVAL;
	return do_open(t, (int)a[0], a[1], how.flags, how.mode, how.resolve, true);
}

long sys_lseek(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f)
		return -EBADF;
	int64_t off = (int64_t)a[1];
	int whence = (int)a[2];
	if (whence < SEEK_SET || whence > SEEK_HOLE)
		return -EINVAL;
	if (f->flags & O_PATH)
		return -EBADF;
	if (!f->keeps_pos && f->host_fd >= 0) {
		off_t r = lseek(f->host_fd, off, whence);
		return r < 0 ? -errno : r;
	}
	if (f->inode && S_ISDIR(f->inode->mode)) {
		/* A directory offset is a cookie getdents handed out. */
		if (whence == SEEK_CUR)
			off += f->pos;
		else if (whence != SEEK_SET)
			return -EINVAL;
		if (off < 0)
			return -EINVAL;
		f->pos = off;
		return off;
	}
	if (!f->keeps_pos)
		return -ESPIPE;
	pthread_mutex_lock(&f->pos_lock);
	struct stat st;
	int64_t size = fstat(f->host_fd, &st) == 0 ? st.st_size : 0;
	int64_t base = whence == SEEK_CUR ? f->pos : whence == SEEK_END ? size : 0;
	long rc;
	if (whence == SEEK_DATA || whence == SEEK_HOLE) {
		/* Files have no holes here: data up to the end, one hole after. */
		rc = off < 0 || off >= size ? -ENXIO : whence == SEEK_DATA ? off : size;
	} else if (__builtin_add_overflow(base, off, &base) || base < 0) {
		rc = -EINVAL;
	} else {
		rc = base;
	}
	if (rc >= 0)
		f->pos = rc;
	pthread_mutex_unlock(&f->pos_lock);
	return rc;
}
