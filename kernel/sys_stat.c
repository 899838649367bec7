/* The stat family: stat, fstat, lstat, newfstatat, statx, statfs,
 * fstatfs, access and its *at forms, readlink and readlinkat. */
#include <errno.h>
#include <linux/magic.h>
#include <stdatomic.h>
#include <sys/sysinfo.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fdtable.h"
#include "fs.h"
#include "guest_mem.h"
#include "process.h"
#include "syscalls.h"
#include "vfs.h"
#include "vfs_file.h"

long copy_path_from_guest(struct task *t, char *path, uint64_t addr)
{
	long n = copy_string_from_guest(t, path, addr, VFS_PATH_MAX);
	return n < 0 ? n : 0;
}

/* A file's attributes: its inode's, or the host object's it stands for. */
int file_getattr(struct file *f, struct kstat *st)
{
	if (f->inode) {
		pthread_mutex_lock(&vfs.lock);
		int rc = vfs_getattr(f->inode, st);
		pthread_mutex_unlock(&vfs.lock);
		return rc;
	}
	struct stat hs;
	if (fstat(f->host_fd, &hs) < 0)
		return -errno;
	*st = (struct kstat){
		.dev = hs.st_dev, .ino = hs.st_ino, .rdev = hs.st_rdev, .size = (uint64_t)hs.st_size,
		.blocks = (uint64_t)hs.st_blocks, .mode = hs.st_mode, .uid = hs.st_uid, .gid = hs.st_gid,
		.nlink = (uint32_t)hs.st_nlink, .blksize = (uint32_t)hs.st_blksize,
		.atime = hs.st_atim, .mtime = hs.st_mtim, .ctime = hs.st_ctim,
	};
	/* A socket is one whatever host object stands for it (an eventfd
	 * until it connects). */
	if (f->ops && !strcmp(f->ops->name, "socket"))
		st->mode = S_IFSOCK | 0777;
	return 0;
}

