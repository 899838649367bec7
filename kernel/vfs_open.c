/* Opening files (fs/namei.c path_openat, fs/open.c do_dentry_open): the
 * final component with O_CREAT, O_EXCL, O_NOFOLLOW, O_DIRECTORY, O_TRUNC,
 * O_TMPFILE and O_PATH, in Linux's order of checks. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fdtable.h"
#include "fs.h"
#include "process.h"
#include "vfs.h"
#include "vfs_namei.h"

/* The open file on p's inode, made by its file system (vfs.lock held):
 * p gets a reference of its own. Status flags only; open-time ones go. */
static int open_file(struct task *t, struct path p, int flags, struct file **out)
{
	struct inode *i = p.dentry->inode;
	struct file *f = file_alloc(-1, flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC |
						 LINUX_O_TMPFILE_BIT));
	if (!f)
		return -ENOMEM;
	f->path = path_get(p);
	f->inode = i;
	iget(i);
	i->nopen++;
	int rc = i->sb->ops->open(t, f, i);
	/* O_TRUNC truncates even a read-only open (it needed write access). */
	if (rc == 0 && (flags & O_TRUNC) && S_ISREG(i->mode))
		rc = inode_truncate(i, 0);
	if (rc < 0) {
		pthread_mutex_unlock(&vfs.lock);
		file_put(f);
		pthread_mutex_lock(&vfs.lock);
		return rc;
	}
	*out = f;
	return 0;
}

int vfs_open_path(struct task *t, struct path p, int flags, struct file **out)
{
	struct inode *i = p.dentry->inode;
	int rc = inode_attrs(i);
	if (rc < 0)
		return rc;
	int acc = flags & O_ACCMODE;
	if (!(flags & O_PATH)) {
		int may = 0;
		if (acc == O_RDONLY || acc == O_RDWR)
			may |= MAY_READ;
		if (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC))
			may |= MAY_WRITE;
		if (S_ISDIR(i->mode) && (may & MAY_WRITE))
			return -EISDIR;
		if (S_ISLNK(i->mode))
			return -ELOOP;
		if ((rc = vfs_permission(t, i, may)) < 0)
			return rc;
		if ((may & MAY_WRITE) && p.mnt->readonly && (S_ISREG(i->mode) || S_ISDIR(i->mode)))
			return -EROFS;
	}
	if ((flags & O_DIRECTORY) && !S_ISDIR(i->mode))
		return -ENOTDIR;
	return open_file(t, p, flags, out);
}

/* The file an O_CREAT open names when it does not exist yet. */
static int create_file(struct task *t, struct path dir, struct dentry *d, uint32_t mode, int flags,
		       struct file **out)
{
	int rc = may_create(t, dir);
	if (rc < 0)
		return rc;
	struct inode *i = new_inode_in(t, dir.dentry, S_IFREG | (mode & 07777 & ~t->fs->umask));
	if (!i)
		return -ENOMEM;
	if ((rc = host_create(dir.dentry->inode, d->name, i)) < 0) {
		iput(i);
		return rc;
	}
	link_child(dir.dentry, d, i);
	/* A new file opens whatever its mode says (POSIX); it is empty. */
	return open_file(t, (struct path){ dir.mnt, d }, flags & ~O_TRUNC, out);
}

/* O_TMPFILE: an unnamed regular file in the directory p. */
static int open_tmpfile(struct task *t, struct path p, uint32_t mode, int flags, struct file **out)
{
	int rc = may_create(t, p);
	if (rc < 0)
		return rc;
	struct dentry *d = d_alloc(p.dentry, "#tmpfile");
	struct inode *i = d ? new_inode_in(t, p.dentry, S_IFREG | (mode & 07777 & ~t->fs->umask)) : NULL;
	if (!i) {
		dput(d);
		return -ENOMEM;
	}
	i->nlink = 0;
	i->linkable = !(flags & O_EXCL);
	d->inode = i;
	i->refs++;
	rc = open_file(t, (struct path){ p.mnt, d }, flags & ~O_TRUNC, out);
	dput(d);
	return rc;
}

