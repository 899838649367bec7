/* Changing what a file is: chmod, chown, truncate, fallocate, the utime
 * family, and the sync calls (contents live in memory: nothing to do). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdtable.h"
#include "fs.h"
#include "guest_mem.h"
#include "process.h"
#include "syscalls.h"
#include "vfs.h"
#include "vfs_file.h"

/* The inode a call changes: what path names from dirfd, or with an empty
 * path (AT_EMPTY_PATH) or a NULL one (futimens) dirfd's file. A reference
 * on the path in *p; vfs.lock held on success. An anonymous host object
 * (a pipe) has no inode: 1, and nothing to change. */
static long target(struct task *t, int dirfd, uint64_t pathp, bool null_ok, int flags, struct path *p)
{
	char path[VFS_PATH_MAX];
	long rc = 0;
	/* A NULL path names dirfd itself, never the working directory. */
	if (pathp || !null_ok || dirfd == LINUX_AT_FDCWD) {
		if ((rc = copy_path_from_guest(t, path, pathp)) < 0)
			return rc;
	} else {
		path[0] = 0;
		flags |= LINUX_AT_EMPTY_PATH;
	}
	if (!path[0] && (flags & LINUX_AT_EMPTY_PATH) && dirfd != LINUX_AT_FDCWD) {
		struct file *f = fd_get(t, dirfd);
		if (!f)
			return -EBADF;
		if (!f->path.dentry)
			return 1;
		pthread_mutex_lock(&vfs.lock);
		*p = path_get(f->path);
		return 0;
	}
	unsigned lf = (flags & LINUX_AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW) | (flags & LINUX_AT_EMPTY_PATH ? LOOKUP_EMPTY : 0);
	pthread_mutex_lock(&vfs.lock);
	if ((rc = vfs_walk(t, dirfd, path, lf, p)) < 0)
		pthread_mutex_unlock(&vfs.lock);
	return rc;
}

static void target_done(struct path p)
{
	path_put(p);
	pthread_mutex_unlock(&vfs.lock);
}

static bool owner_or_root(struct task *t, struct inode *i)
{
	struct cred c = task_cred(t);
	return c.fsuid == 0 || c.fsuid == i->uid;
}

/* fs/attr.c: a read-only mount refuses changes (after the owner check). */
static long setattr_start(struct task *t, struct path p)
{
	long rc = inode_attrs(p.dentry->inode);
	if (rc < 0)
		return rc;
	if (!owner_or_root(t, p.dentry->inode))
		return -EPERM;
	return p.mnt->readonly ? -EROFS : 0;
}

static long do_chmod(struct task *t, int dirfd, uint64_t pathp, uint32_t mode, int flags)
{
	struct path p;
	long rc = target(t, dirfd, pathp, !pathp, flags, &p);
	if (rc != 0)
		return rc > 0 ? 0 : rc;
	struct inode *i = p.dentry->inode;
	if ((rc = setattr_start(t, p)) == 0) {
		struct cred c = task_cred(t);
		mode &= 07777;
		/* A non-member loses set-group-ID (inode_init_owner's rule). */
		if (c.fsuid != 0 && i->gid != c.fsgid)
			mode &= ~(uint32_t)S_ISGID;
		if ((rc = host_setattr(i, &mode, NULL, NULL, NULL)) == 0) {
			i->mode = (i->mode & S_IFMT) | mode;
			i->ctime = vfs_now();
		}
		if (i->data_fd >= 0)
			fchmod(i->data_fd, mode);
	}
	target_done(p);
	return rc;
}

long sys_chmod(struct task *t, SYSCALL_ARGS)
{
	return do_chmod(t, LINUX_AT_FDCWD, a[0], (uint32_t)a[1], 0);
}

long sys_fchmodat(struct task *t, SYSCALL_ARGS)
{
	return do_chmod(t, (int)a[0], a[1], (uint32_t)a[2], 0);
}

long sys_fchmod(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	return do_chmod(t, (int)a[0], 0, (uint32_t)a[1], LINUX_AT_EMPTY_PATH);
}