/* What path names from dirfd (AT_EMPTY_PATH: dirfd's file itself). */
long path_getattr(struct task *t, int dirfd, const char *path, int flags, struct kstat *st)
{
	if (!path[0] && (flags & LINUX_AT_EMPTY_PATH)) {
		if (dirfd == LINUX_AT_FDCWD) {
			path = ".";
		} else {
			struct file *f = fd_get(t, dirfd);
			return f ? file_getattr(f, st) : -EBADF;
		}
	}
	unsigned lf = flags & LINUX_AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW;
	pthread_mutex_lock(&vfs.lock);
	struct path p;
	long rc = vfs_walk(t, dirfd, path, lf, &p);
	if (rc == 0) {
		rc = vfs_getattr(p.dentry->inode, st);
		path_put(p);
	}
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

static long put_stat(struct task *t, uint64_t addr, const struct kstat *st)
{
	struct linux_stat ls = {
		.st_dev = st->dev, .st_ino = st->ino, .st_nlink = st->nlink,
		.st_mode = st->mode, .st_uid = st->uid, .st_gid = st->gid,
		.st_rdev = st->rdev, .st_size = (int64_t)st->size, .st_blksize = st->blksize,
		.st_blocks = (int64_t)st->blocks,
		.st_atime_sec = (uint64_t)st->atime.tv_sec, .st_atime_nsec = (uint64_t)st->atime.tv_nsec,
		.st_mtime_sec = (uint64_t)st->mtime.tv_sec, .st_mtime_nsec = (uint64_t)st->mtime.tv_nsec,
		.st_ctime_sec = (uint64_t)st->ctime.tv_sec, .st_ctime_nsec = (uint64_t)st->ctime.tv_nsec,
	};
	return copy_to_guest(t, addr, &ls, sizeof ls);
}

static long stat_path(struct task *t, int dirfd, uint64_t pathp, uint64_t statbuf, int flags)
{
	if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_NO_AUTOMOUNT | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	char path[VFS_PATH_MAX];
	long rc = copy_path_from_guest(t, path, pathp);
	if (rc < 0)
		return rc;
	struct kstat st;
	if ((rc = path_getattr(t, dirfd, path, flags, &st)) < 0)
		return rc;
	return put_stat(t, statbuf, &st);
}

long sys_fstat(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f)
		return -EBADF;
	struct kstat st;
	long rc = file_getattr(f, &st);
	return rc < 0 ? rc : put_stat(t, a[1], &st);
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

static struct linux_statx_timestamp stx_time(struct timespec ts)
{
	return (struct linux_statx_timestamp){ .tv_sec = ts.tv_sec, .tv_nsec = (uint32_t)ts.tv_nsec };
}

long sys_statx(struct task *t, SYSCALL_ARGS)
{
	int dirfd = (int)a[0], flags = (int)a[2];
	unsigned mask = (unsigned)a[3];
	if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_NO_AUTOMOUNT | LINUX_AT_EMPTY_PATH |
		      LINUX_AT_STATX_SYNC_TYPE))
		return -EINVAL;
	if ((flags & LINUX_AT_STATX_SYNC_TYPE) == LINUX_AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & LINUX_STATX__RESERVED)
		return -EINVAL;
	char path[VFS_PATH_MAX];
	long rc = copy_path_from_guest(t, path, a[1]);
	if (rc < 0)
		return rc;
	struct kstat st;
	if ((rc = path_getattr(t, dirfd, path, flags, &st)) < 0)
		return rc;
	struct linux_statx sx = {
		.stx_mask = LINUX_STATX_BASIC_STATS | LINUX_STATX_MNT_ID, .stx_blksize = st.blksize,
		.stx_nlink = st.nlink, .stx_uid = st.uid, .stx_gid = st.gid, .stx_mode = (uint16_t)st.mode,
		.stx_ino = st.ino, .stx_size = st.size, .stx_blocks = st.blocks,
		.stx_atime = stx_time(st.atime), .stx_ctime = stx_time(st.ctime), .stx_mtime = stx_time(st.mtime),
		.stx_rdev_major = major(st.rdev), .stx_rdev_minor = minor(st.rdev),
		.stx_dev_major = major(st.dev), .stx_dev_minor = minor(st.dev),
	};
	return copy_to_guest(t, a[4], &sx, sizeof sx);
}

/* statfs of the file system an inode is on. */
static long put_statfs(struct task *t, uint64_t addr, struct super *sb, bool readonly)
{
	struct linux_statfs s = {
		.f_type = sb->magic, .f_bsize = 4096, .f_namelen = VFS_NAME_MAX, .f_frsize = 4096,
		/* ST_VALID, ST_RDONLY, ST_RELATIME as Linux's statfs flags */
		.f_flags = 0x20 | (readonly ? 1 : 0) | 0x400,
		.f_fsid = { (int32_t)sb->dev, 0 },
	};
	struct statfs hs;
	if (sb->lower_fd >= 0 && fstatfs(sb->lower_fd, &hs) == 0) {
		s.f_blocks = hs.f_blocks;
		s.f_bfree = hs.f_bfree;
		s.f_bavail = hs.f_bavail;
		s.f_files = hs.f_files;
		s.f_ffree = hs.f_ffree;
		s.f_bsize = s.f_frsize = hs.f_bsize;
	} else if (sb->magic == TMPFS_MAGIC) {
		/* tmpfs: --tmpfs-size, else half the memory as Linux's default. */
		struct sysinfo si;
		uint64_t size = vfs.mem_limit ? vfs.mem_limit
			      : sysinfo(&si) == 0 ? (uint64_t)si.totalram * si.mem_unit / 2 : 1ULL << 30;
		uint64_t blocks = size / 4096, used = (atomic_load(&vfs.mem_used) + 4095) / 4096;
		s.f_blocks = blocks;
		s.f_bfree = s.f_bavail = used < blocks ? blocks - used : 0;
		s.f_files = s.f_ffree = 1 << 20;
	}
	return copy_to_guest(t, addr, &s, sizeof s);
}

