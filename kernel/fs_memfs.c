/* The in-memory file system behind tmpfs, devfs and the root. The root's
 * is layered over a host directory (the lower layer, never written): its
 * entries become dentries when first looked up, a file is copied into a
 * memfd when first changed (copy-up), and a deleted lower name stays as a
 * negative dentry (the whiteout).
 *
 * A host file is opened only by its path below the layer's directory,
 * every component already found by the guest's walk, with symlinks and
 * "..": refused (openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS), so a
 * symlink swapped in on the host cannot lead out of the layer. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "fdtable.h"
#include "fs.h"
#include "vfs.h"

/* A host file below the layer: openat2 confined to it. */
static int lower_open(struct super *sb, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, sb->lower_fd, rel, &how, sizeof how);
	return fd < 0 ? -errno : fd;
}

/* The host's kernel file systems that describe the host itself (with
 * --root / they would show cvisor's /proc/self, host pids and paths): a
 * directory on one shows as empty. */
static bool host_only_fs(int fd)
{
	static const long magic[] = {
		PROC_SUPER_MAGIC, SYSFS_MAGIC, CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC,
		DEBUGFS_MAGIC, TRACEFS_MAGIC, SECURITYFS_MAGIC, BPF_FS_MAGIC,
		PSTOREFS_MAGIC, BINFMTFS_MAGIC, DEVPTS_SUPER_MAGIC,
	};
	struct statfs sfs;
	if (fstatfs(fd, &sfs) < 0)
		return true; /* unknown: keep it out */
	for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
		if (sfs.f_type == magic[i])
			return true;
	return false;
}

char *child_rel(const char *dir, const char *name)
{
	char *rel;
	if (strcmp(dir, ".") == 0)
		return strdup(name);
	return asprintf(&rel, "%s/%s", dir, name) < 0 ? NULL : rel;
}

static void attrs_from_host(struct inode *i, const struct stat *st)
{
	i->mode = st->st_mode;
	i->uid = st->st_uid;
	i->gid = st->st_gid;
	i->nlink = (uint32_t)st->st_nlink;
	i->rdev = st->st_rdev;
	i->size = (uint64_t)st->st_size;
	i->blocks = (uint64_t)st->st_blocks;
	i->atime = st->st_atim;
	i->mtime = st->st_mtim;
	i->ctime = st->st_ctim;
	i->ino = st->st_ino;
}

/* Stat the lower file rel; a directory on a host-only file system loses
 * its lower (it shows empty). */
static int lower_stat(struct inode *i)
{
	int fd = lower_open(i->sb, i->lower, O_PATH);
	if (fd < 0)
		return fd;
	struct stat st;
	int rc = fstat(fd, &st) < 0 ? -errno : 0;
	if (rc == 0) {
		attrs_from_host(i, &st);
		if (S_ISDIR(st.st_mode) && host_only_fs(fd)) {
			free(i->lower);
			i->lower = NULL;
			i->populated = true;
			i->nlink = 2;
		}
	}
	close(fd);
	return rc;
}

int inode_attrs(struct inode *i)
{
	/* A read-write volume's files change under cvisor's own writes. */
	if (i->sb->host_writes && i->lower)
		i->attrs_pending = true;
	if (!i->attrs_pending)
		return 0;
	int rc = lower_stat(i);
	if (rc == 0)
		i->attrs_pending = false;
	return rc;
}

static struct inode *lower_inode(struct super *sb, const char *dir_rel, const char *name, uint32_t type)
{
	struct inode *i = inode_new(sb, type);
	if (!i)
		return NULL;
	sb->next_ino--; /* the host's inode numbers are used instead */
	if (!(i->lower = child_rel(dir_rel, name))) {
		iput(i);
		return NULL;
	}
	i->attrs_pending = true;
	return i;
}

static int memfs_lookup(struct inode *dir, struct dentry *d)
{
	if (!dir->lower)
		return 0;
	struct inode *i = lower_inode(dir->sb, dir->lower, d->name, 0);
	if (!i)
		return -ENOMEM;
	int rc = inode_attrs(i);
	if (rc < 0) {
		iput(i);
		/* Anything the host will not show is simply not there. */
		return rc == -ENOMEM ? rc : 0;
	}
	d->inode = i;
	i->refs++;
	return 0;
}

/* Make every lower entry of dir a dentry, so the tree lists it whole. */
static int populate(struct dentry *dir)
{
	struct inode *di = dir->inode;
	if (!di->lower || di->populated)
		return 0;
	int fd = lower_open(di->sb, di->lower, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd == -ENOENT || fd == -EACCES ? 0 : fd;
	DIR *dp = fdopendir(fd);
	if (!dp) {
		close(fd);
		return -errno;
	}
	struct dirent *e;
	int rc = 0;
	while ((e = readdir(dp)) && rc == 0) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || d_find(dir, e->d_name))
			continue;
		struct dentry *d = d_alloc(dir, e->d_name);
		struct inode *i = d ? lower_inode(di->sb, di->lower, e->d_name, (uint32_t)DTTOIF(e->d_type)) : NULL;
		if (!i) {
			dput(d);
			rc = -ENOMEM;
			break;
		}
		i->ino = e->d_ino;
		if (e->d_type == DT_UNKNOWN)
			inode_attrs(i);
		d->inode = i;
		i->refs++;
		d_add(dir, d);
		dput(d);
	}
	closedir(dp);
	if (rc == 0)
		di->populated = true;
	return rc;
}

int memfs_populate(struct dentry *dir)
{
	return populate(dir);
}

