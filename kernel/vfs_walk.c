/* The path walk (fs/namei.c): components, "." and "..", mounts, symlinks
 * (at most 40), trailing slashes, dirfds and openat2's RESOLVE_* rules;
 * and the way back, a path's name (d_path). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fdtable.h"
#include "process.h"
#include "vfs.h"
#include "vfs_namei.h"

struct nameidata {
	struct task *t;
	struct path root;   /* where "/" and ".." stop */
	struct path cur;    /* a reference */
	unsigned flags;
	int links;
	int depth;          /* below the start, for RESOLVE_BENEATH */
};

static bool path_equal(struct path a, struct path b)
{
	return a.mnt == b.mnt && a.dentry == b.dentry;
}

static void set_cur(struct nameidata *nd, struct path p)
{
	path_put(nd->cur);
	nd->cur = p;
}

void vfs_follow_mounts(struct path *p)
{
	while (p->dentry->mounted) {
		struct mount *m = NULL;
		for (struct mount *o = vfs.mounts; o; o = o->next)
			if (o->parent == p->mnt && o->mountpoint == p->dentry)
				m = o; /* the last one mounted hides the others */
		if (!m)
			return;
		struct path next = { m, m->root };
		dget(next.dentry);
		path_put(*p);
		*p = next;
	}
}

/* Whether the walk may cross from mount a into b (RESOLVE_NO_XDEV). */
static int check_xdev(struct nameidata *nd, struct mount *from)
{
	return (nd->flags & LOOKUP_NO_XDEV) && nd->cur.mnt != from ? -EXDEV : 0;
}

static int go_root(struct nameidata *nd)
{
	if (nd->flags & LOOKUP_BENEATH)
		return -EXDEV;
	struct mount *from = nd->cur.mnt;
	set_cur(nd, path_get(nd->root));
	nd->depth = 0;
	return check_xdev(nd, from);
}

static int go_up(struct nameidata *nd)
{
	if (nd->flags & LOOKUP_BENEATH) {
		if (nd->depth == 0)
			return -EXDEV;
		nd->depth--;
	}
	if (path_equal(nd->cur, nd->root))
		return 0;
	struct mount *from = nd->cur.mnt;
	struct path p = path_get(nd->cur);
	while (p.dentry == p.mnt->root && p.mnt->parent) {
		struct path up = { p.mnt->parent, p.mnt->mountpoint };
		dget(up.dentry);
		path_put(p);
		p = up;
		if (path_equal(p, nd->root))
			break;
	}
	if (!path_equal(p, nd->root) && p.dentry->parent) {
		struct path up = { p.mnt, p.dentry->parent };
		dget(up.dentry);
		path_put(p);
		p = up;
	}
	vfs_follow_mounts(&p);
	set_cur(nd, p);
	return check_xdev(nd, from);
}

static bool in_group(struct task *t, const struct cred *c, uint32_t gid)
{
	if (c->fsgid == gid)
		return true;
	pthread_mutex_lock(&kernel.lock);
	const struct group_info *gi = t->tg->attrs.cred.group_info;
	bool found = false;
	for (int i = 0; gi && i < gi->ngroups && !found; i++)
		found = gi->gid[i] == gid;
	pthread_mutex_unlock(&kernel.lock);
	return found;
}

/* fs/namei.c generic_permission(): root passes everything but exec of a
 * file nobody may exec. */
int vfs_permission(struct task *t, struct inode *i, int mask)
{
	int rc = inode_attrs(i);
	if (rc < 0)
		return rc;
	struct cred c = task_cred(t);
	if (c.fsuid == 0) {
		if ((mask & MAY_EXEC) && !S_ISDIR(i->mode) && !(i->mode & 0111))
			return -EACCES;
		return 0;
	}
	unsigned bits = i->uid == c.fsuid ? (i->mode >> 6) & 7
		      : in_group(t, &c, i->gid) ? (i->mode >> 3) & 7 : i->mode & 7;
	return ((int)bits & mask) == mask ? 0 : -EACCES;
}

int vfs_start_dir(struct task *t, int dirfd, struct path *out)
{
	if (dirfd == LINUX_AT_FDCWD) {
		*out = path_get(t->fs->cwd);
		return 0;
	}
	struct file *f = fd_get(t, dirfd);
	if (!f)
		return -EBADF;
	if (!f->path.dentry)
		return -ENOTDIR;
	*out = path_get(f->path);
	return 0;
}

