/* Creating and removing names (fs/namei.c): mknod, mkdir, symlink, link,
 * unlink, rmdir and rename, each checking in Linux's order so that a bad
 * call gets Linux's errno. */
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

/* include/uapi/linux/fs.h */
#define RENAME_NOREPLACE_ (1 << 0)
#define RENAME_EXCHANGE_ (1 << 1)
#define RENAME_WHITEOUT_ (1 << 2)

static bool dead_dir(struct inode *i)
{
	return S_ISDIR(i->mode) && i->nlink == 0;
}

static void touch_dir(struct inode *dir)
{
	dir->mtime = dir->ctime = vfs_now();
}

int may_create(struct task *t, struct path dir)
{
	struct inode *di = dir.dentry->inode;
	if (dead_dir(di))
		return -ENOENT;
	int rc = vfs_permission(t, di, MAY_WRITE | MAY_EXEC);
	if (rc < 0)
		return rc;
	return dir.mnt->readonly ? -EROFS : 0;
}

struct inode *new_inode_in(struct task *t, struct dentry *dir, uint32_t mode)
{
	struct inode *di = dir->inode;
	struct inode *i = inode_new(di->sb, mode);
	if (!i)
		return NULL;
	struct cred c = task_cred(t);
	i->uid = c.fsuid;
	i->gid = c.fsgid;
	if (di->mode & S_ISGID) {
		i->gid = di->gid;
		if (S_ISDIR(mode))
			i->mode |= S_ISGID;
	}
	if (S_ISDIR(mode)) {
		i->populated = true;
		i->size = 2 * BOGO_DIRENT_SIZE; /* "." and "..", as tmpfs counts */
	}
	return i;
}

/* mm/shmem.c: an in-memory directory's size is BOGO_DIRENT_SIZE per
 * entry (a host directory beneath keeps the host's size). */
static void bogo_size(struct inode *dir, int entries)
{
	if (!dir->lower)
		dir->size += (uint64_t)(entries * BOGO_DIRENT_SIZE);
}

void link_child(struct dentry *dir, struct dentry *d, struct inode *i)
{
	bogo_size(dir->inode, 1);
	d->inode = i;
	iget(i);
	if (!d->hashed)
		d_add(dir, d);
	if (S_ISDIR(i->mode))
		dir->inode->nlink++;
	touch_dir(dir->inode);
}

/* Take the name d away from its directory: a layered directory keeps a
 * negative dentry there (the whiteout hiding the lower entry). Whoever
 * still holds d (an open file, a cwd) keeps its inode. */
static int delete_entry(struct dentry *dir, struct dentry *d)
{
	bogo_size(dir->inode, -1);
	bool whiteout = dir->inode->lower != NULL;
	if (d->refs <= 2) { /* the tree's and the caller's */
		if (whiteout) {
			iput(d->inode);
			d->inode = NULL;
			return 0;
		}
		d_drop(d);
		return 0;
	}
	d_drop(d);
	if (whiteout) {
		struct dentry *neg = d_alloc(dir, d->name);
		if (!neg)
			return -ENOMEM;
		d_add(dir, neg);
		dput(neg);
	}
	return 0;
}

/* Whether dir (a directory dentry) has any entry, its lower ones too. */
static int dir_empty(struct dentry *dir)
{
	int rc = memfs_populate(dir);
	if (rc < 0)
		return rc;
	for (struct dentry *c = dir->first; c; c = c->next_sib)
		if (c->inode)
			return 0;
	return 1;
}

static bool normal_name(const char *last)
{
	return strcmp(last, "/") && strcmp(last, ".") && strcmp(last, "..");
}

/* filename_create(): the parent and a negative dentry for the new name. */
static int create_start(struct task *t, int dirfd, const char *path, bool is_dir, struct path *dir,
			struct dentry **d)
{
	char last[VFS_NAME_MAX + 1];
	bool trailing;
	int rc = vfs_walk_parent(t, dirfd, path, 0, dir, last, &trailing);
	if (rc < 0)
		return rc;
	if (!normal_name(last))
		rc = -EEXIST;
	else if ((rc = vfs_lookup_child(dir->dentry, last, d)) == 0) {
		if ((*d)->inode)
			rc = -EEXIST;
		else if (trailing && !is_dir)
			rc = -ENOENT;
		else if ((rc = may_create(t, *dir)) == 0)
			return 0;
		dput(*d);
	}
	path_put(*dir);
	return rc;
}