static long do_chown(struct task *t, int dirfd, uint64_t pathp, uint32_t uid, uint32_t gid, int flags)
{
	if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	struct path p;
	long rc = target(t, dirfd, pathp, !pathp, flags, &p);
	if (rc != 0)
		return rc > 0 ? 0 : rc;
	struct inode *i = p.dentry->inode;
	struct cred c = task_cred(t);
	if ((rc = inode_attrs(i)) == 0) {
		/* fs/attr.c chown_ok/chgrp_ok: root anything; the owner only
		 * its own uid and a group it is in. */
		bool uid_ok = uid == (uint32_t)-1 || c.fsuid == 0 || (uid == i->uid && c.fsuid == i->uid);
		bool gid_ok = gid == (uint32_t)-1 || c.fsuid == 0 ||
			      (c.fsuid == i->uid && (gid == i->gid || gid == c.fsgid));
		rc = !uid_ok || !gid_ok ? -EPERM : p.mnt->readonly ? -EROFS : 0;
	}
	if (rc == 0)
		rc = host_setattr(i, NULL, uid != (uint32_t)-1 ? &uid : NULL, gid != (uint32_t)-1 ? &gid : NULL, NULL);
	if (rc == 0) {
		if (uid != (uint32_t)-1)
			i->uid = uid;
		if (gid != (uint32_t)-1)
			i->gid = gid;
		/* A change of owner drops set-user-ID, and set-group-ID where
		 * group execute makes it mean something. */
		if (!S_ISDIR(i->mode)) { /* even for -1, -1 (chown_common) */
			i->mode &= ~(uint32_t)S_ISUID;
			if (i->mode & S_IXGRP)
				i->mode &= ~(uint32_t)S_ISGID;
		}
		i->ctime = vfs_now();
	}
	target_done(p);
	return rc;
}

long sys_chown(struct task *t, SYSCALL_ARGS)
{
	return do_chown(t, LINUX_AT_FDCWD, a[0], (uint32_t)a[1], (uint32_t)a[2], 0);
}

long sys_lchown(struct task *t, SYSCALL_ARGS)
{
	return do_chown(t, LINUX_AT_FDCWD, a[0], (uint32_t)a[1], (uint32_t)a[2], LINUX_AT_SYMLINK_NOFOLLOW);
}

long sys_fchownat(struct task *t, SYSCALL_ARGS)
{
	return do_chown(t, (int)a[0], a[1], (uint32_t)a[2], (uint32_t)a[3], (int)a[4]);
}

long sys_fchown(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	return do_chown(t, (int)a[0], 0, (uint32_t)a[1], (uint32_t)a[2], LINUX_AT_EMPTY_PATH);
}

long sys_truncate(struct task *t, SYSCALL_ARGS)
{
	if ((int64_t)a[1] < 0)
		return -EINVAL;
	struct path p;
	long rc = target(t, LINUX_AT_FDCWD, a[0], false, 0, &p);
	if (rc != 0)
		return rc > 0 ? -EINVAL : rc;
	struct inode *i = p.dentry->inode;
	if ((rc = inode_attrs(i)) == 0) {
		if (S_ISDIR(i->mode))
			rc = -EISDIR;
		else if (!S_ISREG(i->mode))
			rc = -EINVAL;
		else if ((rc = vfs_permission(t, i, MAY_WRITE)) == 0 && !(rc = p.mnt->readonly ? -EROFS : 0)) {
			size_t one = 1;
			if (a[1] == 0 || (rc = rlimit_fsize_check(t, (int64_t)a[1] - 1, &one)) == 0)
				rc = inode_truncate(i, a[1]);
		}
	}
	target_done(p);
	return rc;
}

long sys_ftruncate(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if ((int64_t)a[1] < 0)
		return -EINVAL;
	if (!f->inode || !S_ISREG(f->inode->mode) || !f->writable)
		return -EINVAL;
	/* inode_newsize_ok(): past RLIMIT_FSIZE is EFBIG and SIGXFSZ. */
	size_t one = 1;
	long rc = a[1] ? rlimit_fsize_check(t, (int64_t)a[1] - 1, &one) : 0;
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&vfs.lock);
	rc = inode_truncate(f->inode, a[1]);
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

