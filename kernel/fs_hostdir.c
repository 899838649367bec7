/* A read-write volume: a memfs whose lower layer takes the guest's
 * changes itself (the host directory is written, nothing is copied up).
 * Each change is made on the host first, one name at a time below an
 * O_PATH fd on its directory (opened beneath the volume with symlinks
 * refused), then mirrored in the tree; attributes are read back lazily.
 * Device nodes are never made on the host. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fs.h"
#include "vfs.h"

bool host_writes(const struct inode *i)
{
	return i->sb->host_writes;
}

/* The directory below the volume at rel, as an O_PATH fd. */
static int dir_fd(struct super *sb, const char *rel)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, sb->lower_fd, rel, &how, sizeof how);
	return fd < 0 ? -errno : fd;
}

/* Reload what the host now says about i (and stop trusting the tree). */
static void stale(struct inode *i)
{
	if (i && i->lower)
		i->attrs_pending = true;
}

int host_create(struct inode *dir, const char *name, struct inode *i)
{
	if (!host_writes(dir))
		return 0;
	if (!dir->lower)
		return -ENOENT;
	int fd = dir_fd(dir->sb, dir->lower);
	if (fd < 0)
		return fd;
	int rc = 0;
	uint32_t perm = i->mode & 07777;
	switch (i->mode & S_IFMT) {
	case S_IFREG: {
		int f = openat(fd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, perm);
		rc = f < 0 ? -errno : close(f);
		break;
	}
	case S_IFDIR:
		rc = mkdirat(fd, name, perm) < 0 ? -errno : 0;
		break;
	case S_IFLNK:
		rc = symlinkat(i->target, fd, name) < 0 ? -errno : 0;
		break;
	case S_IFIFO:
	case S_IFSOCK:
		rc = mknodat(fd, name, i->mode, 0) < 0 ? -errno : 0;
		break;
	default:
		rc = -EPERM; /* no device nodes on the host */
	}
	/* The guest's umask and owner, not cvisor's. */
	if (rc == 0 && !S_ISLNK(i->mode))
		fchmodat(fd, name, perm, 0);
	if (rc == 0)
		fchownat(fd, name, i->uid, i->gid, AT_SYMLINK_NOFOLLOW);
	close(fd);
	if (rc < 0)
		return rc;
	if (!(i->lower = child_rel(dir->lower, name)))
		return -ENOMEM;
	free(i->target);
	i->target = NULL;
	i->populated = false;
	stale(i);
	stale(dir);
	return 0;
}

/* Another cached name of i below d, other than not. */
static struct dentry *find_alias(struct dentry *d, struct inode *i, struct dentry *not)
{
	for (struct dentry *c = d->first; c; c = c->next_sib) {
		if (c != not && c->inode == i && c->parent->inode->lower)
			return c;
		struct dentry *a = c->inode && S_ISDIR(c->inode->mode) ? find_alias(c, i, not) : NULL;
		if (a)
			return a;
	}
	return NULL;
}

int host_unlink(struct dentry *d, bool is_dir)
{
	struct inode *dir = d->parent->inode, *i = d->inode;
	if (!host_writes(dir))
		return 0;
	int fd = dir->lower ? dir_fd(dir->sb, dir->lower) : -ENOENT;
	if (fd < 0)
		return fd;
	int rc = unlinkat(fd, d->name, is_dir ? AT_REMOVEDIR : 0) < 0 ? -errno : 0;
	close(fd);
	stale(dir);
	/* A hard-linked file reached its host file by the name just removed:
	 * it goes on through another of its names. */
	char *rel = rc == 0 && !is_dir && i->lower && dir->lower ? child_rel(dir->lower, d->name) : NULL;
	if (rel && strcmp(rel, i->lower) == 0) {
		struct dentry *root = d;
		while (root->parent)
			root = root->parent;
		struct dentry *a = find_alias(root, i, d);
		char *arel = a ? child_rel(a->parent->inode->lower, a->name) : NULL;
		if (arel) {
			free(i->lower);
			i->lower = arel;
		}
	}
	free(rel);
	return rc;
}

