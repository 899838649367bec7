/* Directories: getdents64, getdents, chdir, fchdir, getcwd, chroot, umask. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "fdtable.h"
#include "fs.h"
#include "guest_mem.h"
#include "process.h"
#include "syscalls.h"
#include "vfs.h"
#include "vfs_file.h"

struct dirent_sink {
	char *buf;
	size_t size, used;
	bool old_format;    /* struct linux_dirent (getdents) */
	int64_t pos;        /* the offset after the last entry taken */
	bool full;
};

/* Emit one entry; nonzero when the buffer is full. */
static int emit(void *ctx, const char *name, uint64_t ino, unsigned type, uint64_t next)
{
	struct dirent_sink *s = ctx;
	size_t namelen = strlen(name);
	/* struct linux_dirent64: name at 19; struct linux_dirent: name at 18
	 * and the type in the record's last byte. Both 8-aligned. */
	size_t reclen = s->old_format ? (18 + namelen + 2 + 7) & ~7UL : (19 + namelen + 1 + 7) & ~7UL;
	if (s->used + reclen > s->size) {
		s->full = true;
		return 1;
	}
	char *p = s->buf + s->used;
	memset(p, 0, reclen);
	uint64_t off = next;
	uint16_t rl = (uint16_t)reclen;
	memcpy(p, &ino, 8);
	memcpy(p + 8, &off, 8);
	memcpy(p + 16, &rl, 2);
	if (s->old_format) {
		/* struct linux_dirent: the name at 18, the type in the last byte. */
		memcpy(p + 18, name, namelen);
		p[reclen - 1] = (char)type;
	} else {
		p[18] = (char)type;
		memcpy(p + 19, name, namelen);
	}
	s->used += reclen;
	s->pos = (int64_t)next;
	return 0;
}

/* A file system's own listing counts from 0; offsets 1 and 2 are "." and
 * "..". */
static int emit_shifted(void *ctx, const char *name, uint64_t ino, unsigned type, uint64_t next)
{
	return emit(ctx, name, ino, type, next + 2);
}

static unsigned dtype(uint32_t mode)
{
	return (mode & S_IFMT) >> 12;
}

/* The entries of an open directory from its offset (vfs.lock held):
 * ".", "..", then the children in creation order, their offset the
 * child's sequence number (stable across unlinks). */
static int read_dir(struct task *t, struct file *f, struct dirent_sink *s)
{
	struct dentry *d = f->path.dentry;
	struct inode *i = d->inode;
	if (i->nlink == 0 && S_ISDIR(i->mode))
		return -ENOENT; /* a removed directory (IS_DEADDIR) */
	int64_t pos = f->pos;
	if (pos < 1 && emit(s, ".", i->ino, 4, 1))
		return 0;
	if (pos < 2) {
		struct path up = path_get(f->path);
		while (up.dentry == up.mnt->root && up.mnt->parent && up.dentry != t->fs->root.dentry) {
			struct path n = { up.mnt->parent, up.mnt->mountpoint };
			dget(n.dentry);
			path_put(up);
			up = n;
		}
		struct dentry *parent = up.dentry->parent && up.dentry != t->fs->root.dentry ? up.dentry->parent
											  : up.dentry;
		uint64_t pino = parent->inode ? parent->inode->ino : i->ino;
		path_put(up);
		if (emit(s, "..", pino, 4, 2))
			return 0;
	}
	if (i->sb->ops->iterate)
		return i->sb->ops->iterate(t, i, pos < 2 ? 0 : (uint64_t)pos - 2, emit_shifted, s) < 0 ? -EIO : 0;
	int rc = memfs_populate(d);
	if (rc < 0)
		return rc;
	for (struct dentry *c = d->first; c; c = c->next_sib) {
		if ((int64_t)c->seq <= pos || !c->inode)
			continue;
		if (emit(s, c->name, c->inode->ino, dtype(c->inode->mode), c->seq))
			break;
	}
	return 0;
}