long sys_fallocate(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	int mode = (int)a[1];
	int64_t off = (int64_t)a[2], len = (int64_t)a[3];
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (off < 0 || len <= 0)
		return -EINVAL;
	if (!f->writable)
		return -EBADF;
	if (!f->inode)
		return f->host_fd >= 0 && lseek(f->host_fd, 0, SEEK_CUR) < 0 ? -ESPIPE : -ENODEV;
	if (S_ISDIR(f->inode->mode))
		return -EISDIR;
	if (!S_ISREG(f->inode->mode))
		return -ENODEV;
	if ((f->flags & O_APPEND) && (mode & ~FALLOC_FL_KEEP_SIZE))
		return -EPERM;
	pthread_mutex_lock(&vfs.lock);
	/* A read-write volume's file is its own host file, open for writing. */
	int fd = f->inode->sb->host_writes ? f->host_fd : inode_data_fd(f->inode);
	long rc = fd < 0 ? fd : fallocate(fd, mode, off, len) < 0 ? -errno : 0;
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

/* include/uapi/linux/stat.h */
#define UTIME_NOW_ ((1L << 30) - 1L)
#define UTIME_OMIT_ ((1L << 30) - 2L)

/* fs/utimes.c: times[0] atime, times[1] mtime; NULL is now for both. */
static long set_times(struct task *t, int dirfd, uint64_t pathp, const struct timespec *times, int flags)
{
	if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	struct timespec ts[2], now = vfs_now();
	bool explicit = false;
	for (int k = 0; k < 2; k++) {
		ts[k] = times ? times[k] : (struct timespec){ 0, UTIME_NOW_ };
		if (ts[k].tv_nsec != UTIME_NOW_ && ts[k].tv_nsec != UTIME_OMIT_ &&
		    (ts[k].tv_nsec < 0 || ts[k].tv_nsec > 999999999))
			return -EINVAL;
		explicit |= ts[k].tv_nsec != UTIME_NOW_ && ts[k].tv_nsec != UTIME_OMIT_;
	}
	if (ts[0].tv_nsec == UTIME_OMIT_ && ts[1].tv_nsec == UTIME_OMIT_)
		return 0; /* after the checks, before the lookup */
	struct path p;
	long rc = target(t, dirfd, pathp, true, flags, &p);
	if (rc != 0)
		return rc > 0 ? 0 : rc;
	struct inode *i = p.dentry->inode;
	if ((rc = inode_attrs(i)) == 0 && !owner_or_root(t, i))
		/* Setting them to now needs only write access. */
		rc = explicit ? -EPERM : vfs_permission(t, i, MAY_WRITE);
	if (rc == 0 && p.mnt->readonly)
		rc = -EROFS;
	if (rc == 0) {
		for (int k = 0; k < 2; k++)
			if (ts[k].tv_nsec == UTIME_NOW_)
				ts[k] = now;
		rc = host_setattr(i, NULL, NULL, NULL, ts);
	}
	if (rc == 0) {
		if (i->data_fd >= 0)
			futimens(i->data_fd, ts);
		if (ts[0].tv_nsec != UTIME_OMIT_)
			i->atime = ts[0];
		if (ts[1].tv_nsec != UTIME_OMIT_)
			i->mtime = ts[1];
		i->ctime = now;
	}
	target_done(p);
	return rc;
}

long sys_utimensat(struct task *t, SYSCALL_ARGS)
{
	struct timespec ts[2];
	if (a[2] && copy_from_guest(t, ts, a[2], sizeof ts) < 0)
		return -EFAULT;
	return set_times(t, (int)a[0], a[1], a[2] ? ts : NULL, (int)a[3]);
}

/* struct timeval pairs (utimes, futimesat): microseconds below a million. */
static long set_times_tv(struct task *t, int dirfd, uint64_t pathp, uint64_t tvp)
{
	struct { int64_t sec, usec; } tv[2];
	if (!tvp)
		return set_times(t, dirfd, pathp, NULL, 0);
	if (copy_from_guest(t, tv, tvp, sizeof tv) < 0)
		return -EFAULT;
	struct timespec ts[2];
	for (int k = 0; k < 2; k++) {
		if (tv[k].usec < 0 || tv[k].usec >= 1000000)
			return -EINVAL;
		ts[k] = (struct timespec){ tv[k].sec, tv[k].usec * 1000 };
	}
	return set_times(t, dirfd, pathp, ts, 0);
}

long sys_utimes(struct task *t, SYSCALL_ARGS)
{
	return set_times_tv(t, LINUX_AT_FDCWD, a[0], a[1]);
}

long sys_futimesat(struct task *t, SYSCALL_ARGS)
{
	return set_times_tv(t, (int)a[0], a[1], a[2]);
}

long sys_utime(struct task *t, SYSCALL_ARGS)
{
	struct { int64_t actime, modtime; } ub;
	if (!a[1])
		return set_times(t, LINUX_AT_FDCWD, a[0], NULL, 0);
	if (copy_from_guest(t, &ub, a[1], sizeof ub) < 0)
		return -EFAULT;
	struct timespec ts[2] = { { ub.actime, 0 }, { ub.modtime, 0 } };
	return set_times(t, LINUX_AT_FDCWD, a[0], ts, 0);
}

/* fsync on a pipe or socket is EINVAL; everything else is in memory. */
static long do_fsync(struct task *t, int fd)
{
	struct file *f = fd_get(t, fd);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (!f->inode && f->host_fd >= 0) {
		struct stat st;
		if (fstat(f->host_fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
			return -EINVAL;
	}
	return 0;
}

long sys_fsync(struct task *t, SYSCALL_ARGS)
{
	return do_fsync(t, (int)a[0]);
}

long sys_fdatasync(struct task *t, SYSCALL_ARGS)
{
	return do_fsync(t, (int)a[0]);
}

long sys_sync(struct task *t, SYSCALL_ARGS)
{
	(void)t, (void)a;
	return 0;
}

long sys_syncfs(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	return f && !(f->flags & O_PATH) ? 0 : -EBADF;
}