static int create_node(struct task *t, int dirfd, const char *path, uint32_t mode, uint64_t dev,
		       const char *target)
{
	struct path dir;
	struct dentry *d;
	pthread_mutex_lock(&vfs.lock);
	int rc = create_start(t, dirfd, path, S_ISDIR(mode), &dir, &d);
	if (rc < 0)
		goto out;
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && !cred_capable(&(struct cred){ .euid = task_cred(t).euid }))
		rc = -EPERM;
	struct inode *i = rc ? NULL : new_inode_in(t, dir.dentry, mode);
	if (rc == 0 && !i)
		rc = -ENOMEM;
	if (i) {
		i->rdev = dev;
		if (target) {
			if (!(i->target = strdup(target))) {
				iput(i);
				rc = -ENOMEM;
				goto put;
			}
			i->size = strlen(target);
		}
		if ((rc = host_create(dir.dentry->inode, d->name, i)) < 0) {
			iput(i);
			goto put;
		}
		link_child(dir.dentry, d, i);
	}
put:
	dput(d);
	path_put(dir);
out:
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

int vfs_mknod(struct task *t, int dirfd, const char *path, uint32_t mode, uint64_t dev)
{
	/* fs/namei.c may_mknod() comes before the walk. */
	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG: case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	uint32_t perm = mode & 07777 & ~t->fs->umask;
	return create_node(t, dirfd, path, (mode & S_IFMT) | perm, dev, NULL);
}

int vfs_mkdir(struct task *t, int dirfd, const char *path, uint32_t mode)
{
	return create_node(t, dirfd, path, S_IFDIR | (mode & 01777 & ~t->fs->umask), 0, NULL);
}

int vfs_symlink(struct task *t, const char *target, int dirfd, const char *path)
{
	if (!target[0])
		return -ENOENT;
	return create_node(t, dirfd, path, S_IFLNK | 0777, 0, target);
}