/* A symlink met mid-walk: the rest of the walk becomes its body followed
 * by what was left (*rest), in a buffer of its own (*own). */
static int follow_link(struct nameidata *nd, struct path link, const char **rest, char **own)
{
	if (nd->flags & LOOKUP_NO_SYMLINKS)
		return -ELOOP;
	if (++nd->links > VFS_MAX_SYMLINKS)
		return -ELOOP;
	struct inode *i = link.dentry->inode;
	const struct fs_ops *ops = i->sb->ops;
	if (ops->get_link) {
		struct path to;
		int rc = ops->get_link(nd->t, i, &to);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			/* A magic link: straight to the object. */
			if (nd->flags & (LOOKUP_NO_MAGICLINKS | LOOKUP_BENEATH | LOOKUP_IN_ROOT)) {
				path_put(to);
				return nd->flags & LOOKUP_NO_MAGICLINKS ? -ELOOP : -EXDEV;
			}
			set_cur(nd, to);
			return 0;
		}
	}
	char *body = malloc(VFS_PATH_MAX);
	if (!body)
		return -ENOMEM;
	long n = ops->readlink(nd->t, i, body, VFS_PATH_MAX);
	if (n <= 0) {
		free(body);
		return n < 0 ? (int)n : -ENOENT;
	}
	size_t rl = strlen(*rest);
	char *next = malloc((size_t)n + 2 + rl);
	if (!next) {
		free(body);
		return -ENOMEM;
	}
	memcpy(next, body, (size_t)n);
	next[n] = '/';
	memcpy(next + n + 1, *rest, rl + 1);
	free(body);
	free(*own);
	*own = next;
	*rest = next;
	if (next[0] == '/')
		return go_root(nd);
	return 0;
}

/* Walk path from nd->cur. With last, stop before the final component and
 * hand it back instead. */
static int walk(struct nameidata *nd, const char *path, char *last, bool *trailing)
{
	char *own = NULL;
	const char *p = path;
	int rc = 0;
	if (*p == '/' && (rc = go_root(nd)) < 0)
		return rc;
	if (last) {
		strcpy(last, "/"); /* the root itself, unless a name follows */
		*trailing = false;
	}
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *name = p;
		size_t len = strcspn(p, "/");
		p += len;
		const char *q = p;
		while (*q == '/')
			q++;
		bool is_last = !*q, slash = *p == '/';
		if (len > VFS_NAME_MAX) {
			rc = -ENAMETOOLONG;
			break;
		}
		struct inode *dir = nd->cur.dentry->inode;
		if ((rc = inode_attrs(dir)) < 0)
			break;
		if (!S_ISDIR(dir->mode)) {
			rc = -ENOTDIR;
			break;
		}
		if ((rc = vfs_permission(nd->t, dir, MAY_EXEC)) < 0)
			break;
		char comp[VFS_NAME_MAX + 1];
		memcpy(comp, name, len);
		comp[len] = 0;
		if (is_last && last) {
			strcpy(last, comp);
			*trailing = slash;
			break;
		}
		if (strcmp(comp, ".") == 0)
			continue;
		if (strcmp(comp, "..") == 0) {
			if ((rc = go_up(nd)) < 0)
				break;
			continue;
		}
		struct dentry *d;
		if ((rc = vfs_lookup_child(nd->cur.dentry, comp, &d)) < 0)
			break;
		if (!d->inode) {
			dput(d);
			rc = -ENOENT;
			break;
		}
		struct path next = { nd->cur.mnt, d };
		vfs_follow_mounts(&next);
		if (next.mnt != nd->cur.mnt && (nd->flags & LOOKUP_NO_XDEV)) {
			path_put(next);
			rc = -EXDEV;
			break;
		}
		if ((rc = inode_attrs(next.dentry->inode)) < 0) {
			path_put(next);
			break;
		}
		if (S_ISLNK(next.dentry->inode->mode) && (!is_last || slash || (nd->flags & LOOKUP_FOLLOW))) {
			rc = follow_link(nd, next, &p, &own);
			path_put(next);
			if (rc < 0)
				break;
			continue;
		}
		set_cur(nd, next);
		nd->depth++;
	}
	free(own);
	if (rc == 0 && !last && (nd->flags & LOOKUP_DIRECTORY) && !S_ISDIR(nd->cur.dentry->inode->mode))
		rc = -ENOTDIR;
	return rc;
}