static int open_locked(struct task *t, int dirfd, const char *path, int flags, uint32_t mode,
		       unsigned lookup, struct file **out)
{
	struct path p;
	int rc;
	if ((flags & O_TMPFILE) == O_TMPFILE) {
		if ((rc = vfs_walk(t, dirfd, path, lookup | LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p)) < 0)
			return rc;
		rc = open_tmpfile(t, p, mode, flags, out);
		path_put(p);
		return rc;
	}
	if (!(flags & O_CREAT)) {
		unsigned lf = lookup;
		if (!(flags & O_NOFOLLOW))
			lf |= LOOKUP_FOLLOW;
		if (flags & O_DIRECTORY)
			lf |= LOOKUP_DIRECTORY;
		if ((rc = vfs_walk(t, dirfd, path, lf, &p)) < 0)
			return rc;
		if (S_ISLNK(p.dentry->inode->mode) && !(flags & O_PATH))
			rc = -ELOOP; /* O_NOFOLLOW met a link */
		else
			rc = vfs_open_path(t, p, flags, out);
		path_put(p);
		return rc;
	}
	/* O_CREAT: the parent, then the last component by hand, following
	 * symlinks there unless O_EXCL or O_NOFOLLOW. */
	char last[VFS_NAME_MAX + 1];
	bool trailing;
	struct path dir;
	if ((rc = vfs_walk_parent(t, dirfd, path, lookup, &dir, last, &trailing)) < 0)
		return rc;
	char *link_body = NULL;
	for (int links = 0;; links++) {
		if (strcmp(last, "/") == 0 || strcmp(last, ".") == 0 || strcmp(last, "..") == 0 || trailing) {
			rc = -EISDIR;
			break;
		}
		struct dentry *d;
		if ((rc = vfs_lookup_child(dir.dentry, last, &d)) < 0)
			break;
		if (!d->inode) {
			if (dir.mnt->readonly)
				rc = -EROFS;
			else
				rc = create_file(t, dir, d, mode, flags, out);
			dput(d);
			break;
		}
		if (flags & O_EXCL) {
			dput(d);
			rc = -EEXIST;
			break;
		}
		struct path p = { dir.mnt, d };
		vfs_follow_mounts(&p);
		if ((rc = inode_attrs(p.dentry->inode)) < 0) {
			path_put(p);
			break;
		}
		if (!S_ISLNK(p.dentry->inode->mode)) {
			rc = S_ISDIR(p.dentry->inode->mode) ? -EISDIR : vfs_open_path(t, p, flags, out);
			path_put(p);
			break;
		}
		if ((flags & O_NOFOLLOW) || links >= VFS_MAX_SYMLINKS) {
			path_put(p);
			rc = -ELOOP;
			break;
		}
		/* Follow the link: the whole walk again from its directory. */
		struct inode *li = p.dentry->inode;
		if (li->sb->ops->get_link) {
			struct path to;
			rc = li->sb->ops->get_link(t, li, &to);
			if (rc <= 0) {
				path_put(p);
				if (rc == 0) {
					rc = vfs_open_path(t, to, flags, out);
					path_put(to);
				}
				break;
			}
		}
		if (!link_body && !(link_body = malloc(VFS_PATH_MAX))) {
			path_put(p);
			rc = -ENOMEM;
			break;
		}
		long n = li->sb->ops->readlink(t, li, link_body, VFS_PATH_MAX);
		path_put(p);
		if (n <= 0) {
			rc = n < 0 ? (int)n : -ENOENT;
			break;
		}
		struct path next;
		rc = vfs_walk_parent_from(t, dir, link_body, lookup, &next, last, &trailing);
		path_put(dir);
		if (rc < 0) {
			free(link_body);
			return rc;
		}
		dir = next;
	}
	free(link_body);
	path_put(dir);
	return rc;
}

int vfs_open(struct task *t, int dirfd, const char *path, int flags, uint32_t mode, unsigned lookup,
	     struct file **out)
{
	pthread_mutex_lock(&vfs.lock);
	int rc = open_locked(t, dirfd, path, flags, mode, lookup, out);
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}