long sys_statfs(struct task *t, SYSCALL_ARGS)
{
	char path[VFS_PATH_MAX];
	long rc = copy_path_from_guest(t, path, a[0]);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&vfs.lock);
	struct path p;
	if ((rc = vfs_walk(t, LINUX_AT_FDCWD, path, LOOKUP_FOLLOW, &p)) == 0) {
		struct super *sb = p.dentry->inode->sb;
		bool ro = p.mnt->readonly;
		path_put(p);
		pthread_mutex_unlock(&vfs.lock);
		return put_statfs(t, a[1], sb, ro);
	}
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

long sys_fstatfs(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f)
		return -EBADF;
	if (!f->inode) {
		/* pipefs and the like: the host's answer has no host paths. */
		struct statfs hs;
		if (fstatfs(f->host_fd, &hs) < 0)
			return -errno;
		return copy_to_guest(t, a[1], &hs, sizeof hs);
	}
	return put_statfs(t, a[1], f->inode->sb, f->path.mnt && f->path.mnt->readonly);
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
	char path[VFS_PATH_MAX];
	long rc = copy_path_from_guest(t, path, pathp);
	if (rc < 0)
		return rc;
	struct kstat st;
	if ((rc = path_getattr(t, dirfd, path, flags & ~LINUX_AT_EACCESS, &st)) < 0 || !mode)
		return rc;
	struct cred c = task_cred(t);
	uint32_t uid = flags & LINUX_AT_EACCESS ? c.euid : c.uid;
	uint32_t gid = flags & LINUX_AT_EACCESS ? c.egid : c.gid;
	if ((mode & 2) && !S_ISCHR(st.mode) && !S_ISFIFO(st.mode) && !S_ISSOCK(st.mode)) {
		/* A write to a read-only mount is EROFS, even for root. */
		pthread_mutex_lock(&vfs.lock);
		struct path p;
		bool ro = false;
		if (vfs_walk(t, dirfd, path[0] ? path : ".", flags & LINUX_AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW,
			     &p) == 0) {
			ro = p.mnt->readonly;
			path_put(p);
		}
		pthread_mutex_unlock(&vfs.lock);
		if (ro)
			return -EROFS;
	}
	if (uid == 0)
		return (mode & 1) && !S_ISDIR(st.mode) && !(st.mode & 0111) ? -EACCES : 0;
	unsigned int bits = st.uid == uid ? (st.mode >> 6) & 7
			  : st.gid == gid ? (st.mode >> 3) & 7 : st.mode & 7;
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

/* fs/stat.c do_readlinkat(): the size first, then the path, which may
 * be empty only to fail (ENOENT, or EBADF for a bad dirfd). */
static long do_readlink(struct task *t, int dirfd, uint64_t pathp, uint64_t buf, int size)
{
	if (size <= 0)
		return -EINVAL;
	char path[VFS_PATH_MAX];
	long rc = copy_path_from_guest(t, path, pathp);
	if (rc < 0)
		return rc;
	char target[VFS_PATH_MAX];
	pthread_mutex_lock(&vfs.lock);
	struct path p;
	if (!path[0]) {
		/* An empty path reads dirfd's own link (an O_PATH fd on one). */
		struct file *f = dirfd == LINUX_AT_FDCWD ? NULL : fd_get(t, dirfd);
		rc = dirfd != LINUX_AT_FDCWD && !f ? -EBADF : !f || !f->path.dentry ? -ENOENT : 0;
		if (rc == 0)
			p = path_get(f->path);
	} else {
		rc = vfs_walk(t, dirfd, path, 0, &p);
	}
	if (rc == 0) {
		struct inode *i = p.dentry->inode;
		rc = !S_ISLNK(i->mode) ? (path[0] ? -EINVAL : -ENOENT) : i->sb->ops->readlink(t, i, target, sizeof target);
		path_put(p);
	}
	pthread_mutex_unlock(&vfs.lock);
	if (rc < 0)
		return rc;
	long len = rc > size ? size : rc;
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