/* Rewrite the lower paths under d after its directory moved. */
static int relocate(struct dentry *d, const char *rel)
{
	struct inode *i = d->inode;
	if (!i || !i->lower)
		return 0;
	char *copy = strdup(rel);
	if (!copy)
		return -ENOMEM;
	free(i->lower);
	i->lower = copy;
	for (struct dentry *c = d->first; c; c = c->next_sib) {
		char *crel = child_rel(rel, c->name);
		int rc = crel ? relocate(c, crel) : -ENOMEM;
		free(crel);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int host_rename(struct dentry *od, struct dentry *nd, unsigned flags)
{
	struct inode *odi = od->parent->inode, *ndi = nd->parent->inode;
	if (!host_writes(odi))
		return 0;
	if (!odi->lower || !ndi->lower)
		return -ENOENT;
	int ofd = dir_fd(odi->sb, odi->lower), nfd = ofd < 0 ? ofd : dir_fd(ndi->sb, ndi->lower);
	int rc = ofd < 0 ? ofd : nfd < 0 ? nfd : 0;
	if (rc == 0 && syscall(SYS_renameat2, ofd, od->name, nfd, nd->name, flags) < 0)
		rc = -errno;
	if (ofd >= 0)
		close(ofd);
	if (nfd >= 0)
		close(nfd);
	if (rc < 0)
		return rc;
	char *orel = child_rel(odi->lower, od->name), *nrel = child_rel(ndi->lower, nd->name);
	if (orel && nrel) {
		rc = relocate(od, nrel);
		if (rc == 0 && (flags & 2 /* RENAME_EXCHANGE */) && nd->inode)
			rc = relocate(nd, orel);
	} else {
		rc = -ENOMEM;
	}
	free(orel);
	free(nrel);
	stale(odi);
	stale(ndi);
	stale(od->inode);
	stale(nd->inode);
	return rc;
}

int host_link(struct inode *i, struct inode *dir, const char *name)
{
	if (!host_writes(dir))
		return 0;
	if (!i->lower || !dir->lower)
		return -ENOENT;
	/* The old name through an O_PATH fd on the file itself. */
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC | O_NOFOLLOW,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int old = (int)syscall(SYS_openat2, i->sb->lower_fd, i->lower, &how, sizeof how);
	if (old < 0)
		return -errno;
	int fd = dir_fd(dir->sb, dir->lower);
	int rc = fd < 0 ? fd : linkat(old, "", fd, name, AT_EMPTY_PATH) < 0 ? -errno : 0;
	close(old);
	if (fd >= 0)
		close(fd);
	stale(i);
	stale(dir);
	return rc;
}

/* chmod, chown and utimes: on the host file itself, through an O_PATH
 * fd (a magic link for chmod), so a swapped-in symlink is never followed. */
int host_setattr(struct inode *i, const uint32_t *mode, const uint32_t *uid, const uint32_t *gid,
		 const struct timespec *times)
{
	if (!host_writes(i) || !i->lower)
		return 0;
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC | O_NOFOLLOW,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, i->sb->lower_fd, i->lower, &how, sizeof how);
	if (fd < 0)
		return -errno;
	int rc = 0;
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	if (mode && !S_ISLNK(i->mode) && chmod(proc, *mode & 07777) < 0)
		rc = -errno;
	if (rc == 0 && (uid || gid) &&
	    fchownat(fd, "", uid ? *uid : (uint32_t)-1, gid ? *gid : (uint32_t)-1, AT_EMPTY_PATH) < 0)
		rc = -errno;
	if (rc == 0 && times && utimensat(fd, "", times, AT_EMPTY_PATH) < 0)
		rc = -errno;
	close(fd);
	stale(i);
	return rc;
}