int vfs_link(struct task *t, int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	if (flags & ~(LINUX_AT_SYMLINK_FOLLOW | LINUX_AT_EMPTY_PATH))
		return -EINVAL;
	pthread_mutex_lock(&vfs.lock);
	struct path old, dir;
	struct dentry *d;
	unsigned lf = (flags & LINUX_AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0) |
		      (flags & LINUX_AT_EMPTY_PATH ? LOOKUP_EMPTY : 0);
	int rc = vfs_walk(t, olddirfd, oldpath, lf, &old);
	if (rc < 0)
		goto out;
	if ((rc = create_start(t, newdirfd, newpath, false, &dir, &d)) < 0)
		goto put_old;
	struct inode *i = old.dentry->inode;
	if (dir.mnt != old.mnt)
		rc = -EXDEV;
	else if (S_ISDIR(i->mode))
		rc = -EPERM;
	else if (i->nlink == 0 && !i->linkable)
		rc = -ENOENT;
	else if ((rc = inode_attrs(i)) == 0 && (rc = host_link(i, dir.dentry->inode, d->name)) == 0) {
		link_child(dir.dentry, d, i);
		i->nlink++;
		i->linkable = false;
		i->ctime = vfs_now();
	}
	dput(d);
	path_put(dir);
put_old:
	path_put(old);
out:
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

/* fs/namei.c may_delete(): write and search on the directory, and the
 * sticky bit's rule. */
static int may_delete(struct task *t, struct path dir, struct inode *victim)
{
	struct inode *di = dir.dentry->inode;
	int rc = vfs_permission(t, di, MAY_WRITE | MAY_EXEC);
	if (rc < 0)
		return rc;
	if (di->mode & S_ISVTX) {
		struct cred c = task_cred(t);
		if (c.fsuid != 0 && c.fsuid != victim->uid && c.fsuid != di->uid)
			return -EPERM;
	}
	return 0;
}

/* A removed directory's leftover (negative) children: each holds a
 * reference on it, so they go first or the directory never would. */
static void prune_children(struct dentry *d)
{
	while (d->first)
		d_drop(d->first);
}

/* Remove a child's inode from the counts: a directory's two links, a
 * file's one. */
static void drop_links(struct inode *dir, struct inode *i)
{
	if (S_ISDIR(i->mode)) {
		i->nlink = 0;
		dir->nlink--;
		free(i->lower); /* a dead directory shows nothing more */
		i->lower = NULL;
		i->populated = true;
	} else if (i->nlink > 0) {
		i->nlink--;
	}
	i->ctime = vfs_now();
}

int vfs_unlink(struct task *t, int dirfd, const char *path, bool rmdir)
{
	char last[VFS_NAME_MAX + 1];
	bool trailing;
	struct path dir;
	pthread_mutex_lock(&vfs.lock);
	int rc = vfs_walk_parent(t, dirfd, path, 0, &dir, last, &trailing);
	if (rc < 0)
		goto out;
	struct dentry *d = NULL;
	if (!normal_name(last))
		rc = !rmdir ? -EISDIR : strcmp(last, ".") == 0 ? -EINVAL : strcmp(last, "..") == 0 ? -ENOTEMPTY : -EBUSY;
	else if ((rc = vfs_lookup_child(dir.dentry, last, &d)) < 0)
		d = NULL;
	else if (!d->inode)
		rc = -ENOENT;
	else if ((rc = inode_attrs(d->inode)) < 0)
		;
	else if (rmdir && !S_ISDIR(d->inode->mode))
		rc = -ENOTDIR;
	else if (!rmdir && S_ISDIR(d->inode->mode))
		rc = -EISDIR;
	else if (!rmdir && trailing)
		rc = -ENOTDIR;
	else if ((rc = may_delete(t, dir, d->inode)) < 0)
		;
	else if (dir.mnt->readonly)
		rc = -EROFS;
	else if (d->mounted)
		rc = -EBUSY;
	else if (rmdir && (rc = dir_empty(d)) <= 0)
		rc = rc < 0 ? rc : -ENOTEMPTY;
	else if ((rc = host_unlink(d, rmdir)) == 0) {
		drop_links(dir.dentry->inode, d->inode);
		touch_dir(dir.dentry->inode);
		if (rmdir)
			prune_children(d);
		rc = delete_entry(dir.dentry, d);
	}
	dput(d);
	path_put(dir);
out:
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

static bool is_ancestor(struct dentry *a, struct dentry *d)
{
	for (; d; d = d->parent)
		if (d == a)
			return true;
	return false;
}

/* Move d to the name of the negative slot in newdir (slot's name). */
static int move_entry(struct dentry *olddir, struct dentry *d, struct dentry *newdir, struct dentry *slot)
{
	char *name = strdup(slot->name);
	if (!name)
		return -ENOMEM;
	bool whiteout = olddir->inode->lower != NULL;
	bogo_size(olddir->inode, -1);
	bogo_size(newdir->inode, 1);
	if (slot->hashed)
		d_drop(slot);
	dget(d);
	d_drop(d);
	if (whiteout) {
		struct dentry *neg = d_alloc(olddir, d->name);
		if (neg) {
			d_add(olddir, neg);
			dput(neg);
		}
	}
	free(d->name);
	d->name = name;
	dget(newdir);
	d->parent = newdir;
	d_add(newdir, d);
	dput(olddir);
	dput(d);
	return 0;
}

/* RENAME_EXCHANGE: a and b swap names and parents. */
static void exchange_entries(struct dentry *a, struct dentry *b)
{
	dget(a);
	dget(b);
	d_drop(a);
	d_drop(b);
	char *name = a->name;
	a->name = b->name;
	b->name = name;
	struct dentry *parent = a->parent;
	a->parent = b->parent;
	b->parent = parent;
	d_add(a->parent, a);
	d_add(b->parent, b);
	dput(a);
	dput(b);
}

int vfs_rename(struct task *t, int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
	       unsigned flags)
{
	if (flags & ~(RENAME_NOREPLACE_ | RENAME_EXCHANGE_ | RENAME_WHITEOUT_))
		return -EINVAL;
	if ((flags & RENAME_EXCHANGE_) && (flags & (RENAME_NOREPLACE_ | RENAME_WHITEOUT_)))
		return -EINVAL;
	if (flags & RENAME_WHITEOUT_)
		return -EINVAL;
	char olast[VFS_NAME_MAX + 1], nlast[VFS_NAME_MAX + 1];
	bool otrail, ntrail;
	struct path odir, ndir;
	struct dentry *od = NULL, *nd = NULL;
	pthread_mutex_lock(&vfs.lock);
	int rc = vfs_walk_parent(t, olddirfd, oldpath, 0, &odir, olast, &otrail);
	if (rc < 0)
		goto out;
	if ((rc = vfs_walk_parent(t, newdirfd, newpath, 0, &ndir, nlast, &ntrail)) < 0)
		goto put_odir;
	if (odir.mnt != ndir.mnt) {
		rc = -EXDEV;
		goto put;
	}
	if (!normal_name(olast)) {
		rc = -EBUSY;
		goto put;
	}
	if (!normal_name(nlast)) {
		rc = flags & RENAME_NOREPLACE_ ? -EEXIST : -EBUSY;
		goto put;
	}
	if ((rc = vfs_lookup_child(odir.dentry, olast, &od)) < 0 ||
	    (rc = vfs_lookup_child(ndir.dentry, nlast, &nd)) < 0)
		goto put;
	struct inode *oi = od->inode, *ni = nd->inode;
	if (!oi) {
		rc = -ENOENT;
		goto put;
	}
	if ((rc = inode_attrs(oi)) < 0 || (ni && (rc = inode_attrs(ni)) < 0))
		goto put;
	bool exchange = flags & RENAME_EXCHANGE_;
	if ((flags & RENAME_NOREPLACE_) && ni) {
		rc = -EEXIST;
		goto put;
	}
	if (exchange && !ni) {
		rc = -ENOENT;
		goto put;
	}
	if (!S_ISDIR(oi->mode) && (otrail || (ntrail && !exchange))) {
		rc = -ENOTDIR;
		goto put;
	}
	if (exchange && ntrail && !S_ISDIR(ni->mode)) {
		rc = -ENOTDIR;
		goto put;
	}
	if (oi == ni) { /* the same file: nothing to do */
		rc = 0;
		goto put;
	}
	/* Into itself (EINVAL), or over an ancestor of the source (ENOTEMPTY). */
	if (is_ancestor(od, ndir.dentry) || (exchange && is_ancestor(nd, odir.dentry))) {
		rc = -EINVAL;
		goto put;
	}
	if (ni && !exchange && is_ancestor(nd, odir.dentry)) {
		rc = -ENOTEMPTY;
		goto put;
	}
	if ((rc = may_delete(t, odir, oi)) < 0)
		goto put;
	if ((rc = ni ? may_delete(t, ndir, ni) : may_create(t, ndir)) < 0)
		goto put;
	if (ni && !exchange) {
		if (S_ISDIR(oi->mode) && !S_ISDIR(ni->mode)) {
			rc = -ENOTDIR;
			goto put;
		}
		if (!S_ISDIR(oi->mode) && S_ISDIR(ni->mode)) {
			rc = -EISDIR;
			goto put;
		}
	}
	if (odir.mnt->readonly) {
		rc = -EROFS;
		goto put;
	}
	if (od->mounted || (ni && nd->mounted)) {
		rc = -EBUSY;
		goto put;
	}
	if (ni && !exchange && S_ISDIR(ni->mode) && (rc = dir_empty(nd)) <= 0) {
		rc = rc < 0 ? rc : -ENOTEMPTY;
		goto put;
	}
	struct inode *odi = odir.dentry->inode, *ndi = ndir.dentry->inode;
	if ((rc = host_rename(od, nd, flags)) < 0)
		goto put;
	if (exchange) {
		/* The two dentries trade places (a directory's children go
		 * with it); directories move their ".." link between parents. */
		exchange_entries(od, nd);
		if (S_ISDIR(oi->mode) != S_ISDIR(ni->mode) && odir.dentry != ndir.dentry) {
			if (S_ISDIR(oi->mode)) {
				odi->nlink--;
				ndi->nlink++;
			} else {
				odi->nlink++;
				ndi->nlink--;
			}
		}
		oi->ctime = ni->ctime = vfs_now();
	} else {
		if (ni) {
			drop_links(ndi, ni);
			if (S_ISDIR(ni->mode))
				prune_children(nd);
			struct dentry *slot = nd;
			/* The target's name becomes a fresh negative slot. */
			if ((rc = delete_entry(ndir.dentry, nd)) < 0)
				goto put;
			if (!(nd = d_find(ndir.dentry, nlast)))
				nd = d_alloc(ndir.dentry, nlast);
			else
				dget(nd);
			dput(slot);
			if (!nd) {
				rc = -ENOMEM;
				goto put;
			}
		}
		if (S_ISDIR(oi->mode) && odir.dentry != ndir.dentry) {
			odi->nlink--;
			ndi->nlink++;
		}
		if ((rc = move_entry(odir.dentry, od, ndir.dentry, nd)) < 0)
			goto put;
		oi->ctime = vfs_now();
	}
	touch_dir(odi);
	touch_dir(ndi);
put:
	dput(od);
	dput(nd);
	path_put(ndir);
put_odir:
	path_put(odir);
out:
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}