static long memfs_readlink(struct task *t, struct inode *i, char *buf, size_t size)
{
	(void)t;
	if (i->target) {
		size_t n = strlen(i->target);
		if (n >= size)
			n = size - 1;
		memcpy(buf, i->target, n);
		buf[n] = 0;
		return (long)n;
	}
	if (!i->lower)
		return -EINVAL;
	int fd = lower_open(i->sb, i->lower, O_PATH);
	if (fd < 0)
		return fd;
	ssize_t n = readlinkat(fd, "", buf, size - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return -err;
	buf[n] = 0;
	return n;
}

/* Copy the lower file's bytes into the new memfd. */
static int copy_up(struct inode *i, int memfd)
{
	int src = lower_open(i->sb, i->lower, O_RDONLY);
	if (src < 0)
		return src;
	int rc = 0;
	off_t off = 0;
	for (;;) {
		ssize_t n = sendfile(memfd, src, &off, 1 << 20);
		if (n < 0) {
			rc = -errno;
			break;
		}
		if (n == 0)
			break;
	}
	close(src);
	return rc;
}

int inode_data_fd(struct inode *i)
{
	if (i->data_fd >= 0)
		return i->data_fd;
	uint64_t bytes = i->lower && !i->attrs_pending ? i->size : 0;
	if (vfs.mem_limit && atomic_load(&vfs.mem_used) + bytes > vfs.mem_limit)
		return -ENOSPC;
	int fd = (int)syscall(SYS_memfd_create, "cvisor-file", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (i->lower && !i->attrs_pending && i->size) {
		int rc = copy_up(i, fd);
		if (rc < 0) {
			close(fd);
			return rc;
		}
	}
	/* The copy keeps the lower file's times, as overlayfs does. */
	struct timespec ts[2] = { i->atime, i->mtime };
	futimens(fd, ts);
	atomic_fetch_add(&vfs.mem_used, bytes);
	i->data_fd = fd;
	free(i->lower);
	i->lower = NULL;
	return fd;
}

int inode_truncate(struct inode *i, uint64_t size)
{
	int rc = inode_attrs(i);
	if (rc < 0)
		return rc;
	struct kstat st;
	if ((rc = vfs_getattr(i, &st)) < 0)
		return rc;
	bool in_memory = !(i->sb->host_writes && i->lower);
	if (in_memory && vfs.mem_limit && size > st.size && atomic_load(&vfs.mem_used) + (size - st.size) > vfs.mem_limit)
		return -ENOSPC;
	if (i->sb->host_writes && i->lower) {
		int fd = lower_open(i->sb, i->lower, O_WRONLY);
		if (fd < 0)
			return fd;
		rc = ftruncate(fd, (off_t)size) < 0 ? -errno : 0;
		close(fd);
		i->attrs_pending = true;
		return rc;
	}
	int fd = inode_data_fd(i);
	if (fd < 0)
		return fd;
	if (ftruncate(fd, (off_t)size) < 0)
		return -errno;
	if (size > st.size)
		atomic_fetch_add(&vfs.mem_used, size - st.size);
	else
		atomic_fetch_sub(&vfs.mem_used, st.size - size);
	return 0;
}

size_t vfs_mem_reserve(struct file *f, int64_t pos, size_t n)
{
	struct inode *i = f->inode;
	if (!vfs.mem_limit || !i || i->data_fd < 0 || f->host_fd != i->data_fd)
		return n;
	struct stat st;
	if (fstat(i->data_fd, &st) < 0 || pos + (int64_t)n <= st.st_size)
		return n;
	uint64_t growth = (uint64_t)(pos + (int64_t)n - (pos > st.st_size ? pos : st.st_size));
	uint64_t used = atomic_load(&vfs.mem_used);
	uint64_t room = used < vfs.mem_limit ? vfs.mem_limit - used : 0;
	if (growth > room) {
		size_t fit = n - (size_t)(growth - room);
		atomic_fetch_add(&vfs.mem_used, room);
		return fit;
	}
	atomic_fetch_add(&vfs.mem_used, growth);
	return n;
}

/* A regular file's host fd for this open: the memfd once there is one
 * (shared by every open, which keep their own offsets), else the lower
 * file read-only. */
static int open_regular(struct file *f, struct inode *i)
{
	int acc = f->flags & O_ACCMODE;
	bool write = acc != O_RDONLY || (f->flags & O_TRUNC);
	if (i->data_fd < 0 && i->lower && (!write || i->sb->host_writes)) {
		/* A read-write volume's file is written in place. */
		int fd = lower_open(i->sb, i->lower, acc == 3 ? O_RDONLY : acc);
		if (fd < 0)
			return fd;
		f->host_fd = fd;
		f->own_host_fd = true;
	} else {
		int fd = inode_data_fd(i);
		if (fd < 0)
			return fd;
		f->host_fd = fd;
	}
	f->keeps_pos = true;
	return 0;
}

static int memfs_open(struct task *t, struct file *f, struct inode *i)
{
	if (f->flags & O_PATH)
		return 0;
	switch (i->mode & S_IFMT) {
	case S_IFREG:
		return open_regular(f, i);
	case S_IFDIR:
		return 0;
	case S_IFCHR:
		return dev_open(f, i);
	case S_IFIFO:
		return fifo_open(t, f, i);
	case S_IFLNK:
		return -ELOOP;
	default:
		return -ENXIO; /* sockets, block devices */
	}
}

const struct fs_ops memfs_ops = {
	.lookup = memfs_lookup,
	.open = memfs_open,
	.readlink = memfs_readlink,
};

struct super *memfs_new(const char *type, uint32_t magic, int lower_fd)
{
	struct super *sb = calloc(1, sizeof *sb);
	if (!sb)
		return NULL;
	*sb = (struct super){
		.ops = &memfs_ops, .type = type, .dev = vfs.next_dev++, .lower_fd = lower_fd,
		.next_ino = lower_fd >= 0 ? 1ULL << 40 : 2, .magic = magic,
	};
	return sb;
}