static int nd_init(struct nameidata *nd, struct task *t, int dirfd, const char *path, unsigned flags)
{
	*nd = (struct nameidata){ .t = t, .flags = flags };
	if (!path[0] && !(flags & LOOKUP_EMPTY))
		return -ENOENT;
	int rc = 0;
	if (path[0] == '/' && !(flags & (LOOKUP_BENEATH | LOOKUP_IN_ROOT)))
		nd->cur = path_get(t->fs->root);
	else if ((rc = vfs_start_dir(t, dirfd, &nd->cur)) < 0)
		return rc;
	nd->root = path_get(flags & LOOKUP_IN_ROOT ? nd->cur : t->fs->root);
	return 0;
}

int vfs_walk(struct task *t, int dirfd, const char *path, unsigned flags, struct path *out)
{
	struct nameidata nd;
	int rc = nd_init(&nd, t, dirfd, path, flags);
	if (rc == 0) {
		/* A trailing slash asks for a directory, following a link. */
		size_t n = strlen(path);
		if (n && path[n - 1] == '/')
			nd.flags |= LOOKUP_DIRECTORY | LOOKUP_FOLLOW;
		rc = walk(&nd, path, NULL, NULL);
	}
	path_put(nd.root);
	if (rc < 0) {
		path_put(nd.cur);
		return rc;
	}
	*out = nd.cur;
	return 0;
}

int vfs_walk_parent(struct task *t, int dirfd, const char *path, unsigned flags,
		    struct path *parent, char last[VFS_NAME_MAX + 1], bool *trailing)
{
	struct nameidata nd;
	int rc = nd_init(&nd, t, dirfd, path, flags);
	if (rc == 0)
		rc = walk(&nd, path, last, trailing);
	path_put(nd.root);
	if (rc < 0) {
		path_put(nd.cur);
		return rc;
	}
	*parent = nd.cur;
	return 0;
}

int vfs_walk_parent_from(struct task *t, struct path start, const char *path, unsigned flags,
			 struct path *parent, char last[VFS_NAME_MAX + 1], bool *trailing)
{
	struct nameidata nd = { .t = t, .flags = flags };
	nd.cur = path_get(start);
	nd.root = path_get(t->fs->root);
	int rc = walk(&nd, path, last, trailing);
	path_put(nd.root);
	if (rc < 0) {
		path_put(nd.cur);
		return rc;
	}
	*parent = nd.cur;
	return 0;
}

long vfs_d_path(struct task *t, struct path p, char *buf, size_t size)
{
	if (size < 2)
		return -ENAMETOOLONG;
	bool deleted = !p.dentry->hashed && p.dentry->parent;
	const char *suffix = deleted ? " (deleted)" : "";
	size_t slen = strlen(suffix);
	/* Built backwards from the end of buf. */
	size_t pos = size - 1;
	buf[pos] = 0;
	if (slen > pos)
		return -ENAMETOOLONG;
	pos -= slen;
	memcpy(buf + pos, suffix, slen);
	size_t end_of_names = pos;
	if (!p.dentry->parent && p.dentry != p.mnt->root) {
		/* An anonymous object: its name is all there is. */
		int n = snprintf(buf, size, "%s", p.dentry->name);
		return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
	}
	struct path root = t->fs->root;
	while (!path_equal(p, root)) {
		if (p.dentry == p.mnt->root) {
			if (!p.mnt->parent)
				break;
			p = (struct path){ p.mnt->parent, p.mnt->mountpoint };
			continue;
		}
		size_t n = strlen(p.dentry->name);
		if (n + 1 > pos)
			return -ENAMETOOLONG;
		pos -= n;
		memcpy(buf + pos, p.dentry->name, n);
		buf[--pos] = '/';
		p.dentry = p.dentry->parent;
	}
	if (pos == end_of_names) {
		if (pos == 0)
			return -ENAMETOOLONG;
		buf[--pos] = '/';
	}
	size_t len = size - 1 - pos;
	memmove(buf, buf + pos, len + 1);
	return (long)len;
}
