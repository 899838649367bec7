/* The mount tree the guest boots with, and fs contexts (root, cwd, umask). */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"
#include "vfs.h"

#ifndef OVERLAYFS_SUPER_MAGIC
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#endif

static struct mount *mount_add(struct super *sb, struct dentry *root, struct path at, const char *source,
			       bool readonly)
{
	struct mount *m = calloc(1, sizeof *m);
	if (!m || !(m->source = strdup(source))) {
		free(m);
		return NULL;
	}
	m->sb = sb;
	m->root = root;
	m->readonly = readonly;
	m->id = vfs.next_mount_id++;
	if (at.mnt) {
		m->parent = at.mnt;
		m->mountpoint = at.dentry;
		dget(at.dentry);
		at.dentry->mounted++;
	}
	struct mount **pp = &vfs.mounts;
	while (*pp)
		pp = &(*pp)->next;
	*pp = m;
	return m;
}

/* A file system's root directory inode, lower-backed when lower_fd is. */
static struct dentry *fs_root(struct super *sb, uint32_t mode)
{
	struct inode *i = inode_new(sb, S_IFDIR | mode);
	if (!i)
		return NULL;
	if (sb->lower_fd >= 0) {
		if (!(i->lower = strdup("."))) {
			iput(i);
			return NULL;
		}
		i->attrs_pending = true;
		if (inode_attrs(i) < 0) {
			iput(i);
			return NULL;
		}
	} else {
		i->populated = true;
	}
	return d_make_root(i);
}

/* The directory at guest path, made (root-owned, 0755) where missing. */
static int mkdir_p(const char *path, struct path *out)
{
	struct path cur = path_get(vfs.root);
	char *copy = strdup(path), *save = NULL;
	if (!copy)
		return -ENOMEM;
	int rc = 0;
	for (char *c = strtok_r(copy, "/", &save); c && rc == 0; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0 || strcmp(c, "..") == 0) {
			rc = -EINVAL;
			break;
		}
		struct dentry *d;
		if ((rc = vfs_lookup_child(cur.dentry, c, &d)) < 0)
			break;
		if (!d->inode) {
			struct inode *i = inode_new(cur.dentry->inode->sb, S_IFDIR | 0755);
			if (!i) {
				dput(d);
				rc = -ENOMEM;
				break;
			}
			i->populated = true;
			d->inode = i;
			i->refs++;
			if (!d->hashed)
				d_add(cur.dentry, d);
			cur.dentry->inode->nlink++;
		}
		struct path next = { cur.mnt, d };
		vfs_follow_mounts(&next);
		if ((rc = inode_attrs(next.dentry->inode)) == 0 && !S_ISDIR(next.dentry->inode->mode))
			rc = -ENOTDIR;
		path_put(cur);
		cur = next;
	}
	free(copy);
	if (rc < 0) {
		path_put(cur);
		return rc;
	}
	*out = cur;
	return 0;
}

static int mount_at(const char *where, struct super *sb, struct dentry *root, const char *source, bool ro)
{
	struct path at;
	int rc = mkdir_p(where, &at);
	if (rc < 0)
		return rc;
	struct mount *m = mount_add(sb, root, at, source, ro);
	path_put(at);
	return m ? 0 : -ENOMEM;
}

static int mount_tmpfs(const char *where, uint32_t mode)
{
	struct super *sb = memfs_new("tmpfs", TMPFS_MAGIC, -1);
	struct dentry *root = sb ? fs_root(sb, mode) : NULL;
	if (root)
		root->inode->size = 2 * BOGO_DIRENT_SIZE; /* as new directories */
	return root ? mount_at(where, sb, root, "tmpfs", false) : -ENOMEM;
}

