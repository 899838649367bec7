/* Dentries and inodes: the tree, its lookups and its references. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vfs.h"

struct vfs vfs = { .lock = PTHREAD_MUTEX_INITIALIZER, .next_dev = 0x20, .next_mount_id = 20 };

struct timespec vfs_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts;
}

struct inode *inode_new(struct super *sb, uint32_t mode)
{
	struct inode *i = calloc(1, sizeof *i);
	if (!i)
		return NULL;
	struct timespec now = vfs_now();
	*i = (struct inode){
		.sb = sb, .ino = sb->next_ino++, .mode = mode, .nlink = 1,
		.atime = now, .mtime = now, .ctime = now,
		.data_fd = -1, .reopen_fd = -1, .proc_fd = -1,
	};
	if (S_ISDIR(mode))
		i->nlink = 2;
	return i;
}

void iget(struct inode *i)
{
	if (i)
		i->refs++;
}

void iput(struct inode *i)
{
	if (!i || --i->refs > 0)
		return;
	if (i->data_fd >= 0) {
		struct stat st;
		if (fstat(i->data_fd, &st) == 0)
			atomic_fetch_sub(&vfs.mem_used, (uint64_t)st.st_size);
		close(i->data_fd);
	}
	if (i->reopen_fd >= 0)
		close(i->reopen_fd);
	free(i->lower);
	free(i->target);
	free(i);
}

static unsigned name_hash(const char *name)
{
	unsigned h = 5381;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = h * 33 + *p;
	return h;
}

struct dentry *d_alloc(struct dentry *dir, const char *name)
{
	struct dentry *d = calloc(1, sizeof *d);
	if (!d || !(d->name = strdup(name))) {
		free(d);
		return NULL;
	}
	d->refs = 1;
	d->parent = dir;
	if (dir)
		dget(dir);
	return d;
}

struct dentry *d_make_root(struct inode *i)
{
	struct dentry *d = d_alloc(NULL, "/");
	if (!d)
		return NULL;
	d->inode = i;
	iget(i);
	d->hashed = true; /* owned by its mount, never freed */
	return d;
}

static void d_free(struct dentry *d)
{
	struct dentry *parent = d->parent;
	iput(d->inode);
	free(d->hash);
	free(d->name);
	free(d);
	dput(parent);
}

void dget(struct dentry *d)
{
	if (d)
		d->refs++;
}

void dput(struct dentry *d)
{
	if (!d || --d->refs > 0)
		return;
	if (!d->hashed)
		d_free(d);
}

static int hash_grow(struct dentry *dir)
{
	unsigned size = dir->hash_size ? dir->hash_size * 2 : 16;
	struct dentry **h = calloc(size, sizeof *h);
	if (!h)
		return -ENOMEM;
	for (struct dentry *c = dir->first; c; c = c->next_sib) {
		unsigned b = name_hash(c->name) & (size - 1);
		c->hash_next = h[b];
		h[b] = c;
	}
	free(dir->hash);
	dir->hash = h;
	dir->hash_size = size;
	return 0;
}

struct dentry *d_find(struct dentry *dir, const char *name)
{
	if (!dir->hash_size)
		return NULL;
	for (struct dentry *c = dir->hash[name_hash(name) & (dir->hash_size - 1)]; c; c = c->hash_next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* The tree holds a hashed child: its own reference, dropped by d_drop. */
void d_add(struct dentry *dir, struct dentry *d)
{
	if (dir->nchildren + 1 > dir->hash_size && hash_grow(dir) < 0 && !dir->hash_size)
		return; /* no memory: stays unhashed, which only costs lookups */
	unsigned b = name_hash(d->name) & (dir->hash_size - 1);
	d->hash_next = dir->hash[b];
	dir->hash[b] = d;
	d->prev_sib = dir->last;
	d->next_sib = NULL;
	if (dir->last)
		dir->last->next_sib = d;
	else
		dir->first = d;
	dir->last = d;
	d->seq = dir->next_seq++ + 3; /* 1 and 2 are "." and ".." */
	dir->nchildren++;
	d->hashed = true;
	d->refs++;
}

void d_drop(struct dentry *d)
{
	struct dentry *dir = d->parent;
	if (!d->hashed || !dir)
		return;
	struct dentry **pp = &dir->hash[name_hash(d->name) & (dir->hash_size - 1)];
	while (*pp && *pp != d)
		pp = &(*pp)->hash_next;
	if (*pp)
		*pp = d->hash_next;
	if (d->prev_sib)
		d->prev_sib->next_sib = d->next_sib;
	else
		dir->first = d->next_sib;
	if (d->next_sib)
		d->next_sib->prev_sib = d->prev_sib;
	else
		dir->last = d->prev_sib;
	d->prev_sib = d->next_sib = d->hash_next = NULL;
	dir->nchildren--;
	d->hashed = false;
	dput(d);
}

struct path path_get(struct path p)
{
	dget(p.dentry);
	return p;
}

void path_put(struct path p)
{
	dput(p.dentry);
}

/* Children a layered directory may hold before absent names stop being
 * remembered. */
#define NEGATIVE_CACHE_MAX 16384

int vfs_lookup_child(struct dentry *dir, const char *name, struct dentry **out)
{
	struct dentry *d = d_find(dir, name);
	if (d) {
		dget(d);
		*out = d;
		return 0;
	}
	struct inode *di = dir->inode;
	if (!(d = d_alloc(dir, name)))
		return -ENOMEM;
	/* Only a file system with a backing store can know more than the
	 * tree; a populated directory's tree is already complete. */
	if (di->sb->ops->lookup && !(di->populated && di->lower)) {
		int rc = di->sb->ops->lookup(di, d);
		if (rc < 0) {
			dput(d);
			return rc;
		}
		/* Negative results are kept for a lower layer (nothing to ask
		 * the host again), not for the guest's own directories, and not
		 * without bound: a guest probing names must not grow cvisor. */
		if (!di->sb->ops->uncached && (d->inode || (di->lower && dir->nchildren < NEGATIVE_CACHE_MAX)))
			d_add(dir, d);
	}
	*out = d;
	return 0;
}

int vfs_getattr(struct inode *i, struct kstat *st)
{
	int rc = inode_attrs(i);
	if (rc < 0)
		return rc;
	*st = (struct kstat){
		.dev = i->sb->dev, .ino = i->ino, .rdev = i->rdev, .size = i->size,
		.mode = i->mode, .uid = i->uid, .gid = i->gid, .nlink = i->nlink, .blksize = 4096,
		.atime = i->atime, .mtime = i->mtime, .ctime = i->ctime,
	};
	if (i->data_fd >= 0) {
		/* The memfd keeps size and times as writes change them. */
		struct stat hs;
		if (fstat(i->data_fd, &hs) == 0) {
			st->size = (uint64_t)hs.st_size;
			st->blocks = (uint64_t)hs.st_blocks;
			st->atime = hs.st_atim;
			st->mtime = hs.st_mtim;
			st->ctime = hs.st_ctim;
		}
	} else if (i->lower) {
		/* The host's allocation, as ls -s, du and ls -l's total see it
		 * natively: not the size rounded up. */
		st->blocks = i->blocks;
	} else if (S_ISLNK(i->mode)) {
		/* tmpfs keeps a short body in the inode, a long one in a page. */
		st->blocks = st->size < 128 ? 0 : 8;
	}
	return 0;
}