static long do_getdents(struct task *t, SYSCALL_ARGS, bool old_format)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f || (f->flags & O_PATH))
		return -EBADF;
	if (!f->inode || !S_ISDIR(f->inode->mode))
		return -ENOTDIR;
	size_t count = (unsigned int)a[2];
	if (!guest_range_ok(a[1], count))
		return -EFAULT;
	struct dirent_sink s = { .buf = t->scratch, .size = count < TASK_SCRATCH_SIZE ? count : TASK_SCRATCH_SIZE,
				 .old_format = old_format };
	pthread_mutex_lock(&f->pos_lock);
	pthread_mutex_lock(&vfs.lock);
	s.pos = f->pos;
	if (f->pos < 2)
		s.pos = f->pos;
	long rc = read_dir(t, f, &s);
	pthread_mutex_unlock(&vfs.lock);
	if (rc == 0 && s.used == 0 && s.full)
		rc = -EINVAL; /* not even one entry fits */
	if (rc == 0 && s.used)
		rc = copy_to_guest(t, a[1], s.buf, s.used);
	if (rc == 0) {
		f->pos = s.pos;
		rc = (long)s.used;
	}
	pthread_mutex_unlock(&f->pos_lock);
	return rc;
}

long sys_getdents64(struct task *t, SYSCALL_ARGS)
{
	return do_getdents(t, a, false);
}

long sys_getdents(struct task *t, SYSCALL_ARGS)
{
	return do_getdents(t, a, true);
}

/* Make p t's working directory (or root): a directory it may search. */
static long set_dir(struct task *t, struct path p, bool root)
{
	struct inode *i = p.dentry->inode;
	long rc = !S_ISDIR(i->mode) ? -ENOTDIR : vfs_permission(t, i, MAY_EXEC);
	if (rc < 0) {
		path_put(p);
		return rc;
	}
	struct path *slot = root ? &t->fs->root : &t->fs->cwd;
	path_put(*slot);
	*slot = p;
	return 0;
}

static long dir_syscall(struct task *t, uint64_t pathp, bool root)
{
	char path[VFS_PATH_MAX];
	long rc = copy_path_from_guest(t, path, pathp);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&vfs.lock);
	struct path p;
	if ((rc = vfs_walk(t, LINUX_AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p)) == 0)
		rc = set_dir(t, p, root);
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

long sys_chdir(struct task *t, SYSCALL_ARGS)
{
	return dir_syscall(t, a[0], false);
}

long sys_chroot(struct task *t, SYSCALL_ARGS)
{
	/* CAP_SYS_CHROOT is checked after the walk (ksys_chroot). */
	char path[VFS_PATH_MAX];
	long rc = copy_path_from_guest(t, path, a[0]);
	if (rc < 0)
		return rc;
	pthread_mutex_lock(&vfs.lock);
	struct path p;
	if ((rc = vfs_walk(t, LINUX_AT_FDCWD, path, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p)) == 0) {
		rc = vfs_permission(t, p.dentry->inode, MAY_EXEC);
		if (rc == 0 && task_cred(t).euid != 0)
			rc = -EPERM;
		if (rc == 0)
			rc = set_dir(t, p, true);
		else
			path_put(p);
	}
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

long sys_fchdir(struct task *t, SYSCALL_ARGS)
{
	struct file *f = fd_get(t, (int)a[0]);
	if (!f)
		return -EBADF;
	if (!f->path.dentry)
		return -ENOTDIR;
	pthread_mutex_lock(&vfs.lock);
	long rc = set_dir(t, path_get(f->path), false);
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

long sys_getcwd(struct task *t, SYSCALL_ARGS)
{
	char buf[VFS_PATH_MAX];
	pthread_mutex_lock(&vfs.lock);
	struct path cwd = t->fs->cwd;
	long n = !cwd.dentry->hashed && cwd.dentry->parent ? -ENOENT : vfs_d_path(t, cwd, buf, sizeof buf);
	pthread_mutex_unlock(&vfs.lock);
	if (n < 0)
		return n;
	if ((uint64_t)n + 1 > a[1])
		return -ERANGE;
	long rc = copy_to_guest(t, a[0], buf, (size_t)n + 1);
	return rc < 0 ? rc : n + 1;
}

long sys_umask(struct task *t, SYSCALL_ARGS)
{
	pthread_mutex_lock(&vfs.lock);
	uint32_t old = t->fs->umask;
	t->fs->umask = (uint32_t)a[0] & 0777;
	pthread_mutex_unlock(&vfs.lock);
	return old;
}