static int boot(int root_fd, const struct vfs_volume *vols, int nvols, const char **why)
{
	struct super *sb = memfs_new("overlay", OVERLAYFS_SUPER_MAGIC, root_fd);
	struct dentry *root = sb ? fs_root(sb, 0755) : NULL;
	struct mount *m = root ? mount_add(sb, root, (struct path){ 0 }, "overlay", false) : NULL;
	if (!m) {
		*why = "cannot read the root directory";
		return -ENOMEM;
	}
	vfs.root = (struct path){ m, root };
	struct super *proc = procfs_new();
	struct super *dev = memfs_new("devtmpfs", TMPFS_MAGIC, -1);
	struct dentry *devroot = dev ? fs_root(dev, 0755) : NULL;
	int rc = proc && devroot ? 0 : -ENOMEM;
	if (rc == 0 && (rc = mount_at("/proc", proc, procfs_root(proc), "proc", false)) < 0)
		*why = "cannot mount /proc";
	if (rc == 0 && ((rc = devfs_fill(devroot)) < 0 || (rc = mount_at("/dev", dev, devroot, "devtmpfs", false)) < 0))
		*why = "cannot mount /dev";
	if (rc == 0 && (rc = mount_tmpfs("/dev/shm", 01777)) < 0)
		*why = "cannot mount /dev/shm";
	/* --root / runs host programs in place: their /tmp is the host's
	 * (read-only underneath, as the rest of the root), since paths under
	 * it are what they were started with. Any other root gets a tmpfs. */
	struct stat rs, hs;
	bool host_root = fstat(root_fd, &rs) == 0 && stat("/", &hs) == 0 && rs.st_dev == hs.st_dev &&
			 rs.st_ino == hs.st_ino;
	if (rc == 0 && !host_root && (rc = mount_tmpfs("/tmp", 01777)) < 0)
		*why = "cannot mount /tmp";
	for (int k = 0; k < nvols && rc == 0; k++) {
		int fd = open(vols[k].host, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			*why = "cannot open a --volume host directory";
			return -errno;
		}
		struct super *vsb = memfs_new("overlay", OVERLAYFS_SUPER_MAGIC, fd);
		if (vsb)
			vsb->host_writes = !vols[k].readonly;
		struct dentry *vroot = vsb ? fs_root(vsb, 0755) : NULL;
		rc = vroot ? mount_at(vols[k].guest, vsb, vroot, vols[k].host, vols[k].readonly) : -ENOMEM;
		if (rc < 0)
			*why = "cannot mount a --volume at its guest path";
	}
	return rc;
}

int vfs_boot(int root_fd, const struct vfs_volume *vols, int nvols, const char **why)
{
	pthread_mutex_lock(&vfs.lock);
	int rc = boot(root_fd, vols, nvols, why);
	pthread_mutex_unlock(&vfs.lock);
	return rc;
}

struct fs_context *fs_context_new_root(void)
{
	struct fs_context *fs = calloc(1, sizeof *fs);
	if (!fs)
		return NULL;
	pthread_mutex_lock(&vfs.lock);
	*fs = (struct fs_context){ .refs = 1, .root = path_get(vfs.root), .cwd = path_get(vfs.root), .umask = 022 };
	pthread_mutex_unlock(&vfs.lock);
	return fs;
}

struct fs_context *fs_context_get(struct fs_context *fs)
{
	pthread_mutex_lock(&vfs.lock);
	fs->refs++;
	pthread_mutex_unlock(&vfs.lock);
	return fs;
}

struct fs_context *fs_context_copy(struct fs_context *fs)
{
	struct fs_context *n = calloc(1, sizeof *n);
	if (!n)
		return NULL;
	pthread_mutex_lock(&vfs.lock);
	*n = (struct fs_context){ .refs = 1, .root = path_get(fs->root), .cwd = path_get(fs->cwd), .umask = fs->umask };
	pthread_mutex_unlock(&vfs.lock);
	return n;
}

void fs_context_put(struct fs_context *fs)
{
	if (!fs)
		return;
	pthread_mutex_lock(&vfs.lock);
	bool last = --fs->refs == 0;
	if (last) {
		path_put(fs->root);
		path_put(fs->cwd);
	}
	pthread_mutex_unlock(&vfs.lock);
	if (last)
		free(fs);
}
